import type { Knex } from 'knex';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createChild } from '../../src/db/children.js';
import { createMembership } from '../../src/db/memberships.js';
import { createUser } from '../../src/db/users.js';
import { createPerson } from '../../src/db/people.js';
import { newId } from '../../src/db/rows.js';
import { createTrainingRecord } from '../../src/db/trainings.js';
import { forecastCenter } from '../../src/services/center-forecast.js';
import { signInAs } from '../support/agent.js';
import { seedCenter, type SeededCenter } from '../support/builders.js';
import type { SeededDay } from '../support/day.js';
import type { TestClock } from '../support/deps.js';
import { seededApp, type App } from '../support/seeded-app.js';

/**
 * "What can fix this" (issue #20, the web part): the panel on the room page and the
 * request page, and its actions doing what the panel said. The day, Monday 2 March
 * 2026 in Chicago: five infants 07:00–17:00 need two counted people (Minnesota 1:4);
 * the staff login's teacher stays until 17:00, Maya leaves at 15:00, so Infants needs
 * an aide from 15:00. Toddlers (one toddler) has Ben Carter, a teacher, and the
 * volunteer (an aide), both 07:00–17:00: the volunteer can move over, Ben cannot
 * (Toddlers would be left without a teacher). Jo Nguyen, an aide, says she can come
 * in 14:00–18:00: she can be called in.
 */

let clock: TestClock;
let close: () => Promise<void>;
let app: App;
let home: SeededCenter;
let day: SeededDay;
let db: Knex;
let ben: { id: string };
let jo: { id: string };

const AFTERNOON = '2026-03-02T20:30:00Z'; // 14:30
const at = new Date('2026-03-01T12:00:00Z');
const T = (hhmm: string) => `2026-03-02T${String(Number(hhmm.slice(0, 2)) + 6).padStart(2, '0')}:${hhmm.slice(3)}:00.000Z`;
const shift = (roomId: string, personId: string, start: string, end: string) => ({ id: newId(), center_id: home.center.id, room_id: roomId, person_id: personId, day: '2026-03-02', starts_at: T(start), ends_at: T(end), source: 'plan', cover_request_id: null, created_at: AFTERNOON, created_by_user_id: null, cancelled_at: null, cancelled_by_user_id: null });
const presence = (roomId: string, personId: string) => ({ id: newId(), center_id: home.center.id, room_id: roomId, person_id: personId, started_at: T('07:00'), ended_at: null });
const TRAININGS = ['orientation', 'suid', 'aht', 'first_aid', 'cpr', 'child_development'];

async function trainedPerson(name: string, role: 'teacher' | 'aide') {
  const p = await createPerson(db, { centerId: home.center.id, displayName: name, role, adultAttested: true, backgroundStudy: 'cleared', startedOn: '2025-01-06', at });
  for (const trainingId of TRAININGS) await createTrainingRecord(db, { centerId: home.center.id, personId: p.id, trainingId, completedOn: '2026-01-15', status: 'verified', at });
  return p;
}

beforeEach(async () => {
  const world = await seededApp({ at: AFTERNOON, center: { name: 'Home Center' }, day: true });
  ({ db, clock, app, seeded: home, close } = world);
  day = world.day;
  const eve = await createChild(db, { centerId: home.center.id, displayName: 'Eve E.', birthDate: '2025-10-01', homeRoomId: home.rooms.infants.id, at });
  const fay = await createChild(db, { centerId: home.center.id, displayName: 'Fay F.', birthDate: '2025-08-01', homeRoomId: home.rooms.infants.id, at });
  for (const child of [day.children.ada, day.children.ben, day.children.cai, day.children.dot, eve, fay]) {
    await db('child_schedules').insert({ id: newId(), child_id: child.id, weekday: 1, arrive: '07:00', depart: '17:00' });
  }
  ben = await trainedPerson('Ben Carter', 'teacher');
  jo = await trainedPerson('Jo Nguyen', 'aide');
  await db('availability_windows').insert({ id: newId(), person_id: jo.id, weekday: 1, start: '14:00', end: '18:00', created_at: AFTERNOON });
  const { infants, toddlers } = home.rooms;
  const { teacher, volunteer } = home.people;
  await db('shifts').insert([
    shift(infants.id, teacher.id, '07:00', '17:00'),
    shift(infants.id, day.maya.id, '07:00', '15:00'),
    shift(toddlers.id, ben.id, '07:00', '17:00'),
    shift(toddlers.id, volunteer.id, '07:00', '17:00'),
  ]);
  await db('day_plans').insert({ center_id: home.center.id, day: '2026-03-02', made_at: AFTERNOON });
  await db('person_presences').insert([presence(infants.id, teacher.id), presence(infants.id, day.maya.id), presence(toddlers.id, ben.id), presence(toddlers.id, volunteer.id)]);
});
afterEach(() => close());

