import type { Knex } from 'knex';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMembership } from '../../src/db/memberships.js';
import { createPerson } from '../../src/db/people.js';
import type { Person } from '../../src/db/rows.js';
import { createTrainingRecord } from '../../src/db/trainings.js';
import { createUser } from '../../src/db/users.js';
import { hashPassword } from '../../src/passwords.js';
import { createEventHub, type BoardEvent, type EventHub } from '../../src/web/events/hub.js';
import { signInAs, type Agent } from '../support/agent.js';
import { TEST_PASSWORD, seedCenter, type SeededCenter, type TestUser } from '../support/builders.js';
import { dbBool } from '../support/db.js';
import { TEST_SCRYPT, type TestClock } from '../support/deps.js';
import { seededApp, type App } from '../support/seeded-app.js';

/**
 * Cover requests over HTTP, on Monday 2 March 2026 in Chicago (UTC-6): asking,
 * claiming (first claim fills, or a director approves), partial cover, assigning,
 * withdrawing, cancelling, expiry, bad input, "need help now", the calendar file,
 * and who may do what.
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
/** A volunteer with an account, cleared and trained for infants unless `trainings` says otherwise. */
async function volunteer(name: string, opts: { trainings?: string[]; center?: SeededCenter } = {}): Promise<{ person: Person; user: TestUser }> {
  const s = opts.center ?? home;
  const at = new Date('2026-03-01T12:00:00Z');
  const person = await createPerson(db, { centerId: s.center.id, displayName: name, role: 'volunteer', qualifiesAs: 'aide', adultAttested: true, backgroundStudy: 'cleared', backgroundClearedOn: '2026-01-02', at });
  for (const trainingId of opts.trainings ?? INFANT_TRAININGS) {
    await createTrainingRecord(db, { centerId: s.center.id, personId: person.id, trainingId, completedOn: '2026-01-10', status: 'verified', at });
  }
  const email = `v${++made}-${Math.random().toString(36).slice(2, 7)}@example.test`;
  const created = await createUser(db, { email, displayName: name, passwordHash: await hashPassword(TEST_PASSWORD, TEST_SCRYPT), at });
  if (!created.ok) throw new Error('user');
  await createMembership(db, { userId: created.user.id, organizationId: s.organization.id, centerId: s.center.id, role: 'volunteer', personId: person.id, at });
  return { person, user: { id: created.user.id, email, password: TEST_PASSWORD } };
}

const base = () => `/centers/${home.center.id}`;

/** Asks for cover as `agent` and answers the new request's id. */
async function ask(agent: Agent, fields: Record<string, string> = {}): Promise<string> {
  const res = await agent.submit(`${base()}/cover-requests`, { roomId: home.rooms.infants.id, day: '2026-03-02', start: '15:00', end: '17:00', count: '1', ...fields });
  expect(res.status, res.text.slice(0, 500)).toBe(303);
  const id = /cover-requests\/([0-9a-f-]{36})$/.exec(res.headers.location ?? '')?.[1];
  if (!id) throw new Error(`no request id in ${res.headers.location}`);
  return id;
}

const requestRow = (id: string) => db('cover_requests').where({ id }).first();
const claimsOf = (id: string) => db('cover_claims').where({ cover_request_id: id }).orderBy('created_at');
const shiftsOf = (id: string) => db('shifts').where({ cover_request_id: id }).whereNull('cancelled_at');
const eventsOf = async (id: string) => ((await db('cover_request_events').where({ cover_request_id: id }).orderBy('id')) as { kind: string }[]).map((e) => e.kind);
const noticesOf = async (userId: string) => ((await db('notices').where({ user_id: userId }).orderBy('created_at')) as { kind: string; body: string }[]).map((n) => `${n.kind}: ${n.body}`);
const audited = async (action: string) => (await db('audit_log').where({ action })).length;
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#x27;/g, "'").replace(/&amp;/g, '&').replace(/\s+/g, ' ');

