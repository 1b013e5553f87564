import type { Knex } from 'knex';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createChild } from '../../src/db/children.js';
import { createPerson } from '../../src/db/people.js';
import { newId } from '../../src/db/rows.js';
import { createTrainingRecord } from '../../src/db/trainings.js';
import { forecastCenter } from '../../src/services/center-forecast.js';
import { signInAs } from '../support/agent.js';
import { seedCenter, type SeededCenter } from '../support/builders.js';
import type { SeededDay } from '../support/day.js';
import type { TestClock } from '../support/deps.js';
import { seededApp, type App } from '../support/seeded-app.js';
import { createEventHub, type BoardEvent, type EventHub } from '../../src/web/events/hub.js';

/**
 * Combine rooms (issue #20): the panel's "Combine" records a merge for the window, and
 * wherever the rooms are judged (board, room page, forecast) the moving room's children
 * and staff count in the receiving room's group; "End merge" ends it. The day, Monday
 * 2 March 2026 in Chicago, 14:30: Infants has two infants (Ada, Ben) 07:00–17:00 with
 * the staff login's teacher. Toddlers has one toddler (Dot) 07:00–17:00, Ben Carter (a
 * teacher) until 15:00 and the volunteer (an aide) until 17:00: from 15:00 Toddlers has
 * no teacher and needs cover. Together (Minnesota, mixed ages: the youngest band's
 * ratio, 1:4, and group size, 8) three children need one counted person and have two,
 * so the smaller group, Toddlers, may move into Infants (licensed for 8) and the
 * volunteer is freed.
 */

let clock: TestClock;
let close: () => Promise<void>;
let app: App;
let home: SeededCenter;
let day: SeededDay;
let db: Knex;
let ben: { id: string };
let hub: EventHub;

const AFTERNOON = '2026-03-02T20:30:00Z'; // 14:30
const at = new Date('2026-03-01T12:00:00Z');
const T = (hhmm: string) => `2026-03-02T${String(Number(hhmm.slice(0, 2)) + 6).padStart(2, '0')}:${hhmm.slice(3)}:00.000Z`;
const shift = (roomId: string, personId: string, start: string, end: string) => ({ id: newId(), center_id: home.center.id, room_id: roomId, person_id: personId, day: '2026-03-02', starts_at: T(start), ends_at: T(end), source: 'plan', cover_request_id: null, created_at: AFTERNOON, created_by_user_id: null, cancelled_at: null, cancelled_by_user_id: null });
const presence = (roomId: string, personId: string) => ({ id: newId(), center_id: home.center.id, room_id: roomId, person_id: personId, started_at: T('07:00'), ended_at: null });
const childIn = (roomId: string, childId: string, from = '07:00') => ({ id: newId(), center_id: home.center.id, room_id: roomId, child_id: childId, started_at: T(from), ended_at: null });
const TRAININGS = ['orientation', 'suid', 'aht', 'first_aid', 'cpr', 'child_development'];

beforeEach(async () => {
  hub = createEventHub();
  const world = await seededApp({ at: AFTERNOON, center: { name: 'Home Center' }, day: true, deps: { events: hub } });
  ({ db, clock, app, seeded: home, close } = world);
  day = world.day;
  for (const child of [day.children.ada, day.children.ben, day.children.dot]) {
    await db('child_schedules').insert({ id: newId(), child_id: child.id, weekday: 1, arrive: '07:00', depart: '17:00' });
  }
  ben = await createPerson(db, { centerId: home.center.id, displayName: 'Ben Carter', role: 'teacher', adultAttested: true, backgroundStudy: 'cleared', startedOn: '2025-01-06', at });
  for (const trainingId of TRAININGS) await createTrainingRecord(db, { centerId: home.center.id, personId: ben.id, trainingId, completedOn: '2026-01-15', status: 'verified', at });
  const { infants, toddlers } = home.rooms;
  const { teacher, volunteer } = home.people;
  await db('shifts').insert([shift(infants.id, teacher.id, '07:00', '17:00'), shift(toddlers.id, ben.id, '07:00', '15:00'), shift(toddlers.id, volunteer.id, '07:00', '17:00')]);
  await db('day_plans').insert({ center_id: home.center.id, day: '2026-03-02', made_at: AFTERNOON });
  await db('person_presences').insert([presence(infants.id, teacher.id), presence(toddlers.id, ben.id), presence(toddlers.id, volunteer.id)]);
  await db('child_presences').insert([childIn(infants.id, day.children.ada.id), childIn(infants.id, day.children.ben.id), childIn(toddlers.id, day.children.dot.id)]);
});
afterEach(() => close());

