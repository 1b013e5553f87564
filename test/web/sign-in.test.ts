import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedDemo, DEMO_LOGINS } from '../../src/db/seed-demo.js';
import { hashPassword } from '../../src/passwords.js';
import { CSRF_COOKIE } from '../../src/web/auth/csrf.js';
import { SESSION_IDLE_MS } from '../../src/web/auth/session.js';
import { createApp } from '../../src/web/app.js';
import { SIGN_IN_LIMITS } from '../../src/web/sign-in/limits.js';
import { anAgent, csrfFrom, signInAs } from '../support/agent.js';
import { seedCenter, type SeededCenter } from '../support/builders.js';
import { TEST_SCRYPT, testDeps, type TestClock } from '../support/deps.js';
import { seededApp, type App } from '../support/seeded-app.js';
import type { Deps } from '../../src/web/deps.js';

let deps: Deps;
let clock: TestClock;
let app: App;
let seeded: SeededCenter;
let close: () => Promise<void>;
beforeEach(async () => {
  ({ deps, clock, app, seeded, close } = await seededApp());
});
afterEach(() => close());

const cookieNamed = (res: request.Response, name: string) =>
  ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith(`${name}=`))?.split(';')[0];
const sid = (res: request.Response) => cookieNamed(res, 'rw.sid');