describe('POST /centers/:centerId/cover-requests', () => {
  it('opens a request, records who asked and tells only the volunteers eligible for the room', async () => {
    const ana = await volunteer('Ana Lopez');
    const dee = await volunteer('Dee Moss', { trainings: INFANT_TRAININGS.filter((t) => t !== 'suid') });
    const staff = await signInAs(app, home.users.staff);
    const id = await ask(staff, { reason: 'Sam leaves early' });

    expect(await requestRow(id)).toMatchObject({ status: 'open', room_id: home.rooms.infants.id, day: '2026-03-02', starts_at: '2026-03-02T21:00:00.000Z', ends_at: '2026-03-02T23:00:00.000Z', people_needed: 1, reason: 'Sam leaves early', created_by_user_id: home.users.staff.id });
    expect(await eventsOf(id)).toEqual(['created']);
    expect(await audited('cover_request.created')).toBe(1);
    expect(await noticesOf(ana.user.id)).toEqual(['cover_request_new: Cover needed in Infants, Mon 2 Mar 15:00–17:00, 1 person. You can take it.']);
    expect(await noticesOf(dee.user.id)).toEqual([]);

    const page = await staff.get(`${base()}/cover-requests/${id}`);
    expect(page.status).toBe(200);
    expect(text(page.text)).toContain('● open');
    expect(text(page.text)).toContain('Still open: 15:00–17:00: 1 more person');
    expect(text(page.text)).toMatch(/History today 06:45 Staff [^ ]+ asked for cover/);
  });

  it('re-renders the form with the message next to the field and stores nothing for an end before the start', async () => {
    const staff = await signInAs(app, home.users.staff);
    const res = await staff.submit(`${base()}/cover-requests`, { roomId: home.rooms.infants.id, day: '2026-03-02', start: '17:00', end: '15:00', count: '1' });
    expect(res.status).toBe(422);
    expect(res.text).toMatch(/<p class="error" id="end-error">The end must be after the start.<\/p>/);
    expect(res.text).toContain('value="17:00"');
    expect(await db('cover_requests')).toHaveLength(0);
    expect(await db('notices')).toHaveLength(0);
  });

  it('refuses a time that does not exist on the spring-forward day, a past window, a missing room and a long reason', async () => {
    const staff = await signInAs(app, home.users.staff);
    const gap = await staff.submit(`${base()}/cover-requests`, { roomId: home.rooms.infants.id, day: '2026-03-08', start: '02:30', end: '04:00', count: '1' });
    expect(gap.status).toBe(422);
    expect(gap.text).toContain('<p class="error" id="start-error">02:30 does not exist on 2026-03-08: the clocks go forward then.</p>');
    const past = await staff.submit(`${base()}/cover-requests`, { roomId: home.rooms.infants.id, day: '2026-03-02', start: '05:00', end: '06:00', count: '1' });
    expect(past.text).toContain('id="end-error">That window is already over (it is 06:45 now).');
    const noRoom = await staff.submit(`${base()}/cover-requests`, { roomId: '', day: '2026-03-02', start: '15:00', end: '17:00', count: '1' });
    expect(noRoom.text).toContain('id="roomId-error">Choose a room.');
    const long = await staff.submit(`${base()}/cover-requests`, { roomId: home.rooms.infants.id, day: '2026-03-02', start: '15:00', end: '17:00', count: '0', reason: 'x'.repeat(201) });
    expect(long.text).toContain('id="reason-error">Keep the reason to 200 characters.');
    expect(long.text).toContain('id="count-error">Enter how many people, from 1 to 10.');
    expect(await db('cover_requests')).toHaveLength(0);
  });

  it('answers JSON with 422 and the fields for bad input asked as JSON', async () => {
    const staff = await signInAs(app, home.users.staff);
    const res = await staff.post(`${base()}/cover-requests`).set('Accept', 'application/json').set('X-CSRF-Token', await staff.csrf()).send({ roomId: home.rooms.infants.id, day: 'soon', start: '15:00', end: '17:00', count: '1' });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ error: 'Enter a date like 2026-03-02.', fields: { day: 'Enter a date like 2026-03-02.' } });
  });
});

