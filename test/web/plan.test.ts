/**
 * Schedules and the day plan over HTTP: the day's plan made once from the weekly
 * templates, edited for one day, the breach warning and the director's recorded
 * override, known absences, room naps, the room's day timeline, and who may do what.
 * Monday 2 March 2026 in Chicago; three infants expected 07:30–17:00.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertShiftTemplate } from '../../src/db/shift-templates.js';
import { newId } from '../../src/db/rows.js';
import { createJobRunner, type JobRunner } from '../../src/services/jobs.js';
import type { Deps } from '../../src/web/app.js';
import { signInAs, type Agent } from '../support/agent.js';
import { seedCenter, type SeededCenter } from '../support/builders.js';
import { seedRoomDay, type SeededDay } from '../support/day.js';
import type { TestClock } from '../support/deps.js';
import { seededApp, type App } from '../support/seeded-app.js';

let deps: Deps;
let clock: TestClock;
let app: App;
let seeded: SeededCenter;
let day: SeededDay;
let director: Agent;
let staff: Agent;
let close: () => Promise<void>;
/** The job runner, ticked by hand: it makes the day's plan (at midnight) that pages only show. */
let jobs: JobRunner;

const MONDAY = '2026-03-02';

beforeEach(async () => {
  // Monday 07:00 in Chicago.
  const world = await seededApp({ at: '2026-03-02T13:00:00Z', day: true });
  ({ deps, clock, app, seeded, day, close } = world);
  // The three infants come on Mondays 07:30–17:00; Maya works Infants 07:00–17:00 with a break 11:30–12:00 covered by no one.
  for (const child of [day.children.ada, day.children.ben, day.children.cai]) {
    await deps.db('child_schedules').insert({ id: newId(), child_id: child.id, weekday: 1, arrive: '07:30', depart: '17:00' });
  }
  await insertShiftTemplate(deps.db, { centerId: seeded.center.id, personId: day.maya.id, roomId: seeded.rooms.infants.id, weekday: 1, start: '07:00', end: '17:00' }, clock.now());
  director = await world.signIn('director');
  staff = await world.signIn('staff');
  jobs = createJobRunner({ db: deps.db, log: deps.log, clock });
});
afterEach(async () => {
  await jobs.stop();
  await close();
});

const c = () => `/centers/${seeded.center.id}`;
const dayPage = (d = MONDAY) => `${c()}/plan?day=${d}`;
const roomPlan = (room: 'infants' | 'toddlers' = 'infants', d = MONDAY) => `${c()}/rooms/${seeded.rooms[room].id}/plan?day=${d}`;
const shiftsOf = (personId: string) => deps.db('shifts').where({ center_id: seeded.center.id, person_id: personId }).orderBy('starts_at');
const count = async (table: string) => Number(((await deps.db(table).count({ n: '*' }).first()) as { n: number | string }).n);
/** The section of a page about one room. */
const section = (html: string, roomId: string) => {
  const start = html.indexOf(`id="room-${roomId}"`);
  const end = html.indexOf('</section>', start);
  return html.slice(start, end);
};

