import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SESSION_IDLE_MS } from '../../src/web/auth/session.js';
import { createApp } from '../../src/web/app.js';
import { anAgent, csrfFrom, signInAs } from '../support/agent.js';
import { seedCenter, type SeededCenter } from '../support/builders.js';
import { testDeps, type TestClock } from '../support/deps.js';
import type { Deps } from '../../src/web/app.js';

let deps: Deps;
let clock: TestClock;
let app: ReturnType<typeof createApp>;
let seeded: SeededCenter;
let destroy: () => Promise<void>;
beforeEach(async () => {
  const t = await testDeps();
  ({ deps, clock, destroy } = t);
  app = createApp(deps);
  seeded = await seedCenter(deps.db);
});
afterEach(() => destroy());

const sid = (res: request.Response) =>
  ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('rw.sid='))?.split(';')[0];

describe('POST /sign-in', () => {
  it('signs in with the right email and password and sends the user home', async () => {
    const agent = anAgent(app);
    const res = await agent.submit('/sign-in', { email: seeded.users.director.email, password: seeded.users.director.password });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
    const home = await agent.get('/').expect(200);
    expect(home.text).toContain(seeded.center.name);
  });

  it('reads the email without regard to case or surrounding spaces', async () => {
    const agent = anAgent(app);
    const res = await agent.submit('/sign-in', { email: `  ${seeded.users.staff.email.toUpperCase()} `, password: seeded.users.staff.password });
    expect(res.status).toBe(303);
  });

  it('gives the same answer for an unknown email and a wrong password', async () => {
    const wrong = await anAgent(app).submit('/sign-in', { email: seeded.users.staff.email, password: 'not the password at all' });
    const unknown = await anAgent(app).submit('/sign-in', { email: 'nobody@example.test', password: 'not the password at all' });
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.text).toContain('Email or password is not right.');
    }
    // The email typed is kept; the password never comes back.
    expect(wrong.text).toContain(`value="${seeded.users.staff.email}"`);
    expect(wrong.text).not.toContain('not the password at all');
  });

  it('records a successful sign-in in the audit log, never a password', async () => {
    await signInAs(app, seeded.users.staff);
    const entry = await deps.db('audit_log').where({ action: 'user.signed_in' }).first();
    expect(entry).toMatchObject({ actor_user_id: seeded.users.staff.id, center_id: seeded.center.id });
    const everything = JSON.stringify(await deps.db('audit_log').select());
    expect(everything).not.toContain(seeded.users.staff.password);
  });

  it('refuses a deactivated member with the same words as a wrong password', async () => {
    await deps.db('memberships').where({ id: seeded.memberships.volunteer.id }).update({ deactivated_at: '2026-03-01T00:00:00.000Z' });
    const res = await anAgent(app).submit('/sign-in', { email: seeded.users.volunteer.email, password: seeded.users.volunteer.password });
    expect(res.status).toBe(401);
    expect(res.text).toContain('Email or password is not right.');
  });
});

describe('sign-in limits', () => {
  const TOO_MANY = 'Too many attempts. Wait 15 minutes, or ask your director for a reset link.';

  it('locks an account after 5 failures in 15 minutes, even against the right password', async () => {
    const agent = anAgent(app);
    for (let i = 0; i < 5; i++) {
      const res = await agent.submit('/sign-in', { email: seeded.users.staff.email, password: `wrong guess ${i}` });
      expect(res.status).toBe(401);
    }
    const locked = await agent.submit('/sign-in', { email: seeded.users.staff.email, password: seeded.users.staff.password });
    expect(locked.status).toBe(429);
    expect(locked.text).toContain(TOO_MANY);
    // Another account from the same address is not locked by these.
    expect((await anAgent(app).submit('/sign-in', { email: seeded.users.director.email, password: seeded.users.director.password })).status).toBe(303);
  });

  it('locks an unknown email the same way, so a lockout does not tell an account exists', async () => {
    const agent = anAgent(app);
    for (let i = 0; i < 5; i++) await agent.submit('/sign-in', { email: 'nobody@example.test', password: `wrong guess ${i}` });
    const res = await agent.submit('/sign-in', { email: 'nobody@example.test', password: 'wrong guess 6' });
    expect(res.status).toBe(429);
    expect(res.text).toContain(TOO_MANY);
  });

  it('lets the account in again once 15 minutes have passed', async () => {
    const agent = anAgent(app);
    for (let i = 0; i < 5; i++) await agent.submit('/sign-in', { email: seeded.users.staff.email, password: `wrong guess ${i}` });
    clock.advance(15 * 60 * 1000 + 1000);
    expect((await agent.submit('/sign-in', { email: seeded.users.staff.email, password: seeded.users.staff.password })).status).toBe(303);
  });

  it('limits one address to 20 failures across accounts', async () => {
    const agent = anAgent(app);
    for (let i = 0; i < 20; i++) await agent.submit('/sign-in', { email: `guess${i}@example.test`, password: 'wrong guess' });
    const res = await agent.submit('/sign-in', { email: seeded.users.staff.email, password: seeded.users.staff.password });
    expect(res.status).toBe(429);
  });
});

