/**
 * Alerts to phones by Web Push (services/alerts/push.ts, the job runner's `push` job),
 * received by a push service in the test process that checks the VAPID signature and
 * decrypts each payload with the device's own keys (test/support/push-service.ts):
 * what a volunteer's phone shows for a cover opening and where tapping it goes; a device
 * the push service says is gone is removed; a busy service is tried again; quiet hours
 * hold what is not urgent; a restart mid-send sends nothing twice; a breach reaches the
 * directors by email and push with nobody looking; and the routes that add and remove a
 * device, one's own only. Monday 2 March 2026 in Chicago (UTC-6).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Knex } from 'knex';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { parseConfig } from '../../src/config.js';
import { createMembership } from '../../src/db/memberships.js';
import { createPerson } from '../../src/db/people.js';
import { savePushSubscription } from '../../src/db/push-subscriptions.js';
import { newId, type Person } from '../../src/db/rows.js';
import { createTrainingRecord } from '../../src/db/trainings.js';
import { createUser } from '../../src/db/users.js';
import { hashPassword } from '../../src/passwords.js';
import { createMailTransport } from '../../src/services/alerts/mail.js';
import { createPushTransport, deliverDuePush } from '../../src/services/alerts/push.js';
import { listCenters } from '../../src/db/centers.js';
import { createDb } from '../../src/db/knex.js';
import { testEngine } from '../support/db.js';
import { vapidKeys } from '../../src/services/alerts/vapid.js';
import { createJobRunner, type JobRunner } from '../../src/services/jobs.js';
import { signInAs, type Agent } from '../support/agent.js';
import { TEST_PASSWORD, seedCenter, type SeededCenter, type TestUser } from '../support/builders.js';
import { TEST_SCRYPT, type TestClock } from '../support/deps.js';
import { startPushService, type Device, type PushService } from '../support/push-service.js';
import { seededApp, type App, type SeededApp } from '../support/seeded-app.js';

const INFANT_TRAININGS = ['orientation', 'suid', 'aht', 'first_aid', 'cpr'];
// 06:45 in Chicago.
const MORNING = '2026-03-02T12:45:00Z';
const PUBLIC_URL = 'https://rw.example.test';
const silent = pino({ level: 'silent' });

let push: PushService;
beforeAll(async () => {
  push = await startPushService();
});
afterAll(() => push.close());

let s: SeededApp;
let db: Knex;
let app: App;
let clock: TestClock;
let home: SeededCenter;
let jobs: JobRunner;
const runners: JobRunner[] = [];

beforeEach(async () => {
  push.received = [];
  push.answer = () => null;
  s = await seededApp({ at: MORNING, env: { PUBLIC_URL }, center: { name: 'Home Center' } });
  ({ db, app, clock, seeded: home } = s);
  jobs = runner();
});
afterEach(async () => {
  for (const r of runners.splice(0)) await r.stop();
  await s?.close();
});

/** A job runner on the app's database, sending email as .eml files and push to the test service. */
function runner(on: Knex = db): JobRunner {
  const config = s.deps.config;
  const r = createJobRunner({
    db: on,
    log: silent,
    clock,
    delivery: { transport: createMailTransport(config), publicUrl: config.publicUrl, push: createPushTransport(vapidKeys(config), { agent: push.agent }) },
  });
  runners.push(r);
  return r;
}
const tick = async (at?: string) => {
  if (at) clock.set(at);
  expect(await jobs.runOnce(clock.now())).toEqual({ ran: true, failures: [] });
};

let made = 0;
async function volunteer(name: string): Promise<{ person: Person; user: TestUser }> {
  const at = new Date('2026-03-01T12:00:00Z');
  const person = await createPerson(db, { centerId: home.center.id, displayName: name, role: 'volunteer', qualifiesAs: 'aide', adultAttested: true, backgroundStudy: 'cleared', backgroundClearedOn: '2026-01-02', at });
  for (const trainingId of INFANT_TRAININGS) await createTrainingRecord(db, { centerId: home.center.id, personId: person.id, trainingId, completedOn: '2026-01-10', status: 'verified', at });
  const email = `${name.split(' ')[0]!.toLowerCase()}${++made}@example.test`;
  const created = await createUser(db, { email, displayName: name, passwordHash: await hashPassword(TEST_PASSWORD, TEST_SCRYPT), at });
  if (!created.ok) throw new Error('user');
  await createMembership(db, { userId: created.user.id, organizationId: home.organization.id, centerId: home.center.id, role: 'volunteer', personId: person.id, at });
  return { person, user: { id: created.user.id, email, password: TEST_PASSWORD } };
}

