/**
 * `npm run backup` and `npm run restore` (issue #17, durability): an online copy of
 * the SQLite database, the uploads and the secret files, and its restore into an
 * empty place.
 */
import { readFileSync, statSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backup } from '../../src/cli/backup.js';
import { parseConfig } from '../../src/config.js';
import { appendAudit } from '../../src/db/audit.js';
import { createDb, type Knex } from '../../src/db/knex.js';
import { createOrganization } from '../../src/db/organizations.js';
import { runCliProcess } from '../support/cli.js';
import { createTestDb, tempDbFile, testEngine, type TestDb } from '../support/db.js';
import { runCliAsync } from '../support/fuzz-cli.js';

const sqlite = testEngine() === 'sqlite';
const modeOf = (path: string) => statSync(path).mode & 0o777;

let t: TestDb;
let target: { file: string; remove(): Promise<void> };
beforeEach(async () => {
  t = await createTestDb();
  target = await tempDbFile();
});
afterEach(async () => {
  await t.destroy();
  await target.remove();
});

const folder = () => dirname(t.env.DB_FILE);
const backupsFolder = () => join(folder(), 'backups');

/** One audited write, as every write of the app is: the row and its audit entry in one transaction. */
async function auditedWrite(db: Knex, name: string): Promise<string> {
  return db.transaction(async (trx) => {
    const org = await createOrganization(trx, { name, at: new Date() });
    await appendAudit(trx, { at: new Date(), organizationId: org.id, action: 'organization.created', recordType: 'organization', recordId: org.id, after: { name } });
    return org.id;
  });
}

async function withDb<T>(dbFile: string, fn: (db: Knex) => Promise<T>): Promise<T> {
  const db = createDb({ databaseUrl: undefined, dbFile });
  try {
    return await fn(db);
  } finally {
    await db.destroy();
  }
}

