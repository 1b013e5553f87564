import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPerson } from '../../src/db/people.js';
import { newId } from '../../src/db/rows.js';
import { createTrainingRecord } from '../../src/db/trainings.js';
import type { Deps } from '../../src/web/app.js';
import { signInAs, type Agent } from '../support/agent.js';
import { seedCenter, type SeededCenter } from '../support/builders.js';
import { seedRoomDay, type SeededDay } from '../support/day.js';
import { seededApp, type App } from '../support/seeded-app.js';

let deps: Deps;
let app: App;
let north: SeededCenter;
let south: SeededCenter;
let northDay: SeededDay;
let owner: Agent;
let close: () => Promise<void>;

beforeEach(async () => {
  // Tuesday 10:00 in Chicago.
  const world = await seededApp({ at: '2026-03-03T16:00:00Z', center: { name: 'North Site' } });
  ({ deps, app, seeded: north, close } = world);
  south = await seedCenter(deps.db, { name: 'South Site', organization: north.organization });
  northDay = await seedRoomDay(deps.db, north);
  owner = await world.signIn('owner');
});
afterEach(() => close());

const network = (organizationId = north.organization.id) => `/organizations/${organizationId}/network`;

/** The HTML of one center's section of the page. */
function centerSection(html: string, centerId: string): string {
  const start = html.indexOf(`aria-labelledby="center-${centerId}"`);
  expect(start, `no section for center ${centerId}`).toBeGreaterThan(-1);
  const end = html.indexOf('</section>', start);
  return html.slice(start, end);
}
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();

