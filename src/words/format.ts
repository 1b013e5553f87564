import { DateTime } from 'luxon';
import type { Span } from '../domain/matching.js';
import { wallClockOf } from '../domain/wall-clock.js';

/**
 * How a time, a date and a range of time are written, on every page, notice, JSON
 * answer and CLI: one function per kind. Times are written in the center's zone.
 *
 * An instant comes as a luxon DateTime, a Date, epoch ms or an ISO string as stored
 * (UTC). A DateTime is written in its own zone unless a zone is given.
 */

export type Instant = DateTime | Date | number | string;

/** A calendar day, `YYYY-MM-DD`: written as that day wherever it is read. */
const CIVIL_DAY = /^\d{4}-\d{2}-\d{2}$/;

function inZone(at: Instant, zone: string | undefined): DateTime {
  if (at instanceof DateTime) return zone === undefined ? at : at.setZone(zone);
  if (typeof at === 'number') return DateTime.fromMillis(at, { zone });
  if (at instanceof Date) return DateTime.fromJSDate(at, { zone });
  if (CIVIL_DAY.test(at)) return DateTime.fromISO(at, { zone });
  // Stored instants are UTC: read as such, never in the server's own zone.
  return DateTime.fromISO(at, { zone: 'utc' }).setZone(zone);
}

export type ClockOptions = {
  /**
   * Read on this day (`YYYY-MM-DD`), as a plan's times are: "24:00" for the midnight
   * that ends it (a window running to the end of the day), and the local date and time
   * ("2026-03-03T06:30") for an instant off it (domain/wall-clock.ts, `wallClockOf`).
   */
  readonly on?: string;
  /** With the zone's short name: "06:45 CST" (a time that happened twice, a report). */
  readonly zoneName?: boolean;
};

/**
 * A clock time, `HH:mm`: "06:45". Without `on`, a midnight is "00:00".
 * @example clockTime('2026-03-02T12:45:00.000Z', 'America/Chicago') // "06:45"
 * @example clockTime(endOfDay, 'America/Chicago', { on: '2026-03-02' }) // "24:00"
 */
export function clockTime(at: DateTime, zone?: string, opts?: ClockOptions): string;
export function clockTime(at: Instant, zone: string, opts?: ClockOptions): string;
export function clockTime(at: Instant, zone?: string, opts: ClockOptions = {}): string {
  // Every card and forecast line writes times (a plan's, a presence's start): the commonest ones skip luxon's DateTime.
  if (zone !== undefined && (typeof at === 'number' || typeof at === 'string') && !(typeof at === 'string' && CIVIL_DAY.test(at))) {
    if (opts.on !== undefined && typeof at === 'number') return wallClockOf(at, opts.on, zone);
    if (opts.on === undefined && !opts.zoneName) return keptClock(at, zone);
  }
  const t = inZone(at, zone);
  if (opts.on !== undefined) return wallClockOf(t.toMillis(), opts.on, zone ?? t.zoneName ?? 'UTC');
  return t.toFormat(opts.zoneName ? 'HH:mm ZZZZ' : 'HH:mm');
}

/** `HH:mm` of an instant (epoch ms, or as stored) in a zone: kept (bounded, pure), the same presences' starts being written on every card. */
const clocks = new Map<string, string>();
function keptClock(at: number | string, zone: string): string {
  const key = `${at}|${zone}`;
  let text = clocks.get(key);
  if (text === undefined) {
    text = inZone(at, zone).toFormat('HH:mm');
    if (clocks.size >= 10_000) clocks.clear();
    clocks.set(key, text);
  }
  return text;
}

export type DateOptions = {
  /**
   * `short` (the default) "Mon 2 Mar"; `full` "Monday 2 March 2026"; `long` "2 March 2026";
   * `iso` "2026-03-02" (CSV files).
   */
  readonly style?: 'short' | 'full' | 'long' | 'iso';
  /** A short date with its year: "Mon 2 Mar 2026". */
  readonly year?: boolean;
  /**
   * Followed by the clock time: "Mon 2 Mar, 06:45" (`zoneName` as for clockTime: "Mon 2 Mar, 06:45 CST");
   * an `iso` date with a space: "2026-03-02 06:45 CST".
   */
  readonly time?: boolean;
  readonly zoneName?: boolean;
};

const DATE_FORMATS = { short: 'ccc d LLL', full: 'cccc d LLLL yyyy', long: 'd LLLL yyyy', iso: 'yyyy-MM-dd' } as const;

/**
 * A date: "Mon 2 Mar". A `YYYY-MM-DD` string is that calendar day; any other
 * instant is written as the day it falls on in the zone.
 * @example dateText('2026-03-02', 'America/Chicago', { style: 'full' }) // "Monday 2 March 2026"
 * @example dateText(createdAt, 'America/Chicago', { year: true, time: true }) // "Mon 2 Mar 2026, 06:45"
 */
export function dateText(at: DateTime, zone?: string, opts?: DateOptions): string;
export function dateText(at: Instant, zone: string, opts?: DateOptions): string;
export function dateText(at: Instant, zone?: string, opts: DateOptions = {}): string {
  const t = inZone(at, zone);
  const style = opts.style ?? 'short';
  const date = t.toFormat(style === 'short' && opts.year ? `${DATE_FORMATS.short} yyyy` : DATE_FORMATS[style]);
  if (!opts.time) return date;
  return `${date}${style === 'iso' ? ' ' : ', '}${clockTime(t, undefined, { zoneName: opts.zoneName })}`;
}

/**
 * A range of time, its ends joined by an en dash:
 * - two ends already written (times of a template, a form, a stamp): "09:00–17:00";
 * - a span (cover windows and their parts, in their zone): "15:00–17:00", the end read
 *   on the start's day ("22:00–24:00"), and with its day when it falls on a later one
 *   ("22:00–Tue 3 Mar 06:00");
 * - two instants in `zone`, each end as clockTime writes it, `on` a day as it does
 *   ("09:00–24:00"; without `on`, "18:00–00:00").
 */
export function rangeText(start: string, end: string): string;
export function rangeText(span: Span): string;
export function rangeText(start: Instant, end: Instant, zone: string, opts?: Pick<ClockOptions, 'on'>): string;
export function rangeText(start: Instant | Span, end?: Instant, zone?: string, opts: Pick<ClockOptions, 'on'> = {}): string {
  if (zone !== undefined) return `${clockTime(start as Instant, zone, opts)}–${clockTime(end!, zone, opts)}`;
  if (typeof start === 'string' && typeof end === 'string') return `${start}–${end}`;
  const span = start as Span;
  const midnight = span.end.equals(span.end.startOf('day'));
  const sameDay = span.start.hasSame(span.end, 'day') || (midnight && span.end.minus({ days: 1 }).hasSame(span.start, 'day'));
  const endText = midnight && sameDay ? '24:00' : sameDay ? clockTime(span.end) : `${dateText(span.end)} ${clockTime(span.end)}`;
  return `${clockTime(span.start)}–${endText}`;
}
