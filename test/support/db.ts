import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDb, migrateLatest, type Knex } from '../../src/db/knex.js';

/** A path for a SQLite file in a fresh temporary directory, and a way to remove it. */
export async function tempDbFile(): Promise<{ file: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'ratiowatch-'));
  return { file: join(dir, 'test.sqlite'), remove: () => rm(dir, { recursive: true, force: true }) };
}

/** A fresh SQLite file database migrated to latest; `destroy()` closes and deletes it. */
export async function createTestDb(): Promise<{ db: Knex; destroy(): Promise<void> }> {
  const { file, remove } = await tempDbFile();
  const db = createDb({ databaseUrl: undefined, dbFile: file });
  await migrateLatest(db);
  return {
    db,
    destroy: async () => {
      await db.destroy();
      await remove();
    },
  };
}
