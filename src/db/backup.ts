import { closeSync, fsyncSync, openSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Knex } from 'knex';
import type { AuditAnchor } from './audit.js';

// sqlite3's own binding, to read a copy without knex: a knex pool would switch the copy to WAL (a write).
const sqlite3 = createRequire(import.meta.url)('sqlite3') as typeof import('sqlite3');

/**
 * A consistent copy of the SQLite database at `target` (which must not exist):
 * `VACUUM INTO` reads one snapshot, so writes committed while it runs are either
 * wholly in the copy or not at all, and the app keeps writing meanwhile (WAL). The
 * copy is synced to disk before this answers.
 */
export async function copySqliteDatabase(db: Knex, target: string): Promise<void> {
  await db.raw('VACUUM INTO ?', [target]);
  const fd = openSync(target, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** What a copy holds, read without changing it: SQLite's integrity check and the audit log's head. */
export async function inspectSqliteCopy(file: string): Promise<{ integrity: string; auditHead: AuditAnchor | null }> {
  const conn = await new Promise<import('sqlite3').Database>((resolve, reject) => {
    const c = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (err) => (err ? reject(err) : resolve(c)));
  });
  const all = (sql: string) => new Promise<Record<string, unknown>[]>((resolve, reject) => conn.all(sql, (err, rows) => (err ? reject(err) : resolve(rows as Record<string, unknown>[]))));
  try {
    const integrity = (await all('PRAGMA integrity_check')).map((r) => String(Object.values(r)[0])).join('; ');
    const hasHead = (await all("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'audit_head'")).length > 0;
    const head = hasHead ? (await all('SELECT last_id, last_hash FROM audit_head WHERE id = 1'))[0] : undefined;
    return { integrity, auditHead: head ? { entry: Number(head.last_id), hash: String(head.last_hash) } : null };
  } finally {
    await new Promise<void>((resolve) => conn.close(() => resolve()));
  }
}
