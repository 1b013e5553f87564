import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMembership } from '../../src/db/memberships.js';
import { createPerson } from '../../src/db/people.js';
import { newId, type Person } from '../../src/db/rows.js';
import { createTrainingRecord } from '../../src/db/trainings.js';
import { createUser } from '../../src/db/users.js';
import { hashPassword } from '../../src/passwords.js';
import { createEventHub, type BoardEvent, type EventHub } from '../../src/web/events/hub.js';
import { signInAs, type Agent } from '../support/agent.js';
import { TEST_PASSWORD, seedCenter, type SeededCenter, type TestUser } from '../support/builders.js';
import { dbBool } from '../support/db.js';
import { seedRoomDay } from '../support/day.js';
import { TEST_SCRYPT, type TestClock } from '../support/deps.js';
import { seededApp, type App } from '../support/seeded-app.js';

/**
 * No duplicate asks (issue #16, item 5), over HTTP on Monday 2 March 2026 in Chicago
 * (UTC-6): one open cover request per room and overlapping window. A second ask is
 * shown the open one and offered to widen or raise it; "need help now" twice is one
 * request, one banner and one notice per person; done at the same moment, too (on
 * SQLite and on PostgreSQL); and the room's card says "Cover requested" instead of
 * offering another request.
 */

const INFANT_TRAININGS = ['orientation', 'suid', 'aht', 'first_aid', 'cpr'];
// 06:45 in Chicago.
const MORNING = '2026-03-02T12:45:00Z';

let clock: TestClock;
let close: () => Promise<void>;
let app: App;
let hub: EventHub;
let home: SeededCenter;
let db: Knex;

beforeEach(async () => {
  hub = createEventHub();
  ({ db, clock, app, seeded: home, close } = await seededApp({ at: MORNING, deps: { events: hub }, center: { name: 'Home Center' } }));
});
afterEach(() => close());

let made = 0;
/** A volunteer with an account, cleared and trained for infants. */
async function volunteer(name: string): Promise<{ person: Person; user: TestUser }> {
  const at = new Date('2026-03-01T12:00:00Z');
  const person = await createPerson(db, { centerId: home.center.id, displayName: name, role: 'volunteer', qualifiesAs: 'aide', adultAttested: true, backgroundStudy: 'cleared', backgroundClearedOn: '2026-01-02', at });
  for (const trainingId of INFANT_TRAININGS) await createTrainingRecord(db, { centerId: home.center.id, personId: person.id, trainingId, completedOn: '2026-01-10', status: 'verified', at });
  const email = `dup${++made}-${Math.random().toString(36).slice(2, 7)}@example.test`;
  const created = await createUser(db, { email, displayName: name, passwordHash: await hashPassword(TEST_PASSWORD, TEST_SCRYPT), at });
  if (!created.ok) throw new Error('user');
  await createMembership(db, { userId: created.user.id, organizationId: home.organization.id, centerId: home.center.id, role: 'volunteer', personId: person.id, at });
  return { person, user: { id: created.user.id, email, password: TEST_PASSWORD } };
}

const base = () => `/centers/${home.center.id}`;
const helpPath = () => `${base()}/rooms/${home.rooms.infants.id}/help-requests`;
const form = (fields: Record<string, string> = {}) => ({ roomId: home.rooms.infants.id, day: '2026-03-02', start: '12:10', end: '17:30', count: '1', ...fields });

/** Asks for cover as `agent` and answers the new request's id. */
async function ask(agent: Agent, fields: Record<string, string> = {}): Promise<string> {
  const res = await agent.submit(`${base()}/cover-requests`, form(fields));
  expect(res.status, res.text.slice(0, 500)).toBe(303);
  const id = /cover-requests\/([0-9a-f-]{36})$/.exec(res.headers.location ?? '')?.[1];
  if (!id) throw new Error(`no request id in ${res.headers.location}`);
  return id;
}

/** A JSON POST with the agent's token, as a script or a double tap would send it. */
const postJson = async (agent: Agent, path: string, body: Record<string, string> = {}, csrf?: string) =>
  agent.post(path).type('form').set('Accept', 'application/json').send({ ...body, _csrf: csrf ?? (await agent.csrf()) });

