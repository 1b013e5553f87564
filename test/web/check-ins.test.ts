import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setAvailableToday, replaceAvailabilityWindows } from '../../src/db/availability.js';
import { createChild } from '../../src/db/children.js';
import { createPerson } from '../../src/db/people.js';
import { listOpenPresences } from '../../src/db/presences.js';
import { newId } from '../../src/db/rows.js';
import { insertShiftTemplate } from '../../src/db/shift-templates.js';
import type { Deps } from '../../src/web/app.js';
import { signInAs, type Agent } from '../support/agent.js';
import { seedCenter, type SeededCenter } from '../support/builders.js';
import { writeAudited } from '../support/audited.js';
import { seedRoomDay, type SeededDay } from '../support/day.js';
import type { TestClock } from '../support/deps.js';
import { seededApp, type App } from '../support/seeded-app.js';

// 06:45 in Chicago.
const MORNING = '2026-03-02T12:45:00Z';

let deps: Deps;
let clock: TestClock;
let app: App;
let seeded: SeededCenter;
let day: SeededDay;
let staff: Agent;
let close: () => Promise<void>;

beforeEach(async () => {
  ({ deps, clock, app, seeded, day, close, agents: { staff } } = await seededApp({ at: MORNING, day: true, agents: ['staff'] }));
});
afterEach(() => close());

const roomPath = (room: 'infants' | 'toddlers', what = '') => `/centers/${seeded.center.id}/rooms/${seeded.rooms[room].id}${what ? `/${what}` : ''}`;
const openChildren = (room: 'infants' | 'toddlers') => listOpenPresences(deps.db, 'child', seeded.rooms[room].id);
const openPeople = (room: 'infants' | 'toddlers') => listOpenPresences(deps.db, 'person', seeded.rooms[room].id);
const count = async (table: string) => Number(((await deps.db(table).count({ n: '*' }).first()) as { n: number | string }).n);
/** Rows of the tables a write could touch, to show a refused write stored nothing. */
const footprint = async () =>
  Object.fromEntries(
    await Promise.all(
      ['child_presences', 'person_presences', 'handoff_notes', 'headcount_checks', 'room_activities', 'room_status_history', 'audit_log'].map(
        async (t) => [t, JSON.stringify(await deps.db(t).select().orderBy(t === 'audit_log' ? 'id' : 'id'))] as const,
      ),
    ),
  );

async function checkIn(room: 'infants' | 'toddlers', childId: string, agent = staff) {
  return agent.submit(roomPath(room, 'check-ins'), { childId });
}

/** A planned shift of the person in the room on Monday 2 March, `HH:mm` in Chicago (UTC-6); `cover` as an accepted cover is stored. */
async function planShift(personId: string, room: 'infants' | 'toddlers', start: string, end: string, source: 'plan' | 'cover' = 'plan') {
  const utc = (hhmm: string) => new Date(`2026-03-02T${hhmm}:00-06:00`).toISOString();
  const id = newId();
  await deps.db('shifts').insert({ id, center_id: seeded.center.id, room_id: seeded.rooms[room].id, person_id: personId, day: '2026-03-02', starts_at: utc(start), ends_at: utc(end), source, created_at: clock.now().toISOString() });
  return id;
}

/** A presence written as it stood before the rules (or before a study was found out): not through the app. */
async function placeDirectly(subject: 'person' | 'child', id: string, room: 'infants' | 'toddlers') {
  await deps.db(`${subject}_presences`).insert({ id: newId(), center_id: seeded.center.id, room_id: seeded.rooms[room].id, [`${subject}_id`]: id, started_at: clock.now().toISOString(), ended_at: null });
}

/** `footprint` and the shifts: a refused start records no shift either. */
const footprintWithShifts = async () => ({ ...(await footprint()), shifts: JSON.stringify(await deps.db('shifts').select().orderBy('id')) });

