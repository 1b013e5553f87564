/**
 * forecastCenter: the loader behind the board's flags, the day plan and cover
 * requests. It merges recorded presences with the day's shifts and breaks, the
 * children's weekly schedules minus absences, and room naps, and judges each room
 * with the one engine. Chicago; named DST days in both directions.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Knex } from '../../src/db/knex.js';
import { newId } from '../../src/db/rows.js';
import { insertShiftTemplate } from '../../src/db/shift-templates.js';
import { createLogger } from '../../src/log.js';
import { forecastCenter, nextCompliantAt } from '../../src/services/center-forecast.js';
import { createJobRunner } from '../../src/services/jobs.js';
import { breachWindows, windowWords } from '../../src/words/plan.js';
import { seedCenter, type SeededCenter } from '../support/builders.js';
import { seedRoomDay, type SeededDay } from '../support/day.js';
import { createTestDb } from '../support/db.js';

let db: Knex;
let destroy: () => Promise<void>;
let seeded: SeededCenter;
let day: SeededDay;

beforeEach(async () => {
  ({ db, destroy } = await createTestDb());
  seeded = await seedCenter(db);
  day = await seedRoomDay(db, seeded);
});
afterEach(() => destroy());

const H = 3_600_000;
const at = (iso: string) => Date.parse(iso);
const schedule = async (childIds: string[], weekday: number, arrive: string, depart: string) => {
  for (const childId of childIds) await db('child_schedules').insert({ id: newId(), child_id: childId, weekday, arrive, depart });
};
const template = (personId: string, weekday: number, start: string, end: string, room: 'infants' | 'toddlers' = 'infants') =>
  insertShiftTemplate(db, { centerId: seeded.center.id, personId, roomId: seeded.rooms[room].id, weekday, start, end }, new Date('2026-03-01T12:00:00Z'));
/** The job runner's tick at `iso`: the center's day plan is made at its midnight (a forecast only reads it). */
const tickAt = async (iso: string) => {
  const jobs = createJobRunner({ db, log: createLogger({ logLevel: 'silent' }), clock: { now: () => new Date(iso) } });
  try {
    expect(await jobs.runOnce()).toEqual({ ran: true, failures: [] });
  } finally {
    await jobs.stop();
  }
};
const clock = (f: { intervals: readonly { start: number; end: number; countedStaff: number; requiredStaff: number; compliant: boolean }[] }, d: string) =>
  f.intervals.map((i) => `${windowWords(i.start, i.end, d, 'America/Chicago')} ${i.countedStaff}/${i.requiredStaff}${i.compliant ? '' : ' breach'}`);

