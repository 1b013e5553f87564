/**
 * Alerts beyond the app (services/notify.ts, services/alerts/, the job runner's
 * `cover_waves` and `outbox` jobs), with a real SMTP server in the test process
 * (smtp-server) whose messages are parsed (mailparser): who gets a cover opening's
 * email and who does not, "no longer needed", .eml files without SMTP_URL, waves,
 * quiet hours, retries with backoff, a permanent failure on the person's settings,
 * nothing sent twice across a restart or a crash mid-send, and on PostgreSQL two
 * runners at once; and the alert settings form. Monday 2 March 2026 in Chicago (UTC-6).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Knex } from 'knex';
import { simpleParser, type ParsedMail } from 'mailparser';
import { pino } from 'pino';
import request from 'supertest';
import { SMTPServer } from 'smtp-server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMembership } from '../../src/db/memberships.js';
import { createPerson } from '../../src/db/people.js';
import type { Person } from '../../src/db/rows.js';
import { createTrainingRecord } from '../../src/db/trainings.js';
import { createUser } from '../../src/db/users.js';
import { hashPassword } from '../../src/passwords.js';
import { deliverDue } from '../../src/services/alerts/deliver.js';
import { createMailTransport } from '../../src/services/alerts/mail.js';
import { createJobRunner, type JobRunner } from '../../src/services/jobs.js';
import { listCenters } from '../../src/db/centers.js';
import { createDb } from '../../src/db/knex.js';
import { signInAs, type Agent } from '../support/agent.js';
import { TEST_PASSWORD, type SeededCenter, type TestUser } from '../support/builders.js';
import { testEngine } from '../support/db.js';
import { TEST_SCRYPT, type TestClock } from '../support/deps.js';
import { seededApp, type App, type SeededApp } from '../support/seeded-app.js';

const INFANT_TRAININGS = ['orientation', 'suid', 'aht', 'first_aid', 'cpr'];
// 06:45 in Chicago.
const MORNING = '2026-03-02T12:45:00Z';
const PUBLIC_URL = 'https://rw.example.test';
const silent = pino({ level: 'silent' });

// ------------------------------------------------------------------ the SMTP server

let smtp: SMTPServer;
let smtpUrl: string;
let received: ParsedMail[] = [];
/** What the server answers to RCPT TO for an address: a code (4xx, 5xx) to refuse with, or null to take it. */
let refuse: (address: string) => number | null = () => null;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const code = refuse(address.address);
      if (code === null) return callback();
      const err = Object.assign(new Error(code >= 500 ? 'No such mailbox here' : 'Try again later'), { responseCode: code });
      callback(err);
    },
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          received.push(mail);
          callback();
        },
        (err: Error) => callback(err),
      );
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => smtp.close(() => resolve())));

// ------------------------------------------------------------------ the app

let s: SeededApp;
let db: Knex;
let app: App;
let clock: TestClock;
let home: SeededCenter;
const runners: JobRunner[] = [];

async function start(env: Record<string, string> = { SMTP_URL: smtpUrl, PUBLIC_URL }) {
  s = await seededApp({ at: MORNING, env, center: { name: 'Home Center' } });
  ({ db, app, clock, seeded: home } = s);
}
beforeEach(() => {
  received = [];
  refuse = () => null;
});
afterEach(async () => {
  for (const r of runners.splice(0)) await r.stop();
  await s?.close();
});

/** A job runner on the app's database (or `on`), sending as the app's configuration says. */
function runner(on: Knex = db, lockName?: string): JobRunner {
  const r = createJobRunner({ db: on, log: silent, clock, delivery: { transport: createMailTransport(s.deps.config), publicUrl: s.deps.config.publicUrl }, ...(lockName && { lockName }) });
  runners.push(r);
  return r;
}
let jobs: JobRunner;
const tick = async (at?: string) => {
  if (at) clock.set(at);
  expect(await jobs.runOnce(clock.now())).toEqual({ ran: true, failures: [] });
};

