import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Deps } from '../../src/web/app.js';
import { signInAs, type Agent } from '../support/agent.js';
import { seedCenter, type SeededCenter } from '../support/builders.js';
import { dbBool } from '../support/db.js';
import { expectFieldError, rowCounts } from '../support/forms.js';
import { seededApp, type App } from '../support/seeded-app.js';

// Today in Chicago is 2026-03-02.
let deps: Deps;
let app: App;
let seeded: SeededCenter;
let director: Agent;
let close: () => Promise<void>;
beforeEach(async () => {
  ({ deps, app, seeded, close, agents: { director } } = await seededApp({ at: '2026-03-02T12:45:00Z', agents: ['director'] }));
});
afterEach(() => close());

const people = () => `/centers/${seeded.center.id}/people`;
const personPath = (id: string, what: string) => `${people()}/${id}/${what}`;
const counts = () => rowCounts(deps.db, ['people', 'audit_log']);
const auditOf = async (action: string) =>
  (await deps.db('audit_log').where({ action }).orderBy('id')).map((r: { changes: string }) => ({ ...r, changes: JSON.parse(r.changes) }));

const rosa = { displayName: 'Rosa Diaz', role: 'teacher', qualifiesAs: '', birthDate: '', adultAttested: 'on', startedOn: '2025-08-18' };

async function refused(path: string, fields: Record<string, string>) {
  const before = await counts();
  const rows = JSON.stringify(await deps.db('people').orderBy('id'));
  const res = await director.submit(path, fields);
  expect(res.status, res.text.slice(0, 300)).toBe(422);
  expect(await counts()).toEqual(before);
  expect(JSON.stringify(await deps.db('people').orderBy('id'))).toBe(rows);
  return res;
}

describe('POST /centers/:centerId/people', () => {
  it('adds a staff member who is 18 or older without keeping a birth date, and audits it', async () => {
    const res = await director.submit(people(), rosa);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(people());
    const row = await deps.db('people').where({ display_name: 'Rosa Diaz' }).first();
    expect(row).toMatchObject({ center_id: seeded.center.id, role: 'teacher', qualifies_as: null, birth_date: null, adult_attested: dbBool(true), started_on: '2025-08-18', background_study: 'not_started', archived_at: null });
    const [entry] = await auditOf('person.created');
    expect(entry).toMatchObject({ record_id: row.id, actor_user_id: seeded.users.director.id });
    expect(entry!.changes.after).toEqual({ displayName: 'Rosa Diaz', role: 'teacher', qualifiesAs: null, birthDate: null, adultAttested: true, startedOn: '2025-08-18', email: null });
    expect((await director.get(people())).text).toContain('Rosa Diaz');
  });

  it('adds a volunteer with a birth date and the level they qualify at', async () => {
    const res = await director.submit(people(), { displayName: 'Jo N.', role: 'volunteer', qualifiesAs: 'aide', birthDate: '2009-01-15', startedOn: '' });
    expect(res.status).toBe(303);
    expect(await deps.db('people').where({ display_name: 'Jo N.' }).first()).toMatchObject({ role: 'volunteer', qualifies_as: 'aide', birth_date: '2009-01-15', adult_attested: dbBool(false), started_on: null });
  });

  it('asks for a birth date or "18 or older", for volunteers too', async () => {
    const res = await refused(people(), { ...rosa, role: 'volunteer', adultAttested: '' });
    expectFieldError(res.text, 'birthDate', 'Enter a birth date, or tick “18 or older”.');
    expect(res.text).toContain('<option value="volunteer" selected>');
  });

  it('refuses "18 or older" with a birth date under 18', async () => {
    const res = await refused(people(), { ...rosa, birthDate: '2008-03-03' });
    expectFieldError(res.text, 'adultAttested', /under 18/);
    // Turning 18 today is old enough.
    expect((await director.submit(people(), { ...rosa, birthDate: '2008-03-02' })).status).toBe(303);
  });

  it('names each bad field and keeps what was typed', async () => {
    const res = await refused(people(), { displayName: 'x'.repeat(101), role: 'captain', qualifiesAs: 'wizard', birthDate: '2030-01-01', adultAttested: '', startedOn: '2026-03-03' });
    expectFieldError(res.text, 'displayName', 'Use at most 100 characters.');
    expectFieldError(res.text, 'role', 'Choose a role.');
    expectFieldError(res.text, 'qualifiesAs', 'Choose a level from the list, or none.');
    expectFieldError(res.text, 'birthDate', 'The birth date cannot be in the future.');
    expectFieldError(res.text, 'startedOn', /The start date cannot be in the future/);
    expect(res.text).toContain('value="2030-01-01"');
    expect(res.text).toContain('value="2026-03-03"');
  });

  it('refuses a date that does not exist', async () => {
    const res = await refused(people(), { ...rosa, startedOn: '2025-02-29' });
    expectFieldError(res.text, 'startedOn', 'Enter a date like 2024-05-31.');
  });

  it('does not let staff or volunteers add people', async () => {
    for (const role of ['staff', 'volunteer'] as const) {
      const agent = await signInAs(app, seeded.users[role]);
      const before = await counts();
      expect((await agent.get(`${people()}/new`)).status).toBe(403);
      expect((await agent.submit(people(), rosa)).status).toBe(403);
      expect(await counts()).toEqual(before);
    }
  });
});

