import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createInvitation } from '../../src/db/invitations.js';
import { createPerson } from '../../src/db/people.js';
import type { Deps } from '../../src/web/app.js';
import { INVITATIONS_PER_HOUR } from '../../src/web/invitations/routes.js';
import { anAgent, signInAs, type Agent } from '../support/agent.js';
import { seedCenter, TEST_PASSWORD, type SeededCenter } from '../support/builders.js';
import type { TestClock } from '../support/deps.js';
import { decodeEntities, rowCounts } from '../support/forms.js';
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

const LINK = /value="https?:\/\/[^/"]+(\/invitations\/[A-Za-z0-9_-]{43})"/;
const linkPath = (html: string) => {
  const match = LINK.exec(html);
  if (!match) throw new Error('no invitation link on the page');
  return match[1]!;
};
const invitationsPage = () => `/centers/${seeded.center.id}/invitations`;

/** Creates an invitation as `by` (post), then follows the redirect to the page that shows its link once (get). */
async function invite(fields: Record<string, string>, by: Agent = director) {
  const posted = await by.submit(invitationsPage(), fields);
  expect(posted.status, posted.text.slice(0, 300)).toBe(303);
  const res = await by.get(posted.headers.location!);
  expect(res.status).toBe(200);
  return { res, location: posted.headers.location!, path: linkPath(res.text) };
}

const joining = { displayName: 'Rosa Diaz', email: 'Rosa@Example.test', password: 'a long enough passphrase', passwordConfirmation: 'a long enough passphrase' };

/** Accepts the invitation at `path` with `fields`, as a new visitor. */
async function accept(path: string, fields: Record<string, string> = joining) {
  return anAgent(app).submit(path, fields);
}

async function aPerson(displayName: string) {
  return createPerson(deps.db, { centerId: seeded.center.id, displayName, role: 'aide', adultAttested: true, backgroundStudy: 'cleared', at: clock.now() });
}

const auditOf = (action: string) => deps.db('audit_log').where({ action }).orderBy('id');