const roomPage = (roomId: string) => `/centers/${home.center.id}/rooms/${roomId}`;
const board = () => `/centers/${home.center.id}/board`;
const viewOf = async (roomId: string) => (await forecastCenter(db, home.center, clock.now())).rooms.get(roomId)!;
const COMBINE = 'Combine Toddlers into Infants';

/** The hidden fields of the form whose button reads `label`, from a page's HTML. */
function formOf(html: string, label: string): { action: string; fields: Record<string, string> } {
  const forms = [...html.matchAll(/<form method="post" action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)];
  const form = forms.find((f) => f[2]!.includes(`>${label}</button>`));
  if (!form) throw new Error(`no form "${label}"`);
  const fields: Record<string, string> = {};
  for (const m of form[2]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) if (m[1] !== '_csrf') fields[m[1]!] = m[2]!.replaceAll('&gt;', '>').replaceAll('&#x3D;', '=').replaceAll('&amp;', '&');
  return { action: form[1]!.replaceAll('&#x3D;', '='), fields };
}

/** One card of the board page, by its room. */
function cardIn(html: string, roomId: string): string {
  const start = html.indexOf(`id="room-${roomId}"`);
  expect(start).toBeGreaterThan(-1);
  const end = html.indexOf('</article>', start);
  return html.slice(start, end);
}

async function combine() {
  const director = await signInAs(app, home.users.director);
  const { action, fields } = formOf((await director.get(roomPage(home.rooms.toddlers.id))).text, COMBINE);
  return { director, action, fields };
}

