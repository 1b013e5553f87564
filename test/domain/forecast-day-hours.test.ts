/**
 * The forecast with a center's hours: arrival and departure windows (Minn. R.
 * 9503.0040 subp. 2 B) and a time-of-day ratio (26 TAC 746.1615). Expectations
 * worked out by hand from the rule words quoted beside them.
 *
 * Day: Monday 2026-03-02, America/Chicago (CST, UTC−6).
 */
import { describe, expect, it } from 'vitest';
import { forecastRoomDay, type ChildDay, type PersonDay, type RoomDay, type RoomForecast } from '../../src/domain/forecast.js';
import { MN } from '../../src/domain/rules/mn.js';
import { TX } from '../../src/domain/rules/tx.js';
import { instantOfWallClock, wallClockOf } from '../../src/domain/wall-clock.js';

const CHICAGO = 'America/Chicago';
const DAY = '2026-03-02';
const t = (hhmm: string) => instantOfWallClock(DAY, hhmm, CHICAGO)!;
const w = (start: string, end: string) => ({ start: t(start), end: t(end) });
const child = (birthDate: string, arrive: string, depart: string): ChildDay => ({ birthDate, arrive: t(arrive), depart: t(depart) });
const MN_TRAININGS = ['orientation', 'suid', 'aht', 'first_aid', 'cpr', 'child_development'].map((id) => ({ id, completedOn: '2026-01-05' }));

function timeline(f: RoomForecast) {
  return f.intervals.map((i) => ({
    window: `${wallClockOf(i.start, DAY, CHICAGO)}-${wallClockOf(i.end, DAY, CHICAGO)}`,
    activity: i.activity,
    requiredStaff: i.requiredStaff,
    violations: i.violations,
  }));
}

describe('forecastRoomDay with the center hours', () => {
  // "During arrival and departure … an assistant teacher may substitute for a teacher" when the
  // windows "do not exceed 25 percent of the program's daily hours of operation" (9503.0040 subp. 2 B).
  // Toddler 20 months (1:7): one assistant teacher, 06:30–10:00; arrival window 06:30–08:00 of 06:30–18:00.
  const assistant: PersonDay = {
    role: 'assistant_teacher',
    qualifiesAs: 'assistant_teacher',
    ageYears: 30,
    backgroundStudy: 'cleared',
    trainings: MN_TRAININGS,
    startedOn: '2020-01-06',
    shifts: [w('06:30', '10:00')],
  };
  const room: RoomDay = { children: [child('2024-07-01', '06:30', '10:00')], people: [assistant] };

  it('lets the assistant teacher stand in during the arrival window only', () => {
    const hours = { opens: '06:30', closes: '18:00', arrivalDeparture: [{ from: '06:30', to: '08:00' }] };
    const f = forecastRoomDay(MN, { ...room, hours, arrivalDeparture: [w('06:30', '08:00')] }, CHICAGO, DAY);
    expect(timeline(f)).toEqual([
      { window: '06:30-08:00', activity: 'arrival_departure', requiredStaff: 1, violations: [] },
      { window: '08:00-10:00', activity: 'normal', requiredStaff: 1, violations: ['staff_distribution'] },
    ]);
    expect(f.firstBreach?.start).toBe(t('08:00'));
  });

  it('lets nobody stand in when the windows are over 25% of the day', () => {
    // 06:30–10:00 is 210 minutes of a 690-minute day: over the 172.5 minutes 25% allows.
    const hours = { opens: '06:30', closes: '18:00', arrivalDeparture: [{ from: '06:30', to: '10:00' }] };
    const f = forecastRoomDay(MN, { ...room, hours, arrivalDeparture: [w('06:30', '10:00')] }, CHICAGO, DAY);
    expect(timeline(f)).toEqual([{ window: '06:30-10:00', activity: 'arrival_departure', requiredStaff: 1, violations: ['staff_distribution'] }]);
  });

  // "When 13 or more children are in care, children who are 18 months and older may be grouped at a
  // ratio of one caregiver per group of 16 children during the 45 minutes after opening" (746.1615).
  // 14 children of 21 months (1:9 by the table, 746.1601): 2 caregivers, but 1 in 06:30–07:15.
  it('judges the 45 minutes after opening apart, at 1:16 (Texas)', () => {
    const caregiver: PersonDay = {
      role: 'teacher',
      ageYears: 30,
      backgroundStudy: 'cleared',
      trainings: [
        { id: 'pediatric_cpr_first_aid', completedOn: '2026-01-05' },
        { id: 'sbs_aht', completedOn: '2026-01-05' },
      ],
      startedOn: '2020-01-06',
      shifts: [w('06:30', '09:00')],
    };
    const children = Array.from({ length: 14 }, () => child('2024-05-15', '06:30', '09:00'));
    const f = forecastRoomDay(
      TX,
      { children, people: [caregiver], hours: { opens: '06:30', closes: '18:00', arrivalDeparture: [] }, clockPhases: [w('06:30', '07:15'), w('17:15', '18:00')] },
      CHICAGO,
      DAY,
    );
    expect(timeline(f)).toEqual([
      { window: '06:30-07:15', activity: 'normal', requiredStaff: 1, violations: [] },
      { window: '07:15-09:00', activity: 'normal', requiredStaff: 2, violations: ['over_ratio'] },
    ]);
  });
});