let made = 0;
/** A volunteer with an account, cleared and trained for infants unless `trainings` says otherwise. */
async function volunteer(name: string, opts: { trainings?: string[] } = {}): Promise<{ person: Person; user: TestUser }> {
  const at = new Date('2026-03-01T12:00:00Z');
  const person = await createPerson(db, { centerId: home.center.id, displayName: name, role: 'volunteer', qualifiesAs: 'aide', adultAttested: true, backgroundStudy: 'cleared', backgroundClearedOn: '2026-01-02', at });
  for (const trainingId of opts.trainings ?? INFANT_TRAININGS) {
    await createTrainingRecord(db, { centerId: home.center.id, personId: person.id, trainingId, completedOn: '2026-01-10', status: 'verified', at });
  }
  const email = `${name.split(' ')[0]!.toLowerCase()}${++made}@example.test`;
  const created = await createUser(db, { email, displayName: name, passwordHash: await hashPassword(TEST_PASSWORD, TEST_SCRYPT), at });
  if (!created.ok) throw new Error('user');
  await createMembership(db, { userId: created.user.id, organizationId: home.organization.id, centerId: home.center.id, role: 'volunteer', personId: person.id, at });
  return { person, user: { id: created.user.id, email, password: TEST_PASSWORD } };
}

const base = () => `/centers/${home.center.id}`;

async function ask(agent: Agent, fields: Record<string, string> = {}): Promise<string> {
  const res = await agent.submit(`${base()}/cover-requests`, { roomId: home.rooms.infants.id, day: '2026-03-02', start: '15:00', end: '17:00', count: '1', ...fields });
  expect(res.status, res.text.slice(0, 500)).toBe(303);
  const id = /cover-requests\/([0-9a-f-]{36})$/.exec(res.headers.location ?? '')?.[1];
  if (!id) throw new Error(`no request id in ${res.headers.location}`);
  return id;
}

const to = (mail: ParsedMail) => (Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : []).flatMap((a) => a.value.map((v) => v.address));
const mailsTo = (email: string) => received.filter((m) => to(m).includes(email));
const outboxOf = (userId: string) => db('outbox').where({ user_id: userId }).orderBy('created_at').orderBy('id');
const noticesOf = async (userId: string, kind?: string) => (await db('notices').where({ user_id: userId, ...(kind && { kind }) })).length;

