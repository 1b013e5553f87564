/**
 * `npm run backup [-- <folder>]`: a consistent copy of the SQLite database (online:
 * the app keeps running and writing), the uploaded certificates and the secret files
 * kept beside the database (audit.key, session.secret), in one new dated folder,
 * `<folder>/2026-12-07T19-30-00Z/` (by default `backups/` beside DB_FILE), with
 * `manifest.json` listing every file's size and SHA-256. Everything is owner-only.
 * The folder appears under its final name only once complete. A backup on the
 * database's own disk does not outlive that disk: name a folder elsewhere, or copy it.
 *
 * Prints `backup written to <folder>: …` (exit 0). PostgreSQL (DATABASE_URL): this
 * command does not back it up; it prints how to, with pg_dump, and exits 2, as it
 * does for a bad argument or a missing database.
 */
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { loadConfig, type Config } from '../config.js';
import { AUDIT_KEY_FILE } from '../db/audit-key.js';
import { copySqliteDatabase, inspectSqliteCopy } from '../db/backup.js';
import { createDb } from '../db/knex.js';
import { SESSION_SECRET_FILE } from '../db/settings.js';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../secret-files.js';
import { uploadsDirOf } from '../web/uploads/certificates.js';
import { shownPath } from './anchor-file.js';
import { BACKUP_FORMAT, copyPrivateFile, DATABASE_COPY, hashFile, listFiles, MANIFEST, syncFile, syncFolders, UPLOADS, type FileEntry, type Manifest } from './backup-files.js';

export class UsageError extends Error {}

const USAGE = 'usage: npm run backup [-- <folder>]';

export function parseBackupArgs(argv: readonly string[]): { folder: string | null } {
  let positionals: string[];
  try {
    ({ positionals } = parseArgs({ args: [...argv], options: {}, strict: true, allowPositionals: true }));
  } catch (err) {
    throw new UsageError(`backup: ${(err as Error).message.replace(/\s+/g, ' ')} (${USAGE})`);
  }
  if (positionals.length > 1 || positionals[0] === '') throw new UsageError(`backup: at most one folder to put the backup in (${USAGE})`);
  return { folder: positionals[0] ?? null };
}

/** `2026-12-07T19-30-00Z`: sorts by time, and no colons (not allowed in names on some systems). */
export function backupName(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/:/g, '-');
}

export async function backup(config: Config, argv: readonly string[], at = new Date()): Promise<{ dir: string; line: string; manifest: Manifest }> {
  const { folder } = parseBackupArgs(argv);
  if (config.databaseUrl) {
    throw new UsageError(
      'backup: DATABASE_URL is PostgreSQL, which this command does not back up: run pg_dump --format=custom --file=<backup>/ratiowatch.pgdump "$DATABASE_URL", and copy the uploads folder and audit.key and session.secret from beside DB_FILE (unless AUDIT_KEY and SESSION_SECRET are set)',
    );
  }
  if (config.dbFile === ':memory:' || !existsSync(config.dbFile)) throw new UsageError(`backup: no database at ${shownPath(config.dbFile)} (DB_FILE)`);
  const dbFile = resolve(config.dbFile);
  const parent = resolve(folder ?? join(dirname(dbFile), 'backups'));
  let dir = join(parent, backupName(at));
  for (let n = 2; existsSync(dir); n++) dir = join(parent, `${backupName(at)}-${n}`);
  // Built under a hidden name and renamed when complete: a folder with the dated name is a whole backup.
  const partial = join(parent, `.${basename(dir)}.${randomBytes(4).toString('hex')}.partial`);
  await mkdir(partial, { recursive: true, mode: PRIVATE_DIR_MODE });
  try {
    const files: FileEntry[] = [];
    const add = async (rel: string) => files.push({ path: rel, ...(await hashFile(join(partial, rel))) });

    // The database first: a certificate is written before the row that names it commits and is deleted only
    // with it, so every certificate the copy names is still there when the uploads are copied next.
    const db = createDb(config);
    try {
      await copySqliteDatabase(db, join(partial, DATABASE_COPY));
    } finally {
      await db.destroy();
    }
    const { integrity, auditHead } = await inspectSqliteCopy(join(partial, DATABASE_COPY));
    if (integrity !== 'ok') throw new Error(`backup: the copy fails SQLite's integrity check: ${integrity}`);
    await add(DATABASE_COPY);

    const uploads = uploadsDirOf({ config });
    for (const rel of await listFiles(uploads)) {
      await copyPrivateFile(join(uploads, rel), join(partial, UPLOADS, rel));
      await add(`${UPLOADS}/${rel}`);
    }

    const notInBackup: string[] = [];
    for (const [name, fromEnv, variable] of [
      [AUDIT_KEY_FILE, config.auditKey !== undefined, 'AUDIT_KEY'],
      [SESSION_SECRET_FILE, config.sessionSecret !== undefined, 'SESSION_SECRET'],
    ] as const) {
      if (fromEnv) notInBackup.push(`${variable} (set in the environment)`);
      const file = join(dirname(dbFile), name);
      if (!existsSync(file)) continue;
      await copyPrivateFile(file, join(partial, name));
      await add(name);
    }

    const manifest: Manifest = {
      format: BACKUP_FORMAT,
      createdAt: at.toISOString(),
      engine: 'sqlite',
      database: { path: DATABASE_COPY, integrity, auditHead },
      files,
      notInBackup,
    };
    await writeFile(join(partial, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, { flag: 'wx', mode: PRIVATE_FILE_MODE });
    await syncFile(join(partial, MANIFEST));
    syncFolders([...files.map((f) => dirname(join(partial, f.path)))], partial);
    await rename(partial, dir);
    syncFolders([parent], parent);

    const uploadsCount = files.filter((f) => f.path.startsWith(`${UPLOADS}/`)).length;
    const total = files.reduce((sum, f) => sum + f.bytes, 0);
    const head = auditHead ? `audit log head entry ${auditHead.entry}` : 'no audit log yet';
    return {
      dir,
      manifest,
      line: `backup written to ${dir}: database ${files[0]!.bytes} bytes (${head}), ${uploadsCount} uploaded file${uploadsCount === 1 ? '' : 's'}, ${total} bytes in all${notInBackup.length ? `; not in it: ${notInBackup.join(', ')}` : ''}`,
    };
  } catch (err) {
    await rm(partial, { recursive: true, force: true });
    throw err;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // Everything this makes is its user's alone (the copy holds everyone's records and the secrets).
  process.umask(0o077);
  backup(loadConfig(), process.argv.slice(2)).then(
    ({ line }) => console.log(line),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message.replace(/\s*\n\s*/g, ' ') : String(err));
      process.exit(err instanceof UsageError ? 2 : 1);
    },
  );
}
