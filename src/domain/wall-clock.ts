import { DateTime, IANAZone } from 'luxon';
import { addDays, parseCivilDate, type CivilDate } from './calendar.js';

/**
 * Wall-clock times (`HH:mm` on a calendar date in a zone) and instants (epoch
 * milliseconds), both ways, correct across DST changes:
 * - spring forward: a time in the gap (02:30 on 2026-03-08 in Chicago) does not
 *   exist; `instantOfWallClock` answers null and the caller says so;
 * - fall back: a time in the repeated hour (01:30 on 2026-11-01 in Chicago) is
 *   ambiguous; the first occurrence (still on daylight time) is taken.
 * Luxon alone would move a gap time forward and take the second occurrence of a
 * repeated one, hence the offsets are tried by hand.
 */

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** `HH:mm` from 00:00 to 23:59. */
export function isWallClockTime(text: string): boolean {
  return HH_MM.test(text);
}

export function isKnownZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/**
 * The instant of `time` (`HH:mm`) on `date` (`YYYY-MM-DD`) in `zone`, or null when
 * that wall-clock time does not exist there (a spring-forward gap), or when the
 * date or the time is malformed. Of two occurrences (fall back) the first is taken.
 */
export function instantOfWallClock(date: string, time: string, zone: string): number | null {
  const day = parseCivilDate(date);
  const match = HH_MM.exec(time);
  if (!day || !match) return null;
  return instantOf(day, Number(match[1]), Number(match[2]), zone);
}

function instantOf(day: CivilDate, hour: number, minute: number, zone: string): number | null {
  const iana = IANAZone.create(zone);
  const asUtc = Date.UTC(day.year, day.month - 1, day.day, hour, minute);
  // The offsets in force around that day; a DST change lies between them, if any.
  const offsets = new Set([iana.offset(asUtc - 86_400_000), iana.offset(asUtc), iana.offset(asUtc + 86_400_000)]);
  let best: number | null = null;
  for (const offset of offsets) {
    const at = asUtc - offset * 60_000;
    if (iana.offset(at) !== offset) continue; // that offset is not in force at that instant
    if (best === null || at < best) best = at;
  }
  return best;
}

/**
 * Whether the wall-clock time of `at` in `zone` comes round again an hour later:
 * `at` is the first of two occurrences (the clocks went back, 01:30 on 2026-11-01
 * in Chicago), and an answer about it should say which it took.
 */
export function wallClockRepeats(at: number, zone: string): boolean {
  const iana = IANAZone.create(zone);
  const later = at + 3_600_000;
  // Local time is the instant plus its offset: an hour later reads the same if the offset fell by an hour.
  return later + iana.offset(later) * 60_000 === at + iana.offset(at) * 60_000;
}

/** The instants of the start of `date` and of the next date in `zone` (midnight, or the first instant of the day). */
export function dayBounds(date: string, zone: string): { readonly start: number; readonly end: number } | null {
  // Asked once per room of a network, always for the same few days: kept (bounded, pure).
  const key = `${date}|${zone}`;
  let bounds = bounds_.get(key);
  if (bounds === undefined) {
    const day = parseCivilDate(date);
    bounds = day ? { start: startOfDay(day, zone), end: startOfDay(addDays(day, 1), zone) } : null;
    if (bounds_.size >= 10_000) bounds_.clear();
    bounds_.set(key, bounds);
  }
  return bounds;
}

const bounds_ = new Map<string, { readonly start: number; readonly end: number } | null>();

function startOfDay(day: CivilDate, zone: string): number {
  return DateTime.fromObject({ year: day.year, month: day.month, day: day.day }, { zone }).startOf('day').toMillis();
}

/**
 * `HH:mm` of the instant `at` in `zone` as read on `date`: "24:00" for the start of the
 * next day (a window ending at midnight), the full local date-time for any other
 * instant off that date.
 */
export function wallClockOf(at: number, date: string, zone: string): string {
  // Asked for every time a card or a forecast line writes (shift starts and ends, the same few hundred a
  // day), and each answer costs luxon a zone lookup: kept (bounded, pure), as dayBounds is.
  const key = `${at}|${date}|${zone}`;
  let text = wallClocks.get(key);
  if (text === undefined) {
    text = wallClockOfUncached(at, date, zone);
    if (wallClocks.size >= 10_000) wallClocks.clear();
    wallClocks.set(key, text);
  }
  return text;
}

const wallClocks = new Map<string, string>();

function wallClockOfUncached(at: number, date: string, zone: string): string {
  const local = DateTime.fromMillis(at, { zone });
  const day = parseCivilDate(date);
  if (day && local.year === day.year && local.month === day.month && local.day === day.day) return local.toFormat('HH:mm');
  const bounds = dayBounds(date, zone);
  if (bounds && at === bounds.end) return '24:00';
  return local.toFormat("yyyy-MM-dd'T'HH:mm");
}

/** The instants of the starts of local days strictly inside (from, to) in `zone`. */
export function midnightsBetween(from: number, to: number, zone: string): number[] {
  const out: number[] = [];
  let day = DateTime.fromMillis(from, { zone }).startOf('day');
  for (;;) {
    day = day.plus({ days: 1 }).startOf('day');
    const at = day.toMillis();
    if (at >= to) return out;
    if (at > from) out.push(at);
  }
}
