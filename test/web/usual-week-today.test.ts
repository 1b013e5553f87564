import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cancelShift, listShiftsForDay } from '../../src/db/shifts.js';
import { writeAudited } from '../support/audited.js';
import { dayOf, ensureDayPlan, usualWeekDrift } from '../../src/services/day-plan.js';
import { seededApp, type SeededApp } from '../support/seeded-app.js';

/**
 * A director sets a center up in the morning: the job runner makes today's plan at its
 * first minute, before the usual week is entered, so today's plan has nobody in it. The
 * schedules page and the set-up checklist say so, and one click brings today's plan in
 * line with the usual week (issue #19's journey, found by its browser test).
 * The clock: Monday 2 March 2026, 06:45 in Chicago.
 */

let s: SeededApp<{ agents: ['director', 'staff'] }>;
const c = () => `/centers/${s.seeded.center.id}`;
const today = () => dayOf(s.seeded.center, s.clock.now());

beforeEach(async () => {
  s = await seededApp({ agents: ['director', 'staff'] });
  // The job runner's first minute: today's plan, from a usual week that is still empty.
  expect(await ensureDayPlan(s.db, s.seeded.center, today(), s.clock.now())).toBe(true);
});
afterEach(() => s.close());

const addTemplate = (start: string, end: string, room: 'infants' | 'toddlers' = 'toddlers') =>
  s.agents.director.submit(`${c()}/schedules/templates`, { personId: s.seeded.people.teacher.id, roomId: s.seeded.rooms[room].id, weekdays: '1', start, end });

describe("today's plan behind the usual week", () => {
  it('is shown on the schedules page and the checklist, and one click adds the usual shifts to today', async () => {
    expect((await addTemplate('07:00', '15:00')).status).toBe(303);
    expect(await listShiftsForDay(s.db, s.seeded.center.id, today())).toEqual([]);

    const page = await s.agents.director.get(`${c()}/schedules`);
    expect(page.text).toContain('plan is behind the usual week');
    expect(page.text).toContain('1 shift to add');
    const checklist = await s.agents.director.get(`${c()}/setup`);
    expect(checklist.text).toContain('plan was made before these changes to the usual week (1 shift to add)');

    const applied = await s.agents.director.submit(`${c()}/schedules/today`);
    expect(applied.status).toBe(303);
    expect((await s.agents.director.get(applied.headers.location!)).text).toContain('plan now follows the usual week: 1 shift added.');
    const shifts = await listShiftsForDay(s.db, s.seeded.center.id, today());
    expect(shifts.map((x) => ({ room: x.roomId, person: x.personId, source: x.source }))).toEqual([
      { room: s.seeded.rooms.toddlers.id, person: s.seeded.people.teacher.id, source: 'template' },
    ]);
    expect(await s.db('audit_log').where({ action: 'day_plan.usual_week_applied' }).count({ n: '*' }).first()).toMatchObject({ n: expect.anything() });

    // Caught up: nothing more to offer, and a second click changes nothing.
    expect((await s.agents.director.get(`${c()}/schedules`)).text).not.toContain('plan is behind the usual week');
    const again = await s.agents.director.submit(`${c()}/schedules/today`);
    expect((await s.agents.director.get(again.headers.location!)).text).toContain('plan already follows the usual week.');
    expect(await listShiftsForDay(s.db, s.seeded.center.id, today())).toHaveLength(1);
  });

  it('leaves shifts under way and shifts changed by hand alone, and cancels only what has not started', async () => {
    // 06:00-12:00 is under way at 06:45: still added (it is not over), as the usual week has it.
    await addTemplate('06:00', '12:00');
    await addTemplate('13:00', '17:00', 'infants');
    await s.agents.director.submit(`${c()}/schedules/today`);
    expect(await listShiftsForDay(s.db, s.seeded.center.id, today())).toHaveLength(2);

    // Both templates go from the usual week: the one under way stays today, the later one is cancelled.
    const templates = await s.db('shift_templates').where({ center_id: s.seeded.center.id });
    for (const t of templates) expect((await s.agents.director.submit(`${c()}/schedules/templates/${t.id}/removal`)).status).toBe(303);
    const drift = await usualWeekDrift(s.db, s.seeded.center, today(), s.clock.now());
    expect(drift!.add).toEqual([]);
    expect(drift!.cancel.map((x) => x.roomId)).toEqual([s.seeded.rooms.infants.id]);
    await s.agents.director.submit(`${c()}/schedules/today`);
    const left = await listShiftsForDay(s.db, s.seeded.center.id, today());
    expect(left.map((x) => x.roomId)).toEqual([s.seeded.rooms.toddlers.id]);

    // Added to the usual week again (a new template): its shift comes to today. Cancelled by hand on the day plan
    // (the shift keeps its id), the usual week does not bring it back.
    await addTemplate('13:00', '17:00', 'infants');
    await s.agents.director.submit(`${c()}/schedules/today`);
    const [added] = (await listShiftsForDay(s.db, s.seeded.center.id, today())).filter((x) => x.roomId === s.seeded.rooms.infants.id);
    expect(added).toBeDefined();
    await writeAudited(s.db, { organizationId: s.seeded.organization.id, recordType: 'shift' }, (trx) => cancelShift(trx, s.seeded.center.id, added!.id, null, s.clock.now()));
    const after = await usualWeekDrift(s.db, s.seeded.center, today(), s.clock.now());
    expect(after).toEqual({ day: today(), add: [], cancel: [] });
  });

  it('is not offered for a day whose plan is not made yet, and is refused to staff', async () => {
    expect(await usualWeekDrift(s.db, s.seeded.center, '2026-03-03', s.clock.now())).toBeNull();
    const staff = await s.agents.staff.submit(`${c()}/schedules/today`);
    expect([403, 404]).toContain(staff.status);
  });
});
