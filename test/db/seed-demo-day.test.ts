/**
 * The demo's day writes its status history from the presences it seeds, backdated
 * from 06:30, judged as the board judges them: the history starts with the first
 * seeded presence and agrees with the day plan, instead of starting when the server
 * first wrote.
 */
import { DateTime } from 'luxon';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../../src/db/audit.js';
import { listDemoCenters } from '../../src/db/centers.js';
import type { Knex } from '../../src/db/knex.js';
import type { Center } from '../../src/db/rows.js';
import { seedDemo } from '../../src/db/seed-demo.js';
import { seedDemoDay } from '../../src/db/seed-demo-day.js';
import { listStatusIntervals, type StatusInterval } from '../../src/db/status-history.js';
import { hashPassword } from '../../src/passwords.js';
import { loadCenterState, statusesFrom, statusesOf } from '../../src/services/center-state.js';
import { forecastCenter } from '../../src/services/center-forecast.js';
import { createTestDb } from '../support/db.js';
import { TEST_SCRYPT } from '../support/deps.js';

let db: Knex;
let destroy: () => Promise<void>;
beforeEach(async () => ({ db, destroy } = await createTestDb()));
afterEach(() => destroy());

const ZONE = 'America/Chicago';
/** Monday 2 March 2026, 09:00 in Chicago (CST, UTC-6). */
const MONDAY_0900 = '2026-03-02T15:00:00Z';

async function demoCenter(at: string): Promise<Center> {
  await seedDemo(db, { at: new Date(at), hashPassword: (p) => hashPassword(p, TEST_SCRYPT) });
  const [center] = await listDemoCenters(db);
  return center!;
}

async function startDay(center: Center, at: string) {
  expect((await seedDemoDay(db, center, new Date(at), statusesFrom(center))).seeded).toBe(true);
}

const local = (iso: string) => DateTime.fromISO(iso, { zone: 'utc' }).setZone(ZONE).toFormat('HH:mm');
const roomsOf = async (center: Center) => (await db('rooms').where({ center_id: center.id }).orderBy('created_at').select('id', 'name')) as { id: string; name: string }[];
const historyOf = (center: Center, roomId: string) => listStatusIntervals(db, center.id, roomId, new Date('2026-03-01T00:00:00Z'), new Date('2026-03-05T00:00:00Z'));
const holding = (intervals: readonly StatusInterval[], at: Date) => intervals.find((i) => i.startedAt <= at.toISOString() && (i.endedAt === null || i.endedAt > at.toISOString()));
const nonZero = (byCategory: Readonly<Record<string, number>> | null) => Object.fromEntries(Object.entries(byCategory ?? {}).filter(([, n]) => n > 0));