describe('GET /organizations/:organizationId/network', () => {
  it('shows an owner every center of the organization, each with its rooms’ statuses in words and icons and a link to its board', async () => {
    // North: an infant checked in with nobody counted there: out of ratio.
    const staff = await signInAs(app, north.users.staff);
    await staff.submit(`/centers/${north.center.id}/rooms/${north.rooms.infants.id}/check-ins`, { childId: northDay.children.ada.id });
    const res = await owner.get(network());
    expect(res.status).toBe(200);
    expect(res.text).toContain(`<h1>${north.organization.name}: every center</h1>`);

    const n = centerSection(res.text, north.center.id);
    expect(n).toContain(`<a href="/centers/${north.center.id}/board">North Site</a>`);
    expect(text(n)).toContain('✕ 1 not compliant');
    expect(text(n)).toContain('Infants ✕ out of ratio 1 child, 0 of 1 staff counted');
    expect(text(n)).toContain('Toddlers ✓ ok');

    const s = centerSection(res.text, south.center.id);
    expect(s).toContain(`<a href="/centers/${south.center.id}/board">South Site</a>`);
    expect(text(s)).toContain('✓ every room compliant');
    expect(text(s)).toContain('Infants ✓ ok');
  });

  it('lists each center’s open cover requests, and not its filled or past ones', async () => {
    const request = (status: string, startsAt: string, endsAt: string, urgent = false) =>
      deps.db('cover_requests').insert({
        id: newId(),
        center_id: south.center.id,
        room_id: south.rooms.toddlers.id,
        day: '2026-03-03',
        starts_at: startsAt,
        ends_at: endsAt,
        people_needed: 2,
        needs: 'teacher',
        trainings: '',
        reason: null,
        urgent,
        status,
        version: 0,
        created_at: '2026-03-03T15:00:00.000Z',
        created_by_user_id: south.users.director.id,
        closed_at: null,
      });
    await request('open', '2026-03-03T21:00:00.000Z', '2026-03-03T23:00:00.000Z', true);
    await request('filled', '2026-03-03T19:00:00.000Z', '2026-03-03T20:00:00.000Z');
    await request('open', '2026-03-03T13:00:00.000Z', '2026-03-03T14:00:00.000Z'); // its window ended at 08:00
    const res = await owner.get(network());
    expect(text(centerSection(res.text, south.center.id))).toContain('Open cover requests: 1 Need help now Toddlers, Tue 3 Mar, 15:00–17:00, 2 people');
    expect(text(centerSection(res.text, north.center.id))).toContain('Open cover requests: 0 None open.');
  });

  it('counts the trainings expiring in the next 30 days and says whose, leaving later ones out', async () => {
    const at = new Date('2026-03-01T12:00:00Z');
    const pat = await createPerson(deps.db, { centerId: south.center.id, displayName: 'Pat Expiring', role: 'teacher', adultAttested: true, backgroundStudy: 'cleared', at });
    // Safe sleep renews every 12 months: completed 2025-03-20, it stops counting on 2026-03-20 (17 days away).
    await createTrainingRecord(deps.db, { centerId: south.center.id, personId: pat.id, trainingId: 'suid', completedOn: '2025-03-20', status: 'verified', at });
    // Pediatric CPR renews every 24 months: 2024-03-10 → 2026-03-10.
    await createTrainingRecord(deps.db, { centerId: south.center.id, personId: pat.id, trainingId: 'cpr', completedOn: '2024-03-10', status: 'verified', at });
    // Abusive head trauma, 12 months: 2025-04-10 → 2026-04-10, 38 days away: not listed.
    await createTrainingRecord(deps.db, { centerId: south.center.id, personId: pat.id, trainingId: 'aht', completedOn: '2025-04-10', status: 'verified', at });
    // Already expired (2025-02-01 → 2026-02-01): not "expiring".
    await createTrainingRecord(deps.db, { centerId: south.center.id, personId: pat.id, trainingId: 'first_aid', completedOn: '2024-02-01', status: 'verified', at });
    // Awaiting review: does not count, so it does not expire either.
    const sam = await createPerson(deps.db, { centerId: south.center.id, displayName: 'Sam Pending', role: 'teacher', adultAttested: true, at });
    await createTrainingRecord(deps.db, { centerId: south.center.id, personId: sam.id, trainingId: 'suid', completedOn: '2025-03-20', status: 'submitted', at });

    const res = await owner.get(network());
    const s = text(centerSection(res.text, south.center.id));
    expect(s).toContain('Trainings expiring in the next 30 days: 2 ! Pat Expiring: Pediatric CPR (expires 2026-03-10); Safe sleep (SUID) (expires 2026-03-20)');
    expect(s).not.toContain('Abusive head trauma');
    expect(s).not.toContain('Sam Pending');
    expect(text(centerSection(res.text, north.center.id))).toContain('Trainings expiring in the next 30 days: 0 None.');
  });

  it('shows the forecast’s flags within each center’s horizon', async () => {
    // North at 10:00: Maya on shift in Infants until 10:30, infants expected all day: needs cover by 10:30.
    await deps.db('shifts').insert({
      id: newId(),
      center_id: north.center.id,
      room_id: north.rooms.infants.id,
      person_id: northDay.maya.id,
      day: '2026-03-03',
      starts_at: '2026-03-03T13:00:00.000Z',
      ends_at: '2026-03-03T16:30:00.000Z',
      source: 'plan',
      created_at: '2026-03-01T12:00:00.000Z',
    });
    // She came in at 07:00 and is still here.
    await deps.db('person_presences').insert({ id: newId(), center_id: north.center.id, room_id: north.rooms.infants.id, person_id: northDay.maya.id, started_at: '2026-03-03T13:00:00.000Z', ended_at: null });
    for (const child of [northDay.children.ada, northDay.children.ben]) {
      await deps.db('child_schedules').insert({ id: newId(), child_id: child.id, weekday: 2, arrive: '07:00', depart: '17:00' });
    }
    const res = await owner.get(network());
    expect(res.status).toBe(200);
    expect(text(centerSection(res.text, north.center.id))).toContain('Flags within 60 minutes Infants ! needs cover by 10:30');
    expect(text(centerSection(res.text, south.center.id))).toContain('No room is forecast to need cover or go over its group size within 60 minutes.');
  });

  it('answers 404 to a director of one of its centers, and to the owner of another organization', async () => {
    const director = await signInAs(app, north.users.director);
    const res = await director.get(network());
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('North Site');
    const elsewhere = await seedCenter(deps.db, { name: 'Elsewhere' });
    const otherOwner = await signInAs(app, elsewhere.users.owner);
    const refused = await otherOwner.get(network());
    expect(refused.status).toBe(404);
    expect(refused.text).not.toContain('South Site');
    // Their own network page shows only their own center.
    const theirs = await otherOwner.get(network(elsewhere.organization.id));
    expect(theirs.status).toBe(200);
    expect(theirs.text).toContain('Elsewhere');
    expect(theirs.text).not.toContain('North Site');
  });

  it('answers 404 to an owner whose membership was deactivated', async () => {
    await deps.db('memberships').where({ id: north.memberships.owner.id }).update({ deactivated_at: '2026-03-03T15:00:00.000Z' });
    expect((await owner.get(network())).status).toBe(404);
  });

  it('is linked from the owner’s home page', async () => {
    const home = await owner.get('/');
    expect(home.text).toContain(`<a href="/organizations/${north.organization.id}/network">`);
  });
});
