import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDb, migrateLatest, type Knex } from '../../src/db/knex.js';

/**
 * Test databases on either engine. SQLite always; PostgreSQL when the vitest project
 * sets RW_TEST_ENGINE=pg and TEST_DATABASE_URL names a server where the user may
 * create databases (test/vitest.config.ts adds that project when TEST_DATABASE_URL is
 * set; `npm run test:pg` provides a throwaway server).
 */

export type TestEngine = 'sqlite' | 'pg';

declare module 'vitest' {
  interface ProvidedContext {
    /** A migrated PostgreSQL database each test database is copied from (test/support/pg-setup.ts). */
    pgTemplate: string;
    /** Prefix of every database this run creates, so the run's teardown drops leftovers. */
    pgRunPrefix: string;
  }
}

/** The engine this test file runs on: `pg` only in the PostgreSQL project. */
export function testEngine(): TestEngine {
  if (process.env.RW_TEST_ENGINE !== 'pg') return 'sqlite';
  if (!process.env.TEST_DATABASE_URL) throw new Error('RW_TEST_ENGINE=pg needs TEST_DATABASE_URL (postgres://…)');
  return 'pg';
}

/** A boolean column as this engine answers it in a raw row: 1/0 on SQLite, true/false on PostgreSQL (rows.ts reads both). */
export function dbBool(value: boolean): boolean | number {
  return testEngine() === 'pg' ? value : Number(value);
}

/** A path for a SQLite file in a fresh temporary directory, and a way to remove it. */
export async function tempDbFile(): Promise<{ file: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'ratiowatch-'));
  return { file: join(dir, 'test.sqlite'), remove: () => rm(dir, { recursive: true, force: true }) };
}

export type TestDb = {
  /** The migrated database. */
  readonly db: Knex;
  readonly engine: TestEngine;
  /** What createDb/parseConfig need to reach the same database: `DATABASE_URL` on PostgreSQL, `DB_FILE` always (a temporary file, so uploads beside it stay temporary). */
  readonly env: { readonly DB_FILE: string; readonly DATABASE_URL?: string };
  /** A second, independent pool on the same database (two writers, as two server processes would be); closed by `destroy()`. */
  connect(): Knex;
  /** Closes every pool and deletes the database. */
  destroy(): Promise<void>;
};

/** A fresh database migrated to latest on the file's engine; `destroy()` closes and deletes it. */
export async function createTestDb(): Promise<TestDb> {
  const { file, remove } = await tempDbFile();
  const engine = testEngine();
  const pg = engine === 'pg' ? await createPgDatabase(process.env.TEST_DATABASE_URL!, await pgTemplate()) : undefined;
  const config = { databaseUrl: pg?.url, dbFile: file };
  const pools: Knex[] = [];
  const connect = () => {
    const pool = createDb(config);
    pools.push(pool);
    return pool;
  };
  const db = connect();
  try {
    if (!pg?.migrated) await migrateLatest(db);
  } catch (err) {
    await db.destroy();
    await pg?.drop();
    await remove();
    throw err;
  }
  return {
    db,
    engine,
    env: pg ? { DB_FILE: file, DATABASE_URL: pg.url } : { DB_FILE: file },
    connect,
    destroy: async () => {
      await Promise.all(pools.map((p) => p.destroy()));
      await pg?.drop();
      await remove();
    },
  };
}

/** The URL of database `name` on the server of `url` (same user, host and options). */
export function pgDatabaseUrl(url: string, name: string): string {
  const next = new URL(url);
  next.pathname = `/${name}`;
  return next.href;
}

/** Runs `fn` with a one-connection pool on the server's maintenance database (TEST_DATABASE_URL itself). */
export async function withPgAdmin<T>(url: string, fn: (admin: Knex) => Promise<T>): Promise<T> {
  const admin = createDb({ databaseUrl: url, dbFile: '' }, { pool: { min: 0, max: 1 } });
  try {
    return await fn(admin);
  } finally {
    await admin.destroy();
  }
}

/**
 * CREATE DATABASE <prefix><random> on the server of `adminUrl`, copied from `template`
 * when one is given (already migrated: tens of milliseconds instead of most of a second);
 * `drop()` removes it, ending any connection left open.
 */
export async function createPgDatabase(
  adminUrl: string,
  template?: { name: string; prefix: string },
): Promise<{ url: string; name: string; migrated: boolean; drop(): Promise<void> }> {
  const name = `${template?.prefix ?? 'rw_test_'}${randomBytes(6).toString('hex')}`;
  await withPgAdmin(adminUrl, (admin) =>
    template ? admin.raw('CREATE DATABASE ?? TEMPLATE ??', [name, template.name]) : admin.raw('CREATE DATABASE ??', [name]),
  );
  return {
    url: pgDatabaseUrl(adminUrl, name),
    name,
    migrated: template !== undefined,
    drop: () => withPgAdmin(adminUrl, (admin) => admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [name])).then(() => undefined),
  };
}

/** The run's migrated template, when vitest's global setup made one (not outside vitest). */
async function pgTemplate(): Promise<{ name: string; prefix: string } | undefined> {
  try {
    const { inject } = await import('vitest');
    const name = inject('pgTemplate');
    return name ? { name, prefix: inject('pgRunPrefix') } : undefined;
  } catch {
    return undefined;
  }
}