/** The device subscribed for the user, as the route stores it (the route refuses the test service's IP address, so straight to the table). */
async function phone(userId: string, name: string): Promise<Device & { id: string }> {
  const d = push.device(name);
  const { subscription } = await savePushSubscription(db, { userId, endpoint: d.endpoint, p256dh: d.p256dh, auth: d.auth, label: 'Chrome on Android' }, new Date(MORNING));
  return { ...d, id: subscription.id };
}

const base = () => `/centers/${home.center.id}`;
async function ask(agent: Agent, fields: Record<string, string> = {}): Promise<string> {
  const res = await agent.submit(`${base()}/cover-requests`, { roomId: home.rooms.infants.id, day: '2026-03-02', start: '15:00', end: '17:00', count: '1', ...fields });
  expect(res.status, res.text.slice(0, 300)).toBe(303);
  return /cover-requests\/([0-9a-f-]{36})$/.exec(res.headers.location ?? '')![1]!;
}
const pushRows = (userId: string) => db('outbox').where({ user_id: userId, channel: 'push' }).orderBy('created_at').orderBy('id');
const devicesOf = (userId: string) => db('push_subscriptions').where({ user_id: userId });

describe('push to phones', () => {
  it("shows a cover opening on each of the volunteer's phones, encrypted to each, and opens the request's page when tapped", async () => {
    const ana = await volunteer('Ana Lopez');
    const [a1, a2] = [await phone(ana.user.id, 'ana-phone'), await phone(ana.user.id, 'ana-tablet')];
    await ask(await signInAs(app, home.users.staff));
    expect(push.received).toEqual([]); // sent by the job runner
    await tick();

    expect(push.received.map((r) => r.device).sort()).toEqual(['ana-phone', 'ana-tablet']);
    const [row] = await pushRows(ana.user.id);
    for (const r of push.received) {
      expect(r.payload).toEqual({ title: 'Home Center', body: 'Cover needed in Infants, Mon 2 Mar 15:00–17:00, 1 person. You can take it.', url: `${PUBLIC_URL}${base()}/cover` });
      // Signed with the app's VAPID key; not urgent at 06:45 for 15:00; the row's id as its topic.
      expect(r.vapidKey).toBe(vapidKeys(s.deps.config).publicKey);
      expect(r.claims.sub).toMatch(/^(mailto:|https:)/);
      expect(r.urgency).toBe('normal');
      expect(r.topic).toBe(row.id.replace(/-/g, ''));
      expect(Number(r.ttl)).toBeGreaterThan(0);
      // The same short text as the email: no child, no health detail, no background study.
      expect(JSON.stringify(r.payload)).not.toMatch(/background|study|allerg|Maya/i);
    }
    expect(row).toMatchObject({ status: 'sent', attempts: 1, kind: 'cover_request_new' });
    // The email went too, as its own row.
    expect(await db('outbox').where({ user_id: ana.user.id, channel: 'email' })).toMatchObject([{ status: 'sent' }]);
    expect((await devicesOf(ana.user.id)).map((d: { last_ok_at: string | null }) => d.last_ok_at)).toEqual([MORNING.replace('Z', '.000Z'), MORNING.replace('Z', '.000Z')]);
    expect([a1.id, a2.id]).toHaveLength(2);

    await tick('2026-03-02T12:46:00Z');
    expect(push.received).toHaveLength(2);
  });

  it('queues no push for someone without a phone, nor for someone who turned push off', async () => {
    const ana = await volunteer('Ana Lopez');
    const bea = await volunteer('Bea Park');
    await phone(bea.user.id, 'bea-phone');
    const agent = await signInAs(app, bea.user);
    expect((await agent.submit(`${base()}/my/alerts`, { email: 'on' })).status).toBe(303); // push unticked
    await ask(await signInAs(app, home.users.staff));
    await tick();
    expect(await pushRows(ana.user.id)).toEqual([]);
    expect(await pushRows(bea.user.id)).toEqual([]);
    expect(push.received).toEqual([]);
  });

  it('removes a device its push service says is gone (410), and still reaches the others', async () => {
    const ana = await volunteer('Ana Lopez');
    await phone(ana.user.id, 'ana-old');
    const kept = await phone(ana.user.id, 'ana-new');
    push.answer = (device) => (device === 'ana-old' ? 410 : null);
    await ask(await signInAs(app, home.users.staff));
    await tick();
    expect(push.received.map((r) => r.device)).toEqual(['ana-new']);
    expect((await devicesOf(ana.user.id)).map((d: { id: string }) => d.id)).toEqual([kept.id]);
    expect(await pushRows(ana.user.id)).toMatchObject([{ status: 'sent' }]);
  });

  it('drops the message when its only device is gone (404), with nothing left to send to', async () => {
    const ana = await volunteer('Ana Lopez');
    await phone(ana.user.id, 'ana-gone');
    push.answer = () => 404;
    await ask(await signInAs(app, home.users.staff));
    await tick();
    expect(await devicesOf(ana.user.id)).toEqual([]);
    expect(await pushRows(ana.user.id)).toMatchObject([{ status: 'dropped' }]);
  });

  it('tries a busy push service again with the growing wait (429, 503), then delivers once', async () => {
    const ana = await volunteer('Ana Lopez');
    await phone(ana.user.id, 'ana-phone');
    const answers = [429, 503];
    push.answer = () => answers.shift() ?? null;
    await ask(await signInAs(app, home.users.staff));
    await tick('2026-03-02T12:45:00Z');
    expect(await pushRows(ana.user.id)).toMatchObject([{ status: 'queued', attempts: 1, due_at: '2026-03-02T12:46:00.000Z', last_error: 'Push service answered 429: answered 429' }]);
    await tick('2026-03-02T12:46:00Z');
    expect(await pushRows(ana.user.id)).toMatchObject([{ status: 'queued', attempts: 2, due_at: '2026-03-02T12:48:00.000Z' }]);
    await tick('2026-03-02T12:47:00Z');
    expect(push.received).toEqual([]);
    await tick('2026-03-02T12:48:00Z');
    expect(push.received).toHaveLength(1);
    expect(await pushRows(ana.user.id)).toMatchObject([{ status: 'sent', attempts: 3 }]);
  });

  it('marks a refusal (403) as failed at once and shows it on the person’s alert settings', async () => {
    const ana = await volunteer('Ana Lopez');
    await phone(ana.user.id, 'ana-phone');
    push.answer = () => 403;
    await ask(await signInAs(app, home.users.staff));
    await tick();
    expect(await pushRows(ana.user.id)).toMatchObject([{ status: 'failed', attempts: 1 }]);
    const page = await (await signInAs(app, ana.user)).get(`${base()}/my/alerts`);
    expect(page.text).toContain('These alerts could not reach your phones.');
    expect(page.text).toMatch(/Push, [^<]*: Cover needed in Infants, Mon 2 Mar 15:00–17:00/);
    expect(page.text).toContain('Push service answered 403');
    // The endpoint (the device's address at its push service) is never shown.
    expect(page.text).not.toContain(push.url);
  });

  it('holds a push that is not urgent through quiet hours, and lets cover starting within 2 hours through as urgent', async () => {
    const ana = await volunteer('Ana Lopez');
    await phone(ana.user.id, 'ana-phone');
    const agent = await signInAs(app, ana.user);
    expect((await agent.submit(`${base()}/my/alerts`, { push: 'on', quietStart: '21:00', quietEnd: '08:00' })).status).toBe(303);
    const staff = await signInAs(app, home.users.staff);
    await ask(staff); // 15:00–17:00: not urgent at 06:45
    await tick();
    expect(push.received).toEqual([]);
    expect(await pushRows(ana.user.id)).toMatchObject([{ status: 'queued', attempts: 0, due_at: '2026-03-02T14:00:00.000Z' }]);

    await ask(staff, { start: '08:00', end: '09:00' });
    await tick('2026-03-02T12:46:00Z');
    expect(push.received.map((r) => [r.payload.body, r.urgency])).toEqual([['Cover needed in Infants, Mon 2 Mar 08:00–09:00, 1 person. You can take it.', 'high']]);

    await tick('2026-03-02T14:00:00Z'); // 08:00: quiet hours end
    expect(push.received.map((r) => r.payload.body)).toContain('Cover needed in Infants, Mon 2 Mar 15:00–17:00, 1 person. You can take it.');
    expect(push.received).toHaveLength(2);
  });

  it('sends nothing twice across a restart, and a send that died mid-way once, after its lease', async () => {
    const ana = await volunteer('Ana Lopez');
    const bea = await volunteer('Bea Park');
    await phone(ana.user.id, 'ana-phone');
    await phone(bea.user.id, 'bea-phone');
    await ask(await signInAs(app, home.users.staff));
    // A process took Bea's push and died before recording it: `sending`, its lease 5 minutes on.
    await db('outbox').where({ user_id: bea.user.id, channel: 'push' }).update({ status: 'sending', attempts: 1, lease_until: '2026-03-02T12:50:00.000Z' });
    await tick();
    expect(push.received.map((r) => r.device)).toEqual(['ana-phone']);
    // Restarted: a new job runner on the same database.
    await jobs.stop();
    jobs = runner(s.deps.db);
    await tick('2026-03-02T12:46:00Z');
    expect(push.received).toHaveLength(1);
    await tick('2026-03-02T12:50:00Z'); // Bea's lease ran out: tried again, once
    expect(push.received.map((r) => r.device)).toEqual(['ana-phone', 'bea-phone']);
    await tick('2026-03-02T13:50:00Z');
    expect(push.received).toHaveLength(2);
    expect(await pushRows(bea.user.id)).toMatchObject([{ status: 'sent', attempts: 2 }]);
  });

  it('pushes "no longer needed" to the others told when one claims it', async () => {
    const ana = await volunteer('Ana Lopez');
    const bea = await volunteer('Bea Park');
    await phone(ana.user.id, 'ana-phone');
    await phone(bea.user.id, 'bea-phone');
    const id = await ask(await signInAs(app, home.users.staff));
    await tick();
    expect(push.received).toHaveLength(2);
    push.received = [];
    expect((await (await signInAs(app, ana.user)).submit(`${base()}/cover-requests/${id}/claims`, { start: '15:00', end: '17:00' })).status).toBe(303);
    await tick('2026-03-02T12:46:00Z');
    const notNeeded = push.received.filter((r) => r.payload.body.includes('no longer needed'));
    expect(notNeeded.map((r) => [r.device, r.payload.body])).toEqual([['bea-phone', 'The cover in Infants, Mon 2 Mar 15:00–17:00 is no longer needed: it was filled.']]);
  });

  it('tells the directors of a forecast breach by email and push from the job runner, with nobody looking', async () => {
    const { seedRoomDay } = await import('../support/day.js');
    const director = await phone(home.users.director.id, 'director-phone');
    const day = await seedRoomDay(db, home);
    // Infants: two infants until 17:00, the teacher planned until 15:00 only; at 14:30 the breach is 30 minutes away.
    for (const child of [day.children.ada, day.children.ben]) await db('child_schedules').insert({ id: newId(), child_id: child.id, weekday: 1, arrive: '07:00', depart: '17:00' });
    const at = '2026-03-02T20:30:00Z';
    await db('shifts').insert({ id: newId(), center_id: home.center.id, room_id: home.rooms.infants.id, person_id: home.people.teacher.id, day: '2026-03-02', starts_at: '2026-03-02T13:00:00.000Z', ends_at: '2026-03-02T21:00:00.000Z', source: 'plan', cover_request_id: null, created_at: at, created_by_user_id: null, cancelled_at: null, cancelled_by_user_id: null });
    await db('day_plans').insert({ center_id: home.center.id, day: '2026-03-02', made_at: at });
    await db('person_presences').insert({ id: newId(), center_id: home.center.id, room_id: home.rooms.infants.id, person_id: home.people.teacher.id, started_at: '2026-03-02T13:00:00.000Z', ended_at: null });
    await tick(at);

    const text = 'Infants will be short of staff at 15:00 (2026-03-02) and no one has asked for cover yet.';
    const breaches = () => push.received.filter((r) => r.device === director.name && r.payload.body === text);
    expect(breaches().map((r) => r.payload)).toEqual([{ title: 'Home Center', body: text, url: expect.stringContaining(`${PUBLIC_URL}${base()}/cover-requests/new?roomId=${home.rooms.infants.id}`) }]);
    expect(JSON.stringify(push.received)).not.toContain(day.children.ada.displayName);
    const rows = await db('outbox').where({ user_id: home.users.director.id, kind: 'forecast_breach' }).orderBy('channel');
    expect(rows.map((r: { channel: string; status: string }) => [r.channel, r.status])).toEqual([
      ['email', 'sent'],
      ['push', 'sent'],
    ]);
    // The email, without SMTP_URL, as its .eml file.
    const folder = join(dirname(s.deps.config.dbFile), 'outbox');
    expect(existsSync(folder) && readdirSync(folder).includes(`${rows[0].id}.eml`)).toBe(true);
    await tick('2026-03-02T20:31:00Z');
    expect(breaches()).toHaveLength(1);
  });
});