describe('the day plan made from the weekly templates', () => {
  it('is shown before it is made, made once by the job runner with the template shifts, the same; a template changed later leaves that day alone', async () => {
    expect(await count('day_plans')).toBe(0);
    const res = await staff.get(dayPage());
    expect(res.status).toBe(200);
    const infants = section(res.text, seeded.rooms.infants.id);
    expect(infants).toContain(day.maya.displayName);
    expect(infants).toContain('07:00–17:00');
    expect(infants).toContain('from the weekly schedule');
    // Shown, not made: a page stores nothing.
    expect(await count('day_plans')).toBe(0);
    expect(await jobs.runOnce()).toEqual({ ran: true, failures: [] });
    expect(await deps.db('shifts').where({ center_id: seeded.center.id }).select('source', 'day')).toEqual([{ source: 'template', day: MONDAY }]);
    expect(await deps.db('audit_log').where({ action: 'day_plan.made' }).count({ n: '*' }).first()).toEqual({ n: 1 });
    // Made, the page is the same, its forms naming the same shifts.
    expect(section((await staff.get(dayPage())).text, seeded.rooms.infants.id)).toBe(infants);

    // A new template for Mondays: today's plan is made already and keeps what it has.
    const added = await director.submit(`${c()}/schedules/templates`, { personId: seeded.people.teacher.id, roomId: seeded.rooms.toddlers.id, weekdays: '1', start: '08:00', end: '16:00' });
    expect(added.status).toBe(303);
    await staff.get(dayPage());
    expect(await shiftsOf(seeded.people.teacher.id)).toHaveLength(0);
    // Next Monday's plan, shown before it is made, has it; the job runner makes it at that Monday's midnight.
    const next = await staff.get(dayPage('2026-03-09'));
    expect(section(next.text, seeded.rooms.toddlers.id)).toContain('08:00–16:00');
    expect(await shiftsOf(seeded.people.teacher.id)).toHaveLength(0);
    await jobs.runOnce(new Date('2026-03-09T05:00:30Z')); // 00:00:30 in Chicago (CDT since 8 March)
    expect((await shiftsOf(seeded.people.teacher.id)).map((s: { day: string }) => s.day)).toEqual(['2026-03-09']);
  });

  it('makes no plan for a day that is over', async () => {
    const res = await staff.get(dayPage('2026-02-23'));
    expect(res.status).toBe(200);
    expect(res.text).toContain('This day is over');
    expect(await count('day_plans')).toBe(0);
  });

  it('answers 422 with the message beside the day field for a day that is not one', async () => {
    const res = await staff.get(`${c()}/plan?day=2026-02-31`);
    expect(res.status).toBe(422);
    expect(res.text).toMatch(/<p class="error" id="day-error">Enter a day like 2026-03-02\.<\/p>/);
  });
});

describe('POST /centers/:centerId/schedules/templates', () => {
  it('adds a template for each weekday chosen, with its break', async () => {
    const res = await director.submit(`${c()}/schedules/templates`, {
      personId: seeded.people.teacher.id,
      roomId: seeded.rooms.toddlers.id,
      weekdays: ['2', '4'] as unknown as string,
      start: '07:00',
      end: '15:00',
      breakStart: '11:00',
      breakEnd: '11:30',
    });
    expect(res.status).toBe(303);
    const rows = await deps.db('shift_templates').where({ person_id: seeded.people.teacher.id }).orderBy('weekday').select('weekday', 'start', 'end', 'break_start', 'break_end');
    expect(rows).toEqual([
      { weekday: 2, start: '07:00', end: '15:00', break_start: '11:00', break_end: '11:30' },
      { weekday: 4, start: '07:00', end: '15:00', break_start: '11:00', break_end: '11:30' },
    ]);
    const page = await director.get(`${c()}/schedules`);
    expect(page.text).toContain('Added');
    expect(page.text).toMatch(/Tuesday[\s\S]*Teacher[\s\S]*Toddlers[\s\S]*07:00–15:00[\s\S]*11:00–11:30/);
  });

  it('refuses bad input with the message next to the field and stores nothing', async () => {
    const before = await count('shift_templates');
    const late = await director.submit(`${c()}/schedules/templates`, { personId: seeded.people.teacher.id, roomId: seeded.rooms.toddlers.id, weekdays: '1', start: '15:00', end: '07:00' });
    expect(late.status).toBe(422);
    expect(late.text).toMatch(/<p class="error" id="end-error">The end must be after the start\.<\/p>/);
    const noDay = await director.submit(`${c()}/schedules/templates`, { personId: seeded.people.teacher.id, roomId: seeded.rooms.toddlers.id, start: '07:00', end: '15:00' });
    expect(noDay.status).toBe(422);
    expect(noDay.text).toContain('<p class="error" id="weekdays-error">Choose at least one day of the week.</p>');
    const outside = await director.submit(`${c()}/schedules/templates`, { personId: seeded.people.teacher.id, roomId: seeded.rooms.toddlers.id, weekdays: '1', start: '07:00', end: '15:00', breakStart: '06:00', breakEnd: '06:30' });
    expect(outside.text).toContain('<p class="error" id="breakStart-error">The break must lie inside the shift.</p>');
    // Maya works Infants on Mondays already: not in Toddlers at the same time.
    const twice = await director.submit(`${c()}/schedules/templates`, { personId: day.maya.id, roomId: seeded.rooms.toddlers.id, weekdays: '1', start: '09:00', end: '10:00' });
    expect(twice.status).toBe(422);
    expect(twice.text).toContain(`${day.maya.displayName} already works 07:00–17:00 on Monday.`);
    const stranger = await seedCenter(deps.db);
    const theirs = await director.submit(`${c()}/schedules/templates`, { personId: stranger.people.teacher.id, roomId: seeded.rooms.toddlers.id, weekdays: '1', start: '07:00', end: '08:00' });
    expect(theirs.status).toBe(422);
    expect(theirs.text).toContain('<p class="error" id="personId-error">Choose a person.</p>');
    expect(await count('shift_templates')).toBe(before);
  });

  it('removes a template; a template id of another center is not found', async () => {
    const [template] = await deps.db('shift_templates').where({ person_id: day.maya.id });
    const other = await seedCenter(deps.db);
    const theirId = await insertShiftTemplate(deps.db, { centerId: other.center.id, personId: other.people.teacher.id, roomId: other.rooms.infants.id, weekday: 1, start: '07:00', end: '09:00' }, clock.now());
    expect((await director.submit(`${c()}/schedules/templates/${theirId}/removal`)).status).toBe(404);
    expect(await deps.db('shift_templates').where({ id: theirId }).first()).toBeDefined();
    expect((await director.submit(`${c()}/schedules/templates/${template.id}/removal`)).status).toBe(303);
    expect(await deps.db('shift_templates').where({ id: template.id }).first()).toBeUndefined();
  });
});