describe('seedDemoDay: the history', () => {
  it('starts at the first seeded presence, 06:30 center time, each room at its own first presence, with the causes a live write gives', async () => {
    const center = await demoCenter(MONDAY_0900);
    await startDay(center, MONDAY_0900);
    const first = (await db('room_status_history').where({ center_id: center.id }).min({ at: 'started_at' }).first()) as { at: string };
    expect(first.at).toBe('2026-03-02T12:30:00.000Z');
    expect(local(first.at)).toBe('06:30');

    const starts: Record<string, [string, string]> = {};
    for (const room of await roomsOf(center)) {
      const intervals = await historyOf(center, room.id);
      starts[room.name] = [local(intervals[0]!.startedAt), intervals[0]!.cause];
      // Nothing after the moment the demo started, and one interval left open.
      expect(intervals.every((i) => i.startedAt <= new Date(MONDAY_0900).toISOString())).toBe(true);
      expect(intervals.filter((i) => i.endedAt === null)).toHaveLength(1);
    }
    // Staff three minutes apart from 06:30, in the seed's order.
    expect(starts).toEqual({
      Infants: ['06:30', 'Teacher Sam Rivera arrived'],
      Toddlers: ['06:36', 'Teacher Priya Shah arrived'],
      Preschool: ['06:39', 'Teacher Ben Carter arrived'],
      'School-age': ['06:51', 'Director Maria Lindqvist arrived'],
    });

    // Infants by hand: Sam 06:30, Ruth 06:33, then five infants from 06:45, two minutes apart (Minnesota 1:4, at most 8).
    const infants = (await roomsOf(center)).find((r) => r.name === 'Infants')!;
    expect((await historyOf(center, infants.id)).map((i) => [local(i.startedAt), i.endedAt ? local(i.endedAt) : null, i.status, i.cause, i.children, i.presentStaff, i.countedStaff, i.requiredStaff, i.maxGroupSize])).toEqual([
      ['06:30', '06:33', 'ok', 'Teacher Sam Rivera arrived', 0, 1, 1, 0, null],
      ['06:33', '06:45', 'ok', 'Substitute Ruth Olson arrived', 0, 2, 2, 0, null],
      ['06:45', '06:47', 'ok', 'child checked in', 1, 2, 2, 1, 8],
      ['06:47', '06:49', 'ok', 'child checked in', 2, 2, 2, 1, 8],
      ['06:49', '06:51', 'ok', 'child checked in', 3, 2, 2, 1, 8],
      ['06:51', '06:53', 'ok', 'child checked in', 4, 2, 2, 1, 8],
      ['06:53', null, 'ok', 'child checked in', 5, 2, 2, 2, 8],
    ]);
  });

  it('leaves each room’s open interval where the board stands, and writes it with the day’s audit entry', async () => {
    const center = await demoCenter(MONDAY_0900);
    await startDay(center, MONDAY_0900);
    const board = statusesOf(await loadCenterState(db, center, new Date(MONDAY_0900)));
    for (const now of board) {
      const open = (await historyOf(center, now.roomId)).find((i) => i.endedAt === null)!;
      expect(open).toMatchObject({
        status: now.status,
        children: now.children,
        presentStaff: now.presentStaff,
        countedStaff: now.countedStaff,
        requiredStaff: now.requiredStaff,
        maxGroupSize: now.maxGroupSize,
      });
      expect(open.childrenByCategory).toEqual(nonZero(now.childrenByCategory));
    }
    const entry = await db('audit_log').where({ action: 'demo.day_started' }).first('changes');
    const written = Number(((await db('room_status_history').where({ center_id: center.id }).count({ n: '*' }).first()) as { n: number | string }).n);
    expect(JSON.parse(entry.changes)).toMatchObject({ after: { historyIntervals: written } });
    expect(await verifyAuditLog(db)).toMatchObject({ ok: true });
  });

  it('agrees with the day plan at instants through the morning', async () => {
    const center = await demoCenter(MONDAY_0900);
    await startDay(center, MONDAY_0900);
    const plan = await forecastCenter(db, center, new Date(MONDAY_0900));
    const compared: string[] = [];
    for (const room of await roomsOf(center)) {
      const intervals = await historyOf(center, room.id);
      const forecast = plan.rooms.get(room.id)!.forecast;
      // Before naps (from 12:30) and before the demo started: the day plan is what happened.
      for (const hhmm of ['06:35', '06:46', '06:52', '07:00', '07:30', '08:59']) {
        const at = DateTime.fromISO(`2026-03-02T${hhmm}`, { zone: ZONE }).toJSDate();
        const planned = forecast.intervals.find((i) => i.start <= at.getTime() && at.getTime() < i.end);
        const recorded = holding(intervals, at);
        if (!planned) {
          // The day plan starts with the room's first presence, and so does its history.
          expect(recorded, `${room.name} ${hhmm}`).toBeUndefined();
          continue;
        }
        expect(recorded, `${room.name} ${hhmm}`).toBeDefined();
        expect(
          { status: recorded!.status, children: recorded!.children, byCategory: recorded!.childrenByCategory, counted: recorded!.countedStaff, required: recorded!.requiredStaff },
          `${room.name} ${hhmm}`,
        ).toEqual({ status: planned.status, children: planned.children, byCategory: nonZero(planned.byCategory), counted: planned.countedStaff, required: planned.requiredStaff });
        compared.push(`${room.name} ${hhmm}`);
      }
    }
    // Every room is compared from 07:00 on (all staff are in by 06:54).
    expect(compared.filter((c) => / (07:00|07:30|08:59)$/.test(c))).toHaveLength(12);
  });

  it('starts when the demo does when that is before 06:30: every presence is seeded then', async () => {
    const at = '2026-03-02T09:00:00Z'; // 03:00
    const center = await demoCenter(at);
    await startDay(center, at);
    for (const room of await roomsOf(center)) {
      const intervals = await historyOf(center, room.id);
      expect(intervals, room.name).toHaveLength(1);
      expect(intervals[0]).toMatchObject({ startedAt: new Date(at).toISOString(), endedAt: null });
    }
    const infants = (await roomsOf(center)).find((r) => r.name === 'Infants')!;
    expect((await historyOf(center, infants.id))[0]).toMatchObject({ cause: '2 people arrived, 5 children checked in', children: 5, presentStaff: 2 });
  });

  it('ends the day before’s intervals at its closing, where the leftovers were ended, and starts the new day at 06:30', async () => {
    const center = await demoCenter(MONDAY_0900);
    await startDay(center, MONDAY_0900);
    await startDay(center, '2026-03-03T15:00:00Z'); // Tuesday 09:00
    const infants = (await roomsOf(center)).find((r) => r.name === 'Infants')!;
    const intervals = (await historyOf(center, infants.id)).map((i) => [i.startedAt, i.endedAt, i.cause, i.children, i.presentStaff]);
    const monday = intervals.findIndex((i) => i[0] === '2026-03-02T12:53:00.000Z');
    expect(intervals.slice(monday, monday + 3)).toEqual([
      ['2026-03-02T12:53:00.000Z', '2026-03-03T00:00:00.000Z', 'child checked in', 5, 2],
      // 18:00 on Monday: nobody had checked out, and the next day's seed ended them all then.
      ['2026-03-03T00:00:00.000Z', '2026-03-03T12:30:00.000Z', 'not checked out: ended at closing', 0, 0],
      ['2026-03-03T12:30:00.000Z', '2026-03-03T12:33:00.000Z', 'Teacher Sam Rivera arrived', 0, 1],
    ]);
    expect(await verifyAuditLog(db)).toMatchObject({ ok: true });
  });
});
