import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMembership } from '../../src/db/memberships.js';
import { createOrganization } from '../../src/db/organizations.js';
import { createUser } from '../../src/db/users.js';
import { hashPassword } from '../../src/passwords.js';
import type { Deps } from '../../src/web/app.js';
import { signInAs, type Agent } from '../support/agent.js';
import { seedCenter, TEST_PASSWORD, type SeededCenter, type TestUser } from '../support/builders.js';
import { dbBool } from '../support/db.js';
import { TEST_SCRYPT } from '../support/deps.js';
import { decodeEntities, expectFieldError, rowCounts } from '../support/forms.js';
import { seededApp, type App } from '../support/seeded-app.js';

let deps: Deps;
let app: App;
let seeded: SeededCenter;
let owner: Agent;
let close: () => Promise<void>;
beforeEach(async () => {
  ({ deps, app, seeded, close, agents: { owner } } = await seededApp({ agents: ['owner'] }));
});
afterEach(() => close());

// Sign-ins are audited too; what matters here is that no center was created or changed.
const counts = async (): Promise<Record<string, number>> => ({
  ...(await rowCounts(deps.db, ['centers', 'memberships'])),
  centerAudit: Number(((await deps.db('audit_log').where('action', 'like', 'center.%').count({ n: '*' }).first()) as { n: number }).n),
});
const newCenter = () => `/organizations/${seeded.organization.id}/centers`;
const settings = () => `/centers/${seeded.center.id}/settings`;
const auditOf = async (action: string) =>
  (await deps.db('audit_log').where({ action }).orderBy('id')).map((r: { changes: string; record_id: string }) => ({ ...r, changes: JSON.parse(r.changes) }));

const northside = { name: 'Northside Kids', licenseNumber: 'MN-1234', packId: 'MN', timeZone: 'America/Chicago', opensAt: '06:30', closesAt: '18:00' };

/** An owner of a new organization with no center, as `npm run create-owner` leaves one. */
async function lonelyOwner(): Promise<{ user: TestUser; organizationId: string }> {
  const at = deps.clock.now();
  const org = await createOrganization(deps.db, { name: 'Fresh Start Care', at });
  const created = await createUser(deps.db, { email: 'fresh@example.test', displayName: 'Fresh Owner', passwordHash: await hashPassword(TEST_PASSWORD, TEST_SCRYPT), at });
  if (!created.ok) throw new Error('user');
  await createMembership(deps.db, { userId: created.user.id, organizationId: org.id, centerId: null, role: 'owner', at });
  return { user: { id: created.user.id, email: 'fresh@example.test', password: TEST_PASSWORD }, organizationId: org.id };
}

async function refused(agent: Agent, path: string, fields: Record<string, string>) {
  const before = await counts();
  const rows = JSON.stringify(await deps.db('centers').orderBy('id'));
  const res = await agent.submit(path, fields);
  expect(res.status, res.text.slice(0, 300)).toBe(422);
  expect(await counts()).toEqual(before);
  expect(JSON.stringify(await deps.db('centers').orderBy('id'))).toBe(rows);
  return res;
}