const requestRow = (id: string) => db('cover_requests').where({ id }).first();
const eventsOf = async (id: string) => ((await db('cover_request_events').where({ cover_request_id: id }).orderBy('id')) as { kind: string }[]).map((e) => e.kind);
const noticesOf = async (userId: string) => ((await db('notices').where({ user_id: userId }).orderBy('created_at').orderBy('body')) as { kind: string; body: string }[]).map((n) => `${n.kind}: ${n.body}`);
const count = async (table: string) => Number(((await db(table).count({ n: '*' }).first()) as { n: number | string }).n);
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#x27;/g, "'").replace(/&amp;/g, '&').replace(/&#x3D;/g, '=').replace(/\s+/g, ' ');
const until = async (check: () => boolean, ms = 2000) => {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 10));
  }
  return check();
};
/** Everything a write leaves behind: a second ask that stores nothing leaves these as they were. */
const footprint = async () => ({
  requests: await count('cover_requests'),
  events: await count('cover_request_events'),
  notices: await count('notices'),
  // Signing in is audited too; what an ask writes is what counts here.
  audit: Number(((await db('audit_log').whereNot({ action: 'user.signed_in' }).count({ n: '*' }).first()) as { n: number | string }).n),
});

describe('need help now, twice', () => {
  it('makes one request, one banner and one notice per person; the second tap points to the first and stores nothing', async () => {
    const events: BoardEvent[] = [];
    hub.subscribe(home.center.id, (e) => events.push(e));
    const ana = await volunteer('Ana Lopez');
    const staff = await signInAs(app, home.users.staff);
    expect((await staff.submit(helpPath())).status).toBe(303);
    const row = await db('cover_requests').first();
    await until(() => events.some((e) => e.event === 'help-request'));
    const before = await footprint();

    clock.advance(40_000); // 06:45:40: within the minute, as a double tap is.
    const again = await staff.submit(helpPath());
    expect(again.status).toBe(303);
    expect(again.headers.location).toBe(`${base()}/rooms/${home.rooms.infants.id}`);
    expect(text((await staff.get(again.headers.location!)).text)).toContain('Help is already asked for Infants until 07:45 (by you at 06:45). Nothing more was sent.');
    // Asked as JSON (a script, or the page's own tap), it is a success pointing to the same request.
    const json = await postJson(staff, helpPath());
    expect(json.status).toBe(200);
    expect(json.body).toEqual({ id: row.id, start: '06:45', end: '07:45', existing: true });

    expect(await footprint()).toEqual(before);
    expect(await db('cover_requests')).toHaveLength(1);
    expect(await noticesOf(home.users.director.id)).toEqual(['help_request: Help needed now in Infants, Mon 2 Mar 06:45–07:45, 1 person.']);
    expect(await noticesOf(ana.user.id)).toEqual(['help_request: Help needed now in Infants, Mon 2 Mar 06:45–07:45, 1 person. You can take it.']);
    await new Promise((r) => setTimeout(r, 50));
    expect(events.filter((e) => e.event === 'help-request')).toHaveLength(1);
    const board = text((await (await signInAs(app, home.users.director)).get(`${base()}/board`)).text);
    expect(board.match(/Help needed now in Infants/g)).toHaveLength(1);
  });

  it('joins help already asked by someone else later on: one request, nothing new stored or sent while it asks for as much', async () => {
    const ana = await volunteer('Ana Lopez');
    expect((await (await signInAs(app, home.users.staff)).submit(helpPath())).status).toBe(303);
    const before = await footprint();
    // 06:50: past the minute. The forecast knows no end here, so the hour already asked (to 07:45) stands.
    clock.advance(5 * 60_000);
    const director = await signInAs(app, home.users.director);
    const res = await director.submit(helpPath());
    expect(res.status).toBe(303);
    expect(text((await director.get(res.headers.location!)).text)).toMatch(/Help is already asked for Infants until 07:45 \(by Staff [^)]* at 06:45\)\. Nothing more was sent\./);
    expect(await footprint()).toEqual(before);
    expect(await db('cover_requests').first()).toMatchObject({ starts_at: '2026-03-02T12:45:00.000Z', ends_at: '2026-03-02T13:45:00.000Z', version: 0 });
    expect(await noticesOf(ana.user.id)).toHaveLength(1);
  });

  it('joins an open cover request of the room for this time: it becomes urgent, with one banner, and those told hear it is needed now', async () => {
    const events: BoardEvent[] = [];
    hub.subscribe(home.center.id, (e) => events.push(e));
    const ana = await volunteer('Ana Lopez');
    const id = await ask(await signInAs(app, home.users.director), { start: '06:30', end: '09:00' });
    const staff = await signInAs(app, home.users.staff);
    const res = await postJson(staff, helpPath());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id, start: '06:30', end: '09:00', existing: true });
    expect(await db('cover_requests')).toHaveLength(1);
    expect(await requestRow(id)).toMatchObject({ urgent: dbBool(true), version: 1, starts_at: '2026-03-02T12:30:00.000Z', ends_at: '2026-03-02T15:00:00.000Z' });
    expect(await eventsOf(id)).toEqual(['created', 'escalated']);
    expect(await db('audit_log').where({ action: 'cover_request.help_joined', record_id: id, actor_user_id: home.users.staff.id })).toHaveLength(1);
    expect(await noticesOf(ana.user.id)).toEqual([
      'cover_request_new: Cover needed in Infants, Mon 2 Mar 06:30–09:00, 1 person. You can take it.',
      'help_request: Help needed now in Infants, Mon 2 Mar: the cover asked for 06:30–09:00 is needed now.',
    ]);
    // The director asked for it: told of the change, as the one who asked, not twice.
    expect(await noticesOf(home.users.director.id)).toEqual(['help_request: Help needed now in Infants, Mon 2 Mar: the cover asked for 06:30–09:00 is needed now.']);
    expect(await until(() => events.some((e) => e.event === 'help-request' && e.id === id))).toBe(true);
    // A second tap: the same request, nothing more.
    const before = await footprint();
    expect((await postJson(staff, helpPath())).body).toMatchObject({ id, existing: true });
    expect(await footprint()).toEqual(before);
    expect(events.filter((e) => e.event === 'help-request')).toHaveLength(1);
  });

  it('makes one request when tapped by several people at the same moment', { timeout: 30_000 }, async () => {
    const ana = await volunteer('Ana Lopez');
    const agents = await Promise.all([home.users.staff, home.users.director, home.users.owner].map((u) => signInAs(app, u)));
    const tokens = await Promise.all(agents.map((a) => a.csrf()));
    // Three people, two taps each, all at once.
    const answers = await Promise.all([...agents, ...agents].map((a, i) => postJson(a, helpPath(), {}, tokens[i % agents.length])));
    expect(answers.map((r) => r.status).filter((s) => s >= 500)).toEqual([]);
    expect(answers.filter((r) => r.status === 201)).toHaveLength(1);
    expect(answers.filter((r) => r.status === 200)).toHaveLength(5);
    const rows = await db('cover_requests');
    expect(rows).toHaveLength(1);
    for (const r of answers) expect(r.body.id).toBe(rows[0].id);
    expect(await eventsOf(rows[0].id)).toEqual(['created']);
    expect(await noticesOf(ana.user.id)).toHaveLength(1);
    // The director is told, unless it was the director's tap that asked.
    const directorAsked = rows[0].created_by_user_id === home.users.director.id;
    expect(await noticesOf(home.users.director.id)).toHaveLength(directorAsked ? 0 : 1);
    expect(await db('audit_log').where({ action: 'cover_request.help_requested' })).toHaveLength(1);
  });
});

