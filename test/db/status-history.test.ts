import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Knex } from '../../src/db/knex.js';
import { listStatusIntervals, recordStatuses, recordStatusTimeline, sameFigures, type StatusNow } from '../../src/db/status-history.js';
import { seedCenter, type SeededCenter } from '../support/builders.js';
import { createTestDb } from '../support/db.js';

let db: Knex;
let destroy: () => Promise<void>;
let seeded: SeededCenter;

beforeEach(async () => {
  ({ db, destroy } = await createTestDb());
  seeded = await seedCenter(db);
});
afterEach(() => destroy());

const t = (hhmm: string) => new Date(`2026-03-02T${hhmm}:00.000Z`);
const iso = (hhmm: string) => t(hhmm).toISOString();
const infants = () => seeded.rooms.infants.id;
const toddlers = () => seeded.rooms.toddlers.id;

/** Three infants, one teacher counted: ok in Minnesota (1:4, at most 8). */
const ok3 = (): StatusNow => ({
  roomId: infants(),
  status: 'ok',
  requiredStaff: 1,
  countedStaff: 1,
  presentStaff: 1,
  children: 3,
  childrenByCategory: { infant: 3, toddler: 0, preschooler: 0, school_age: 0 },
  maxGroupSize: 8,
});

const record = (statuses: StatusNow[], at: string, cause: string) => db.transaction((trx) => recordStatuses(trx, seeded.center.id, statuses, t(at), cause));
const rows = (roomId = infants()) =>
  db('room_status_history')
    .where({ room_id: roomId })
    .orderBy('started_at')
    .select('status', 'started_at', 'ended_at', 'cause', 'children', 'children_by_category', 'present_staff', 'counted_staff', 'max_group_size');

describe('sameFigures', () => {
  it('compares categories by band, leaving out those with no children, whatever their order', () => {
    expect(sameFigures(ok3(), { ...ok3(), childrenByCategory: { school_age: 0, infant: 3 } })).toBe(true);
    expect(sameFigures(ok3(), { ...ok3(), childrenByCategory: { infant: 2, toddler: 1 } })).toBe(false);
  });

  it('tells apart each figure the history keeps', () => {
    for (const change of [{ status: 'at_limit' }, { requiredStaff: 2 }, { countedStaff: 2 }, { presentStaff: 2 }, { children: 4 }, { maxGroupSize: null }, { maxGroupSize: 12 }]) {
      expect(sameFigures(ok3(), { ...ok3(), ...change }), JSON.stringify(change)).toBe(false);
    }
  });
});

describe('recordStatuses', () => {
  it('stores the figures: categories with children as JSON, present staff and the limit in force', async () => {
    await record([ok3(), { ...ok3(), roomId: toddlers(), status: 'ok', children: 0, childrenByCategory: {}, requiredStaff: 0, countedStaff: 0, presentStaff: 0, maxGroupSize: null }], '12:00', 'child checked in');
    expect(await rows()).toEqual([
      { status: 'ok', started_at: iso('12:00'), ended_at: null, cause: 'child checked in', children: 3, children_by_category: '{"infant":3}', present_staff: 1, counted_staff: 1, max_group_size: 8 },
    ]);
    expect(await rows(toddlers())).toMatchObject([{ children_by_category: '{}', present_staff: 0, max_group_size: null }]);
    const [interval] = await listStatusIntervals(db, seeded.center.id, infants(), t('00:00'), t('23:00'));
    expect(interval).toMatchObject({ childrenByCategory: { infant: 3 }, presentStaff: 1, maxGroupSize: 8, countedStaff: 1, requiredStaff: 1, children: 3 });
  });

  it('starts a new interval when a figure changes and the status does not, and none when nothing changes', async () => {
    await record([ok3()], '12:00', 'child checked in');
    expect(await record([ok3()], '12:30', 'headcount recorded')).toEqual([]);
    expect(await record([{ ...ok3(), children: 2, childrenByCategory: { infant: 2 } }], '17:44', 'child checked out')).toEqual([infants()]);
    expect((await rows()).map((r) => [r.status, r.started_at, r.ended_at, r.cause, r.children])).toEqual([
      ['ok', iso('12:00'), iso('17:44'), 'child checked in', 3],
      ['ok', iso('17:44'), null, 'child checked out', 2],
    ]);
  });

  it('closes a row written before the figures were kept at the next judgement, even with the same status and totals', async () => {
    await db('room_status_history').insert({
      id: crypto.randomUUID(),
      center_id: seeded.center.id,
      room_id: infants(),
      status: 'ok',
      started_at: iso('11:00'),
      ended_at: null,
      cause: 'child checked in',
      required_staff: 1,
      counted_staff: 1,
      children: 3,
    });
    const [old] = await listStatusIntervals(db, seeded.center.id, infants(), t('00:00'), t('23:00'));
    expect(old).toMatchObject({ childrenByCategory: null, presentStaff: null, maxGroupSize: null, children: 3 });
    expect(await record([ok3()], '12:00', 'Teacher Sam Rivera arrived')).toEqual([infants()]);
    expect((await rows()).map((r) => [r.started_at, r.ended_at, r.children_by_category])).toEqual([
      [iso('11:00'), iso('12:00'), null],
      [iso('12:00'), null, '{"infant":3}'],
    ]);
  });
});

describe('recordStatusTimeline', () => {
  it('records judgements in time order as one call after another would: the open row closed at the first change, the rest closed where the next starts', async () => {
    await record([ok3()], '10:00', 'child checked in');
    const two = { ...ok3(), children: 2, childrenByCategory: { infant: 2 } };
    const opened = await db.transaction((trx) =>
      recordStatusTimeline(trx, seeded.center.id, [
        // Out of order on purpose: the timeline sorts by instant.
        { at: t('12:00'), cause: '', statuses: [{ ...two, countedStaff: 0, presentStaff: 0, status: 'out_of_ratio', cause: 'Teacher left' }] },
        { at: t('11:00'), cause: 'nothing changed', statuses: [ok3()] },
        { at: t('11:30'), cause: 'child checked out', statuses: [two, { ...two, roomId: toddlers(), childrenByCategory: { toddler: 2 } }] },
      ]),
    );
    expect(opened).toBe(3);
    expect((await rows()).map((r) => [r.status, r.started_at, r.ended_at, r.cause, r.children])).toEqual([
      ['ok', iso('10:00'), iso('11:30'), 'child checked in', 3],
      ['ok', iso('11:30'), iso('12:00'), 'child checked out', 2],
      ['out_of_ratio', iso('12:00'), null, 'Teacher left', 2],
    ]);
    expect(await rows(toddlers())).toMatchObject([{ started_at: iso('11:30'), ended_at: null, children_by_category: '{"toddler":2}' }]);
  });

  it('writes nothing for no judgements', async () => {
    expect(await db.transaction((trx) => recordStatusTimeline(trx, seeded.center.id, []))).toBe(0);
    expect(await rows()).toEqual([]);
  });
});