describe('editing a day’s plan', () => {
  it('adds a shift with a break, changes its times and room, adds and removes a break, and cancels it, each audited', async () => {
    await director.get(dayPage());
    const add = await director.submit(`${c()}/plan/shifts`, { day: MONDAY, personId: seeded.people.teacher.id, roomId: seeded.rooms.toddlers.id, start: '09:00', end: '13:00', breakStart: '11:00', breakEnd: '11:15' });
    expect(add.status).toBe(303);
    expect(add.headers.location).toBe(`${c()}/plan#room-${seeded.rooms.toddlers.id}`);
    let [shift] = await shiftsOf(seeded.people.teacher.id);
    expect(shift).toMatchObject({ source: 'plan', day: MONDAY, starts_at: '2026-03-02T15:00:00.000Z', ends_at: '2026-03-02T19:00:00.000Z', cancelled_at: null });
    expect(await deps.db('shift_breaks').where({ shift_id: shift.id }).select('starts_at', 'ends_at')).toEqual([{ starts_at: '2026-03-02T17:00:00.000Z', ends_at: '2026-03-02T17:15:00.000Z' }]);
    const page = await director.get(dayPage());
    expect(page.text).toContain('Saved: shift added');
    expect(section(page.text, seeded.rooms.toddlers.id)).toMatch(/09:00–13:00[\s\S]*11:00–11:15[\s\S]*added for this day/);

    // The break would fall outside: refused with the reason next to the start.
    const outside = await director.submit(`${c()}/plan/shifts/${shift.id}/edit`, { roomId: seeded.rooms.toddlers.id, start: '11:30', end: '13:00' });
    expect(outside.status).toBe(422);
    expect(outside.text).toContain('Its break 11:00–11:15 would fall outside these times: remove the break first.');
    const [brk] = await deps.db('shift_breaks').where({ shift_id: shift.id });
    expect((await director.submit(`${c()}/plan/breaks/${brk.id}/removal`)).status).toBe(303);
    expect(await deps.db('shift_breaks').where({ shift_id: shift.id })).toHaveLength(0);

    // Moved to Infants with Maya, 10:00–14:00: Maya's break is covered, no breach is added.
    const moved = await director.submit(`${c()}/plan/shifts/${shift.id}/edit`, { roomId: seeded.rooms.infants.id, start: '10:00', end: '14:00' });
    expect(moved.status).toBe(303);
    [shift] = await shiftsOf(seeded.people.teacher.id);
    expect(shift).toMatchObject({ room_id: seeded.rooms.infants.id, starts_at: '2026-03-02T16:00:00.000Z', ends_at: '2026-03-02T20:00:00.000Z' });

    const brk2 = await director.submit(`${c()}/plan/shifts/${shift.id}/breaks`, { start: '12:30', end: '13:00' });
    expect(brk2.status).toBe(303);
    expect(await deps.db('shift_breaks').where({ shift_id: shift.id }).select('starts_at')).toEqual([{ starts_at: '2026-03-02T18:30:00.000Z' }]);

    const cancelled = await director.submit(`${c()}/plan/shifts/${shift.id}/cancellation`);
    expect(cancelled.status).toBe(303);
    expect((await deps.db('shifts').where({ id: shift.id }).first()).cancelled_at).not.toBeNull();
    const again = await director.submit(`${c()}/plan/shifts/${shift.id}/cancellation`);
    expect(again.status).toBe(303);
    expect((await director.get(dayPage())).text).toContain('That shift was already cancelled.');

    const actions = (await deps.db('audit_log').orderBy('id').select('action')).map((r: { action: string }) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['shift.added', 'shift_break.removed', 'shift.changed', 'shift_break.added', 'shift.cancelled']));
    expect(await count('plan_overrides')).toBe(0);
  });

  it('refuses a shift that overlaps the same person’s other shift, a break outside it, and a day that is over, storing nothing', async () => {
    await director.get(dayPage());
    const before = await count('shifts');
    const twice = await director.submit(`${c()}/plan/shifts`, { day: MONDAY, personId: day.maya.id, roomId: seeded.rooms.toddlers.id, start: '08:00', end: '09:00' });
    expect(twice.status).toBe(422);
    expect(twice.text).toContain(`${day.maya.displayName} already has a shift 07:00–17:00 in Infants that day.`);
    expect(twice.text).toMatch(/<option value="[^"]+" selected>Toddlers<\/option>/);
    const brk = await director.submit(`${c()}/plan/shifts`, { day: MONDAY, personId: seeded.people.teacher.id, roomId: seeded.rooms.toddlers.id, start: '08:00', end: '09:00', breakStart: '10:00', breakEnd: '10:30' });
    expect(brk.text).toContain('<p class="error" id="breakStart-error">The break must lie inside the shift.</p>');
    const over = await director.submit(`${c()}/plan/shifts`, { day: '2026-03-01', personId: seeded.people.teacher.id, roomId: seeded.rooms.toddlers.id, start: '08:00', end: '09:00' });
    expect(over.status).toBe(422);
    expect(over.text).toContain('That day is over: its plan can no longer be changed.');
    const noTimes = await director.submit(`${c()}/plan/shifts`, { day: MONDAY, personId: seeded.people.teacher.id, roomId: seeded.rooms.toddlers.id });
    expect(noTimes.text).toContain('<p class="error" id="start-error">Enter a start time, like 07:00.</p>');
    expect(await count('shifts')).toBe(before);
  });

  it('warns with the breach windows and saves only with an override and a reason, recorded and listed on the day', async () => {
    await jobs.runOnce();
    const [maya] = await shiftsOf(day.maya.id);
    const before = await count('audit_log');

    const warned = await director.submit(`${c()}/plan/shifts/${maya.id}/cancellation`);
    expect(warned.status).toBe(409);
    expect(warned.text).toContain('This change makes the plan breach');
    expect(warned.text).toContain(`shift cancelled: ${day.maya.displayName}, Infants 07:00–17:00`);
    expect(warned.text).toContain(
      '07:30–17:00 Infants: out of ratio: needs 1 more counted person: teacher, with Abusive head trauma (AHT) and Safe sleep (SUID) training current',
    );
    expect((await deps.db('shifts').where({ id: maya.id }).first()).cancelled_at).toBeNull();
    expect(await count('audit_log')).toBe(before);

    // Ticked without a reason: asked again, the message next to the reason.
    const noReason = await director.submit(`${c()}/plan/shifts/${maya.id}/cancellation`, { override: 'yes', overrideReason: '' });
    expect(noReason.status).toBe(409);
    expect(noReason.text).toContain('<p class="error" id="overrideReason-error">Say in a few words why this plan is acceptable.</p>');
    expect(await count('plan_overrides')).toBe(0);

    const saved = await director.submit(`${c()}/plan/shifts/${maya.id}/cancellation`, { override: 'yes', overrideReason: 'Infant room closed for the morning, parents told' });
    expect(saved.status).toBe(303);
    expect((await deps.db('shifts').where({ id: maya.id }).first()).cancelled_at).not.toBeNull();
    const [override] = await deps.db('plan_overrides');
    expect(override).toMatchObject({ day: MONDAY, shift_id: maya.id, reason: 'Infant room closed for the morning, parents told', created_by_user_id: seeded.users.director.id });
    expect(JSON.parse(override.breaches)).toEqual([expect.stringContaining('07:30–17:00 Infants: out of ratio')]);
    expect(await deps.db('audit_log').where({ action: 'plan_override.recorded', record_id: override.id }).first()).toBeDefined();

    const page = await staff.get(dayPage());
    expect(page.text).toContain('Overrides on this day');
    expect(page.text).toContain('Reason: Infant room closed for the morning, parents told');
    expect(page.text).toContain(`shift cancelled: ${day.maya.displayName}, Infants 07:00–17:00`);
  });

  it('changes a shift of a plan shown before it is made, from the page’s own form: the change makes the plan, a refused one stores nothing', async () => {
    const page = await director.get(dayPage());
    const form = /<form method="post" action="([^"]+\/plan\/shifts\/([0-9a-f-]{36})\/cancellation)" class="inline-form">([\s\S]*?)<\/form>/.exec(section(page.text, seeded.rooms.infants.id))!;
    expect(form[3]).toContain(`<input type="hidden" name="day" value="${MONDAY}">`);
    const [action, shiftId] = [form[1]!, form[2]!];
    // A shift id no plan will have: not found, nothing made.
    expect((await director.submit(`${c()}/plan/shifts/${newId()}/cancellation`, { day: MONDAY })).status).toBe(404);
    // Refused (it makes the plan breach): the plan made for it is undone too.
    const audited = await count('audit_log');
    const warned = await director.submit(action, { day: MONDAY });
    expect(warned.status).toBe(409);
    expect(warned.text).toContain(`shift cancelled: ${day.maya.displayName}, Infants 07:00–17:00`);
    expect(warned.text).toContain(`<input type="hidden" name="day" value="${MONDAY}">`);
    expect([await count('day_plans'), await count('shifts'), await count('audit_log')]).toEqual([0, 0, audited]);
    // Sent again with the override: the plan is made with the shift the page named, and the shift cancelled.
    const saved = await director.submit(action, { day: MONDAY, override: 'yes', overrideReason: 'Infant room closed for the morning' });
    expect(saved.status).toBe(303);
    expect(await count('day_plans')).toBe(1);
    expect(await deps.db('shifts').where({ id: shiftId }).first()).toMatchObject({ person_id: day.maya.id, source: 'template', cancelled_at: expect.any(String) });
    expect((await deps.db('audit_log').orderBy('id').select('action')).map((r: { action: string }) => r.action).slice(-3)).toEqual(['day_plan.made', 'shift.cancelled', 'plan_override.recorded']);
  });

  it('saves without an override a change that shortens a breach already planned', async () => {
    // Maya's 30-minute break leaves the infants alone: planned already.
    await jobs.runOnce();
    const [maya] = await shiftsOf(day.maya.id);
    const first = await director.submit(`${c()}/plan/shifts/${maya.id}/breaks`, { start: '11:30', end: '12:00' });
    expect(first.status).toBe(409);
    await director.submit(`${c()}/plan/shifts/${maya.id}/breaks`, { start: '11:30', end: '12:00', override: 'yes', overrideReason: 'Lunch cover by the director' });
    // Half the cover it lacks: 11:30–11:45 from the staff teacher. Better, not worse: saved as it is.
    const half = await director.submit(`${c()}/plan/shifts`, { day: MONDAY, personId: seeded.people.teacher.id, roomId: seeded.rooms.infants.id, start: '11:30', end: '11:45' });
    expect(half.status).toBe(303);
    expect(await count('plan_overrides')).toBe(1);
    const page = await director.get(roomPlan());
    expect(page.text).toContain('Breach 11:45–12:00');
  });

  it('answers 404 for a shift or a break of another center, and 403 to staff', async () => {
    const other = await seedCenter(deps.db);
    await insertShiftTemplate(deps.db, { centerId: other.center.id, personId: other.people.teacher.id, roomId: other.rooms.infants.id, weekday: 1, start: '07:00', end: '09:00' }, clock.now());
    const otherDirector = await signInAs(app, other.users.director);
    await otherDirector.get(`/centers/${other.center.id}/plan?day=${MONDAY}`);
    await jobs.runOnce();
    const [theirs] = await deps.db('shifts').where({ center_id: other.center.id });
    for (const path of [`${c()}/plan/shifts/${theirs.id}/cancellation`, `${c()}/plan/shifts/${theirs.id}/edit`, `${c()}/plan/shifts/${theirs.id}/breaks`]) {
      expect((await director.submit(path, { roomId: seeded.rooms.infants.id, start: '07:00', end: '08:00' })).status, path).toBe(404);
    }
    expect((await deps.db('shifts').where({ id: theirs.id }).first()).cancelled_at).toBeNull();
    await director.get(dayPage());
    const [maya] = await shiftsOf(day.maya.id);
    expect((await staff.submit(`${c()}/plan/shifts/${maya.id}/cancellation`)).status).toBe(403);
  });
});