const roomPage = (roomId: string) => `/centers/${home.center.id}/rooms/${roomId}`;
const flagOf = async (roomId: string) => (await forecastCenter(db, home.center, clock.now())).rooms.get(roomId)!;
const shiftsOf = async (personId: string) =>
  (await db('shifts').where({ person_id: personId }).whereNull('cancelled_at').orderBy('starts_at')).map((s: { room_id: string; starts_at: string; ends_at: string }) => ({ room: s.room_id, start: s.starts_at, end: s.ends_at }));

/** The hidden fields of the form whose button reads `label`, from a page's HTML. */
function formOf(html: string, label: string): { action: string; fields: Record<string, string> } {
  const forms = [...html.matchAll(/<form method="post" action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)];
  const form = forms.find((f) => f[2]!.includes(`>${label}</button>`));
  if (!form) throw new Error(`no form "${label}"`);
  const fields: Record<string, string> = {};
  for (const m of form[2]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) if (m[1] !== '_csrf') fields[m[1]!] = m[2]!.replaceAll('&gt;', '>').replaceAll('&#x3D;', '=').replaceAll('&amp;', '&');
  return { action: form[1]!.replaceAll('&#x3D;', '='), fields };
}

describe('the "What can fix this" panel', () => {
  it('shows the move, the call-in and who is not offered, labelled by what is true now, on the room page', async () => {
    const director = await signInAs(app, home.users.director);
    const res = await director.get(roomPage(home.rooms.infants.id));
    expect(res.status).toBe(200);
    expect(res.text).toContain('id="what-can-fix-this"');
    expect(res.text).toContain(`Move ${home.people.volunteer.displayName} here`);
    expect(res.text).toContain(`${home.people.volunteer.displayName} from Toddlers, 15:00–17:00; Toddlers stays ok`);
    expect(res.text).toContain('Assign Jo Nguyen');
    // Ben Carter is in Toddlers now and needed there: not offered, with why.
    expect(res.text).toMatch(/<strong>Ben Carter<\/strong>, in Toddlers \(needed there\): Toddlers would breach/);
    expect(res.text).not.toContain('missing');
  });

  it('links the board card\'s flag to the panel', async () => {
    const director = await signInAs(app, home.users.director);
    const res = await director.get(`/centers/${home.center.id}/board`);
    expect(res.text).toContain(`href="/centers/${home.center.id}/rooms/${home.rooms.infants.id}#what-can-fix-this"`);
  });

  it('shows no action buttons to staff, and nothing of the panel to a volunteer', async () => {
    const staff = await signInAs(app, home.users.staff);
    const page = await staff.get(roomPage(home.rooms.infants.id));
    expect(page.text).toContain('What can fix this');
    expect(page.text).not.toContain(`Move ${home.people.volunteer.displayName} here`);
    expect(page.text).toContain('Ask everyone eligible for Infants');
    expect(page.text).not.toContain('Assign Jo Nguyen');
    const volunteer = await signInAs(app, home.users.volunteer);
    expect((await volunteer.get(roomPage(home.rooms.infants.id))).text).not.toContain('What can fix this');
  });

  it('is on the cover request page of the need', async () => {
    const staff = await signInAs(app, home.users.staff);
    await staff.submit(`/centers/${home.center.id}/cover-requests`, { roomId: home.rooms.infants.id, day: '2026-03-02', start: '15:00', end: '17:00', count: '1', needs: 'aide' });
    const requestId = (await db('cover_requests').first()).id as string;
    const director = await signInAs(app, home.users.director);
    const res = await director.get(`/centers/${home.center.id}/cover-requests/${requestId}`);
    expect(res.text).toContain('id="what-can-fix-this"');
    expect(res.text).toContain(`Move ${home.people.volunteer.displayName} here`);
  });
});

