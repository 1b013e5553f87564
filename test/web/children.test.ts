import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createChild } from '../../src/db/children.js';
import { createRoom } from '../../src/db/rooms.js';
import type { Deps } from '../../src/web/app.js';
import { signInAs, type Agent } from '../support/agent.js';
import { seedCenter, type SeededCenter } from '../support/builders.js';
import { dbBool } from '../support/db.js';
import { decodeEntities, expectFieldError, rowCounts } from '../support/forms.js';
import { seededApp, type App } from '../support/seeded-app.js';

// 06:45 on Monday 2 March 2026 in Chicago: "today" for birth dates is 2026-03-02.
let deps: Deps;
let app: App;
let seeded: SeededCenter;
let director: Agent;
let close: () => Promise<void>;
beforeEach(async () => {
  ({ deps, app, seeded, close, agents: { director } } = await seededApp({ at: '2026-03-02T12:45:00Z', agents: ['director'] }));
});
afterEach(() => close());

const children = () => `/centers/${seeded.center.id}/children`;
const childPath = (id: string, what: string) => `${children()}/${id}/${what}`;
const counts = () => rowCounts(deps.db, ['children', 'child_schedules', 'audit_log']);
const auditOf = async (action: string) =>
  (await deps.db('audit_log').where({ action }).orderBy('id')).map((r: { changes: string }) => ({ ...r, changes: JSON.parse(r.changes) }));

const weekdays = (arrive: string, depart: string, days = [1, 2, 3, 4, 5]) =>
  Object.fromEntries(days.flatMap((d) => [[`attends${d}`, 'on'], [`arrive${d}`, arrive], [`depart${d}`, depart]]));

const maya = () => ({ displayName: 'Maya R.', birthDate: '2024-05-31', homeRoomId: seeded.rooms.toddlers.id, ...weekdays('07:30', '16:30') });

async function refused(path: string, fields: Record<string, string>) {
  const before = await counts();
  const rows = JSON.stringify(await deps.db('children').orderBy('id'));
  const res = await director.submit(path, fields);
  expect(res.status, res.text.slice(0, 300)).toBe(422);
  expect(await counts()).toEqual(before);
  expect(JSON.stringify(await deps.db('children').orderBy('id'))).toBe(rows);
  return res;
}

