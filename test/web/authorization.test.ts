/**
 * Walks every route in the app for every kind of visitor. A route added without a
 * guard, or without a row here, fails the first test; each row says who may use it.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvitation } from '../../src/db/invitations.js';
import { createMembership } from '../../src/db/memberships.js';
import { createUser } from '../../src/db/users.js';
import { hashPassword } from '../../src/passwords.js';
import { POLICIES } from '../../src/web/auth/policy.js';
import { createApp, type Deps } from '../../src/web/app.js';
import { anAgent, signInAs, type Agent } from '../support/agent.js';
import { seedCenter, type SeededCenter, type TestUser } from '../support/builders.js';
import { TEST_SCRYPT, testDeps } from '../support/deps.js';
import { listRoutes } from '../support/routes.js';

const ACTORS = ['owner', 'director', 'staff', 'volunteer', 'signedOut', 'otherCenter'] as const;
type Actor = (typeof ACTORS)[number];
type Outcome = 'ok' | 403 | 404 | 'sign-in';

const ok = 'ok' as const;
const S = 'sign-in' as const;
const everyone: Outcome[] = [ok, ok, ok, ok, ok, ok];
const signedIn: Outcome[] = [ok, ok, ok, ok, S, ok];
const anyMember: Outcome[] = [ok, ok, ok, ok, S, 404];
const managers: Outcome[] = [ok, ok, 403, 403, S, 404];

//                                                                      owner director staff volunteer signedOut otherCenter
const EXPECTED: Record<string, Outcome[]> = {
  'GET /sign-in': everyone,
  'POST /sign-in': everyone,
  'POST /sign-out': signedIn,
  'GET /': signedIn,
  'GET /rules': signedIn,
  'GET /me': signedIn,
  'GET /centers/:centerId': anyMember,
  'GET /centers/:centerId/invitations': managers,
  'POST /centers/:centerId/invitations': managers,
  'GET /invitations/:token': everyone,
  'POST /invitations/:token': everyone,
  'GET /centers/:centerId/members': managers,
  'POST /centers/:centerId/memberships/:membershipId/deactivation': managers,
  'POST /centers/:centerId/memberships/:membershipId/role': managers,
  'POST /centers/:centerId/memberships/:membershipId/password-reset-links': managers,
  'GET /password-resets/:token': everyone,
  'POST /password-resets/:token': everyone,
  'GET /centers/:centerId/audit': managers,
};

// Bodies that pass validation where that matters, so "allowed" means the handler ran to the end.
const BODIES: Record<string, Record<string, string>> = {
  'POST /sign-in': { email: 'nobody@example.test', password: 'wrong password' },
  'POST /centers/:centerId/invitations': { role: 'volunteer' },
  'POST /centers/:centerId/memberships/:membershipId/role': { role: 'volunteer' },
  // The one-time-link forms are sent empty (422): a valid one would use up the link.
  'POST /invitations/:token': {},
  'POST /password-resets/:token': {},
};

let deps: Deps;
let app: ReturnType<typeof createApp>;
let home: SeededCenter;
let other: SeededCenter;
let victimMembershipId: string;
let inviteToken: string;
let resetToken: string;
let destroy: () => Promise<void>;

beforeAll(async () => {
  const t = await testDeps();
  ({ deps, destroy } = t);
  app = createApp(deps);
  home = await seedCenter(deps.db, { name: 'Home Center' });
  other = await seedCenter(deps.db, { name: 'Other Center' });
  const at = deps.clock.now();
  // A volunteer the managers act on, so no actor loses their own access mid-walk.
  const victim = await createUser(deps.db, { email: 'victim@example.test', displayName: 'Victim', passwordHash: await hashPassword('x'.repeat(12), TEST_SCRYPT), at });
  if (!victim.ok) throw new Error('victim');
  victimMembershipId = (await createMembership(deps.db, { userId: victim.user.id, organizationId: home.organization.id, centerId: home.center.id, role: 'volunteer', at })).id;
  inviteToken = (await createInvitation(deps.db, { purpose: 'invite', organizationId: home.organization.id, centerId: home.center.id, role: 'staff', createdByUserId: home.users.director.id, at })).token;
  resetToken = (await createInvitation(deps.db, { purpose: 'reset', organizationId: home.organization.id, centerId: home.center.id, userId: victim.user.id, createdByUserId: home.users.director.id, at })).token;
});
afterAll(() => destroy());

const userOf = (actor: Actor): TestUser | undefined => (actor === 'signedOut' ? undefined : actor === 'otherCenter' ? other.users.director : home.users[actor]);

const fill = (path: string, center: SeededCenter, membershipId: string) =>
  path
    .replace(':centerId', center.center.id)
    .replace(':membershipId', membershipId)
    .replace(':token', path.startsWith('/invitations') ? inviteToken : resetToken);

async function agentFor(actor: Actor): Promise<Agent> {
  const user = userOf(actor);
  return user ? signInAs(app, user) : anAgent(app);
}

function outcomeOf(res: request.Response): Outcome | number {
  if (res.status === 303 && res.headers.location === '/sign-in') return 'sign-in';
  if (res.status === 403 || res.status === 404) return res.status;
  if (res.status < 500) return 'ok';
  return res.status;
}

describe('authorization', () => {
  const routes = () => listRoutes(app);

  it('has a guard with a registered policy and a row in this table for every route', () => {
    for (const r of routes()) {
      const key = `${r.method} ${r.path}`;
      expect(r.action, `${key} has no guard(deps, action) as its first handler`).toBeDefined();
      expect(Object.keys(POLICIES), `${key}: unknown action ${r.action}`).toContain(r.action);
      expect(Object.keys(EXPECTED), `${key} has no row in the authorization table`).toContain(key);
    }
    expect(Object.keys(EXPECTED).sort()).toEqual(routes().map((r) => `${r.method} ${r.path}`).sort());
  });

  for (const [key, expected] of Object.entries(EXPECTED)) {
    const [method, path] = key.split(' ') as [string, string];
    it(`${key}: ${ACTORS.map((a, i) => `${a} ${expected[i]}`).join(', ')}`, async () => {
      for (const [i, actor] of ACTORS.entries()) {
        const agent = await agentFor(actor);
        const url = fill(path, home, victimMembershipId);
        const res = method === 'GET' ? await agent.get(url) : await agent.submit(url, BODIES[key] ?? {});
        expect(outcomeOf(res), `${actor}: ${method} ${url} answered ${res.status} ${res.headers.location ?? ''}`).toBe(expected[i]);
        // A refusal never shows the center's data.
        if (res.status === 403 || res.status === 404) expect(res.text).not.toContain(home.center.name);
        // Undo what an allowed manager did to the victim, for the next actor.
        await deps.db('memberships').where({ id: victimMembershipId }).update({ deactivated_at: null, role: 'volunteer' });
      }
    });
  }

  it("answers 404 to a director using a record id of another center in their own center's paths", async () => {
    const director = await signInAs(app, home.users.director);
    for (const r of routes().filter((x) => x.path.includes(':membershipId'))) {
      const url = fill(r.path, home, other.memberships.volunteer.id);
      const res = r.method === 'GET' ? await director.get(url) : await director.submit(url, BODIES[`${r.method} ${r.path}`] ?? {});
      expect(res.status, url).toBe(404);
    }
    expect(await deps.db('memberships').where({ id: other.memberships.volunteer.id }).first()).toMatchObject({ deactivated_at: null, role: 'volunteer' });
  });

  it('answers 404, not 403, to a center id that does not exist or is malformed', async () => {
    const director = await signInAs(app, home.users.director);
    expect((await director.get('/centers/00000000-0000-4000-8000-000000000000/audit')).status).toBe(404);
    expect((await director.get('/centers/not-a-center/audit')).status).toBe(404);
  });

  it('lets an owner act in every center of their organization, and no other', async () => {
    const sibling = await seedCenter(deps.db, { organization: home.organization, name: 'Sibling Center' });
    const owner = await signInAs(app, home.users.owner);
    expect((await owner.get(`/centers/${sibling.center.id}/audit`)).status).toBe(200);
    expect((await owner.get(`/centers/${other.center.id}`)).status).toBe(404);
  });
});
