import type { Knex } from 'knex';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newId } from '../../src/db/rows.js';
import { sendNotices } from '../../src/db/notices.js';
import { createLogger } from '../../src/log.js';
import { noticeBreaches } from '../../src/services/cover/takers.js';
import { createJobRunner, type JobRunner } from '../../src/services/jobs.js';
import { signInAs } from '../support/agent.js';
import { seedCenter, type SeededCenter } from '../support/builders.js';
import { seedRoomDay } from '../support/day.js';
import type { TestClock } from '../support/deps.js';
import { seededApp, type App } from '../support/seeded-app.js';

/**
 * Notices: the unread count in the header, the list, opening one (read, and where
 * it points), marking all read, only one's own and only from centers one still
 * belongs to; and the directors' notice of a forecast breach nobody asked cover
 * for, once per room and breach start, and of a no show, sent by the job runner's
 * tick with nobody looking (a page never writes one).
 */

let clock: TestClock;
let close: () => Promise<void>;
let app: App;
let home: SeededCenter;
let db: Knex;

// 14:30 on Monday 2 March 2026 in Chicago.
const AFTERNOON = '2026-03-02T20:30:00Z';

beforeEach(async () => {
  ({ db, clock, app, seeded: home, close } = await seededApp({ at: AFTERNOON, center: { name: 'Home Center' } }));
});
afterEach(() => close());
/** The job runner, ticked by hand at the clock's instant. */
let jobs: JobRunner;
beforeEach(() => {
  jobs = createJobRunner({ db, log: createLogger({ logLevel: 'silent' }), clock });
});
afterEach(() => jobs.stop());
const tick = async () => expect(await jobs.runOnce()).toEqual({ ran: true, failures: [] });

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#x27;/g, "'").replace(/&amp;/g, '&').replace(/\s+/g, ' ');
const send = (userId: string, body: string, link: string | null = null) =>
  sendNotices(db, [userId], { centerId: home.center.id, kind: 'cover_request_new', body, link }, new Date(AFTERNOON));

describe('the header', () => {
  it('shows how many notices are unread on every page, and nothing once they are read', async () => {
    await send(home.users.volunteer.id, 'Cover needed in Infants.');
    await send(home.users.volunteer.id, 'Cover needed in Toddlers.');
    const v = await signInAs(app, home.users.volunteer);
    expect((await v.get('/')).text).toContain('<a href="/notices">Notices <strong data-unread-notices>(2 new)</strong></a>');
    expect((await v.get(`/centers/${home.center.id}`)).text).toContain('(2 new)');
    expect((await v.submit('/notices/read')).status).toBe(303);
    expect((await v.get('/')).text).toContain('<a href="/notices">Notices</a>');
  });
});

describe('GET /notices', () => {
  it('lists the new ones first and opens one where it points, marking it read', async () => {
    await send(home.users.volunteer.id, 'Cover needed in Infants, Mon 2 Mar 15:00–17:00.', `/centers/${home.center.id}/cover`);
    const v = await signInAs(app, home.users.volunteer);
    const page = await v.get('/notices');
    expect(page.status).toBe(200);
    expect(text(page.text)).toContain('New (1) ● new Cover needed in Infants, Mon 2 Mar 15:00–17:00.');
    const id = ((await db('notices').first()) as { id: string }).id;
    const opened = await v.submit(`/notices/${id}/read`, { open: '1' });
    expect(opened.status).toBe(303);
    expect(opened.headers.location).toBe(`/centers/${home.center.id}/cover`);
    expect(await db('notices').where({ id }).first()).toMatchObject({ read_at: AFTERNOON.replace('Z', '.000Z') });
    expect(text((await v.get('/notices')).text)).toContain('Nothing new. Earlier Cover needed in Infants');
  });

  it("answers 404 for someone else's notice, and leaves it unread", async () => {
    await send(home.users.volunteer.id, 'Yours only.');
    const id = ((await db('notices').first()) as { id: string }).id;
    const res = await (await signInAs(app, home.users.staff)).submit(`/notices/${id}/read`, { open: '1' });
    expect(res.status).toBe(404);
    expect(await db('notices').where({ id }).first()).toMatchObject({ read_at: null });
  });

  it('hides the notices of a center the person no longer belongs to', async () => {
    await send(home.users.volunteer.id, 'Cover needed in Infants.');
    const v = await signInAs(app, home.users.volunteer);
    await db('memberships').where({ id: home.memberships.volunteer.id }).update({ deactivated_at: AFTERNOON });
    // A second center keeps them signed in somewhere.
    const other = await seedCenter(db, { name: 'Other Center' });
    await db('memberships').insert({ id: newId(), user_id: home.users.volunteer.id, organization_id: other.organization.id, center_id: other.center.id, role: 'volunteer', person_id: null, created_at: AFTERNOON, deactivated_at: null });
    const page = await v.get('/notices');
    expect(text(page.text)).toContain('Nothing new.');
    expect(page.text).not.toContain('Cover needed in Infants');
  });
});