describe('POST /centers/:centerId/children', () => {
  it('adds a child with a home room and a weekly schedule, in one audited write', async () => {
    const res = await director.submit(children(), { ...maya(), attendsKindergarten: '' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(children());
    const child = await deps.db('children').where({ display_name: 'Maya R.' }).first();
    expect(child).toMatchObject({ center_id: seeded.center.id, birth_date: '2024-05-31', home_room_id: seeded.rooms.toddlers.id, archived_at: null });
    const days = await deps.db('child_schedules').where({ child_id: child.id }).orderBy('weekday').select('weekday', 'arrive', 'depart');
    expect(days).toEqual([1, 2, 3, 4, 5].map((weekday) => ({ weekday, arrive: '07:30', depart: '16:30' })));
    const [entry] = await auditOf('child.created');
    expect(entry).toMatchObject({ record_id: child.id, actor_user_id: seeded.users.director.id, center_id: seeded.center.id });
    expect(entry!.changes.after).toEqual({
      displayName: 'Maya R.',
      birthDate: '2024-05-31',
      attendsKindergarten: false,
      homeRoomId: seeded.rooms.toddlers.id,
      designation: null,
      dedicatedStaff: null,
      schedule: ['Mon 07:30-16:30', 'Tue 07:30-16:30', 'Wed 07:30-16:30', 'Thu 07:30-16:30', 'Fri 07:30-16:30'],
    });
    const list = (await director.get(children())).text;
    expect(list).toContain('Maya R.');
    expect(list).toContain('Toddler');
  });

  it('stores weekend days and ignores times of days not ticked', async () => {
    await director.submit(children(), { ...maya(), ...weekdays('09:00', '13:00', [6]), arrive7: '08:00', depart7: '12:00', attends1: '' });
    const child = await deps.db('children').where({ display_name: 'Maya R.' }).first();
    expect((await deps.db('child_schedules').where({ child_id: child.id }).orderBy('weekday')).map((d: { weekday: number }) => d.weekday)).toEqual([2, 3, 4, 5, 6]);
  });

  it('asks for a display name only, and says first name and initial is enough', async () => {
    const form = decodeEntities((await director.get(`${children()}/new`)).text);
    expect(form).toContain('First name and initial is enough');
    // The form asks for nothing else: no surname, address, ID or status field (a Minnesota center also records a designation and staff a child's plan asks for).
    const names = new Set([...form.matchAll(/<(?:input|select)[^>]*name="([^"]+)"/g)].map((m) => m[1]!));
    const schedule = [1, 2, 3, 4, 5, 6, 7].flatMap((d) => [`attends${d}`, `arrive${d}`, `depart${d}`]);
    expect([...names].sort()).toEqual(['_csrf', 'attendsKindergarten', 'birthDate', 'dedicatedStaff', 'designation', 'designationOn', 'displayName', 'homeRoomId', ...schedule].sort());
  });

  it('names each bad field, keeps what was typed and stores nothing', async () => {
    const res = await refused(children(), { displayName: ' ', birthDate: '2026-02-30', homeRoomId: '', attends1: 'on', arrive1: '7:30', depart1: '', attends2: 'on', arrive2: '16:00', depart2: '16:00' });
    expectFieldError(res.text, 'displayName', /Enter the name the child goes by/);
    expectFieldError(res.text, 'birthDate', 'Enter the birth date, like 2024-05-31.');
    expectFieldError(res.text, 'homeRoomId', 'Choose a home room.');
    expectFieldError(res.text, 'arrive1', "Enter Monday's arrival time, like 07:30.");
    expectFieldError(res.text, 'depart1', "Enter Monday's departure time, like 16:30.");
    expectFieldError(res.text, 'depart2', "Tuesday's departure must be after the arrival at 16:00.");
    expect(res.text).toContain('value="2026-02-30"');
    expect(res.text).toContain('value="7:30"');
    expect(res.text).toMatch(/name="attends2" checked/);
  });

  it('refuses a departure before the arrival', async () => {
    const res = await refused(children(), { ...maya(), arrive3: '15:00', depart3: '08:00' });
    expectFieldError(res.text, 'depart3', "Wednesday's departure must be after the arrival at 15:00.");
  });

  it('refuses a birth date in the future, and accepts today', async () => {
    const res = await refused(children(), { ...maya(), birthDate: '2026-03-03' });
    expectFieldError(res.text, 'birthDate', 'The birth date cannot be in the future.');
    expect((await director.submit(children(), { ...maya(), birthDate: '2026-03-02' })).status).toBe(303);
  });

  it('refuses a child 13 or older today, and accepts one a day younger', async () => {
    const res = await refused(children(), { ...maya(), birthDate: '2013-03-02' });
    expectFieldError(res.text, 'birthDate', 'A child born then is too old for this center: the rules cover children younger than 13.');
    expect((await director.submit(children(), { ...maya(), birthDate: '2013-03-03' })).status).toBe(303);
  });

  it("refuses another center's room as home room with a message, not an error page", async () => {
    const other = await seedCenter(deps.db);
    const res = await refused(children(), { ...maya(), homeRoomId: other.rooms.toddlers.id });
    expectFieldError(res.text, 'homeRoomId', 'Choose one of the rooms listed.');
    expect(res.text).not.toContain(other.center.name);
    const garbage = await refused(children(), { ...maya(), homeRoomId: "x' OR 1=1" });
    expectFieldError(garbage.text, 'homeRoomId', 'Choose one of the rooms listed.');
  });

  it('does not offer an archived room, nor accept one for a new child', async () => {
    await deps.db('rooms').where({ id: seeded.rooms.infants.id }).update({ archived_at: '2026-03-01T00:00:00.000Z' });
    expect((await director.get(`${children()}/new`)).text).not.toContain(seeded.rooms.infants.id);
    const res = await refused(children(), { ...maya(), homeRoomId: seeded.rooms.infants.id });
    expectFieldError(res.text, 'homeRoomId', 'Choose one of the rooms listed.');
  });

  it('does not let staff or volunteers add children', async () => {
    for (const role of ['staff', 'volunteer'] as const) {
      const agent = await signInAs(app, seeded.users[role]);
      const before = await counts();
      expect((await agent.get(`${children()}/new`)).status).toBe(403);
      expect((await agent.submit(children(), maya())).status).toBe(403);
      expect(await counts()).toEqual(before);
    }
  });
});

describe('GET /centers/:centerId/children', () => {
  it('lets staff read the list for check-in, without edit or archive controls', async () => {
    await createChild(deps.db, { centerId: seeded.center.id, displayName: 'Leo M.', birthDate: '2025-09-01', homeRoomId: seeded.rooms.infants.id, at: deps.clock.now() });
    const res = await (await signInAs(app, seeded.users.staff)).get(children());
    expect(res.status).toBe(200);
    expect(res.text).toContain('Leo M.');
    expect(res.text).not.toContain('/edit"');
    expect(res.text).not.toContain('/archive"');
  });

  it('refuses the children list to volunteers', async () => {
    const res = await (await signInAs(app, seeded.users.volunteer)).get(children());
    expect(res.status).toBe(403);
  });
});

describe('POST /centers/:centerId/children/:childId/edit', () => {
  async function addMaya() {
    await director.submit(children(), maya());
    return (await deps.db('children').where({ display_name: 'Maya R.' }).first()).id as string;
  }

  it('replaces the whole schedule with the child, and audits what changed', async () => {
    const id = await addMaya();
    const form = await director.get(childPath(id, 'edit'));
    expect(form.text).toContain('value="Maya R."');
    expect(form.text).toMatch(/name="attends5" checked/);
    const res = await director.submit(childPath(id, 'edit'), { displayName: 'Maya R.', birthDate: '2024-05-31', homeRoomId: seeded.rooms.infants.id, attendsKindergarten: 'on', ...weekdays('08:00', '12:00', [2, 4]) });
    expect(res.status).toBe(303);
    expect(await deps.db('children').where({ id }).first()).toMatchObject({ home_room_id: seeded.rooms.infants.id, attends_kindergarten: dbBool(true) });
    const days = await deps.db('child_schedules').where({ child_id: id }).orderBy('weekday').select('weekday', 'arrive', 'depart');
    expect(days).toEqual([{ weekday: 2, arrive: '08:00', depart: '12:00' }, { weekday: 4, arrive: '08:00', depart: '12:00' }]);
    const [entry] = await auditOf('child.updated');
    expect(entry!.changes).toEqual({
      before: { attendsKindergarten: false, homeRoomId: seeded.rooms.toddlers.id, schedule: ['Mon 07:30-16:30', 'Tue 07:30-16:30', 'Wed 07:30-16:30', 'Thu 07:30-16:30', 'Fri 07:30-16:30'] },
      after: { attendsKindergarten: true, homeRoomId: seeded.rooms.infants.id, schedule: ['Tue 08:00-12:00', 'Thu 08:00-12:00'] },
    });
  });

  it('keeps the schedule and the child as they were when the edit is refused', async () => {
    const id = await addMaya();
    const res = await refused(childPath(id, 'edit'), { ...maya(), displayName: 'Maya Renamed', ...weekdays('12:00', '11:00', [1]) });
    expectFieldError(res.text, 'depart1', /Monday's departure must be after/);
    expect(await deps.db('child_schedules').where({ child_id: id })).toHaveLength(5);
  });

  it('lets a child keep an archived home room, shown as archived', async () => {
    const id = await addMaya();
    await deps.db('rooms').where({ id: seeded.rooms.toddlers.id }).update({ archived_at: '2026-03-01T00:00:00.000Z' });
    const form = await director.get(childPath(id, 'edit'));
    expect(form.text).toMatch(new RegExp(`<option value="${seeded.rooms.toddlers.id}" selected>Toddlers \\(archived\\)</option>`));
    expect((await director.submit(childPath(id, 'edit'), { ...maya(), displayName: 'Maya S.' })).status).toBe(303);
    expect(await deps.db('children').where({ id }).first()).toMatchObject({ display_name: 'Maya S.', home_room_id: seeded.rooms.toddlers.id });
  });

  it('answers 404 for a child of another center, and changes nothing there', async () => {
    const other = await seedCenter(deps.db);
    const theirs = await createChild(deps.db, { centerId: other.center.id, displayName: 'Ana B.', birthDate: '2024-01-01', homeRoomId: other.rooms.toddlers.id, at: deps.clock.now() });
    expect((await director.get(childPath(theirs.id, 'edit'))).status).toBe(404);
    expect((await director.submit(childPath(theirs.id, 'edit'), { ...maya(), homeRoomId: seeded.rooms.toddlers.id })).status).toBe(404);
    expect((await director.submit(childPath(theirs.id, 'archive'))).status).toBe(404);
    expect((await director.submit(childPath(theirs.id, 'unarchive'))).status).toBe(404);
    expect(await deps.db('children').where({ id: theirs.id }).first()).toMatchObject({ display_name: 'Ana B.', archived_at: null });
  });
});

describe('POST /centers/:centerId/children/:childId/archive and /unarchive', () => {
  it('hides an archived child from the list, keeps the row and its schedule, and brings it back', async () => {
    // Added, and the list followed as a browser follows the redirect (it says "Maya R. added." once).
    expect((await director.get((await director.submit(children(), maya())).headers.location!)).text).toContain('Maya R. added.');
    const id = (await deps.db('children').where({ display_name: 'Maya R.' }).first()).id;
    expect((await director.submit(childPath(id, 'archive'))).status).toBe(303);
    expect((await deps.db('children').where({ id }).first()).archived_at).toBe(deps.clock.now().toISOString());
    expect(await deps.db('child_schedules').where({ child_id: id })).toHaveLength(5);
    expect((await director.get(children())).text).not.toContain('Maya R.');
    expect((await director.get(`${children()}?archived=1`)).text).toContain('Maya R.');
    expect(await auditOf('child.archived')).toHaveLength(1);

    expect((await director.submit(childPath(id, 'unarchive'))).status).toBe(303);
    expect(await deps.db('children').where({ id }).first()).toMatchObject({ archived_at: null });
    expect(await auditOf('child.unarchived')).toHaveLength(1);
  });

  it('does not let staff archive a child', async () => {
    const child = await createChild(deps.db, { centerId: seeded.center.id, displayName: 'Leo M.', birthDate: '2025-09-01', homeRoomId: seeded.rooms.infants.id, at: deps.clock.now() });
    expect((await (await signInAs(app, seeded.users.staff)).submit(childPath(child.id, 'archive'))).status).toBe(403);
    expect(await deps.db('children').where({ id: child.id }).first()).toMatchObject({ archived_at: null });
  });
});

describe('the pack in force', () => {
  it("uses the center's pack maximum age: Texas serves children younger than 14", async () => {
    await deps.db('centers').where({ id: seeded.center.id }).update({ pack_id: 'TX' });
    await createRoom(deps.db, { centerId: seeded.center.id, name: 'School-age', ageCategories: ['school_age'], licensedCapacity: 20, at: deps.clock.now() });
    expect((await director.submit(children(), { ...maya(), birthDate: '2012-03-03' })).status).toBe(303);
    const res = await refused(children(), { ...maya(), birthDate: '2012-03-02' });
    expectFieldError(res.text, 'birthDate', /younger than 14/);
  });
});
