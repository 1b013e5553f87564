import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type Deps } from '../../src/web/app.js';
import { anAgent, signInAs, type Agent } from '../support/agent.js';
import { seedCenter, type SeededCenter } from '../support/builders.js';
import { testDeps, type TestClock } from '../support/deps.js';

let deps: Deps;
let clock: TestClock;
let app: ReturnType<typeof createApp>;
let seeded: SeededCenter;
let director: Agent;
let destroy: () => Promise<void>;
beforeEach(async () => {
  const t = await testDeps();
  ({ deps, clock, destroy } = t);
  app = createApp(deps);
  seeded = await seedCenter(deps.db);
  director = await signInAs(app, seeded.users.director);
});
afterEach(() => destroy());

const linkPath = (html: string) => {
  const match = /value="https?:\/\/[^/"]+(\/invitations\/[A-Za-z0-9_-]{43})"/.exec(html);
  if (!match) throw new Error('no invitation link on the page');
  return match[1]!;
};

async function invite(fields: Record<string, string>) {
  const res = await director.submit(`/centers/${seeded.center.id}/invitations`, fields);
  expect(res.status).toBe(201);
  return { res, path: linkPath(res.text) };
}

const joining = { displayName: 'Rosa Diaz', email: 'Rosa@Example.test', password: 'a long enough passphrase', passwordConfirmation: 'a long enough passphrase' };

describe('POST /centers/:centerId/invitations', () => {
  it('shows a one-time link to copy and its QR code, and stores only the hash of its token', async () => {
    const { res, path } = await invite({ role: 'volunteer' });
    expect(res.text).toMatch(/<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    const token = path.split('/').pop()!;
    const rows = await deps.db('invitations').select();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(rows[0]).toMatchObject({ purpose: 'invite', role: 'volunteer', center_id: seeded.center.id, created_by_user_id: seeded.users.director.id });
    expect(new Date(rows[0].expires_at).getTime() - clock.now().getTime()).toBe(7 * 24 * 60 * 60 * 1000);
    expect(await deps.db('audit_log').where({ action: 'invitation.created' }).first()).toMatchObject({ record_id: rows[0].id, actor_user_id: seeded.users.director.id });
  });

  it('does not let a director invite another director', async () => {
    const res = await director.submit(`/centers/${seeded.center.id}/invitations`, { role: 'director' });
    expect(res.status).toBe(422);
    expect(await deps.db('invitations').count({ n: '*' }).first()).toEqual({ n: 0 });
  });
});

describe('GET/POST /invitations/:token', () => {
  it('lets the invitee set a name and password and be in, with the role and center of the link', async () => {
    const { path } = await invite({ role: 'volunteer' });
    const invitee = anAgent(app);
    const page = await invitee.get(path).expect(200);
    expect(page.text).toContain(seeded.center.name);
    const res = await invitee.submit(path, joining);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/centers/${seeded.center.id}`);
    expect((await invitee.get(`/centers/${seeded.center.id}`)).status).toBe(200);

    const user = await deps.db('users').where({ email: 'rosa@example.test' }).first();
    expect(user.display_name).toBe('Rosa Diaz');
    expect(user.password_hash).toMatch(/^scrypt\$/);
    const membership = await deps.db('memberships').where({ user_id: user.id }).first();
    expect(membership).toMatchObject({ role: 'volunteer', center_id: seeded.center.id, deactivated_at: null });
    // A volunteer gets a person record for trainings and the background study.
    expect(await deps.db('people').where({ id: membership.person_id }).first()).toMatchObject({ role: 'volunteer', center_id: seeded.center.id });
    // The volunteer is not a manager.
    expect((await invitee.get(`/centers/${seeded.center.id}/members`)).status).toBe(403);
  });

  it('links the new account to the person on file the invitation named', async () => {
    const person = await deps.db('people').insert({
      id: '11111111-2222-4333-8444-555555555555', center_id: seeded.center.id, display_name: 'Ada Staff', role: 'aide', adult_attested: false,
      background_study: 'cleared', created_at: '2026-03-01T00:00:00.000Z',
    });
    expect(person).toBeDefined();
    const { path } = await invite({ role: 'staff', personId: '11111111-2222-4333-8444-555555555555' });
    const invitee = anAgent(app);
    expect((await invitee.get(path)).text).toContain('value="Ada Staff"');
    await invitee.submit(path, { ...joining, displayName: 'Ada Staff' });
    const user = await deps.db('users').where({ email: 'rosa@example.test' }).first();
    expect(await deps.db('memberships').where({ user_id: user.id }).first()).toMatchObject({ role: 'staff', person_id: '11111111-2222-4333-8444-555555555555' });
  });

  it('refuses a link that was already used', async () => {
    const { path } = await invite({ role: 'staff' });
    expect((await anAgent(app).submit(path, joining)).status).toBe(303);
    const second = anAgent(app);
    expect((await second.get(path)).status).toBe(410);
    const res = await second.submit(path, { ...joining, email: 'someone.else@example.test' });
    expect(res.status).toBe(410);
    expect(res.text).toContain('This link has expired or was already used.');
    expect(await deps.db('users').where({ email: 'someone.else@example.test' }).first()).toBeUndefined();
  });

  it('refuses a link after 7 days', async () => {
    const { path } = await invite({ role: 'staff' });
    clock.advance(7 * 24 * 60 * 60 * 1000 - 1000);
    expect((await request(app).get(path)).status).toBe(200);
    clock.advance(2000);
    const invitee = anAgent(app);
    expect((await invitee.get(path)).status).toBe(410);
    expect((await invitee.submit(path, joining)).status).toBe(410);
    expect(await deps.db('users').where({ email: 'rosa@example.test' }).first()).toBeUndefined();
  });

  it('answers 410 to a token that was never issued', async () => {
    expect((await request(app).get(`/invitations/${'A'.repeat(43)}`)).status).toBe(410);
    expect((await request(app).get('/invitations/short')).status).toBe(410);
  });

  it('refuses an email that already has an account, and keeps the link usable', async () => {
    const { path } = await invite({ role: 'staff' });
    const invitee = anAgent(app);
    const res = await invitee.submit(path, { ...joining, email: seeded.users.staff.email });
    expect(res.status).toBe(422);
    expect(res.text).toContain('id="email-error"');
    expect((await invitee.get(path)).status).toBe(200);
  });
});
