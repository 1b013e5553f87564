import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { ageOn, dateReaching, hasReached, placeInBand } from '../../src/domain/age.js';
import { localDate, parseCivilDate, type CivilDate } from '../../src/domain/calendar.js';
import { MN } from '../../src/domain/rules/mn.js';

function d(text: string): CivilDate {
  const parsed = parseCivilDate(text);
  if (!parsed) throw new Error(`bad test date ${text}`);
  return parsed;
}

const CHICAGO = 'America/Chicago';

interface Placed {
  category: string;
  belowMinimum: boolean;
  aboveMaximum: boolean;
}

/** Minnesota category of a child born on `birth`, judged on the local date `on`. */
function categoryOn(birth: string, on: string | CivilDate, attendsSchool = false): Placed {
  const p = placeInBand(MN, ageOn(d(birth), typeof on === 'string' ? d(on) : on), attendsSchool);
  return { category: MN.bands[p.bandIndex]!.id, belowMinimum: p.belowMinimum, aboveMaximum: p.aboveMaximum };
}

/** Minnesota category at an instant, judged on its date in the center's zone (America/Chicago). */
function categoryAt(birth: string, iso: string, attendsSchool = false): Placed {
  return categoryOn(birth, localDate(DateTime.fromISO(iso, { setZone: true }), CHICAGO), attendsSchool);
}

describe('MN pack age bands', () => {
  it('has the four categories of Minn. R. 9503.0005 subp. 2 in order, youngest first', () => {
    expect(MN.bands.map((b) => b.id)).toEqual(['infant', 'toddler', 'preschooler', 'school_age']);
    expect(MN.timeZone).toBe(CHICAGO);
  });
});

describe('ageOn', () => {
  it('counts whole days and whole calendar months on the local date', () => {
    // 2025-03-15 → 2026-07-14: 365 + 121 days (15 Mar 2026 → 14 Jul 2026) = 486; 15 whole months.
    expect(ageOn(d('2025-03-15'), d('2026-07-14'))).toEqual({ days: 486, months: 15 });
    expect(ageOn(d('2025-03-15'), d('2026-07-15'))).toEqual({ days: 487, months: 16 });
  });
});

describe('dateReaching and hasReached', () => {
  it('reaches 6 weeks 42 days after birth', () => {
    expect(dateReaching(d('2026-01-01'), { weeks: 6 })).toEqual(d('2026-02-12'));
  });

  it('reaches N months on the same day of the month, clamped to the month end', () => {
    expect(dateReaching(d('2025-03-15'), { months: 16 })).toEqual(d('2026-07-15'));
    expect(dateReaching(d('2024-10-31'), { months: 16 })).toEqual(d('2026-02-28'));
  });

  it('counts the anniversary day itself as reached', () => {
    expect(hasReached(ageOn(d('2025-03-15'), d('2026-07-14')), { months: 16 })).toBe(false);
    expect(hasReached(ageOn(d('2025-03-15'), d('2026-07-15')), { months: 16 })).toBe(true);
    expect(hasReached(ageOn(d('2026-01-01'), d('2026-02-11')), { weeks: 6 })).toBe(false);
    expect(hasReached(ageOn(d('2026-01-01'), d('2026-02-12')), { weeks: 6 })).toBe(true);
  });
});

