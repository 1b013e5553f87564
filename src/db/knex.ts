import { mkdirSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import knex, { type Knex } from 'knex';
import type { Config } from '../config.js';

export type { Knex };

const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

/** PostgreSQL when DATABASE_URL is set, otherwise the SQLite file DB_FILE. */
export function createDb(config: Pick<Config, 'databaseUrl' | 'dbFile'>): Knex {
  if (config.databaseUrl) return knex({ client: 'pg', connection: config.databaseUrl });

  if (config.dbFile !== ':memory:') mkdirSync(dirname(config.dbFile), { recursive: true });
  return knex({
    client: 'sqlite3',
    connection: { filename: config.dbFile },
    useNullAsDefault: true,
    pool: {
      // Per connection: WAL lets the board read while a check-in writes; busy_timeout
      // waits out a concurrent writer instead of failing; SQLite leaves foreign keys off.
      afterCreate(conn: { exec(sql: string, done: (err: Error | null) => void): void }, done: (err: Error | null, conn: unknown) => void) {
        conn.exec(
          'PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;',
          (err) => done(err, conn),
        );
      },
    },
  });
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

/** Applies pending migrations; returns the names of those it ran. */
export async function migrateLatest(db: Knex): Promise<string[]> {
  const [, ran] = (await db.migrate.latest({ migrationSource })) as [number, string[]];
  return ran;
}
