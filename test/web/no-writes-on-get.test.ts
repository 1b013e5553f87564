/**
 * No writes on GET (issue #18): for the demo center, with a day under way (presences,
 * shifts, a cover request and its claim, notices, a headcount mismatch, an absence, one-
 * time links, a certificate), every role GETs every GET route the app has, as a page
 * and as JSON, and no table gains, loses or changes a row. The day plan of a day not
 * made yet is shown, not made; a breach no director heard of yet is left to the job
 * runner (services/jobs.ts), which sends it afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import type request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDemoCenters } from '../../src/db/centers.js';
import { hasDayPlan } from '../../src/db/day-plans.js';
import { createInvitation } from '../../src/db/invitations.js';
import { isPostgres } from '../../src/db/knex.js';
import type { Center } from '../../src/db/rows.js';
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemo } from '../../src/db/seed-demo.js';
import { seedDemoDay } from '../../src/db/seed-demo-day.js';
import { createTrainingRecord } from '../../src/db/trainings.js';
import { hashPassword } from '../../src/passwords.js';
import { statusesFrom } from '../../src/services/center-state.js';
import { createJobRunner, type JobRunner } from '../../src/services/jobs.js';
import { createApp, type Deps } from '../../src/web/app.js';
import { storeCertificate } from '../../src/web/uploads/certificates.js';
import { anAgent, signInAs, type Agent } from '../support/agent.js';
import { TEST_SCRYPT, testDeps, type TestClock } from '../support/deps.js';
import { listRoutes } from '../support/routes.js';

// Monday 2 March 2026, 09:07 in Chicago: the demo's day under way.
const SEEDED_AT = '2026-03-02T15:07:00Z';
const TODAY = '2026-03-02';
const TOMORROW = '2026-03-03';

/**
 * Tables a GET may write, and why:
 * - sessions: express-session stores the session a request changed (the CSRF token
 *   made for a page's forms, the "seen" time moved once a minute, a flash read once);
 *   that is the session store, not the app's data.
 */
const MAY_CHANGE = new Set(['sessions']);

let deps: Deps;
let clock: TestClock;
let db: Knex;
let app: ReturnType<typeof createApp>;
let jobs: JobRunner;
let center: Center;
let uploadsDir: string;
let destroy: () => Promise<void>;
/** Real ids of the demo center for every path parameter a GET route has. */
const ids: Record<string, string[]> = {};
let inviteToken: string;
let resetToken: string;

