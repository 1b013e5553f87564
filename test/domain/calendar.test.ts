import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import {
  addDays,
  addMonths,
  compareCivil,
  dayNumber,
  daysInMonth,
  formatCivilDate,
  fromDayNumber,
  isLeapYear,
  localDate,
  parseCivilDate,
  wholeMonthsBetween,
  wholeYearsBetween,
  type CivilDate,
} from '../../src/domain/calendar.js';

/** `YYYY-MM-DD` → CivilDate; the test fails loudly on a typo. */
function d(text: string): CivilDate {
  const parsed = parseCivilDate(text);
  if (!parsed) throw new Error(`bad test date ${text}`);
  return parsed;
}

describe('parseCivilDate', () => {
  it('reads a real calendar date', () => {
    expect(parseCivilDate('2026-03-02')).toEqual({ year: 2026, month: 3, day: 2 });
  });

  it('accepts 29 February only in a leap year', () => {
    expect(parseCivilDate('2024-02-29')).toEqual({ year: 2024, month: 2, day: 29 });
    expect(parseCivilDate('2026-02-29')).toBeNull();
    expect(parseCivilDate('1900-02-29')).toBeNull();
    expect(parseCivilDate('2000-02-29')).toEqual({ year: 2000, month: 2, day: 29 });
  });

  it('rejects days and months that do not exist and loose formats', () => {
    for (const text of ['2026-02-31', '2026-04-31', '2026-13-01', '2026-00-10', '2026-01-00', '2026-2-3', '02/03/2026', '']) {
      expect(parseCivilDate(text), text).toBeNull();
    }
  });

  it('formats back to the same text, zero-padded', () => {
    expect(formatCivilDate({ year: 2026, month: 3, day: 2 })).toBe('2026-03-02');
    expect(formatCivilDate(d('0999-01-05'))).toBe('0999-01-05');
  });
});

describe('isLeapYear and daysInMonth', () => {
  it('follows the Gregorian leap-year rule (every 4th year, not centuries, but every 400th)', () => {
    expect(isLeapYear(2024)).toBe(true);
    expect(isLeapYear(2026)).toBe(false);
    expect(isLeapYear(1900)).toBe(false);
    expect(isLeapYear(2000)).toBe(true);
    expect(isLeapYear(2100)).toBe(false);
  });

  it('gives February 29 days in a leap year and 28 otherwise', () => {
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2026, 2)).toBe(28);
    expect(daysInMonth(2100, 2)).toBe(28);
  });

  it('gives 30 days to April, June, September and November and 31 to the rest', () => {
    expect([1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((m) => daysInMonth(2026, m))).toEqual([31, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]);
  });
});

describe('addMonths', () => {
  it('clamps 31 January plus one month to the last day of February (28 in a common year)', () => {
    expect(addMonths(d('2026-01-31'), 1)).toEqual(d('2026-02-28'));
  });

  it('clamps 31 January plus one month to 29 February in a leap year', () => {
    expect(addMonths(d('2024-01-31'), 1)).toEqual(d('2024-02-29'));
  });

  it('clamps to 30 days in a 30-day month', () => {
    expect(addMonths(d('2026-05-31'), 1)).toEqual(d('2026-06-30'));
    expect(addMonths(d('2026-08-31'), 1)).toEqual(d('2026-09-30'));
  });

  it('counts each step from the original day, so clamping does not stick (31 Jan + 2 months = 31 Mar)', () => {
    expect(addMonths(d('2026-01-31'), 2)).toEqual(d('2026-03-31'));
    expect(addMonths(addMonths(d('2026-01-31'), 1), 1)).toEqual(d('2026-03-28'));
  });

  it('rolls over the year forwards and backwards', () => {
    expect(addMonths(d('2025-12-15'), 1)).toEqual(d('2026-01-15'));
    expect(addMonths(d('2026-01-15'), -1)).toEqual(d('2025-12-15'));
    expect(addMonths(d('2025-03-15'), 16)).toEqual(d('2026-07-15'));
    expect(addMonths(d('2026-03-02'), -20)).toEqual(d('2024-07-02'));
  });

  it('clamps when going backwards too (31 March − 1 month = 28 February)', () => {
    expect(addMonths(d('2026-03-31'), -1)).toEqual(d('2026-02-28'));
  });

  it('takes a 29 February birth to 28 February in common years and back to 29 in leap years', () => {
    expect(addMonths(d('2024-02-29'), 12)).toEqual(d('2025-02-28'));
    expect(addMonths(d('2024-02-29'), 48)).toEqual(d('2028-02-29'));
  });

  it('returns the same date for zero months', () => {
    expect(addMonths(d('2026-03-02'), 0)).toEqual(d('2026-03-02'));
  });
});

