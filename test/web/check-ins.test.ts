import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listOpenPresences } from '../../src/db/presences.js';
import { createApp, type Deps } from '../../src/web/app.js';
import { signInAs, type Agent } from '../support/agent.js';
import { seedCenter, type SeededCenter } from '../support/builders.js';
import { seedRoomDay, type SeededDay } from '../support/day.js';
import { testDeps, type TestClock } from '../support/deps.js';

// 06:45 in Chicago.
const MORNING = '2026-03-02T12:45:00Z';

let deps: Deps;
let clock: TestClock;
let app: ReturnType<typeof createApp>;
let seeded: SeededCenter;
let day: SeededDay;
let staff: Agent;
let destroy: () => Promise<void>;

beforeEach(async () => {
  const t = await testDeps(MORNING);
  ({ deps, clock, destroy } = t);
  app = createApp(deps);
  seeded = await seedCenter(deps.db);
  day = await seedRoomDay(deps.db, seeded);
  staff = await signInAs(app, seeded.users.staff);
});
afterEach(() => destroy());

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

describe('POST /centers/:centerId/rooms/:roomId/check-ins', () => {
  it('opens a presence, audits it, records the status and sends the teacher back to the room page with a message', async () => {
    const res = await checkIn('infants', day.children.ada.id);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(roomPath('infants'));
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

  it('answers JSON to a JSON request: 201, then 409 with the message', async () => {
    const csrf = await staff.csrf();
    const ok = await staff.post(roomPath('infants', 'check-ins')).set('Accept', 'application/json').set('X-CSRF-Token', csrf).send({ childId: day.children.ada.id });
    expect(ok.status).toBe(201);
    const again = await staff.post(roomPath('infants', 'check-ins')).set('Accept', 'application/json').set('X-CSRF-Token', csrf).send({ childId: day.children.ada.id });
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
    expect((await staff.get(roomPath('infants'))).text).toContain('Ada A. checked out of Infants.');
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
    expect(res.headers.location).toBe(roomPath('infants'));
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
    expect(res.headers.location).toBe(roomPath('infants'));
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

  it('lets a volunteer start and end only their own time', async () => {
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

  it('shows a volunteer not in the room only the button to start, and the room’s children once present', async () => {
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