describe('GET /centers/:centerId/cover-requests/new', () => {
  it("fills the form in from the board's Request cover link", async () => {
    const director = await signInAs(app, home.users.director);
    const res = await director.get(`${base()}/cover-requests/new?roomId=${home.rooms.infants.id}&start=15:00&end=16:30&count=2&needs=teacher,aide&trainings=aht,suid`);
    expect(res.status).toBe(200);
    expect(res.text).toContain(`<option value="${home.rooms.infants.id}" selected>Infants</option>`);
    expect(res.text).toContain('name="start" type="time" value="15:00"');
    expect(res.text).toContain('name="end" type="time" value="16:30"');
    expect(res.text).toContain('name="count" type="number" inputmode="numeric" min="1" max="10" value="2"');
    expect(res.text).toMatch(/id="need1" name="needs">[\s\S]*?<option value="teacher" selected>Teacher or above/);
    expect(res.text).toMatch(/id="need2" name="needs">[\s\S]*?<option value="aide" selected>Aide or above/);
    expect(res.text).toContain('name="trainings" value="aht,suid"');
    expect(text(res.text)).toContain("The children's ages call for: Abusive head trauma (AHT), Safe sleep (SUID)");
  });
});

describe('the home page of a volunteer', () => {
  it('counts the openings they may take, and only those', async () => {
    const ana = await volunteer('Ana Lopez');
    const dee = await volunteer('Dee Moss', { trainings: INFANT_TRAININGS.filter((t) => t !== 'suid') });
    const homeOf = async (user: TestUser) => text((await (await signInAs(app, user)).get('/')).text);
    expect(await homeOf(ana.user)).toContain('No cover you can take right now');

    const id = await ask(await signInAs(app, home.users.staff));
    const a = await signInAs(app, ana.user);
    const page = await a.get('/');
    expect(page.text).toContain(`<a class="button-link" href="${base()}/cover">1 opening you can take</a>`);
    // Not counted in Infants without safe-sleep training: the cover page would not offer it either.
    expect(await homeOf(dee.user)).toContain('No cover you can take right now');

    // Once taken, it is no longer an opening.
    expect((await a.submit(`${base()}/cover-requests/${id}/claims`, { start: '15:00', end: '17:00' })).status).toBe(303);
    expect(await homeOf(ana.user)).toContain('No cover you can take right now');
  });
});