describe('email through SMTP', () => {
  beforeEach(async () => {
    await start();
    jobs = runner();
  });

  it("sends a staff member's cover request to the eligible volunteer, and to nobody who may not take it", async () => {
    const ana = await volunteer('Ana Lopez');
    const dee = await volunteer('Dee Moss', { trainings: INFANT_TRAININGS.filter((t) => t !== 'suid') });
    const id = await ask(await signInAs(app, home.users.staff));
    expect(received).toHaveLength(0); // sent by the job runner, not the request
    await tick();

    expect(received.map(to)).toEqual([[ana.user.email]]);
    expect(mailsTo(dee.user.email)).toEqual([]);
    const mail = received[0]!;
    expect(mail.subject).toBe('Home Center: Cover needed in Infants, Mon 2 Mar 15:00–17:00, 1 person.');
    expect(mail.text).toContain('Cover needed in Infants, Mon 2 Mar 15:00–17:00, 1 person. You can take it.');
    expect(mail.text).toContain(`Open it: ${PUBLIC_URL}${base()}/cover`);
    expect(mail.html).toContain(`<a href="${PUBLIC_URL}${base()}/cover">`);
    expect(mail.headerLines.find((h) => h.key === 'list-unsubscribe')?.line).toContain(`<${PUBLIC_URL}${base()}/my/alerts>`);
    expect(mail.messageId).toMatch(/^<[0-9a-f-]{36}@rw\.example\.test>$/);
    // The center, the room, the window and what is needed: nothing else about anyone.
    expect(mail.text).not.toMatch(/background|study|allerg|Maya/i);
    expect(await outboxOf(ana.user.id)).toMatchObject([{ status: 'sent', attempts: 1, cover_request_id: id, kind: 'cover_request_new' }]);

    // A second tick sends nothing again.
    await tick();
    expect(received).toHaveLength(1);
  });

  it('tells the others told "no longer needed" when one claims it, and the one who took it nothing of the sort', async () => {
    const ana = await volunteer('Ana Lopez');
    const bea = await volunteer('Bea Park');
    const id = await ask(await signInAs(app, home.users.staff));
    await tick();
    expect(received.flatMap(to).sort()).toEqual([ana.user.email, bea.user.email].sort());
    received = [];

    const claimed = await (await signInAs(app, ana.user)).submit(`${base()}/cover-requests/${id}/claims`, { start: '15:00', end: '17:00' });
    expect(claimed.status).toBe(303);
    await tick('2026-03-02T12:46:00Z');
    const notNeeded = received.filter((m) => m.subject?.includes('no longer needed'));
    expect(notNeeded.map(to)).toEqual([[bea.user.email]]);
    expect(notNeeded[0]!.text).toContain('The cover in Infants, Mon 2 Mar 15:00–17:00 is no longer needed: it was filled.');
    expect(mailsTo(ana.user.email)).toEqual([]);
    expect(await noticesOf(bea.user.id, 'cover_not_needed')).toBe(1);
  });

  it('drops an opening not yet sent when the request is cancelled, and emails no "no longer needed" for it', async () => {
    const ana = await volunteer('Ana Lopez');
    const id = await ask(await signInAs(app, home.users.staff));
    const director = await signInAs(app, home.users.director);
    expect((await director.submit(`${base()}/cover-requests/${id}/cancellation`)).status).toBe(303);
    await tick();
    expect(received).toHaveLength(0);
    expect((await outboxOf(ana.user.id)).map((r) => r.status)).toEqual(['dropped']);
    // In the app, both: she may have read the first.
    expect(await noticesOf(ana.user.id, 'cover_not_needed')).toBe(1);
  });

  it('emails the directors a forecast breach within the horizon, from the job runner, with nobody looking', async () => {
    // Infants: two infants expected until 17:00, the teacher planned until 15:00 only; at 14:30 the breach is 30 minutes away.
    const { seedRoomDay } = await import('../support/day.js');
    const { newId } = await import('../../src/db/rows.js');
    const day = await seedRoomDay(db, home);
    for (const child of [day.children.ada, day.children.ben]) await db('child_schedules').insert({ id: newId(), child_id: child.id, weekday: 1, arrive: '07:00', depart: '17:00' });
    const at = '2026-03-02T20:30:00Z';
    await db('shifts').insert({ id: newId(), center_id: home.center.id, room_id: home.rooms.infants.id, person_id: home.people.teacher.id, day: '2026-03-02', starts_at: '2026-03-02T13:00:00.000Z', ends_at: '2026-03-02T21:00:00.000Z', source: 'plan', cover_request_id: null, created_at: at, created_by_user_id: null, cancelled_at: null, cancelled_by_user_id: null });
    await db('day_plans').insert({ center_id: home.center.id, day: '2026-03-02', made_at: at });
    await db('person_presences').insert({ id: newId(), center_id: home.center.id, room_id: home.rooms.infants.id, person_id: home.people.teacher.id, started_at: '2026-03-02T13:00:00.000Z', ended_at: null });
    await tick(at);
    const director = mailsTo(home.users.director.email);
    expect(director.map((m) => m.subject)).toEqual(['Home Center: Infants will be short of staff at 15:00 (2026-03-02) and no one has asked for cover yet.']);
    // Names no child.
    expect(director[0]!.text).not.toContain(day.children.ada.displayName);
    await tick('2026-03-02T20:31:00Z');
    expect(mailsTo(home.users.director.email)).toHaveLength(1);
  });
});