beforeAll(async () => {
  const t = await testDeps(SEEDED_AT);
  uploadsDir = mkdtempSync(join(tmpdir(), 'ratiowatch-uploads-'));
  ({ clock, destroy } = t);
  deps = { ...t.deps, uploadsDir };
  db = deps.db;
  app = createApp(deps);
  jobs = createJobRunner({ db, log: deps.log, clock });
  const at = clock.now();
  await seedDemo(db, { at, hashPassword: (p) => hashPassword(p, TEST_SCRYPT) });
  [center] = (await listDemoCenters(db)) as [Center];
  expect((await seedDemoDay(db, center, at, statusesFrom(center))).seeded).toBe(true);

  const rooms = await db('rooms').where({ center_id: center.id }).orderBy('name').select('id', 'name');
  const infants = rooms.find((r) => r.name === 'Infants')!.id as string;
  const personId = async (name: string) => (await db('people').where({ center_id: center.id, display_name: name }).first('id')).id as string;
  const childId = async (name: string) => (await db('children').where({ center_id: center.id, display_name: name }).first('id')).id as string;
  const director = await signInAs(app, { email: 'director@demo.ratiowatch.test', password: DEMO_PASSWORD });
  const staff = await signInAs(app, { email: 'staff@demo.ratiowatch.test', password: DEMO_PASSWORD });
  const volunteer = await signInAs(app, { email: 'volunteer@demo.ratiowatch.test', password: DEMO_PASSWORD });
  const posted = async (agent: Agent, path: string, fields: Record<string, string>) => {
    const res = await agent.submit(path, fields);
    expect(res.status, `${path}: ${res.text.slice(0, 300)}`).toBe(303);
  };
  const base = `/centers/${center.id}`;

  // Cover: a request for Infants this afternoon (its takers are told), claimed by the demo volunteer.
  await posted(director, `${base}/cover-requests`, { roomId: infants, day: TODAY, start: '15:00', end: '17:00', count: '1' });
  const requestId = (await db('cover_requests').where({ center_id: center.id }).first('id')).id as string;
  await posted(volunteer, `${base}/cover-requests/${requestId}/claims`, {});
  // A headcount that does not match, a child away tomorrow.
  await posted(staff, `${base}/rooms/${infants}/headcounts`, { counted: '9' });
  await posted(director, `${base}/children/${await childId('Leo M.')}/absences`, { day: TOMORROW });
  // The volunteer's calendar link (its feed is read with no session).
  const feedToken = /\/calendar\/([A-Za-z0-9_-]{43})\.ics/.exec((await volunteer.submit(`${base}/my/calendar-feed`)).text)?.[1];
  expect(feedToken).toBeDefined();
  // One-time links, and a certificate awaiting review.
  const director_ = await db('users').where({ email: 'director@demo.ratiowatch.test' }).first('id');
  const staffUser = await db('users').where({ email: 'staff@demo.ratiowatch.test' }).first('id');
  const invite = await createInvitation(db, { purpose: 'invite', organizationId: center.organizationId, centerId: center.id, role: 'staff', createdByUserId: director_.id, at });
  const reset = await createInvitation(db, { purpose: 'reset', organizationId: center.organizationId, centerId: center.id, userId: staffUser.id, createdByUserId: director_.id, at });
  inviteToken = invite.token;
  resetToken = reset.token;
  const jo = await personId('Jo Nguyen');
  const file = { path: await storeCertificate(uploadsDir, center.id, Buffer.from('%PDF-1.4 test')), type: 'application/pdf', size: 13 };
  const record = await createTrainingRecord(db, { centerId: center.id, personId: jo, trainingId: 'first_aid', completedOn: '2026-02-20', status: 'submitted', file, at });

  // The runner's tick: the directors hear of what the forecast shows now.
  expect(await jobs.runOnce(clock.now())).toEqual({ ran: true, failures: [] });
  expect(Number((await db('notices').where({ center_id: center.id }).count({ n: '*' }))[0]!.n)).toBeGreaterThan(0);
  // Then Sam Rivera leaves Infants: a breach now, which no director has heard of yet.
  await posted(staff, `${base}/rooms/${infants}/departures`, { personId: await personId('Sam Rivera') });
  clock.advance(60_000);

  Object.assign(ids, {
    centerId: [center.id],
    organizationId: [center.organizationId],
    roomId: rooms.map((r) => r.id as string),
    childId: [await childId('Leo M.'), await childId('Mia S.')],
    personId: [jo, await personId('Sam Rivera')],
    recordId: [record.id],
    requestId: [requestId],
    invitationId: [invite.invitation.id, reset.invitation.id],
    token: [inviteToken, resetToken],
    feedToken: [feedToken!],
    kind: ['children.csv', 'people.csv'],
  });
});
afterAll(async () => {
  await jobs.stop();
  await destroy();
  rmSync(uploadsDir, { recursive: true, force: true });
});

