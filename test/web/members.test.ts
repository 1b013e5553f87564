import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../../src/db/audit.js';
import { createApp, type Deps } from '../../src/web/app.js';
import { anAgent, signInAs, type Agent } from '../support/agent.js';
import { seedCenter, type SeededCenter } from '../support/builders.js';
import { testDeps } from '../support/deps.js';

let deps: Deps;
let app: ReturnType<typeof createApp>;
let seeded: SeededCenter;
let director: Agent;
let destroy: () => Promise<void>;
beforeEach(async () => {
  const t = await testDeps();
  ({ deps, destroy } = t);
  app = createApp(deps);
  seeded = await seedCenter(deps.db);
  director = await signInAs(app, seeded.users.director);
});
afterEach(() => destroy());

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

describe('password reset links', () => {
  it('lets the person choose a new password once, ending their other sessions', async () => {
    const staff = await signInAs(app, seeded.users.staff);
    const res = await director.submit(membershipPath(seeded.memberships.staff.id, 'password-reset-links'));
    expect(res.status).toBe(201);
    expect(res.text).toContain('<svg');
    const path = /value="https?:\/\/[^/"]+(\/password-resets\/[A-Za-z0-9_-]{43})"/.exec(res.text)![1]!;

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
