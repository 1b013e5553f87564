/**
 * The calendar feed (web/calendar/routes.ts, services/calendar-feed.ts): a member makes
 * a secret link on their alert settings page; a calendar fetches `/calendar/<token>.ics`
 * with no session and gets their covers and shifts, parsed here by node-ical, at the
 * right wall-clock times in the center's zone across the start of daylight saving time
 * (Sunday 14 March 2027 in Chicago). A new link ends the old one; turning it off ends it;
 * an unknown token is 404. Wednesday 10 March 2027, 06:00 in Chicago (UTC-6).
 */
import { DateTime } from 'luxon';
import ical, { type VEvent } from 'node-ical';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertShift } from '../../src/db/shifts.js';
import { insertShiftTemplate } from '../../src/db/shift-templates.js';
import { ensureDayPlan } from '../../src/services/day-plan.js';
import { signInAs, type Agent } from '../support/agent.js';
import type { SeededCenter } from '../support/builders.js';
import { seededApp, type App, type SeededApp } from '../support/seeded-app.js';

const NOW = '2027-03-10T12:00:00Z';
const PUBLIC_URL = 'https://rw.example.test';
const ZONE = 'America/Chicago';

let s: SeededApp;
let app: App;
let home: SeededCenter;
let volunteer: Agent;

const base = () => `/centers/${home.center.id}`;
const local = (d: Date) => DateTime.fromJSDate(d, { zone: ZONE }).toFormat('yyyy-MM-dd HH:mm');
const utc = (day: string, time: string) => DateTime.fromISO(`${day}T${time}`, { zone: ZONE }).toJSDate();

async function shift(personId: string, roomId: string, day: string, start: string, end: string, source: 'plan' | 'cover' = 'plan'): Promise<string> {
  return s.db.transaction((trx) =>
    insertShift(trx, { centerId: home.center.id, roomId, personId, day, startsAt: utc(day, start), endsAt: utc(day, end), source, createdByUserId: null }, s.clock.now()),
  );
}

/** Makes a link as the volunteer: the page that shows it, and its token. */
async function makeLink(): Promise<{ page: request.Response; token: string }> {
  const page = await volunteer.submit(`${base()}/my/calendar-feed`);
  expect(page.status, page.text.slice(0, 300)).toBe(201);
  const token = /webcal:\/\/rw\.example\.test\/calendar\/([A-Za-z0-9_-]+)\.ics/.exec(page.text)?.[1];
  if (!token) throw new Error('no calendar link on the page');
  return { page, token };
}

/** The feed as a calendar fetches it: no session, no cookie. */
function fetchFeed(token: string) {
  return request(app)
    .get(`/calendar/${token}.ics`)
    .buffer(true)
    .parse((r, done) => {
      let body = '';
      r.setEncoding('utf8');
      r.on('data', (c: string) => (body += c));
      r.on('end', () => done(null, body));
    });
}

const eventsOf = (body: string): VEvent[] =>
  Object.values(ical.sync.parseICS(body))
    .filter((c): c is VEvent => c?.type === 'VEVENT')
    .sort((a, b) => a.start.getTime() - b.start.getTime());

beforeEach(async () => {
  s = await seededApp({ at: NOW, env: { PUBLIC_URL }, center: { name: 'Maple Center' } });
  ({ app, seeded: home } = s);
  volunteer = await signInAs(app, home.users.volunteer);
});
afterEach(() => s.close());

