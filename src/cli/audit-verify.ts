/**
 * `npm run audit:verify [-- --anchor <file>]`: walks the audit log's hash chain and
 * checks its head's seal; with `--anchor`, also that the chain still reaches the
 * entry named in the anchor file (written by `audit:anchor`) with the hash written
 * there. Prints `audit log OK: N entries` (exit 0; `…, anchor entry A holds` with an
 * anchor) or `audit log broken at entry <id>: <why>` (exit 1). A bad argument, an
 * unreadable anchor or no audit key: one line, exit 2.
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { loadConfig, type Config } from '../config.js';
import { verifyAuditLog } from '../db/audit.js';
import { MissingAuditKey } from '../db/audit-key.js';
import { createDb, migrateLatest } from '../db/knex.js';
import { AnchorFileError, readAnchorFile, shownPath } from './anchor-file.js';

export class UsageError extends Error {}

export function parseAuditVerifyArgs(argv: readonly string[]): { anchorFile: string | null } {
  let values: { anchor?: string | undefined };
  try {
    ({ values } = parseArgs({ args: [...argv], options: { anchor: { type: 'string' } }, strict: true, allowPositionals: false }));
  } catch (err) {
    // parseArgs quotes the argument as typed: a line break in it must not split the one line.
    throw new UsageError(`audit-verify: ${(err as Error).message.replace(/\s+/g, ' ')} (it takes only --anchor <file>, and reads DB_FILE or DATABASE_URL)`);
  }
  if (values.anchor === '') throw new UsageError('audit-verify: --anchor needs the anchor file written by audit:anchor');
  return { anchorFile: values.anchor ?? null };
}

export async function auditVerify(config: Config, argv: readonly string[] = []): Promise<{ ok: boolean; line: string }> {
  const { anchorFile } = parseAuditVerifyArgs(argv);
  const anchor = anchorFile === null ? null : await readAnchorFile(anchorFile);
  if (anchorFile !== null && anchor === null) throw new UsageError(`audit-verify: no anchor file at ${shownPath(anchorFile)}`);
  const db = createDb(config);
  try {
    await migrateLatest(db);
    const result = await verifyAuditLog(db, { anchors: anchor ? [anchor] : [] });
    if (!result.ok) return { ok: false, line: `audit log broken at entry ${result.brokenAt}: ${result.reason}` };
    return { ok: true, line: `audit log OK: ${result.entries} entries${anchor ? `, anchor entry ${anchor.entry} holds` : ''}` };
  } finally {
    await db.destroy();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  auditVerify(loadConfig(), process.argv.slice(2)).then(
    ({ ok, line }) => {
      (ok ? console.log : console.error)(line);
      process.exit(ok ? 0 : 1);
    },
    (err: unknown) => {
      const usage = err instanceof UsageError || err instanceof AnchorFileError || err instanceof MissingAuditKey;
      console.error(usage ? (err.message.startsWith('audit-verify') ? err.message : `audit-verify: ${err.message}`) : err instanceof Error ? err.message : String(err));
      process.exit(usage ? 2 : 1);
    },
  );
}