describe('POST /organizations/:organizationId/centers', () => {
  it("lets a new owner create the organization's first center from the home page, and see it at once", async () => {
    const { user, organizationId } = await lonelyOwner();
    const agent = await signInAs(app, user);
    const home = await agent.get('/');
    expect(home.text).toContain('Your organization has no center yet.');
    expect(home.text).toContain(`href="/organizations/${organizationId}/centers/new"`);

    const form = await agent.get(`/organizations/${organizationId}/centers/new`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('value="America/Chicago"');
    expect(form.text).toContain('<option value="MN" selected>Minnesota licensed child care centers (draft)</option>');

    const res = await agent.submit(`/organizations/${organizationId}/centers`, { ...northside, name: '  Northside Kids ' });
    expect(res.status).toBe(303);
    const center = await deps.db('centers').where({ organization_id: organizationId }).first();
    expect(center).toMatchObject({ name: 'Northside Kids', license_number: 'MN-1234', pack_id: 'MN', time_zone: 'America/Chicago', opens_at: '06:30', closes_at: '18:00', is_demo: dbBool(false) });
    expect(res.headers.location).toBe(`/centers/${center.id}`);
    expect((await agent.get(`/centers/${center.id}`)).status).toBe(200);
    expect((await agent.get('/')).text).toContain('Northside Kids');
    // Owners see every center of their organization: no membership was needed.
    expect(await deps.db('memberships').where({ center_id: center.id })).toHaveLength(0);
    const entry = (await auditOf('center.created')).find((e) => e.record_id === center.id);
    expect(entry).toMatchObject({ organization_id: organizationId, center_id: center.id, record_id: center.id, actor_user_id: user.id });
    expect(entry!.changes.after).toMatchObject({ name: 'Northside Kids', packId: 'MN', timeZone: 'America/Chicago', claimMode: 'first_claim' });
  });

  it('stores the canonical spelling of a time zone and an empty license number as none', async () => {
    await owner.submit(newCenter(), { ...northside, licenseNumber: '  ', timeZone: 'america/denver', packId: 'CFOC' });
    expect(await deps.db('centers').where({ name: 'Northside Kids' }).first()).toMatchObject({ time_zone: 'America/Denver', license_number: null, pack_id: 'CFOC' });
  });

  it('names each bad field, keeps what was typed and stores nothing', async () => {
    const res = await refused(owner, newCenter(), { name: '', licenseNumber: 'x'.repeat(41), packId: 'ZZ', timeZone: 'Mars/Olympus', opensAt: '25:00', closesAt: '6pm' });
    expectFieldError(res.text, 'name', "Enter the center's name.");
    expectFieldError(res.text, 'licenseNumber', 'Use at most 40 characters.');
    expectFieldError(res.text, 'packId', 'Choose the rules this center is licensed under.');
    expectFieldError(res.text, 'timeZone', 'Enter a time zone from the list, like America/Chicago.');
    expectFieldError(res.text, 'opensAt', 'Enter the opening time, like 06:30.');
    expectFieldError(res.text, 'closesAt', 'Enter the closing time, like 18:00.');
    expect(res.text).toContain('value="Mars/Olympus"');
  });

  it('refuses a closing time not after the opening time, and an offset instead of a zone name', async () => {
    let res = await refused(owner, newCenter(), { ...northside, opensAt: '18:00', closesAt: '06:30' });
    expectFieldError(res.text, 'closesAt', 'The closing time must be after the opening time (18:00).');
    res = await refused(owner, newCenter(), { ...northside, timeZone: 'UTC+5' });
    expectFieldError(res.text, 'timeZone', /like America\/Chicago/);
  });

  it("answers 404 to everyone but the organization's owners", async () => {
    const other = await seedCenter(deps.db);
    const before = await counts();
    for (const user of [seeded.users.director, seeded.users.staff, seeded.users.volunteer, other.users.owner]) {
      const agent = await signInAs(app, user);
      expect((await agent.get(`${newCenter()}/new`)).status).toBe(404);
      expect((await agent.submit(newCenter(), northside)).status).toBe(404);
    }
    expect((await owner.get('/organizations/not-an-id/centers/new')).status).toBe(404);
    expect((await owner.get(`/organizations/${other.organization.id}/centers/new`)).status).toBe(404);
    expect((await owner.submit(`/organizations/${other.organization.id}/centers`, northside)).status).toBe(404);
    expect(await counts()).toEqual(before);
  });

  it('does not offer directors a way to add centers', async () => {
    const director = await signInAs(app, seeded.users.director);
    expect((await director.get('/')).text).not.toContain('/centers/new');
  });
});

describe('POST /centers/:centerId/settings', () => {
  const full = { ...northside, forecastHorizonMinutes: '90', graceMinutes: '15', expiryLeadDays: '45', claimMode: 'director_approves' };

  it('shows the current settings to the owner, linked from the center page', async () => {
    expect((await owner.get(`/centers/${seeded.center.id}`)).text).toContain(`href="${settings()}"`);
    const res = await owner.get(settings());
    expect(res.status).toBe(200);
    expect(res.text).toContain(`value="${seeded.center.name}"`);
    expect(res.text).toContain('value="60"');
    expect(res.text).toContain('value="30"');
    expect(res.text).toMatch(/value="first_claim" checked/);
  });

  it('saves every setting and audits what changed', async () => {
    const res = await owner.submit(settings(), full);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/centers/${seeded.center.id}`);
    expect((await owner.get(res.headers.location!)).text).toContain('<p class="flash flash-ok" role="status">Settings saved.</p>');
    expect(await deps.db('centers').where({ id: seeded.center.id }).first()).toMatchObject({
      name: 'Northside Kids',
      license_number: 'MN-1234',
      forecast_horizon_minutes: 90,
      grace_minutes: 15,
      expiry_lead_days: 45,
      claim_mode: 'director_approves',
    });
    const [entry] = await auditOf('center.updated');
    expect(entry).toMatchObject({ record_id: seeded.center.id, actor_user_id: seeded.users.owner.id });
    expect(entry!.changes).toEqual({
      before: { name: seeded.center.name, licenseNumber: null, forecastHorizonMinutes: 60, graceMinutes: 10, expiryLeadDays: 30, claimMode: 'first_claim' },
      after: { name: 'Northside Kids', licenseNumber: 'MN-1234', forecastHorizonMinutes: 90, graceMinutes: 15, expiryLeadDays: 45, claimMode: 'director_approves' },
    });
  });

  it('accepts the limits of each range', async () => {
    expect((await owner.submit(settings(), { ...full, forecastHorizonMinutes: '15', graceMinutes: '0', expiryLeadDays: '0' })).status).toBe(303);
    expect((await owner.submit(settings(), { ...full, forecastHorizonMinutes: '240', graceMinutes: '60', expiryLeadDays: '120' })).status).toBe(303);
  });

  it('names each bad field and changes nothing', async () => {
    let res = await refused(owner, settings(), { ...full, forecastHorizonMinutes: '14', graceMinutes: '61', expiryLeadDays: '121', claimMode: 'fastest' });
    expectFieldError(res.text, 'forecastHorizonMinutes', 'Enter a number of minutes from 15 to 240.');
    expectFieldError(res.text, 'graceMinutes', 'Enter a number of minutes from 0 to 60.');
    expectFieldError(res.text, 'expiryLeadDays', 'Enter a number of days from 0 to 120.');
    expectFieldError(res.text, 'claimMode', 'Choose how cover requests are filled.');
    expect(res.text).toContain('value="14"');
    res = await refused(owner, settings(), { ...full, forecastHorizonMinutes: '241', expiryLeadDays: '-1', timeZone: 'Central' });
    expectFieldError(res.text, 'forecastHorizonMinutes', /from 15 to 240/);
    expectFieldError(res.text, 'expiryLeadDays', /from 0 to 120/);
    expectFieldError(res.text, 'timeZone', /like America\/Chicago/);
  });

  it('is for owners only: directors and staff are refused, other organizations do not find it', async () => {
    const before = await counts();
    for (const role of ['director', 'staff', 'volunteer'] as const) {
      const agent = await signInAs(app, seeded.users[role]);
      expect((await agent.get(settings())).status).toBe(403);
      expect((await agent.submit(settings(), full)).status).toBe(403);
    }
    const other = await seedCenter(deps.db);
    const stranger = await signInAs(app, other.users.owner);
    expect((await stranger.submit(settings(), full)).status).toBe(404);
    expect(await counts()).toEqual({ centers: before.centers! + 1, memberships: before.memberships! + 4, centerAudit: before.centerAudit! + 1 });
    expect(await deps.db('centers').where({ id: seeded.center.id }).first()).toMatchObject({ name: seeded.center.name, claim_mode: 'first_claim' });
  });

  it('shows the new settings on the center page', async () => {
    await owner.submit(settings(), { ...full, timeZone: 'America/New_York' });
    const page = decodeEntities((await owner.get(`/centers/${seeded.center.id}`)).text);
    expect(page).toContain('Northside Kids');
    expect(page).toContain('times in America/New_York');
    expect(page).toContain('License MN-1234');
  });
});
