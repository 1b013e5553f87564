/**
 * What people hear about trainings (services/training-alerts.ts), with a real SMTP
 * server in the test process (smtp-server) whose messages are parsed (mailparser): a
 * director verifying or rejecting a record tells its person, in the app and by email;
 * the job runner's `training_expiry` tells a person of a training running out in 30
 * days and again in 7, once each; `training_digest` sends the directors, once a week
 * from Monday 07:00 in the center's zone, the trainings running out in the next 30
 * days and those run out. The center is in Chicago (UTC-6 in winter).
 */
import type { AddressInfo } from 'node:net';
import type { Knex } from 'knex';
import { simpleParser, type ParsedMail } from 'mailparser';
import { pino } from 'pino';
import { SMTPServer } from 'smtp-server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTrainingRecord } from '../../src/db/trainings.js';
import { createMailTransport } from '../../src/services/alerts/mail.js';
import { createJobRunner, type JobRunner } from '../../src/services/jobs.js';
import { noticeExpiringTrainings, sendTrainingDigest } from '../../src/services/training-alerts.js';
import { signInAs } from '../support/agent.js';
import type { SeededCenter } from '../support/builders.js';
import type { TestClock } from '../support/deps.js';
import { seededApp, type App, type SeededApp } from '../support/seeded-app.js';

const PUBLIC_URL = 'https://rw.example.test';
const silent = pino({ level: 'silent' });

let smtp: SMTPServer;
let smtpUrl: string;
let received: ParsedMail[] = [];

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
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

let s: SeededApp;
let db: Knex;
let app: App;
let clock: TestClock;
let home: SeededCenter;
let jobs: JobRunner;

async function start(at: string) {
  received = [];
  s = await seededApp({ at, env: { SMTP_URL: smtpUrl, PUBLIC_URL }, center: { name: 'Home Center' } });
  ({ db, app, clock, seeded: home } = s);
  jobs = createJobRunner({ db, log: silent, clock, delivery: { transport: createMailTransport(s.deps.config), publicUrl: PUBLIC_URL } });
}
afterEach(async () => {
  await jobs?.stop();
  await s?.close();
});

const tick = async (at?: string) => {
  if (at) clock.set(at);
  expect(await jobs.runOnce(clock.now())).toEqual({ ran: true, failures: [] });
};
const to = (mail: ParsedMail) => (Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : []).flatMap((a) => a.value.map((v) => v.address));
const mailsTo = (email: string) => received.filter((m) => to(m).includes(email));
const noticesOf = async (userId: string, kind: string) => (await db('notices').where({ user_id: userId, kind }).orderBy('created_at').select('body', 'link', 'dedupe_key')) as { body: string; link: string; dedupe_key: string }[];
const base = () => `/centers/${home.center.id}`;