describe('forecast breach notices', () => {
  /** Infants: two infants expected until 17:00, the staff login's teacher planned (and here) until 15:00 only. */
  async function shortAtThree() {
    const day = await seedRoomDay(db, home);
    for (const child of [day.children.ada, day.children.ben]) {
      await db('child_schedules').insert({ id: newId(), child_id: child.id, weekday: 1, arrive: '07:00', depart: '17:00' });
    }
    await db('shifts').insert({ id: newId(), center_id: home.center.id, room_id: home.rooms.infants.id, person_id: home.people.teacher.id, day: '2026-03-02', starts_at: '2026-03-02T13:00:00.000Z', ends_at: '2026-03-02T21:00:00.000Z', source: 'plan', cover_request_id: null, created_at: AFTERNOON, created_by_user_id: null, cancelled_at: null, cancelled_by_user_id: null });
    await db('day_plans').insert({ center_id: home.center.id, day: '2026-03-02', made_at: AFTERNOON });
    // The teacher came in at 07:00 and is still here: the forecast starts from what happened.
    await db('person_presences').insert({ id: newId(), center_id: home.center.id, room_id: home.rooms.infants.id, person_id: home.people.teacher.id, started_at: '2026-03-02T13:00:00.000Z', ended_at: null });
    return day;
  }
  const breachNotices = async (userId: string) => (await db('notices').where({ user_id: userId, kind: 'forecast_breach' })) as { body: string; link: string }[];

  it("tells the directors once, at the job runner's tick, of a breach within the horizon that nobody asked cover for", async () => {
    await shortAtThree();
    const director = await signInAs(app, home.users.director);
    // The board only shows it.
    expect((await director.get(`/centers/${home.center.id}/board`)).status).toBe(200);
    expect(await breachNotices(home.users.director.id)).toHaveLength(0);
    await tick();
    const notices = await breachNotices(home.users.director.id);
    expect(notices).toHaveLength(1);
    expect(notices[0]!.body).toBe('Infants will be short of staff at 15:00 (2026-03-02) and no one has asked for cover yet.');
    expect(notices[0]!.link).toBe(`/centers/${home.center.id}/cover-requests/new?roomId=${home.rooms.infants.id}&start=15%3A00&end=17%3A00&count=1&needs=teacher&trainings=aht%2Csuid`);
    expect(await breachNotices(home.users.staff.id)).toHaveLength(0);

    // The same breach, seen again later: no second notice.
    clock.set('2026-03-02T20:35:00Z');
    await tick();
    expect(await noticeBreaches(db, home.center, clock.now())).toBe(0);
    expect(await breachNotices(home.users.director.id)).toHaveLength(1);

    // The link opens the form filled in from the forecast's cover need.
    const form = await director.get(notices[0]!.link);
    expect(form.text).toContain('name="start" type="time" value="15:00"');
    expect(form.text).toMatch(/<option value="teacher" selected>Teacher or above/);
  });

  it('says nothing of a breach an open request already covers', async () => {
    await shortAtThree();
    const staff = await signInAs(app, home.users.staff);
    const asked = await staff.submit(`/centers/${home.center.id}/cover-requests`, { roomId: home.rooms.infants.id, day: '2026-03-02', start: '15:00', end: '17:00', count: '1', needs: 'teacher' });
    expect(asked.status).toBe(303);
    await tick();
    expect(await breachNotices(home.users.director.id)).toHaveLength(0);
  });
});