describe('POST …/remedies/merges (Combine)', () => {
  it('records the merge for the window, audited, and the need is gone from the forecast', async () => {
    expect((await viewOf(home.rooms.toddlers.id)).flag).toMatchObject({ kind: 'needs_cover', start: Date.parse(T('15:00')) });
    const { director, action, fields } = await combine();
    const res = await director.submit(action, fields);
    expect(res.status).toBe(303);
    const merges = await db('room_merges');
    expect(merges).toHaveLength(1);
    expect(merges[0]).toMatchObject({ center_id: home.center.id, from_room_id: home.rooms.toddlers.id, into_room_id: home.rooms.infants.id, starts_at: T('15:00'), ends_at: T('17:00'), ended_at: null, created_by_user_id: home.users.director.id });
    expect(await db('audit_log').where({ action: 'room_merge.created', record_id: merges[0].id })).toHaveLength(1);
    expect((await viewOf(home.rooms.toddlers.id)).flag).toBeNull();
    const infants = await viewOf(home.rooms.infants.id);
    expect(infants.flag).toBeNull();
    // From 15:00 Infants' group is three children (Dot counted there), with the teacher and the volunteer.
    const after = infants.forecast.intervals.find((i) => i.start <= Date.parse(T('15:30')) && Date.parse(T('15:30')) < i.end)!;
    expect(after).toMatchObject({ children: 3, compliant: true, countedStaff: 2 });
  });

  it('shows the merge on both cards once it is in force, and Toddlers is not flagged separately', async () => {
    const { director, action, fields } = await combine();
    expect((await director.submit(action, fields)).status).toBe(303);
    clock.set(T('15:30'));
    await db('person_presences').where({ person_id: ben.id }).update({ ended_at: T('15:00') });
    const page = (await director.get(board())).text;
    const infants = cardIn(page, home.rooms.infants.id);
    expect(infants).toContain('Toddlers merged in until 17:00 — 3 children, 2 counted staff');
    expect(infants).toContain('End merge');
    const toddlers = cardIn(page, home.rooms.toddlers.id);
    expect(toddlers).toContain('Merged into Infants until 17:00');
    expect(toddlers).not.toContain('needs cover');
    expect(toddlers).not.toContain('What can fix this');
    // The room page of the moving room says so too, and the receiving room's page has the director's "End merge".
    expect((await director.get(roomPage(home.rooms.toddlers.id))).text).toContain('Merged into Infants until 17:00');
    const infantsPage = (await director.get(roomPage(home.rooms.infants.id))).text;
    expect(infantsPage).toContain('Toddlers merged in until 17:00');
    formOf(infantsPage, 'End merge');
  });

  it('sends both rooms\' new cards to the open boards: the merge shows without a reload', async () => {
    clock.set(T('15:05'));
    await db('person_presences').where({ person_id: ben.id }).update({ ended_at: T('15:00') });
    const events: BoardEvent[] = [];
    hub.subscribe(home.center.id, (e) => events.push(e));
    const { director, action, fields } = await combine();
    expect((await director.submit(action, fields)).status).toBe(303);
    const cardOf = (roomId: string) => events.filter((e) => e.event === 'room-card' && e.id === roomId).at(-1)?.data ?? '';
    for (let i = 0; i < 100 && !(cardOf(home.rooms.infants.id) && cardOf(home.rooms.toddlers.id)); i++) await new Promise((r) => setTimeout(r, 20));
    expect(cardOf(home.rooms.infants.id)).toContain('Toddlers merged in until 17:00');
    expect(cardOf(home.rooms.toddlers.id)).toContain('Merged into Infants until 17:00');
    expect(cardOf(home.rooms.toddlers.id)).not.toContain('needs cover');
  });

  it('counts a child checked in to the moving room during the merge in the combined group', async () => {
    const cy = await createChild(db, { centerId: home.center.id, displayName: 'Cy C.', birthDate: '2024-05-01', homeRoomId: home.rooms.toddlers.id, at });
    const { director, action, fields } = await combine();
    expect((await director.submit(action, fields)).status).toBe(303);
    clock.set(T('15:30'));
    const res = await director.submit(`${roomPage(home.rooms.toddlers.id)}/check-ins`, { childId: cy.id });
    expect(res.status).toBe(303);
    const infants = cardIn((await director.get(board())).text, home.rooms.infants.id);
    expect(infants).toContain('Toddlers merged in until 17:00 — 4 children');
  });

  it('a merge for part of the need: the need is gone for its window and back after it', async () => {
    const { director, action, fields } = await combine();
    const end = String(Date.parse(T('16:00')));
    const key = fields.key!.replace(/-\d+$/, `-${end}`);
    expect((await director.submit(action, { ...fields, key, end })).status).toBe(303);
    expect(await db('room_merges').first()).toMatchObject({ starts_at: T('15:00'), ends_at: T('16:00') });
    // Judged in Infants' group until 16:00 (nothing of Toddlers' own then), alone and short again from 16:00.
    const { forecast } = await viewOf(home.rooms.toddlers.id);
    const from = (t: string) => forecast.intervals.find((i) => i.start <= Date.parse(T(t)) && Date.parse(T(t)) < i.end);
    expect(from('15:30')).toBeUndefined();
    expect(from('16:30')).toMatchObject({ compliant: false, children: 1 });
    expect(forecast.coverNeeds.map((n) => [n.start, n.end])).toEqual([[Date.parse(T('16:00')), Date.parse(T('17:00'))]]);
  });

  it('refuses a merge that became illegal in the meantime, with the reason, and stores nothing', async () => {
    const more = [];
    for (let i = 0; i < 6; i++) more.push(await createChild(db, { centerId: home.center.id, displayName: `T${i}`, birthDate: '2024-06-01', homeRoomId: home.rooms.toddlers.id, at }));
    const { director, action, fields } = await combine();
    // Six more toddlers are checked in to Toddlers: nine children together need three counted people, and the group is over 8.
    for (const c of more) await db('child_presences').insert(childIn(home.rooms.toddlers.id, c.id, '14:25'));
    const res = await director.submit(action, fields);
    expect(res.status).toBe(409);
    expect(res.text).toContain('Toddlers can no longer be combined into Infants: the combined group would breach at 15:00');
    expect(await db('room_merges')).toHaveLength(0);
    expect(await db('audit_log').where({ action: 'room_merge.created' })).toHaveLength(0);
  });

  it('refuses a merge when the staff it counted on left', async () => {
    const { director, action, fields } = await combine();
    await db('shifts').where({ person_id: home.people.teacher.id }).update({ cancelled_at: AFTERNOON });
    await db('person_presences').where({ person_id: home.people.teacher.id }).update({ ended_at: T('14:20') });
    const res = await director.submit(action, fields);
    expect(res.status).toBe(409);
    expect(res.text).toContain('Toddlers can no longer be combined into Infants');
    expect(await db('room_merges')).toHaveLength(0);
  });

  it('refuses staff and volunteers (403) and another center (404); a forged key is a 409, never a 500', async () => {
    const { director, action, fields } = await combine();
    for (const role of ['staff', 'volunteer'] as const) {
      const agent = await signInAs(app, home.users[role]);
      expect((await agent.submit(action, fields)).status).toBe(403);
      expect((await agent.get(roomPage(home.rooms.toddlers.id))).text).not.toContain(`>${COMBINE}</button>`);
    }
    const other = await seedCenter(db, { name: 'Other Center' });
    expect((await (await signInAs(app, other.users.director)).submit(action, fields)).status).toBe(404);
    expect((await director.submit(action, { ...fields, key: `merge:${newId()}>${home.rooms.infants.id}@1-2` })).status).toBe(409);
    expect((await director.submit(action, { ...fields, key: 'merge:x' })).status).toBe(409);
    expect(await db('room_merges')).toHaveLength(0);
  });
});