describe('asking for cover while a request for the room is open', () => {
  it('shows the open overlapping request with its window, places, who asked and a link, and creates nothing', async () => {
    const ana = await volunteer('Ana Lopez');
    const staff = await signInAs(app, home.users.staff);
    const id = await ask(staff);
    const before = await footprint();

    const director = await signInAs(app, home.users.director);
    const res = await director.submit(`${base()}/cover-requests`, form({ start: '15:00', end: '17:30' }));
    expect(res.status).toBe(409);
    const page = text(res.text);
    expect(page).toContain('Infants already has an open cover request for this time');
    expect(page).toMatch(/You asked for 15:00–17:30\. .* today 12:10–17:30 : 1 of 1 open, 1 person who counts here\. Asked by Staff [^ ]+ at 06:45\./);
    expect(res.text).toContain(`href="${base()}/cover-requests/${id}"`);
    expect(page).toContain('It already asks for this window and as many people.');
    // What was typed stays in the form.
    expect(res.text).toContain('name="start" type="time" value="15:00"');

    const json = await postJson(director, `${base()}/cover-requests`, form({ start: '15:00', end: '17:30' }));
    expect(json.status).toBe(409);
    expect(json.body).toMatchObject({ code: 'already_open', id, open: [{ id, start: '12:10', end: '17:30', peopleNeeded: 1 }] });

    expect(await footprint()).toEqual(before);
    expect(await noticesOf(ana.user.id)).toHaveLength(1);
  });

  it('offers to widen its window and to raise its count, each a form of its own', async () => {
    const staff = await signInAs(app, home.users.staff);
    const id = await ask(staff, { start: '15:00', end: '17:30' });
    const res = await staff.submit(`${base()}/cover-requests`, form({ start: '12:10', end: '16:00', count: '2' }));
    expect(res.status).toBe(409);
    expect(res.text).toMatch(new RegExp(`<form method="post" action="${base()}/cover-requests/${id}/widening"[^>]*>[\\s\\S]*?name="start" value="12:10">[\\s\\S]*?name="end" value="17:30">[\\s\\S]*?Widen it to 12:10–17:30</button>`));
    expect(res.text).toMatch(new RegExp(`<form method="post" action="${base()}/cover-requests/${id}/raising"[^>]*>[\\s\\S]*?name="count" value="2">[\\s\\S]*?Raise it to 2 people</button>`));
    expect(await db('cover_requests')).toHaveLength(1);
  });

  it('shows the same on the form the board links to, and reading it writes nothing', async () => {
    const id = await ask(await signInAs(app, home.users.staff));
    const before = await footprint();
    const director = await signInAs(app, home.users.director);
    const res = await director.get(`${base()}/cover-requests/new?roomId=${home.rooms.infants.id}&start=15:00&end=18:00&count=1`);
    expect(res.status).toBe(200);
    expect(res.text).toContain(`action="${base()}/cover-requests/${id}/widening"`);
    expect(text(res.text)).toContain('Widen it to 12:10–18:00');
    expect(await footprint()).toEqual(before);
  });

  it('still accepts a window that only touches the open one, and the same window in another room', async () => {
    const staff = await signInAs(app, home.users.staff);
    await ask(staff, { start: '12:10', end: '15:00' });
    await ask(staff, { start: '15:00', end: '17:30' });
    await ask(staff, { roomId: home.rooms.toddlers.id, start: '12:10', end: '17:30' });
    expect(await db('cover_requests').where({ status: 'open' })).toHaveLength(3);
  });

  it('accepts the same window again once the open request is cancelled or filled', async () => {
    const ana = await volunteer('Ana Lopez');
    const staff = await signInAs(app, home.users.staff);
    const first = await ask(staff);
    expect((await staff.submit(`${base()}/cover-requests/${first}/cancellation`)).status).toBe(303);
    const second = await ask(staff);
    expect((await (await signInAs(app, ana.user)).submit(`${base()}/cover-requests/${second}/claims`, { start: '12:10', end: '17:30' })).status).toBe(303);
    expect(await requestRow(second)).toMatchObject({ status: 'filled' });
    await ask(staff);
    expect(await db('cover_requests')).toHaveLength(3);
  });

  it('makes one request when several people ask for overlapping windows at the same moment', { timeout: 30_000 }, async () => {
    await volunteer('Ana Lopez');
    const agents = await Promise.all([home.users.staff, home.users.director, home.users.owner].map((u) => signInAs(app, u)));
    const tokens = await Promise.all(agents.map((a) => a.csrf()));
    const windows = [
      ['12:10', '17:30'],
      ['15:00', '17:30'],
      ['13:00', '16:00'],
      ['12:10', '17:30'],
      ['16:00', '18:00'],
      ['11:00', '12:30'],
    ];
    const answers = await Promise.all(windows.map(([start, end], i) => postJson(agents[i % agents.length]!, `${base()}/cover-requests`, form({ start: start!, end: end! }), tokens[i % agents.length])));
    expect(answers.map((r) => r.status).filter((s) => s >= 500)).toEqual([]);
    // Whichever came first, no two open requests overlap, and each refusal names a stored one.
    const rows = (await db('cover_requests').where({ status: 'open' }).orderBy('starts_at')) as { starts_at: string; ends_at: string }[];
    for (let i = 0; i + 1 < rows.length; i++) expect(rows[i]!.ends_at <= rows[i + 1]!.starts_at, JSON.stringify(rows)).toBe(true);
    expect(answers.filter((r) => r.status === 201)).toHaveLength(rows.length);
    expect(answers.filter((r) => r.status === 409)).toHaveLength(windows.length - rows.length);
    const ids = new Set((await db('cover_requests')).map((r: { id: string }) => r.id));
    for (const r of answers.filter((x) => x.status === 409)) expect(ids.has(r.body.id)).toBe(true);
    // The same window at once: exactly one.
    await db('notices').del();
    await db('outbox').del();
    await db('cover_waves').del();
    await db('cover_request_events').del();
    await db('cover_requests').del();
    const same = await Promise.all(agents.flatMap((a, i) => [a, a].map(() => postJson(a, `${base()}/cover-requests`, form(), tokens[i]))));
    expect(same.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    expect(await db('cover_requests')).toHaveLength(1);
  });
});

describe('widening and raising an open request', () => {
  it('widens its window in one audited write; those told hear of the change, and the one who asked too', async () => {
    const ana = await volunteer('Ana Lopez');
    const staff = await signInAs(app, home.users.staff);
    const id = await ask(staff, { start: '15:00', end: '17:30' });
    const director = await signInAs(app, home.users.director);
    const res = await director.submit(`${base()}/cover-requests/${id}/widening`, { start: '12:10', end: '17:30' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`${base()}/cover-requests/${id}`);
    expect(await requestRow(id)).toMatchObject({ status: 'open', starts_at: '2026-03-02T18:10:00.000Z', ends_at: '2026-03-02T23:30:00.000Z', people_needed: 1, version: 1 });
    expect(await eventsOf(id)).toEqual(['created', 'widened']);
    const entry = await db('audit_log').where({ action: 'cover_request.widened', record_id: id }).first();
    expect(entry).toMatchObject({ actor_user_id: home.users.director.id, center_id: home.center.id });
    expect(JSON.parse(entry.changes)).toEqual({
      before: { startsAt: '2026-03-02T21:00:00.000Z', endsAt: '2026-03-02T23:30:00.000Z', peopleNeeded: 1, urgent: false },
      after: { startsAt: '2026-03-02T18:10:00.000Z', endsAt: '2026-03-02T23:30:00.000Z', peopleNeeded: 1, urgent: false },
    });
    const change = 'Cover changed in Infants, Mon 2 Mar: the request now runs 12:10–17:30 (was 15:00–17:30).';
    expect(await noticesOf(ana.user.id)).toEqual([`cover_request_new: ${change}`, 'cover_request_new: Cover needed in Infants, Mon 2 Mar 15:00–17:30, 1 person. You can take it.']);
    expect(await noticesOf(home.users.staff.id)).toEqual([`cover_request_new: ${change}`]);
    expect((await db('notices').where({ user_id: home.users.staff.id }).first()).link).toBe(`${base()}/cover-requests/${id}`);
    const page = text((await director.get(`${base()}/cover-requests/${id}`)).text);
    expect(page).toContain('The cover request for Infants now runs 12:10–17:30.');
    expect(page).toMatch(/Director [^ ]+ widened it to 12:10–17:30/);
    // The new form finds the wider request.
    expect((await staff.submit(`${base()}/cover-requests`, form({ start: '12:30', end: '13:00' }))).status).toBe(409);
  });

  it('raises its count in one audited write, and tells those the new place lets in', async () => {
    const ana = await volunteer('Ana Lopez');
    const director = await signInAs(app, home.users.director);
    // A teacher's place: Ana, an aide, may not take it and is not told.
    const id = await ask(director, { start: '15:00', end: '17:00', needs: 'teacher' });
    expect(await noticesOf(ana.user.id)).toEqual([]);
    const res = await director.submit(`${base()}/cover-requests/${id}/raising`, { count: '2' });
    expect(res.status).toBe(303);
    expect(await requestRow(id)).toMatchObject({ people_needed: 2, needs: 'teacher', version: 1, status: 'open' });
    expect(await eventsOf(id)).toEqual(['created', 'raised']);
    expect(await db('cover_request_events').where({ cover_request_id: id, kind: 'raised' }).first()).toMatchObject({ people_needed: 2, actor_user_id: home.users.director.id });
    const entry = await db('audit_log').where({ action: 'cover_request.raised', record_id: id }).first();
    expect(JSON.parse(entry.changes)).toMatchObject({ before: { peopleNeeded: 1 }, after: { peopleNeeded: 2 } });
    // The second place takes anyone who counts: Ana hears of the request as it now stands.
    expect(await noticesOf(ana.user.id)).toEqual(['cover_request_new: Cover needed in Infants, Mon 2 Mar 15:00–17:00, 2 people. You can take it.']);
    const page = text((await director.get(`${base()}/cover-requests/${id}`)).text);
    expect(page).toContain('now asks for 2 people');
    expect(page).toMatch(/Director [^ ]+ raised it to 2 people/);
    expect((await (await signInAs(app, ana.user)).submit(`${base()}/cover-requests/${id}/claims`, { start: '15:00', end: '17:00' })).status).toBe(303);
    expect(await requestRow(id)).toMatchObject({ status: 'open' });
  });

  it('refuses a widening that holds nothing new or meets another open request, and a count no larger, changing nothing', async () => {
    const staff = await signInAs(app, home.users.staff);
    const id = await ask(staff, { start: '12:10', end: '15:00' });
    await ask(staff, { start: '16:00', end: '17:30' });
    const before = await footprint();
    const same = await staff.submit(`${base()}/cover-requests/${id}/widening`, { start: '13:00', end: '14:00' });
    expect(same.status).toBe(409);
    expect(text(same.text)).toContain('It already runs 12:10–15:00, which holds 13:00–14:00.');
    const meets = await staff.submit(`${base()}/cover-requests/${id}/widening`, { start: '12:10', end: '16:30' });
    expect(meets.status).toBe(409);
    expect(text(meets.text)).toContain('Widened to 12:10–16:30, it would meet the open request for 16:00–17:30 in Infants.');
    const lower = await staff.submit(`${base()}/cover-requests/${id}/raising`, { count: '1' });
    expect(lower.status).toBe(409);
    expect(text(lower.text)).toContain('It already asks for 1 person. Enter a larger number.');
    const bad = await staff.submit(`${base()}/cover-requests/${id}/raising`, { count: '11' });
    expect(bad.status).toBe(422);
    const badTime = await staff.submit(`${base()}/cover-requests/${id}/widening`, { start: '25:00', end: '16:00' });
    expect(badTime.status).toBe(422);
    expect(await footprint()).toEqual(before);
    expect(await requestRow(id)).toMatchObject({ version: 0 });
  });

  it('refuses to widen or raise a request no longer open', async () => {
    const staff = await signInAs(app, home.users.staff);
    const id = await ask(staff);
    await staff.submit(`${base()}/cover-requests/${id}/cancellation`);
    const res = await postJson(staff, `${base()}/cover-requests/${id}/raising`, { count: '2' });
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ error: 'This request was cancelled.', code: 'cancelled' });
    expect(await requestRow(id)).toMatchObject({ people_needed: 1, status: 'cancelled' });
  });

  it('lets only those who may ask for cover in the center widen or raise', async () => {
    const ana = await volunteer('Ana Lopez');
    const id = await ask(await signInAs(app, home.users.staff));
    const v = await signInAs(app, ana.user);
    expect((await v.submit(`${base()}/cover-requests/${id}/widening`, { start: '11:00', end: '17:30' })).status).toBe(403);
    expect((await v.submit(`${base()}/cover-requests/${id}/raising`, { count: '2' })).status).toBe(403);
    const other = await seedCenter(db, { name: 'Other Center' });
    const stranger = await signInAs(app, other.users.director);
    expect((await stranger.submit(`${base()}/cover-requests/${id}/raising`, { count: '2' })).status).toBe(404);
    // Their own center's path with this center's request: not found either.
    expect((await stranger.submit(`/centers/${other.center.id}/cover-requests/${id}/widening`, { start: '11:00', end: '17:30' })).status).toBe(404);
    expect(await requestRow(id)).toMatchObject({ version: 0, people_needed: 1, starts_at: '2026-03-02T18:10:00.000Z' });
  });
});

