import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../../src/db/audit.js';
import { createInvitation } from '../../src/db/invitations.js';
import type { Deps } from '../../src/web/app.js';
import { anAgent, signInAs, type Agent } from '../support/agent.js';
import { seedCenter, type SeededCenter } from '../support/builders.js';
import type { TestClock } from '../support/deps.js';
import { rowCounts } from '../support/forms.js';
import { seededApp, type App } from '../support/seeded-app.js';

let deps: Deps;
let clock: TestClock;
let app: App;
let seeded: SeededCenter;
let director: Agent;
let close: () => Promise<void>;
beforeEach(async () => {
  ({ deps, clock, app, seeded, close, agents: { director } } = await seededApp({ agents: ['director'] }));
});
afterEach(() => close());

const membershipPath = (id: string, what: string) => `/centers/${seeded.center.id}/memberships/${id}/${what}`;

describe('POST /centers/:centerId/memberships/:membershipId/deactivation', () => {
  it("ends the person's sessions at once", async () => {
    const staff = await signInAs(app, seeded.users.staff);
    const onPhone = await signInAs(app, seeded.users.staff);
    expect((await staff.get(`/centers/${seeded.center.id}`)).status).toBe(200);

    const res = await director.submit(membershipPath(seeded.memberships.staff.id, 'deactivation'));
    expect(res.status).toBe(303);

    for (const agent of [staff, onPhone]) {
      const next = await agent.get(`/centers/${seeded.center.id}`);
      expect(next.status).toBe(303);
      expect(next.headers.location).toBe('/sign-in');
    }
    // And cannot sign in again.
    expect((await anAgent(app).submit('/sign-in', { email: seeded.users.staff.email, password: seeded.users.staff.password })).status).toBe(401);
    const entry = await deps.db('audit_log').where({ action: 'membership.deactivated' }).first();
    expect(entry).toMatchObject({ record_id: seeded.memberships.staff.id, actor_user_id: seeded.users.director.id, center_id: seeded.center.id });
    expect(JSON.parse(entry.changes)).toEqual({ before: { deactivatedAt: null }, after: { deactivatedAt: expect.any(String) } });
  });

  it('does not let a director deactivate their own membership', async () => {
    expect((await director.submit(membershipPath(seeded.memberships.director.id, 'deactivation'))).status).toBe(403);
  });

  it("lets the owner deactivate a director", async () => {
    const owner = await signInAs(app, seeded.users.owner);
    expect((await owner.submit(membershipPath(seeded.memberships.director.id, 'deactivation'))).status).toBe(303);
    expect((await director.get('/')).headers.location).toBe('/sign-in');
  });

  it('answers 404 for a membership of another center', async () => {
    const other = await seedCenter(deps.db);
    const res = await director.submit(membershipPath(other.memberships.staff.id, 'deactivation'));
    expect(res.status).toBe(404);
    expect(await deps.db('memberships').where({ id: other.memberships.staff.id }).first()).toMatchObject({ deactivated_at: null });
  });
});

describe('POST /centers/:centerId/memberships/:membershipId/role', () => {
  it('changes a role and records before and after', async () => {
    const res = await director.submit(membershipPath(seeded.memberships.volunteer.id, 'role'), { role: 'staff' });
    expect(res.status).toBe(303);
    expect(await deps.db('memberships').where({ id: seeded.memberships.volunteer.id }).first()).toMatchObject({ role: 'staff' });
    const entry = await deps.db('audit_log').where({ action: 'membership.role_changed' }).first();
    expect(JSON.parse(entry.changes)).toEqual({ before: { role: 'volunteer' }, after: { role: 'staff' } });
  });

  it('does not let a director make someone a director', async () => {
    const res = await director.submit(membershipPath(seeded.memberships.volunteer.id, 'role'), { role: 'director' });
    expect(res.status).toBe(422);
    expect(await deps.db('memberships').where({ id: seeded.memberships.volunteer.id }).first()).toMatchObject({ role: 'volunteer' });
  });
});