describe('POST /centers/:centerId/rooms/:roomId/check-ins', () => {
  it('opens a presence, audits it, records the status and sends the teacher back to the room page with a message', async () => {
    const res = await checkIn('infants', day.children.ada.id);
    expect(res.status).toBe(303);
    // Back at the child's row, not the top of the page.
    expect(res.headers.location).toBe(`${roomPath('infants')}#child-${day.children.ada.id}`);
    const open = await openChildren('infants');
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ subjectId: day.children.ada.id, startedAt: '2026-03-02T12:45:00.000Z', endedAt: null });
    expect(await deps.db('audit_log').where({ action: 'child_presence.opened' }).first()).toMatchObject({ record_id: open[0]!.id, actor_user_id: seeded.users.staff.id });
    // One infant and nobody counted: out of ratio, with the cause in words and no child's name.
    expect(await deps.db('room_status_history').where({ room_id: seeded.rooms.infants.id }).whereNull('ended_at').first()).toMatchObject({
      status: 'out_of_ratio',
      cause: 'child checked in',
      children: 1,
      counted_staff: 0,
      required_staff: 1,
    });
    const page = await staff.get(roomPath('infants'));
    expect(page.text).toContain('Ada A. checked in to Infants.');
    expect(page.text).toContain('Here since 06:45');
  });

  it('refuses a child already present in another room with 409, says where since when, offers the move and stores nothing', async () => {
    await checkIn('toddlers', day.children.ada.id);
    clock.advance(5 * 60_000);
    const before = await footprint();
    const res = await checkIn('infants', day.children.ada.id);
    expect(res.status).toBe(409);
    expect(res.text).toContain('Ada A. is already in Toddlers since 06:45. Move them here instead?');
    expect(res.text).toContain(`action="${roomPath('toddlers', 'child-moves')}"`);
    expect(await footprint()).toEqual(before);
  });

  it('lets only one of two simultaneous check-ins of the same child win', async () => {
    const [a, b] = await Promise.all([checkIn('infants', day.children.ada.id), checkIn('toddlers', day.children.ada.id, await signInAs(app, seeded.users.director))]);
    expect([a.status, b.status].sort()).toEqual([303, 409]);
    expect((await openChildren('infants')).length + (await openChildren('toddlers')).length).toBe(1);
  });

  it('answers 422 with a clear message and stores nothing when no child is chosen', async () => {
    const before = await footprint();
    const res = await staff.submit(roomPath('infants', 'check-ins'), { childId: 'not-an-id' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Choose a child from the list.');
    expect(await footprint()).toEqual(before);
  });

  it('answers 404 for a child of another center, and for a room of another center', async () => {
    const other = await seedCenter(deps.db);
    const otherDay = await seedRoomDay(deps.db, other);
    expect((await checkIn('infants', otherDay.children.ada.id)).status).toBe(404);
    const res = await staff.submit(`/centers/${seeded.center.id}/rooms/${other.rooms.infants.id}/check-ins`, { childId: day.children.ada.id });
    expect(res.status).toBe(404);
    expect(await count('child_presences')).toBe(0);
  });

  it('answers JSON to a JSON request: 201, a double tap as done, then 409 with the message', async () => {
    const csrf = await staff.csrf();
    const post = () => staff.post(roomPath('infants', 'check-ins')).set('Accept', 'application/json').set('X-CSRF-Token', csrf).send({ childId: day.children.ada.id });
    const ok = await post();
    expect(ok.status).toBe(201);
    // The same tap again within seconds (a double tap, a retry): done, not an error, and nothing more stored.
    clock.advance(3_000);
    const repeat = await post();
    expect(repeat.status).toBe(200);
    expect(repeat.body).toEqual({ message: 'Ada A. checked in to Infants.' });
    expect(await count('child_presences')).toBe(1);
    clock.advance(20_000);
    const again = await post();
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ error: 'Ada A. is already in Infants since 06:45.', offer: null });
  });

  it('does not let a volunteer check children in', async () => {
    const volunteer = await signInAs(app, seeded.users.volunteer);
    expect((await checkIn('infants', day.children.ada.id, volunteer)).status).toBe(403);
    expect(await count('child_presences')).toBe(0);
  });
});

describe('POST /centers/:centerId/rooms/:roomId/check-outs', () => {
  it('ends the open presence at now', async () => {
    await checkIn('infants', day.children.ada.id);
    clock.advance(8 * 60 * 60_000); // 14:45
    const res = await staff.submit(roomPath('infants', 'check-outs'), { childId: day.children.ada.id });
    expect(res.status).toBe(303);
    expect(await openChildren('infants')).toHaveLength(0);
    expect(await deps.db('child_presences').first()).toMatchObject({ ended_at: '2026-03-02T20:45:00.000Z', ended_by_user_id: seeded.users.staff.id });
    const page = (await staff.get(roomPath('infants'))).text;
    expect(page).toContain('Ada A. checked out of Infants.');
    // The list: here, then expected (not in yet), then gone home today, each saying so.
    expect(page).toContain('Checked out at 14:45');
    expect(page.indexOf('Not checked in yet')).toBeGreaterThan(0);
    expect(page.indexOf('Not checked in yet')).toBeLessThan(page.indexOf('Checked out at 14:45'));
  });

  it('refuses a child already checked out: "Already checked out at 14:45."', async () => {
    await checkIn('infants', day.children.ada.id);
    clock.advance(8 * 60 * 60_000);
    await staff.submit(roomPath('infants', 'check-outs'), { childId: day.children.ada.id });
    clock.advance(20 * 60_000);
    const before = await footprint();
    const res = await staff.submit(roomPath('infants', 'check-outs'), { childId: day.children.ada.id });
    expect(res.status).toBe(409);
    expect(res.text).toContain('Already checked out at 14:45.');
    expect(await footprint()).toEqual(before);
  });

  it('refuses a child who is in another room, naming it', async () => {
    await checkIn('toddlers', day.children.ada.id);
    const res = await staff.submit(roomPath('infants', 'check-outs'), { childId: day.children.ada.id });
    expect(res.status).toBe(409);
    expect(res.text).toContain('Ada A. is in Toddlers since 06:45, not in Infants.');
    expect(await openChildren('toddlers')).toHaveLength(1);
  });

  it('answers 422 and stores nothing without a child', async () => {
    const before = await footprint();
    const res = await staff.submit(roomPath('infants', 'check-outs'), {});
    expect(res.status).toBe(422);
    expect(res.text).toContain('Choose a child from the list.');
    expect(await footprint()).toEqual(before);
  });
});

describe('POST /centers/:centerId/rooms/:roomId/child-moves', () => {
  it('ends the old presence and opens the new one at the same instant, in one action', async () => {
    await checkIn('infants', day.children.dot.id);
    clock.advance(30 * 60_000);
    const res = await staff.submit(roomPath('infants', 'child-moves'), { childId: day.children.dot.id, toRoomId: seeded.rooms.toddlers.id, returnTo: 'from' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`${roomPath('infants')}#child-${day.children.dot.id}`);
    const rows = await deps.db('child_presences').orderBy('started_at');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ room_id: seeded.rooms.infants.id, ended_at: '2026-03-02T13:15:00.000Z' });
    expect(rows[1]).toMatchObject({ room_id: seeded.rooms.toddlers.id, started_at: '2026-03-02T13:15:00.000Z', ended_at: null });
    const causes = await deps.db('room_status_history').whereNull('ended_at').orderBy('room_id').select('room_id', 'cause');
    expect(causes.map((c) => c.cause)).toEqual(['child moved from Infants to Toddlers', 'child moved from Infants to Toddlers']);
  });

  it('refuses to move a child who is not in the room, and keeps the presence', async () => {
    await checkIn('toddlers', day.children.dot.id);
    const before = await footprint();
    const res = await staff.submit(roomPath('infants', 'child-moves'), { childId: day.children.dot.id, toRoomId: seeded.rooms.toddlers.id });
    expect(res.status).toBe(409);
    expect(await footprint()).toEqual(before);
  });

  it('answers 422 for a room that is not one of the center', async () => {
    const other = await seedCenter(deps.db);
    await checkIn('infants', day.children.dot.id);
    const before = await footprint();
    const res = await staff.submit(roomPath('infants', 'child-moves'), { childId: day.children.dot.id, toRoomId: other.rooms.toddlers.id });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Choose one of the rooms listed.');
    expect(await footprint()).toEqual(before);
  });
});

