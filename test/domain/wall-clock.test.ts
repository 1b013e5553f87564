import { describe, expect, it } from 'vitest';
import { dayBounds, instantOfWallClock, isWallClockTime, midnightsBetween, wallClockOf, wallClockRepeats } from '../../src/domain/wall-clock.js';

const CHICAGO = 'America/Chicago';
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

describe('instantOfWallClock', () => {
  it('reads HH:mm on an ordinary day at the zone’s offset', () => {
    expect(iso(instantOfWallClock('2026-03-02', '08:00', CHICAGO))).toBe('2026-03-02T14:00:00.000Z');
  });

  it('answers null for 02:30 on the spring-forward day, a time that does not exist', () => {
    expect(instantOfWallClock('2026-03-08', '02:30', CHICAGO)).toBeNull();
    expect(instantOfWallClock('2026-03-08', '02:00', CHICAGO)).toBeNull();
  });

  it('reads 01:59 and 03:00 around the spring-forward gap one real minute apart', () => {
    const before = instantOfWallClock('2026-03-08', '01:59', CHICAGO)!;
    const after = instantOfWallClock('2026-03-08', '03:00', CHICAGO)!;
    expect(after - before).toBe(60_000);
  });

  it('takes the first occurrence of 01:30 on the fall-back day (still daylight time)', () => {
    expect(iso(instantOfWallClock('2026-11-01', '01:30', CHICAGO))).toBe('2026-11-01T06:30:00.000Z');
  });

  it('reads 02:00 on the fall-back day after the repeated hour', () => {
    expect(iso(instantOfWallClock('2026-11-01', '02:00', CHICAGO))).toBe('2026-11-01T08:00:00.000Z');
  });

  it('answers null for a time past 23:59 or not as HH:mm', () => {
    expect(instantOfWallClock('2026-03-02', '24:00', CHICAGO)).toBeNull();
    expect(instantOfWallClock('2026-03-02', '7:30', CHICAGO)).toBeNull();
    expect(isWallClockTime('23:59')).toBe(true);
    expect(isWallClockTime('23:60')).toBe(false);
  });
});

describe('wallClockRepeats', () => {
  it('is true for the first 01:00 to 01:59 on the fall-back day, and for no other time', () => {
    // 01:30 CDT is 06:30Z; an hour later, 07:30Z, is 01:30 CST.
    expect(wallClockRepeats(Date.parse('2026-11-01T06:30:00Z'), CHICAGO)).toBe(true);
    expect(wallClockRepeats(Date.parse('2026-11-01T06:00:00Z'), CHICAGO)).toBe(true);
    expect(wallClockRepeats(Date.parse('2026-11-01T06:59:00Z'), CHICAGO)).toBe(true);
    // 00:59 CDT comes once; so do the second 01:30 (CST) and 02:00.
    expect(wallClockRepeats(Date.parse('2026-11-01T05:59:00Z'), CHICAGO)).toBe(false);
    expect(wallClockRepeats(Date.parse('2026-11-01T07:30:00Z'), CHICAGO)).toBe(false);
    expect(wallClockRepeats(Date.parse('2026-11-01T08:00:00Z'), CHICAGO)).toBe(false);
    // Nor on the spring-forward day, or an ordinary one.
    expect(wallClockRepeats(Date.parse('2026-03-08T07:30:00Z'), CHICAGO)).toBe(false);
    expect(wallClockRepeats(Date.parse('2026-03-02T14:00:00Z'), CHICAGO)).toBe(false);
  });
});

describe('wallClockOf', () => {
  it('writes the next day’s midnight as 24:00', () => {
    const end = dayBounds('2026-03-02', CHICAGO)!.end;
    expect(wallClockOf(end, '2026-03-02', CHICAGO)).toBe('24:00');
  });

  it('writes an instant on the day as HH:mm in the zone', () => {
    expect(wallClockOf(Date.parse('2026-11-01T06:30:00Z'), '2026-11-01', CHICAGO)).toBe('01:30');
    expect(wallClockOf(Date.parse('2026-11-01T07:30:00Z'), '2026-11-01', CHICAGO)).toBe('01:30');
  });
});

describe('dayBounds and midnightsBetween', () => {
  it('gives the spring-forward day 23 hours and the fall-back day 25', () => {
    const spring = dayBounds('2026-03-08', CHICAGO)!;
    const fall = dayBounds('2026-11-01', CHICAGO)!;
    expect((spring.end - spring.start) / 3_600_000).toBe(23);
    expect((fall.end - fall.start) / 3_600_000).toBe(25);
  });

  it('lists the local midnights strictly inside a window', () => {
    const day = dayBounds('2026-03-02', CHICAGO)!;
    expect(midnightsBetween(day.start, day.end, CHICAGO)).toEqual([]);
    expect(midnightsBetween(day.start + 1, day.end + 1, CHICAGO)).toEqual([day.end]);
  });
});