describe('dayNumber and fromDayNumber', () => {
  it('numbers 1970-01-01 as day 0 and counts days before it as negative', () => {
    expect(dayNumber(d('1970-01-01'))).toBe(0);
    expect(dayNumber(d('1970-01-02'))).toBe(1);
    expect(dayNumber(d('1969-12-31'))).toBe(-1);
  });

  it('counts the days of 56 years with 14 leap days to reach 2026-01-01', () => {
    // 1970..2025: 56 years; leap years 1972, 1976, ..., 2024 = 14 → 56 × 365 + 14 = 20454.
    expect(dayNumber(d('2026-01-01'))).toBe(20454);
    // + 31 (January) + 28 (February) + 1 = 20514.
    expect(dayNumber(d('2026-03-02'))).toBe(20514);
  });

  it('counts 2000 as a leap year: 2000-03-01 is day 10957 + 31 + 29 = 11017', () => {
    expect(dayNumber(d('2000-01-01'))).toBe(10957);
    expect(dayNumber(d('2000-03-01'))).toBe(11017);
  });

  it('round-trips every day from 1599 to 2101, leap days and century years included', () => {
    const start = dayNumber(d('1599-12-25'));
    const end = dayNumber(d('2101-01-05'));
    let previous: CivilDate | null = null;
    for (let n = start; n <= end; n++) {
      const date = fromDayNumber(n);
      expect(dayNumber(date)).toBe(n);
      if (previous) expect(compareCivil(previous, date)).toBeLessThan(0);
      previous = date;
    }
  });

  it('round-trips named leap days and month ends', () => {
    for (const text of ['1600-02-29', '1900-02-28', '1900-03-01', '2000-02-29', '2024-02-29', '2024-12-31', '2026-03-08', '2026-11-01', '1969-12-31']) {
      expect(formatCivilDate(fromDayNumber(dayNumber(d(text))))).toBe(text);
    }
  });

  it('puts 1900-03-01 right after 1900-02-28 (no 29 February in 1900)', () => {
    expect(dayNumber(d('1900-03-01')) - dayNumber(d('1900-02-28'))).toBe(1);
  });
});

describe('addDays', () => {
  it('steps over 29 February in a leap year and straight to 1 March otherwise', () => {
    expect(addDays(d('2024-02-28'), 1)).toEqual(d('2024-02-29'));
    expect(addDays(d('2024-02-28'), 2)).toEqual(d('2024-03-01'));
    expect(addDays(d('2026-02-28'), 1)).toEqual(d('2026-03-01'));
  });

  it('crosses the year end and goes backwards', () => {
    expect(addDays(d('2026-12-31'), 1)).toEqual(d('2027-01-01'));
    expect(addDays(d('2026-03-02'), -42)).toEqual(d('2026-01-19'));
  });

  it('makes 6 weeks after 2026-01-01 fall on 2026-02-12', () => {
    expect(addDays(d('2026-01-01'), 42)).toEqual(d('2026-02-12'));
  });
});

