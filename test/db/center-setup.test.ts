import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendAudit } from '../../src/db/audit.js';
import { centerSetup, stillCurrent } from '../../src/db/center-setup.js';
import { readAuditHeads } from '../../src/db/freshness.js';
import { findCurrentChildInCenter, findOpenRoomInCenter, loadCenterRows } from '../../src/db/center-state.js';
import type { Knex } from '../../src/db/knex.js';
import { openPresence } from '../../src/db/presences.js';
import { createRoom } from '../../src/db/rooms.js';
import { seedCenter, type SeededCenter } from '../support/builders.js';
import { createTestDb } from '../support/db.js';
import { seedRoomDay, type SeededDay } from '../support/day.js';

/**
 * The center's setup rows kept in memory: a check-in reads only presences, yet nothing
 * it is answered may be older than the tables. The rule (db/freshness.ts): kept while
 * the audit log's setup head stands, on both engines; every way the app writes them is
 * audited, in this process or another (a second pool), committed or rolled back.
 */

let db: Knex;
let destroy: () => Promise<void>;
let connect: () => Knex;
let seeded: SeededCenter;
let day: SeededDay;
const at = new Date('2026-03-02T14:00:00Z');

beforeEach(async () => {
  const t = await createTestDb();
  ({ db, destroy, connect } = t);
  seeded = await seedCenter(db);
  day = await seedRoomDay(db, seeded);
});
afterEach(() => destroy());

/** An audited write of `recordType` rows in `trx`, as every write of the app makes one. */
const audit = (trx: Knex.Transaction, recordType: string) =>
  appendAudit(trx, { at, organizationId: seeded.organization.id, centerId: seeded.center.id, action: `${recordType}.updated`, recordType, recordId: null });

