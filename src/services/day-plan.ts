import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { appendAudit } from '../db/audit.js';
import { together } from '../db/knex.js';
import { hasDayPlan, insertDayPlan, listDaysWithPlan } from '../db/day-plans.js';
import { auditHeads, Kept, type AuditHeads } from '../db/freshness.js';
import { listPeopleInCenter } from '../db/people.js';
import { listRoomsInCenter } from '../db/rooms.js';
import type { Center } from '../db/rows.js';
import { listShiftTemplatesForWeekday, listShiftTemplatesInCenter, type ShiftTemplate } from '../db/shift-templates.js';
import { cancelShift, insertShift, listAllShiftsForDay, type Shift, type ShiftInput } from '../db/shifts.js';
import { parseCivilDate } from '../domain/calendar.js';
import { instantOfWallClock } from '../domain/wall-clock.js';

/**
 * A center's day plan: made from the weekly templates once per center and day, at the
 * center's midnight by the job runner (services/jobs.ts) or by the first write that
 * needs it (an edit of the day's plan), then edited for that day alone. A page never
 * makes it: until it is made, the forecast reads the plan it would be (`unmadeDayPlan`),
 * with the same shift ids, so the page and its forms are the same before and after.
 * Days before today are never made: their plan is what was planned then, and a
 * template changed since must not rewrite history.
 */

/** The center's calendar date at `at` (`YYYY-MM-DD`). */
export function dayOf(center: Center, at: Date): string {
  return DateTime.fromJSDate(at, { zone: center.timeZone }).toISODate()!;
}

/** ISO weekday (1 Monday … 7 Sunday) of a calendar date. */
export function weekdayOf(day: string): number {
  const d = parseCivilDate(day);
  if (!d) throw new Error(`bad day ${day}`);
  // A civil date has no zone: read it as UTC to get its weekday.
  return DateTime.utc(d.year, d.month, d.day).weekday;
}

/**
 * The instant of `HH:mm` on `day` in `zone`, in epoch ms. A time that does not exist
 * (the spring-forward gap: 02:30 on 2026-03-08 in Chicago) is taken as the first
 * minute after the gap (03:00), so a weekly template still makes a shift that day;
 * a repeated time (fall back) is its first occurrence.
 */
export function instantOnDay(day: string, time: string, zone: string): number {
  const exact = instantOfWallClock(day, time, zone);
  if (exact !== null) return exact;
  const [h, m] = time.split(':').map(Number) as [number, number];
  for (let minutes = h * 60 + m + 1; minutes < 24 * 60; minutes++) {
    const t = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
    const at = instantOfWallClock(day, t, zone);
    if (at !== null) return at;
  }
  throw new Error(`no instant for ${day} ${time} in ${zone}`);
}

// Days known to have a plan (plans are never unmade): spares the board one read per minute.
const known = new Set<string>();
const KNOWN_MAX = 10_000;

/**
 * Makes the center's plan for `day` from the templates of its weekday, unless it
 * exists or the day is over. One transaction: the `day_plans` row, the shifts and
 * the audit entry (the board's cache is keyed by the audit head). Answers whether
 * the day has a plan now.
 */
export async function ensureDayPlan(db: Knex, center: Center, day: string, now: Date): Promise<boolean> {
  const key = `${center.id}|${day}`;
  // Inside a transaction the plan may yet be rolled back: nothing is remembered there.
  const remember = db.isTransaction === true ? () => true as const : () => rememberKey(key);
  if (known.has(key)) return true;
  if (await hasDayPlan(db, center.id, day)) return remember();
  if (day < dayOf(center, now)) return false;

  const shifts = await templateShiftsOf(db, center, day);
  await db.transaction(async (trx) => {
    if (!(await insertDayPlan(trx, center.id, day, shifts, now))) return;
    await appendAudit(trx, {
      at: now,
      organizationId: center.organizationId,
      centerId: center.id,
      actorUserId: null,
      action: 'day_plan.made',
      recordType: 'day_plan',
      recordId: center.id,
      after: { day, shifts: shifts.length },
    });
  });
  return remember();
}

/**
 * The shifts `day`'s plan would be made of, as the forecast reads shifts, when the day
 * has no plan yet and is not over; null when it has one (or is over: a past day is
 * never made). Reads, never writes: what a page shows before the plan is made.
 * `heads`: the audit log's heads as the caller read them (see templatesOfUnmadeDay).
 */
export async function unmadeDayPlan(db: Knex, center: Center, day: string, now: Date, heads?: AuditHeads): Promise<Shift[] | null> {
  const key = `${center.id}|${day}`;
  if (known.has(key)) return null;
  if (day < dayOf(center, now)) return null;
  const templates = await templatesOfUnmadeDay(db, center, day, heads);
  if (templates === null) {
    if (db.isTransaction !== true) rememberKey(key);
    return null;
  }
  const createdAt = now.toISOString();
  return templates.map((s) => shiftOfTemplate(s, createdAt));
}