describe.runIf(testEngine() === 'pg')('two PostgreSQL app processes', () => {
  it('push each message once when both send at the same moment', async () => {
    const people = [await volunteer('Ana Lopez'), await volunteer('Bea Park'), await volunteer('Cal Reed')];
    for (const p of people) await phone(p.user.id, `${p.user.id}-phone`);
    await ask(await signInAs(app, home.users.staff));
    const other = createDb(s.deps.config);
    try {
      const centers = await listCenters(db);
      const opts = { transport: createPushTransport(vapidKeys(s.deps.config), { agent: push.agent }), publicUrl: PUBLIC_URL };
      await Promise.all([deliverDuePush(db, centers, opts, silent, clock.now()), deliverDuePush(other, centers, opts, silent, clock.now()), deliverDuePush(other, centers, opts, silent, clock.now())]);
      expect(push.received).toHaveLength(3);
      expect(new Set(push.received.map((r) => r.topic)).size).toBe(3);
    } finally {
      await other.destroy();
    }
  });
});

// ------------------------------------------------------------------ the routes

/** A browser's PushSubscription.toJSON(), at a push service on the internet. */
function subscriptionJson(name: string) {
  const d = push.device(name);
  return { endpoint: `https://push.example.test/wpush/${name}`, expirationTime: null, keys: { p256dh: d.p256dh, auth: d.auth } };
}
async function subscribe(agent: Agent, body: unknown, ua = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36') {
  return agent.post(`${base()}/my/alerts/push-subscriptions`).set('X-CSRF-Token', await agent.csrf()).set('User-Agent', ua).set('Accept', 'application/json').send(body as object);
}