describe('forecastCenter on the spring-forward day (2026-03-08 in Chicago)', () => {
  it('counts real time across the gap, starts a shift planned in the gap when the clocks resume, and words the breach in local time', async () => {
    await schedule([day.children.ada.id, day.children.ben.id], 7, '01:00', '05:00');
    await template(day.maya.id, 7, '00:30', '04:00');
    // 02:30 does not exist that night: the shift starts at 03:00, when the clocks resume.
    await template(seeded.people.teacher.id, 7, '02:30', '03:30');
    const f = await forecastCenter(db, seeded.center, new Date('2026-03-07T18:00:00Z'), { day: '2026-03-08' });
    expect(f.dayEnd - f.dayStart).toBe(23 * H);
    const infants = f.rooms.get(seeded.rooms.infants.id)!;
    expect(clock(infants.forecast, '2026-03-08')).toEqual(['00:30–01:00 1/0', '01:00–03:00 1/1', '03:00–03:30 2/1', '03:30–04:00 1/1', '04:00–05:00 0/1 breach']);
    // 01:00 to 03:00 that night is one hour.
    const crossing = infants.forecast.intervals[1]!;
    expect(crossing.end - crossing.start).toBe(H);
    await tickAt('2026-03-08T06:00:30Z'); // 00:00:30 CST
    expect(await db('shifts').where({ person_id: seeded.people.teacher.id }).first('starts_at', 'ends_at')).toEqual({ starts_at: '2026-03-08T08:00:00.000Z', ends_at: '2026-03-08T08:30:00.000Z' });
    const [breach] = breachWindows(infants.forecast);
    expect(windowWords(breach!.start, breach!.end, '2026-03-08', 'America/Chicago')).toBe('04:00–05:00');
    expect(infants.forecast.coverNeeds).toEqual([{ start: at('2026-03-08T09:00:00Z'), end: at('2026-03-08T10:00:00Z'), additionalStaff: 1, needs: ['teacher'], trainings: ['aht', 'suid'] }]);
    // Saturday noon: far outside the horizon.
    expect(infants.flag).toBeNull();
  });

  it('flags the breach an hour ahead in real minutes: at 01:30, 04:00 is 90 minutes away, at 02:00 (03:00) it is within the hour', async () => {
    await schedule([day.children.ada.id], 7, '01:00', '05:00');
    await template(day.maya.id, 7, '00:30', '04:00');
    // Maya came in for her shift and is still here (reality before plan: a no show would not count).
    await db('person_presences').insert({ id: newId(), center_id: seeded.center.id, room_id: seeded.rooms.infants.id, person_id: day.maya.id, started_at: '2026-03-08T06:30:00.000Z', ended_at: null });
    const early = await forecastCenter(db, seeded.center, new Date('2026-03-08T07:30:00Z'), { day: '2026-03-08' }); // 01:30 CST
    expect(early.rooms.get(seeded.rooms.infants.id)!.flag).toBeNull();
    const later = await forecastCenter(db, seeded.center, new Date('2026-03-08T08:05:00Z'), { day: '2026-03-08' }); // 03:05 CDT
    const infants = later.rooms.get(seeded.rooms.infants.id)!;
    expect(infants.flagText).toBe('needs cover by 04:00');
    expect(infants.coverNeed).toMatchObject({ additionalStaff: 1, needs: ['teacher'] });
    expect(infants.nextChange).toBe(`${day.maya.displayName} leaves 04:00; 1 infant leaves 05:00`);
  });
});

describe('forecastCenter on the fall-back day (2026-11-01 in Chicago)', () => {
  it('gives a 00:00–03:00 shift its four real hours and the day its 25', async () => {
    await schedule([day.children.ada.id], 7, '00:30', '02:30');
    await template(day.maya.id, 7, '00:00', '03:00');
    const f = await forecastCenter(db, seeded.center, new Date('2026-10-31T18:00:00Z'), { day: '2026-11-01' });
    expect(f.dayEnd - f.dayStart).toBe(25 * H);
    await tickAt('2026-11-01T05:00:30Z'); // 00:00:30 CDT
    const [shift] = await db('shifts').where({ person_id: day.maya.id, day: '2026-11-01' });
    expect(Date.parse(shift.ends_at) - Date.parse(shift.starts_at)).toBe(4 * H);
    const infants = f.rooms.get(seeded.rooms.infants.id)!;
    expect(breachWindows(infants.forecast)).toEqual([]);
    // The infant's 00:30–02:30 is three real hours (the 01:00 hour happens twice).
    const withChild = infants.forecast.intervals.find((i) => i.children === 1)!;
    expect(withChild.end - withChild.start).toBe(3 * H);
  });
});