/** One server for many requests at once (supertest would otherwise start one per request). */
async function listening(app: ReturnType<typeof createApp>): Promise<Server> {
  const server = createServer(app).listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

/** The sign-in page's form token and the cookie that goes with it, for requests sent by hand. */
async function signInForm(target: Parameters<typeof request>[0], headers: Record<string, string> = {}): Promise<{ cookie: string; _csrf: string }> {
  const page = await request(target).get('/sign-in').set(headers).expect(200);
  const cookie = ([] as string[]).concat(page.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]!).join('; ');
  return { cookie, _csrf: csrfFrom(page.text) };
}

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

  it('locks an account after 5 failures in 15 minutes from one address, even against the right password', async () => {
    const agent = anAgent(app);
    for (let i = 0; i < SIGN_IN_LIMITS.perPair; i++) {
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
    for (let i = 0; i < SIGN_IN_LIMITS.perPair; i++) await agent.submit('/sign-in', { email: 'nobody@example.test', password: `wrong guess ${i}` });
    const res = await agent.submit('/sign-in', { email: 'nobody@example.test', password: 'wrong guess 6' });
    expect(res.status).toBe(429);
    expect(res.text).toContain(TOO_MANY);
  });

  it('lets the account in again once 15 minutes have passed', async () => {
    const agent = anAgent(app);
    for (let i = 0; i < SIGN_IN_LIMITS.perPair; i++) await agent.submit('/sign-in', { email: seeded.users.staff.email, password: `wrong guess ${i}` });
    clock.advance(15 * 60 * 1000 + 1000);
    expect((await agent.submit('/sign-in', { email: seeded.users.staff.email, password: seeded.users.staff.password })).status).toBe(303);
  });

  it('counts no successful sign-in toward any limit', async () => {
    for (let i = 0; i < SIGN_IN_LIMITS.perAccount + 2; i++) {
      expect((await anAgent(app).submit('/sign-in', { email: seeded.users.staff.email, password: seeded.users.staff.password })).status).toBe(303);
    }
  });

  it('starts the count of a device and account over once the right password is typed', async () => {
    const agent = anAgent(app);
    const typo = () => agent.submit('/sign-in', { email: seeded.users.staff.email, password: 'a typo' });
    for (let i = 0; i < SIGN_IN_LIMITS.perPair - 1; i++) expect((await typo()).status).toBe(401);
    expect((await agent.submit('/sign-in', { email: seeded.users.staff.email, password: seeded.users.staff.password })).status).toBe(303);
    await agent.submit('/sign-out');
    for (let i = 0; i < SIGN_IN_LIMITS.perPair - 1; i++) expect((await typo()).status).toBe(401);
  });

  it('limits one address to 100 failures across accounts', async () => {
    const server = await listening(app);
    try {
      const form = await signInForm(server);
      for (let i = 0; i < SIGN_IN_LIMITS.perAddress; i += 10) {
        const batch = Array.from({ length: 10 }, (_, j) =>
          request(server).post('/sign-in').set('Cookie', form.cookie).type('form').send({ ...form, email: `guess${i + j}@example.test`, password: 'wrong guess' }),
        );
        expect((await Promise.all(batch)).map((r) => r.status)).toEqual(Array(10).fill(401));
      }
      const res = await request(server).post('/sign-in').set('Cookie', form.cookie).type('form').send({ ...form, email: seeded.users.staff.email, password: seeded.users.staff.password });
      expect(res.status).toBe(429);
    } finally {
      server.close();
    }
  });

  it('H1: refuses a parallel burst of 200 guesses after the limit, the right password among them', async () => {
    const server = await listening(app);
    try {
      const form = await signInForm(server);
      const guess = (password: string) =>
        request(server).post('/sign-in').set('Cookie', form.cookie).type('form').send({ ...form, email: seeded.users.staff.email, password });
      // All at once; the right password is the 180th.
      const burst = await Promise.all(Array.from({ length: 200 }, (_, i) => guess(i === 179 ? seeded.users.staff.password : `wrong guess ${i}`)));
      const statuses = burst.map((r) => r.status);
      // Each try is counted before its password is checked: at most the limit's worth are checked at all.
      const checked = statuses.filter((s) => s !== 429);
      expect(checked.length).toBeGreaterThan(0);
      expect(checked.length).toBeLessThanOrEqual(SIGN_IN_LIMITS.perPair);
      expect(checked.every((s) => s === 401)).toBe(true);
      expect(burst[179]!.status).toBe(429);
      expect(burst[179]!.text).toContain(TOO_MANY);
      // Nobody was signed in: no session, no sign-in in the audit log.
      expect(await deps.db('sessions').count({ n: '*' }).first()).toMatchObject({ n: 0 });
      expect(await deps.db('audit_log').where({ action: 'user.signed_in' }).first()).toBeUndefined();
      // The account stays locked against the right password after the burst too.
      expect((await guess(seeded.users.staff.password)).status).toBe(429);
      // The refused tries checked nothing and count nothing: the address is not locked for the others behind it.
      const other = await request(server).post('/sign-in').set('Cookie', form.cookie).type('form').send({ ...form, email: seeded.users.director.email, password: seeded.users.director.password });
      expect(other.status).toBe(303);
    } finally {
      server.close();
    }
  });

  it("L6: lets a user behind the same address as an attacker sign in to their own account after the attacker's 20 failures", async () => {
    const attacker = anAgent(app);
    for (let i = 0; i < 20; i++) {
      expect((await attacker.submit('/sign-in', { email: `guess${i}@example.test`, password: 'wrong guess' })).status).toBe(401);
    }
    // Same address (this test's 127.0.0.1), another device, their own account.
    expect((await anAgent(app).submit('/sign-in', { email: seeded.users.staff.email, password: seeded.users.staff.password })).status).toBe(303);
  });

  describe('behind a proxy (TRUST_PROXY)', () => {
    let proxied: ReturnType<typeof createApp>;
    let server: Server;
    let s: SeededCenter;
    let closeProxied: () => Promise<void>;
    beforeEach(async () => {
      ({ app: proxied, seeded: s, close: closeProxied } = await seededApp({ env: { TRUST_PROXY: 'true' } }));
      server = await listening(proxied);
    });
    afterEach(async () => {
      server.close();
      await closeProxied();
    });

    /** A sign-in through the HTTPS proxy: it appends the address it saw to what the client wrote in X-Forwarded-For. */
    const through = async (client: string, forged: string, fields: { email: string; password: string }) => {
      const headers = { 'X-Forwarded-For': forged ? `${forged}, ${client}` : client, 'X-Forwarded-Proto': 'https' };
      const form = await signInForm(server, headers);
      return request(server).post('/sign-in').set(headers).set('Cookie', form.cookie).type('form').send({ ...form, ...fields });
    };

    it('M2: counts the address the proxy saw, whatever the client writes left-most in X-Forwarded-For', async () => {
      for (let i = 0; i < SIGN_IN_LIMITS.perAddress; i += 10) {
        const batch = Array.from({ length: 10 }, (_, j) => through('203.0.113.7', `198.51.100.${i + j}`, { email: `guess${i + j}@example.test`, password: 'wrong guess' }));
        expect((await Promise.all(batch)).map((r) => r.status)).toEqual(Array(10).fill(401));
      }
      // A fresh forged address changes nothing: the address the proxy saw is locked.
      expect((await through('203.0.113.7', '192.0.2.99', { email: s.users.staff.email, password: s.users.staff.password })).status).toBe(429);
      expect((await through('203.0.113.7', '', { email: s.users.staff.email, password: s.users.staff.password })).status).toBe(429);
      // Another client of the same proxy is not.
      expect((await through('203.0.113.8', '198.51.100.1', { email: s.users.staff.email, password: s.users.staff.password })).status).toBe(303);
    }, 30_000);

    it('locks an account after 10 failures from several addresses, and one address alone cannot lock it for others', async () => {
      for (let i = 0; i < SIGN_IN_LIMITS.perPair; i++) expect((await through('203.0.113.1', '', { email: s.users.staff.email, password: `wrong ${i}` })).status).toBe(401);
      expect((await through('203.0.113.1', '', { email: s.users.staff.email, password: s.users.staff.password })).status).toBe(429);
      // The owner of the account, elsewhere, still signs in.
      expect((await through('203.0.113.2', '', { email: s.users.staff.email, password: s.users.staff.password })).status).toBe(303);
      for (let i = 0; i < SIGN_IN_LIMITS.perPair; i++) expect((await through('203.0.113.3', '', { email: s.users.staff.email, password: `wrong ${i}` })).status).toBe(401);
      // Ten failures from anywhere: the account is locked wherever the next try comes from.
      expect((await through('203.0.113.2', '', { email: s.users.staff.email, password: s.users.staff.password })).status).toBe(429);
    });

    it('counts an IPv6 client by its /64, so a device cannot take a fresh address for every guess', async () => {
      for (let i = 0; i < SIGN_IN_LIMITS.perPair; i++) {
        expect((await through(`2001:db8:1:2::${i + 1}`, '', { email: s.users.staff.email, password: `wrong ${i}` })).status).toBe(401);
      }
      expect((await through('2001:db8:1:2:ffff::9', '', { email: s.users.staff.email, password: s.users.staff.password })).status).toBe(429);
      expect((await through('2001:db8:1:3::1', '', { email: s.users.staff.email, password: s.users.staff.password })).status).toBe(303);
    });
  });
});