describe('POST /centers/:centerId/my/alerts/push-subscriptions and its removal', () => {
  it('adds this phone to one’s own devices, labelled, audited, once however often it subscribes', async () => {
    const agent = await signInAs(app, home.users.volunteer);
    const page = await agent.get(`${base()}/my/alerts`);
    expect(page.text).toContain(`data-vapid-key="${vapidKeys(s.deps.config).publicKey}"`);
    expect(page.text).toContain('Turn on alerts on this phone');
    expect(page.text).toContain('No device gets your alerts yet.');
    const body = subscriptionJson('vol-phone');
    const res = await subscribe(agent, body);
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({ label: 'Chrome on Android' });
    expect((await subscribe(agent, body)).status).toBe(201);
    expect(await devicesOf(home.users.volunteer.id)).toMatchObject([{ endpoint: body.endpoint, p256dh: body.keys.p256dh, auth: body.keys.auth, label: 'Chrome on Android', last_ok_at: null }]);
    expect(await db('audit_log').where({ action: 'push_subscription.added' })).toMatchObject([{ actor_user_id: home.users.volunteer.id }]);
    const listed = await agent.get(`${base()}/my/alerts`);
    expect(listed.text).toMatch(/Chrome on Android, added [^<]*Mon 2 Mar/);
  });

  it('refuses what is not a push subscription with a JSON error and stores nothing', async () => {
    const agent = await signInAs(app, home.users.volunteer);
    const good = subscriptionJson('vol-phone');
    for (const [body, error] of [
      [{ ...good, endpoint: 'http://push.example.test/x' }, 'The endpoint must be the https address of a push service.'],
      [{ ...good, endpoint: 'https://127.0.0.1:9/x' }, 'The endpoint must be the https address of a push service.'],
      [{ ...good, endpoint: 'https://localhost/x' }, 'The endpoint must be the https address of a push service.'],
      [{ ...good, endpoint: 'https://intranet/x' }, 'The endpoint must be the https address of a push service.'],
      [{ ...good, keys: { ...good.keys, p256dh: 'abc' } }, 'The subscription’s p256dh key must be a P-256 public key.'],
      [{ ...good, keys: { ...good.keys, auth: Buffer.alloc(8).toString('base64url') } }, 'The subscription’s auth secret must be 16 bytes.'],
      [{ endpoint: good.endpoint }, 'The subscription’s p256dh key must be a P-256 public key.'],
    ] as const) {
      const res = await subscribe(agent, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body).toEqual({ error });
    }
    // Without the CSRF token: refused too.
    const noToken = await agent.post(`${base()}/my/alerts/push-subscriptions`).set('Accept', 'application/json').send(good);
    expect(noToken.status).toBe(403);
    expect(await db('push_subscriptions')).toEqual([]);
  });

  it("removes one's own device, and answers 404 to anyone removing another's, which stays", async () => {
    const mine = await phone(home.users.volunteer.id, 'vol-phone');
    const director = await signInAs(app, home.users.director);
    expect((await director.submit(`${base()}/my/alerts/push-subscriptions/${mine.id}/removal`)).status).toBe(404);
    const other = await seedCenter(db, { name: 'Other Center' });
    const outsider = await signInAs(app, other.users.volunteer);
    expect((await outsider.submit(`/centers/${other.center.id}/my/alerts/push-subscriptions/${mine.id}/removal`)).status).toBe(404);
    expect((await outsider.submit(`${base()}/my/alerts/push-subscriptions/${mine.id}/removal`)).status).toBe(404);
    expect(await devicesOf(home.users.volunteer.id)).toHaveLength(1);
    expect(await db('audit_log').where({ action: 'push_subscription.removed' })).toEqual([]);

    const owner = await signInAs(app, home.users.volunteer);
    const res = await owner.submit(`${base()}/my/alerts/push-subscriptions/${mine.id}/removal`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`${base()}/my/alerts?device=removed`);
    expect(await devicesOf(home.users.volunteer.id)).toEqual([]);
    expect(await db('audit_log').where({ action: 'push_subscription.removed' })).toMatchObject([{ actor_user_id: home.users.volunteer.id, record_id: mine.id }]);
  });
});