describe('POST /centers/:centerId/rooms/:roomId/arrivals, departures and person-moves', () => {
  it('starts a person in the room and shows the handoff notes for that room at the top', async () => {
    await staff.submit(roomPath('infants', 'handoff-notes'), { body: 'Cai is napping since 6:30.' });
    const res = await staff.submit(roomPath('infants', 'arrivals'), { personId: seeded.people.teacher.id });
    expect(res.status).toBe(303);
    expect(await openPeople('infants')).toHaveLength(1);
    const page = await staff.get(roomPath('infants'));
    const notesAt = page.text.indexOf('Handoff notes for Infants');
    expect(notesAt).toBeGreaterThan(0);
    expect(notesAt).toBeLessThan(page.text.indexOf('class="room-card'));
    expect(page.text).toContain('Cai is napping since 6:30.');
  });

  it('refuses a person present in another room: "… is already in Toddlers since 06:45. Move them here instead?"', async () => {
    await staff.submit(roomPath('toddlers', 'arrivals'), { personId: day.maya.id });
    clock.advance(60_000);
    const before = await footprint();
    const res = await staff.submit(roomPath('infants', 'arrivals'), { personId: day.maya.id });
    expect(res.status).toBe(409);
    expect(res.text).toContain(`${day.maya.displayName} is already in Toddlers since 06:45. Move them here instead?`);
    expect(res.text).toContain(`action="${roomPath('toddlers', 'person-moves')}"`);
    expect(await footprint()).toEqual(before);
  });

  it('moves a person in one transaction and shows the new room its notes', async () => {
    await staff.submit(roomPath('infants', 'handoff-notes'), { body: 'Bottle for Ben at 9:00.' });
    await staff.submit(roomPath('toddlers', 'arrivals'), { personId: day.maya.id });
    clock.advance(10 * 60_000);
    const res = await staff.submit(roomPath('toddlers', 'person-moves'), { personId: day.maya.id, toRoomId: seeded.rooms.infants.id });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`${roomPath('infants')}#person-${day.maya.id}`);
    expect(await openPeople('toddlers')).toHaveLength(0);
    expect(await openPeople('infants')).toHaveLength(1);
    const page = await staff.get(roomPath('infants'));
    expect(page.text).toContain('Handoff notes for Infants');
    expect(page.text).toContain('Bottle for Ben at 9:00.');
  });

  it('ends a person’s time, and refuses to end it again', async () => {
    await staff.submit(roomPath('infants', 'arrivals'), { personId: day.maya.id });
    clock.advance(60 * 60_000);
    expect((await staff.submit(roomPath('infants', 'departures'), { personId: day.maya.id })).status).toBe(303);
    // A double tap is answered as done.
    const repeat = await staff.submit(roomPath('infants', 'departures'), { personId: day.maya.id });
    expect(repeat.status).toBe(303);
    expect((await staff.get(roomPath('infants'))).text).toContain(`${day.maya.displayName} left Infants.`);
    clock.advance(60_000);
    const res = await staff.submit(roomPath('infants', 'departures'), { personId: day.maya.id });
    expect(res.status).toBe(409);
    expect(res.text).toContain(`${day.maya.displayName} already left at 07:45.`);
  });

  it('records the person in the status history cause, never a child', async () => {
    await checkIn('infants', day.children.ada.id);
    await staff.submit(roomPath('infants', 'arrivals'), { personId: day.maya.id });
    const open = await deps.db('room_status_history').where({ room_id: seeded.rooms.infants.id }).whereNull('ended_at').first();
    expect(open).toMatchObject({ status: 'ok', cause: `Teacher ${day.maya.displayName} arrived`, counted_staff: 1 });
  });

  it('lets a volunteer start (within their shift) and end only their own time', async () => {
    await planShift(seeded.people.volunteer.id, 'infants', '06:30', '12:00');
    const volunteer = await signInAs(app, seeded.users.volunteer);
    expect((await volunteer.submit(roomPath('infants', 'arrivals'), { personId: day.maya.id })).status).toBe(403);
    expect(await count('person_presences')).toBe(0);
    expect((await volunteer.submit(roomPath('infants', 'arrivals'), { personId: seeded.people.volunteer.id })).status).toBe(303);
    expect((await volunteer.submit(roomPath('infants', 'departures'), { personId: seeded.people.volunteer.id })).status).toBe(303);
  });

  it('answers 422 without a person and 404 for a person of another center', async () => {
    const other = await seedCenter(deps.db);
    const before = await footprint();
    expect((await staff.submit(roomPath('infants', 'arrivals'), { personId: '' })).status).toBe(422);
    expect((await staff.submit(roomPath('infants', 'arrivals'), { personId: other.people.teacher.id })).status).toBe(404);
    expect(await footprint()).toEqual(before);
  });
});