describe('POST …/remedies/moves', () => {
  it('moves the planned shift for the window, in one audited write, and the flag goes off', async () => {
    const director = await signInAs(app, home.users.director);
    const { action, fields } = formOf((await director.get(roomPage(home.rooms.infants.id))).text, `Move ${home.people.volunteer.displayName} here`);
    const res = await director.submit(action, fields);
    expect(res.status).toBe(303);
    expect(await shiftsOf(home.people.volunteer.id)).toEqual([
      { room: home.rooms.toddlers.id, start: T('07:00'), end: T('15:00') },
      { room: home.rooms.infants.id, start: T('15:00'), end: T('17:00') },
    ]);
    // The window does not start now: the presence stays in Toddlers until 15:00.
    expect(await db('person_presences').where({ person_id: home.people.volunteer.id }).whereNull('ended_at').first()).toMatchObject({ room_id: home.rooms.toddlers.id });
    expect(await db('audit_log').where({ action: 'remedy.move_taken' })).toHaveLength(1);
    expect((await flagOf(home.rooms.infants.id)).flag).toBeNull();
    expect((await flagOf(home.rooms.toddlers.id)).flag).toBeNull();
  });

  it('moves the presence too when the window starts now', async () => {
    clock.set(T('15:05'));
    await db('person_presences').where({ person_id: day.maya.id }).update({ ended_at: T('15:00') });
    const director = await signInAs(app, home.users.director);
    const { action, fields } = formOf((await director.get(roomPage(home.rooms.infants.id))).text, `Move ${home.people.volunteer.displayName} here`);
    expect((await director.submit(action, fields)).status).toBe(303);
    const presences = await db('person_presences').where({ person_id: home.people.volunteer.id }).orderBy('started_at');
    expect(presences.map((p: { room_id: string; ended_at: string | null }) => [p.room_id, p.ended_at])).toEqual([
      [home.rooms.toddlers.id, T('15:05')],
      [home.rooms.infants.id, null],
    ]);
    expect(await shiftsOf(home.people.volunteer.id)).toEqual([
      { room: home.rooms.toddlers.id, start: T('07:00'), end: T('15:05') },
      { room: home.rooms.infants.id, start: T('15:05'), end: T('17:00') },
    ]);
    expect((await flagOf(home.rooms.infants.id)).flag).toBeNull();
  });

  it('refuses a move that became illegal in the meantime, with the reason, and stores nothing', async () => {
    const director = await signInAs(app, home.users.director);
    const { action, fields } = formOf((await director.get(roomPage(home.rooms.infants.id))).text, `Move ${home.people.volunteer.displayName} here`);
    // Ben Carter goes home: Toddlers would now be left without a teacher if the volunteer moved.
    await db('shifts').where({ person_id: ben.id }).update({ cancelled_at: AFTERNOON });
    await db('person_presences').where({ person_id: ben.id }).update({ ended_at: T('14:20') });
    const shiftsBefore = await db('shifts').count({ n: '*' }).first();
    const res = await director.submit(action, fields);
    expect(res.status).toBe(409);
    expect(res.text).toContain(`${home.people.volunteer.displayName} can no longer be moved here: Toddlers would breach`);
    expect(await db('shifts').count({ n: '*' }).first()).toEqual(shiftsBefore);
    expect(await shiftsOf(home.people.volunteer.id)).toEqual([{ room: home.rooms.toddlers.id, start: T('07:00'), end: T('17:00') }]);
    expect(await db('audit_log').where({ action: 'remedy.move_taken' })).toHaveLength(0);
  });

  it('answers a forged or stale key with 409 and a message, and bad fields with 422, never a 500', async () => {
    const director = await signInAs(app, home.users.director);
    const url = `${roomPage(home.rooms.infants.id)}/remedies/moves`;
    const start = String(Date.parse(T('15:00')));
    const end = String(Date.parse(T('17:00')));
    expect((await director.submit(url, { key: 'move:nobody:x>y@1-2', start, end })).status).toBe(409);
    expect((await director.submit(url, { key: `move:${ben.id}:${home.rooms.toddlers.id}>${home.rooms.infants.id}@${start}-${end}`, start, end })).status).toBe(409);
    expect((await director.submit(url, { key: `move:${newId()}:${home.rooms.toddlers.id}>${home.rooms.infants.id}@${start}-${end}`, start, end })).status).toBe(409);
    expect((await director.submit(url, { key: 'x', start: 'soon', end })).status).toBe(422);
    expect((await director.submit(url, { key: 'x', start: '1', end: '2' })).status).toBe(409);
    expect(await db('audit_log').where({ action: 'remedy.move_taken' })).toHaveLength(0);
  });

  it('refuses staff and volunteers (403), and another center\'s room is not found (404)', async () => {
    const director = await signInAs(app, home.users.director);
    const { action, fields } = formOf((await director.get(roomPage(home.rooms.infants.id))).text, `Move ${home.people.volunteer.displayName} here`);
    for (const role of ['staff', 'volunteer'] as const) {
      expect((await (await signInAs(app, home.users[role])).submit(action, fields)).status).toBe(403);
    }
    const other = await seedCenter(db, { name: 'Other Center' });
    expect((await director.submit(`${roomPage(other.rooms.infants.id)}/remedies/moves`, fields)).status).toBe(404);
    const theirs = await signInAs(app, other.users.director);
    expect((await theirs.submit(action, fields)).status).toBe(404);
    expect(await shiftsOf(home.people.volunteer.id)).toHaveLength(1);
  });
});