/** A template's shift as the forecast reads shifts (one not made yet). */
function shiftOfTemplate(s: TemplateShift, createdAt: string): Shift {
  return {
    id: s.id,
    centerId: s.centerId,
    roomId: s.roomId,
    personId: s.personId,
    day: s.day,
    startsAt: s.startsAt.toISOString(),
    endsAt: s.endsAt.toISOString(),
    source: s.source,
    coverRequestId: null,
    createdAt,
    cancelledAt: null,
    breaks: s.breaks.map((b) => ({ id: b.id, shiftId: s.id, startsAt: b.startsAt.toISOString(), endsAt: b.endsAt.toISOString() })),
  };
}

type TemplateShift = Omit<ShiftInput, 'id' | 'breaks'> & { readonly id: string; readonly breaks: readonly { readonly id: string; readonly startsAt: Date; readonly endsAt: Date }[] };

/**
 * Each center's day with no plan yet: the template shifts it would be made of (null
 * once it has a plan), kept under the audit log's setup head (db/freshness.ts): the
 * templates, rooms, people, the center's zone and the plan's making are all setup
 * rows, audited in their own transactions. The forecast of an unmade day (every card
 * sent after a check-in, until the job runner makes the plan) then reads nothing here
 * and works no wall-clock times out. Per database; inside a transaction only a kept
 * value whose read has finished is taken, never one read there (as center-setup.ts).
 */
const unmadeKept = new WeakMap<object, Kept<readonly TemplateShift[] | null>>();
const UNMADE_MAX = 400;

async function templatesOfUnmadeDay(db: Knex, center: Center, day: string, heads?: AuditHeads): Promise<readonly TemplateShift[] | null> {
  let kept = unmadeKept.get(db.client.config);
  if (!kept) unmadeKept.set(db.client.config, (kept = new Kept(UNMADE_MAX)));
  const { setup: head } = heads ?? (await auditHeads(db));
  const key = `${center.id}|${day}`;
  const read = async () => ((await hasDayPlan(db, center.id, day)) ? null : templateShiftsOf(db, center, day));
  if (db.isTransaction) return kept.peek(key, head) ?? read();
  return kept.get(key, head, read);
}

/**
 * One shift per template of the day's weekday (a template of an archived room or
 * person makes nothing), with ids fixed by the template and the day: the page that
 * shows a plan not made yet links its forms to the shifts the plan will have.
 */
async function templateShiftsOf(db: Knex, center: Center, day: string): Promise<TemplateShift[]> {
  const [templates, rooms, people] = await together(db, [
    () => listShiftTemplatesForWeekday(db, center.id, weekdayOf(day)),
    () => listRoomsInCenter(db, center.id),
    () => listPeopleInCenter(db, center.id),
  ] as const);
  return shiftsOfTemplates(center, day, templates, new Set(rooms.map((r) => r.id)), new Set(people.map((p) => p.id)));
}

/**
 * The shifts of one person on the center's days in `days` that have no plan yet and
 * are not over, as each plan would make them, under the ids it will give them (a
 * calendar of the weeks ahead: services/calendar-feed.ts). Reads only, and once for
 * all the days (kept nowhere: the board's kept unmade days are not crowded out).
 */
export async function unmadeShiftsOfPerson(db: Knex, center: Center, personId: string, days: readonly string[], now: Date): Promise<Shift[]> {
  const today = dayOf(center, now);
  const open = days.filter((d) => d >= today);
  if (open.length === 0) return [];
  const [made, templates, rooms, people] = await together(db, [
    () => listDaysWithPlan(db, center.id, open),
    () => listShiftTemplatesInCenter(db, center.id),
    () => listRoomsInCenter(db, center.id),
    () => listPeopleInCenter(db, center.id),
  ] as const);
  const openRooms = new Set(rooms.map((r) => r.id));
  const currentPeople = new Set(people.map((p) => p.id));
  const mine = templates.filter((t) => t.personId === personId);
  const createdAt = now.toISOString();
  return open
    .filter((day) => !made.has(day))
    .flatMap((day) => shiftsOfTemplates(center, day, mine.filter((t) => t.weekday === weekdayOf(day)), openRooms, currentPeople))
    .map((s) => shiftOfTemplate(s, createdAt));
}

