/**
 * `npm run restore -- <backup folder>`: puts a backup made by `backup` back, into an
 * empty place: DB_FILE names the database to create (its folder gets the uploads and
 * the secret files, as the app keeps them). Nothing is overwritten: when DB_FILE, its
 * WAL, the uploads folder (with files in it), audit.key or session.secret is already
 * there, it refuses (one line, exit 2). Every file is checked against the manifest
 * first (a damaged backup: one line, exit 2, nothing written); the database copy is
 * put in place last, so a restore cut short leaves no database to start on. Then it
 * migrates and verifies the audit log: `restored …: audit log OK: N entries` (exit 0),
 * or the break (exit 1). For PostgreSQL it restores nothing (exit 2).
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { loadConfig, type Config } from '../config.js';
import { verifyAuditLog } from '../db/audit.js';
import { AUDIT_KEY_FILE, MissingAuditKey } from '../db/audit-key.js';
import { createDb, migrateLatest } from '../db/knex.js';
import { SESSION_SECRET_FILE } from '../db/settings.js';
import { PRIVATE_DIR_MODE } from '../secret-files.js';
import { uploadsDirOf } from '../web/uploads/certificates.js';
import { shownPath } from './anchor-file.js';
import { copyPrivateFile, DATABASE_COPY, hashFile, Manifest, MANIFEST, syncFolders, UPLOADS } from './backup-files.js';

export class UsageError extends Error {}

const USAGE = 'usage: DB_FILE=<new database file> npm run restore -- <backup folder>';

export function parseRestoreArgs(argv: readonly string[]): { backupDir: string } {
  let positionals: string[];
  try {
    ({ positionals } = parseArgs({ args: [...argv], options: {}, strict: true, allowPositionals: true }));
  } catch (err) {
    throw new UsageError(`restore: ${(err as Error).message.replace(/\s+/g, ' ')} (${USAGE})`);
  }
  if (positionals.length !== 1 || positionals[0] === '') throw new UsageError(`restore: name one backup folder (${USAGE})`);
  return { backupDir: positionals[0]! };
}

async function readManifest(backupDir: string): Promise<Manifest> {
  let text: string;
  try {
    text = await readFile(join(backupDir, MANIFEST), 'utf8');
  } catch {
    throw new UsageError(`restore: ${shownPath(backupDir)} is not a backup: it has no readable ${MANIFEST}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UsageError(`restore: ${shownPath(join(backupDir, MANIFEST))} is not JSON`);
  }
  const parsed = Manifest.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`restore: ${shownPath(join(backupDir, MANIFEST))} is not a Ratiowatch backup manifest (${issue.path.join('.') || 'it'}: ${issue.message})`);
  }
  if (!parsed.data.files.some((f) => f.path === DATABASE_COPY)) throw new UsageError(`restore: the backup lists no ${DATABASE_COPY}`);
  return parsed.data;
}

/** Where a file of the backup goes for the database `dbFile`. */
function targetOf(rel: string, dbFile: string, uploads: string): string {
  if (rel === DATABASE_COPY) return dbFile;
  if (rel === AUDIT_KEY_FILE || rel === SESSION_SECRET_FILE) return join(dirname(dbFile), rel);
  if (rel.startsWith(`${UPLOADS}/`)) return join(uploads, rel.slice(UPLOADS.length + 1));
  throw new UsageError(`restore: the manifest lists ${shownPath(rel)}, which a backup does not hold`);
}

/** What is already where the restore would write: the first such thing, or null. */
async function notEmpty(dbFile: string, uploads: string): Promise<string | null> {
  for (const path of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`, `${dbFile}-journal`, join(dirname(dbFile), AUDIT_KEY_FILE), join(dirname(dbFile), SESSION_SECRET_FILE)]) {
    if (existsSync(path)) return path;
  }
  try {
    if ((await readdir(uploads)).length > 0) return uploads;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  return null;
}

export async function restore(config: Config, argv: readonly string[]): Promise<{ ok: boolean; line: string }> {
  const { backupDir } = parseRestoreArgs(argv);
  if (config.databaseUrl) throw new UsageError('restore: DATABASE_URL is set: this command restores SQLite backups only, into DB_FILE (unset DATABASE_URL); restore PostgreSQL with pg_restore');
  if (config.dbFile === ':memory:') throw new UsageError('restore: DB_FILE must name a file to create');
  const dbFile = resolve(config.dbFile);
  const uploads = uploadsDirOf({ config });
  const manifest = await readManifest(backupDir);

  const there = await notEmpty(dbFile, uploads);
  if (there) throw new UsageError(`restore: the target is not empty: ${shownPath(there)} exists (set DB_FILE to a new path, in a folder with no uploads, audit.key or session.secret)`);

  // Every file whole and unchanged before anything is written.
  const plan = manifest.files.map((f) => ({ ...f, from: join(backupDir, f.path), to: targetOf(f.path, dbFile, uploads) }));
  for (const f of plan) {
    let found;
    try {
      found = await hashFile(f.from);
    } catch {
      throw new UsageError(`restore: ${shownPath(f.path)} is missing from the backup`);
    }
    if (found.bytes !== f.bytes || found.sha256 !== f.sha256) throw new UsageError(`restore: ${shownPath(f.path)} does not match the manifest: the backup is damaged or was changed`);
  }

  await mkdir(dirname(dbFile), { recursive: true, mode: PRIVATE_DIR_MODE });
  const database = plan.find((f) => f.path === DATABASE_COPY)!;
  for (const f of plan) if (f !== database) await copyPrivateFile(f.from, f.to);
  // The database last, under a temporary name first: DB_FILE appears complete or not at all.
  const aside = `${dbFile}.restoring`;
  await rm(aside, { force: true });
  await copyPrivateFile(database.from, aside);
  await rename(aside, dbFile);
  syncFolders(plan.map((f) => dirname(f.to)), dirname(dbFile));

  const restored = `restored ${backupDir} into ${dbFile} (${plan.length} files)`;
  const db = createDb(config);
  try {
    await migrateLatest(db);
    const result = await verifyAuditLog(db);
    if (!result.ok) return { ok: false, line: `${restored}; audit log broken at entry ${result.brokenAt}: ${result.reason}` };
    return { ok: true, line: `${restored}; audit log OK: ${result.entries} entries` };
  } catch (err) {
    if (err instanceof MissingAuditKey) return { ok: true, line: `${restored}; audit log not checked: ${err.message}` };
    throw err;
  } finally {
    await db.destroy();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.umask(0o077);
  restore(loadConfig(), process.argv.slice(2)).then(
    ({ ok, line }) => {
      (ok ? console.log : console.error)(line);
      process.exit(ok ? 0 : 1);
    },
    (err: unknown) => {
      console.error(err instanceof Error ? err.message.replace(/\s*\n\s*/g, ' ') : String(err));
      process.exit(err instanceof UsageError ? 2 : 1);
    },
  );
}