/** Every table of the database, by name. */
async function tables(): Promise<string[]> {
  const rows = isPostgres(db)
    ? ((await db.raw('SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()')) as { rows: { name: string }[] }).rows
    : ((await db.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")) as { name: string }[]);
  return rows.map((r) => r.name).sort();
}

/** Each table's row count, and its rows (sorted) to see an update too. */
async function contents(): Promise<{ counts: Record<string, number>; rows: Record<string, string> }> {
  const counts: Record<string, number> = {};
  const rows: Record<string, string> = {};
  for (const t of await tables()) {
    const all = (await db(t).select()) as Record<string, unknown>[];
    counts[t] = all.length;
    if (!MAY_CHANGE.has(t)) rows[t] = JSON.stringify(all.map((r) => JSON.stringify(r)).sort());
  }
  return { counts, rows };
}

/** Every URL of a GET route path, each parameter filled with each of its real ids; and the plan pages for tomorrow (not made yet) and yesterday. */
function urlsOf(path: string): string[] {
  let urls = [path];
  for (const param of path.match(/:[A-Za-z]+/g) ?? []) {
    const name = param.slice(1);
    const values = ids[name];
    if (!values) throw new Error(`${path}: no ids for :${name}; add some to the seed above`);
    // A token belongs to its own kind of link.
    const fitting = name === 'token' ? values.filter((v) => (path.startsWith('/invitations') ? v === inviteToken : v === resetToken)) : values;
    urls = urls.flatMap((u) => fitting.map((v) => u.replace(param, v)));
  }
  if (path.endsWith('/plan')) {
    const yesterday = DateTime.fromISO(TODAY).minus({ days: 1 }).toISODate()!;
    urls = urls.flatMap((u) => [u, `${u}?day=${TOMORROW}`, `${u}?day=${yesterday}`, `${u}?day=2026-06-01`]);
  }
  return urls;
}

/** A GET; an event stream is read up to its first chunk, then hung up on (it never ends by itself). */
function get(agent: Agent, url: string, accept: string): Promise<request.Response> {
  const req = agent.get(url).set('Accept', accept);
  if (!url.endsWith('/board/events')) return req;
  return req.buffer(true).parse((res, done) => {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      text += chunk;
      done(null, text);
      (res as unknown as { destroy(): void }).destroy();
    });
    res.on('end', () => done(null, text));
  }) as unknown as Promise<request.Response>;
}

describe('GET routes', () => {
  const routes = () => listRoutes(app).filter((r) => r.method === 'GET');

  for (const who of [...DEMO_LOGINS.map((l) => l.role), 'signed out'] as const) {
    it(`write no table, for the ${who} at every route, as a page and as JSON`, { timeout: 120_000 }, async () => {
      expect(routes().length).toBeGreaterThan(40);
      const login = DEMO_LOGINS.find((l) => l.role === who);
      // Signed in before counting: signing in writes (the session, the sign-in's audit).
      const agent = login ? await signInAs(app, { email: login.email, password: DEMO_PASSWORD }) : anAgent(app);
      const before = await contents();
      let answered = 0;
      for (const route of routes()) {
        for (const url of urlsOf(route.path)) {
          for (const accept of ['text/html', 'application/json']) {
            const res = await get(agent, url, accept);
            expect(res.status, `GET ${url} (${accept})`).toBeLessThan(500);
            if (res.status === 200) answered += 1;
          }
        }
      }
      const after = await contents();
      expect(after.counts, 'row counts').toEqual({ ...before.counts, ...Object.fromEntries([...MAY_CHANGE].map((t) => [t, after.counts[t]])) });
      expect(after.rows, 'rows').toEqual(before.rows);
      // The walk reached pages, not just refusals.
      expect(answered).toBeGreaterThan(login ? 20 : 2);
    });
  }

  it("left tomorrow's plan unmade and the breach under way for the job runner to tell", async () => {
    expect(await hasDayPlan(db, center.id, TOMORROW)).toBe(false);
    const notices = async () => Number((await db('notices').where({ center_id: center.id, kind: 'forecast_breach' }).count({ n: '*' }))[0]!.n);
    const heard = await notices();
    expect(await jobs.runOnce(clock.now())).toEqual({ ran: true, failures: [] });
    expect(await notices()).toBeGreaterThan(heard);
    expect(await hasDayPlan(db, center.id, TOMORROW)).toBe(false);
  });
});
