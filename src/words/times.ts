import { DateTime } from 'luxon';
import { instantOfWallClock } from '../domain/wall-clock.js';
import type { Span } from '../domain/matching.js';
import { dateText, rangeText } from './format.js';

/**
 * Cover windows as the center reads them: `HH:mm` on a date in the center's zone,
 * turned into instants through `wall-clock.ts` (a time in a spring-forward gap does
 * not exist; of a repeated fall-back time, the first), and back into words (format.ts).
 */

/** The instant of `HH:mm` on `day` in `zone`, or null when that time does not exist there. */
export function wallTime(day: string, hhmm: string, zone: string): DateTime | null {
  const ms = instantOfWallClock(day, hhmm, zone);
  return ms === null ? null : DateTime.fromMillis(ms, { zone });
}

export const fromIso = (iso: string, zone: string): DateTime => DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone);

export const spanOf = (startsAt: string, endsAt: string, zone: string): Span => ({ start: fromIso(startsAt, zone), end: fromIso(endsAt, zone) });

/** "Mon 2 Mar": the day of a window, "today" and "tomorrow" said as such. */
export function dayWords(day: DateTime, now: DateTime): string {
  if (day.hasSame(now, 'day')) return 'today';
  if (day.hasSame(now.plus({ days: 1 }), 'day')) return 'tomorrow';
  return dateText(day);
}

/** "today 15:00–17:00" / "Tue 3 Mar 15:00–17:00" (the range as format.ts writes it). */
export function windowWords(span: Span, now: DateTime): string {
  return `${dayWords(span.start, now)} ${rangeText(span)}`;
}
