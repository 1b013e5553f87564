import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { appendAudit } from '../db/audit.js';
import { together } from '../db/knex.js';
import { hasDayPlan, insertDayPlan } from '../db/day-plans.js';
import { listPeopleInCenter } from '../db/people.js';
import { listRoomsInCenter } from '../db/rooms.js';
import type { Center } from '../db/rows.js';
import { listShiftTemplatesForWeekday } from '../db/shift-templates.js';
import type { ShiftInput } from '../db/shifts.js';
import { parseCivilDate } from '../domain/calendar.js';
import { instantOfWallClock } from '../domain/wall-clock.js';

/**
 * A center's day plan: made from the weekly templates once per center and day, on
 * first need (viewing the day's plan, the board's forecast, or an edit), then edited
 * for that day alone. Days before today are never made: their plan is what was
 * planned then, and a template changed since must not rewrite history.
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

/** `HH:mm` of an instant in the zone (for form values). */
export function hhmmOf(at: number | string | Date, zone: string): string {
  const dt = typeof at === 'number' ? DateTime.fromMillis(at, { zone }) : typeof at === 'string' ? DateTime.fromISO(at, { zone: 'utc' }).setZone(zone) : DateTime.fromJSDate(at, { zone });
  return dt.toFormat('HH:mm');
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

  const zone = center.timeZone;
  const [templates, rooms, people] = await together(db, [
    () => listShiftTemplatesForWeekday(db, center.id, weekdayOf(day)),
    () => listRoomsInCenter(db, center.id),
    () => listPeopleInCenter(db, center.id),
  ] as const);
  const openRooms = new Set(rooms.map((r) => r.id));
  const currentPeople = new Set(people.map((p) => p.id));
  const shifts: ShiftInput[] = [];
  for (const t of templates) {
    // A template of an archived room or person makes nothing.
    if (!openRooms.has(t.roomId) || !currentPeople.has(t.personId)) continue;
    const startsAt = instantOnDay(day, t.start, zone);
    const endsAt = instantOnDay(day, t.end, zone);
    if (!(startsAt < endsAt)) continue;
    const breaks: { startsAt: Date; endsAt: Date }[] = [];
    if (t.breakStart && t.breakEnd) {
      const bs = instantOnDay(day, t.breakStart, zone);
      const be = instantOnDay(day, t.breakEnd, zone);
      if (startsAt <= bs && bs < be && be <= endsAt) breaks.push({ startsAt: new Date(bs), endsAt: new Date(be) });
    }
    shifts.push({ centerId: center.id, roomId: t.roomId, personId: t.personId, day, startsAt: new Date(startsAt), endsAt: new Date(endsAt), source: 'template', breaks, createdByUserId: null });
  }
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

function rememberKey(key: string): true {
  if (known.size >= KNOWN_MAX) known.clear();
  known.add(key);
  return true;
}