describe('who can be reached how, on the volunteer pool', () => {
  it('says per volunteer: no channel, email only, push only, or email and push', async () => {
    const ana = await volunteer('Ana Lopez'); // email (the default)
    const bea = await volunteer('Bea Park'); // email and push
    const cal = await volunteer('Cal Reed'); // push only
    const dov = await volunteer('Dov Stein'); // everything off
    await createPerson(db, { centerId: home.center.id, displayName: 'Eve Tran', role: 'volunteer', qualifiesAs: 'aide', adultAttested: true, at: new Date(MORNING) }); // no account
    await phone(bea.user.id, 'bea-phone');
    await phone(cal.user.id, 'cal-phone');
    await phone(dov.user.id, 'dov-phone');
    expect((await (await signInAs(app, cal.user)).submit(`${base()}/my/alerts`, { push: 'on' })).status).toBe(303);
    expect((await (await signInAs(app, dov.user)).submit(`${base()}/my/alerts`, {})).status).toBe(303);
    const page = await (await signInAs(app, home.users.director)).get(`${base()}/volunteers`);
    expect(page.status).toBe(200);
    const reach = (id: string) => new RegExp(`id="person-${id}"[\\s\\S]*?data-reach>[^\\n]*?Reached by: <strong>([^<]+)</strong>`).exec(page.text)?.[1];
    expect(reach(ana.person.id)).toBe('email only');
    expect(reach(bea.person.id)).toBe('email and push');
    expect(reach(cal.person.id)).toBe('push only');
    expect(reach(dov.person.id)).toBe('no channel (no account, or email and push turned off)');
    const eve = (await db('people').where({ display_name: 'Eve Tran' }).first()) as { id: string };
    expect(reach(eve.id)).toBe('no channel (no account, or email and push turned off)');
  });
});