describe('placeInBand (Minnesota)', () => {
  describe('6 weeks: minimum age served (9503.0005 subp. 2 A)', () => {
    it('flags a child of 41 days as below the minimum age and places them with the infants', () => {
      // Born 2026-01-01: 41 days on 2026-02-11.
      expect(categoryOn('2026-01-01', '2026-02-11')).toEqual({ category: 'infant', belowMinimum: true, aboveMaximum: false });
    });

    it('places a child of exactly 42 days as an infant, no longer below the minimum', () => {
      expect(categoryOn('2026-01-01', '2026-02-12')).toEqual({ category: 'infant', belowMinimum: false, aboveMaximum: false });
    });

    it('flags a 5-week-old (35 days) as below the minimum age', () => {
      expect(categoryOn('2026-01-26', '2026-03-02').belowMinimum).toBe(true);
    });

    it('flags a newborn on the day of birth as below the minimum age', () => {
      expect(categoryOn('2026-03-02', '2026-03-02').belowMinimum).toBe(true);
    });
  });

  describe('16 months: infant → toddler (9503.0005 subp. 2 A–B)', () => {
    it('keeps a child born 2025-03-15 an infant on 2026-07-14', () => {
      expect(categoryOn('2025-03-15', '2026-07-14').category).toBe('infant');
    });

    it('makes a child born 2025-03-15 a toddler on 2026-07-15', () => {
      expect(categoryOn('2025-03-15', '2026-07-15').category).toBe('toddler');
    });

    it('makes a child born 31 October a toddler on the last day of February 16 months later', () => {
      expect(categoryOn('2024-10-31', '2026-02-27').category).toBe('infant');
      expect(categoryOn('2024-10-31', '2026-02-28').category).toBe('toddler');
    });
  });

  describe('33 months: toddler → preschooler (9503.0005 subp. 2 B–C)', () => {
    it('keeps a child born 2023-06-10 a toddler on 2026-03-09', () => {
      expect(categoryOn('2023-06-10', '2026-03-09').category).toBe('toddler');
    });

    it('makes a child born 2023-06-10 a preschooler on 2026-03-10', () => {
      expect(categoryOn('2023-06-10', '2026-03-10').category).toBe('preschooler');
    });

    it('makes a child born 31 May a preschooler on 28 February 33 months later (month-end clamp)', () => {
      expect(categoryOn('2023-05-31', '2026-02-27').category).toBe('toddler');
      expect(categoryOn('2023-05-31', '2026-02-28').category).toBe('preschooler');
    });
  });

  describe('13 years: end of school age (9503.0005 subp. 6; Laws 1995 ch. 158)', () => {
    it('keeps a kindergarten-attending child school-age the day before the 13th birthday', () => {
      expect(categoryOn('2013-03-02', '2026-03-01', true)).toEqual({ category: 'school_age', belowMinimum: false, aboveMaximum: false });
    });

    it('flags a child as over the maximum age on the 13th birthday', () => {
      const placed = categoryOn('2013-03-02', '2026-03-02', true);
      expect(placed.aboveMaximum).toBe(true);
      expect(placed.category).toBe('school_age');
    });

    it('reaches 13 for a 29 February birth on 28 February of a common year', () => {
      expect(categoryOn('2012-02-29', '2025-02-27', true).aboveMaximum).toBe(false);
      expect(categoryOn('2012-02-29', '2025-02-28', true).aboveMaximum).toBe(true);
    });
  });

  describe('kindergarten attendance (9503.0005 subp. 2 C–D; open question Q1)', () => {
    it('makes a child who has attended kindergarten school-age', () => {
      // Born 2020-08-01: 5 years 7 months on 2026-03-02.
      expect(categoryOn('2020-08-01', '2026-03-02', true).category).toBe('school_age');
    });

    it('keeps a kindergarten-eligible child who has not attended kindergarten a preschooler (Q1 default)', () => {
      // Born 2020-08-01: 5 on 1 September 2025, so eligible, but has not attended.
      expect(categoryOn('2020-08-01', '2026-03-02', false).category).toBe('preschooler');
    });

    it('keeps a 12-year-old who never attended kindergarten out of the toddler and infant bands', () => {
      expect(categoryOn('2014-01-01', '2026-03-02', false).category).toBe('preschooler');
    });

    it('makes a child admitted early to kindergarten school-age from the first day attended', () => {
      // Born 2021-10-15: 4 years 4 months on 2026-03-02, admitted early under a district policy (124D.02).
      expect(categoryOn('2021-10-15', '2026-03-02', true).category).toBe('school_age');
      expect(categoryOn('2021-10-15', '2026-03-02', false).category).toBe('preschooler');
    });
  });

  describe('the date judged is the local date in America/Chicago (MN.md example 16)', () => {
    it('keeps a child born 2025-03-15 an infant at 2026-07-15T03:00Z, still 14 July in Chicago', () => {
      expect(categoryAt('2025-03-15', '2026-07-15T03:00:00Z').category).toBe('infant');
    });

    it('makes the same child a toddler at 2026-07-15T12:00-05:00', () => {
      expect(categoryAt('2025-03-15', '2026-07-15T12:00:00-05:00').category).toBe('toddler');
    });

    it('makes the child a toddler from local midnight of 15 July (05:00 UTC) and not a minute before', () => {
      expect(categoryAt('2025-03-15', '2026-07-15T04:59:00Z').category).toBe('infant');
      expect(categoryAt('2025-03-15', '2026-07-15T05:00:00Z').category).toBe('toddler');
    });

    it('reads an instant given in another offset by its Chicago date', () => {
      // 2026-07-15T07:30+09:00 is 2026-07-14T22:30Z = 17:30 CDT on 14 July.
      expect(categoryAt('2025-03-15', '2026-07-15T07:30:00+09:00').category).toBe('infant');
    });
  });

  describe('daylight saving changes in America/Chicago', () => {
    it('reaches 16 months on the spring-forward day (2026-03-08) by the local date', () => {
      // Born 2024-11-08: 16 months on 2026-03-08.
      expect(categoryAt('2024-11-08', '2026-03-07T23:30:00-06:00').category).toBe('infant');
      expect(categoryAt('2024-11-08', '2026-03-08T00:30:00-06:00').category).toBe('toddler');
      expect(categoryAt('2024-11-08', '2026-03-08T03:30:00-05:00').category).toBe('toddler');
      expect(categoryAt('2024-11-08', '2026-03-08T23:59:00-05:00').category).toBe('toddler');
    });

    it('counts 42 days from a birth on the spring-forward day by calendar dates, not by 24-hour spans', () => {
      // Born 2026-03-08 (a 23-hour day): 42 days on 2026-04-19. At 00:30 CDT that day only
      // 41 days 23.5 hours have elapsed, but the child is 6 weeks old on the local date.
      expect(categoryAt('2026-03-08', '2026-04-18T23:30:00-05:00').belowMinimum).toBe(true);
      expect(categoryAt('2026-03-08', '2026-04-19T00:30:00-05:00').belowMinimum).toBe(false);
    });

    it('reaches 16 months on the fall-back day (2026-11-01) by the local date, through the repeated hour', () => {
      // Born 2025-07-01: 16 months on 2026-11-01.
      expect(categoryAt('2025-07-01', '2026-10-31T23:59:00-05:00').category).toBe('infant');
      expect(categoryAt('2025-07-01', '2026-11-01T00:00:00-05:00').category).toBe('toddler');
      expect(categoryAt('2025-07-01', '2026-11-01T01:30:00-05:00').category).toBe('toddler');
      expect(categoryAt('2025-07-01', '2026-11-01T01:30:00-06:00').category).toBe('toddler');
      expect(categoryAt('2025-07-01', '2026-11-01T23:59:00-06:00').category).toBe('toddler');
    });

    it('counts 42 days from a birth on the fall-back day by calendar dates, not by 24-hour spans', () => {
      // Born 2026-11-01 (a 25-hour day): 42 days on 2026-12-13. At 23:30 on 12 December,
      // 42 days 0.5 hours have elapsed, but on the local date the child is 41 days old.
      expect(categoryAt('2026-11-01', '2026-12-12T23:30:00-06:00').belowMinimum).toBe(true);
      expect(categoryAt('2026-11-01', '2026-12-13T00:30:00-06:00').belowMinimum).toBe(false);
    });
  });
});
