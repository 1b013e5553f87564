/**
 * `npm run -s import -- --center <centerId> [--children <file.csv>] [--people <file.csv>] [--dry-run] [--seen-records]`
 *
 * Imports a center's roster from CSV files (docs/import.md), all or nothing: every
 * row is checked first, and if any row of either file is rejected (or a file cannot
 * be read as a roster) nothing is stored. Prints one JSON object on stdout:
 *
 *   {"children":{"rows":N,"valid":V,"imported":I,"duplicates":D,"rejected":[{"row":R,"field":"birth_date","message":"…"}],"ignoredColumns":[…]},"people":{…}}
 *
 * A kind not given is absent. A problem with a file as a whole (not UTF-8, a required
 * column missing…) is a rejected entry with row 1 (the header) and field null.
 * `--seen-records`: imported trainings are stored as verified instead of awaiting review.
 *
 * Exit 0: every row valid or a duplicate (and, without --dry-run, imported). Exit 1: a
 * row or a file was rejected, nothing stored. Exit 2, one line on stderr: bad arguments,
 * an unknown center, a file that cannot be read.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { loadConfig, type Config } from '../config.js';
import { listCenters } from '../db/centers.js';
import { createDb, migrateLatest } from '../db/knex.js';
import { centerToday, checkRosterFile, commitRoster, loadRosterContext, type RosterCommit } from '../services/roster/import.js';
import { isAllValid, reportCounts, type RosterKind, type RosterReport } from '../services/roster/types.js';

export class UsageError extends Error {}

export type ImportArgs = {
  readonly center: string;
  readonly children?: string;
  readonly people?: string;
  readonly dryRun: boolean;
  readonly seenRecords: boolean;
};

const USAGE = 'usage: npm run -s import -- --center <centerId> [--children <file.csv>] [--people <file.csv>] [--dry-run] [--seen-records]';

export function parseImportArgs(argv: readonly string[]): ImportArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        center: { type: 'string' },
        children: { type: 'string' },
        people: { type: 'string' },
        'dry-run': { type: 'boolean' },
        'seen-records': { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError((err as Error).message.replace(/\s+/g, ' '));
  }
  const text = (v: string | boolean | undefined) => (typeof v === 'string' ? v.trim() : undefined);
  const center = text(values.center);
  if (!center) throw new UsageError(`--center is required; ${USAGE}`);
  const children = text(values.children);
  const people = text(values.people);
  if (values.children !== undefined && !children) throw new UsageError('--children needs a file name');
  if (values.people !== undefined && !people) throw new UsageError('--people needs a file name');
  if (!children && !people) throw new UsageError(`give --children <file.csv>, --people <file.csv> or both; ${USAGE}`);
  return { center, children, people, dryRun: values['dry-run'] === true, seenRecords: values['seen-records'] === true };
}

/** One kind's part of the printed JSON. */
export type KindOutput = {
  rows: number;
  valid: number;
  imported: number;
  duplicates: number;
  rejected: { row: number; field: string | null; message: string }[];
  ignoredColumns: string[];
};

export type ImportOutput = { children?: KindOutput; people?: KindOutput };

function kindOutput(report: RosterReport, imported: number): KindOutput {
  const counts = reportCounts(report);
  return {
    rows: report.rows,
    valid: counts.valid,
    imported,
    duplicates: counts.duplicates,
    rejected: [
      ...report.fileErrors.map((message) => ({ row: 1, field: null, message })),
      ...report.lines.flatMap((l) => l.errors.map((e) => ({ row: l.row, field: e.field, message: e.message }))),
    ],
    ignoredColumns: [...report.ignoredColumns],
  };
}

/** Runs the import; answers what to print and the exit code (0 or 1). Throws UsageError for exit 2. */
export async function runImport(config: Config, argv: readonly string[], at = new Date()): Promise<{ output: ImportOutput; exitCode: 0 | 1 }> {
  const args = parseImportArgs(argv);
  const files: { children?: Uint8Array; people?: Uint8Array } = {};
  for (const kind of ['children', 'people'] as const) {
    const path = args[kind];
    if (!path) continue;
    try {
      files[kind] = await readFile(path);
    } catch (err) {
      throw new UsageError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
  const db = createDb(config);
  try {
    await migrateLatest(db);
    const center = (await listCenters(db)).find((c) => c.id === args.center);
    if (!center) throw new UsageError(`no center has the id ${args.center}`);
    const kinds = (['children', 'people'] as const).filter((k) => files[k]);
    const output: ImportOutput = {};
    if (args.dryRun) {
      const ctx = await loadRosterContext(db, center, centerToday(center, at));
      const reports = kinds.map((k) => checkRosterFile(k, files[k]!, ctx).report);
      for (const r of reports) output[r.kind] = kindOutput(r, 0);
      return { output, exitCode: reports.every(isAllValid) ? 0 : 1 };
    }
    const result: RosterCommit = await commitRoster(db, center, files, { userId: null, via: 'cli' }, { seenRecords: args.seenRecords, at, onlyIfAllValid: true });
    const reports = kinds.map((k: RosterKind) => result[k]!);
    for (const r of reports) output[r.kind] = kindOutput(r, result.stored ? r.imported : 0);
    return { output, exitCode: reports.every(isAllValid) ? 0 : 1 };
  } finally {
    await db.destroy();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runImport(loadConfig(), process.argv.slice(2)).then(
    ({ output, exitCode }) => {
      process.stdout.write(`${JSON.stringify(output)}\n`);
      process.exitCode = exitCode;
    },
    (err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      console.error(message.replace(/\s+/g, ' '));
      process.exitCode = err instanceof UsageError ? 2 : 1;
    },
  );
}
