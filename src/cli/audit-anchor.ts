/**
 * `npm run audit:anchor -- <file>`: checks the audit log, then writes its head (the
 * last entry's id and hash) to <file>, to keep somewhere the database's writers
 * cannot reach (another machine, a printout). `audit:verify --anchor <file>` later
 * checks that the chain still reaches that entry with that hash: a cut tail or a
 * rewrite before it is found even when made with the audit key.
 *
 * Replacing an anchor: the file's old anchor must still hold (a log that no longer
 * reaches it is not re-anchored). Prints `audit anchor written to <file>: entry N`
 * (exit 0); a broken log: `audit log broken at entry <id>: <why>` (exit 1), nothing
 * written; a bad argument, an unreadable file or no audit key: one line, exit 2.
 */
import { rename, rm, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { randomBytes } from 'node:crypto';
import { loadConfig, type Config } from '../config.js';
import { verifyAuditLogToHead } from '../db/audit.js';
import { MissingAuditKey } from '../db/audit-key.js';
import { createDb, migrateLatest } from '../db/knex.js';
import { AnchorFileError, formatAnchor, readAnchorFile, shownPath } from './anchor-file.js';

export class UsageError extends Error {}

const USAGE = 'usage: npm run audit:anchor -- <file>';

export function parseAuditAnchorArgs(argv: readonly string[]): { file: string } {
  let positionals: string[];
  try {
    ({ positionals } = parseArgs({ args: [...argv], options: {}, strict: true, allowPositionals: true }));
  } catch (err) {
    throw new UsageError(`audit-anchor: ${(err as Error).message.replace(/\s+/g, ' ')} (${USAGE})`);
  }
  if (positionals.length !== 1 || positionals[0] === '') throw new UsageError(`audit-anchor: name one file to write (${USAGE})`);
  return { file: positionals[0]! };
}

export async function auditAnchor(config: Config, argv: readonly string[], at = new Date()): Promise<{ ok: boolean; line: string }> {
  const { file } = parseAuditAnchorArgs(argv);
  const previous = await readAnchorFile(file);
  const db = createDb(config);
  try {
    await migrateLatest(db);
    const { result, head } = await verifyAuditLogToHead(db, { anchors: previous ? [previous] : [] });
    if (!result.ok) return { ok: false, line: `audit log broken at entry ${result.brokenAt}: ${result.reason}` };
    // Written aside, then renamed over: the file holds the old anchor or the new one, never half of one.
    const aside = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(aside, formatAnchor(head, at), { flag: 'wx', mode: 0o644 });
      await rename(aside, file);
    } catch (err) {
      await rm(aside, { force: true });
      throw new UsageError(`audit-anchor: cannot write ${shownPath(file)}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    return { ok: true, line: `audit anchor written to ${file}: entry ${head.entry}, hash ${head.hash}` };
  } finally {
    await db.destroy();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  auditAnchor(loadConfig(), process.argv.slice(2)).then(
    ({ ok, line }) => {
      (ok ? console.log : console.error)(line);
      process.exit(ok ? 0 : 1);
    },
    (err: unknown) => {
      const usage = err instanceof UsageError || err instanceof AnchorFileError || err instanceof MissingAuditKey;
      console.error(usage ? (err.message.startsWith('audit-anchor') ? err.message : `audit-anchor: ${err.message}`) : err instanceof Error ? err.message : String(err));
      process.exit(usage ? 2 : 1);
    },
  );
}