describe('GET /centers/:centerId/people', () => {
  it('does not show other people to staff or volunteers', async () => {
    for (const role of ['staff', 'volunteer'] as const) {
      const res = await (await signInAs(app, seeded.users[role])).get(people());
      expect(res.status).toBe(403);
      expect(res.text).not.toContain(seeded.people.teacher.displayName);
    }
  });

  it('shows age as "18 or older" when no birth date is kept, and the background study', async () => {
    const html = (await director.get(people())).text;
    expect(html).toContain(seeded.people.teacher.displayName);
    expect(html).toContain('18 or older');
    expect(html).toContain('Cleared');
  });
});

describe('POST /centers/:centerId/people/:personId/edit', () => {
  it('saves the changes, audits what changed, and leaves the background study alone', async () => {
    const id = seeded.people.teacher.id;
    const form = await director.get(personPath(id, 'edit'));
    expect(form.text).toContain('Background study');
    expect(form.text).toContain('Cleared');
    const res = await director.submit(personPath(id, 'edit'), {
      displayName: seeded.people.teacher.displayName,
      role: 'assistant_teacher',
      qualifiesAs: '',
      birthDate: '1990-04-01',
      adultAttested: 'on',
      startedOn: '',
      backgroundStudy: 'disqualified',
    });
    expect(res.status).toBe(303);
    expect(await deps.db('people').where({ id }).first()).toMatchObject({ role: 'assistant_teacher', birth_date: '1990-04-01', background_study: 'cleared' });
    const [entry] = await auditOf('person.updated');
    expect(entry!.changes).toEqual({ before: { role: 'teacher', birthDate: null }, after: { role: 'assistant_teacher', birthDate: '1990-04-01' } });
    expect((await director.get(res.headers.location!)).text).toContain(`<p class="flash flash-ok" role="status">${seeded.people.teacher.displayName} saved.</p>`);
  });

  it('refuses bad input and changes nothing', async () => {
    const res = await refused(personPath(seeded.people.teacher.id, 'edit'), { displayName: '', role: 'teacher', adultAttested: 'on' });
    expectFieldError(res.text, 'displayName', "Enter the person's name.");
  });

  it('answers 404 for a person of another center, and changes nothing there', async () => {
    const other = await seedCenter(deps.db);
    const id = other.people.teacher.id;
    expect((await director.get(personPath(id, 'edit'))).status).toBe(404);
    expect((await director.submit(personPath(id, 'edit'), rosa)).status).toBe(404);
    expect((await director.submit(personPath(id, 'archive'))).status).toBe(404);
    expect(await deps.db('people').where({ id }).first()).toMatchObject({ display_name: other.people.teacher.displayName, archived_at: null });
  });
});

describe('POST /centers/:centerId/people/:personId/archive and /unarchive', () => {
  it('hides an archived person from the list and from invitation pickers, keeps the row, and brings it back', async () => {
    const id = seeded.people.teacher.id;
    // The teacher has an account; a person on file without one shows in the invitation picker.
    await director.submit(people(), rosa);
    const rosaId = (await deps.db('people').where({ display_name: 'Rosa Diaz' }).first()).id;
    expect((await director.get(`/centers/${seeded.center.id}/invitations`)).text).toContain(rosaId);

    expect((await director.submit(personPath(rosaId, 'archive'))).status).toBe(303);
    expect((await deps.db('people').where({ id: rosaId }).first()).archived_at).toBe(deps.clock.now().toISOString());
    expect((await director.get(people())).text).not.toContain('Rosa Diaz');
    expect((await director.get(`/centers/${seeded.center.id}/invitations`)).text).not.toContain(rosaId);
    expect((await director.get(`${people()}?archived=1`)).text).toContain('Rosa Diaz');
    await director.submit(personPath(rosaId, 'archive'));
    expect(await auditOf('person.archived')).toHaveLength(1);

    expect((await director.submit(personPath(rosaId, 'unarchive'))).status).toBe(303);
    expect(await deps.db('people').where({ id: rosaId }).first()).toMatchObject({ archived_at: null });
    expect(await auditOf('person.unarchived')).toHaveLength(1);
    expect(await deps.db('people').where({ id }).first()).toMatchObject({ archived_at: null });
  });

  it('does not let staff archive a person', async () => {
    const staff = await signInAs(app, seeded.users.staff);
    expect((await staff.submit(personPath(seeded.people.volunteer.id, 'archive'))).status).toBe(403);
    expect(await deps.db('people').where({ id: seeded.people.volunteer.id }).first()).toMatchObject({ archived_at: null });
  });
});