describe('no-show notices', () => {
  /**
   * Maya is planned in Toddlers 11:00–15:00 and never arrives; the toddler is there from 07:00
   * with the staff login's teacher, who is planned to 17:00. The grace period is the default
   * 10 minutes: at 11:05 she is late (still counted), at 11:10 a no show.
   */
  async function mayaDueAtEleven() {
    const day = await seedRoomDay(db, home);
    const shift = (personId: string, start: string, end: string) => ({ id: newId(), center_id: home.center.id, room_id: home.rooms.toddlers.id, person_id: personId, day: '2026-03-02', starts_at: start, ends_at: end, source: 'plan', cover_request_id: null, created_at: AFTERNOON, created_by_user_id: null, cancelled_at: null, cancelled_by_user_id: null });
    await db('shifts').insert([shift(day.maya.id, '2026-03-02T17:00:00.000Z', '2026-03-02T21:00:00.000Z'), shift(home.people.teacher.id, '2026-03-02T13:00:00.000Z', '2026-03-02T23:00:00.000Z')]);
    await db('day_plans').insert({ center_id: home.center.id, day: '2026-03-02', made_at: AFTERNOON });
    await db('person_presences').insert({ id: newId(), center_id: home.center.id, room_id: home.rooms.toddlers.id, person_id: home.people.teacher.id, started_at: '2026-03-02T13:00:00.000Z', ended_at: null });
    await db('child_presences').insert({ id: newId(), center_id: home.center.id, room_id: home.rooms.toddlers.id, child_id: day.children.dot.id, started_at: '2026-03-02T13:00:00.000Z', ended_at: null });
    return day;
  }
  const noShowNotices = async (userId: string) => (await db('notices').where({ user_id: userId, kind: 'no_show' })) as { body: string; link: string }[];
  const card = (html: string) => {
    const start = html.indexOf(`id="room-${home.rooms.toddlers.id}"`);
    return text(html.slice(start, html.indexOf('</article>', start)));
  };

  it('tells the directors once that a planned person has not arrived past the grace period, and the board says so', async () => {
    const day = await mayaDueAtEleven();
    const director = await signInAs(app, home.users.director);

    clock.set('2026-03-02T17:05:00Z'); // 11:05: late, not yet a no show
    let board = await director.get(`/centers/${home.center.id}/board`);
    expect(card(board.text)).toContain(`${day.maya.displayName} is late for Toddlers, due 11:00`);
    await tick();
    expect(await noShowNotices(home.users.director.id)).toHaveLength(0);

    clock.set('2026-03-02T17:10:00Z'); // 11:10: ten minutes after the start
    board = await director.get(`/centers/${home.center.id}/board`);
    expect(card(board.text)).toContain(`${day.maya.displayName} has not arrived for Toddlers, due 11:00`);
    // The board only says so; the tick tells the directors.
    expect(await noShowNotices(home.users.director.id)).toHaveLength(0);
    await tick();
    const notices = await noShowNotices(home.users.director.id);
    expect(notices).toHaveLength(1);
    expect(notices[0]!.body).toBe(`${day.maya.displayName} has not arrived for Toddlers, due 11:00.`);
    expect(notices[0]!.link).toBe(`/centers/${home.center.id}/rooms/${home.rooms.toddlers.id}`);
    expect(await noShowNotices(home.users.staff.id)).toHaveLength(0);

    // Seen again later, and computed twice at once: still one notice.
    clock.set('2026-03-02T17:50:00Z');
    await Promise.all([jobs.runOnce(), noticeBreaches(db, home.center, clock.now())]);
    expect(await noShowNotices(home.users.director.id)).toHaveLength(1);
  });

  it('tells nobody once the person has arrived, even late', async () => {
    const day = await mayaDueAtEleven();
    await db('person_presences').insert({ id: newId(), center_id: home.center.id, room_id: home.rooms.toddlers.id, person_id: day.maya.id, started_at: '2026-03-02T17:08:00.000Z', ended_at: null });
    clock.set('2026-03-02T17:30:00Z');
    const director = await signInAs(app, home.users.director);
    const board = await director.get(`/centers/${home.center.id}/board`);
    expect(card(board.text)).not.toContain('has not arrived');
    await tick();
    expect(await noShowNotices(home.users.director.id)).toHaveLength(0);
  });

  it('takes the center’s own grace period', async () => {
    const day = await mayaDueAtEleven();
    await db('centers').where({ id: home.center.id }).update({ grace_minutes: 30 });
    clock.set('2026-03-02T17:20:00Z'); // 11:20: within 30 minutes
    const director = await signInAs(app, home.users.director);
    expect(card((await director.get(`/centers/${home.center.id}/board`)).text)).toContain(`${day.maya.displayName} is late for Toddlers, due 11:00`);
    await tick();
    expect(await noShowNotices(home.users.director.id)).toHaveLength(0);
  });
});
