import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import knex, { type Knex } from 'knex';
import type { Config } from '../config.js';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../secret-files.js';
import { registerAuditKey } from './audit-key.js';

export type { Knex };

// pg has no bundled types; only its type-parser registry is used here.
const pg = createRequire(import.meta.url)('pg') as {
  types: { getTypeParser(oid: number, format?: string): (value: string) => unknown };
};
const INT8_OID = 20;

/**
 * pg's parsers, except that bigint (COUNT(*), SUM of integers) comes back as a number,
 * as SQLite answers it, rather than a string: counts here are far below 2^53.
 * Per pool (the `types` connection option), not pg's process-wide registry.
 */
function pgTypeParser(oid: number, format?: string): (value: string) => unknown {
  if (oid === INT8_OID && (format ?? 'text') === 'text') return (value) => Number(value);
  return pg.types.getTypeParser(oid, format);
}

const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

/**
 * PostgreSQL when DATABASE_URL is set, otherwise the SQLite file DB_FILE. Its audit
 * key is AUDIT_KEY (`auditKey`), else the file beside DB_FILE (db/audit-key.ts).
 */
export function createDb(
  config: Pick<Config, 'databaseUrl' | 'dbFile'> & { readonly auditKey?: string | undefined },
  options: { readonly pool?: { readonly min: number; readonly max: number } } = {},
): Knex {
  if (config.databaseUrl) {
    const pgDb = knex({
      client: 'pg',
      connection: { connectionString: config.databaseUrl, types: { getTypeParser: pgTypeParser } },
      ...(options.pool && { pool: { ...options.pool } }),
    });
    registerAuditKey(pgDb, config);
    return pgDb;
  }

  if (config.dbFile !== ':memory:') makeDbFilePrivate(config.dbFile);
  const db = knex({
    client: 'sqlite3',
    connection: { filename: config.dbFile },
    useNullAsDefault: true,
    pool: {
      // Per connection: WAL lets the board read while a check-in writes; synchronous=FULL
      // syncs the WAL at every commit, so an answered check-in survives a power cut (NORMAL
      // syncs only at checkpoints: a crash of the machine could lose the last commits);
      // busy_timeout waits out a concurrent writer instead of failing; SQLite leaves
      // foreign keys off.
      afterCreate(conn: { exec(sql: string, done: (err: Error | null) => void): void }, done: (err: Error | null, conn: unknown) => void) {
        conn.exec(
          'PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;',
          (err) => done(err, conn),
        );
      },
    },
  });
  registerAuditKey(db, config);
  return db;
}

/**
 * The SQLite file holds session ids and everyone's records: owner only. The file is
 * made here (0600) before SQLite opens it; SQLite gives its -wal and -shm files the
 * database file's mode. A file or its companions left readable by others (made by
 * an earlier version) are made private; a folder made here is 0700, one that exists
 * is left as it is.
 */
function makeDbFilePrivate(file: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: PRIVATE_DIR_MODE });
  closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
  for (const path of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) {
    let mode: number;
    try {
      mode = statSync(path).mode;
    } catch {
      continue;
    }
    if ((mode & 0o077) !== 0) chmodSync(path, PRIVATE_FILE_MODE);
  }
}

/**
 * Lists migrations/*.ts like knex's own directory source (same names in
 * knex_migrations), but imports each file from here: knex's own `import()`
 * bypasses vitest's transform, and Node 20 cannot load .ts by itself.
 */
const migrationSource: Knex.MigrationSource<string> = {
  async getMigrations() {
    return (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.ts')).sort();
  },
  getMigrationName: (file) => file,
  getMigration: (file) => import(pathToFileURL(join(MIGRATIONS_DIR, file)).href),
};

/** True when `db` talks to PostgreSQL (else SQLite). */
export function isPostgres(db: Knex): boolean {
  return db.client.config.client === 'pg';
}

type Thunks = readonly (() => Promise<unknown>)[];

/**
 * Runs independent statements side by side (reads, or writes none of which needs
 * another's result), except in a PostgreSQL transaction: its one connection takes
 * one query at a time, and pg, which would queue them, deprecates being asked for
 * the next before the last has answered. (On SQLite knex hands them all to the one
 * connection, which runs them back to back.) Answers once every one has ended, the
 * first failure if any failed: a transaction that then rolls back has nothing of
 * them still to run, which would otherwise run after the rollback, outside it.
 */
export async function together<T extends Thunks>(db: Knex, thunks: T): Promise<{ -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> }> {
  const out: unknown[] = [];
  if (!(db.isTransaction && isPostgres(db))) {
    for (const settled of await Promise.allSettled(thunks.map((run) => run()))) {
      if (settled.status === 'rejected') throw settled.reason;
      out.push(settled.value);
    }
  } else {
    for (const run of thunks) out.push(await run());
  }
  return out as never;
}

/**
 * Makes another transaction that takes the same named lock wait until this one ends
 * (PostgreSQL: a transaction-level advisory lock). SQLite runs one write transaction at
 * a time already. For work that reads, decides and writes, like an import or a bulk
 * invitation, which must not decide twice on the same rows side by side.
 */
export async function lockUntilCommit(trx: Knex.Transaction, name: string): Promise<void> {
  if (isPostgres(trx)) await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [name]);
}

/**
 * Runs `fn` while holding the database-wide lock `name`, so app processes starting
 * together on one PostgreSQL database take turns (migrations, the demo seed). The
 * advisory lock lives on one pooled connection held for the duration; `fn` uses the
 * pool as usual. On SQLite (one process per file) it just runs `fn`.
 */
export async function withDbLock<T>(db: Knex, name: string, fn: () => Promise<T>): Promise<T> {
  if (!isPostgres(db)) return fn();
  const conn: unknown = await db.client.acquireConnection();
  try {
    await db.raw('SELECT pg_advisory_lock(hashtext(?))', [name]).connection(conn);
    try {
      return await fn();
    } finally {
      await db.raw('SELECT pg_advisory_unlock(hashtext(?))', [name]).connection(conn);
    }
  } finally {
    await db.client.releaseConnection(conn);
  }
}

/**
 * Applies pending migrations; returns the names of those it ran. Under a lock on
 * PostgreSQL: otherwise a second process starting at the same moment fails on knex's
 * own lock row ("Migration table is already locked"), or both create knex_migrations.
 */
export async function migrateLatest(db: Knex): Promise<string[]> {
  return withDbLock(db, 'ratiowatch.migrate', async () => ((await db.migrate.latest({ migrationSource })) as [number, string[]])[1]);
}
