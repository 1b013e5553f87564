/**
 * forecastCenter for some rooms only (what a check-in recomputes for the board's
 * cards): it reads only what those rooms need, and each room's forecast is the one
 * the whole center's forecast gives it. Monday 2 March 2026 in Chicago (UTC-6).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createChild } from '../../src/db/children.js';
import { appendAudit } from '../../src/db/audit.js';
import type { Knex } from '../../src/db/knex.js';
import { insertRoomNap } from '../../src/db/room-naps.js';
import { createRoom } from '../../src/db/rooms.js';
import { newId, type Room } from '../../src/db/rows.js';
import { insertShiftTemplate } from '../../src/db/shift-templates.js';
import { forecastCenter, type RoomForecastView } from '../../src/services/center-forecast.js';
import { ensureDayPlan } from '../../src/services/day-plan.js';
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

const DAY = '2026-03-02';
/** seedRoomDay's own children (Ada, Ben, Cai, Dot). */
const SEED_CHILDREN = 4;
const SETUP = new Date('2026-03-01T12:00:00Z');
/** A local wall-clock time that Monday as the UTC ISO string the tables hold. */
const local = (hhmm: string) => new Date(`${DAY}T${hhmm}:00-06:00`).toISOString();
const at = (hhmm: string) => new Date(local(hhmm));

const schedule = (childId: string, arrive: string, depart: string) => db('child_schedules').insert({ id: newId(), child_id: childId, weekday: 1, arrive, depart });
const childIn = (room: Room, childId: string, from: string, to: string | null = null) =>
  db('child_presences').insert({ id: newId(), center_id: seeded.center.id, room_id: room.id, child_id: childId, started_at: local(from), ended_at: to && local(to) });
const personIn = (room: Room, personId: string, from: string, to: string | null = null) =>
  db('person_presences').insert({ id: newId(), center_id: seeded.center.id, room_id: room.id, person_id: personId, started_at: local(from), ended_at: to && local(to) });
const template = (room: Room, personId: string, start: string, end: string, breakStart?: string, breakEnd?: string) =>
  insertShiftTemplate(db, { centerId: seeded.center.id, personId, roomId: room.id, weekday: 1, start, end, breakStart, breakEnd }, SETUP);

/** What the board and the pages read of a room's forecast. */
const viewOf = (v: RoomForecastView | undefined) =>
  v && { room: v.room, forecast: v.forecast, flag: v.flag, flagText: v.flagText, breachSince: v.breachSince, staffNow: v.staffNow, coverNeed: v.coverNeed, nextChange: v.nextChange, input: v.input };