describe('POST /centers/:centerId/rooms/:roomId/handoff-notes', () => {
  it('keeps a note for today, with its author', async () => {
    expect((await staff.submit(roomPath('infants', 'handoff-notes'), { body: '  Watch Ada: egg allergy.  ' })).status).toBe(303);
    expect(await deps.db('handoff_notes').first()).toMatchObject({ day: '2026-03-02', body: 'Watch Ada: egg allergy.', author_user_id: seeded.users.staff.id });
    // The audit log says a note was written, not what it says.
    expect((await deps.db('audit_log').where({ action: 'handoff_note.created' }).first()).changes).not.toContain('allergy');
  });

  it('answers 422 for an empty note and for one longer than 280 characters, keeping what was typed', async () => {
    const before = await footprint();
    const empty = await staff.submit(roomPath('infants', 'handoff-notes'), { body: '   ' });
    expect(empty.status).toBe(422);
    expect(empty.text).toContain('Write the note.');
    const long = await staff.submit(roomPath('infants', 'handoff-notes'), { body: 'x'.repeat(281) });
    expect(long.status).toBe(422);
    expect(long.text).toContain('Keep a note to 280 characters.');
    expect(long.text).toContain('x'.repeat(281));
    expect(await footprint()).toEqual(before);
  });
});