describe('forecastCenter merging what happened with the plan', () => {
  const MONDAY_NOON = new Date('2026-03-02T18:00:00Z');

  it('keeps a checked-in child without a schedule until closing, and people where their presences put them before now', async () => {
    // Recorded: Maya in Infants 07:00–11:00 (left), an unscheduled infant checked in at 08:00.
    await db('person_presences').insert({ id: newId(), center_id: seeded.center.id, room_id: seeded.rooms.infants.id, person_id: day.maya.id, started_at: '2026-03-02T13:00:00.000Z', ended_at: '2026-03-02T17:00:00.000Z' });
    await db('child_presences').insert({ id: newId(), center_id: seeded.center.id, room_id: seeded.rooms.infants.id, child_id: day.children.ada.id, started_at: '2026-03-02T14:00:00.000Z', ended_at: null });
    await template(seeded.people.teacher.id, 1, '13:00', '16:00');
    const f = await forecastCenter(db, seeded.center, MONDAY_NOON, { roomIds: [seeded.rooms.infants.id] });
    expect([...f.rooms.keys()]).toEqual([seeded.rooms.infants.id]);
    const infants = f.rooms.get(seeded.rooms.infants.id)!;
    // 11:00–13:00 nobody counted (recorded, then planned); the teacher's shift 13:00–16:00; then nobody until closing at 18:00.
    expect(clock(infants.forecast, f.day)).toEqual(['07:00–08:00 1/0', '08:00–11:00 1/1', '11:00–13:00 0/1 breach', '13:00–16:00 1/1', '16:00–18:00 0/1 breach']);
    // Breach under way at noon: it ends when the teacher comes; the next ends at closing, 18:00.
    expect(nextCompliantAt(infants.forecast, MONDAY_NOON.getTime())).toBe(at('2026-03-02T19:00:00Z'));
    expect(nextCompliantAt(infants.forecast, at('2026-03-02T20:00:00Z'))).toBe(at('2026-03-02T20:00:00Z'));
    expect(nextCompliantAt(infants.forecast, at('2026-03-02T22:30:00Z'))).toBe(at('2026-03-03T00:00:00Z'));
    // The breach began at 11:00, before now: the app says so as "now", not as a time already past.
    expect(infants.flagText).toBe('needs cover now');
    expect(infants.breachSince).toBe(at('2026-03-02T17:00:00Z'));
  });

  it('answers null from nextCompliantAt when the breach lasts to the end of the day', async () => {
    // Checked in after closing: only a check-out ends presence.
    await db('child_presences').insert({ id: newId(), center_id: seeded.center.id, room_id: seeded.rooms.infants.id, child_id: day.children.ada.id, started_at: '2026-03-03T01:00:00.000Z', ended_at: null });
    const now = new Date('2026-03-03T01:30:00Z'); // 19:30
    const f = await forecastCenter(db, seeded.center, now, { roomIds: [seeded.rooms.infants.id] });
    const infants = f.rooms.get(seeded.rooms.infants.id)!;
    expect(nextCompliantAt(infants.forecast, now.getTime())).toBeNull();
  });

  it('does not expect an absent child, nor an archived one', async () => {
    await schedule([day.children.ada.id, day.children.ben.id, day.children.cai.id], 1, '07:30', '17:00');
    await db('child_absences').insert({ id: newId(), center_id: seeded.center.id, child_id: day.children.ada.id, day: '2026-03-02', created_at: '2026-03-02T12:00:00.000Z', created_by_user_id: null });
    await db('children').where({ id: day.children.ben.id }).update({ archived_at: '2026-03-01T12:00:00.000Z' });
    const f = await forecastCenter(db, seeded.center, new Date('2026-03-02T12:00:00Z'));
    const infants = f.rooms.get(seeded.rooms.infants.id)!;
    expect(infants.input.children.map((c) => c.child.id)).toEqual([day.children.cai.id]);
    expect(Math.max(...infants.forecast.intervals.map((i) => i.children))).toBe(1);
  });

  it('counts a person only with verified trainings valid that day (the engine judges who counts)', async () => {
    await schedule([day.children.ada.id], 1, '08:00', '10:00');
    const untrained = await db('people').where({ id: seeded.people.volunteer.id }).first();
    await db('training_records').where({ person_id: untrained.id, training_id: 'suid' }).update({ status: 'submitted' });
    await template(untrained.id, 1, '08:00', '10:00');
    const f = await forecastCenter(db, seeded.center, new Date('2026-03-02T12:00:00Z'));
    const infants = f.rooms.get(seeded.rooms.infants.id)!;
    expect(clock(infants.forecast, f.day)).toEqual(['08:00–10:00 0/1 breach']);
    expect(infants.flagText).toBeNull(); // 08:00 is more than an hour after 06:00
  });
});