describe('the calendar feed', () => {
  it("lists the person's shifts and covers at their wall-clock times in the center's zone, across the change to daylight time", async () => {
    const me = home.people.volunteer.id;
    // Friday 12 March (CST, UTC-6) and Monday 15 March (CDT, UTC-5): both 07:00–11:00 in Chicago.
    const before = await shift(me, home.rooms.toddlers.id, '2027-03-12', '07:00', '11:00');
    const after = await shift(me, home.rooms.toddlers.id, '2027-03-15', '07:00', '11:00');
    const cover = await shift(me, home.rooms.infants.id, '2027-03-16', '15:00', '17:00', 'cover');
    // Someone else's shift, and one of mine too long ago (more than 14 days back).
    await shift(home.people.teacher.id, home.rooms.toddlers.id, '2027-03-12', '07:00', '11:00');
    await shift(me, home.rooms.toddlers.id, '2027-02-01', '07:00', '11:00');
    // My usual Thursday, on a day whose plan is not made yet.
    await insertShiftTemplate(s.db, { centerId: home.center.id, personId: me, roomId: home.rooms.infants.id, weekday: 4, start: '08:00', end: '12:00' }, s.clock.now());

    const { page, token } = await makeLink();
    expect(page.text).toContain(`${PUBLIC_URL}/calendar/${token}.ics`);
    const res = await fetchFeed(token);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(res.headers['cache-control']).toContain('private');
    expect(res.headers['cache-control']).toContain('no-store');
    const body = res.body as string;
    const events = eventsOf(body);

    const ours = events.filter((e) => e.start < new Date('2027-03-19T00:00:00Z'));
    expect(ours.map((e) => [local(e.start), local(e.end!), e.summary, e.location])).toEqual([
      ['2027-03-11 08:00', '2027-03-11 12:00', 'Shift: Infants', 'Maple Center'],
      ['2027-03-12 07:00', '2027-03-12 11:00', 'Shift: Toddlers', 'Maple Center'],
      ['2027-03-15 07:00', '2027-03-15 11:00', 'Shift: Toddlers', 'Maple Center'],
      ['2027-03-16 15:00', '2027-03-16 17:00', 'Cover: Infants', 'Maple Center'],
      ['2027-03-18 08:00', '2027-03-18 12:00', 'Shift: Infants', 'Maple Center'],
    ]);
    // The hour moved: 13:00 UTC before, 12:00 UTC after.
    expect(ours[1]!.start.toISOString()).toBe('2027-03-12T13:00:00.000Z');
    expect(ours[2]!.start.toISOString()).toBe('2027-03-15T12:00:00.000Z');
    expect(ours.slice(1, 4).map((e) => e.uid)).toEqual([before, after, cover].map((id) => `shift-${id}@ratiowatch`));
    // Every usual Thursday up to 60 days ahead, and nothing beyond.
    expect(events.filter((e) => e.summary === 'Shift: Infants').length).toBe(9);
    expect(events.every((e) => e.start.getTime() < Date.parse(NOW) + 61 * 86_400_000)).toBe(true);
    expect(events.every((e) => e.dtstamp instanceof Date)).toBe(true);
    // Nobody else's name, no children.
    expect(body).not.toContain(home.people.teacher.displayName);
    expect(body).not.toContain(home.people.volunteer.displayName);

    // The Thursday's plan made: the same event (its UID), so the calendar updates rather than adds.
    const thursdayUid = ours[4]!.uid;
    expect(await ensureDayPlan(s.db, home.center, '2027-03-18', s.clock.now())).toBe(true);
    const again = eventsOf((await fetchFeed(token)).body as string);
    expect(again.filter((e) => local(e.start) === '2027-03-18 08:00').map((e) => e.uid)).toEqual([thursdayUid]);
  });

  it('answers 404 to an unknown or malformed token, and writes nothing when read', async () => {
    await makeLink();
    const audit = async () => Number((await s.db('audit_log').count({ n: '*' }))[0]!.n);
    const rows = async () => JSON.stringify(await s.db('calendar_feeds').orderBy('id'));
    const [a0, r0] = [await audit(), await rows()];
    expect((await fetchFeed('A'.repeat(43))).status).toBe(404);
    expect((await fetchFeed('not-a-token')).status).toBe(404);
    expect([await audit(), await rows()]).toEqual([a0, r0]);
    // Only the token's hash is kept.
    const kept = (await s.db('calendar_feeds').first()) as { token_hash: string };
    expect(kept.token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('ends the old link when a new one is made, and the new one when it is turned off; both audited', async () => {
    const first = (await makeLink()).token;
    expect((await fetchFeed(first)).status).toBe(200);
    const settings = await volunteer.get(`${base()}/my/alerts`);
    expect(settings.text).toContain('Your calendar link is on');
    expect(settings.text).not.toContain(first);

    const second = (await makeLink()).token;
    expect(second).not.toBe(first);
    expect((await fetchFeed(first)).status).toBe(404);
    expect((await fetchFeed(second)).status).toBe(200);

    const off = await volunteer.submit(`${base()}/my/calendar-feed/revocation`);
    expect(off.status).toBe(303);
    expect((await fetchFeed(second)).status).toBe(404);
    expect((await volunteer.get(`${base()}/my/alerts`)).text).toContain('Make a calendar link');
    const actions = (await s.db('audit_log').where({ record_type: 'calendar_feed' }).orderBy('id').select('action')).map((r: { action: string }) => r.action);
    expect(actions).toEqual(['calendar_feed.created', 'calendar_feed.created', 'calendar_feed.revoked']);
  });

  it('finds nothing once the member has left the center', async () => {
    const { token } = await makeLink();
    await s.db('memberships').where({ id: home.memberships.volunteer.id }).update({ deactivated_at: s.clock.now().toISOString() });
    expect((await fetchFeed(token)).status).toBe(404);
  });
});