describe('POST /centers/:centerId/rooms/:roomId/headcounts and /centers/:centerId/headcounts/:checkId/resolution', () => {
  it('keeps a matching count as resolved, and flags a different one on the board until resolved', async () => {
    await checkIn('infants', day.children.ada.id);
    await checkIn('infants', day.children.ben.id);
    expect((await staff.submit(roomPath('infants', 'headcounts'), { counted: '2' })).status).toBe(303);
    clock.advance(60_000);
    expect((await staff.submit(roomPath('infants', 'headcounts'), { counted: '3' })).status).toBe(303);
    const checks = await deps.db('headcount_checks').orderBy('at');
    expect(checks.map((c) => [c.counted, c.expected, c.recorded_by_user_id, c.resolved_at === null])).toEqual([
      [2, 2, seeded.users.staff.id, false],
      [3, 2, seeded.users.staff.id, true],
    ]);
    const board = await staff.get(`/centers/${seeded.center.id}/board`);
    expect(board.text).toContain('Headcount mismatch.');
    expect(board.text).toContain('Headcount at 06:46: 3 counted, 2 on the list');

    const resolve = `/centers/${seeded.center.id}/headcounts/${checks[1].id}/resolution`;
    expect((await staff.submit(resolve)).status).toBe(303);
    expect((await staff.get(`/centers/${seeded.center.id}/board`)).text).not.toContain('Headcount mismatch.');
    clock.advance(60_000);
    const again = await staff.submit(resolve);
    expect(again.status).toBe(409);
    expect(again.text).toContain('Already resolved at 06:46.');
  });

  it('answers 422 for a count that is not a whole number and stores nothing', async () => {
    const before = await footprint();
    const res = await staff.submit(roomPath('infants', 'headcounts'), { counted: 'twelve' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Enter the number of children you counted, as a whole number (for example 12).');
    expect(await footprint()).toEqual(before);
  });

  it('answers 404 for a check of another center', async () => {
    const other = await seedCenter(deps.db);
    const otherStaff = await signInAs(app, other.users.staff);
    await otherStaff.submit(`/centers/${other.center.id}/rooms/${other.rooms.infants.id}/headcounts`, { counted: '1' });
    const check = await deps.db('headcount_checks').where({ center_id: other.center.id }).first();
    expect((await staff.submit(`/centers/${seeded.center.id}/headcounts/${check.id}/resolution`)).status).toBe(404);
  });
});

describe('POST /centers/:centerId/rooms/:roomId/activity', () => {
  it('marks the room outdoors from now, lifting the group-size limit, and records the cause', async () => {
    expect((await staff.submit(roomPath('infants', 'activity'), { activity: 'outdoor' })).status).toBe(303);
    expect(await deps.db('room_activities').whereNull('ended_at').first()).toMatchObject({ room_id: seeded.rooms.infants.id, activity: 'outdoor' });
    expect(await deps.db('room_status_history').where({ room_id: seeded.rooms.infants.id }).first()).toMatchObject({ cause: 'activity: outdoors' });
    clock.advance(60_000);
    expect((await staff.submit(roomPath('infants', 'activity'), { activity: 'normal' })).status).toBe(303);
    expect(await deps.db('room_activities').whereNull('ended_at')).toHaveLength(0);
  });

  it('answers 422 for an activity the packs do not know and stores nothing', async () => {
    const before = await footprint();
    const res = await staff.submit(roomPath('infants', 'activity'), { activity: 'disco' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Choose one of the activities listed.');
    expect(await footprint()).toEqual(before);
  });
});

describe('GET /centers/:centerId/rooms/:roomId', () => {
  it('shows staff the home room’s children with one tap to check each in', async () => {
    const res = await staff.get(roomPath('infants'));
    expect(res.status).toBe(200);
    for (const name of ['Ada A.', 'Ben B.', 'Cai C.']) expect(res.text).toContain(name);
    expect(res.text).not.toContain('Dot D.');
    expect(res.text.match(/>Check in</g)).toHaveLength(3);
  });

  it('shows a volunteer with a shift here but not in the room only the button to start, and the room’s children once present', async () => {
    await planShift(seeded.people.volunteer.id, 'infants', '06:30', '12:00');
    await checkIn('infants', day.children.ada.id);
    const volunteer = await signInAs(app, seeded.users.volunteer);
    const outside = await volunteer.get(roomPath('infants'));
    expect(outside.status).toBe(200);
    expect(outside.text).toContain('Start my time in Infants');
    expect(outside.text).not.toContain('Ada A.');
    expect(outside.text).not.toContain('Ben B.');
    await volunteer.submit(roomPath('infants', 'arrivals'), { personId: seeded.people.volunteer.id });
    const inside = await volunteer.get(roomPath('infants'));
    expect(inside.text).toContain('Ada A.');
    // Children present only: not the home room's list, and no buttons for children.
    expect(inside.text).not.toContain('Ben B.');
    expect(inside.text).not.toContain('>Check in<');
    expect(inside.text).toContain('End my time in Infants');
  });

  it('answers 404 for a room of another center', async () => {
    const other = await seedCenter(deps.db);
    expect((await staff.get(`/centers/${seeded.center.id}/rooms/${other.rooms.infants.id}`)).status).toBe(404);
  });
});

describe('starting a person’s time: only the right people in a room', () => {
  const person = (displayName: string, backgroundStudy: 'not_started' | 'submitted' | 'disqualified', role = 'aide') =>
    createPerson(deps.db, { centerId: seeded.center.id, displayName, role, adultAttested: true, backgroundStudy, at: clock.now() });

  it('refuses to start a person whose background study is disqualified, with 409, the reason and the pack’s citation, and stores nothing', async () => {
    const carl = await person('Carl Mendez', 'disqualified', 'volunteer');
    const before = await footprintWithShifts();
    const res = await staff.submit(roomPath('infants', 'arrivals'), { personId: carl.id });
    expect(res.status).toBe(409);
    expect(res.text).toContain(
      'Carl Mendez can&#x27;t be started: their background study is disqualified; Minnesota licensed child care centers allow presence with children only once it is cleared (Minn. Stat. 245C.14).',
    );
    expect(await footprintWithShifts()).toEqual(before);
    expect(await deps.db('audit_log').whereIn('action', ['person_presence.opened', 'shift.added'])).toHaveLength(0);
  });

  it('refuses to start a person whose background study is not started, by anyone and by a move, and answers JSON with the error', async () => {
    const ned = await person('Ned Unchecked', 'not_started');
    const director = await signInAs(app, seeded.users.director);
    const csrf = await director.csrf();
    const json = await director.post(roomPath('infants', 'arrivals')).set('Accept', 'application/json').set('X-CSRF-Token', csrf).send({ personId: ned.id });
    expect(json.status).toBe(409);
    expect(json.body.error).toBe(
      'Ned Unchecked can’t be started: their background study is not started; Minnesota licensed child care centers allow presence with children only once it is cleared (Minn. Stat. 245C.13 subd. 2).'.replace('’', "'"),
    );
    // In Toddlers from before the study was looked at: moving them to Infants is starting them there, and refused.
    await placeDirectly('person', ned.id, 'toddlers');
    const before = await footprintWithShifts();
    const moved = await staff.submit(roomPath('toddlers', 'person-moves'), { personId: ned.id, toRoomId: seeded.rooms.infants.id });
    expect(moved.status).toBe(409);
    expect(moved.text).toContain('Ned Unchecked can&#x27;t be started: their background study is not started;');
    expect(await footprintWithShifts()).toEqual(before);
    expect(await openPeople('toddlers')).toHaveLength(1);
  });

  it('starts a person whose study is submitted (supervised only) only while a counted teacher is present, and shows them as supervised', async () => {
    const sue = await person('Sue Pending', 'submitted');
    const before = await footprintWithShifts();
    const alone = await staff.submit(roomPath('infants', 'arrivals'), { personId: sue.id });
    expect(alone.status).toBe(409);
    expect(alone.text).toContain(
      'Sue Pending can&#x27;t be started: their background study is submitted, not cleared; until it is, Minnesota licensed child care centers allow presence with children only under direct supervision by a counted teacher or assistant teacher in the same room, and none is present',
    );
    expect(await footprintWithShifts()).toEqual(before);

    expect((await staff.submit(roomPath('infants', 'arrivals'), { personId: day.maya.id })).status).toBe(303);
    const res = await staff.submit(roomPath('infants', 'arrivals'), { personId: sue.id });
    expect(res.status).toBe(303);
    expect(await openPeople('infants')).toHaveLength(2);
    const page = await staff.get(roomPath('infants'));
    expect(page.text).toContain('Sue Pending started in Infants until 18:00, under direct supervision.');
    expect(page.text).toMatch(/Sue Pending<\/strong>[\s\S]*?\(under direct supervision\)/);
  });

  it('does not count a present teacher who needs supervision herself as a supervisor', async () => {
    // The supervisor must be counted: an aide does not supervise under Minnesota's pack.
    const sue = await person('Sue Pending', 'submitted');
    const aide = await createPerson(deps.db, { centerId: seeded.center.id, displayName: 'Al Aide', role: 'aide', adultAttested: true, backgroundStudy: 'cleared', at: clock.now() });
    expect((await staff.submit(roomPath('infants', 'arrivals'), { personId: aide.id })).status).toBe(303);
    expect((await staff.submit(roomPath('infants', 'arrivals'), { personId: sue.id })).status).toBe(409);
  });

  it('lets a volunteer start their own time only within an accepted shift or cover of the room; otherwise sends them to the staff and stores nothing', async () => {
    const volunteer = await signInAs(app, seeded.users.volunteer);
    const page = await volunteer.get(roomPath('infants'));
    expect(page.text).toContain('Ask the staff in Infants to start your time.');
    expect(page.text).not.toContain('Start my time in Infants');
    const before = await footprint();
    const res = await volunteer.submit(roomPath('infants', 'arrivals'), { personId: seeded.people.volunteer.id });
    expect(res.status).toBe(409);
    expect(res.text).toContain('Ask the staff in Infants to start your time');
    expect(await count('shifts')).toBe(0);
    // A shift in another room does not open this one.
    await planShift(seeded.people.volunteer.id, 'toddlers', '06:30', '12:00');
    expect((await volunteer.submit(roomPath('infants', 'arrivals'), { personId: seeded.people.volunteer.id })).status).toBe(409);
    expect(await count('shifts')).toBe(1);
    expect(await footprint()).toEqual(before);
  });

  it('lets a volunteer start their own time from 15 minutes before their shift, not 16', async () => {
    await planShift(seeded.people.volunteer.id, 'infants', '07:01', '12:00');
    const volunteer = await signInAs(app, seeded.users.volunteer);
    // 06:45: 16 minutes before.
    expect((await volunteer.submit(roomPath('infants', 'arrivals'), { personId: seeded.people.volunteer.id })).status).toBe(409);
    clock.set('2026-03-02T12:46:00Z'); // 06:46: 15 minutes before
    expect((await volunteer.get(roomPath('infants'))).text).toContain('Start my time in Infants');
    const res = await volunteer.submit(roomPath('infants', 'arrivals'), { personId: seeded.people.volunteer.id });
    expect(res.status).toBe(303);
    // Within a shift, no other shift is recorded.
    expect(await count('shifts')).toBe(1);
  });

  it('lets a volunteer start their own time within a cover they took, and not after it ends', async () => {
    await planShift(seeded.people.volunteer.id, 'infants', '06:00', '06:45', 'cover');
    const volunteer = await signInAs(app, seeded.users.volunteer);
    // The cover ended at 06:45: now.
    expect((await volunteer.submit(roomPath('infants', 'arrivals'), { personId: seeded.people.volunteer.id })).status).toBe(409);
    await planShift(seeded.people.volunteer.id, 'infants', '06:40', '09:00', 'cover');
    expect((await volunteer.get(roomPath('infants'))).text).toContain('06:40–09:00 (cover you took)');
    expect((await volunteer.submit(roomPath('infants', 'arrivals'), { personId: seeded.people.volunteer.id })).status).toBe(303);
  });

  it('lets a volunteer move themselves only into a room where they have a shift now', async () => {
    await planShift(seeded.people.volunteer.id, 'toddlers', '06:30', '12:00');
    const volunteer = await signInAs(app, seeded.users.volunteer);
    expect((await volunteer.submit(roomPath('toddlers', 'arrivals'), { personId: seeded.people.volunteer.id })).status).toBe(303);
    const before = await footprintWithShifts();
    const res = await volunteer.submit(roomPath('toddlers', 'person-moves'), { personId: seeded.people.volunteer.id, toRoomId: seeded.rooms.infants.id });
    expect(res.status).toBe(409);
    expect(res.text).toContain('Ask the staff in Infants to start your time');
    expect(await footprintWithShifts()).toEqual(before);
  });

  it('lets staff start a volunteer with no shift, recording a shift for the until-window', async () => {
    const res = await staff.submit(roomPath('infants', 'arrivals'), { personId: seeded.people.volunteer.id, until: '11:30' });
    expect(res.status).toBe(303);
    expect(await openPeople('infants')).toHaveLength(1);
    expect(await deps.db('shifts').select('person_id', 'room_id', 'starts_at', 'ends_at', 'source')).toEqual([
      { person_id: seeded.people.volunteer.id, room_id: seeded.rooms.infants.id, starts_at: '2026-03-02T12:45:00.000Z', ends_at: '2026-03-02T17:30:00.000Z', source: 'plan' },
    ]);
  });
});

describe('starting a person with no shift in the room: "until when?"', () => {
  const shifts = () => deps.db('shifts').select('person_id', 'room_id', 'day', 'starts_at', 'ends_at', 'source');

  it('records a shift from now to the until-time with the presence, each with its audit entry, in one transaction', async () => {
    const res = await staff.submit(roomPath('infants', 'arrivals'), { personId: day.maya.id, until: '14:30' });
    expect(res.status).toBe(303);
    const [shift] = await deps.db('shifts');
    expect(shift).toMatchObject({ person_id: day.maya.id, room_id: seeded.rooms.infants.id, day: '2026-03-02', starts_at: '2026-03-02T12:45:00.000Z', ends_at: '2026-03-02T20:30:00.000Z', source: 'plan', created_by_user_id: seeded.users.staff.id });
    const added = await deps.db('audit_log').where({ action: 'shift.added' }).first();
    expect(added).toMatchObject({ record_id: shift.id, actor_user_id: seeded.users.staff.id });
    const opened = await deps.db('audit_log').where({ action: 'person_presence.opened' }).first();
    expect(JSON.parse(opened.changes).after).toMatchObject({ shiftId: shift.id });
    expect((await staff.get(roomPath('infants'))).text).toContain(`${day.maya.displayName} started in Infants until 14:30.`);
  });

  it('offers the until field, prefilled, only for people with no shift in the room around now', async () => {
    await planShift(day.maya.id, 'infants', '07:00', '15:00');
    const page = (await staff.get(roomPath('infants'))).text;
    const rowOf = (name: string) => page.slice(page.indexOf(`<strong>${name}</strong>`), page.indexOf('</li>', page.indexOf(`<strong>${name}</strong>`)));
    expect(rowOf(day.maya.displayName)).not.toContain('name="until"');
    // No availability said: the center's closing time.
    expect(rowOf(seeded.people.volunteer.displayName)).toMatch(/name="until" type="time" value="18:00"/);
  });

  it('takes a shift of the weekly templates as a shift before the day’s plan is made, and makes no plan itself', async () => {
    await insertShiftTemplate(deps.db, { centerId: seeded.center.id, personId: seeded.people.volunteer.id, roomId: seeded.rooms.infants.id, weekday: 1, start: '07:00', end: '12:00' }, clock.now());
    const volunteer = await signInAs(app, seeded.users.volunteer);
    expect((await volunteer.submit(roomPath('infants', 'arrivals'), { personId: seeded.people.volunteer.id })).status).toBe(303);
    expect(await count('shifts')).toBe(0);
    expect(await count('day_plans')).toBe(0);
  });

  it('does not ask a person with a shift under way, or starting within 15 minutes, and records no shift', async () => {
    await planShift(day.maya.id, 'infants', '07:00', '15:00');
    expect((await staff.submit(roomPath('infants', 'arrivals'), { personId: day.maya.id })).status).toBe(303);
    expect(await count('shifts')).toBe(1);
  });

  it('defaults a JSON client’s until to the person’s "I can come in today until", else their weekly availability, else closing time', async () => {
    const json = async (personId: string) => {
      const csrf = await staff.csrf();
      return staff.post(roomPath('infants', 'arrivals')).set('Accept', 'application/json').set('X-CSRF-Token', csrf).send({ personId });
    };
    await setAvailableToday(deps.db, seeded.people.volunteer.id, '2026-03-02', '13:15', clock.now());
    await replaceAvailabilityWindows(deps.db, seeded.people.teacher.id, [{ weekday: 1, start: '06:00', end: '12:00' }], clock.now());
    expect((await json(seeded.people.volunteer.id)).status).toBe(201);
    expect((await json(seeded.people.teacher.id)).status).toBe(201);
    expect((await json(day.maya.id)).status).toBe(201);
    const ends = Object.fromEntries((await shifts()).map((s) => [s.person_id, s.ends_at]));
    expect(ends).toEqual({
      [seeded.people.volunteer.id]: '2026-03-02T19:15:00.000Z',
      [seeded.people.teacher.id]: '2026-03-02T18:00:00.000Z',
      [day.maya.id]: '2026-03-03T00:00:00.000Z',
    });
  });

  it('answers 422 to an until that is not a time, not after now, or past midnight, with the message next to the field, and stores nothing', async () => {
    const before = await footprintWithShifts();
    const bad = await staff.submit(roomPath('infants', 'arrivals'), { personId: day.maya.id, until: 'noon' });
    expect(bad.status).toBe(422);
    expect(bad.text).toMatch(/name="until" type="time" value="noon" required aria-invalid="true"[^>]*>\s*<p class="error"[^>]*role="alert">Enter until when as a time, for example 15:30.<\/p>/);
    for (const until of ['06:45', '06:00', '24:30']) {
      const res = await staff.submit(roomPath('infants', 'arrivals'), { personId: day.maya.id, until });
      expect(res.status, until).toBe(422);
    }
    const early = await staff.submit(roomPath('infants', 'arrivals'), { personId: day.maya.id, until: '06:00' });
    expect(early.text).toContain('Choose a time after now (06:45) and before midnight.');
    const csrf = await staff.csrf();
    const json = await staff.post(roomPath('infants', 'arrivals')).set('Accept', 'application/json').set('X-CSRF-Token', csrf).send({ personId: day.maya.id, until: '05:00' });
    expect(json.status).toBe(422);
    expect(json.body).toEqual({ error: 'Choose a time after now (06:45) and before midnight.', fields: { until: 'Choose a time after now (06:45) and before midnight.' } });
    expect(await footprintWithShifts()).toEqual(before);
  });

  it('asks until when on a move into a room where the person has no shift, and records it there', async () => {
    await planShift(day.maya.id, 'toddlers', '06:30', '15:00');
    expect((await staff.submit(roomPath('toddlers', 'arrivals'), { personId: day.maya.id })).status).toBe(303);
    const page = (await staff.get(roomPath('infants'))).text;
    const row = page.slice(page.indexOf(`<strong>${day.maya.displayName}</strong>`));
    expect(row.slice(0, row.indexOf('</li>'))).toMatch(/person-moves[\s\S]*name="until" type="time" value="18:00"[\s\S]*Move here/);
    clock.advance(60 * 60_000);
    const res = await staff.submit(roomPath('toddlers', 'person-moves'), { personId: day.maya.id, toRoomId: seeded.rooms.infants.id, until: '09:00' });
    expect(res.status).toBe(303);
    expect(await shifts()).toContainEqual({ person_id: day.maya.id, room_id: seeded.rooms.infants.id, day: '2026-03-02', starts_at: '2026-03-02T13:45:00.000Z', ends_at: '2026-03-02T15:00:00.000Z', source: 'plan' });
  });
});

describe('checking in a child the pack does not allow in care at their age', () => {
  it('refuses a 41-day-old in Minnesota, naming the child, the age and the rule, and stores nothing', async () => {
    const ava = await createChild(deps.db, { centerId: seeded.center.id, displayName: 'Ava K.', birthDate: '2026-01-20', homeRoomId: seeded.rooms.infants.id, at: clock.now() });
    const before = await footprint();
    const res = await checkIn('infants', ava.id);
    expect(res.status).toBe(409);
    expect(res.text).toContain('Ava K. is 5 weeks old; Minnesota licensed child care centers care for infants from 6 weeks (Minn. R. 9503.0005 subp. 2 A; 9503.0065 subp. 1).');
    expect(res.text).not.toContain('checked in to Infants');
    expect(await footprint()).toEqual(before);
    // Moving her in from another room is refused the same way.
    await placeDirectly('child', ava.id, 'toddlers');
    const moved = await staff.submit(roomPath('toddlers', 'child-moves'), { childId: ava.id, toRoomId: seeded.rooms.infants.id });
    expect(moved.status).toBe(409);
    expect(moved.text).toContain('Ava K. is 5 weeks old;');
    expect(await openChildren('infants')).toHaveLength(0);
  });

  it('checks in a child on the day she turns 6 weeks', async () => {
    const leo = await createChild(deps.db, { centerId: seeded.center.id, displayName: 'Leo M.', birthDate: '2026-01-19', homeRoomId: seeded.rooms.infants.id, at: clock.now() });
    expect((await checkIn('infants', leo.id)).status).toBe(303);
  });

  it('refuses a child of 13, older than Minnesota centers care for', async () => {
    const old = await createChild(deps.db, { centerId: seeded.center.id, displayName: 'Tess O.', birthDate: '2013-03-02', attendsKindergarten: true, homeRoomId: seeded.rooms.toddlers.id, at: clock.now() });
    const res = await checkIn('toddlers', old.id);
    expect(res.status).toBe(409);
    expect(res.text).toContain('Tess O. is 13 years old; Minnesota licensed child care centers care for children younger than 13 (');
  });
});

describe('GET /centers/:centerId/rooms/:roomId for a volunteer', () => {
  /** Infants with a child, a handoff note, Maya started (her shift recorded until 18:00) and a disqualified person still in the room. */
  async function busyInfants() {
    await staff.submit(roomPath('infants', 'handoff-notes'), { body: 'Watch Ada: egg allergy.' });
    await checkIn('infants', day.children.ada.id);
    expect((await staff.submit(roomPath('infants', 'arrivals'), { personId: day.maya.id })).status).toBe(303);
    const carl = await createPerson(deps.db, { centerId: seeded.center.id, displayName: 'Carl Mendez', role: 'aide', adultAttested: true, backgroundStudy: 'disqualified', at: clock.now() });
    await placeDirectly('person', carl.id, 'infants');
    // The staff see it all.
    const staffPage = (await staff.get(roomPath('infants'))).text;
    for (const text of ['Ada A.', 'Watch Ada: egg allergy.', day.maya.displayName, 'Carl Mendez']) expect(staffPage).toContain(text);
  }
  const others = () => ['Ada A.', 'Ben B.', 'egg allergy', day.maya.displayName, 'Carl Mendez', 'Must not be here', 'Maya Lopez', 'Next:'];

  it('M1: shows a volunteer not present no one else’s names, notes, background-study outcomes or planned times', async () => {
    await busyInfants();
    const volunteer = await signInAs(app, seeded.users.volunteer);
    const page = await volunteer.get(roomPath('infants'));
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h1>Infants</h1>');
    for (const text of others()) expect(page.text, text).not.toContain(text);
  });

  it('shows a volunteer present in the room its children and notes, and their own shift there', async () => {
    await busyInfants();
    await planShift(seeded.people.volunteer.id, 'infants', '06:30', '12:00');
    const volunteer = await signInAs(app, seeded.users.volunteer);
    expect((await volunteer.get(roomPath('infants'))).text).toContain('Your time in Infants today: 06:30–12:00.');
    expect((await volunteer.submit(roomPath('infants', 'arrivals'), { personId: seeded.people.volunteer.id })).status).toBe(303);
    const page = await volunteer.get(roomPath('infants'));
    expect(page.text).toContain('Ada A.');
    expect(page.text).toContain('Watch Ada: egg allergy.');
    // Still never a colleague's background-study outcome.
    expect(page.text).not.toContain('Must not be here');
    expect(page.text).not.toContain('may not be present with children');
  });

  it('H2: refuses a disqualified volunteer who declares themselves present from home, and shows them no child, note or person', async () => {
    await busyInfants();
    await writeAudited(deps.db, { organizationId: seeded.organization.id, recordType: 'person' }, (trx) => trx('people').where({ id: seeded.people.volunteer.id }).update({ background_study: 'disqualified' }));
    const volunteer = await signInAs(app, seeded.users.volunteer);
    const before = await footprintWithShifts();
    // The attack: the arrivals route with their own person id, no shift, no one in the room to see them.
    const res = await volunteer.submit(roomPath('infants', 'arrivals'), { personId: seeded.people.volunteer.id });
    expect(res.status).toBe(409);
    expect(await footprintWithShifts()).toEqual(before);
    // A shift would not change it: the pack does not allow their presence at all.
    await planShift(seeded.people.volunteer.id, 'infants', '06:30', '12:00');
    const withShift = await volunteer.submit(roomPath('infants', 'arrivals'), { personId: seeded.people.volunteer.id });
    expect(withShift.status).toBe(409);
    expect(withShift.text).toContain('background study is disqualified');
    expect((await openPeople('infants')).map((p) => p.subjectId)).not.toContain(seeded.people.volunteer.id);
    const page = await volunteer.get(roomPath('infants'));
    for (const text of others()) expect(page.text, text).not.toContain(text);
  });

  it('does not open the room to a volunteer whose own presence the pack does not allow', async () => {
    await busyInfants();
    await writeAudited(deps.db, { organizationId: seeded.organization.id, recordType: 'person' }, (trx) => trx('people').where({ id: seeded.people.volunteer.id }).update({ background_study: 'disqualified' }));
    await placeDirectly('person', seeded.people.volunteer.id, 'infants');
    const page = await (await signInAs(app, seeded.users.volunteer)).get(roomPath('infants'));
    expect(page.text).toContain('You are in Infants');
    for (const text of others()) expect(page.text, text).not.toContain(text);
  });

  it('writes nothing on a GET', async () => {
    await busyInfants();
    const volunteer = await signInAs(app, seeded.users.volunteer);
    const before = await footprintWithShifts();
    await volunteer.get(roomPath('infants'));
    await staff.get(roomPath('infants'));
    expect(await footprintWithShifts()).toEqual(before);
  });
});
