import { DateTime } from 'luxon';

/**
 * Calendar dates as plain numbers. Ages are judged on the local date of the
 * instant in the center's zone; the arithmetic below is exact civil-calendar
 * math, kept luxon-free on purpose because the engine runs it for every child
 * of every room (hundreds of thousands of times a second in the forecast).
 */
export interface CivilDate {
  readonly year: number;
  readonly month: number; // 1-12
  readonly day: number; // 1-31
}

function digits(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** Parses `YYYY-MM-DD`; null when it is not a real calendar date (e.g. 2026-02-31). */
export function parseCivilDate(text: string): CivilDate | null {
  if (text.length !== 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return null;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 7);
  const day = digits(text, 8, 10);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

export function formatCivilDate(d: CivilDate): string {
  return `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

let textOf: CivilDate | null = null;
let textValue = '';

/** `formatCivilDate` remembering its last answer: the engine asks it for the same day over and over. */
export function civilDateText(d: CivilDate): string {
  if (d !== textOf) {
    textValue = formatCivilDate(d);
    textOf = d;
  }
  return textValue;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days since 1970-01-01 (proleptic Gregorian), after Howard Hinnant's days_from_civil. */
export function dayNumber(d: CivilDate): number {
  const y = d.month <= 2 ? d.year - 1 : d.year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (d.month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d.day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function fromDayNumber(n: number): CivilDate {
  const z = n + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: era * 400 + yoe + (month <= 2 ? 1 : 0), month, day };
}

export function compareCivil(a: CivilDate, b: CivilDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

/** `d` plus `n` calendar months; a day that does not exist becomes the month's last day (Jan 31 + 1 month = Feb 28/29). */
export function addMonths(d: CivilDate, n: number): CivilDate {
  const index = d.year * 12 + (d.month - 1) + n;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return { year, month, day: Math.min(d.day, daysInMonth(year, month)) };
}

export function addDays(d: CivilDate, n: number): CivilDate {
  return fromDayNumber(dayNumber(d) + n);
}

/**
 * Whole calendar months from `birth` to `on` (negative when `on` is before `birth`):
 * the monthly anniversary falls on the birth day, or the month's last day when shorter.
 */
export function wholeMonthsBetween(birth: CivilDate, on: CivilDate): number {
  const months = (on.year - birth.year) * 12 + (on.month - birth.month);
  const anniversary = Math.min(birth.day, daysInMonth(on.year, on.month));
  return on.day < anniversary ? months - 1 : months;
}

/**
 * `wholeMonthsBetween(parseCivilDate(text), on)` without building the date, or NaN
 * when `text` is not a real date (stored records are not trusted to be).
 */
export function monthsSinceTextOrNaN(text: string, on: CivilDate): number {
  // Unrolled like `ageFromText`: the engine runs it for every training of every person judged.
  const y0 = text.charCodeAt(0) - 48;
  const y1 = text.charCodeAt(1) - 48;
  const y2 = text.charCodeAt(2) - 48;
  const y3 = text.charCodeAt(3) - 48;
  const m0 = text.charCodeAt(5) - 48;
  const m1 = text.charCodeAt(6) - 48;
  const d0 = text.charCodeAt(8) - 48;
  const d1 = text.charCodeAt(9) - 48;
  const year = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
  const month = m0 * 10 + m1;
  const day = d0 * 10 + d1;
  if (
    text.length !== 10 ||
    text.charCodeAt(4) !== 45 ||
    text.charCodeAt(7) !== 45 ||
    y0 >>> 0 > 9 || y1 >>> 0 > 9 || y2 >>> 0 > 9 || y3 >>> 0 > 9 ||
    m0 >>> 0 > 9 || m1 >>> 0 > 9 || d0 >>> 0 > 9 || d1 >>> 0 > 9 ||
    month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)
  ) {
    return NaN;
  }
  const months = (on.year - year) * 12 + (on.month - month);
  return on.day < day && on.day < daysInMonth(on.year, on.month) ? months - 1 : months;
}

/**
 * A child's age on `on` (day number `today`) from a `YYYY-MM-DD` birth date,
 * parsed once, written into `into` (no allocation: the engine runs it for every
 * child of every room). Throws on a bad date (callers validate at the edge).
 */
export function ageFromText(text: string, on: CivilDate, today: number, into: { days: number; months: number }): void {
  // Unrolled: each of the eight digits, then the same checks as `digits` + `parseCivilDate` make (separators unchecked).
  const y0 = text.charCodeAt(0) - 48;
  const y1 = text.charCodeAt(1) - 48;
  const y2 = text.charCodeAt(2) - 48;
  const y3 = text.charCodeAt(3) - 48;
  const m0 = text.charCodeAt(5) - 48;
  const m1 = text.charCodeAt(6) - 48;
  const d0 = text.charCodeAt(8) - 48;
  const d1 = text.charCodeAt(9) - 48;
  const year = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
  const month = m0 * 10 + m1;
  const day = d0 * 10 + d1;
  if (
    text.length !== 10 ||
    y0 >>> 0 > 9 || y1 >>> 0 > 9 || y2 >>> 0 > 9 || y3 >>> 0 > 9 ||
    m0 >>> 0 > 9 || m1 >>> 0 > 9 || d0 >>> 0 > 9 || d1 >>> 0 > 9 ||
    month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)
  ) {
    throw new Error(`not a date: ${text}`);
  }
  const months = (on.year - year) * 12 + (on.month - month);
  into.months = on.day < day && on.day < daysInMonth(on.year, on.month) ? months - 1 : months;
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * ((month + 9) % 12) + 2) / 5) + day - 1;
  into.days = today - (era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468);
}

/** Whole years from `birth` to `on` (a 29 February birthday is reached on 28 February in common years). */
export function wholeYearsBetween(birth: CivilDate, on: CivilDate): number {
  return Math.floor(wholeMonthsBetween(birth, on) / 12);
}

// One-entry memo: callers judge many rooms at the same instant. Pure: same input, same output.
let memoMillis = NaN;
let memoZone = '';
let memoValue: CivilDate = { year: 1970, month: 1, day: 1 };

/** The local calendar date of the instant `at` in `zone`. */
export function localDate(at: DateTime, zone: string): CivilDate {
  const millis = at.toMillis();
  if (millis !== memoMillis || zone !== memoZone) {
    const local = at.zoneName === zone ? at : at.setZone(zone);
    memoValue = { year: local.year, month: local.month, day: local.day };
    memoMillis = millis;
    memoZone = zone;
  }
  return memoValue;
}