describe('claiming', () => {
  it('gives the request to the first valid claim as a planned shift, and tells the next one it is already filled', async () => {
    const ana = await volunteer('Ana Lopez');
    const bea = await volunteer('Bea Kim');
    const id = await ask(await signInAs(app, home.users.staff));
    const a = await signInAs(app, ana.user);
    const openings = await a.get(`${base()}/cover`);
    expect(text(openings.text)).toMatch(/Infants , today 15:00–17:00/);

    const res = await a.submit(`${base()}/cover-requests/${id}/claims`, { start: '15:00', end: '17:00' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`${base()}/cover`);
    expect(text((await a.get(`${base()}/cover`)).text)).toContain("It's yours: Infants, today 15:00–17:00.");
    expect(await requestRow(id)).toMatchObject({ status: 'filled', version: 1 });
    expect(await claimsOf(id)).toMatchObject([{ person_id: ana.person.id, status: 'accepted', kind: 'claim', seat: 0 }]);
    expect(await shiftsOf(id)).toMatchObject([{ person_id: ana.person.id, room_id: home.rooms.infants.id, source: 'cover', starts_at: '2026-03-02T21:00:00.000Z', ends_at: '2026-03-02T23:00:00.000Z', day: '2026-03-02' }]);
    expect(await eventsOf(id)).toEqual(['created', 'claimed']);
    expect(await noticesOf(home.users.staff.id)).toEqual(['cover_claimed: Ana Lopez took the cover in Infants, Mon 2 Mar 15:00–17:00. The request is filled.']);
    expect(await noticesOf(home.users.director.id)).toEqual(['cover_claimed: Ana Lopez took the cover in Infants, Mon 2 Mar 15:00–17:00. The request is filled.']);

    const b = await signInAs(app, bea.user);
    const late = await b.submit(`${base()}/cover-requests/${id}/claims`, { start: '15:00', end: '17:00' });
    expect(late.status).toBe(409);
    expect(late.text).toContain('This request is already filled.');
    const json = await b.post(`${base()}/cover-requests/${id}/claims`).set('Accept', 'application/json').set('X-CSRF-Token', await b.csrf()).send({});
    expect(json.status).toBe(409);
    expect(json.body).toEqual({ error: 'This request is already filled.', code: 'filled' });
    expect(await claimsOf(id)).toHaveLength(1);
  });

  it('refuses a volunteer not counted in the room, saying what they lack, and stores nothing', async () => {
    const dee = await volunteer('Dee Moss', { trainings: INFANT_TRAININGS.filter((t) => t !== 'suid') });
    const id = await ask(await signInAs(app, home.users.staff));
    const res = await (await signInAs(app, dee.user)).submit(`${base()}/cover-requests/${id}/claims`, { start: '15:00', end: '17:00' });
    expect(res.status).toBe(409);
    expect(text(res.text)).toContain('You are not counted in Infants through 15:00–17:00: Safe sleep (SUID) training missing');
    expect(await claimsOf(id)).toHaveLength(0);
    expect(await requestRow(id)).toMatchObject({ status: 'open', version: 0 });
  });

  it('refuses a part outside the window with the message next to the times, and stores nothing', async () => {
    const ana = await volunteer('Ana Lopez');
    const id = await ask(await signInAs(app, home.users.staff));
    const res = await (await signInAs(app, ana.user)).submit(`${base()}/cover-requests/${id}/claims`, { start: '14:00', end: '16:00' });
    expect(res.status).toBe(422);
    expect(res.text).toContain(`<p class="error" id="claim-error-${id}" role="alert">Choose a part within 15:00–17:00.</p>`);
    expect(res.text).toContain(`id="start-${id}" name="start" type="time" value="14:00"`);
    expect(await claimsOf(id)).toHaveLength(0);
  });

  it('fills 13:00-17:00 with two people in two parts, showing the part still open in between', async () => {
    const ana = await volunteer('Ana Lopez');
    const bea = await volunteer('Bea Kim');
    const staff = await signInAs(app, home.users.staff);
    const id = await ask(staff, { start: '13:00', end: '17:00' });
    const a = await signInAs(app, ana.user);
    expect((await a.submit(`${base()}/cover-requests/${id}/claims`, { start: '13:00', end: '15:00' })).status).toBe(303);
    expect(await requestRow(id)).toMatchObject({ status: 'open' });
    expect(text((await staff.get(`${base()}/cover-requests/${id}`)).text)).toContain('Still open: 15:00–17:00: 1 more person');

    const b = await signInAs(app, bea.user);
    const cover = text((await b.get(`${base()}/cover`)).text);
    expect(cover).toContain('Still open: 15:00–17:00 (1 more person)');
    const overlap = await b.submit(`${base()}/cover-requests/${id}/claims`, { start: '14:00', end: '17:00' });
    expect(overlap.status).toBe(409);
    expect(text(overlap.text)).toContain('14:00–17:00 is no longer open. Still open: 15:00–17:00.');
    expect((await b.submit(`${base()}/cover-requests/${id}/claims`, { start: '15:00', end: '17:00' })).status).toBe(303);
    expect(await requestRow(id)).toMatchObject({ status: 'filled' });
    expect((await shiftsOf(id)).map((s: { person_id: string; starts_at: string }) => [s.person_id, s.starts_at])).toEqual([
      [ana.person.id, '2026-03-02T19:00:00.000Z'],
      [bea.person.id, '2026-03-02T21:00:00.000Z'],
    ]);
    const page = text((await staff.get(`${base()}/cover-requests/${id}`)).text);
    expect(page, page).toMatch(/Covered by ✓ Ana Lopez 13:00–15:00 \(claimed\) ✓ Bea Kim 15:00–17:00 \(claimed\)/);
  });

  it('lets an aide take only the aide place of a request for a teacher and an aide', async () => {
    const ana = await volunteer('Ana Lopez');
    const bea = await volunteer('Bea Kim');
    const id = await ask(await signInAs(app, home.users.director), { count: '2', needs: ['teacher', 'aide'] as unknown as string });
    expect(await requestRow(id)).toMatchObject({ needs: 'teacher,aide', people_needed: 2 });
    expect((await (await signInAs(app, ana.user)).submit(`${base()}/cover-requests/${id}/claims`, {})).status).toBe(303);
    const second = await (await signInAs(app, bea.user)).submit(`${base()}/cover-requests/${id}/claims`, {});
    expect(second.status).toBe(409);
    expect(text(second.text)).toContain('15:00–17:00 is no longer open. Still open: 15:00–17:00.');
    expect(await claimsOf(id)).toMatchObject([{ person_id: ana.person.id, seat: 1 }]);
  });

  describe('when a director approves claims', () => {
    beforeEach(async () => {
      await db('centers').where({ id: home.center.id }).update({ claim_mode: 'director_approves' });
    });

    it('keeps a claim pending until a director approves it, then makes it a shift and declines the others', async () => {
      const ana = await volunteer('Ana Lopez');
      const bea = await volunteer('Bea Kim');
      const id = await ask(await signInAs(app, home.users.staff));
      const a = await signInAs(app, ana.user);
      expect((await a.get(`${base()}/cover`)).text).toContain('Ask to take it');
      expect((await a.submit(`${base()}/cover-requests/${id}/claims`, { start: '15:00', end: '17:00' })).status).toBe(303);
      expect((await (await signInAs(app, bea.user)).submit(`${base()}/cover-requests/${id}/claims`, { start: '15:00', end: '17:00' })).status).toBe(303);
      expect(await requestRow(id)).toMatchObject({ status: 'open' });
      expect(await shiftsOf(id)).toHaveLength(0);
      expect(await noticesOf(home.users.director.id)).toContain('cover_claimed: Ana Lopez asks to take the cover in Infants, Mon 2 Mar 15:00–17:00. Approve or decline it.');

      const director = await signInAs(app, home.users.director);
      const page = await director.get(`${base()}/cover-requests/${id}`);
      expect(text(page.text)).toContain('Ana Lopez asks to take 15:00–17:00.');
      const claim = (await claimsOf(id))[0] as { id: string };
      const approved = await director.submit(`${base()}/cover-claims/${claim.id}/approval`);
      expect(approved.status).toBe(303);
      expect(await requestRow(id)).toMatchObject({ status: 'filled' });
      expect(await claimsOf(id)).toMatchObject([
        { person_id: ana.person.id, status: 'accepted', decided_by_user_id: home.users.director.id },
        { person_id: bea.person.id, status: 'declined' },
      ]);
      expect(await shiftsOf(id)).toMatchObject([{ person_id: ana.person.id, source: 'cover' }]);
      expect(await eventsOf(id)).toEqual(['created', 'claimed', 'claimed', 'declined', 'approved']);
      expect(await noticesOf(ana.user.id)).toContain('cover_approved: Your cover in Infants, Mon 2 Mar 15:00–17:00 is approved.');
      expect(await noticesOf(bea.user.id)).toContain('cover_declined: The cover in Infants, Mon 2 Mar 15:00–17:00 was filled by someone else.');

      const again = await director.submit(`${base()}/cover-claims/${claim.id}/approval`);
      expect(again.status).toBe(409);
      expect(await shiftsOf(id)).toHaveLength(1);
    });

    it('declines a pending claim and tells its person', async () => {
      const ana = await volunteer('Ana Lopez');
      const id = await ask(await signInAs(app, home.users.staff));
      await (await signInAs(app, ana.user)).submit(`${base()}/cover-requests/${id}/claims`, {});
      const claim = (await claimsOf(id))[0] as { id: string };
      expect((await (await signInAs(app, home.users.director)).submit(`${base()}/cover-claims/${claim.id}/declination`)).status).toBe(303);
      expect(await claimsOf(id)).toMatchObject([{ status: 'declined' }]);
      expect(await requestRow(id)).toMatchObject({ status: 'open' });
      expect(await noticesOf(ana.user.id)).toContain('cover_declined: Your claim for Infants, Mon 2 Mar 15:00–17:00 was declined.');
    });
  });
});

describe('assigning', () => {
  it('lists ranked candidates with reasons and those one training away, and assigns one as a planned shift', async () => {
    const ana = await volunteer('Ana Lopez');
    await volunteer('Dee Moss', { trainings: INFANT_TRAININGS.filter((t) => t !== 'suid') });
    await db('availability_windows').insert({ id: crypto.randomUUID(), person_id: ana.person.id, weekday: 1, start: '12:00', end: '18:00', created_at: MORNING });
    const director = await signInAs(app, home.users.director);
    const id = await ask(director);
    const page = text((await director.get(`${base()}/cover-requests/${id}`)).text);
    expect(page).toContain('Ana Lopez can cover 15:00–17:00 Available for the whole window');
    expect(page).toMatch(/one away Dee Moss : Safe sleep \(SUID\) training missing/);

    const res = await director.submit(`${base()}/cover-requests/${id}/assignments`, { personId: ana.person.id, start: '15:00', end: '17:00' });
    expect(res.status).toBe(303);
    expect(await claimsOf(id)).toMatchObject([{ person_id: ana.person.id, kind: 'assignment', status: 'accepted', created_by_user_id: home.users.director.id }]);
    expect(await shiftsOf(id)).toHaveLength(1);
    expect(await requestRow(id)).toMatchObject({ status: 'filled' });
    expect(await eventsOf(id)).toEqual(['created', 'assigned']);
    expect(await noticesOf(ana.user.id)).toContain('cover_assigned: You are assigned to cover Infants, Mon 2 Mar 15:00–17:00.');
    expect(await noticesOf(home.users.staff.id)).toEqual([]);
  });

  it('refuses to assign someone planned elsewhere in the window, naming where', async () => {
    const ana = await volunteer('Ana Lopez');
    await db('shifts').insert({ id: crypto.randomUUID(), center_id: home.center.id, room_id: home.rooms.toddlers.id, person_id: ana.person.id, day: '2026-03-02', starts_at: '2026-03-02T20:00:00.000Z', ends_at: '2026-03-02T22:00:00.000Z', source: 'plan', cover_request_id: null, created_at: MORNING, created_by_user_id: null, cancelled_at: null, cancelled_by_user_id: null });
    const director = await signInAs(app, home.users.director);
    const id = await ask(director);
    const res = await director.submit(`${base()}/cover-requests/${id}/assignments`, { personId: ana.person.id, start: '15:00', end: '17:00' });
    expect(res.status).toBe(409);
    expect(text(res.text)).toContain('Ana Lopez is planned in Toddlers 14:00–16:00.');
    expect(await claimsOf(id)).toHaveLength(0);
  });

  it('does not let staff or a volunteer assign', async () => {
    const ana = await volunteer('Ana Lopez');
    const id = await ask(await signInAs(app, home.users.staff));
    for (const user of [home.users.staff, ana.user]) {
      const res = await (await signInAs(app, user)).submit(`${base()}/cover-requests/${id}/assignments`, { personId: ana.person.id, start: '15:00', end: '17:00' });
      expect(res.status).toBe(403);
    }
    expect(await claimsOf(id)).toHaveLength(0);
  });
});

describe('withdrawing', () => {
  it('cancels the shift, opens the request again and tells the requester and the directors', async () => {
    const ana = await volunteer('Ana Lopez');
    const id = await ask(await signInAs(app, home.users.staff));
    const a = await signInAs(app, ana.user);
    await a.submit(`${base()}/cover-requests/${id}/claims`, {});
    const claim = (await claimsOf(id))[0] as { id: string; shift_id: string };
    const res = await a.submit(`${base()}/cover-claims/${claim.id}/withdrawal`);
    expect(res.status).toBe(303);
    expect(text((await a.get(`${base()}/cover`)).text)).toContain('You withdrew from Infants, 15:00–17:00. It is open again for others.');
    expect(await claimsOf(id)).toMatchObject([{ status: 'withdrawn' }]);
    expect(await db('shifts').where({ id: claim.shift_id }).first()).toMatchObject({ cancelled_by_user_id: ana.user.id });
    expect(await shiftsOf(id)).toHaveLength(0);
    expect(await requestRow(id)).toMatchObject({ status: 'open', version: 2 });
    expect(await eventsOf(id)).toEqual(['created', 'claimed', 'withdrawn']);
    expect(await noticesOf(home.users.staff.id)).toContain('cover_withdrawn: Ana Lopez withdrew from the cover in Infants, Mon 2 Mar 15:00–17:00. It is open again.');
    expect(await noticesOf(home.users.director.id)).toContain('cover_withdrawn: Ana Lopez withdrew from the cover in Infants, Mon 2 Mar 15:00–17:00. It is open again.');

    const twice = await a.submit(`${base()}/cover-claims/${claim.id}/withdrawal`);
    expect(twice.status).toBe(409);
    expect(text(twice.text)).toContain('You no longer hold this cover.');
  });

  it("answers 404 for someone else's claim, and changes nothing", async () => {
    const ana = await volunteer('Ana Lopez');
    const bea = await volunteer('Bea Kim');
    const id = await ask(await signInAs(app, home.users.staff));
    await (await signInAs(app, ana.user)).submit(`${base()}/cover-requests/${id}/claims`, {});
    const claim = (await claimsOf(id))[0] as { id: string };
    const res = await (await signInAs(app, bea.user)).submit(`${base()}/cover-claims/${claim.id}/withdrawal`);
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('Home Center');
    expect(await claimsOf(id)).toMatchObject([{ status: 'accepted' }]);
  });
});

describe('cancelling', () => {
  it('cancels a filled request, its shift, and tells the person who had taken it', async () => {
    const ana = await volunteer('Ana Lopez');
    const staff = await signInAs(app, home.users.staff);
    const id = await ask(staff);
    await (await signInAs(app, ana.user)).submit(`${base()}/cover-requests/${id}/claims`, {});
    const res = await staff.submit(`${base()}/cover-requests/${id}/cancellation`);
    expect(res.status).toBe(303);
    expect(await requestRow(id)).toMatchObject({ status: 'cancelled' });
    expect((await requestRow(id)).closed_at).toBe(new Date(MORNING).toISOString());
    expect(await claimsOf(id)).toMatchObject([{ status: 'cancelled' }]);
    expect(await shiftsOf(id)).toHaveLength(0);
    expect(await eventsOf(id)).toEqual(['created', 'claimed', 'cancelled']);
    expect(await audited('cover_request.cancelled')).toBe(1);
    expect(await noticesOf(ana.user.id)).toContain('cover_cancelled: The cover in Infants, Mon 2 Mar 15:00–17:00 was cancelled. You are no longer needed for it.');
    const page = text((await staff.get(`${base()}/cover-requests/${id}`)).text);
    expect(page).toContain('✕ cancelled');

    const again = await staff.submit(`${base()}/cover-requests/${id}/cancellation`);
    expect(again.status).toBe(409);
    expect(text(again.text)).toContain('This request was cancelled.');
  });
});

describe('expiry', () => {
  it('shows and stores an unfilled request as expired once its window ends, and refuses claims on it', async () => {
    const ana = await volunteer('Ana Lopez');
    const staff = await signInAs(app, home.users.staff);
    const id = await ask(staff);
    clock.set('2026-03-02T23:00:00Z'); // 17:00 in Chicago: the window has ended.
    const list = text((await staff.get(`${base()}/cover-requests`)).text);
    expect(list).toMatch(/Recent Infants , today 15:00–17:00 ⌛ expired/);
    expect(await requestRow(id)).toMatchObject({ status: 'expired', closed_at: '2026-03-02T23:00:00.000Z' });
    expect(await eventsOf(id)).toEqual(['created', 'expired']);
    const entry = await db('audit_log').where({ action: 'cover_request.expired' }).first();
    expect(entry).toMatchObject({ actor_user_id: null, record_id: id });

    const res = await (await signInAs(app, ana.user)).submit(`${base()}/cover-requests/${id}/claims`, {});
    expect(res.status).toBe(409);
    expect(text(res.text)).toContain('This request has expired: its window ended.');
    // Stored once: a second look changes nothing.
    await staff.get(`${base()}/cover-requests/${id}`);
    expect(await eventsOf(id)).toEqual(['created', 'expired']);
  });
});

describe('need help now', () => {
  it("raises an urgent request from the room page for an hour when the forecast knows no end, and puts it on the directors' boards", async () => {
    const events: BoardEvent[] = [];
    hub.subscribe(home.center.id, (e) => events.push(e));
    const ana = await volunteer('Ana Lopez');
    const staff = await signInAs(app, home.users.staff);
    const room = await staff.get(`${base()}/rooms/${home.rooms.infants.id}`);
    expect(room.text).toContain(`action="${base()}/rooms/${home.rooms.infants.id}/help-requests"`);
    const res = await staff.submit(`${base()}/rooms/${home.rooms.infants.id}/help-requests`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`${base()}/rooms/${home.rooms.infants.id}`);
    expect(text((await staff.get(res.headers.location!)).text)).toContain('Help asked for Infants until 07:45.');

    const row = await db('cover_requests').first();
    expect(row).toMatchObject({ urgent: dbBool(true), status: 'open', starts_at: '2026-03-02T12:45:00.000Z', ends_at: '2026-03-02T13:45:00.000Z', created_by_user_id: home.users.staff.id });
    expect(await db('audit_log').where({ action: 'cover_request.help_requested', actor_user_id: home.users.staff.id, record_id: row.id })).toHaveLength(1);
    expect(await noticesOf(home.users.director.id)).toEqual(['help_request: Help needed now in Infants, Mon 2 Mar 06:45–07:45, 1 person.']);
    expect(await noticesOf(ana.user.id)).toEqual(['help_request: Help needed now in Infants, Mon 2 Mar 06:45–07:45, 1 person. You can take it.']);
    expect(events.map((e) => [e.event, e.id])).toContainEqual(['help-request', row.id]);
    expect(events.find((e) => e.event === ('help-request' as string))!.data).toContain('Help needed now in Infants');

    const board = await (await signInAs(app, home.users.director)).get(`${base()}/board`);
    expect(board.status).toBe(200);
    expect(text(board.text)).toMatch(/Help needed now in Infants since 06:45, until 07:45, asked by Staff [^.]*\. Find cover/);
  });

  it('is not offered to a volunteer, who cannot raise it', async () => {
    const ana = await volunteer('Ana Lopez');
    const v = await signInAs(app, ana.user);
    expect((await v.get(`${base()}/rooms/${home.rooms.infants.id}`)).text).not.toContain('help-requests');
    expect((await v.submit(`${base()}/rooms/${home.rooms.infants.id}/help-requests`)).status).toBe(403);
    expect(await db('cover_requests')).toHaveLength(0);
  });
});

describe('GET /centers/:centerId/my/shifts.ics', () => {
  it("offers the volunteer's accepted covers as an iCalendar file in UTC", async () => {
    const ana = await volunteer('Ana Lopez');
    const id = await ask(await signInAs(app, home.users.staff), { reason: 'Sam, early' });
    const a = await signInAs(app, ana.user);
    await a.submit(`${base()}/cover-requests/${id}/claims`, {});
    const res = await a.get(`${base()}/my/shifts.ics`).buffer(true).parse((r, done) => {
      let body = '';
      r.setEncoding('utf8');
      r.on('data', (c: string) => (body += c));
      r.on('end', () => done(null, body));
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="ratiowatch-cover.ics"');
    const body = res.body as string;
    const shift = (await shiftsOf(id))[0] as { id: string };
    expect(body.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    expect(body).toContain(`\r\nBEGIN:VEVENT\r\nUID:shift-${shift.id}@ratiowatch\r\nDTSTAMP:20260302T124500Z\r\nDTSTART:20260302T210000Z\r\nDTEND:20260302T230000Z\r\nSUMMARY:Cover: Infants\r\nLOCATION:Home Center\r\n`);
    expect(body.endsWith('END:VEVENT\r\nEND:VCALENDAR\r\n')).toBe(true);
    expect(body.split('\r\n').every((line) => Buffer.byteLength(line) <= 75)).toBe(true);
  });
});

describe('scoping', () => {
  it("answers 404 for another center's request, and to a member of another center", async () => {
    const other = await seedCenter(db, { name: 'Other Center' });
    const id = await ask(await signInAs(app, home.users.staff));
    const otherDirector = await signInAs(app, other.users.director);
    expect((await otherDirector.get(`${base()}/cover-requests/${id}`)).status).toBe(404);
    // Their own center's paths with this center's request id: not found either.
    expect((await otherDirector.get(`/centers/${other.center.id}/cover-requests/${id}`)).status).toBe(404);
    expect((await otherDirector.submit(`/centers/${other.center.id}/cover-requests/${id}/cancellation`)).status).toBe(404);
    const theirs = await volunteer('Other Volunteer', { center: other });
    expect((await otherDirector.submit(`/centers/${other.center.id}/cover-requests/${id}/assignments`, { personId: theirs.person.id, start: '15:00', end: '17:00' })).status).toBe(404);
    expect(await requestRow(id)).toMatchObject({ status: 'open', version: 0 });
  });

  it("refuses to assign a person of another center to this center's request", async () => {
    const other = await seedCenter(db, { name: 'Other Center' });
    const theirs = await volunteer('Other Volunteer', { center: other });
    const director = await signInAs(app, home.users.director);
    const id = await ask(director);
    const res = await director.submit(`${base()}/cover-requests/${id}/assignments`, { personId: theirs.person.id, start: '15:00', end: '17:00' });
    expect(res.status).toBe(422);
    expect(text(res.text)).toContain('Choose a person from the list.');
    expect(await claimsOf(id)).toHaveLength(0);
  });
});
