import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { centerSetup, isCurrent } from '../../src/db/center-setup.js';
import { findCurrentChildInCenter, findOpenRoomInCenter, loadCenterRows } from '../../src/db/center-state.js';
import { isPostgres, type Knex } from '../../src/db/knex.js';
import { openPresence } from '../../src/db/presences.js';
import { createRoom } from '../../src/db/rooms.js';
import { seedCenter, type SeededCenter } from '../support/builders.js';
import { createTestDb } from '../support/db.js';
import { seedRoomDay, type SeededDay } from '../support/day.js';

/**
 * The center's setup rows kept in memory (SQLite): a check-in reads only presences,
 * yet nothing it is answered may be older than the tables. Every way of writing
 * counts: repositories, raw statements, transactions (also rolled back), a second pool.
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

describe('centerSetup', () => {
  it('is not kept on PostgreSQL, where other processes write the same tables', async () => {
    if (!isPostgres(db)) return;
    expect(await centerSetup(db, seeded.center.id)).toBeUndefined();
  });

  describe('on SQLite', () => {
    const sqliteOnly = () => !isPostgres(db);

    it('never hands a transaction a kept read still waiting for the connection the transaction holds', async () => {
      if (!sqliteOnly()) return;
      // A board's read of the setup starts while a check-in's group transaction holds the one
      // connection; the group then asks for the setup. Waiting on that read would deadlock until
      // the pool's acquire timeout (60 s), as every check-in of the morning rush once did.
      const inside = await db.transaction(async (trx) => {
        await trx.raw('select 1');
        const outside = centerSetup(db, seeded.center.id);
        const answered = await Promise.race([centerSetup(trx, seeded.center.id), new Promise<'waiting'>((resolve) => setTimeout(() => resolve('waiting'), 2_000))]);
        return { answered, outside };
      });
      expect(inside.answered).toBeUndefined();
      // The read outside goes on once the transaction ends, and is kept for the next one.
      const kept = await inside.outside;
      expect(isCurrent(kept)).toBe(true);
      expect(await db.transaction((trx) => centerSetup(trx, seeded.center.id))).toBe(kept);
      // Likewise a day's rows.
      const day = await db.transaction(async (trx) => {
        const reading = kept!.day(db, '2026-03-02');
        const answered = await Promise.race([kept!.day(trx, '2026-03-02'), new Promise<'waiting'>((resolve) => setTimeout(() => resolve('waiting'), 2_000))]);
        return { answered, reading };
      });
      expect(day.answered).not.toBe('waiting');
      await day.reading;
    });

    it('is kept across presence writes, and a check-in then reads only presences', async () => {
      if (!sqliteOnly()) return;
      const first = await centerSetup(db, seeded.center.id);
      await db.transaction((trx) => openPresence(trx, 'child', { centerId: seeded.center.id, roomId: seeded.rooms.infants.id, subjectId: day.children.ada.id, userId: null, at }));
      const again = await centerSetup(db, seeded.center.id);
      expect(again).toBe(first);
      expect(isCurrent(again)).toBe(true);

      const tables: string[] = [];
      const listen = (q: { sql: string }) => tables.push(/from [`"](\w+)[`"]/.exec(q.sql)?.[1] ?? q.sql);
      db.on('query', listen);
      const rows = await loadCenterRows(db, seeded.center.id, { roomIds: [seeded.rooms.infants.id], setup: again });
      db.off('query', listen);
      expect(tables.sort()).toEqual(['child_presences', 'person_presences']);
      expect(rows.children.map((c) => c.id)).toEqual([day.children.ada.id]);
    });

    it("gives a center's rows, from what it keeps, exactly as the tables give them", async () => {
      if (!sqliteOnly()) return;
      const { infants, toddlers } = seeded.rooms;
      const open = (subject: 'child' | 'person', roomId: string, subjectId: string) =>
        db.transaction((trx) => openPresence(trx, subject, { centerId: seeded.center.id, roomId, subjectId, userId: null, at }));
      await open('child', infants.id, day.children.ada.id);
      await open('child', toddlers.id, day.children.dot.id);
      await open('person', infants.id, day.maya.id);
      await db('children').where({ id: day.children.ben.id }).update({ archived_at: at.toISOString() });
      const setup = await centerSetup(db, seeded.center.id);
      expect(isCurrent(setup)).toBe(true);
      for (const opts of [{}, { roomIds: [infants.id] }, { roomIds: [toddlers.id, infants.id] }, { everyone: true }, { everyone: true, roomIds: [infants.id] }]) {
        expect(await loadCenterRows(db, seeded.center.id, { ...opts, setup }), JSON.stringify(opts)).toEqual(await loadCenterRows(db, seeded.center.id, opts));
      }
    });

    it('is read again after any write of its tables: a repository, a raw statement, another pool', async () => {
      if (!sqliteOnly()) return;
      const { infants } = seeded.rooms;
      await centerSetup(db, seeded.center.id);

      const room = await createRoom(db, { centerId: seeded.center.id, name: 'Garden', ageCategories: ['preschooler'], licensedCapacity: 10, at });
      expect(await findOpenRoomInCenter(db, seeded.center.id, room.id)).toMatchObject({ name: 'Garden' });

      await db('rooms').where({ id: infants.id }).update({ name: 'Babies' });
      expect((await findOpenRoomInCenter(db, seeded.center.id, infants.id))?.name).toBe('Babies');

      const other = connect();
      try {
        await other('children').where({ id: day.children.ben.id }).update({ archived_at: at.toISOString() });
      } finally {
        await other.destroy();
      }
      expect(await findCurrentChildInCenter(db, seeded.center.id, day.children.ben.id)).toBeUndefined();
    });

    it('answers a transaction nothing after it wrote a kept table, and after a rollback reads the tables again', async () => {
      if (!sqliteOnly()) return;
      const { infants } = seeded.rooms;
      const before = await centerSetup(db, seeded.center.id);
      await db
        .transaction(async (trx) => {
          expect(await centerSetup(trx, seeded.center.id)).toBe(before);
          await trx('rooms').where({ id: infants.id }).update({ name: 'Renamed, then undone' });
          // Its own uncommitted write is in the table, not in what was kept.
          expect(await centerSetup(trx, seeded.center.id)).toBeUndefined();
          expect(isCurrent(before)).toBe(false);
          throw new Error('undo');
        })
        .catch(() => undefined);
      const after = await centerSetup(db, seeded.center.id);
      expect(after).not.toBe(before);
      expect(after?.rooms.find((r) => r.id === infants.id)?.name).toBe(infants.name);
    });
  });
});