describe('sessions', () => {
  it('gives a new session id at sign-in, and the old one is not signed in', async () => {
    // A visitor has no session to plant; the id someone could plant is one of their own, signed in.
    const planted = await anAgent(app).submit('/sign-in', { email: seeded.users.staff.email, password: seeded.users.staff.password });
    const before = sid(planted);
    expect(before).toBeDefined();
    const token = csrfFrom((await request(app).get('/rules').set('Cookie', before!)).text);
    const res = await request(app)
      .post('/sign-in')
      .set('Cookie', before!)
      .type('form')
      .send({ email: seeded.users.director.email, password: seeded.users.director.password, _csrf: token });
    expect(res.status).toBe(303);
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

  it('marks the cookies Secure behind an HTTPS proxy (TRUST_PROXY)', async () => {
    const t = await testDeps(undefined, { TRUST_PROXY: 'true' });
    try {
      const proxied = createApp(t.deps);
      const s = await seedCenter(t.deps.db);
      const page = await request(proxied).get('/sign-in').set('X-Forwarded-Proto', 'https');
      expect(([] as string[]).concat(page.headers['set-cookie'] ?? []).find((c) => c.startsWith(`${CSRF_COOKIE}=`))).toMatch(/; Secure/);
      const res = await request(proxied)
        .post('/sign-in')
        .set('X-Forwarded-Proto', 'https')
        .set('Cookie', cookieNamed(page, CSRF_COOKIE)!)
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

describe('visitors who have not signed in', () => {
  it('L7: stores no session for 50 anonymous visits to the sign-in page', async () => {
    for (let i = 0; i < 50; i++) {
      const page = await request(app).get('/sign-in').expect(200);
      expect(sid(page)).toBeUndefined();
    }
    expect(await deps.db('sessions').count({ n: '*' }).first()).toMatchObject({ n: 0 });
  });

  it('L7: still requires the form token at sign-in, checked against the cookie the page set', async () => {
    const form = await signInForm(app);
    expect(form.cookie).toMatch(new RegExp(`^${CSRF_COOKIE.replace('.', '\\.')}=[A-Za-z0-9_-]{43}$`));
    expect(form.cookie).toBe(`${CSRF_COOKIE}=${form._csrf}`);
    const fields = { email: seeded.users.staff.email, password: seeded.users.staff.password };
    const post = () => request(app).post('/sign-in').type('form');
    // The token without its cookie, the cookie without the token, or another visitor's token: refused.
    expect((await post().send({ ...fields, _csrf: form._csrf })).status).toBe(403);
    expect((await post().set('Cookie', form.cookie).send(fields)).status).toBe(403);
    const other = await signInForm(app);
    expect((await post().set('Cookie', form.cookie).send({ ...fields, _csrf: other._csrf })).status).toBe(403);
    expect(await deps.db('sessions').count({ n: '*' }).first()).toMatchObject({ n: 0 });
    // Both: signed in, and only now is a session stored.
    const res = await post().set('Cookie', form.cookie).send({ ...fields, _csrf: form._csrf });
    expect(res.status).toBe(303);
    expect(await deps.db('sessions').count({ n: '*' }).first()).toMatchObject({ n: 1 });
    expect((await request(app).get('/').set('Cookie', sid(res)!)).status).toBe(200);
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

describe('demo logins on the sign-in page', () => {
  const seedTheDemo = (db: Deps['db']) => seedDemo(db, { at: clock.now(), hashPassword: (p) => hashPassword(p, TEST_SCRYPT) });

  it('lists the demo logins while the demo is the only organization', async () => {
    const t = await testDeps();
    try {
      await seedTheDemo(t.deps.db);
      const page = await request(createApp(t.deps)).get('/sign-in').expect(200);
      expect(page.text).toContain('Try the demo');
      for (const { email } of DEMO_LOGINS) expect(page.text).toContain(email);
    } finally {
      await t.destroy();
    }
  });

  it('M7: does not list the demo logins once a real organization stands beside the demo', async () => {
    // beforeEach made a real organization; the demo is added beside it, as on a database from before create-owner refused.
    await seedTheDemo(deps.db);
    const page = await request(app).get('/sign-in').expect(200);
    expect(page.text).not.toContain('Try the demo');
    for (const { email } of DEMO_LOGINS) expect(page.text).not.toContain(email);
    expect(page.text).not.toContain('ratiowatch-demo');
  });
});