describe('email without SMTP_URL', () => {
  beforeEach(async () => {
    await start({ PUBLIC_URL });
    jobs = runner();
  });

  it('writes the same messages as .eml files in outbox/ beside DB_FILE, readable by the owner only', async () => {
    const ana = await volunteer('Ana Lopez');
    await volunteer('Dee Moss', { trainings: ['orientation'] });
    await ask(await signInAs(app, home.users.staff));
    await tick();
    const folder = join(dirname(s.deps.config.dbFile), 'outbox');
    const files = readdirSync(folder).filter((f) => f.endsWith('.eml'));
    expect(files).toHaveLength(1);
    expect(statSync(join(folder, files[0]!)).mode & 0o777).toBe(0o600);
    const mail = await simpleParser(readFileSync(join(folder, files[0]!)));
    expect(to(mail)).toEqual([ana.user.email]);
    expect(mail.subject).toBe('Home Center: Cover needed in Infants, Mon 2 Mar 15:00–17:00, 1 person.');
    expect(mail.html).toContain('You can take it.');
    expect(received).toHaveLength(0);
  });

  it('says so on the center settings page and on the alert settings page', async () => {
    const owner = await signInAs(app, home.users.owner);
    expect((await owner.get(`${base()}/settings`)).text).toContain('Email is not configured: messages are kept in data/outbox');
    const volunteerAgent = await signInAs(app, home.users.volunteer);
    expect((await volunteerAgent.get(`${base()}/my/alerts`)).text).toContain('Email is not configured: messages are kept in data/outbox');
  });
});

describe('cover openings in waves', () => {
  beforeEach(async () => {
    await start();
    jobs = runner();
  });

  it('tells the best-ranked first, and as many more every few minutes until it is taken', async () => {
    await db('centers').where({ id: home.center.id }).update({ wave_size: 2, wave_minutes: 10 });
    const people = [];
    for (const name of ['Ana Lopez', 'Bea Park', 'Cal Reed', 'Dov Stein', 'Eve Tran']) people.push(await volunteer(name));
    // Eve can come in today until 18:00: free for the whole window, so she ranks first.
    const eve = people[4]!;
    await db('availability_today').insert({ person_id: eve.person.id, day: '2026-03-02', until: '18:00', created_at: MORNING });
    const told = async () => (await db('notices').where({ kind: 'cover_request_new' })).map((n: { user_id: string }) => n.user_id);

    const staff = await signInAs(app, home.users.staff);
    const res = await staff.submit(`${base()}/cover-requests`, { roomId: home.rooms.infants.id, day: '2026-03-02', start: '15:00', end: '17:00', count: '1' });
    expect(res.status).toBe(303);
    const first = await told();
    expect(first).toHaveLength(2);
    expect(first).toContain(eve.user.id);
    await tick();
    expect(received).toHaveLength(2);

    await tick('2026-03-02T12:54:00Z'); // 9 minutes: not yet
    expect(await told()).toHaveLength(2);
    await tick('2026-03-02T12:55:00Z'); // 10 minutes: the second wave
    expect(await told()).toHaveLength(4);
    expect(received).toHaveLength(4);
    await tick('2026-03-02T12:56:00Z');
    expect(await told()).toHaveLength(4);
    await tick('2026-03-02T13:05:00Z');
    expect(await told()).toHaveLength(5);
    expect(received).toHaveLength(5);
    expect(new Set(received.flatMap(to)).size).toBe(5);
  });

  it('stops widening once the request is filled', async () => {
    await db('centers').where({ id: home.center.id }).update({ wave_size: 1, wave_minutes: 10 });
    const people = [await volunteer('Ana Lopez'), await volunteer('Bea Park'), await volunteer('Cal Reed')];
    const id = await ask(await signInAs(app, home.users.staff));
    const first = (await db('notices').where({ kind: 'cover_request_new' }))[0] as { user_id: string };
    const taker = people.find((p) => p.user.id === first.user_id)!;
    expect((await (await signInAs(app, taker.user)).submit(`${base()}/cover-requests/${id}/claims`, { start: '15:00', end: '17:00' })).status).toBe(303);
    await tick('2026-03-02T13:30:00Z');
    expect(await db('notices').where({ kind: 'cover_request_new' })).toHaveLength(1);
  });

  it('tells everyone eligible at once when the window starts within 2 hours', async () => {
    await db('centers').where({ id: home.center.id }).update({ wave_size: 1, wave_minutes: 10 });
    for (const name of ['Ana Lopez', 'Bea Park', 'Cal Reed']) await volunteer(name);
    await ask(await signInAs(app, home.users.staff), { start: '08:30', end: '10:00' });
    expect(await db('notices').where({ kind: 'cover_request_new' })).toHaveLength(3);
  });

  it('widens to everyone at the tick two hours before the window starts', async () => {
    await db('centers').where({ id: home.center.id }).update({ wave_size: 1, wave_minutes: 600 });
    for (const name of ['Ana Lopez', 'Bea Park', 'Cal Reed']) await volunteer(name);
    await ask(await signInAs(app, home.users.staff));
    await tick('2026-03-02T18:59:00Z'); // 12:59: 2 hours and a minute before
    expect(await db('notices').where({ kind: 'cover_request_new' })).toHaveLength(1);
    await tick('2026-03-02T19:00:00Z'); // 13:00
    expect(await db('notices').where({ kind: 'cover_request_new' })).toHaveLength(3);
    expect(received).toHaveLength(3);
  });
});

