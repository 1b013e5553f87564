import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendAudit, entryHash, GENESIS_HASH, listAuditInCenter, redact, verifyAuditLog } from '../../src/db/audit.js';
import type { Knex } from '../../src/db/knex.js';
import { createTestDb } from '../support/db.js';

let db: Knex;
let destroy: () => Promise<void>;
beforeEach(async () => ({ db, destroy } = await createTestDb()));
afterEach(() => destroy());

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
    expect(await db('audit_head').first()).toEqual({ id: 1, last_id: 3, last_hash: rows[2].hash });
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
    expect(await verifyAuditLog(db, 2)).toEqual({ ok: true, entries: 5 });
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
    const forged = { id: 2, at: row.at, organizationId: row.organization_id, centerId: row.center_id, actorUserId: 'someone-else', action: row.action, recordType: row.record_type, recordId: row.record_id, changes: row.changes, prevHash: row.prev_hash };
    await db('audit_log').where({ id: 2 }).update({ actor_user_id: 'someone-else', hash: entryHash(forged) });
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
