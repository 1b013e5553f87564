import { DateTime } from 'luxon';
import { instantOfWallClock } from '../domain/wall-clock.js';
import type { Span } from '../domain/matching.js';

/**
 * Cover windows as the center reads them: `HH:mm` on a date in the center's zone,
 * turned into instants through `wall-clock.ts` (a time in a spring-forward gap does
 * not exist; of a repeated fall-back time, the first), and back into words.
 */

/** The instant of `HH:mm` on `day` in `zone`, or null when that time does not exist there. */
export function wallTime(day: string, hhmm: string, zone: string): DateTime | null {
  const ms = instantOfWallClock(day, hhmm, zone);
  return ms === null ? null : DateTime.fromMillis(ms, { zone });
}

export const fromIso = (iso: string, zone: string): DateTime => DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone);

export const spanOf = (startsAt: string, endsAt: string, zone: string): Span => ({ start: fromIso(startsAt, zone), end: fromIso(endsAt, zone) });

export const clock = (t: DateTime): string => t.toFormat('HH:mm');

/** "15:00–17:00", with the end's date when it falls on another day. */
export function spanWords(span: Span): string {
  const sameDay = span.start.hasSame(span.end, 'day') || (span.end.equals(span.end.startOf('day')) && span.end.minus({ days: 1 }).hasSame(span.start, 'day'));
  const end = span.end.equals(span.end.startOf('day')) && sameDay ? '24:00' : sameDay ? clock(span.end) : span.end.toFormat('ccc d LLL HH:mm');
  return `${clock(span.start)}–${end}`;
}

/** "Mon 2 Mar": the day of a window, "today" and "tomorrow" said as such. */
export function dayWords(day: DateTime, now: DateTime): string {
  if (day.hasSame(now, 'day')) return 'today';
  if (day.hasSame(now.plus({ days: 1 }), 'day')) return 'tomorrow';
  return day.toFormat('ccc d LLL');
}

/** "today 15:00–17:00" / "Tue 3 Mar 15:00–17:00". */
export function windowWords(span: Span, now: DateTime): string {
  return `${dayWords(span.start, now)} ${spanWords(span)}`;
}