describe('POST /centers/:centerId/invitations', () => {
  it('shows a one-time link to copy and its QR code, and stores only the hash of its token', async () => {
    const { res, path } = await invite({ role: 'volunteer' });
    expect(res.text).toMatch(/<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    const token = path.split('/').pop()!;
    const rows = await deps.db('invitations').select();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(rows[0]).toMatchObject({ purpose: 'invite', role: 'volunteer', center_id: seeded.center.id, created_by_user_id: seeded.users.director.id, revoked_at: null });
    expect(new Date(rows[0].expires_at).getTime() - clock.now().getTime()).toBe(7 * 24 * 60 * 60 * 1000);
    expect(await deps.db('audit_log').where({ action: 'invitation.created' }).first()).toMatchObject({ record_id: rows[0].id, actor_user_id: seeded.users.director.id });
  });

  it('does not let a director invite another director', async () => {
    const res = await director.submit(invitationsPage(), { role: 'director' });
    expect(res.status).toBe(422);
    expect(await deps.db('invitations').count({ n: '*' }).first()).toEqual({ n: 0 });
  });

  it('H3: shows a new invitation link once: reloading the page after the redirect makes no second link and shows none', async () => {
    const { location, path } = await invite({ role: 'staff' });
    expect(location).toMatch(new RegExp(`^/centers/${seeded.center.id}/invitations/[0-9a-f-]{36}/link$`));
    const again = await director.get(location);
    expect(again.status).toBe(200);
    expect(again.text).not.toMatch(LINK);
    expect(again.text).toContain('is not shown again');
    expect(await rowCounts(deps.db, ['invitations'])).toEqual({ invitations: 1 });
    expect(await auditOf('invitation.created')).toHaveLength(1);
    // Another director of the center finds the page, not the link; another center's director finds nothing.
    const owner = await signInAs(app, seeded.users.owner);
    expect((await owner.get(location)).text).not.toMatch(LINK);
    const other = await seedCenter(deps.db);
    const stranger = await signInAs(app, other.users.director);
    expect((await stranger.get(location.replace(seeded.center.id, other.center.id))).status).toBe(404);
    // The link shown is still the one link, and it works.
    expect((await anAgent(app).get(path)).status).toBe(200);
  });

  it('M8: limits a director to a number of invitations an hour, with a message and nothing stored', async () => {
    for (let i = 0; i < INVITATIONS_PER_HOUR; i++) {
      await createInvitation(deps.db, { purpose: 'invite', organizationId: seeded.organization.id, centerId: seeded.center.id, role: 'volunteer', createdByUserId: seeded.users.director.id, at: clock.now() });
    }
    const before = await rowCounts(deps.db, ['invitations', 'audit_log']);
    const res = await director.submit(invitationsPage(), { role: 'volunteer' });
    expect(res.status).toBe(429);
    expect(decodeEntities(res.text)).toContain(`You have made ${INVITATIONS_PER_HOUR} invitations in the last hour`);
    expect(await rowCounts(deps.db, ['invitations', 'audit_log'])).toEqual(before);
    // Another director's count is their own; and an hour later this one may invite again.
    const owner = await signInAs(app, seeded.users.owner);
    expect((await owner.submit(invitationsPage(), { role: 'volunteer' })).status).toBe(303);
    clock.advance(60 * 60 * 1000 + 1000);
    expect((await director.submit(invitationsPage(), { role: 'volunteer' })).status).toBe(303);
  });
});

describe('GET /centers/:centerId/invitations', () => {
  it('H3: lists who each open invitation is for and who made it, with a way to revoke it', async () => {
    const ada = await aPerson('Ada Aide');
    await invite({ role: 'staff', personId: ada.id });
    const owner = await signInAs(app, seeded.users.owner);
    await invite({ role: 'director' }, owner);
    const page = await director.get(invitationsPage());
    const rows = [...page.text.matchAll(/<tr id="invitation-([0-9a-f-]+)">([\s\S]*?)<\/tr>/g)].map((m) => ({ id: m[1]!, html: m[2]! }));
    expect(rows).toHaveLength(2);
    const staffRow = rows.find((r) => r.html.includes('<td>Staff</td>'))!;
    expect(staffRow.html).toContain('Ada Aide');
    expect(staffRow.html).toContain((await deps.db('users').where({ id: seeded.users.director.id }).first()).display_name);
    expect(staffRow.html).toContain(`/invitations/${staffRow.id}/revocation`);
    const directorRow = rows.find((r) => r.html.includes('<td>Director</td>'))!;
    expect(directorRow.html).toContain('Someone not yet on file');
    expect(directorRow.html).toContain((await deps.db('users').where({ id: seeded.users.owner.id }).first()).display_name);
    // A director may not revoke what they may not grant.
    expect(directorRow.html).not.toContain('revocation');
  });
});

describe('POST /centers/:centerId/invitations/:invitationId/revocation', () => {
  it('H3: lets a director revoke an open invitation: the link stops working and the revocation is audited', async () => {
    const { location, path } = await invite({ role: 'volunteer' });
    const id = location.split('/')[4]!;
    const res = await director.submit(`${invitationsPage()}/${id}/revocation`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(invitationsPage());
    expect(await deps.db('invitations').where({ id }).first()).toMatchObject({ revoked_at: clock.now().toISOString(), used_at: null });
    const [entry] = await auditOf('invitation.revoked');
    expect(entry).toMatchObject({ record_id: id, actor_user_id: seeded.users.director.id, center_id: seeded.center.id });
    expect(JSON.parse(entry.changes)).toEqual({ before: { revokedAt: null }, after: { revokedAt: clock.now().toISOString(), reason: 'revoked_by_director' } });
    const after = (await director.get(invitationsPage())).text;
    expect(after).toContain('No open invitations.');
    expect(after).toContain('<p class="flash flash-ok" role="status">Invitation revoked: its link no longer works.</p>');

    const invitee = anAgent(app);
    expect((await invitee.get(path)).status).toBe(410);
    expect((await invitee.submit(path, joining)).status).toBe(410);
    expect(await deps.db('users').where({ email: 'rosa@example.test' }).first()).toBeUndefined();
    // A second click finds nothing to revoke and audits nothing more.
    expect((await director.submit(`${invitationsPage()}/${id}/revocation`)).status).toBe(303);
    expect(await auditOf('invitation.revoked')).toHaveLength(1);
  });

  it('H3: refuses revocation to staff (403), of a director invitation to a director (403), and of another center’s invitation (404)', async () => {
    const { location } = await invite({ role: 'staff' });
    const id = location.split('/')[4]!;
    const staff = await signInAs(app, seeded.users.staff);
    expect((await staff.submit(`${invitationsPage()}/${id}/revocation`)).status).toBe(403);

    const owner = await signInAs(app, seeded.users.owner);
    const made = await invite({ role: 'director' }, owner);
    const directorInvite = made.location.split('/')[4]!;
    expect((await director.submit(`${invitationsPage()}/${directorInvite}/revocation`)).status).toBe(403);

    const other = await seedCenter(deps.db);
    const theirs = await createInvitation(deps.db, { purpose: 'invite', organizationId: other.organization.id, centerId: other.center.id, role: 'staff', createdByUserId: other.users.director.id, at: clock.now() });
    expect((await director.submit(`${invitationsPage()}/${theirs.invitation.id}/revocation`)).status).toBe(404);
    expect((await director.submit(`${invitationsPage()}/not-an-id/revocation`)).status).toBe(404);
    expect(await deps.db('invitations').whereNotNull('revoked_at').count({ n: '*' }).first()).toEqual({ n: 0 });
    expect(await auditOf('invitation.revoked')).toHaveLength(0);
  });
});

describe('GET/POST /invitations/:token', () => {
  it('lets the invitee set a name and password, then sign in with the role and center of the link', async () => {
    const { path } = await invite({ role: 'volunteer' });
    const invitee = anAgent(app);
    const page = await invitee.get(path).expect(200);
    expect(page.text).toContain(seeded.center.name);
    const res = await invitee.submit(path, joining);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/welcome');
    expect((await invitee.get('/welcome')).text).toContain('sign in with the email and password you entered');

    const user = await deps.db('users').where({ email: 'rosa@example.test' }).first();
    expect(user.display_name).toBe('Rosa Diaz');
    expect(user.password_hash).toMatch(/^scrypt\$/);
    const membership = await deps.db('memberships').where({ user_id: user.id }).first();
    expect(membership).toMatchObject({ role: 'volunteer', center_id: seeded.center.id, deactivated_at: null });
    // A volunteer gets a person record for trainings and the background study.
    expect(await deps.db('people').where({ id: membership.person_id }).first()).toMatchObject({ role: 'volunteer', center_id: seeded.center.id });

    const signedIn = await signInAs(app, { email: joining.email, password: joining.password });
    expect((await signedIn.get(`/centers/${seeded.center.id}`)).status).toBe(200);
    // The volunteer is not a manager.
    expect((await signedIn.get(`/centers/${seeded.center.id}/members`)).status).toBe(403);
  });

  it('links the new account to the person on file the invitation named', async () => {
    const ada = await aPerson('Ada Staff');
    const { path } = await invite({ role: 'staff', personId: ada.id });
    const invitee = anAgent(app);
    expect((await invitee.get(path)).text).toContain('value="Ada Staff"');
    await invitee.submit(path, { ...joining, displayName: 'Ada Staff' });
    const user = await deps.db('users').where({ email: 'rosa@example.test' }).first();
    expect(await deps.db('memberships').where({ user_id: user.id }).first()).toMatchObject({ role: 'staff', person_id: ada.id });
  });

  it('refuses a link that was already used', async () => {
    const { path } = await invite({ role: 'staff' });
    expect((await accept(path)).status).toBe(303);
    const second = anAgent(app);
    expect((await second.get(path)).status).toBe(410);
    const res = await second.submit(path, { ...joining, email: 'someone.else@example.test' });
    expect(res.status).toBe(410);
    expect(res.text).toContain('This link has expired or was already used.');
    expect(await deps.db('users').where({ email: 'someone.else@example.test' }).first()).toBeUndefined();
  });

  it('refuses a link after 7 days', async () => {
    const { path } = await invite({ role: 'staff' });
    clock.advance(7 * 24 * 60 * 60 * 1000 - 1000);
    expect((await request(app).get(path)).status).toBe(200);
    clock.advance(2000);
    const invitee = anAgent(app);
    expect((await invitee.get(path)).status).toBe(410);
    expect((await invitee.submit(path, joining)).status).toBe(410);
    expect(await deps.db('users').where({ email: 'rosa@example.test' }).first()).toBeUndefined();
  });

  it('answers 410 to a token that was never issued', async () => {
    expect((await request(app).get(`/invitations/${'A'.repeat(43)}`)).status).toBe(410);
    expect((await request(app).get('/invitations/short')).status).toBe(410);
  });
});

describe('H3: an invitation stands only while its maker may make it', () => {
  it('H3: refuses an invitation whose maker was deactivated, and audits its revocation', async () => {
    const { path, location } = await invite({ role: 'staff' });
    const owner = await signInAs(app, seeded.users.owner);
    expect((await owner.submit(`/centers/${seeded.center.id}/memberships/${seeded.memberships.director.id}/deactivation`)).status).toBe(303);

    const invitee = anAgent(app);
    expect((await invitee.get(path)).status).toBe(410);
    expect((await invitee.submit(path, joining)).status).toBe(410);
    expect(await deps.db('users').where({ email: 'rosa@example.test' }).first()).toBeUndefined();
    const id = location.split('/')[4]!;
    expect(await deps.db('invitations').where({ id }).first()).toMatchObject({ revoked_at: clock.now().toISOString() });
    const [entry] = await auditOf('invitation.revoked');
    expect(entry).toMatchObject({ record_id: id, actor_user_id: seeded.users.owner.id });
    expect(JSON.parse(entry.changes).after).toEqual({ revokedAt: clock.now().toISOString(), reason: 'maker_deactivated' });
  });

  it('H3: refuses an invitation whose maker lost the membership, even where the link was not revoked with it', async () => {
    const { path } = await invite({ role: 'staff' });
    // As a deactivation written before links were revoked with it would have left the link.
    await deps.db('memberships').where({ id: seeded.memberships.director.id }).update({ deactivated_at: clock.now().toISOString() });
    expect(await deps.db('invitations').whereNull('revoked_at').count({ n: '*' }).first()).toEqual({ n: 1 });
    expect((await anAgent(app).get(path)).status).toBe(410);
    expect((await accept(path)).status).toBe(410);
    expect(await deps.db('users').where({ email: 'rosa@example.test' }).first()).toBeUndefined();
  });

  it('H3: refuses an invitation whose maker is no longer a director', async () => {
    const { path } = await invite({ role: 'volunteer' });
    const owner = await signInAs(app, seeded.users.owner);
    expect((await owner.submit(`/centers/${seeded.center.id}/memberships/${seeded.memberships.director.id}/role`, { role: 'staff' })).status).toBe(303);
    expect((await accept(path)).status).toBe(410);
    expect(JSON.parse((await auditOf('invitation.revoked'))[0].changes).after.reason).toBe('maker_role_changed');
    // Even had the role change not revoked it.
    await deps.db('invitations').update({ revoked_at: null });
    expect((await accept(path)).status).toBe(410);
    expect(await deps.db('users').where({ email: 'rosa@example.test' }).first()).toBeUndefined();
  });
});

describe('M8: the join form does not tell who has an account', () => {
  it('M8: answers the same for an unknown email and an email with an account in another organization', async () => {
    const elsewhere = await seedCenter(deps.db);
    const first = await invite({ role: 'staff' });
    const second = await invite({ role: 'staff' });
    const answer = async (path: string, emailAddress: string) => {
      const agent = anAgent(app);
      await agent.get(path);
      const res = await agent.submit(path, { ...joining, email: emailAddress });
      const next = await agent.get(res.headers.location ?? '/');
      const later = await agent.get(path);
      return { status: res.status, location: res.headers.location, body: res.text, cookie: res.headers['set-cookie'] !== undefined, next: [next.status, next.text], later: later.status };
    };
    const unknown = await answer(first.path, 'nobody.yet@example.test');
    const known = await answer(second.path, elsewhere.users.staff.email);
    expect(known).toEqual(unknown);
    expect(unknown).toMatchObject({ status: 303, location: '/welcome', later: 410 });
    // The account elsewhere gained nothing; why is in this center's audit log, not on the page.
    expect(await deps.db('memberships').where({ user_id: elsewhere.users.staff.id }).count({ n: '*' }).first()).toEqual({ n: 1 });
    const [refused] = await auditOf('invitation.refused');
    expect(JSON.parse(refused.changes).after).toMatchObject({ reason: 'password_mismatch' });
    expect(refused.changes).not.toContain(elsewhere.users.staff.email);
  });

  it('M8: adds the center to an existing account when its own password is typed, answering the same', async () => {
    const elsewhere = await seedCenter(deps.db);
    const { path } = await invite({ role: 'staff' });
    const res = await accept(path, { ...joining, email: elsewhere.users.staff.email, password: TEST_PASSWORD, passwordConfirmation: TEST_PASSWORD });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/welcome');
    expect(await deps.db('memberships').where({ user_id: elsewhere.users.staff.id, center_id: seeded.center.id }).first()).toMatchObject({ role: 'staff', deactivated_at: null });
    // One account, its name unchanged.
    expect(await deps.db('users').where({ email: elsewhere.users.staff.email }).count({ n: '*' }).first()).toEqual({ n: 1 });
    expect((await deps.db('users').where({ id: elsewhere.users.staff.id }).first()).display_name).not.toBe(joining.displayName);
    const signedIn = await signInAs(app, elsewhere.users.staff);
    expect((await signedIn.get(`/centers/${seeded.center.id}`)).status).toBe(200);
    expect((await signedIn.get(`/centers/${elsewhere.center.id}`)).status).toBe(200);
  });

  it("M8: counts a wrong password toward the account's sign-in limit", async () => {
    const elsewhere = await seedCenter(deps.db);
    const { path } = await invite({ role: 'staff' });
    await accept(path, { ...joining, email: elsewhere.users.staff.email });
    expect(await deps.db('sign_in_attempts').where({ key: `account:${elsewhere.users.staff.email}` }).first()).toMatchObject({ attempts: 1 });
  });
});

describe('L8: one account per person on file', () => {
  it('L8: refuses a second invitation for the same person with a clear message, and keeps the first account', async () => {
    const ada = await aPerson('Ada Aide');
    const first = await invite({ role: 'staff', personId: ada.id });
    // The picker leaves out people with an account, so the second was made before the first was used.
    const second = await invite({ role: 'staff', personId: ada.id });
    expect((await accept(first.path)).status).toBe(303);

    const invitee = anAgent(app);
    const page = await invitee.get(second.path);
    expect(page.status).toBe(409);
    expect(decodeEntities(page.text)).toContain(`Ada Aide already has an account in ${seeded.center.name}, so nobody else can join as them.`);
    const before = await rowCounts(deps.db, ['users', 'memberships', 'people', 'audit_log']);
    const res = await invitee.submit(second.path, { ...joining, email: 'someone.else@example.test' });
    expect(res.status).toBe(409);
    expect(decodeEntities(res.text)).toContain('Ada Aide already has an account');
    expect(await rowCounts(deps.db, ['users', 'memberships', 'people', 'audit_log'])).toEqual(before);
    expect(await deps.db('memberships').where({ person_id: ada.id })).toHaveLength(1);
  });

  it('L8: lets only one of two invitations for the same person be accepted at once', async () => {
    const ada = await aPerson('Ada Aide');
    const first = await invite({ role: 'staff', personId: ada.id });
    const second = await invite({ role: 'staff', personId: ada.id });
    const a = anAgent(app);
    const b = anAgent(app);
    const [csrfA, csrfB] = await Promise.all([a.csrf(), b.csrf()]);
    const [ra, rb] = await Promise.all([
      a.post(first.path).type('form').send({ ...joining, email: 'one@example.test', _csrf: csrfA }),
      b.post(second.path).type('form').send({ ...joining, email: 'two@example.test', _csrf: csrfB }),
    ]);
    expect([ra.status, rb.status].sort()).toEqual([303, 409]);
    const loser = ra.status === 409 ? ra : rb;
    expect(decodeEntities(loser.text)).toContain('Ada Aide already has an account');
    expect(await deps.db('memberships').where({ person_id: ada.id }).whereNull('deactivated_at')).toHaveLength(1);
    // The loser's account was not made either: its transaction rolled back whole.
    expect(await deps.db('users').whereIn('email', ['one@example.test', 'two@example.test'])).toHaveLength(1);
  });
});