describe('a training record verified or rejected', () => {
  beforeEach(() => start('2026-03-02T15:00:00Z'));

  it('tells its person in the app and by email that it was verified, with a link to their trainings', async () => {
    const record = await createTrainingRecord(db, { centerId: home.center.id, personId: home.people.volunteer.id, trainingId: 'suid', completedOn: '2026-02-01', status: 'submitted', at: clock.now() });
    const director = await signInAs(app, home.users.director);
    expect((await director.submit(`${base()}/training-records/${record.id}/verification`)).status).toBe(303);

    expect(await noticesOf(home.users.volunteer.id, 'training_verified')).toEqual([
      { body: 'Your Safe sleep (SUID) certificate was verified.', link: `${base()}/my/trainings`, dedupe_key: `training-reviewed:${record.id}` },
    ]);
    await tick();
    const mails = mailsTo(home.users.volunteer.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe('Home Center: Your Safe sleep (SUID) certificate was verified.');
    expect(mails[0]!.text).toContain(`Open it: ${PUBLIC_URL}${base()}/my/trainings`);
    // Nobody else hears of it (the directors' Monday digest aside).
    expect(received.filter((m) => m.subject?.includes('certificate'))).toHaveLength(1);
  });

  it('tells its person it was not accepted, and why', async () => {
    const record = await createTrainingRecord(db, { centerId: home.center.id, personId: home.people.volunteer.id, trainingId: 'aht', completedOn: '2026-02-01', status: 'submitted', at: clock.now() });
    const director = await signInAs(app, home.users.director);
    expect((await director.submit(`${base()}/training-records/${record.id}/rejection`, { reason: 'The certificate is unreadable.' })).status).toBe(303);
    await tick();
    const mails = mailsTo(home.users.volunteer.email);
    expect(mails.map((m) => m.text?.split('\n')[0])).toEqual(['Your Abusive head trauma (AHT) certificate was not accepted: The certificate is unreadable.']);
    expect(await noticesOf(home.users.volunteer.id, 'training_rejected')).toHaveLength(1);
  });

  it('tells nobody when the review changed nothing (a second click)', async () => {
    const record = await createTrainingRecord(db, { centerId: home.center.id, personId: home.people.volunteer.id, trainingId: 'suid', completedOn: '2026-02-01', status: 'submitted', at: clock.now() });
    const director = await signInAs(app, home.users.director);
    await director.submit(`${base()}/training-records/${record.id}/verification`);
    await director.submit(`${base()}/training-records/${record.id}/verification`);
    expect(await noticesOf(home.users.volunteer.id, 'training_verified')).toHaveLength(1);
  });
});

describe('a training running out', () => {
  // Safe sleep completed 10 January 2026, renewed every 12 months: it no longer counts from Sunday 10 January 2027.
  beforeEach(async () => {
    await start('2026-12-11T12:30:00Z');
    await createTrainingRecord(db, { centerId: home.center.id, personId: home.people.volunteer.id, trainingId: 'suid', completedOn: '2026-01-10', status: 'verified', at: clock.now() });
  });

  it('is told to its person 30 days before and again 7 days before, once each, from 07:00 in the center', async () => {
    const email = home.users.volunteer.email;
    // Friday 11 December, 06:30 in Chicago: not yet.
    await tick();
    expect(mailsTo(email)).toHaveLength(0);
    // 07:00: 30 days left.
    await tick('2026-12-11T13:00:00Z');
    expect(mailsTo(email).map((m) => m.text?.split('\n')[0])).toEqual([
      'Your Safe sleep (SUID) training runs out on Sun 10 Jan 2027 (in 30 days). Renew it and add the new certificate in Ratiowatch.',
    ]);
    // Later ticks, a restart's (the service called afresh), the next days: nothing again.
    await tick('2026-12-11T13:01:00Z');
    expect(await noticeExpiringTrainings(db, home.center, clock.now())).toBe(0);
    await tick('2026-12-20T15:00:00Z');
    expect(mailsTo(email)).toHaveLength(1);

    // Sunday 3 January, 7 days left.
    await tick('2027-01-03T14:00:00Z');
    await tick('2027-01-03T14:01:00Z');
    expect(await noticeExpiringTrainings(db, home.center, clock.now())).toBe(0);
    expect(mailsTo(email).map((m) => m.text?.split('\n')[0])).toEqual([
      'Your Safe sleep (SUID) training runs out on Sun 10 Jan 2027 (in 30 days). Renew it and add the new certificate in Ratiowatch.',
      'Your Safe sleep (SUID) training runs out on Sun 10 Jan 2027 (in 7 days). Renew it and add the new certificate in Ratiowatch.',
    ]);
    const keys = (await noticesOf(home.users.volunteer.id, 'training_expiring')).map((n) => n.dedupe_key.replace(/:[0-9a-f-]{36}:/, ':<record>:'));
    expect(keys).toEqual(['training-expiring:<record>:30', 'training-expiring:<record>:7']);
  });

  it('is not told once renewed', async () => {
    await createTrainingRecord(db, { centerId: home.center.id, personId: home.people.volunteer.id, trainingId: 'suid', completedOn: '2026-12-01', status: 'verified', at: clock.now() });
    await tick('2026-12-11T13:00:00Z');
    expect(await noticesOf(home.users.volunteer.id, 'training_expiring')).toEqual([]);
  });
});

describe("the directors' weekly digest", () => {
  it('lists on Monday from 07:00 the trainings running out in 30 days and those run out, once a week', async () => {
    // Monday 7 December 2026, 06:30 in Chicago.
    await start('2026-12-07T12:30:00Z');
    // The volunteer's Safe sleep runs out on Sun 3 Jan 2027 (27 days); the teacher's CPR ran out on Fri 20 Nov 2026.
    await createTrainingRecord(db, { centerId: home.center.id, personId: home.people.volunteer.id, trainingId: 'suid', completedOn: '2026-01-03', status: 'verified', at: clock.now() });
    await createTrainingRecord(db, { centerId: home.center.id, personId: home.people.teacher.id, trainingId: 'cpr', completedOn: '2024-11-20', status: 'verified', at: clock.now() });
    const director = home.users.director.email;
    await tick();
    expect(mailsTo(director)).toHaveLength(0);

    await tick('2026-12-07T13:05:00Z');
    const digests = mailsTo(director);
    expect(digests).toHaveLength(1);
    const mail = digests[0]!;
    expect(mail.subject).toBe('Home Center: Trainings this week: 1 expires in the next 30 days, 1 has run out.');
    expect(mail.text).toContain(
      `Trainings this week: 1 expires in the next 30 days, 1 has run out. ${home.people.volunteer.displayName}, Safe sleep (SUID), Sun 3 Jan 2027; ${home.people.teacher.displayName}, Pediatric CPR, ran out Fri 20 Nov 2026.`,
    );
    expect(mail.text).toContain(`Open it: ${PUBLIC_URL}${base()}/people`);
    expect(mail.text).not.toMatch(/background|study|cleared/i);
    expect(await noticesOf(home.users.director.id, 'training_digest')).toHaveLength(1);
    // Not to staff or volunteers.
    expect(await noticesOf(home.users.staff.id, 'training_digest')).toHaveLength(0);

    // Later that week, and a restart's call: nothing again. The next Monday: the next digest.
    await tick('2026-12-09T15:00:00Z');
    expect(await sendTrainingDigest(db, home.center, clock.now())).toBe(0);
    expect(mailsTo(director)).toHaveLength(1);
    await tick('2026-12-14T13:00:00Z');
    expect(mailsTo(director)).toHaveLength(2);
    expect((await noticesOf(home.users.director.id, 'training_digest')).map((n) => n.dedupe_key)).toEqual([`digest:${home.center.id}:2026-W50`, `digest:${home.center.id}:2026-W51`]);
  });

  it('sends nothing in a week when nothing runs out', async () => {
    // The seeded volunteer's CPR runs out in January 2028.
    await start('2026-12-07T13:05:00Z');
    await tick();
    expect(mailsTo(home.users.director.email)).toEqual([]);
    expect(await noticesOf(home.users.director.id, 'training_digest')).toEqual([]);
  });
});
