import type { Knex } from 'knex';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createChild } from '../../src/db/children.js';
import { newId } from '../../src/db/rows.js';
import { forecastCenter } from '../../src/services/center-forecast.js';
import { signInAs } from '../support/agent.js';
import type { SeededCenter } from '../support/builders.js';
import type { TestClock } from '../support/deps.js';
import { seededApp, type App } from '../support/seeded-app.js';

/**
 * An accepted cover is a planned shift, so the room's forecast holds at once; a
 * withdrawal cancels it, and the room is flagged again. "Need help now" asks from
 * now until the forecast says the room holds again, for what it lacks now.
 */

let clock: TestClock;
let close: () => Promise<void>;
let app: App;
let home: SeededCenter;
let db: Knex;

// 14:30 on Monday 2 March 2026 in Chicago; the horizon is 60 minutes.
const AFTERNOON = '2026-03-02T20:30:00Z';
const at = new Date('2026-03-01T12:00:00Z');
const shift = (personId: string, start: string, end: string) => ({ id: newId(), center_id: home.center.id, room_id: home.rooms.infants.id, person_id: personId, day: '2026-03-02', starts_at: start, ends_at: end, source: 'plan', cover_request_id: null, created_at: AFTERNOON, created_by_user_id: null, cancelled_at: null, cancelled_by_user_id: null });

beforeEach(async () => {
  // Five infants all day: two counted people needed (Minnesota 1:4). The staff login's
  // teacher stays until 17:00; Maya, a second teacher, leaves at 15:00: an aide short from then.
  const world = await seededApp({ at: AFTERNOON, center: { name: 'Home Center' }, day: true });
  ({ db, clock, app, seeded: home, close } = world);
  const day = world.day;
  const eve = await createChild(db, { centerId: home.center.id, displayName: 'Eve E.', birthDate: '2025-10-01', homeRoomId: home.rooms.infants.id, at });
  const fay = await createChild(db, { centerId: home.center.id, displayName: 'Fay F.', birthDate: '2025-08-01', homeRoomId: home.rooms.infants.id, at });
  for (const child of [day.children.ada, day.children.ben, day.children.cai, eve, fay]) {
    await db('child_schedules').insert({ id: newId(), child_id: child.id, weekday: 1, arrive: '07:00', depart: '17:00' });
  }
  await db('shifts').insert([shift(home.people.teacher.id, '2026-03-02T13:00:00.000Z', '2026-03-02T23:00:00.000Z'), shift(day.maya.id, '2026-03-02T13:00:00.000Z', '2026-03-02T21:00:00.000Z')]);
  await db('day_plans').insert({ center_id: home.center.id, day: '2026-03-02', made_at: AFTERNOON });
  // Both came in at 07:00 and are still here (the forecast starts from what happened).
  for (const personId of [home.people.teacher.id, day.maya.id]) {
    await db('person_presences').insert({ id: newId(), center_id: home.center.id, room_id: home.rooms.infants.id, person_id: personId, started_at: '2026-03-02T13:00:00.000Z', ended_at: null });
  }
});
afterEach(() => close());

const flagOf = async () => (await forecastCenter(db, home.center, clock.now())).rooms.get(home.rooms.infants.id)!;

describe('cover and the forecast', () => {
  it('clears the flag when a volunteer takes the cover, and flags the room again when they withdraw', async () => {
    const before = await flagOf();
    expect(before.flagText).toBe('needs cover by 15:00');
    expect(before.coverNeed).toMatchObject({ additionalStaff: 1, needs: ['aide'], trainings: ['aht', 'suid'] });

    const staff = await signInAs(app, home.users.staff);
    const asked = await staff.submit(`/centers/${home.center.id}/cover-requests`, { roomId: home.rooms.infants.id, day: '2026-03-02', start: '15:00', end: '17:00', count: '1', needs: 'aide', trainings: 'aht,suid' });
    expect(asked.status).toBe(303);
    const v = await signInAs(app, home.users.volunteer);
    const requestId = (await db('cover_requests').first()).id as string;
    expect((await v.submit(`/centers/${home.center.id}/cover-requests/${requestId}/claims`, {})).status).toBe(303);
    expect((await flagOf()).flag).toBeNull();

    const claim = (await db('cover_claims').first()) as { id: string };
    expect((await v.submit(`/centers/${home.center.id}/cover-claims/${claim.id}/withdrawal`)).status).toBe(303);
    expect((await flagOf()).flagText).toBe('needs cover by 15:00');
    expect(await db('cover_requests').where({ id: requestId }).first()).toMatchObject({ status: 'open' });
  });

  it('asks "help now" until the forecast says the room holds again, for what it lacks', async () => {
    clock.set('2026-03-02T21:10:00Z'); // 15:10: an aide short until the children leave at 17:00.
    // Maya left at the end of her shift, 15:00.
    await db('person_presences').whereNull('ended_at').whereNot({ person_id: home.people.teacher.id }).update({ ended_at: '2026-03-02T21:00:00.000Z' });
    const staff = await signInAs(app, home.users.staff);
    expect((await staff.submit(`/centers/${home.center.id}/rooms/${home.rooms.infants.id}/help-requests`)).status).toBe(303);
    expect(await db('cover_requests').first()).toMatchObject({ starts_at: '2026-03-02T21:10:00.000Z', ends_at: '2026-03-02T23:00:00.000Z', people_needed: 1, needs: 'aide', trainings: 'aht,suid' });
  });
});