describe('POST /centers/:centerId/room-merges/:mergeId/end (End merge)', () => {
  it('ends the merge now, audited: each room is judged alone again, and the need is back', async () => {
    const { director, action, fields } = await combine();
    expect((await director.submit(action, fields)).status).toBe(303);
    clock.set(T('15:30'));
    await db('person_presences').where({ person_id: ben.id }).update({ ended_at: T('15:00') });
    const { action: end } = formOf((await director.get(roomPage(home.rooms.infants.id))).text, 'End merge');
    const res = await director.submit(end, {});
    expect(res.status).toBe(303);
    const merge = await db('room_merges').first();
    expect(merge.ended_at).toBe(T('15:30'));
    expect(await db('audit_log').where({ action: 'room_merge.ended', record_id: merge.id })).toHaveLength(1);
    expect((await viewOf(home.rooms.toddlers.id)).flag).toMatchObject({ kind: 'needs_cover' });
    const page = (await director.get(board())).text;
    expect(cardIn(page, home.rooms.infants.id)).not.toContain('merged in');
    expect(cardIn(page, home.rooms.toddlers.id)).not.toContain('Merged into');
    // Ending it again: 409; another center's director: 404; staff: 403.
    expect((await director.submit(end, {})).status).toBe(409);
    const other = await seedCenter(db, { name: 'Other Center' });
    expect((await (await signInAs(app, other.users.director)).submit(end, {})).status).toBe(404);
    expect((await (await signInAs(app, home.users.staff)).submit(end, {})).status).toBe(403);
    expect((await director.submit(`/centers/${home.center.id}/room-merges/${newId()}/end`, {})).status).toBe(404);
    expect((await director.submit(`/centers/${home.center.id}/room-merges/not-an-id/end`, {})).status).toBe(404);
  });
});
