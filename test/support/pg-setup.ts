import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { createDb, migrateLatest } from '../../src/db/knex.js';
import { pgDatabaseUrl, withPgAdmin } from './db.js';

/**
 * Global setup of the PostgreSQL project (test/vitest.config.ts): migrates one template
 * database per run, which every createTestDb() copies, and at the end drops it with
 * every database of the run a crashed test left behind.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error('the PostgreSQL project needs TEST_DATABASE_URL');
  const prefix = `rw_test_${randomBytes(3).toString('hex')}_`;
  const template = `${prefix}template`;
  await withPgAdmin(adminUrl, (admin) => admin.raw('CREATE DATABASE ??', [template]));
  const db = createDb({ databaseUrl: pgDatabaseUrl(adminUrl, template), dbFile: '' });
  try {
    await migrateLatest(db);
  } finally {
    // CREATE DATABASE … TEMPLATE refuses while anyone is connected to the template.
    await db.destroy();
  }
  project.provide('pgTemplate', template);
  project.provide('pgRunPrefix', prefix);

  return async () => {
    await withPgAdmin(adminUrl, async (admin) => {
      const rows: { datname: string }[] = (
        await admin.raw("SELECT datname FROM pg_database WHERE starts_with(datname, ?)", [prefix])
      ).rows;
      for (const { datname } of rows) await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [datname]);
    });
  };
}
