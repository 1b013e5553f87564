import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createChild } from '../../src/db/children.js';
import type { Deps } from '../../src/web/app.js';
import { signInAs, type Agent } from '../support/agent.js';
import { seedCenter, type SeededCenter } from '../support/builders.js';
import { decodeEntities, expectFieldError, rowCounts } from '../support/forms.js';
import { seededApp, type App } from '../support/seeded-app.js';

let deps: Deps;
let app: App;
let seeded: SeededCenter;
let director: Agent;
let close: () => Promise<void>;
beforeEach(async () => {
  ({ deps, app, seeded, close, agents: { director } } = await seededApp({ agents: ['director'] }));
});
afterEach(() => close());

const rooms = () => `/centers/${seeded.center.id}/rooms`;
const roomPath = (id: string, what: string) => `${rooms()}/${id}/${what}`;
const counts = () => rowCounts(deps.db, ['rooms', 'audit_log']);
const auditOf = async (action: string) => {
  const rows = await deps.db('audit_log').where({ action }).orderBy('id');
  return rows.map((r: { changes: string; record_id: string; actor_user_id: string; center_id: string }) => ({ ...r, changes: JSON.parse(r.changes) }));
};

/** A form body: repeated checkboxes go as an array. */
const room = (fields: Record<string, string | string[]>) => fields as Record<string, string>;

/** Submits and expects a 422 that stored nothing. */
async function refused(path: string, fields: Record<string, string | string[]>) {
  const before = await counts();
  const beforeRooms = JSON.stringify(await deps.db('rooms').orderBy('id'));
  const res = await director.submit(path, room(fields));
  expect(res.status, res.text.slice(0, 300)).toBe(422);
  expect(await counts()).toEqual(before);
  expect(JSON.stringify(await deps.db('rooms').orderBy('id'))).toBe(beforeRooms);
  return res;
}