describe('the room card of a room whose cover need is requested', () => {
  // 14:30: Maya, alone in Infants with three infants until 17:00, is planned until 15:00.
  const AFTERNOON = '2026-03-02T20:30:00Z';
  beforeEach(async () => {
    clock.set(AFTERNOON);
    const day = await seedRoomDay(db, home);
    for (const child of [day.children.ada, day.children.ben, day.children.cai]) {
      await db('child_schedules').insert({ id: newId(), child_id: child.id, weekday: 1, arrive: '07:30', depart: '17:00' });
    }
    await db('shifts').insert({ id: newId(), center_id: home.center.id, room_id: home.rooms.infants.id, person_id: day.maya.id, day: '2026-03-02', starts_at: '2026-03-02T13:00:00.000Z', ends_at: '2026-03-02T21:00:00.000Z', source: 'plan', cover_request_id: null, created_at: AFTERNOON, created_by_user_id: null, cancelled_at: null, cancelled_by_user_id: null });
    await db('day_plans').insert({ center_id: home.center.id, day: '2026-03-02', made_at: AFTERNOON });
  });

  const cardIn = (html: string) => {
    const start = html.indexOf(`id="room-${home.rooms.infants.id}"`);
    return html.slice(start, html.indexOf('</article>', start));
  };
  const requestLink = (card: string) => /<a class="button-link" href="([^"]+)">Request cover<\/a>/.exec(card.replaceAll('&#x3D;', '=').replaceAll('&amp;', '&'))?.[1];

  it('says "Cover requested" with a link to the request instead of Request cover, on the board, in the live card and on the room page', async () => {
    const events: BoardEvent[] = [];
    hub.subscribe(home.center.id, (e) => events.push(e));
    const director = await signInAs(app, home.users.director);
    const before = cardIn((await director.get(`${base()}/board`)).text);
    const href = requestLink(before);
    expect(href, before).toBeDefined();
    const prefill = Object.fromEntries(new URL(href!, 'http://x').searchParams);

    // Asked as the card's link fills the form in.
    const res = await director.submit(`${base()}/cover-requests`, { ...prefill, day: '2026-03-02' });
    expect(res.status, text(res.text).slice(0, 300)).toBe(303);
    const row = await db('cover_requests').first();
    const line = `Cover requested: ${row.people_needed} of ${row.people_needed} open, ${prefill.start}–${prefill.end}`;

    const after = cardIn((await director.get(`${base()}/board`)).text);
    expect(text(after)).toContain(line);
    expect(after).toContain(`<a href="${base()}/cover-requests/${row.id}">${line}</a>`);
    expect(after).not.toContain('Request cover');
    expect(after).not.toContain('Ask for more cover');

    expect(await until(() => events.some((e) => e.event === 'room-card' && e.id === home.rooms.infants.id && e.data.includes(line)))).toBe(true);
    const live = events.filter((e) => e.event === 'room-card' && e.id === home.rooms.infants.id).at(-1)!;
    expect(live.data).not.toContain('Request cover');

    const room = cardIn((await (await signInAs(app, home.users.staff)).get(`${base()}/rooms/${home.rooms.infants.id}`)).text);
    expect(room).toContain(`<a href="${base()}/cover-requests/${row.id}">${line}</a>`);
    expect(room).not.toContain('Request cover');
    // A volunteer reads the line, with no link to a page they may not open.
    const forVolunteer = cardIn((await (await signInAs(app, home.users.volunteer)).get(`${base()}/rooms/${home.rooms.infants.id}`)).text);
    expect(forVolunteer).toContain(line);
    expect(forVolunteer).not.toContain(`/cover-requests/${row.id}`);
  });

  it('keeps a way to ask for more while the open requests meet only part of the need', async () => {
    const director = await signInAs(app, home.users.director);
    const href = requestLink(cardIn((await director.get(`${base()}/board`)).text))!;
    const prefill = Object.fromEntries(new URL(href, 'http://x').searchParams);
    const end = DateTime.fromFormat(prefill.end!, 'HH:mm').minus({ minutes: 30 }).toFormat('HH:mm');
    expect((await director.submit(`${base()}/cover-requests`, { ...prefill, end, day: '2026-03-02' })).status).toBe(303);
    const card = cardIn((await director.get(`${base()}/board`)).text);
    expect(text(card)).toContain(`Cover requested: 1 of 1 open, ${prefill.start}–${end}`);
    expect(card).not.toContain('>Request cover<');
    expect(card).toContain('>Ask for more cover</a>');
    // That link's form shows the open request and offers to widen it to the whole need.
    const more = /<a class="button-link" href="([^"]+)">Ask for more cover<\/a>/.exec(card)![1]!.replaceAll('&#x3D;', '=').replaceAll('&amp;', '&');
    const page = await director.get(more);
    expect(page.status).toBe(200);
    expect(text(page.text)).toContain(`Widen it to ${prefill.start}–${prefill.end}`);
  });
});