describe('centerSetup', () => {
  it('never hands a transaction a kept read still waiting for a connection', async () => {
    // A board's read of the setup starts while a check-in's group transaction holds a connection (on
    // SQLite the only one); the group then asks for the setup. Waiting on that read would deadlock
    // until the pool's acquire timeout (60 s), as every check-in of the morning rush once did.
    const inside = await db.transaction(async (trx) => {
      await trx.raw('select 1');
      const outside = centerSetup(db, seeded.center.id);
      const answered = await Promise.race([centerSetup(trx, seeded.center.id), new Promise<'waiting'>((resolve) => setTimeout(() => resolve('waiting'), 2_000))]);
      return { answered, outside };
    });
    expect(inside.answered).toBeUndefined();
    // The read outside goes on once the transaction ends, and is kept for the next one.
    const kept = await inside.outside;
    expect(kept).toBeDefined();
    expect(await db.transaction((trx) => centerSetup(trx, seeded.center.id))).toBe(kept);
    // Likewise a day's rows.
    const dayRead = await db.transaction(async (trx) => {
      const reading = kept!.day(db, '2026-03-02');
      const answered = await Promise.race([kept!.day(trx, '2026-03-02'), new Promise<'waiting'>((resolve) => setTimeout(() => resolve('waiting'), 2_000))]);
      return { answered, reading };
    });
    expect(dayRead.answered).not.toBe('waiting');
    await dayRead.reading;
  });

  it('is kept across presence writes, and a check-in then reads only presences', async () => {
    const first = await centerSetup(db, seeded.center.id);
    await db.transaction(async (trx) => {
      await openPresence(trx, 'child', { centerId: seeded.center.id, roomId: seeded.rooms.infants.id, subjectId: day.children.ada.id, userId: null, at });
      await audit(trx, 'child_presence');
    });
    const again = await centerSetup(db, seeded.center.id);
    expect(again).toBe(first);

    // Every table any statement reads (on PostgreSQL both presences come in one statement).
    const tables = new Set<string>();
    const listen = (q: { sql: string }) => {
      const read = [...q.sql.matchAll(/from [`"](\w+)[`"]/g)].map((m) => m[1]!);
      for (const table of read.length > 0 ? read : [q.sql]) tables.add(table);
    };
    db.on('query', listen);
    const rows = await loadCenterRows(db, seeded.center.id, { roomIds: [seeded.rooms.infants.id], setup: again });
    db.off('query', listen);
    expect([...tables].sort()).toEqual(['child_presences', 'person_presences']);
    expect(rows.children.map((c) => c.id)).toEqual([day.children.ada.id]);
  });

  it("gives a center's rows, from what it keeps, exactly as the tables give them", async () => {
    const { infants, toddlers } = seeded.rooms;
    const open = (subject: 'child' | 'person', roomId: string, subjectId: string) =>
      db.transaction((trx) => openPresence(trx, subject, { centerId: seeded.center.id, roomId, subjectId, userId: null, at }));
    await open('child', infants.id, day.children.ada.id);
    await open('child', toddlers.id, day.children.dot.id);
    await open('person', infants.id, day.maya.id);
    await db.transaction(async (trx) => {
      await trx('children').where({ id: day.children.ben.id }).update({ archived_at: at.toISOString() });
      await audit(trx, 'child');
    });
    const setup = await centerSetup(db, seeded.center.id);
    expect(setup).toBeDefined();
    for (const opts of [{}, { roomIds: [infants.id] }, { roomIds: [toddlers.id, infants.id] }, { everyone: true }, { everyone: true, roomIds: [infants.id] }]) {
      expect(await loadCenterRows(db, seeded.center.id, { ...opts, setup }), JSON.stringify(opts)).toEqual(await loadCenterRows(db, seeded.center.id, opts));
    }
  });

  it('is read again after any audited write of setup rows: a repository, a raw statement, another pool', async () => {
    const { infants } = seeded.rooms;
    await centerSetup(db, seeded.center.id);

    const room = await db.transaction(async (trx) => {
      const made = await createRoom(trx, { centerId: seeded.center.id, name: 'Garden', ageCategories: ['preschooler'], licensedCapacity: 10, at });
      await audit(trx, 'room');
      return made;
    });
    expect(await findOpenRoomInCenter(db, seeded.center.id, room.id)).toMatchObject({ name: 'Garden' });

    await db.transaction(async (trx) => {
      await trx('rooms').where({ id: infants.id }).update({ name: 'Babies' });
      await audit(trx, 'room');
    });
    expect((await findOpenRoomInCenter(db, seeded.center.id, infants.id))?.name).toBe('Babies');

    // Another app process: its own pool, its own memory; only the audit log's head tells this one.
    const other = connect();
    try {
      await other.transaction(async (trx) => {
        await trx('children').where({ id: day.children.ben.id }).update({ archived_at: at.toISOString() });
        await audit(trx, 'child');
      });
    } finally {
      await other.destroy();
    }
    expect(await findCurrentChildInCenter(db, seeded.center.id, day.children.ben.id)).toBeUndefined();
  });

  it('answers a transaction nothing after it audited a write of setup rows, and after a rollback keeps what it had', async () => {
    const { infants } = seeded.rooms;
    const before = await centerSetup(db, seeded.center.id);
    await db
      .transaction(async (trx) => {
        expect(await centerSetup(trx, seeded.center.id)).toBe(before);
        await trx('rooms').where({ id: infants.id }).update({ name: 'Renamed, then undone' });
        await audit(trx, 'room');
        // Its own uncommitted write is in the table, not in what was kept.
        expect(await centerSetup(trx, seeded.center.id)).toBeUndefined();
        expect(await stillCurrent(trx, before)).toBeUndefined();
        throw new Error('undo');
      })
      .catch(() => undefined);
    const after = await centerSetup(db, seeded.center.id);
    expect(after?.rooms.find((r) => r.id === infants.id)?.name).toBe(infants.name);
  });

  it('is not moved by entries of rows it does not keep (a presence, a sign-in), and is by a cover claim that adds a shift', async () => {
    const heads = async () => readAuditHeads(db);
    const start = await heads();
    await db.transaction((trx) => audit(trx, 'person_presence'));
    await db.transaction((trx) => appendAudit(trx, { at, organizationId: seeded.organization.id, action: 'user.signed_in', recordType: 'user', recordId: seeded.users.staff.id }));
    const after = await heads();
    expect(after.last).toBe(start.last + 2);
    expect(after.setup).toBe(start.setup);
    expect(after.standing).toBe(start.standing);
    await db.transaction((trx) => audit(trx, 'cover_request'));
    const covered = await heads();
    expect(covered).toMatchObject({ last: start.last + 3, setup: start.last + 3, cover: start.last + 3, standing: start.standing });
  });
});