describe('quiet hours', () => {
  beforeEach(async () => {
    await start();
    jobs = runner();
  });

  it('holds what is not urgent until they end, and lets cover starting within 2 hours through', async () => {
    const ana = await volunteer('Ana Lopez');
    const agent = await signInAs(app, ana.user);
    expect((await agent.submit(`${base()}/my/alerts`, { email: 'on', quietStart: '21:00', quietEnd: '08:00' })).status).toBe(303);
    const staff = await signInAs(app, home.users.staff);
    await ask(staff); // 15:00–17:00: not urgent at 06:45
    await tick();
    expect(received).toHaveLength(0);
    expect(await outboxOf(ana.user.id)).toMatchObject([{ status: 'queued', attempts: 0, due_at: '2026-03-02T14:00:00.000Z' }]);

    await ask(staff, { start: '08:00', end: '09:00' }); // starts within 2 hours: urgent
    await tick('2026-03-02T12:46:00Z');
    expect(received.map((m) => m.subject)).toEqual(['Home Center: Cover needed in Infants, Mon 2 Mar 08:00–09:00, 1 person.']);

    await tick('2026-03-02T14:00:00Z'); // 08:00: quiet hours end
    expect(received.map((m) => m.subject)).toContain('Home Center: Cover needed in Infants, Mon 2 Mar 15:00–17:00, 1 person.');
    expect(received).toHaveLength(2);
  });

  it('sends nothing by email to someone who turned email off, and still the notice in the app', async () => {
    const ana = await volunteer('Ana Lopez');
    expect((await (await signInAs(app, ana.user)).submit(`${base()}/my/alerts`, {})).status).toBe(303);
    await ask(await signInAs(app, home.users.staff));
    await tick();
    expect(received).toHaveLength(0);
    expect(await outboxOf(ana.user.id)).toEqual([]);
    expect(await noticesOf(ana.user.id, 'cover_request_new')).toBe(1);
  });
});

