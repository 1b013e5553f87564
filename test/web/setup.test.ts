import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createChild } from '../../src/db/children.js';
import { createInvitation } from '../../src/db/invitations.js';
import { createMembership } from '../../src/db/memberships.js';
import { createOrganization } from '../../src/db/organizations.js';
import { insertShiftTemplate } from '../../src/db/shift-templates.js';
import { createUser } from '../../src/db/users.js';
import type { Deps } from '../../src/web/app.js';
import { anAgent, type Agent } from '../support/agent.js';
import { seedCenter, type SeededCenter } from '../support/builders.js';
import type { TestClock } from '../support/deps.js';
import { decodeEntities, expectFieldError, rowCounts } from '../support/forms.js';
import { seededApp, type App } from '../support/seeded-app.js';

let deps: Deps;
let clock: TestClock;
let app: App;
let seeded: SeededCenter;
let signIn: (role: 'owner' | 'director' | 'staff' | 'volunteer') => Promise<Agent>;
let close: () => Promise<void>;
beforeEach(async () => {
  ({ deps, clock, app, seeded, close, signIn } = await seededApp());
});
afterEach(() => close());

const setup = () => `/centers/${seeded.center.id}/setup`;
const text = (html: string) => decodeEntities(html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' '));
const PASSWORD = 'a long enough passphrase';

/** What `npm run create-owner` makes: an organization, its owner with no password, and the link to set one. */
async function aNewOwner() {
  const at = clock.now();
  const organization = await createOrganization(deps.db, { name: 'Maple Street', at });
  const created = await createUser(deps.db, { email: 'owner@maple.test', displayName: 'Ana', passwordHash: null, at });
  if (!created.ok) throw new Error('user');
  await createMembership(deps.db, { userId: created.user.id, organizationId: organization.id, centerId: null, role: 'owner', at });
  const { token } = await createInvitation(deps.db, { purpose: 'reset', organizationId: organization.id, centerId: null, userId: created.user.id, createdByUserId: null, at });
  return { organization, token, user: created.user };
}

describe('first run for a new owner', () => {
  it('sends an owner with no center to the set-up after setting the password, then through the center form to the checklist', async () => {
    const { organization, token } = await aNewOwner();
    const agent = anAgent(app);
    const set = await agent.submit(`/password-resets/${token}`, { password: PASSWORD, passwordConfirmation: PASSWORD });
    expect(set.status).toBe(303);
    expect(set.headers.location).toBe(`/organizations/${organization.id}/setup`);

    const page = await agent.get(set.headers.location!);
    expect(page.status).toBe(200);
    expect(text(page.text)).toContain('1. The center');
    expect(page.text).toContain(`href="/organizations/${organization.id}/centers/new?next&#x3D;setup"`);

    const form = await agent.get(`/organizations/${organization.id}/centers/new?next=setup`);
    expect(form.text).toContain(`action="/organizations/${organization.id}/centers?next&#x3D;setup"`);
    const made = await agent.submit(`/organizations/${organization.id}/centers?next=setup`, { name: 'Maple Street Center', licenseNumber: 'L-1', packId: 'MN', timeZone: 'America/Chicago', opensAt: '06:30', closesAt: '18:00' });
    expect(made.status).toBe(303);
    const center = await deps.db('centers').where({ name: 'Maple Street Center' }).first();
    expect(made.headers.location).toBe(`/centers/${center.id}/setup`);

    const checklist = text((await agent.get(made.headers.location!)).text);
    expect(checklist).toContain('Maple Street Center, license L-1');
    expect(checklist).toContain('No rooms yet.');
    expect(checklist).toContain('No rooms yet: the board has nothing to judge.');
    expect(checklist).toContain('0 children, 0 people.');
  });

  it('sends an owner whose center has no rooms to its checklist, and others home', async () => {
    const { organization, token, user } = await aNewOwner();
    const bare = await seedCenter(deps.db, { organization, name: 'Bare' });
    await deps.db('rooms').where({ center_id: bare.center.id }).delete();
    const set = await anAgent(app).submit(`/password-resets/${token}`, { password: PASSWORD, passwordConfirmation: PASSWORD });
    expect(set.headers.location).toBe(`/centers/${bare.center.id}/setup`);
    // A staff member setting a password goes home, as before.
    const staffReset = await createInvitation(deps.db, { purpose: 'reset', organizationId: seeded.organization.id, centerId: seeded.center.id, userId: seeded.users.staff.id, createdByUserId: seeded.users.director.id, at: clock.now() });
    const staff = await anAgent(app).submit(`/password-resets/${staffReset.token}`, { password: PASSWORD, passwordConfirmation: PASSWORD });
    expect(staff.headers.location).toBe('/');
    expect(user.id).toBeTruthy();
  });

  it('offers the set-up on the home page of an owner whose organization has no center', async () => {
    const { organization, token } = await aNewOwner();
    const agent = anAgent(app);
    await agent.submit(`/password-resets/${token}`, { password: PASSWORD, passwordConfirmation: PASSWORD });
    const home = await agent.get('/');
    expect(home.text).toContain(`href="/organizations/${organization.id}/setup"`);
  });
});