describe('sessions', () => {
  it('gives a new session id at sign-in, and the old one is not signed in', async () => {
    const agent = anAgent(app);
    const before = sid(await agent.get('/sign-in'));
    expect(before).toBeDefined();
    const res = await agent.submit('/sign-in', { email: seeded.users.staff.email, password: seeded.users.staff.password });
    const after = sid(res);
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    // The id planted before sign-in is worthless afterwards.
    const old = await request(app).get('/').set('Cookie', before!);
    expect(old.status).toBe(303);
    expect(old.headers.location).toBe('/sign-in');
    expect((await request(app).get('/').set('Cookie', after!)).status).toBe(200);
  });

  it('sets the session cookie httpOnly and SameSite=Lax, for 12 hours', async () => {
    const res = await anAgent(app).submit('/sign-in', { email: seeded.users.staff.email, password: seeded.users.staff.password });
    const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('rw.sid='))!;
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).not.toMatch(/; Secure/);
    const expires = new Date(/Expires=([^;]+)/.exec(cookie)![1]!).getTime();
    expect(Math.abs(expires - Date.now() - SESSION_IDLE_MS)).toBeLessThan(60_000);
  });

  it('marks the cookie Secure behind an HTTPS proxy (TRUST_PROXY)', async () => {
    const t = await testDeps(undefined, { TRUST_PROXY: 'true' });
    try {
      const proxied = createApp(t.deps);
      const s = await seedCenter(t.deps.db);
      const page = await request(proxied).get('/sign-in').set('X-Forwarded-Proto', 'https');
      const cookie = sid(page)!;
      const res = await request(proxied)
        .post('/sign-in')
        .set('X-Forwarded-Proto', 'https')
        .set('Cookie', cookie)
        .type('form')
        .send({ email: s.users.staff.email, password: s.users.staff.password, _csrf: csrfFrom(page.text) });
      expect(res.status).toBe(303);
      expect(([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('rw.sid='))).toMatch(/; Secure/);
    } finally {
      await t.destroy();
    }
  });

  it('ends the session at sign-out', async () => {
    const agent = await signInAs(app, seeded.users.staff);
    const res = await agent.submit('/sign-out');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/sign-in?signed-out');
    expect((await agent.get(res.headers.location!)).text).toContain('You are signed out.');
    expect((await agent.get('/')).headers.location).toBe('/sign-in');
  });

  it('ends a session left idle for more than 12 hours', async () => {
    const agent = await signInAs(app, seeded.users.staff);
    clock.advance(SESSION_IDLE_MS - 60_000);
    expect((await agent.get('/')).status).toBe(200);
    // Each request restarts the 12 hours.
    clock.advance(SESSION_IDLE_MS - 60_000);
    expect((await agent.get('/')).status).toBe(200);
    clock.advance(SESSION_IDLE_MS + 1000);
    const res = await agent.get('/');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/sign-in');
  });
});

describe('CSRF protection', () => {
  it('refuses a form posted without the token', async () => {
    const res = await request(app).post('/sign-in').type('form').send({ email: seeded.users.staff.email, password: seeded.users.staff.password });
    expect(res.status).toBe(403);
    expect(res.text).toContain('This form expired. Go back, reload and try again.');
  });

  it("refuses another session's token", async () => {
    const other = anAgent(app);
    const token = await other.csrf();
    const agent = await signInAs(app, seeded.users.director);
    const res = await agent.post(`/centers/${seeded.center.id}/memberships/${seeded.memberships.staff.id}/deactivation`).type('form').send({ _csrf: token });
    expect(res.status).toBe(403);
    expect(await deps.db('memberships').where({ id: seeded.memberships.staff.id }).first()).toMatchObject({ deactivated_at: null });
  });

  it('answers a JSON request without the token with a JSON error', async () => {
    const agent = await signInAs(app, seeded.users.director);
    const res = await agent.post('/sign-out').set('Accept', 'application/json').send({});
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: 'This form expired. Go back, reload and try again.' });
  });

  it('accepts the token in the X-CSRF-Token header', async () => {
    const agent = await signInAs(app, seeded.users.staff);
    const res = await agent.post('/sign-out').set('X-CSRF-Token', await agent.csrf());
    expect(res.status).toBe(303);
  });
});
