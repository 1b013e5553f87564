import type { Knex } from 'knex';
import { findAvailabilityToday, listAvailabilityOfPeople, listAvailabilityWindows, type AvailabilityWindow } from '../../db/availability.js';
import { hasDayPlan } from '../../db/day-plans.js';
import type { Center } from '../../db/rows.js';
import { listShiftTemplatesForWeekday } from '../../db/shift-templates.js';
import { listShiftsInCenterBetween, listShiftsOfPersonBetween } from '../../db/shifts.js';
import { err, ok, type Result } from '../../domain/result.js';
import { instantOfWallClock } from '../../domain/wall-clock.js';
import { dayOf, instantOnDay, weekdayOf } from '../../services/day-plan.js';
import { clockTime } from '../../words/format.js';

/**
 * "Until when?": a person started in a room with no shift there around now is asked
 * for an expected end, and a shift is recorded from now to it (domain.md, reality
 * before plan), so the forecast always knows when they are expected to leave.
 */

/** A shift is "around now" from this long before it starts to its end. */
export const SHIFT_LEAD_MS = 15 * 60_000;

/**
 * Who has a shift in the room around `at` (under way, or starting within 15 minutes;
 * only `personId` when given): the day's planned shifts (an accepted cover is one) and,
 * while the day has no plan yet, the weekly templates it will be made from. The plan is
 * read, never made here: a page and a refused write store nothing, and a write running
 * side by side with others in a group must not open savepoints (see board/changes.ts).
 */
export async function peopleWithShiftAround(db: Knex, center: Center, roomId: string, at: Date, personId?: string): Promise<Set<string>> {
  const to = at.getTime() + SHIFT_LEAD_MS + 1;
  const shifts = personId ? await listShiftsOfPersonBetween(db, personId, at, new Date(to)) : await listShiftsInCenterBetween(db, center.id, at, new Date(to));
  const out = new Set(shifts.filter((s) => s.roomId === roomId && s.centerId === center.id).map((s) => s.personId));
  const day = dayOf(center, at);
  if (!(await hasDayPlan(db, center.id, day))) {
    for (const t of await listShiftTemplatesForWeekday(db, center.id, weekdayOf(day))) {
      if (t.roomId !== roomId || (personId !== undefined && t.personId !== personId)) continue;
      const start = instantOnDay(day, t.start, center.timeZone);
      const end = instantOnDay(day, t.end, center.timeZone);
      if (start < end && start < to && end > at.getTime()) out.add(t.personId);
    }
  }
  return out;
}

/** `HH:mm` (a time field may add `:ss`, dropped). */
const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)(:[0-5]\d)?$/;

/** The time as typed (`HH:mm`) and the instant it names, or the sentence to show beside the field. */
export type Until = Result<{ readonly text: string; readonly endsAt: Date }, string>;

/**
 * A typed until-time read on the center's calendar today: `HH:mm`, after `at`, and
 * before midnight (a time earlier than now is not taken as tomorrow's).
 */
export function readUntil(center: Center, at: Date, text: string): Until {
  const zone = center.timeZone;
  const now = clockTime(at, zone);
  const match = CLOCK.exec(text.trim());
  if (!match) return err('Enter until when as a time, for example 15:30.');
  const clock = `${match[1]}:${match[2]}`;
  const endsAt = instantOfWallClock(dayOf(center, at), clock, zone);
  if (endsAt === null) return err(`${clock} does not exist today (the clocks change): choose another time.`);
  if (endsAt <= at.getTime()) return err(`Choose a time after now (${now}) and before midnight.`);
  return ok({ text: clock, endsAt: new Date(endsAt) });
}

/** What a person said about when they can come in: today's until-time, and their weekly windows. */
export type Availability = { readonly today?: string | undefined; readonly windows: readonly AvailabilityWindow[] };

/**
 * The until-time offered for a person: their "I can come in today until" for today,
 * else the end of their usual weekly availability for the weekday (the window holding
 * now, or the last one still ahead), else the center's closing time; the first of
 * these still after `at`. Undefined when none is (late in the day): then it must be typed.
 */
export function defaultUntil(center: Center, at: Date, availability: Availability): string | undefined {
  const day = dayOf(center, at);
  const now = clockTime(at, center.timeZone);
  const weekday = weekdayOf(day);
  const ofToday = availability.windows.filter((w) => w.weekday === weekday && w.end.slice(0, 5) > now);
  const weekly = ofToday.find((w) => w.start.slice(0, 5) <= now) ?? ofToday.at(-1);
  for (const candidate of [availability.today, weekly?.end, center.closesAt]) {
    if (candidate === undefined) continue;
    const read = readUntil(center, at, candidate);
    if (read.ok) return read.value.text;
  }
  return undefined;
}

/** `defaultUntil` for one person, reading what they said. */
export async function defaultUntilOf(db: Knex, center: Center, personId: string, at: Date): Promise<string | undefined> {
  const [today, windows] = await Promise.all([findAvailabilityToday(db, personId, dayOf(center, at)), listAvailabilityWindows(db, personId)]);
  return defaultUntil(center, at, { today: today?.until, windows });
}

/** `defaultUntil` for many people at once (one query per table), by person id. */
export async function defaultUntilsOf(db: Knex, center: Center, personIds: readonly string[], at: Date): Promise<Map<string, string | undefined>> {
  const { windows, today } = await listAvailabilityOfPeople(db, personIds, dayOf(center, at));
  const out = new Map<string, string | undefined>();
  for (const id of personIds) {
    out.set(id, defaultUntil(center, at, { today: today.find((t) => t.personId === id)?.until, windows: windows.filter((w) => w.personId === id) }));
  }
  return out;
}