describe('absences', () => {
  it('lets staff mark a child absent for the day: the forecast no longer expects them; the mark can be undone', async () => {
    let page = await staff.get(dayPage());
    expect(section(page.text, seeded.rooms.infants.id)).toContain(`Mark ${day.children.ada.displayName} absent`);
    const marked = await staff.submit(`${c()}/children/${day.children.ada.id}/absences`, { day: MONDAY });
    expect(marked.status).toBe(303);
    expect(await deps.db('child_absences').select('child_id', 'day', 'created_by_user_id')).toEqual([{ child_id: day.children.ada.id, day: MONDAY, created_by_user_id: seeded.users.staff.id }]);
    page = await staff.get(dayPage());
    expect(page.text).toContain(`${day.children.ada.displayName} is marked absent.`);
    const infants = section(page.text, seeded.rooms.infants.id);
    expect(infants).not.toContain(`Mark ${day.children.ada.displayName} absent`);
    expect(infants).toMatch(/Absent:[\s\S]*Ada A\./);
    // Two infants expected at most now.
    expect(infants).toContain('At most 2 children at once');
    expect(await deps.db('audit_log').where({ action: 'child_absence.marked' }).first()).toBeDefined();

    // A second tablet marks her too: nothing new is stored.
    expect((await staff.submit(`${c()}/children/${day.children.ada.id}/absences`, { day: MONDAY })).status).toBe(303);
    expect(await deps.db('child_absences')).toHaveLength(1);

    const [absence] = await deps.db('child_absences');
    expect((await staff.submit(`${c()}/absences/${absence.id}/removal`)).status).toBe(303);
    expect(await deps.db('child_absences')).toHaveLength(0);
    expect(section((await staff.get(dayPage())).text, seeded.rooms.infants.id)).toContain('At most 3 children at once');
  });

  it('refuses to mark absent a child checked in, and a day that is over', async () => {
    await staff.submit(`${c()}/rooms/${seeded.rooms.infants.id}/check-ins`, { childId: day.children.ben.id });
    const res = await staff.submit(`${c()}/children/${day.children.ben.id}/absences`, { day: MONDAY });
    expect(res.status).toBe(422);
    expect(res.text).toContain(`${day.children.ben.displayName} is checked in: check them out on the room page instead.`);
    const over = await staff.submit(`${c()}/children/${day.children.cai.id}/absences`, { day: '2026-02-27' });
    expect(over.status).toBe(422);
    expect(over.text).toContain('That day is over');
    expect(await deps.db('child_absences')).toHaveLength(0);
  });

  it('answers 403 to a volunteer and 404 for another center’s child', async () => {
    const volunteer = await signInAs(app, seeded.users.volunteer);
    expect((await volunteer.submit(`${c()}/children/${day.children.ada.id}/absences`, { day: MONDAY })).status).toBe(403);
    const other = await seedCenter(deps.db);
    const theirs = await seedRoomDay(deps.db, other);
    expect((await staff.submit(`${c()}/children/${theirs.children.ada.id}/absences`, { day: MONDAY })).status).toBe(404);
    expect(await deps.db('child_absences')).toHaveLength(0);
  });
});

