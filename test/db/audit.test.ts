import { statSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  appendAudit,
  entryHash,
  GENESIS_HASH,
  keyedEntryHash,
  listAuditInCenter,
  readAuditHead,
  redact,
  verifyAuditLog,
} from '../../src/db/audit.js';
import { AUDIT_KEY_FILE, auditKeyOf, headSeal, MissingAuditKey } from '../../src/db/audit-key.js';
import { createDb, migrateLatest, type Knex } from '../../src/db/knex.js';
import { createPgDatabase, createTestDb, tempDbFile, testEngine, type TestDb } from '../support/db.js';

let t: TestDb;
let db: Knex;
beforeEach(async () => {
  t = await createTestDb();
  db = t.db;
});
afterEach(() => t.destroy());
const keyFile = () => join(dirname(t.env.DB_FILE), AUDIT_KEY_FILE);

const at = new Date('2026-03-02T12:00:00Z');
const append = (n: number, centerId = 'c-1') =>
  db.transaction(async (trx) => {
    for (let i = 0; i < n; i++) {
      await appendAudit(trx, { at, organizationId: 'o-1', centerId, actorUserId: `u-${i % 2}`, action: 'thing.changed', recordType: 'thing', recordId: `r-${i}`, before: { n: i }, after: { n: i + 1 } });
    }
  });