describe('VAPID keys, the service worker and the manifest', () => {
  it('makes the keys once and keeps them in vapid.json beside the database (0600), never in it', async () => {
    const keys = vapidKeys(s.deps.config);
    const file = join(dirname(s.deps.config.dbFile), 'vapid.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ publicKey: keys.publicKey, privateKey: keys.privateKey });
    expect(Buffer.from(keys.publicKey, 'base64url')).toHaveLength(65);
    expect(vapidKeys(s.deps.config)).toEqual(keys);
    expect(keys.subject).toBe(PUBLIC_URL);
    expect(JSON.stringify(await db('settings').select())).not.toContain(keys.privateKey);
  });

  it('takes VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY and VAPID_SUBJECT together, or none of them', () => {
    const pair = { VAPID_PUBLIC_KEY: vapidKeys(s.deps.config).publicKey, VAPID_PRIVATE_KEY: vapidKeys(s.deps.config).privateKey };
    expect(parseConfig({ ...pair, VAPID_SUBJECT: 'mailto:ops@example.org' }).vapid).toEqual({ publicKey: pair.VAPID_PUBLIC_KEY, privateKey: pair.VAPID_PRIVATE_KEY, subject: 'mailto:ops@example.org' });
    expect(vapidKeys({ ...s.deps.config, vapid: { publicKey: 'p', privateKey: 'q', subject: 'mailto:a@b.c' } })).toEqual({ publicKey: 'p', privateKey: 'q', subject: 'mailto:a@b.c' });
    expect(() => parseConfig(pair)).toThrow('VAPID_PUBLIC_KEY: set VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY and VAPID_SUBJECT together, or none of them');
    expect(() => parseConfig({ ...pair, VAPID_SUBJECT: 'http://example.org' })).toThrow('VAPID_SUBJECT: must be mailto:someone@example.org or an https:// address');
    expect(() => parseConfig({ ...pair, VAPID_PUBLIC_KEY: 'short', VAPID_SUBJECT: 'mailto:ops@example.org' })).toThrow(/VAPID_PUBLIC_KEY: must be the base64url public key/);
    expect(parseConfig({}).vapid).toBeUndefined();
  });

  it('serves the service worker, the manifest, its icons and the favicon to anyone, and links them from every page', async () => {
    for (const [path, type] of [
      ['/sw.js', /javascript/],
      ['/js/push.js', /javascript/],
      ['/manifest.webmanifest', /application\/manifest\+json/],
      ['/icons/icon-192.png', /image\/png/],
      ['/icons/icon-512.png', /image\/png/],
      ['/icons/icon.svg', /image\/svg\+xml/],
      ['/favicon.ico', /icon/],
    ] as const) {
      const res = await request(app).get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers['content-type'], path).toMatch(type);
    }
    const manifest = JSON.parse((await request(app).get('/manifest.webmanifest').buffer(true).parse((res, done) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => done(null, text));
    })).body as string) as { start_url: string; display: string; icons: { sizes: string }[] };
    expect(manifest).toMatchObject({ start_url: '/', display: 'standalone' });
    expect(manifest.icons.map((i) => i.sizes)).toEqual(['192x192', '512x512', 'any']);
    const page = await request(app).get('/sign-in');
    expect(page.text).toContain('<link rel="manifest" href="/manifest.webmanifest">');
    expect(page.text).toContain('<link rel="icon" href="/favicon.ico"');
    // The worker comes from our own origin, which the content security policy allows.
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
  });
});