const RESET_LINK = /value="https?:\/\/[^/"]+(\/password-resets\/[A-Za-z0-9_-]{43})"/;

/** Makes a reset link for the membership as `by` (post), then follows the redirect to the page that shows it once (get). */
async function resetLink(membershipId: string, by: Agent = director) {
  const posted = await by.submit(membershipPath(membershipId, 'password-reset-links'));
  expect(posted.status, posted.text.slice(0, 300)).toBe(303);
  const res = await by.get(posted.headers.location!);
  expect(res.status).toBe(200);
  const match = RESET_LINK.exec(res.text);
  if (!match) throw new Error('no reset link on the page');
  return { res, location: posted.headers.location!, path: match[1]! };
}

const newPassword = { password: 'a brand new passphrase', passwordConfirmation: 'a brand new passphrase' };

describe('password reset links', () => {
  it('lets the person choose a new password once, ending their other sessions', async () => {
    const staff = await signInAs(app, seeded.users.staff);
    const { res, path } = await resetLink(seeded.memberships.staff.id);
    expect(res.text).toContain('<svg');

    const person = anAgent(app);
    expect((await person.get(path)).status).toBe(200);
    const done = await person.submit(path, { password: 'a brand new passphrase', passwordConfirmation: 'a brand new passphrase' });
    expect(done.status).toBe(303);
    expect((await person.get('/')).status).toBe(200);

    expect((await staff.get('/')).headers.location).toBe('/sign-in');
    expect((await anAgent(app).submit('/sign-in', { email: seeded.users.staff.email, password: seeded.users.staff.password })).status).toBe(401);
    expect((await anAgent(app).submit('/sign-in', { email: seeded.users.staff.email, password: 'a brand new passphrase' })).status).toBe(303);
    // Used once.
    expect((await anAgent(app).get(path)).status).toBe(410);

    const changes = (await deps.db('audit_log').where({ action: 'user.password_reset' }).first()).changes as string;
    expect(changes).not.toContain('scrypt$');
    expect(changes).toContain('[redacted]');
    expect(await verifyAuditLog(deps.db)).toMatchObject({ ok: true });
  });
});

