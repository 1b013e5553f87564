import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Secrets the app makes for itself and keeps beside the database, never in it: the
 * audit key (db/audit-key.ts), the session secret (db/settings.ts) and the Web Push
 * VAPID keys (services/alerts/vapid.ts). Whoever can
 * read the database file alone must not be able to sign a cookie or re-hash the
 * audit chain.
 */

/** Owner read/write only; the folder the app makes for them, owner only. */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/**
 * Where the file `name` lives for this database: beside DB_FILE (for PostgreSQL too,
 * whose DB_FILE default puts it in `data/`), or nowhere for an in-memory SQLite
 * database, whose secrets die with it. An empty DB_FILE names no place.
 */
export function secretFilePath(dbFile: string, name: string): string | null {
  if (dbFile === ':memory:') return null;
  if (dbFile === '') throw new Error(`no folder for ${name}: DB_FILE is empty`);
  return resolve(dirname(dbFile), name);
}

/** The file's trimmed text, or null when there is no such file. A file others may read is made private first. */
export function readSecretFile(path: string): string | null {
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  if ((mode & 0o077) !== 0) chmodSync(path, PRIVATE_FILE_MODE);
  const value = readFileSync(path, 'utf8').trim();
  if (value === '') throw new Error(`${path} is empty: put the secret back, or remove the file to make a new one`);
  return value;
}

/**
 * Writes `value` to `path` (mode 0600) unless the file exists; answers what the file
 * holds afterwards. The whole file appears at once (written aside, then hard-linked
 * into place, which fails if the name is taken), so a process starting at the same
 * moment reads either nothing or all of it, and both end up with the same secret.
 */
export function createSecretFile(path: string, value: string): string {
  const existing = readSecretFile(path);
  if (existing !== null) return existing;
  mkdirSync(dirname(path), { recursive: true, mode: PRIVATE_DIR_MODE });
  const aside = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(aside, 'wx', PRIVATE_FILE_MODE);
  try {
    writeSync(fd, `${value}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(aside, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    unlinkSync(aside);
  }
  syncFolder(dirname(path));
  return readSecretFile(path)!;
}

/** A new random secret as text: 32 bytes, hex. */
export function randomSecret(): string {
  return randomBytes(32).toString('hex');
}

/** fsync a folder, so a file just made in it survives a power cut. */
export function syncFolder(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