describe('GET /centers/:centerId/setup', () => {
  it('shows each step with what is done and a link to each', async () => {
    const at = clock.now();
    const child = await createChild(deps.db, { centerId: seeded.center.id, displayName: 'Maya R.', birthDate: '2025-06-01', homeRoomId: seeded.rooms.infants.id, at });
    const owner = await signIn('owner');
    const page = await owner.get(setup());
    expect(page.status).toBe(200);
    const words = text(page.text);
    expect(words).toContain('2 rooms.');
    expect(words).toContain('Infants · Infant · capacity 8 · Edit Infants');
    expect(words).toContain('1 child has no usual days');
    expect(words).toContain('1 child, 2 people.');
    expect(words).toContain('Usual week: 0 of 2 rooms have staff planned Mon–Fri.');
    const base = `/centers/${seeded.center.id}`;
    for (const href of [`${base}/settings?next&#x3D;setup`, `${base}/rooms/new?next&#x3D;setup`, `${base}/import`, `${base}/schedules?next&#x3D;setup`]) expect(page.text).toContain(`href="${href}"`);
  });

  it('lists what is still missing, and the home page shows it to directors: 1 room with no usual staff on weekdays', async () => {
    const at = clock.now();
    for (const weekday of [1, 2, 3, 4, 5]) {
      await insertShiftTemplate(deps.db, { centerId: seeded.center.id, personId: seeded.people.teacher.id, roomId: seeded.rooms.infants.id, weekday, start: '07:00', end: '15:00' }, at);
    }
    const director = await signIn('director');
    const words = text((await director.get(setup())).text);
    expect(words).toContain('1 room has no usual staff on Mondays to Fridays: Toddlers.');
    expect(words).toContain('No children on file yet.');
    expect(words).toContain('Usual week: 1 of 2 rooms have staff planned Mon–Fri.');
    expect(words).toContain('Only the owner changes these.');
    const home = await director.get('/');
    expect(text(home.text)).toContain('1 room has no usual staff on Mondays to Fridays: Toddlers. The usual week');
    expect(home.text).toContain(`href="/centers/${seeded.center.id}/schedules"`);
    // Staff see no set-up lines at home.
    const staffHome = await (await signIn('staff')).get('/');
    expect(staffHome.text).not.toContain('no usual staff');
  });

  it('writes nothing', async () => {
    const director = await signIn('director');
    const before = await rowCounts(deps.db, ['rooms', 'children', 'people', 'shift_templates', 'audit_log', 'invitations']);
    await director.get(setup());
    await director.get('/');
    expect(await rowCounts(deps.db, ['rooms', 'children', 'people', 'shift_templates', 'audit_log', 'invitations'])).toEqual(before);
  });

  it('refuses staff and volunteers (403), and answers 404 for another center', async () => {
    expect((await (await signIn('staff')).get(setup())).status).toBe(403);
    expect((await (await signIn('volunteer')).get(setup())).status).toBe(403);
    const other = await seedCenter(deps.db, { name: 'Other' });
    expect((await (await signIn('director')).get(`/centers/${other.center.id}/setup`)).status).toBe(404);
    expect((await (await signIn('owner')).get(`/organizations/${other.organization.id}/setup`)).status).toBe(404);
    expect((await (await signIn('director')).get(`/organizations/${seeded.organization.id}/setup`)).status).toBe(404);
  });
});

describe('?next=setup on the set-up forms', () => {
  it('returns to the checklist after adding a room, and keeps the form with its errors otherwise', async () => {
    const director = await signIn('director');
    const form = await director.get(`/centers/${seeded.center.id}/rooms/new?next=setup`);
    expect(form.text).toContain(`action="/centers/${seeded.center.id}/rooms?next&#x3D;setup"`);
    const bad = await director.submit(`/centers/${seeded.center.id}/rooms?next=setup`, { name: '', licensedCapacity: '10', ageCategories: 'preschooler', maxGroupSize: '' });
    expect(bad.status).toBe(422);
    expectFieldError(bad.text, 'name', /Enter/);
    expect(bad.text).toContain(`action="/centers/${seeded.center.id}/rooms?next&#x3D;setup"`);
    const added = await director.submit(`/centers/${seeded.center.id}/rooms?next=setup`, { name: 'Preschool', licensedCapacity: '20', ageCategories: 'preschooler', maxGroupSize: '' });
    expect(added.status).toBe(303);
    expect(added.headers.location).toBe(setup());
    expect(text((await director.get(setup())).text)).toContain('3 rooms.');
  });

  it('ignores any other value of next: never a redirect elsewhere', async () => {
    const director = await signIn('director');
    for (const next of ['https://evil.example', '//evil.example', '/centers', 'SETUP']) {
      const res = await director.submit(`/centers/${seeded.center.id}/rooms?next=${encodeURIComponent(next)}`, { name: `Room ${next}`, licensedCapacity: '10', ageCategories: 'preschooler', maxGroupSize: '' });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/centers/${seeded.center.id}/rooms`);
    }
  });

  it('returns to the checklist after the owner saves the settings', async () => {
    const owner = await signIn('owner');
    const res = await owner.submit(`/centers/${seeded.center.id}/settings?next=setup`, { name: 'Renamed', packId: 'MN', timeZone: 'America/Chicago', opensAt: '06:30', closesAt: '18:00', forecastHorizonMinutes: '60', graceMinutes: '10', expiryLeadDays: '30', claimMode: 'first_claim' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(setup());
    const settings = await owner.get(`/centers/${seeded.center.id}/settings`);
    expect(settings.text).toContain(`href="${setup()}"`);
  });

  it('keeps the usual week in the set-up: its forms come back to it with the link to the checklist', async () => {
    const director = await signIn('director');
    const page = await director.get(`/centers/${seeded.center.id}/schedules?next=setup`);
    expect(page.text).toContain(`href="${setup()}"`);
    const res = await director.submit(`/centers/${seeded.center.id}/schedules/templates?next=setup`, { personId: seeded.people.teacher.id, roomId: seeded.rooms.toddlers.id, weekdays: '1', start: '07:00', end: '15:00' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/centers/${seeded.center.id}/schedules?next=setup`);
  });
});
