import { DateTime } from 'luxon';
import { parseCivilDate } from '../../domain/calendar.js';
import { dayBounds, instantOfWallClock, isWallClockTime, wallClockRepeats } from '../../domain/wall-clock.js';
import type { FieldErrors } from '../forms.js';
import { dateText } from '../../words/format.js';

/**
 * The two questions a report page is asked, read from its query string: the date
 * range (`from`, `to`: whole days on the center's calendar, both included) and
 * "was room X in ratio at T?" (`room`, `date`, `time` in the center's zone).
 * Each answers its values to put back in the form and a message per bad field.
 */

/** The longest range one report covers: a year, leap day included. */
export const MAX_RANGE_DAYS = 366;
/** The default range: this many days, ending today. */
export const DEFAULT_RANGE_DAYS = 7;

export type ReportRange = {
  /** `YYYY-MM-DD`, both included. */
  readonly from: string;
  readonly to: string;
  readonly days: number;
  /** "7 days", "1 day". */
  readonly daysWords: string;
  /** [start, end): the start of `from` and the start of the day after `to`, in the center's zone. */
  readonly start: Date;
  readonly end: Date;
  /** "1 March 2026 to 7 March 2026" (one date when from = to). */
  readonly words: string;
};

export type RangeAnswer =
  | { readonly ok: true; readonly range: ReportRange; readonly values: { from: string; to: string } }
  | { readonly ok: false; readonly values: { from: string; to: string }; readonly errors: FieldErrors };

/** A query field as typed: trimmed text, '' when absent, and `many` when it was sent more than once. */
function read(v: unknown): { readonly value: string; readonly many: boolean } {
  if (typeof v === 'string') return { value: v.trim(), many: false };
  return { value: '', many: v !== undefined };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A message for a typed date that is not a real one, or null when it is. */
export function dateProblem(value: string): string | null {
  if (!DATE.test(value)) return 'Enter a date as YYYY-MM-DD, for example 2026-03-02.';
  const day = parseCivilDate(value);
  if (!day) return `${value} is not a date on the calendar.`;
  if (day.year < 1900) return 'Enter a date from 1900 on.';
  return null;
}

// A calendar day: the same date in any zone.
const long = (date: string) => dateText(date, 'UTC', { style: 'long' });

/**
 * The range asked for. An empty `to` is today on the center's calendar and an empty
 * `from` the sixth day before `to`: by default the last 7 days, today included.
 */
export function parseRange(query: Record<string, unknown>, now: Date, zone: string): RangeAnswer {
  const today = DateTime.fromJSDate(now, { zone }).toISODate()!;
  const rawFrom = read(query.from);
  const rawTo = read(query.to);
  const errors: FieldErrors = {};

  const to = rawTo.value || today;
  const toProblem = rawTo.many ? 'Enter one end date.' : dateProblem(to);
  if (toProblem) errors.to = toProblem;
  const from = rawFrom.value || DateTime.fromISO(toProblem ? today : to).minus({ days: DEFAULT_RANGE_DAYS - 1 }).toISODate()!;
  const fromProblem = rawFrom.many ? 'Enter one start date.' : dateProblem(from);
  if (fromProblem) errors.from = fromProblem;
  const values = { from, to };

  if (fromProblem || toProblem) return { ok: false, values, errors };
  const days = Math.round(DateTime.fromISO(to, { zone: 'utc' }).diff(DateTime.fromISO(from, { zone: 'utc' }), 'days').days) + 1;
  if (days < 1) return { ok: false, values, errors: { to: 'The end date must be on or after the start date.' } };
  if (days > MAX_RANGE_DAYS) return { ok: false, values, errors: { to: `Choose at most ${MAX_RANGE_DAYS} days: this range has ${days}.` } };
  const start = dayBounds(from, zone)!.start;
  const end = dayBounds(to, zone)!.end;
  return {
    ok: true,
    values,
    range: { from, to, days, daysWords: `${days} ${days === 1 ? 'day' : 'days'}`, start: new Date(start), end: new Date(end), words: from === to ? long(from) : `${long(from)} to ${long(to)}` },
  };
}

export type InstantQuestion =
  | { readonly asked: false; readonly values: QuestionValues }
  | { readonly asked: true; readonly ok: false; readonly values: QuestionValues; readonly errors: FieldErrors }
  | {
      readonly asked: true;
      readonly ok: true;
      readonly values: QuestionValues;
      readonly roomId: string;
      readonly at: Date;
      /** The wall-clock time happened twice that day (clocks set back): `at` is the first time, on the earlier offset. */
      readonly repeated: boolean;
    };

export type QuestionValues = { room: string; date: string; time: string };

/**
 * "Was room X in ratio at T?": a room of the center (`roomIds`), a date and an `HH:mm`
 * time in its zone. A time the clocks skipped (spring forward) is refused with a
 * message; one they repeated (fall back) is its first occurrence, said in the answer.
 * Not asked until one of the three fields is filled in.
 */
export function parseQuestion(query: Record<string, unknown>, roomIds: readonly string[], zone: string): InstantQuestion {
  const room = read(query.room);
  const date = read(query.date);
  const time = read(query.time);
  const values = { room: room.value, date: date.value, time: time.value };
  if (!room.many && !date.many && !time.many && values.room === '' && values.date === '' && values.time === '') return { asked: false, values };
  const errors: FieldErrors = {};
  const roomId = values.room.toLowerCase();
  if (room.many || !roomIds.includes(roomId)) errors.room = 'Choose a room of this center.';
  const dateText = date.many ? 'Enter one date.' : values.date === '' ? 'Enter the date, as YYYY-MM-DD.' : dateProblem(values.date);
  if (dateText) errors.date = dateText;
  if (time.many || !isWallClockTime(values.time)) errors.time = 'Enter a time as HH:mm, for example 10:40.';
  if (Object.keys(errors).length > 0) return { asked: true, ok: false, values, errors };

  const at = instantOfWallClock(values.date, values.time, zone);
  if (at === null) {
    return { asked: true, ok: false, values, errors: { time: `${values.time} does not exist on ${values.date} in ${zone}: the clocks moved forward an hour.` } };
  }
  return { asked: true, ok: true, values, roomId, at: new Date(at), repeated: wallClockRepeats(at, zone) };
}
