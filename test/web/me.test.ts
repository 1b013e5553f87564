import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPerson } from '../../src/db/people.js';
import { createTrainingRecord } from '../../src/db/trainings.js';
import type { Deps } from '../../src/web/app.js';
import type { Agent } from '../support/agent.js';
import type { SeededCenter } from '../support/builders.js';
import { seededApp } from '../support/seeded-app.js';

let deps: Deps;
let seeded: SeededCenter;
let volunteer: Agent;
let close: () => Promise<void>;

beforeAll(async () => {
  const world = await seededApp();
  ({ deps, seeded, close } = world);
  const at = deps.clock.now();
  const peer = await createPerson(deps.db, { centerId: seeded.center.id, displayName: 'Peer Volunteer', role: 'volunteer', at });
  await createTrainingRecord(deps.db, { centerId: seeded.center.id, personId: peer.id, trainingId: 'suid', completedOn: '2026-02-01', status: 'verified', at });
  volunteer = await world.signIn('volunteer');
});
afterAll(() => close());

describe('GET /me', () => {
  it("shows a volunteer their own trainings and background study, and nobody else's", async () => {
    const res = await volunteer.get('/me').expect(200);
    expect(res.text).toContain(seeded.users.volunteer.email);
    expect(res.text).toContain('Pediatric CPR');
    expect(res.text).toContain('2026-01-10');
    expect(res.text).toContain('Not started');
    expect(res.text).not.toContain('Peer Volunteer');
    expect(res.text).not.toContain('Safe sleep');
  });

  it("does not list people on a volunteer's center page", async () => {
    const res = await volunteer.get(`/centers/${seeded.center.id}`).expect(200);
    expect(res.text).toContain('Infants');
    expect(res.text).not.toContain('Peer Volunteer');
    expect(res.text).not.toContain(seeded.people.teacher.displayName);
    expect(res.text).not.toContain('/members');
  });

  it('shows no demo banner for a center that is not the demo', async () => {
    const res = await volunteer.get('/me').expect(200);
    expect(res.text).not.toContain('Demo data.');
  });
});