describe('room naps', () => {
  it('adds a daily nap period that the room’s timeline shades and labels, and removes it', async () => {
    const res = await director.submit(`${c()}/rooms/${seeded.rooms.infants.id}/naps`, { start: '12:30', end: '14:30' });
    expect(res.status).toBe(303);
    expect(await deps.db('room_naps').select('room_id', 'start', 'end')).toEqual([{ room_id: seeded.rooms.infants.id, start: '12:30', end: '14:30' }]);
    const page = await staff.get(roomPlan());
    expect(page.text).toContain('fill="url(#dots-nap)"');
    expect(page.text).toContain('Nap 12:30–14:30');
    // The intervals table shows the activity.
    expect(page.text).toMatch(/<td class="num">12:30<\/td><td class="num">14:30<\/td><td>planned<\/td><td>nap<\/td>/);
    const [nap] = await deps.db('room_naps');
    expect((await director.submit(`${c()}/rooms/${seeded.rooms.infants.id}/naps/${nap.id}/removal`)).status).toBe(303);
    expect(await deps.db('room_naps')).toHaveLength(0);
  });

  it('refuses a nap that ends before it starts or overlaps another, with the message next to the field', async () => {
    const bad = await director.submit(`${c()}/rooms/${seeded.rooms.infants.id}/naps`, { start: '14:30', end: '12:30' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain(`id="nap-end-${seeded.rooms.infants.id}-error">The nap must end after it starts.</p>`);
    await director.submit(`${c()}/rooms/${seeded.rooms.infants.id}/naps`, { start: '12:30', end: '14:30' });
    const overlap = await director.submit(`${c()}/rooms/${seeded.rooms.infants.id}/naps`, { start: '13:00', end: '15:00' });
    expect(overlap.status).toBe(422);
    expect(overlap.text).toContain('Infants already naps 12:30–14:30.');
    expect(await deps.db('room_naps')).toHaveLength(1);
    expect((await staff.submit(`${c()}/rooms/${seeded.rooms.infants.id}/naps`, { start: '09:00', end: '10:00' })).status).toBe(403);
  });
});

describe('GET /centers/:centerId/rooms/:roomId/plan', () => {
  it('draws the day as an SVG: required and counted staff, the breach hatched and labelled, the time now; and the same as a table', async () => {
    await jobs.runOnce();
    const [maya] = await shiftsOf(day.maya.id);
    await director.submit(`${c()}/plan/shifts/${maya.id}/edit`, { roomId: seeded.rooms.infants.id, start: '07:00', end: '15:00', override: 'yes', overrideReason: 'Maya leaves early today' });
    // Maya came in at 07:00 and is here: from now on she counts until her shift ends.
    await deps.db('person_presences').insert({ id: newId(), center_id: seeded.center.id, room_id: seeded.rooms.infants.id, person_id: day.maya.id, started_at: '2026-03-02T13:00:00.000Z', ended_at: null });
    clock.set('2026-03-02T20:15:00Z'); // 14:15: the breach at 15:00 is within the hour ahead
    const res = await staff.get(roomPlan());
    expect(res.status).toBe(200);
    const svg = res.text.slice(res.text.indexOf('<svg'), res.text.indexOf('</svg>'));
    expect(svg).toContain('role="img"');
    expect(svg).toContain('<title id="timeline-title">Infants, Monday 2 March 2026: counted staff against required staff</title>');
    expect(svg).toMatch(/<rect class="breach"[^>]*fill="url\(#hatch-breach\)"/);
    expect(svg).toContain('✕ Breach 15:00–17:00');
    expect(svg).toContain('Now 14:15');
    expect(svg).toMatch(/<path class="series required" d="M[^"]+"/);
    expect(svg).toMatch(/<path class="series planned" d="M[^"]+"/);
    expect(svg).toMatch(/<path class="series actual" d="M[^"]+"/);
    expect(svg).toContain('Breaches: 15:00–17:00: out of ratio: needs 1 more counted person: teacher');
    // The table: the breach row in words, with what cover it needs.
    expect(res.text).toMatch(/<td class="num">15:00<\/td><td class="num">17:00<\/td><td>planned<\/td><td>normal<\/td><td>3 infants<\/td>\s*<td class="num">1<\/td><td class="num">0<\/td>\s*<td><span class="room-status status-breach"><span aria-hidden="true">✕<\/span> out of ratio<\/span><\/td>/);
    expect(res.text).toContain('needs cover by 15:00');
    expect(res.text).toContain(`Next: ${day.maya.displayName} leaves 15:00; 3 infants leave 17:00`);
    expect(res.text).toContain('href="/css/plan.css"');
  });

  it('answers 404 for a room of another center and 403 to a volunteer', async () => {
    const other = await seedCenter(deps.db);
    expect((await director.get(`${c()}/rooms/${other.rooms.infants.id}/plan`)).status).toBe(404);
    const volunteer = await signInAs(app, seeded.users.volunteer);
    expect((await volunteer.get(roomPlan())).status).toBe(403);
    expect((await volunteer.get(dayPage())).status).toBe(403);
  });
});