describe('H3: a reset link stands only while its maker may make it, and only until one is used', () => {
  const staffCanSignInWith = async (password: string) =>
    (await anAgent(app).submit('/sign-in', { email: seeded.users.staff.email, password })).status === 303;

  it('H3: refuses a reset link whose maker was deactivated', async () => {
    const { path, location } = await resetLink(seeded.memberships.staff.id);
    const owner = await signInAs(app, seeded.users.owner);
    expect((await owner.submit(membershipPath(seeded.memberships.director.id, 'deactivation'))).status).toBe(303);

    // The ex-director kept the link: it no longer signs anyone in as the staff member.
    const exDirector = anAgent(app);
    expect((await exDirector.get(path)).status).toBe(410);
    const res = await exDirector.submit(path, newPassword);
    expect(res.status).toBe(410);
    expect((await exDirector.get(`/centers/${seeded.center.id}`)).headers.location).toBe('/sign-in');
    expect(await staffCanSignInWith(newPassword.password)).toBe(false);
    expect(await staffCanSignInWith(seeded.users.staff.password)).toBe(true);
    expect(await deps.db('audit_log').where({ action: 'user.password_reset' })).toHaveLength(0);
    // Revoked with the membership, in the same transaction, and audited.
    const id = location.split('/').pop()!;
    expect(await deps.db('invitations').where({ id }).first()).toMatchObject({ revoked_at: clock.now().toISOString(), used_at: null });
    const entry = await deps.db('audit_log').where({ action: 'password_reset_link.revoked' }).first();
    expect(entry).toMatchObject({ record_id: id, actor_user_id: seeded.users.owner.id, center_id: seeded.center.id });
    expect(JSON.parse(entry.changes).after).toEqual({ revokedAt: clock.now().toISOString(), reason: 'maker_deactivated' });
    expect(await verifyAuditLog(deps.db)).toMatchObject({ ok: true });
  });

  it('H3: refuses a reset link whose maker lost the membership, even where the link was not revoked with it', async () => {
    const { path } = await resetLink(seeded.memberships.staff.id);
    await deps.db('memberships').where({ id: seeded.memberships.director.id }).update({ deactivated_at: clock.now().toISOString() });
    expect((await anAgent(app).get(path)).status).toBe(410);
    expect((await anAgent(app).submit(path, newPassword)).status).toBe(410);
    expect(await staffCanSignInWith(newPassword.password)).toBe(false);
  });

  it('H3: refuses a reset link once its person is promoted past its maker', async () => {
    const { path } = await resetLink(seeded.memberships.staff.id);
    const owner = await signInAs(app, seeded.users.owner);
    expect((await owner.submit(membershipPath(seeded.memberships.staff.id, 'role'), { role: 'director' })).status).toBe(303);
    // A director may not take over another director's account.
    expect((await anAgent(app).submit(path, newPassword)).status).toBe(410);
    expect(await staffCanSignInWith(newPassword.password)).toBe(false);
  });

  it('still honours the first owner’s reset link from the command line, which has no maker', async () => {
    const made = await createInvitation(deps.db, { purpose: 'reset', organizationId: seeded.organization.id, centerId: null, userId: seeded.users.owner.id, createdByUserId: null, at: clock.now() });
    expect((await anAgent(app).submit(`/password-resets/${made.token}`, newPassword)).status).toBe(303);
  });

  it('H3: ends the older reset link for a person when the newer is used, and the newer when the older is', async () => {
    const older = await resetLink(seeded.memberships.staff.id);
    const owner = await signInAs(app, seeded.users.owner);
    const newer = await resetLink(seeded.memberships.staff.id, owner);
    expect((await anAgent(app).submit(newer.path, newPassword)).status).toBe(303);
    expect((await anAgent(app).get(older.path)).status).toBe(410);
    expect((await anAgent(app).submit(older.path, { password: 'an older link passphrase', passwordConfirmation: 'an older link passphrase' })).status).toBe(410);
    expect(await staffCanSignInWith(newPassword.password)).toBe(true);
    const entry = await deps.db('audit_log').where({ action: 'password_reset_link.revoked' }).first();
    expect(entry).toMatchObject({ record_id: older.location.split('/').pop(), actor_user_id: seeded.users.staff.id });
    expect(JSON.parse(entry.changes).after.reason).toBe('superseded');

    // The other way round: using the older ends the newer.
    const first = await resetLink(seeded.memberships.volunteer.id);
    const second = await resetLink(seeded.memberships.volunteer.id);
    expect((await anAgent(app).submit(first.path, newPassword)).status).toBe(303);
    expect((await anAgent(app).submit(second.path, { password: 'a second link passphrase', passwordConfirmation: 'a second link passphrase' })).status).toBe(410);
  });

  it('H3: shows a new reset link once: reloading the page after the redirect makes no second link and shows none', async () => {
    const { location, path } = await resetLink(seeded.memberships.staff.id);
    expect(location).toMatch(new RegExp(`^/centers/${seeded.center.id}/password-reset-links/[0-9a-f-]{36}$`));
    const again = await director.get(location);
    expect(again.status).toBe(200);
    expect(again.text).not.toMatch(RESET_LINK);
    expect(again.text).toContain('is not shown again');
    expect(await rowCounts(deps.db, ['invitations'])).toEqual({ invitations: 1 });
    expect(await deps.db('audit_log').where({ action: 'password_reset_link.created' })).toHaveLength(1);
    // Staff cannot open the page; another center's director finds nothing there.
    expect((await (await signInAs(app, seeded.users.staff)).get(location)).status).toBe(403);
    const other = await seedCenter(deps.db);
    expect((await (await signInAs(app, other.users.director)).get(location.replace(seeded.center.id, other.center.id))).status).toBe(404);
    expect((await anAgent(app).get(path)).status).toBe(200);
  });
});
