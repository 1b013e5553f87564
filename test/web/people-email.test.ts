import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Deps } from '../../src/web/app.js';
import { anAgent, type Agent } from '../support/agent.js';
import type { SeededCenter } from '../support/builders.js';
import { expectFieldError, rowCounts } from '../support/forms.js';
import { seededApp, type App } from '../support/seeded-app.js';

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
const rosa = { displayName: 'Rosa Diaz', role: 'teacher', qualifiesAs: '', birthDate: '', adultAttested: 'on', startedOn: '' };
const auditOf = async (action: string) => (await deps.db('audit_log').where({ action }).orderBy('id')).map((r: { changes: string }) => JSON.parse(r.changes));

describe('the person form: email', () => {
  it('keeps an email, trimmed and lowercased, and audits it', async () => {
    const res = await director.submit(people(), { ...rosa, email: '  Rosa.Diaz@Example.TEST ' });
    expect(res.status).toBe(303);
    const row = await deps.db('people').where({ display_name: 'Rosa Diaz' }).first();
    expect(row.email).toBe('rosa.diaz@example.test');
    expect((await auditOf('person.created'))[0].after.email).toBe('rosa.diaz@example.test');
    const edit = await director.get(`${people()}/${row.id}/edit`);
    expect(edit.text).toContain('value="rosa.diaz@example.test"');
    const changed = await director.submit(`${people()}/${row.id}/edit`, { ...rosa, email: '' });
    expect(changed.status).toBe(303);
    expect((await deps.db('people').where({ id: row.id }).first()).email).toBeNull();
    expect((await auditOf('person.updated'))[0]).toEqual({ before: { email: 'rosa.diaz@example.test' }, after: { email: null } });
  });

  it('refuses a malformed or too long email with a message next to the field, storing nothing', async () => {
    for (const [email, message] of [
      ['not an email', /Enter an email address like name@example.org/],
      ['rosa@', /Enter an email address like name@example.org/],
      [`${'a'.repeat(250)}@example.test`, /at most 254 characters/],
    ] as const) {
      const before = await rowCounts(deps.db, ['people', 'audit_log']);
      const res = await director.submit(people(), { ...rosa, email });
      expect(res.status).toBe(422);
      expectFieldError(res.text, 'email', message);
      expect(await rowCounts(deps.db, ['people', 'audit_log'])).toEqual(before);
    }
  });

  it('keeps no email for a person who has an account: the field is not shown and a posted one is ignored', async () => {
    const teacher = seeded.people.teacher; // linked to the seeded staff account
    const edit = await director.get(`${people()}/${teacher.id}/edit`);
    expect(edit.text).not.toContain('name="email"');
    expect(edit.text).toContain('This person has an account');
    await director.submit(`${people()}/${teacher.id}/edit`, { displayName: teacher.displayName, role: 'teacher', qualifiesAs: '', birthDate: '', adultAttested: 'on', startedOn: '', email: 'x@example.test' });
    expect((await deps.db('people').where({ id: teacher.id }).first()).email).toBeNull();
  });

  it('forgets the email when a single invitation for the person is accepted', async () => {
    await director.submit(people(), { ...rosa, email: 'rosa@example.test' });
    const row = await deps.db('people').where({ display_name: 'Rosa Diaz' }).first();
    const made = await director.submit(`/centers/${seeded.center.id}/invitations`, { role: 'staff', personId: row.id });
    const page = await director.get(made.headers.location!);
    const path = /value="https?:\/\/[^/"]+(\/invitations\/[A-Za-z0-9_-]{43})"/.exec(page.text)![1]!;
    const visitor = anAgent(app);
    expect((await visitor.get(path)).text).toContain('value="rosa@example.test"');
    const joined = await visitor.submit(path, { displayName: 'Rosa Diaz', email: 'rosa.home@example.test', password: 'a long enough passphrase', passwordConfirmation: 'a long enough passphrase' });
    expect(joined.status).toBe(303);
    expect((await deps.db('people').where({ id: row.id }).first()).email).toBeNull();
    expect(await deps.db('users').where({ email: 'rosa.home@example.test' }).first()).toBeTruthy();
  });
});