describe('backup and restore on SQLite', { timeout: 180_000 }, () => {
  it.runIf(sqlite)(
    'Durability: backs up during audited writes; the restore holds every write acknowledged before the backup and its audit chain verifies',
    async () => {
      const certificate = join(folder(), 'uploads', 'c-1', 'a1b2c3');
      await mkdir(dirname(certificate), { recursive: true });
      await writeFile(certificate, 'a certificate, as uploaded');

      // Four writers go on until the backup has ended.
      const acked: string[] = [];
      let stop = false;
      const writers = [0, 1, 2, 3].map(async (w) => {
        for (let i = 0; !stop; i++) acked.push(await auditedWrite(t.db, `writer ${w}, write ${i}`));
      });
      while (acked.length < 40) await new Promise((r) => setTimeout(r, 5));
      const beforeBackup = [...acked];
      const run = await runCliAsync('backup', { env: { ...t.env, NODE_ENV: 'test', DATABASE_URL: '' } });
      const duringBackup = acked.length - beforeBackup.length;
      stop = true;
      await Promise.all(writers);

      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(duringBackup).toBeGreaterThan(0);
      const dir = /^backup written to (\S+): database \d+ bytes \(audit log head entry \d+\), 1 uploaded file, \d+ bytes in all\n$/.exec(run.stdout)?.[1];
      expect(dir, run.stdout).toBeDefined();
      expect(dirname(dir!)).toBe(backupsFolder());
      expect(dir!).toMatch(/\/\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ$/);
      expect(modeOf(dir!)).toBe(0o700);
      for (const name of ['database.sqlite', 'manifest.json', 'audit.key', 'uploads/c-1/a1b2c3']) {
        expect(modeOf(join(dir!, name)), name).toBe(0o600);
      }
      const manifest = JSON.parse(await readFile(join(dir!, 'manifest.json'), 'utf8'));
      expect(manifest).toMatchObject({ format: 'ratiowatch-backup/1', engine: 'sqlite', database: { path: 'database.sqlite', integrity: 'ok' }, notInBackup: [] });
      expect(manifest.files.map((f: { path: string }) => f.path)).toEqual(['database.sqlite', 'uploads/c-1/a1b2c3', 'audit.key']);
      expect(manifest.files[1]).toMatchObject({ bytes: 26, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
      // Nothing else: reading the copy left no -wal or -shm beside it.
      expect((await readdir(dir!, { recursive: true })).sort()).toEqual(['audit.key', 'database.sqlite', 'manifest.json', 'uploads', 'uploads/c-1', 'uploads/c-1/a1b2c3']);

      const restored = runCliProcess('restore', { args: [dir!], env: { DB_FILE: target.file, NODE_ENV: 'test', DATABASE_URL: '' } });
      expect(restored.stderr).toBe('');
      expect(restored.stdout).toMatch(new RegExp(`^restored ${dir} into ${target.file} \\(3 files\\); audit log OK: \\d+ entries\\n$`));
      expect(restored.status).toBe(0);

      const { orgs, audited } = await withDb(target.file, async (db) => ({
        orgs: (await db('organizations').pluck('id')) as string[],
        audited: (await db('audit_log').where({ action: 'organization.created' }).pluck('record_id')) as string[],
      }));
      for (const id of beforeBackup) expect(orgs).toContain(id);
      // Writes that went on during the copy are each wholly in it (row and audit entry) or wholly not.
      expect(new Set(audited)).toEqual(new Set(orgs));
      expect(orgs.every((id) => acked.includes(id))).toBe(true);
      expect(readFileSync(join(dirname(target.file), 'uploads', 'c-1', 'a1b2c3'), 'utf8')).toBe('a certificate, as uploaded');
      expect(modeOf(target.file)).toBe(0o600);

      const verified = runCliProcess('audit-verify', { env: { DB_FILE: target.file, NODE_ENV: 'test', DATABASE_URL: '' } });
      expect(verified.stdout).toBe(`audit log OK: ${audited.length} entries\n`);
      expect(verified.status).toBe(0);
    },
  );

  it.runIf(sqlite)('Durability: restore refuses a target that is not empty, with one line and exit 2', async () => {
    await auditedWrite(t.db, 'one');
    const { dir } = await backup(parseConfig({ NODE_ENV: 'test', ...t.env }), []);
    const run = runCliProcess('restore', { args: [dir], env: { ...t.env, NODE_ENV: 'test', DATABASE_URL: '' } });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `restore: the target is not empty: ${JSON.stringify(t.env.DB_FILE)} exists (set DB_FILE to a new path, in a folder with no uploads, audit.key or session.secret)\n`,
    );
  });

  it.runIf(sqlite)('Durability: restore refuses a backup whose files do not match its manifest, and writes nothing', async () => {
    await auditedWrite(t.db, 'one');
    const { dir } = await backup(parseConfig({ NODE_ENV: 'test', ...t.env }), []);
    const copy = join(dir, 'database.sqlite');
    const bytes = await readFile(copy);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 0xff, bytes.length - 1);
    await writeFile(copy, bytes);
    const run = runCliProcess('restore', { args: [dir], env: { DB_FILE: target.file, NODE_ENV: 'test', DATABASE_URL: '' } });
    expect(run).toMatchObject({ status: 2, stdout: '', stderr: 'restore: "database.sqlite" does not match the manifest: the backup is damaged or was changed\n' });
    expect(await readdir(dirname(target.file))).toEqual([]);
  });

  it.runIf(sqlite)('Durability: backup answers one line and exit 2 for a missing database or two folders', async () => {
    expect(runCliProcess('backup', { env: { DB_FILE: target.file, NODE_ENV: 'test', DATABASE_URL: '' } })).toMatchObject({
      status: 2,
      stdout: '',
      stderr: `backup: no database at ${JSON.stringify(target.file)} (DB_FILE)\n`,
    });
    expect(runCliProcess('backup', { args: ['a', 'b'], env: { ...t.env, NODE_ENV: 'test' } })).toMatchObject({
      status: 2,
      stderr: 'backup: at most one folder to put the backup in (usage: npm run backup [-- <folder>])\n',
    });
  });

  it.runIf(!sqlite)('Durability: backup on PostgreSQL says to use pg_dump, in one line, and exits 2', async () => {
    const run = runCliProcess('backup', { env: { ...t.env, NODE_ENV: 'test' } as Record<string, string> });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^backup: DATABASE_URL is PostgreSQL, which this command does not back up: run pg_dump [^\n]+\n$/);
  });
});