describe('wholeMonthsBetween', () => {
  it('is one short the day before a monthly anniversary and reaches it on the day', () => {
    expect(wholeMonthsBetween(d('2025-03-15'), d('2026-07-14'))).toBe(15);
    expect(wholeMonthsBetween(d('2025-03-15'), d('2026-07-15'))).toBe(16);
  });

  it('reaches a month-end anniversary on the clamped last day of a short month', () => {
    // Born 31 October 2024: 16 months on 2026-02-31 → clamped to 2026-02-28.
    expect(wholeMonthsBetween(d('2024-10-31'), d('2026-02-27'))).toBe(15);
    expect(wholeMonthsBetween(d('2024-10-31'), d('2026-02-28'))).toBe(16);
  });

  it('reaches one month from 31 January on 29 February in a leap year, not on the 28th', () => {
    expect(wholeMonthsBetween(d('2024-01-31'), d('2024-02-28'))).toBe(0);
    expect(wholeMonthsBetween(d('2024-01-31'), d('2024-02-29'))).toBe(1);
  });

  it('is zero on the birth date and the day before the first anniversary', () => {
    expect(wholeMonthsBetween(d('2026-01-10'), d('2026-01-10'))).toBe(0);
    expect(wholeMonthsBetween(d('2026-01-10'), d('2026-02-09'))).toBe(0);
    expect(wholeMonthsBetween(d('2026-01-10'), d('2026-02-10'))).toBe(1);
  });

  it('is negative when the date judged is before the birth', () => {
    expect(wholeMonthsBetween(d('2026-03-15'), d('2026-03-01'))).toBeLessThan(0);
  });
});

describe('wholeYearsBetween', () => {
  it('turns 13 on the 13th birthday and not the day before', () => {
    expect(wholeYearsBetween(d('2013-03-02'), d('2026-03-01'))).toBe(12);
    expect(wholeYearsBetween(d('2013-03-02'), d('2026-03-02'))).toBe(13);
  });

  it('reaches a 29 February birthday on 28 February in a common year', () => {
    expect(wholeYearsBetween(d('2012-02-29'), d('2025-02-27'))).toBe(12);
    expect(wholeYearsBetween(d('2012-02-29'), d('2025-02-28'))).toBe(13);
  });

  it('turns 18 on the 18th birthday', () => {
    expect(wholeYearsBetween(d('2008-03-03'), d('2026-03-02'))).toBe(17);
    expect(wholeYearsBetween(d('2008-03-02'), d('2026-03-02'))).toBe(18);
  });
});

describe('localDate', () => {
  it('gives the Chicago date, not the UTC date, for an instant shortly after UTC midnight', () => {
    const at = DateTime.fromISO('2026-07-15T03:00:00Z', { setZone: true });
    expect(localDate(at, 'America/Chicago')).toEqual(d('2026-07-14'));
    expect(localDate(at, 'UTC')).toEqual(d('2026-07-15'));
  });

  it('gives the right date on both sides of a spring-forward night', () => {
    expect(localDate(DateTime.fromISO('2026-03-08T05:59:00Z'), 'America/Chicago')).toEqual(d('2026-03-07'));
    expect(localDate(DateTime.fromISO('2026-03-08T06:00:00Z'), 'America/Chicago')).toEqual(d('2026-03-08'));
    // 23:59 CDT on 8 March is 04:59 UTC on 9 March.
    expect(localDate(DateTime.fromISO('2026-03-09T04:59:00Z'), 'America/Chicago')).toEqual(d('2026-03-08'));
  });

  it('gives the right date on both sides of a fall-back night, and through the repeated hour', () => {
    expect(localDate(DateTime.fromISO('2026-11-01T04:59:00Z'), 'America/Chicago')).toEqual(d('2026-10-31'));
    expect(localDate(DateTime.fromISO('2026-11-01T06:30:00Z'), 'America/Chicago')).toEqual(d('2026-11-01')); // 01:30 CDT
    expect(localDate(DateTime.fromISO('2026-11-01T07:30:00Z'), 'America/Chicago')).toEqual(d('2026-11-01')); // 01:30 CST
    expect(localDate(DateTime.fromISO('2026-11-02T05:59:00Z'), 'America/Chicago')).toEqual(d('2026-11-01')); // 23:59 CST
    expect(localDate(DateTime.fromISO('2026-11-02T06:00:00Z'), 'America/Chicago')).toEqual(d('2026-11-02'));
  });

  it('does not confuse two zones judged one after the other at the same instant', () => {
    const at = DateTime.fromISO('2026-07-15T03:00:00Z');
    expect(localDate(at, 'America/Chicago')).toEqual(d('2026-07-14'));
    expect(localDate(at, 'Europe/Berlin')).toEqual(d('2026-07-15'));
    expect(localDate(at, 'America/Chicago')).toEqual(d('2026-07-14'));
  });
});
