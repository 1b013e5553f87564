import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMembership } from '../../src/db/memberships.js';
import { createPerson } from '../../src/db/people.js';
import { createTrainingRecord } from '../../src/db/trainings.js';
import { createUser } from '../../src/db/users.js';
import { hashPassword } from '../../src/passwords.js';
import type { Deps } from '../../src/web/app.js';
import { signInAs, type Agent } from '../support/agent.js';
import { TEST_PASSWORD, type SeededCenter } from '../support/builders.js';
import { TEST_SCRYPT } from '../support/deps.js';
import { seededApp, type App } from '../support/seeded-app.js';

/**
 * Twenty eligible volunteers claim one cover request at the same moment, over HTTP.
 * The first valid claim wins inside its transaction (the request's conditional
 * update), never by what a claim read before: exactly one claim and one planned
 * shift, nineteen clear refusals, and no server error.
 */

const PEOPLE = 20;
let deps: Deps;
let close: () => Promise<void>;
let app: App;
let home: SeededCenter;
const agents: { agent: Agent; csrf: string }[] = [];

beforeAll(async () => {
  ({ deps, app, seeded: home, close } = await seededApp({ at: '2026-03-02T12:45:00Z', center: { name: 'Race Center' } }));
  const at = new Date('2026-03-01T12:00:00Z');
  const passwordHash = await hashPassword(TEST_PASSWORD, TEST_SCRYPT);
  for (let i = 0; i < PEOPLE; i++) {
    const person = await createPerson(deps.db, { centerId: home.center.id, displayName: `Racer ${i}`, role: 'volunteer', qualifiesAs: 'aide', adultAttested: true, backgroundStudy: 'cleared', backgroundClearedOn: '2026-01-02', at });
    for (const trainingId of ['orientation', 'suid', 'aht', 'first_aid', 'cpr']) {
      await createTrainingRecord(deps.db, { centerId: home.center.id, personId: person.id, trainingId, completedOn: '2026-01-10', status: 'verified', at });
    }
    const email = `racer-${i}@example.test`;
    const user = await createUser(deps.db, { email, displayName: `Racer ${i}`, passwordHash, at });
    if (!user.ok) throw new Error('user');
    await createMembership(deps.db, { userId: user.user.id, organizationId: home.organization.id, centerId: home.center.id, role: 'volunteer', personId: person.id, at });
    const agent = await signInAs(app, { email, password: TEST_PASSWORD });
    agents.push({ agent, csrf: await agent.csrf() });
  }
}, 120_000);
afterAll(() => close());

describe('POST /centers/:centerId/cover-requests/:requestId/claims under 20 claims at once', () => {
  it('assigns exactly one person and tells the other nineteen it is already filled', { timeout: 60_000 }, async () => {
    const staff = await signInAs(app, home.users.staff);
    const asked = await staff.submit(`/centers/${home.center.id}/cover-requests`, { roomId: home.rooms.infants.id, day: '2026-03-02', start: '15:00', end: '17:00', count: '1' });
    expect(asked.status).toBe(303);
    const requestId = /cover-requests\/([0-9a-f-]{36})$/.exec(asked.headers.location!)![1]!;
    const url = `/centers/${home.center.id}/cover-requests/${requestId}/claims`;

    const answers = await Promise.all(
      agents.map(({ agent, csrf }) => agent.post(url).type('form').set('Accept', 'application/json').send({ _csrf: csrf, start: '15:00', end: '17:00' })),
    );

    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    const refusals = answers.filter((r) => r.status === 409);
    expect(refusals).toHaveLength(PEOPLE - 1);
    for (const r of refusals) expect(r.body).toEqual({ error: 'This request is already filled.', code: 'filled' });

    const claims = await deps.db('cover_claims').where({ cover_request_id: requestId });
    expect(claims).toHaveLength(1);
    expect(claims[0]).toMatchObject({ status: 'accepted' });
    const shifts = await deps.db('shifts').where({ cover_request_id: requestId }).whereNull('cancelled_at');
    expect(shifts).toHaveLength(1);
    expect(shifts[0]).toMatchObject({ person_id: claims[0].person_id, source: 'cover' });
    expect(await deps.db('cover_requests').where({ id: requestId }).first()).toMatchObject({ status: 'filled', version: 1 });
    expect(await deps.db('cover_request_events').where({ cover_request_id: requestId, kind: 'claimed' })).toHaveLength(1);
  });
});