describe('appendAudit', () => {
  it('chains each entry to the one before it, starting from the genesis hash', async () => {
    await append(3);
    const rows = await db('audit_log').orderBy('id');
    expect(rows.map((r) => r.id)).toEqual([1, 2, 3]);
    expect(rows[0].prev_hash).toBe(GENESIS_HASH);
    expect(rows[1].prev_hash).toBe(rows[0].hash);
    expect(rows[2].prev_hash).toBe(rows[1].hash);
    expect(await db('audit_head').first()).toMatchObject({ id: 1, last_id: 3, last_hash: rows[2].hash });
  });

  it('records before and after values as JSON with secrets redacted', async () => {
    await db.transaction((trx) =>
      appendAudit(trx, { at, organizationId: 'o-1', action: 'user.password_reset', recordType: 'user', recordId: 'u-1', before: { password_hash: 'scrypt$old' }, after: { passwordHash: 'scrypt$new', token: 'abc', nested: { password: 'p' }, name: 'kept' } }),
    );
    const row = await db('audit_log').first();
    expect(JSON.parse(row.changes)).toEqual({ before: { password_hash: '[redacted]' }, after: { passwordHash: '[redacted]', token: '[redacted]', nested: { password: '[redacted]' }, name: 'kept' } });
  });

  it('serialises appends made at the same time into one chain', async () => {
    await Promise.all(Array.from({ length: 10 }, () => append(1)));
    expect(await verifyAuditLog(db)).toEqual({ ok: true, entries: 10 });
  });

  it('writes nothing when the transaction that made the change rolls back', async () => {
    await expect(
      db.transaction(async (trx) => {
        await appendAudit(trx, { at, organizationId: 'o-1', action: 'thing.changed', recordType: 'thing' });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await db('audit_log').count({ n: '*' }).first()).toEqual({ n: 0 });
    await append(1);
    expect(await verifyAuditLog(db)).toEqual({ ok: true, entries: 1 });
  });
});

describe('redact', () => {
  it('leaves values without secret names alone', () => {
    expect(redact({ role: 'staff', list: [{ token: 't' }] })).toEqual({ role: 'staff', list: [{ token: '[redacted]' }] });
  });
});

describe('verifyAuditLog', () => {
  it('passes an untouched log', async () => {
    await append(5);
    expect(await verifyAuditLog(db, { batchSize: 2 })).toEqual({ ok: true, entries: 5 });
  });

  it('passes an empty log', async () => {
    expect(await verifyAuditLog(db)).toEqual({ ok: true, entries: 0 });
  });

  it('reports the first entry whose content was edited', async () => {
    await append(5);
    await db('audit_log').where({ id: 3 }).update({ changes: '{"before":null,"after":{"n":99}}' });
    expect(await verifyAuditLog(db)).toMatchObject({ ok: false, brokenAt: 3, reason: 'its content does not match its hash' });
  });

  it('reports an entry whose hash was recomputed after an edit, at the next link', async () => {
    await append(5);
    const row = await db('audit_log').where({ id: 2 }).first();
    const forged = { ...fields(row), actorUserId: 'someone-else' };
    await db('audit_log').where({ id: 2 }).update({ actor_user_id: 'someone-else', hash: keyedEntryHash(auditKeyOf(db, { mayCreate: false }), forged) });
    expect(await verifyAuditLog(db)).toMatchObject({ ok: false, brokenAt: 3, reason: 'its previous hash does not match entry 2' });
  });

  it('reports a deleted entry', async () => {
    await append(5);
    await db('audit_log').where({ id: 2 }).del();
    expect(await verifyAuditLog(db)).toMatchObject({ ok: false, brokenAt: 2, reason: 'entry 2 is missing' });
  });

  it('reports entries cut from the end', async () => {
    await append(5);
    await db('audit_log').where('id', '>', 3).del();
    expect(await verifyAuditLog(db)).toMatchObject({ ok: false, brokenAt: 4, reason: 'entries 4 to 5 are missing' });
  });
});

describe('listAuditInCenter', () => {
  it("lists one center's entries newest first, paged and filtered", async () => {
    await append(5, 'c-1');
    await append(2, 'c-2');
    const page1 = await listAuditInCenter(db, 'c-1', {}, { limit: 2, offset: 0 });
    expect(page1.entries.map((e) => e.id)).toEqual([5, 4]);
    expect(page1.hasMore).toBe(true);
    const last = await listAuditInCenter(db, 'c-1', {}, { limit: 2, offset: 4 });
    expect(last).toMatchObject({ hasMore: false });
    expect(last.entries.map((e) => e.id)).toEqual([1]);
    expect((await listAuditInCenter(db, 'c-1', { actorUserId: 'u-1' }, { limit: 10, offset: 0 })).entries.map((e) => e.id)).toEqual([4, 2]);
    expect((await listAuditInCenter(db, 'c-1', { recordId: 'r-0' }, { limit: 10, offset: 0 })).entries.map((e) => e.id)).toEqual([1]);
  });
});

/** A stored row as the hash functions read it. */
function fields(row: Record<string, unknown>) {
  return {
    id: Number(row.id),
    at: row.at as string,
    organizationId: row.organization_id as string,
    centerId: row.center_id as string | null,
    actorUserId: row.actor_user_id as string | null,
    action: row.action as string,
    recordType: row.record_type as string,
    recordId: row.record_id as string | null,
    changes: row.changes as string,
    prevHash: row.prev_hash as string,
  };
}

/**
 * Rewrites the chain from entry `from` on as it now reads, and moves the head to match:
 * with `key` as someone holding the audit key could (HMACs, and the head's seal),
 * without it as anyone who can write the database (plain SHA-256; the seal cannot be made).
 */
async function rehash(from: number, key?: Buffer) {
  const rows = await db('audit_log').where('id', '>=', from).orderBy('id');
  let prev: string = from === 1 ? GENESIS_HASH : (await db('audit_log').where({ id: from - 1 }).first()).hash;
  for (const row of rows) {
    const e = { ...fields(row), prevHash: prev };
    const hash = key ? keyedEntryHash(key, e) : entryHash(e);
    await db('audit_log').where({ id: row.id }).update({ prev_hash: prev, hash });
    prev = hash;
  }
  const last = Number(rows.at(-1)?.id ?? from - 1);
  await db('audit_head').where({ id: 1 }).update({ last_id: last, last_hash: prev, ...(key && { seal: headSeal(key, last, prev) }) });
}

/** Deletes every entry after `last` and moves the head back to it; with `key`, seals the moved head as the app would. */
async function cutTail(last: number, key?: Buffer) {
  await db('audit_log').where('id', '>', last).del();
  const hash: string = (await db('audit_log').where({ id: last }).first()).hash;
  await db('audit_head').where({ id: 1 }).update({ last_id: last, last_hash: hash, ...(key && { seal: headSeal(key, last, hash) }) });
}

describe('the keyed audit chain (issue #17, M3)', () => {
  it('M3: hashes each entry with HMAC-SHA256 under a key kept in a 0600 file beside the database, not in it', async () => {
    await append(2);
    const key = auditKeyOf(db, { mayCreate: false });
    expect((await readFile(keyFile(), 'utf8')).trim()).toBe(key.toString('utf8'));
    expect(statSync(keyFile()).mode & 0o777).toBe(0o600);
    for (const row of await db('audit_log').orderBy('id')) {
      expect(row.hash).toBe(keyedEntryHash(key, fields(row)));
      expect(row.hash).not.toBe(entryHash(fields(row)));
    }
    expect(JSON.stringify(await db('settings').select())).not.toContain(key.toString('utf8'));
  });

  it('M3: detects a re-hashed rewrite made without the key (later hashes and the head recomputed)', async () => {
    await append(5);
    await db('audit_log').where({ id: 3 }).update({ changes: '{"before":null,"after":{"n":99}}' });
    await rehash(3);
    expect(await verifyAuditLog(db)).toEqual({ ok: false, entries: 2, brokenAt: 3, reason: 'its content does not match its hash' });
  });

  it('M3: detects a re-hashed rewrite that claims every entry predates the key (the cut-over moved up)', async () => {
    await append(5);
    await db('audit_log').where({ id: 2 }).update({ actor_user_id: 'someone-else' });
    await rehash(1);
    await db('audit_cut_over').insert({ id: 1, keyed_after: 5, seal: 'f'.repeat(64) });
    expect(await verifyAuditLog(db)).toMatchObject({ ok: false, reason: "its record that entries up to 5 predate the audit key was changed (or the key is not the log's)" });
  });

  it('M3: detects a cut tail with the anchor, even one made with the key', async () => {
    await append(5);
    const anchor = await readAuditHead(db);
    expect(anchor.entry).toBe(5);
    await cutTail(3, auditKeyOf(db, { mayCreate: false }));
    expect(await verifyAuditLog(db, { anchors: [anchor] })).toEqual({
      ok: false,
      entries: 3,
      brokenAt: 4,
      reason: "the log ends at entry 3, before the anchor's entry 5: entries were cut from the end",
    });
  });

  it('M3: without an anchor, a cut tail made with the key is not detected (the documented limit)', async () => {
    await append(5);
    await cutTail(3, auditKeyOf(db, { mayCreate: false }));
    expect(await verifyAuditLog(db)).toEqual({ ok: true, entries: 3 });
  });

  it("M3: detects a cut tail made without the key, by the head's seal, with no anchor", async () => {
    await append(5);
    await cutTail(3);
    expect(await verifyAuditLog(db)).toMatchObject({ ok: false, brokenAt: 3, reason: "the head of the log is not sealed with the audit key (moved by hand, or the key is not the log's)" });
  });

  it('M3: keeps reporting a head moved by hand after the app appends to it (the append does not seal it)', async () => {
    await append(5);
    await cutTail(3);
    await append(2);
    expect(await verifyAuditLog(db)).toMatchObject({ ok: false, brokenAt: 5, reason: expect.stringContaining('the head of the log is not sealed') });
  });

  it('M3: detects a rewrite made with the key before the anchor, at the anchored entry', async () => {
    await append(5);
    const anchor = await readAuditHead(db);
    await db('audit_log').where({ id: 2 }).update({ actor_user_id: 'someone-else' });
    await rehash(2, auditKeyOf(db, { mayCreate: false }));
    expect(await verifyAuditLog(db)).toEqual({ ok: true, entries: 5 });
    expect(await verifyAuditLog(db, { anchors: [anchor] })).toMatchObject({ ok: false, brokenAt: 5, reason: `its hash does not match the anchor's (${anchor.hash})` });
  });

  it('M3: passes an anchor the chain still reaches after more entries were appended', async () => {
    await append(3);
    const anchor = await readAuditHead(db);
    await append(2);
    expect(await verifyAuditLog(db, { anchors: [anchor] })).toEqual({ ok: true, entries: 5 });
    expect(await verifyAuditLog(db, { anchors: [{ entry: 0, hash: GENESIS_HASH }] })).toEqual({ ok: true, entries: 5 });
  });

  it('M3: keys with AUDIT_KEY when it is set, and then makes no key file', async () => {
    const given = 'k'.repeat(40);
    const withEnvKey = createDb({ databaseUrl: t.env.DATABASE_URL, dbFile: t.env.DB_FILE, auditKey: given });
    try {
      await withEnvKey.transaction((trx) => appendAudit(trx, { at, organizationId: 'o-1', action: 'thing.changed', recordType: 'thing' }));
      const row = await withEnvKey('audit_log').first();
      expect(row.hash).toBe(keyedEntryHash(Buffer.from(given, 'utf8'), fields(row)));
      expect(await verifyAuditLog(withEnvKey)).toEqual({ ok: true, entries: 1 });
    } finally {
      await withEnvKey.destroy();
    }
    expect(() => statSync(keyFile())).toThrow();
  });

  it('M3: refuses to make a new key for a log that already has entries, and to verify without one', async () => {
    await append(1);
    await rm(keyFile());
    // A new pool: nothing remembered of the key the first one read.
    const again = t.connect();
    await expect(again.transaction((trx) => appendAudit(trx, { at, organizationId: 'o-1', action: 'thing.changed', recordType: 'thing' }))).rejects.toBeInstanceOf(MissingAuditKey);
    await expect(verifyAuditLog(again)).rejects.toBeInstanceOf(MissingAuditKey);
    expect(await again('audit_log').count({ n: '*' }).first()).toEqual({ n: 1 });
  });
});

describe('keying a log written before the key (migrations 20261210160000 to 20261210160200)', () => {
  const MIGRATIONS = fileURLToPath(new URL('../../migrations/', import.meta.url));
  const BEFORE_KEYING = '20261209160000_add_figures_to_room_status_history.ts';
  // The same names as the app's own source (knex.ts), so migrateLatest then runs only the rest.
  const upTo = (last: string) => ({
    getMigrations: async () => (await readdir(MIGRATIONS)).filter((f) => f.endsWith('.ts') && f <= last).sort(),
    getMigrationName: (f: string) => f,
    getMigration: (f: string) => import(pathToFileURL(join(MIGRATIONS, f)).href),
  });

  let old: { db: Knex; dbFile: string; destroy(): Promise<void> };
  beforeEach(async () => {
    const { file, remove } = await tempDbFile();
    const pg = testEngine() === 'pg' ? await createPgDatabase(process.env.TEST_DATABASE_URL!) : undefined;
    const oldDb = createDb({ databaseUrl: pg?.url, dbFile: file });
    old = { db: oldDb, dbFile: file, destroy: async () => (await oldDb.destroy(), await pg?.drop(), await remove()) };
    await oldDb.migrate.latest({ migrationSource: upTo(BEFORE_KEYING) });
  });
  afterEach(() => old.destroy());

  /** Entries as the app wrote them before the key: plain SHA-256, a head without a seal. */
  async function writeUnkeyed(n: number) {
    let prev = GENESIS_HASH;
    for (let id = 1; id <= n; id++) {
      const e = { id, at: at.toISOString(), organizationId: 'o-1', centerId: 'c-1', actorUserId: null, action: 'thing.changed', recordType: 'thing', recordId: `r-${id}`, changes: '{"before":null,"after":null}', prevHash: prev };
      const hash = entryHash(e);
      await old.db('audit_log').insert({ id, at: e.at, organization_id: e.organizationId, center_id: e.centerId, actor_user_id: null, action: e.action, record_type: e.recordType, record_id: e.recordId, changes: e.changes, prev_hash: prev, hash });
      prev = hash;
    }
    await old.db('audit_head').insert({ id: 1, last_id: n, last_hash: prev });
  }

  it('M3: keeps entries hashed before the key verifiable without rewriting them, and keys every later one', async () => {
    await writeUnkeyed(3);
    const before = await old.db('audit_log').orderBy('id');
    await migrateLatest(old.db);
    expect(statSync(join(dirname(old.dbFile), AUDIT_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(await old.db('audit_cut_over').first()).toMatchObject({ keyed_after: 3 });
    expect(await verifyAuditLog(old.db)).toEqual({ ok: true, entries: 3 });

    await old.db.transaction(async (trx) => {
      for (let i = 0; i < 2; i++) await appendAudit(trx, { at, organizationId: 'o-1', action: 'thing.changed', recordType: 'thing' });
    });
    expect(await verifyAuditLog(old.db)).toEqual({ ok: true, entries: 5 });
    const after = await old.db('audit_log').orderBy('id');
    expect(after.slice(0, 3)).toEqual(before);
    const key = auditKeyOf(old.db, { mayCreate: false });
    expect(after[3].hash).toBe(keyedEntryHash(key, fields(after[3])));
  });

  it('M3: detects an unkeyed entry rewritten after the key, at the first keyed entry that covers it', async () => {
    await writeUnkeyed(3);
    await migrateLatest(old.db);
    await old.db.transaction((trx) => appendAudit(trx, { at, organizationId: 'o-1', action: 'thing.changed', recordType: 'thing' }));
    // Rewriting entries 2 and 3 in plain SHA-256 is possible without the key; entry 4's HMAC covers entry 3's old hash.
    await old.db('audit_log').where({ id: 2 }).update({ record_id: 'r-forged' });
    let prev: string = (await old.db('audit_log').where({ id: 1 }).first()).hash;
    for (const row of await old.db('audit_log').whereIn('id', [2, 3]).orderBy('id')) {
      const hash = entryHash({ ...fields(row), prevHash: prev });
      await old.db('audit_log').where({ id: row.id }).update({ prev_hash: prev, hash });
      prev = hash;
    }
    expect(await verifyAuditLog(old.db)).toMatchObject({ ok: false, brokenAt: 4, reason: 'its previous hash does not match entry 3' });
  });

  it('keys a new database from its first entry: no cut-over is recorded', async () => {
    await migrateLatest(old.db);
    expect(await old.db('audit_cut_over').first()).toBeUndefined();
  });
});