describe('delivery that loses nothing', () => {
  beforeEach(async () => {
    await start();
    jobs = runner();
  });

  it('tries again with a growing wait after a temporary failure (4xx), then delivers once', async () => {
    const ana = await volunteer('Ana Lopez');
    let refusals = 2;
    refuse = (address) => (address === ana.user.email && refusals-- > 0 ? 451 : null);
    await ask(await signInAs(app, home.users.staff));
    await tick('2026-03-02T12:45:00Z');
    expect(await outboxOf(ana.user.id)).toMatchObject([{ status: 'queued', attempts: 1, due_at: '2026-03-02T12:46:00.000Z' }]);
    expect((await outboxOf(ana.user.id))[0].last_error).toMatch(/451/);
    await tick('2026-03-02T12:46:00Z'); // second try, refused again: now 2 minutes
    expect(await outboxOf(ana.user.id)).toMatchObject([{ status: 'queued', attempts: 2, due_at: '2026-03-02T12:48:00.000Z' }]);
    await tick('2026-03-02T12:47:00Z'); // not due
    expect(received).toHaveLength(0);
    await tick('2026-03-02T12:48:00Z');
    expect(mailsTo(ana.user.email)).toHaveLength(1);
    expect(await outboxOf(ana.user.id)).toMatchObject([{ status: 'sent', attempts: 3 }]);
  });

  it('marks a permanent failure (5xx) at once and shows it on the person’s alert settings', async () => {
    const ana = await volunteer('Ana Lopez');
    refuse = (address) => (address === ana.user.email ? 550 : null);
    await ask(await signInAs(app, home.users.staff));
    await tick();
    expect(await outboxOf(ana.user.id)).toMatchObject([{ status: 'failed', attempts: 1 }]);
    await tick('2026-03-02T13:45:00Z');
    expect(await outboxOf(ana.user.id)).toMatchObject([{ status: 'failed', attempts: 1 }]);
    const page = await (await signInAs(app, ana.user)).get(`${base()}/my/alerts`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('These emails could not be delivered to');
    expect(page.text).toContain('Cover needed in Infants, Mon 2 Mar 15:00–17:00');
    expect(page.text).toMatch(/550/);
  });

  it('gives up after the last attempt of temporary failures', async () => {
    const ana = await volunteer('Ana Lopez');
    refuse = () => 421;
    await ask(await signInAs(app, home.users.staff));
    let at = new Date(MORNING).getTime();
    for (let i = 0; i < 6; i++) {
      await tick(new Date(at).toISOString());
      at += 3_600_000;
    }
    expect(await outboxOf(ana.user.id)).toMatchObject([{ status: 'failed', attempts: 6 }]);
  });

  it('sends nothing twice after a restart: a new app and job runner on the same database', async () => {
    const ana = await volunteer('Ana Lopez');
    await ask(await signInAs(app, home.users.staff));
    await tick();
    expect(received).toHaveLength(1);
    await jobs.stop();
    const again = runner(s.deps.db);
    expect(await again.runOnce(new Date('2026-03-02T12:46:00Z'))).toEqual({ ran: true, failures: [] });
    expect(await again.runOnce(new Date('2026-03-02T13:46:00Z'))).toEqual({ ran: true, failures: [] });
    expect(mailsTo(ana.user.email)).toHaveLength(1);
  });

  it('tries again a send that crashed before it was recorded, once its lease ends, and never one recorded as sent', async () => {
    const ana = await volunteer('Ana Lopez');
    await ask(await signInAs(app, home.users.staff));
    // A process took the row and died mid-send: `sending`, its lease 5 minutes on.
    await db('outbox').where({ user_id: ana.user.id }).update({ status: 'sending', attempts: 1, lease_until: '2026-03-02T12:50:00.000Z' });
    await tick('2026-03-02T12:46:00Z');
    expect(received).toHaveLength(0);
    await tick('2026-03-02T12:50:00Z');
    expect(mailsTo(ana.user.email)).toHaveLength(1);
    expect(await outboxOf(ana.user.id)).toMatchObject([{ status: 'sent', attempts: 2 }]);
    await tick('2026-03-02T13:50:00Z');
    expect(received).toHaveLength(1);
  });

  it('queues a message once per person, channel and event, however often the event is told', async () => {
    const ana = await volunteer('Ana Lopez');
    const { notify } = await import('../../src/services/notify.js');
    const alert = { centerId: home.center.id, kind: 'forecast_breach' as const, body: 'Infants will be short of staff at 15:00.', dedupeKey: 'breach:test' };
    await notify(db, [ana.user.id], alert, new Date(MORNING));
    await notify(db, [ana.user.id], alert, new Date(MORNING));
    expect(await outboxOf(ana.user.id)).toHaveLength(1);
  });
});

describe.runIf(testEngine() === 'pg')('two PostgreSQL app processes', () => {
  beforeEach(async () => {
    await start();
  });

  it('send each message once when both run their jobs at the same moment', async () => {
    const people = [];
    for (const name of ['Ana Lopez', 'Bea Park', 'Cal Reed']) people.push(await volunteer(name));
    await ask(await signInAs(app, home.users.staff));
    const other = createDb(s.deps.config);
    try {
      // The same lock: one is the runner.
      const [a, b] = [runner(db), runner(other)];
      const outcomes = await Promise.all([a.runOnce(clock.now()), b.runOnce(clock.now())]);
      expect(outcomes.filter((o) => o.ran)).toHaveLength(1);
      expect(received).toHaveLength(3);
      // Without the lock (two runners that do not share it), the row claims alone send each once.
      await db('outbox').update({ status: 'queued', attempts: 0, sent_at: null });
      received = [];
      const transport = createMailTransport(s.deps.config);
      const centers = await listCenters(db);
      const opts = { transport, publicUrl: PUBLIC_URL };
      await Promise.all([deliverDue(db, centers, opts, silent, clock.now()), deliverDue(other, centers, opts, silent, clock.now()), deliverDue(other, centers, opts, silent, clock.now())]);
      expect(received).toHaveLength(3);
      expect(new Set(received.map((m) => m.messageId)).size).toBe(3);
      transport.close();
    } finally {
      for (const r of runners.splice(0)) await r.stop();
      await other.destroy();
    }
  });
});

describe('GET and POST /centers/:centerId/my/alerts', () => {
  beforeEach(async () => {
    await start();
  });

  it('saves one’s own settings, audited, and leaves everyone else’s as they were', async () => {
    const agent = await signInAs(app, home.users.volunteer);
    const page = await agent.get(`${base()}/my/alerts`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(home.users.volunteer.email);
    expect(page.text).toMatch(/<input type="checkbox" id="email" name="email" checked>/);
    const res = await agent.submit(`${base()}/my/alerts`, { email: 'on', quietStart: '21:30', quietEnd: '06:15' });
    expect(res.status).toBe(303);
    expect(await db('alert_preferences')).toMatchObject([{ user_id: home.users.volunteer.id, center_id: home.center.id, quiet_start: '21:30', quiet_end: '06:15' }]);
    expect(await db('audit_log').where({ action: 'alert_preferences.updated' })).toMatchObject([{ actor_user_id: home.users.volunteer.id, record_id: home.users.volunteer.id }]);
    // The same again changes nothing and audits nothing.
    await agent.submit(`${base()}/my/alerts`, { email: 'on', quietStart: '21:30', quietEnd: '06:15' });
    expect(await db('audit_log').where({ action: 'alert_preferences.updated' })).toHaveLength(1);
  });

  it('answers bad times with a message next to the field and stores nothing', async () => {
    const agent = await signInAs(app, home.users.volunteer);
    for (const [body, field, message] of [
      [{ quietStart: '25:00', quietEnd: '06:00' }, 'quietStart', 'Enter a time like 21:00, or leave both times empty.'],
      [{ quietStart: '21:00', quietEnd: '' }, 'quietEnd', 'Enter when quiet hours end, like 06:30.'],
      [{ quietStart: '', quietEnd: '06:00' }, 'quietStart', 'Enter when quiet hours start, like 21:00.'],
      [{ quietStart: '06:00', quietEnd: '06:00' }, 'quietEnd', 'Quiet hours must end at another time than they start.'],
      [{ quietStart: '<script>', quietEnd: 'x'.repeat(5000) }, 'quietStart', 'Enter a time like 21:00, or leave both times empty.'],
    ] as const) {
      const res = await agent.submit(`${base()}/my/alerts`, body);
      expect(res.status).toBe(422);
      expect(res.text).toContain(`<p class="error" id="${field}-error">${message}</p>`);
    }
    expect(await db('alert_preferences')).toEqual([]);
  });

  it('is found only by members of the center, and signed out it asks to sign in', async () => {
    const { seedCenter } = await import('../support/builders.js');
    const other = await seedCenter(db, { name: 'Other Center' });
    const outsider = await signInAs(app, other.users.volunteer);
    expect((await outsider.get(`${base()}/my/alerts`)).status).toBe(404);
    expect((await outsider.submit(`${base()}/my/alerts`, { quietStart: '21:00', quietEnd: '06:00' })).status).toBe(404);
    expect(await db('alert_preferences')).toEqual([]);
    const signedOut = await request(app).get(`${base()}/my/alerts`);
    expect(signedOut.status).toBe(303);
    expect(signedOut.headers.location).toMatch(/^\/sign-in/);
  });
});