describe('POST /centers/:centerId/rooms', () => {
  it('adds a room with its categories, capacity and stricter group size, and audits it', async () => {
    const res = await director.submit(rooms(), room({ name: '  Butterflies ', ageCategories: ['infant', 'toddler'], licensedCapacity: '12', maxGroupSize: '8' }));
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(rooms());
    const stored = await deps.db('rooms').where({ name: 'Butterflies' }).first();
    expect(stored).toMatchObject({ center_id: seeded.center.id, age_categories: 'infant,toddler', licensed_capacity: 12, max_group_size: 8, archived_at: null });
    const [entry] = await auditOf('room.created');
    expect(entry).toMatchObject({ record_id: stored.id, actor_user_id: seeded.users.director.id, center_id: seeded.center.id });
    expect(entry!.changes).toEqual({ before: null, after: { name: 'Butterflies', ageCategories: ['infant', 'toddler'], licensedCapacity: 12, maxGroupSize: 8, nightProgram: false } });
    expect((await director.get(rooms())).text).toContain('Butterflies');
  });

  it('leaves the group size to the pack when the field is empty', async () => {
    await director.submit(rooms(), room({ name: 'Preschool', ageCategories: 'preschooler', licensedCapacity: '20', maxGroupSize: '' }));
    expect(await deps.db('rooms').where({ name: 'Preschool' }).first()).toMatchObject({ age_categories: 'preschooler', max_group_size: null });
  });

  it("accepts a group size exactly at the pack's limit", async () => {
    expect((await director.submit(rooms(), room({ name: 'Infants 2', ageCategories: 'infant', licensedCapacity: '8', maxGroupSize: '8' }))).status).toBe(303);
  });

  it("refuses a group size looser than the pack's, naming the limit and its citation", async () => {
    const res = await refused(rooms(), { name: 'Infants 2', ageCategories: 'infant', licensedCapacity: '12', maxGroupSize: '9' });
    expectFieldError(res.text, 'maxGroupSize', "Minnesota's limit for infants is 8 (Minn. R. 9503.0040 subp. 1); a room may only be stricter");
    expect(res.text).toContain('value="Infants 2"');
    expect(res.text).toContain('value="9"');
    expect(res.text).toMatch(/value="infant" checked/);
  });

  it('judges a room serving several categories by the strictest of them', async () => {
    const res = await refused(rooms(), { name: 'Mixed', ageCategories: ['toddler', 'infant'], licensedCapacity: '14', maxGroupSize: '10' });
    expectFieldError(res.text, 'maxGroupSize', /Minnesota's limit for infants is 8/);
  });

  it('refuses a group size larger than the licensed capacity', async () => {
    const res = await refused(rooms(), { name: 'Toddlers 2', ageCategories: 'toddler', licensedCapacity: '10', maxGroupSize: '12' });
    expectFieldError(res.text, 'maxGroupSize', "A group cannot be larger than the room's licensed capacity of 10.");
  });

  it('names each bad field and keeps what was typed', async () => {
    const res = await refused(rooms(), { name: '   ', licensedCapacity: '0', maxGroupSize: 'eight' });
    expectFieldError(res.text, 'name', "Enter the room's name.");
    expectFieldError(res.text, 'ageCategories', 'Choose at least one age category this room serves.');
    expectFieldError(res.text, 'licensedCapacity', 'Enter the licensed capacity: a whole number from 1 to 200.');
    expectFieldError(res.text, 'maxGroupSize', /Leave empty, or enter a whole number/);
    expect(res.text).toContain('value="eight"');
  });

  it('refuses a capacity over 200, a fraction, a name over 80 characters and an unknown category', async () => {
    let res = await refused(rooms(), { name: 'x'.repeat(81), ageCategories: 'teen', licensedCapacity: '201' });
    expectFieldError(res.text, 'name', 'Use at most 80 characters.');
    expectFieldError(res.text, 'ageCategories', 'Choose from the age categories listed.');
    expectFieldError(res.text, 'licensedCapacity', /from 1 to 200/);
    res = await refused(rooms(), { name: 'Frac', ageCategories: 'toddler', licensedCapacity: '7.5' });
    expectFieldError(res.text, 'licensedCapacity', /whole number/);
  });

  it('does not let staff or volunteers add rooms', async () => {
    for (const role of ['staff', 'volunteer'] as const) {
      const agent = await signInAs(app, seeded.users[role]);
      const before = await counts();
      expect((await agent.get(`${rooms()}/new`)).status).toBe(403);
      expect((await agent.submit(rooms(), room({ name: 'Sneaky', ageCategories: 'toddler', licensedCapacity: '5' }))).status).toBe(403);
      expect(await counts()).toEqual(before);
    }
  });
});

describe('GET /centers/:centerId/rooms', () => {
  it('shows the form for a new room at /rooms/new, not a room page', async () => {
    const res = await director.get(`${rooms()}/new`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('Add a room');
    expect(decodeEntities(res.text)).toContain("Leave empty to use the pack's limit (infants 8, toddlers 14, preschoolers 20, school-age children 30)");
  });

  it('lets staff and volunteers read the list, without edit or archive controls', async () => {
    for (const role of ['staff', 'volunteer'] as const) {
      const res = await (await signInAs(app, seeded.users[role])).get(rooms());
      expect(res.status).toBe(200);
      expect(res.text).toContain('Infants');
      expect(res.text).not.toContain('/edit"');
      expect(res.text).not.toContain('/archive"');
    }
  });

  it("shows the pack's group size when the room sets none, and the room's own when it does", async () => {
    await deps.db('rooms').where({ id: seeded.rooms.infants.id }).update({ max_group_size: 6 });
    const html = (await director.get(rooms())).text;
    expect(html).toMatch(/Infants[\s\S]*?6 <span class="muted">\(room\)<\/span>/);
    expect(html).toMatch(/Toddlers[\s\S]*?14 <span class="muted">\(pack\)<\/span>/);
  });
});

describe('POST /centers/:centerId/rooms/:roomId/edit', () => {
  it('saves the changes and audits only what changed', async () => {
    const id = seeded.rooms.toddlers.id;
    expect((await director.get(roomPath(id, 'edit'))).text).toContain('value="14"');
    const res = await director.submit(roomPath(id, 'edit'), room({ name: 'Toddlers', ageCategories: 'toddler', licensedCapacity: '12', maxGroupSize: '10' }));
    expect(res.status).toBe(303);
    expect(await deps.db('rooms').where({ id }).first()).toMatchObject({ licensed_capacity: 12, max_group_size: 10 });
    const [entry] = await auditOf('room.updated');
    expect(entry).toMatchObject({ record_id: id, actor_user_id: seeded.users.director.id });
    expect(entry!.changes).toEqual({ before: { licensedCapacity: 14, maxGroupSize: null }, after: { licensedCapacity: 12, maxGroupSize: 10 } });
    // The list says it was saved, once.
    expect((await director.get(res.headers.location!)).text).toContain('<p class="flash flash-ok" role="status">Toddlers saved.</p>');
    expect((await director.get(res.headers.location!)).text).not.toContain('Toddlers saved.');
  });

  it('writes nothing when nothing changed', async () => {
    const before = await counts();
    const res = await director.submit(roomPath(seeded.rooms.toddlers.id, 'edit'), room({ name: 'Toddlers', ageCategories: 'toddler', licensedCapacity: '14', maxGroupSize: '' }));
    expect(res.status).toBe(303);
    expect(await counts()).toEqual(before);
    expect((await director.get(res.headers.location!)).text).toContain('Nothing changed for Toddlers.');
  });

  it('refuses a new category whose limit the existing group size breaks', async () => {
    await deps.db('rooms').where({ id: seeded.rooms.toddlers.id }).update({ max_group_size: 12 });
    const res = await refused(roomPath(seeded.rooms.toddlers.id, 'edit'), { name: 'Toddlers', ageCategories: ['infant', 'toddler'], licensedCapacity: '14', maxGroupSize: '12' });
    expectFieldError(res.text, 'maxGroupSize', /Minnesota's limit for infants is 8/);
    expect(res.text).toMatch(/value="infant" checked/);
  });

  it('answers 404 for a room of another center, and changes nothing there', async () => {
    const other = await seedCenter(deps.db);
    const id = other.rooms.toddlers.id;
    expect((await director.get(roomPath(id, 'edit'))).status).toBe(404);
    expect((await director.submit(roomPath(id, 'edit'), room({ name: 'Mine now', ageCategories: 'toddler', licensedCapacity: '3' }))).status).toBe(404);
    expect((await director.submit(roomPath(id, 'archive'))).status).toBe(404);
    expect((await director.submit(roomPath('not-a-room', 'archive'))).status).toBe(404);
    expect(await deps.db('rooms').where({ id }).first()).toMatchObject({ name: 'Toddlers', licensed_capacity: 14, archived_at: null });
  });

  it('does not let staff edit a room', async () => {
    const staff = await signInAs(app, seeded.users.staff);
    expect((await staff.get(roomPath(seeded.rooms.toddlers.id, 'edit'))).status).toBe(403);
    expect((await staff.submit(roomPath(seeded.rooms.toddlers.id, 'edit'), room({ name: 'X', ageCategories: 'toddler', licensedCapacity: '3' }))).status).toBe(403);
    expect(await deps.db('rooms').where({ id: seeded.rooms.toddlers.id }).first()).toMatchObject({ name: 'Toddlers' });
  });
});

describe('POST /centers/:centerId/rooms/:roomId/archive and /unarchive', () => {
  it('hides an archived room from the list and the center page, keeps the row, and brings it back', async () => {
    const id = seeded.rooms.infants.id;
    expect((await director.submit(roomPath(id, 'archive'))).status).toBe(303);
    const row = await deps.db('rooms').where({ id }).first();
    expect(row.archived_at).toBe(deps.clock.now().toISOString());
    expect((await director.get(rooms())).text).not.toContain(`room-${id}`);
    expect((await director.get(`/centers/${seeded.center.id}`)).text).not.toContain('Infants');
    const all = await director.get(`${rooms()}?archived=1`);
    expect(all.text).toContain(`room-${id}`);
    expect(all.text).toContain('Archived');

    // A second archive (a double tap) records nothing more.
    await director.submit(roomPath(id, 'archive'));
    expect(await auditOf('room.archived')).toHaveLength(1);

    const res = await director.submit(roomPath(id, 'unarchive'));
    expect(res.status).toBe(303);
    expect(await deps.db('rooms').where({ id }).first()).toMatchObject({ archived_at: null });
    const [entry] = await auditOf('room.unarchived');
    expect(entry!.changes).toEqual({ before: { archivedAt: row.archived_at }, after: { archivedAt: null } });
  });

  it("allows archiving a child's home room; the child keeps it", async () => {
    const child = await createChild(deps.db, { centerId: seeded.center.id, displayName: 'Maya R.', birthDate: '2025-06-01', homeRoomId: seeded.rooms.infants.id, at: deps.clock.now() });
    expect((await director.submit(roomPath(seeded.rooms.infants.id, 'archive'))).status).toBe(303);
    expect(await deps.db('children').where({ id: child.id }).first()).toMatchObject({ home_room_id: seeded.rooms.infants.id });
    const list = await director.get(`/centers/${seeded.center.id}/children`);
    expect(list.text).toMatch(/Infants <span class="tag">Archived room<\/span>/);
  });

  it('does not let staff archive or unarchive', async () => {
    const staff = await signInAs(app, seeded.users.staff);
    expect((await staff.submit(roomPath(seeded.rooms.infants.id, 'archive'))).status).toBe(403);
    await deps.db('rooms').where({ id: seeded.rooms.toddlers.id }).update({ archived_at: '2026-03-01T00:00:00.000Z' });
    expect((await staff.submit(roomPath(seeded.rooms.toddlers.id, 'unarchive'))).status).toBe(403);
    expect(await deps.db('rooms').where({ id: seeded.rooms.infants.id }).first()).toMatchObject({ archived_at: null });
  });
});
