/**
 * What the server leaves on disk (issue #17, M6): the SQLite file, its WAL and SHM,
 * the uploads folder and the secret files are its user's alone, and the session
 * secret is never in the database.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { appendAudit } from '../../src/db/audit.js';
import { AUDIT_KEY_FILE, MissingAuditKey } from '../../src/db/audit-key.js';
import { createDb } from '../../src/db/knex.js';
import { SESSION_SECRET_FILE } from '../../src/db/settings.js';
import { startServer } from '../../src/web/server.js';
import { createTestDb, tempDbFile, testEngine, type TestDb } from '../support/db.js';
import { startServerProcess } from '../support/server-process.js';

const modeOf = (path: string) => statSync(path).mode & 0o777;
const sqlite = testEngine() === 'sqlite';

describe('startServer on a fresh database (issue #17, M6)', () => {
  let dir: { file: string; remove(): Promise<void> };
  let t: TestDb | undefined;
  beforeEach(async () => (dir = await tempDbFile()));
  afterEach(async () => {
    await t?.destroy();
    t = undefined;
    await dir.remove();
  });
  /** SQLite: a DB_FILE that does not exist yet. PostgreSQL: a fresh database, its DB_FILE folder for the files beside it. */
  const freshEnv = async (): Promise<Record<string, string>> => {
    if (sqlite) return { DB_FILE: dir.file };
    t = await createTestDb();
    return { ...t.env };
  };
  const start = (env: Record<string, string>) => startServer(parseConfig({ NODE_ENV: 'test', PORT: '0', SEED_DEMO: 'false', ...env }));

  it('M6: creates the database, its WAL and SHM 0600, and the uploads folder 0700', async () => {
    const env = await freshEnv();
    const server = await start(env);
    try {
      // A request: the session middleware reads the secret, a write reaches the WAL.
      expect((await fetch(server.url)).status).toBe(200);
      const folder = dirname(env.DB_FILE!);
      expect(modeOf(join(folder, 'uploads'))).toBe(0o700);
      expect(modeOf(join(folder, SESSION_SECRET_FILE))).toBe(0o600);
      expect(modeOf(join(folder, AUDIT_KEY_FILE))).toBe(0o600);
      if (sqlite) {
        expect(modeOf(env.DB_FILE!)).toBe(0o600);
        expect(modeOf(`${env.DB_FILE}-wal`)).toBe(0o600);
        expect(modeOf(`${env.DB_FILE}-shm`)).toBe(0o600);
      }
    } finally {
      await server.close();
    }
  });

  it('M6: keeps the session secret in a 0600 file beside the database and no secret row in it', async () => {
    const env = await freshEnv();
    const server = await start(env);
    await server.close();
    const secret = readFileSync(join(dirname(env.DB_FILE!), SESSION_SECRET_FILE), 'utf8').trim();
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    const db = createDb({ databaseUrl: env.DATABASE_URL, dbFile: env.DB_FILE! });
    try {
      expect(await db('settings').select()).toEqual([]);
    } finally {
      await db.destroy();
    }
  });
});

describe('startServer on a database an earlier version made (issue #17, M6)', () => {
  let t: TestDb;
  beforeEach(async () => (t = await createTestDb()));
  afterEach(() => t.destroy());
  const start = () => startServer(parseConfig({ NODE_ENV: 'test', PORT: '0', SEED_DEMO: 'false', ...t.env }));

  it('M6: moves a session secret kept in the database out to the file once, so sessions stay valid', async () => {
    const old = 'an-old-secret-that-earlier-versions-kept-in-settings';
    await t.db('settings').insert({ key: 'session_secret', value: old });
    const server = await start();
    await server.close();
    expect(await t.db('settings').where({ key: 'session_secret' })).toEqual([]);
    const file = join(dirname(t.env.DB_FILE), SESSION_SECRET_FILE);
    expect(readFileSync(file, 'utf8').trim()).toBe(old);
    expect(modeOf(file)).toBe(0o600);
  });

  it('M6: deletes a secret left in the database even when SESSION_SECRET is set', async () => {
    await t.db('settings').insert({ key: 'session_secret', value: 'an-old-secret-that-earlier-versions-kept-in-settings' });
    const server = await startServer(parseConfig({ NODE_ENV: 'test', PORT: '0', SEED_DEMO: 'false', SESSION_SECRET: 's'.repeat(32), ...t.env }));
    await server.close();
    expect(await t.db('settings').select()).toEqual([]);
  });

  it('M3: does not start on a log that has entries but no audit key, rather than make a new key', async () => {
    await t.db.transaction((trx) => appendAudit(trx, { at: new Date(), organizationId: 'o-1', action: 'thing.changed', recordType: 'thing' }));
    rmSync(join(dirname(t.env.DB_FILE), AUDIT_KEY_FILE));
    await expect(start()).rejects.toBeInstanceOf(MissingAuditKey);
    expect(existsSync(join(dirname(t.env.DB_FILE), AUDIT_KEY_FILE))).toBe(false);
  });

  it.runIf(sqlite)('M6: makes a world-readable database file and uploads folder private at start', async () => {
    chmodSync(t.env.DB_FILE, 0o644);
    const uploads = join(dirname(t.env.DB_FILE), 'uploads');
    mkdirSync(uploads, { mode: 0o755 });
    chmodSync(uploads, 0o755);
    const server = await start();
    await server.close();
    expect(modeOf(t.env.DB_FILE)).toBe(0o600);
    expect(modeOf(uploads)).toBe(0o700);
    if (existsSync(`${t.env.DB_FILE}-wal`)) expect(modeOf(`${t.env.DB_FILE}-wal`)).toBe(0o600);
  });
});

describe('npm start (issue #17, M6)', () => {
  let dir: { file: string; remove(): Promise<void> };
  beforeEach(async () => (dir = await tempDbFile()));
  afterEach(() => dir.remove());

  it.runIf(sqlite)('M6: sets its umask first, so everything it makes on a first start is private', { timeout: 120_000 }, async () => {
    const server = await startServerProcess({ DB_FILE: dir.file, SEED_DEMO: 'false', DATABASE_URL: '' });
    try {
      expect((await fetch(server.url)).status).toBe(200);
    } finally {
      await server.stop();
    }
    const folder = dirname(dir.file);
    for (const name of ['test.sqlite', 'test.sqlite-wal', 'test.sqlite-shm', SESSION_SECRET_FILE, AUDIT_KEY_FILE].filter((n) => existsSync(join(folder, n)))) {
      expect(modeOf(join(folder, name)), name).toBe(0o600);
    }
    expect(modeOf(dir.file)).toBe(0o600);
    expect(modeOf(join(folder, 'uploads'))).toBe(0o700);
  });
});
