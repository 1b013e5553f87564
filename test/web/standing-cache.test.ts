import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendAudit } from '../../src/db/audit.js';
import { createMembership, deactivateMembership } from '../../src/db/memberships.js';
import type { Deps } from '../../src/web/app.js';
import { StandingCache } from '../../src/web/auth/current.js';
import type { Agent } from '../support/agent.js';
import { seedCenter, type SeededCenter } from '../support/builders.js';
import { seededApp } from '../support/seeded-app.js';

/**
 * A signed-in request's user, standing in its center and demo banner come from a
 * cache (web/auth/current.ts); none of it may outlive a change by even one request.
 */

let deps: Deps;
let seeded: SeededCenter;
let director: Agent;
let staff: Agent;
let close: () => Promise<void>;
beforeEach(async () => {
  ({ deps, seeded, close, agents: { director, staff } } = await seededApp({ agents: ['director', 'staff'] }));
});
afterEach(() => close());

const board = () => `/centers/${seeded.center.id}/board`;
const membership = (what: string) => `/centers/${seeded.center.id}/memberships/${seeded.memberships.staff.id}/${what}`;

/** Loads the page twice, so whatever is cached for it is cached. */
async function warm(agent: Agent, path: string): Promise<void> {
  for (let i = 0; i < 2; i++) expect((await agent.get(path)).status).toBe(200);
}

describe('the standing of a signed-in user, between requests', () => {
  it('signs a deactivated member out on their very next request, however often they loaded the page', async () => {
    await warm(staff, board());
    expect((await director.submit(membership('deactivation'))).status).toBe(303);
    const next = await staff.get(board());
    expect(next.status).toBe(303);
    expect(next.headers.location).toBe('/sign-in');
  });

  it('applies a role change on the very next request', async () => {
    await warm(staff, board());
    expect((await director.submit(membership('role'), { role: 'volunteer' })).status).toBe(303);
    // Volunteers do not see the board.
    expect((await staff.get(board())).status).toBe(403);
  });

  it("shows a center's new name on the next request after an audited change of its settings", async () => {
    await warm(director, `/centers/${seeded.center.id}`);
    await deps.db.transaction(async (trx) => {
      await trx('centers').where({ id: seeded.center.id }).update({ name: 'Renamed Center' });
      await appendAudit(trx, { at: deps.clock.now(), organizationId: seeded.organization.id, centerId: seeded.center.id, action: 'center.updated', recordType: 'center', recordId: seeded.center.id });
    });
    expect((await director.get(`/centers/${seeded.center.id}`)).text).toContain('Renamed Center');
  });

  it('lets a new membership in at once: a refusal is not remembered', async () => {
    const other = await seedCenter(deps.db);
    expect((await staff.get(`/centers/${other.center.id}`)).status).toBe(404);
    await createMembership(deps.db, { userId: seeded.users.staff.id, organizationId: other.organization.id, centerId: other.center.id, role: 'staff', at: deps.clock.now() });
    expect((await staff.get(`/centers/${other.center.id}`)).status).toBe(200);
  });
});

describe('StandingCache across processes (as on PostgreSQL)', () => {
  // A cache of its own, as another process has: only the audit log tells it of changes.
  const elsewhere = () => new StandingCache(deps.db);
  const who = () => [seeded.users.staff.id, seeded.center.id] as const;

  it("drops a member another process deactivated, on the next lookup", async () => {
    const cache = elsewhere();
    expect(await cache.member(await cache.stamp(), ...who())).toMatchObject({ role: 'staff' });
    await deps.db.transaction(async (trx) => {
      await deactivateMembership(trx, seeded.center.id, seeded.memberships.staff.id, deps.clock.now());
      await appendAudit(trx, { at: deps.clock.now(), organizationId: seeded.organization.id, centerId: seeded.center.id, action: 'membership.deactivated', recordType: 'membership', recordId: seeded.memberships.staff.id });
    });
    expect(await cache.member(await cache.stamp(), ...who())).toBeUndefined();
  });

  it('keeps members over audited writes that change nobody’s standing', async () => {
    const cache = elsewhere();
    const before = await cache.member(await cache.stamp(), ...who());
    await deps.db.transaction((trx) =>
      appendAudit(trx, { at: deps.clock.now(), organizationId: seeded.organization.id, centerId: seeded.center.id, action: 'child_presence.opened', recordType: 'child_presence', recordId: 'p-1' }),
    );
    const reads: string[] = [];
    const onQuery = (q: { sql: string }) => reads.push(q.sql);
    deps.db.on('query', onQuery);
    try {
      expect(await cache.member(await cache.stamp(), ...who())).toBe(before);
    } finally {
      deps.db.off('query', onQuery);
    }
    expect(reads.some((sql) => sql.includes('memberships'))).toBe(false);
  });
});