describe('POST …/remedies/assignments and …/remedies/cover-requests', () => {
  it('assigns the call-in as an accepted cover shift, and the flag goes off', async () => {
    const director = await signInAs(app, home.users.director);
    const { action, fields } = formOf((await director.get(roomPage(home.rooms.infants.id))).text, 'Assign Jo Nguyen');
    const res = await director.submit(action, fields);
    expect(res.status).toBe(303);
    expect(await shiftsOf(jo.id)).toEqual([{ room: home.rooms.infants.id, start: T('15:00'), end: T('17:00') }]);
    expect(await db('shifts').where({ person_id: jo.id }).first()).toMatchObject({ source: 'cover' });
    expect(await db('cover_requests').first()).toMatchObject({ status: 'filled', room_id: home.rooms.infants.id });
    expect(await db('cover_claims').first()).toMatchObject({ person_id: jo.id, kind: 'assignment', status: 'accepted' });
    expect((await flagOf(home.rooms.infants.id)).flag).toBeNull();
  });

  it('asks everyone eligible with a cover request for the need', async () => {
    const staff = await signInAs(app, home.users.staff);
    const page = (await staff.get(roomPage(home.rooms.infants.id))).text;
    const { action, fields } = formOf(page, 'Ask everyone eligible for Infants, 15:00–17:00');
    const res = await staff.submit(action, fields);
    expect(res.status).toBe(303);
    expect(await db('cover_requests').first()).toMatchObject({ status: 'open', starts_at: T('15:00'), ends_at: T('17:00'), needs: 'aide', people_needed: 1 });
    expect((await staff.submit(action, fields)).status).toBe(303);
    expect(await db('cover_requests')).toHaveLength(1);
  });

  it('asks one person of the call-in list: a cover request for the need, told to them only, once', async () => {
    const made = await createUser(db, { email: 'jo@example.test', displayName: 'Jo Nguyen', passwordHash: 'x', at });
    if (!made.ok) throw new Error('user');
    await createMembership(db, { userId: made.user.id, organizationId: home.organization.id, centerId: home.center.id, role: 'staff', personId: jo.id, at });
    const staff = await signInAs(app, home.users.staff);
    const { action, fields } = formOf((await staff.get(roomPage(home.rooms.infants.id))).text, 'Ask Jo Nguyen');
    const res = await staff.submit(action, fields);
    expect(res.status).toBe(303);
    expect(await db('cover_requests')).toHaveLength(1);
    expect(await db('cover_requests').first()).toMatchObject({ status: 'open', room_id: home.rooms.infants.id, starts_at: T('15:00'), ends_at: T('17:00') });
    const notices = await db('notices').where({ kind: 'cover_request_new' });
    expect(notices.map((n: { user_id: string }) => n.user_id)).toEqual([made.user.id]);
    // Asked again: the same request, and no second notice.
    const again = await staff.submit(action, fields);
    expect(again.status).toBe(303);
    expect(await db('cover_requests')).toHaveLength(1);
    expect(await db('notices').where({ kind: 'cover_request_new' })).toHaveLength(1);
    // Someone with no account is not offered the button's effect: a forged key for Ben Carter is refused.
    const forged = await staff.submit(action, { ...fields, key: `call_in:${ben.id}@${fields.start}-${fields.end}` });
    expect(forged.status).toBe(409);
    expect((await (await signInAs(app, home.users.volunteer)).submit(action, fields)).status).toBe(403);
  });

  it('refuses staff an assignment (403)', async () => {
    const director = await signInAs(app, home.users.director);
    const { action, fields } = formOf((await director.get(roomPage(home.rooms.infants.id))).text, 'Assign Jo Nguyen');
    expect((await (await signInAs(app, home.users.staff)).submit(action, fields)).status).toBe(403);
    expect(await shiftsOf(jo.id)).toEqual([]);
  });
});

describe('thin hours on the day plan', () => {
  it('shows the opening and closing section', async () => {
    const director = await signInAs(app, home.users.director);
    const res = await director.get(`/centers/${home.center.id}/plan?day=2026-03-02`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('Thin hours: rooms that may be combined');
  });
});