describe('forecastCenter for some rooms', () => {
  it('gives each room, forecast alone, the same forecast, flag, words and input as the whole center gives it', async () => {
    const { infants, toddlers } = seeded.rooms;
    const preschool = await createRoom(db, { centerId: seeded.center.id, name: 'Preschool', ageCategories: ['preschooler'], licensedCapacity: 20, maxGroupSize: 2, at: SETUP });
    const { ada, ben, cai, dot } = day.children;
    const { teacher, volunteer } = seeded.people;
    const child = (displayName: string, birthDate: string, room: Room | null) => createChild(db, { centerId: seeded.center.id, displayName, birthDate, homeRoomId: room?.id ?? null, at: SETUP });
    const eve = await child('Eve E.', '2025-10-01', infants);
    const fay = await child('Fay F.', '2024-09-01', toddlers);
    const gus = await child('Gus G.', '2022-05-01', preschool);
    const hal = await child('Hal H.', '2022-02-01', null);
    const ivy = await child('Ivy I.', '2024-06-01', toddlers);

    // Schedules: Cai is expected later, Fay is absent, Hal and Eve have none.
    await schedule(ada.id, '07:30', '16:00');
    await schedule(ben.id, '08:00', '17:00');
    await schedule(cai.id, '09:00', '15:00');
    await schedule(dot.id, '07:00', '17:30');
    await schedule(fay.id, '07:00', '16:00');
    await schedule(gus.id, '07:30', '12:00');
    await schedule(ivy.id, '07:45', '11:00');
    await db('child_absences').insert({ id: newId(), center_id: seeded.center.id, child_id: fay.id, day: DAY, created_at: local('06:00'), created_by_user_id: null });

    // Recorded so far: Ada (an infant) in Toddlers; Dot out and back; Eve in Infants, out, then archived; Hal (no home room) in Preschool.
    await childIn(toddlers, ada.id, '08:00');
    await childIn(infants, ben.id, '08:05');
    await childIn(toddlers, dot.id, '07:20', '08:30');
    await childIn(toddlers, dot.id, '09:00');
    await childIn(infants, eve.id, '07:10', '09:00');
    await db('children').where({ id: eve.id }).update({ archived_at: local('09:05') });
    await childIn(preschool, gus.id, '07:30');
    await childIn(preschool, hal.id, '07:40');
    await childIn(toddlers, ivy.id, '07:45', '09:10');
    await personIn(infants, day.maya.id, '06:55');
    await personIn(toddlers, teacher.id, '07:00');
    await personIn(infants, volunteer.id, '07:30', '08:00');
    await personIn(preschool, volunteer.id, '08:00');

    // The plan: shifts with breaks from the templates, then a second break, a cancelled shift and one added for the day.
    await template(infants, day.maya.id, '07:00', '15:00', '11:00', '11:30');
    await template(toddlers, teacher.id, '07:00', '17:00', '12:00', '12:45');
    await template(preschool, volunteer.id, '08:00', '12:00');
    await ensureDayPlan(db, seeded.center, DAY, at('06:00'));
    const teachers = await db('shifts').where({ person_id: teacher.id, day: DAY }).first('id');
    await db('shift_breaks').insert({ id: newId(), shift_id: teachers.id, starts_at: local('15:00'), ends_at: local('15:15') });
    const shift = (personId: string, room: Room, from: string, to: string, cancelled: boolean) => ({
      id: newId(), center_id: seeded.center.id, room_id: room.id, person_id: personId, day: DAY, starts_at: local(from), ends_at: local(to), source: 'plan',
      cover_request_id: null, created_at: local('06:00'), created_by_user_id: null, cancelled_at: cancelled ? local('06:30') : null, cancelled_by_user_id: null,
    });
    await db('shifts').insert([shift(volunteer.id, infants, '09:00', '12:00', true), shift(volunteer.id, infants, '14:30', '18:00', false)]);
    await insertRoomNap(db, { centerId: seeded.center.id, roomId: infants.id, start: '12:00', end: '14:00' }, SETUP);
    await insertRoomNap(db, { centerId: seeded.center.id, roomId: toddlers.id, start: '15:00', end: '15:30' }, SETUP);
    await insertRoomNap(db, { centerId: seeded.center.id, roomId: toddlers.id, start: '12:30', end: '14:30' }, SETUP);

    // Rooms set up at the same moment come by name.
    const rooms = [infants, preschool, toddlers];
    // The forecasts above read the center's kept setup rows (db/center-setup.ts); these read the tables (a
    // transaction is never answered rows kept before an audited write of setup rows it made).
    const rollBack = new Error('roll back');
    const fromTables = async (now: Date, roomIds?: string[]) => {
      let forecast: Awaited<ReturnType<typeof forecastCenter>> | undefined;
      await db
        .transaction(async (trx) => {
          // An audited write of setup rows in this transaction (rolled back): nothing kept before it is answered here.
          await appendAudit(trx, { at: now, organizationId: seeded.organization.id, centerId: seeded.center.id, action: 'room.touched', recordType: 'room' });
          forecast = await forecastCenter(trx, seeded.center, now, roomIds ? { roomIds } : {});
          throw rollBack;
        })
        .catch((err: unknown) => {
          if (err !== rollBack) throw err;
        });
      return forecast!;
    };
    for (const now of ['09:30', '12:40', '14:50', '19:30'].map(at)) {
      const whole = await forecastCenter(db, seeded.center, now);
      expect([...whole.rooms.keys()]).toEqual(rooms.map((r) => r.id));
      const wholeFromTables = await fromTables(now);
      for (const room of rooms) {
        const alone = await forecastCenter(db, seeded.center, now, { roomIds: [room.id] });
        expect([...alone.rooms.keys()]).toEqual([room.id]);
        expect(viewOf(alone.rooms.get(room.id)), `${room.name} at ${now.toISOString()}`).toEqual(viewOf(whole.rooms.get(room.id)));
        expect(viewOf((await fromTables(now, [room.id])).rooms.get(room.id)), `${room.name} from the tables`).toEqual(viewOf(whole.rooms.get(room.id)));
        expect(viewOf(wholeFromTables.rooms.get(room.id))).toEqual(viewOf(whole.rooms.get(room.id)));
      }
      const two = await forecastCenter(db, seeded.center, now, { roomIds: [toddlers.id, infants.id] });
      expect([...two.rooms.keys()]).toEqual([infants.id, toddlers.id]);
      for (const room of [infants, toddlers]) expect(viewOf(two.rooms.get(room.id))).toEqual(viewOf(whole.rooms.get(room.id)));
    }

    // The data reaches each room as it should: the archived Eve's presence counts, Hal is in Preschool, Ada in Toddlers only.
    const noon = await forecastCenter(db, seeded.center, at('12:40'), { roomIds: [infants.id] });
    const inInfants = noon.rooms.get(infants.id)!.input;
    expect(inInfants.children.map((c) => c.child.displayName)).toEqual(['Eve E.', 'Ben B.', 'Cai C.']);
    expect(inInfants.people.map((p) => p.person.id).sort()).toEqual([day.maya.id, volunteer.id].sort());
    expect(inInfants.naps.map((n) => `${n.start}–${n.end}`)).toEqual(['12:00–14:00']);
    const inPreschool = (await forecastCenter(db, seeded.center, at('12:40'), { roomIds: [preschool.id] })).rooms.get(preschool.id)!;
    expect(inPreschool.input.children.map((c) => c.child.displayName)).toEqual(['Gus G.', 'Hal H.']);
  });

  it('does not expect at home a child checked in to another room today, in the home room forecast alone as in the whole center', async () => {
    const { infants, toddlers } = seeded.rooms;
    const { ada } = day.children;
    // Ada is at home in Infants, expected 07:30–16:00, and was checked in to Toddlers at 08:00.
    await schedule(ada.id, '07:30', '16:00');
    await template(infants, day.maya.id, '07:00', '17:00');
    await personIn(infants, day.maya.id, '07:00');
    await childIn(toddlers, ada.id, '08:00');
    const now = at('09:00');

    const whole = await forecastCenter(db, seeded.center, now);
    const infantsAlone = (await forecastCenter(db, seeded.center, now, { roomIds: [infants.id] })).rooms.get(infants.id)!;
    expect(infantsAlone.input.children.map((c) => c.child.id)).not.toContain(ada.id);
    expect(infantsAlone.forecast.intervals.every((i) => i.children === 0)).toBe(true);
    expect(infantsAlone.nextChange).toBe(`${day.maya.displayName} leaves 17:00`);
    expect(viewOf(infantsAlone)).toEqual(viewOf(whole.rooms.get(infants.id)));

    const toddlersAlone = (await forecastCenter(db, seeded.center, now, { roomIds: [toddlers.id] })).rooms.get(toddlers.id)!;
    expect(toddlersAlone.input.children.map((c) => c.child.id)).toEqual([ada.id]);
    expect(toddlersAlone.input.roomDay.children[0]).toMatchObject({ checkedInAt: Date.parse(local('08:00')), checkedOutAt: null, depart: Date.parse(local('16:00')) });
    expect(viewOf(toddlersAlone)).toEqual(viewOf(whole.rooms.get(toddlers.id)));

    // Checked out of Toddlers at 10:00: seen today, so still not expected back at home.
    await db('child_presences').where({ child_id: ada.id }).update({ ended_at: local('10:00') });
    const later = (await forecastCenter(db, seeded.center, at('10:30'), { roomIds: [infants.id] })).rooms.get(infants.id)!;
    expect(later.input.children).toEqual([]);
    expect(viewOf(later)).toEqual(viewOf((await forecastCenter(db, seeded.center, at('10:30'))).rooms.get(infants.id)));
  });

  it("reads only the room's own children (and those checked in to it), not the whole center's", async () => {
    const rooms: Room[] = [seeded.rooms.infants, seeded.rooms.toddlers];
    for (const name of ['Room 3', 'Room 4', 'Room 5']) rooms.push(await createRoom(db, { centerId: seeded.center.id, name, ageCategories: ['preschooler'], licensedCapacity: 40, at: SETUP }));
    // 200 children, 40 a room, each expected 07:30–16:30 and most checked in at 08:00.
    const children: Record<string, unknown>[] = [];
    const schedules: Record<string, unknown>[] = [];
    const presences: Record<string, unknown>[] = [];
    rooms.forEach((room, r) => {
      for (let i = 0; i < 40; i++) {
        const id = newId();
        children.push({ id, center_id: seeded.center.id, display_name: `Child ${r}-${i}`, birth_date: '2022-04-01', attends_kindergarten: false, home_room_id: room.id, archived_at: null, created_at: SETUP.toISOString() });
        schedules.push({ id: newId(), child_id: id, weekday: 1, arrive: '07:30', depart: '16:30' });
        if (i % 4 !== 0) presences.push({ id: newId(), center_id: seeded.center.id, room_id: room.id, child_id: id, started_at: local('08:00'), ended_at: null });
      }
    });
    for (const [table, rows] of Object.entries({ children, child_schedules: schedules, child_presences: presences })) await db.batchInsert(table, rows, 50);
    const room3 = rooms[2]!;
    // One child of Room 4 visits Room 3.
    const visitor = children[3 * 40 + 0]!.id as string;
    await childIn(room3, visitor, '08:30');
    const now = at('09:00');

    const read: { sql: string; rows: number }[] = [];
    const listen = (response: unknown, q: { sql: string }) => read.push({ sql: q.sql, rows: Array.isArray(response) ? response.length : 0 });
    db.on('query-response', listen);
    try {
      const whole = await forecastCenter(db, seeded.center, now);
      const wholeRead = read.splice(0);
      const alone = await forecastCenter(db, seeded.center, now, { roomIds: [room3.id] });
      db.off('query-response', listen);

      // The whole center reads every child (so the count is seen); the room alone reads none, on either engine: the
      // whole center's read left the setup rows kept (db/center-setup.ts), and a forecast writes nothing (no day plan
      // made, issue #18) that would move the heads they were read under.
      // The query whose own table is children (not a subquery inside another).
      const childRows = (rs: typeof read) => rs.filter((r) => /^select [^(]*? from [`"]children[`"]/i.test(r.sql)).map((r) => r.rows);
      expect(Math.max(...childRows(wholeRead))).toBeGreaterThanOrEqual(200 + SEED_CHILDREN);
      expect(childRows(read)).toEqual([]);
      expect(Math.max(...read.map((r) => r.rows))).toBeLessThanOrEqual(41);
      expect(read.reduce((n, r) => n + r.rows, 0)).toBeLessThan(150);
      expect(read.length).toBeLessThanOrEqual(wholeRead.length);
      expect(viewOf(alone.rooms.get(room3.id))).toEqual(viewOf(whole.rooms.get(room3.id)));
      expect(alone.rooms.get(room3.id)!.input.children).toHaveLength(41);
    } finally {
      db.off('query-response', listen);
    }
  });
});