function shiftsOfTemplates(center: Center, day: string, templates: readonly ShiftTemplate[], openRooms: ReadonlySet<string>, currentPeople: ReadonlySet<string>): TemplateShift[] {
  const zone = center.timeZone;
  const shifts: TemplateShift[] = [];
  for (const t of templates) {
    if (!openRooms.has(t.roomId) || !currentPeople.has(t.personId)) continue;
    const startsAt = instantOnDay(day, t.start, zone);
    const endsAt = instantOnDay(day, t.end, zone);
    if (!(startsAt < endsAt)) continue;
    const breaks: { id: string; startsAt: Date; endsAt: Date }[] = [];
    if (t.breakStart && t.breakEnd) {
      const bs = instantOnDay(day, t.breakStart, zone);
      const be = instantOnDay(day, t.breakEnd, zone);
      if (startsAt <= bs && bs < be && be <= endsAt) breaks.push({ id: planIdOf('break', t.id, day), startsAt: new Date(bs), endsAt: new Date(be) });
    }
    shifts.push({ id: planIdOf('shift', t.id, day), centerId: center.id, roomId: t.roomId, personId: t.personId, day, startsAt: new Date(startsAt), endsAt: new Date(endsAt), source: 'template', breaks, createdByUserId: null });
  }
  return shifts;
}

/**
 * The id of the shift (or its break) that template `templateId` makes on `day`: a
 * UUID (version 8, custom) from a SHA-256 of the three. A day's plan is made once, so
 * no two rows get one; and a plan shown before it is made names the same ids.
 */
function planIdOf(kind: 'shift' | 'break', templateId: string, day: string): string {
  const h = createHash('sha256').update(`ratiowatch.day_plan|${kind}|${templateId}|${day}`).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * How a day's plan, made already, differs from the usual week as it is now: the
 * template shifts it lacks (not yet over), and the shifts it took from templates that
 * are gone (not yet started). Null when the day has no plan yet (it will be made from
 * the usual week as it is) or is over. What a director needs when the plan was made
 * before the usual week was entered: the job runner makes today's plan at the first
 * minute, and a center set up in the morning would otherwise see nobody planned all day.
 * A shift changed or cancelled by hand on the day plan keeps its id, so it is never
 * added again; shifts from the day plan's own edits and from cover are never touched.
 */
export type UsualWeekDrift = { readonly day: string; readonly add: readonly ShiftInput[]; readonly cancel: readonly Shift[] };

export async function usualWeekDrift(db: Knex, center: Center, day: string, now: Date): Promise<UsualWeekDrift | null> {
  if (day < dayOf(center, now) || !(await hasDayPlan(db, center.id, day))) return null;
  const [templates, planned] = await Promise.all([templateShiftsOf(db, center, day), listAllShiftsForDay(db, center.id, day)]);
  const inPlan = new Set(planned.map((s) => s.id));
  const fromTemplates = new Set(templates.map((t) => t.id));
  const at = now.getTime();
  return {
    day,
    add: templates.filter((t) => !inPlan.has(t.id) && t.endsAt.getTime() > at),
    cancel: planned.filter((s) => s.source === 'template' && s.cancelledAt === null && !fromTemplates.has(s.id) && Date.parse(s.startsAt) > at),
  };
}

/**
 * Brings a day's plan in line with the usual week (see usualWeekDrift): one
 * transaction, the shifts added and cancelled and one audit entry (a setup kind, so
 * what is kept of the day is read again). Answers what changed; nothing when the
 * plan already agrees (a second click changes nothing). `roomIds`: the rooms whose plan changed.
 */
export async function applyUsualWeek(
  db: Knex,
  center: Center,
  day: string,
  now: Date,
  actorUserId: string,
): Promise<{ added: number; cancelled: number; roomIds: string[] }> {
  return db.transaction(async (trx) => {
    const drift = await usualWeekDrift(trx, center, day, now);
    if (!drift || (drift.add.length === 0 && drift.cancel.length === 0)) return { added: 0, cancelled: 0, roomIds: [] };
    for (const shift of drift.add) await insertShift(trx, shift, now);
    let cancelled = 0;
    for (const shift of drift.cancel) if (await cancelShift(trx, center.id, shift.id, actorUserId, now)) cancelled++;
    await appendAudit(trx, {
      at: now,
      organizationId: center.organizationId,
      centerId: center.id,
      actorUserId,
      action: 'day_plan.usual_week_applied',
      recordType: 'day_plan',
      recordId: center.id,
      after: { day, added: drift.add.map((s) => s.id), cancelled: drift.cancel.map((s) => s.id) },
    });
    return { added: drift.add.length, cancelled, roomIds: [...new Set([...drift.add, ...drift.cancel].map((s) => s.roomId))] };
  });
}

function rememberKey(key: string): true {
  if (known.size >= KNOWN_MAX) known.clear();
  known.add(key);
  return true;
}
