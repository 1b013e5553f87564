/**
 * Hand-computed days for the forecast. Every expected interval, breach and cover
 * need below is worked out from the rule text (shared/design/regulations/MN.md,
 * CA.md), the arithmetic in the comments, not read from the engine.
 *
 * Minnesota: infants 1:4 / group 8, toddlers 1:7 / 14, preschoolers 1:10 / 20,
 * school-age 1:15 / 30; a mixed group takes its youngest category; the group-size
 * cap is lifted at nap, meal and outdoors but the ratio is not; the counted staff
 * must make the pattern teacher, aide, assistant teacher, aide (the first one
 * needed is a teacher); SUID for infants, AHT under school age; CPR renews every
 * 24 months and has expired ON the anniversary date.
 *
 * Default day: Monday 2026-03-02, America/Chicago (CST, UTC−6).
 */
import { describe, expect, it } from 'vitest';
import {
  forecastFlag,
  forecastRoomDay,
  personRealityAt,
  type ChildDay,
  type ForecastInterval,
  type PersonDay,
  type RoomDay,
  type RoomForecast,
} from '../../src/domain/forecast.js';
import { MN } from '../../src/domain/rules/mn.js';
import { combineGroups, withMerges } from '../../src/domain/merges.js';
import { CA } from '../../src/domain/rules/ca.js';
import { DateTime } from 'luxon';
import { evaluateRoom } from '../../src/domain/ratio/evaluate-room.js';
import type { PersonInRoom, TrainingRecord } from '../../src/domain/ratio/types.js';
import { dayBounds, instantOfWallClock, wallClockOf } from '../../src/domain/wall-clock.js';

const CHICAGO = 'America/Chicago';
const DAY = '2026-03-02';

/** The instant of `HH:mm` on `date` in `zone`. */
function t(hhmm: string, date = DAY, zone = CHICAGO): number {
  const at = instantOfWallClock(date, hhmm, zone);
  if (at === null) throw new Error(`no ${hhmm} on ${date} in ${zone}`);
  return at;
}
const w = (start: string, end: string, date = DAY, zone = CHICAGO) => ({ start: t(start, date, zone), end: t(end, date, zone) });

// ---- Children on 2026-03-02 ---------------------------------------------------------------
// infant: born 2025-09-14 → 5 months; toddler: born 2024-07-01 → 20 months;
// preschooler: born 2022-06-01 → 45 months; school-age: has attended kindergarten.
const INFANT = '2025-09-14';
const TODDLER = '2024-07-01';
const PRESCHOOLER = '2022-06-01';
const SCHOOL_AGE = '2019-05-01';

function child(birthDate: string, arrive: string, depart: string, more: Partial<ChildDay> = {}): ChildDay {
  return { birthDate, attendsKindergarten: birthDate === SCHOOL_AGE, arrive: t(arrive), depart: t(depart), ...more };
}
const many = (n: number, birthDate: string, arrive: string, depart: string) => Array.from({ length: n }, () => child(birthDate, arrive, depart));

// ---- People: cleared, trainings current on the day, long at the center ---------------------
const CURRENT: Record<string, string> = {
  orientation: '2020-01-06',
  suid: '2026-01-05',
  aht: '2026-01-05',
  first_aid: '2025-06-01',
  cpr: '2025-06-01',
  child_development: '2025-06-01',
};
function records(overrides: Record<string, string> = {}): TrainingRecord[] {
  return Object.keys(CURRENT).map((id) => ({ id, completedOn: overrides[id] ?? CURRENT[id]! }));
}
function person(role: PersonInRoom['role'], shifts: { start: number; end: number }[], more: Partial<PersonDay> = {}): PersonDay {
  return { role, ageYears: 35, backgroundStudy: 'cleared', trainings: records(), startedOn: '2020-01-06', shifts, ...more };
}
const teacher = (start: string, end: string, more: Partial<PersonDay> = {}) => person('teacher', [w(start, end)], more);
const aide = (start: string, end: string, more: Partial<PersonDay> = {}) => person('aide', [w(start, end)], { ageYears: 25, ...more });

/** Intervals as `HH:mm-HH:mm` with the judgement that matters for the case. */
function timeline(f: RoomForecast, date = DAY, zone = CHICAGO) {
  return f.intervals.map((i: ForecastInterval) => ({
    window: `${wallClockOf(i.start, date, zone)}-${wallClockOf(i.end, date, zone)}`,
    activity: i.activity,
    children: i.children,
    requiredStaff: i.requiredStaff,
    countedStaff: i.countedStaff,
    violations: i.violations,
  }));
}
function needs(f: RoomForecast, date = DAY, zone = CHICAGO) {
  return f.coverNeeds.map((n) => ({
    window: `${wallClockOf(n.start, date, zone)}-${wallClockOf(n.end, date, zone)}`,
    additionalStaff: n.additionalStaff,
    needs: n.needs,
    trainings: n.trainings,
  }));
}
const mn = (room: RoomDay, date = DAY) => forecastRoomDay(MN, room, CHICAGO, date);
/** The end of `date` (the next local midnight). */
const endOf = (date: string) => dayBounds(date, CHICAGO)!.end;

describe('forecastRoomDay', () => {
  describe('a shift end', () => {
    // 9 toddlers 07:00-17:00 need ceil(9/7) = 2 counted staff. A teacher works 07:00-17:00,
    // an aide 07:00-15:00: 2 counted until 15:00, then 1 < 2.
    const room: RoomDay = { children: many(9, TODDLER, '07:00', '17:00'), people: [teacher('07:00', '17:00'), aide('07:00', '15:00')] };

    it('breaches the ratio from the minute the aide’s shift ends', () => {
      const f = mn(room);
      expect(timeline(f)).toEqual([
        { window: '07:00-15:00', activity: 'normal', children: 9, requiredStaff: 2, countedStaff: 2, violations: [] },
        { window: '15:00-17:00', activity: 'normal', children: 9, requiredStaff: 2, countedStaff: 1, violations: ['over_ratio'] },
      ]);
      expect(f.firstBreach).toEqual({ start: t('15:00'), violations: ['over_ratio'] });
    });

    it('asks for one aide with AHT for the toddlers to cover 15:00-17:00', () => {
      // The teacher fills slot 1; slot 2 of the pattern asks for an aide. AHT is required
      // because children under school age are present; SUID only with infants.
      expect(needs(mn(room))).toEqual([{ window: '15:00-17:00', additionalStaff: 1, needs: ['aide'], trainings: ['aht'] }]);
    });

    it('treats a shift ending at 12:00 and one starting at 12:00 as one unbroken interval', () => {
      const swap: RoomDay = { children: many(3, TODDLER, '08:00', '16:00'), people: [teacher('08:00', '12:00'), teacher('12:00', '16:00')] };
      expect(timeline(mn(swap))).toEqual([
        { window: '08:00-16:00', activity: 'normal', children: 3, requiredStaff: 1, countedStaff: 1, violations: [] },
      ]);
    });
  });

  describe('a late arrival', () => {
    // 4 infants with one teacher are exactly 1:4; a fifth infant arriving at 10:00 needs ceil(5/4) = 2.
    const room: RoomDay = {
      children: [...many(4, INFANT, '07:30', '16:00'), child(INFANT, '10:00', '16:00')],
      people: [teacher('07:00', '16:00')],
    };

    it('breaches the ratio when the fifth infant arrives', () => {
      const f = mn(room);
      expect(timeline(f)).toEqual([
        { window: '07:00-07:30', activity: 'normal', children: 0, requiredStaff: 0, countedStaff: 1, violations: [] },
        { window: '07:30-10:00', activity: 'normal', children: 4, requiredStaff: 1, countedStaff: 1, violations: [] },
        { window: '10:00-16:00', activity: 'normal', children: 5, requiredStaff: 2, countedStaff: 1, violations: ['over_ratio'] },
      ]);
      expect(f.intervals[1]!.status).toBe('at_limit');
      expect(f.intervals[2]!.status).toBe('out_of_ratio');
      expect(needs(f)).toEqual([{ window: '10:00-16:00', additionalStaff: 1, needs: ['aide'], trainings: ['aht', 'suid'] }]);
    });

    it('expects a child who has not checked in by asOf from asOf on, not from the planned arrival', () => {
      // At 09:00 the teacher and 4 infants are in (checked in at 07:00 and 07:30); the fifth
      // infant, planned at 08:00, is not: nobody knows when they will come, so from 09:00.
      const late: RoomDay = {
        children: [...many(4, INFANT, '07:30', '16:00').map((c) => ({ ...c, checkedInAt: t('07:30') })), child(INFANT, '08:00', '16:00')],
        people: [teacher('07:00', '16:00', { presences: [{ start: t('07:00'), end: null }] })],
        asOf: t('09:00'),
      };
      expect(timeline(mn(late))).toEqual([
        { window: '07:00-07:30', activity: 'normal', children: 0, requiredStaff: 0, countedStaff: 1, violations: [] },
        { window: '07:30-09:00', activity: 'normal', children: 4, requiredStaff: 1, countedStaff: 1, violations: [] },
        { window: '09:00-16:00', activity: 'normal', children: 5, requiredStaff: 2, countedStaff: 1, violations: ['over_ratio'] },
      ]);
    });
  });

  describe('a break', () => {
    // 3 infants with a teacher and an aide: 1 required. The teacher's break leaves the aide alone:
    // 1 counted = 1 required, but the first counted staff member must be a teacher.
    const room: RoomDay = {
      children: many(3, INFANT, '07:30', '16:00'),
      people: [teacher('07:00', '16:00', { breaks: [w('11:30', '12:00')] }), aide('07:00', '16:00')],
    };

    it('leaves the room without its lead during an uncovered break', () => {
      const f = mn(room);
      expect(timeline(f)).toEqual([
        { window: '07:00-07:30', activity: 'normal', children: 0, requiredStaff: 0, countedStaff: 2, violations: [] },
        { window: '07:30-11:30', activity: 'normal', children: 3, requiredStaff: 1, countedStaff: 2, violations: [] },
        { window: '11:30-12:00', activity: 'normal', children: 3, requiredStaff: 1, countedStaff: 1, violations: ['staff_distribution'] },
        { window: '12:00-16:00', activity: 'normal', children: 3, requiredStaff: 1, countedStaff: 2, violations: [] },
      ]);
      expect(f.intervals[2]!.status).toBe('needs_lead');
    });

    it('asks for one teacher when the only shortfall is the mix', () => {
      expect(needs(mn(room))).toEqual([{ window: '11:30-12:00', additionalStaff: 1, needs: ['teacher'], trainings: ['aht', 'suid'] }]);
    });

    it('asks for a teacher first, then an aide, for infants left with nobody', () => {
      // 5 infants need ceil(5/4) = 2; with nobody counted both slots are open: teacher, aide.
      const empty: RoomDay = {
        children: many(5, INFANT, '08:00', '09:00'),
        people: [teacher('07:00', '08:30'), aide('07:00', '08:30')],
      };
      expect(needs(mn(empty))).toEqual([{ window: '08:30-09:00', additionalStaff: 2, needs: ['teacher', 'aide'], trainings: ['aht', 'suid'] }]);
    });
  });

  describe('naps', () => {
    // California counts teachers only: preschool-age 1:12, but 1 teacher for up to 24 napping
    // preschoolers (22 CCR 101230(c)). 20 preschoolers: ceil(20/12) = 2 awake, ceil(20/24) = 1 asleep.
    const LA = 'America/Los_Angeles';
    const room: RoomDay = {
      children: Array.from({ length: 20 }, () => ({ birthDate: PRESCHOOLER, arrive: t('08:00', DAY, LA), depart: t('17:00', DAY, LA) })),
      people: [
        { role: 'teacher', qualified: true, shifts: [w('08:00', '17:00', DAY, LA)] },
        { role: 'teacher', qualified: true, shifts: [w('08:00', '13:00', DAY, LA)] },
      ],
      naps: [w('13:00', '15:00', DAY, LA)],
    };

    it('keeps a room legal with one teacher during the nap allowance and breaks it when the nap ends', () => {
      const f = forecastRoomDay(CA, room, LA, DAY);
      expect(timeline(f, DAY, LA)).toEqual([
        { window: '08:00-13:00', activity: 'normal', children: 20, requiredStaff: 2, countedStaff: 2, violations: [] },
        { window: '13:00-15:00', activity: 'nap', children: 20, requiredStaff: 1, countedStaff: 1, violations: [] },
        { window: '15:00-17:00', activity: 'normal', children: 20, requiredStaff: 2, countedStaff: 1, violations: ['over_ratio'] },
      ]);
      expect(f.firstBreach).toEqual({ start: t('15:00', DAY, LA), violations: ['over_ratio'] });
      // No training is tied to preschool ages in the CA pack (the 15 hours are everyone's).
      expect(needs(f, DAY, LA)).toEqual([{ window: '15:00-17:00', additionalStaff: 1, needs: ['teacher'], trainings: [] }]);
    });

    it('gives no ratio relief at nap time in Minnesota, only the group-size cap is lifted', () => {
      // 9 infants with 3 teachers: 3 required; over the group size of 8 except at nap.
      const mnRoom: RoomDay = {
        children: many(9, INFANT, '09:00', '15:00'),
        people: [teacher('09:00', '15:00'), teacher('09:00', '15:00'), teacher('09:00', '15:00')],
        naps: [w('12:00', '14:00')],
      };
      const f = mn(mnRoom);
      expect(timeline(f)).toEqual([
        { window: '09:00-12:00', activity: 'normal', children: 9, requiredStaff: 3, countedStaff: 3, violations: ['over_group_size'] },
        { window: '12:00-14:00', activity: 'nap', children: 9, requiredStaff: 3, countedStaff: 3, violations: [] },
        { window: '14:00-15:00', activity: 'normal', children: 9, requiredStaff: 3, countedStaff: 3, violations: ['over_group_size'] },
      ]);
      // More people cannot fix a group that is too big.
      expect(f.coverNeeds).toEqual([]);
    });
  });

  describe('a volunteer whose CPR expires at midnight', () => {
    // Evening care into the night: 20 school-age children need ceil(20/15) = 2. The volunteer
    // (counted as an aide) completed CPR on 2024-03-03: 24 months later, on 2026-03-03, it has
    // expired. School-age children need orientation, first aid and CPR of a volunteer; no AHT/SUID.
    const NEXT = '2026-03-03';
    const volunteer: PersonDay = person('volunteer', [{ start: t('18:00'), end: t('06:00', NEXT) }], {
      qualifiesAs: 'aide',
      trainings: records({ cpr: '2024-03-03' }),
    });
    const room: RoomDay = {
      children: Array.from({ length: 20 }, () => ({ birthDate: SCHOOL_AGE, attendsKindergarten: true, arrive: t('18:00'), depart: t('06:00', NEXT) })),
      people: [person('teacher', [{ start: t('18:00'), end: t('06:00', NEXT) }]), volunteer],
    };

    it('counts the volunteer until midnight and not from midnight on, splitting the night there', () => {
      const f = mn(room);
      expect(f.intervals.map((i) => [i.start, i.end, i.countedStaff, i.violations])).toEqual([
        [t('18:00'), t('00:00', NEXT), 2, []],
        [t('00:00', NEXT), t('06:00', NEXT), 1, ['over_ratio']],
      ]);
      expect(f.firstBreach).toEqual({ start: t('00:00', NEXT), violations: ['over_ratio'] });
      // The teacher fills slot 1, slot 2 asks for an aide; no training is tied to school age.
      expect(f.coverNeeds).toEqual([{ start: t('00:00', NEXT), end: t('06:00', NEXT), additionalStaff: 1, needs: ['aide'], trainings: [] }]);
    });

    it('writes the end of a window at the next midnight as 24:00', () => {
      expect(wallClockOf(t('00:00', NEXT), DAY, CHICAGO)).toBe('24:00');
    });
  });

  describe('what happened merged with what is planned', () => {
    it('keeps a checked-in child present after the planned departure until check-out', () => {
      // Planned to leave at 16:00; at 17:00 still checked in. The teacher leaves at 17:30:
      // the child is alone from 17:30 to the end of the day.
      const room: RoomDay = {
        children: [child(INFANT, '08:00', '16:00', { checkedInAt: t('08:05') })],
        people: [teacher('08:00', '17:30', { presences: [{ start: t('07:58'), end: null }] })],
        asOf: t('17:00'),
      };
      const f = mn(room);
      expect(timeline(f)).toEqual([
        { window: '07:58-08:05', activity: 'normal', children: 0, requiredStaff: 0, countedStaff: 1, violations: [] },
        { window: '08:05-17:30', activity: 'normal', children: 1, requiredStaff: 1, countedStaff: 1, violations: [] },
        { window: '17:30-24:00', activity: 'normal', children: 1, requiredStaff: 1, countedStaff: 0, violations: ['over_ratio'] },
      ]);
    });

    it('keeps a checked-in child until the planned departure while it is still ahead', () => {
      const room: RoomDay = {
        children: [child(INFANT, '08:00', '16:00', { checkedInAt: t('08:05') })],
        people: [teacher('08:00', '17:30', { presences: [{ start: t('07:58'), end: null }] })],
        asOf: t('10:00'),
      };
      expect(timeline(mn(room)).map((i) => i.window)).toEqual(['07:58-08:05', '08:05-16:00', '16:00-17:30']);
    });

    it('ends a child’s presence at check-out, whatever the plan said', () => {
      const room: RoomDay = {
        children: [child(INFANT, '08:00', '16:00', { checkedInAt: t('08:00'), checkedOutAt: t('09:00') })],
        people: [teacher('08:00', '12:00', { presences: [{ start: t('08:00'), end: null }] })],
        asOf: t('10:00'),
      };
      expect(timeline(mn(room))).toEqual([
        { window: '08:00-09:00', activity: 'normal', children: 1, requiredStaff: 1, countedStaff: 1, violations: [] },
        { window: '09:00-12:00', activity: 'normal', children: 0, requiredStaff: 0, countedStaff: 1, violations: [] },
      ]);
    });

    it('takes people as recorded before asOf and as planned from asOf on', () => {
      // The aide was planned from 07:00 but came at 08:00; the teacher left for 09:00-09:15
      // although no break was planned. From 10:00 on, the plan: the aide leaves at 11:00.
      const room: RoomDay = {
        children: many(5, INFANT, '07:00', '12:00').map((c) => ({ ...c, checkedInAt: t('07:00') })),
        people: [
          teacher('07:00', '12:00', { presences: [{ start: t('07:00'), end: t('09:00') }, { start: t('09:15'), end: null }] }),
          aide('07:00', '11:00', { presences: [{ start: t('08:00'), end: null }] }),
        ],
        asOf: t('10:00'),
      };
      expect(timeline(mn(room)).map((i) => [i.window, i.countedStaff, i.violations])).toEqual([
        ['07:00-08:00', 1, ['over_ratio']],
        ['08:00-09:00', 2, []],
        ['09:00-09:15', 1, ['over_ratio', 'staff_distribution']],
        ['09:15-11:00', 2, []],
        ['11:00-12:00', 1, ['over_ratio']],
      ]);
    });
  });

  it('judges every interval as evaluateRoom judges any instant inside it', () => {
    // Seeded rooms of mixed ages, quarter-hour plans, staff with breaks and now and then a
    // lapsed training; each interval is checked at its start, its middle and its last minute
    // against a group built directly from the plan.
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const at = (minutes: number) => t(`${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`);
    const quarter = (from: number, to: number) => from + 15 * Math.floor(random() * ((to - from) / 15));
    const births = [INFANT, TODDLER, PRESCHOOLER, SCHOOL_AGE];
    for (let r = 0; r < 40; r++) {
      const children = Array.from({ length: 1 + Math.floor(random() * 12) }, () => {
        const arrive = quarter(7 * 60, 10 * 60);
        const birthDate = births[Math.floor(random() * births.length)]!;
        return { birthDate, attendsKindergarten: birthDate === SCHOOL_AGE, arrive: at(arrive), depart: at(quarter(arrive + 60, 18 * 60)) };
      });
      const people = Array.from({ length: 1 + Math.floor(random() * 4) }, () => {
        const start = quarter(6 * 60, 11 * 60);
        const lunch = start + 120 + 15 * Math.floor(random() * 8);
        const role = (['teacher', 'assistant_teacher', 'aide'] as const)[Math.floor(random() * 3)]!;
        return person(role, [{ start: at(start), end: at(start + 480) }], {
          breaks: random() < 0.7 ? [{ start: at(lunch), end: at(lunch + 30) }] : [],
          trainings: records(random() < 0.1 ? { aht: '2024-01-05' } : {}),
        });
      });
      const room: RoomDay = { children, people, naps: random() < 0.5 ? [w('12:30', '14:30')] : [] };
      const f = mn(room);
      expect(f.intervals.length).toBeGreaterThan(0);
      for (const i of f.intervals) {
        for (const instant of [i.start, Math.floor((i.start + i.end) / 2), i.end - 60_000]) {
          const inside = (x: { start: number; end: number }) => x.start <= instant && instant < x.end;
          const group = {
            activity: room.naps!.some(inside) ? ('nap' as const) : ('normal' as const),
            children: children.filter((c) => c.arrive <= instant && instant < c.depart),
            people: people.filter((p) => p.shifts.some(inside) && !(p.breaks ?? []).some(inside)),
          };
          const e = evaluateRoom(MN, group, DateTime.fromMillis(instant, { zone: CHICAGO }));
          expect([i.activity, i.children, i.requiredStaff, i.countedStaff, i.compliant, i.violations, i.byCategory]).toEqual([
            e.activity,
            e.children,
            e.requiredStaff,
            e.countedStaff,
            e.compliant,
            e.violations.map((v) => v.code).sort(),
            e.byCategory,
          ]);
        }
      }
    }
  });

  it('answers an empty forecast for a room with nobody planned', () => {
    expect(mn({ children: [], people: [] })).toEqual({ intervals: [], firstBreach: null, coverNeeds: [] });
  });

  it('gives no cover need where the group is too big even when the ratio is short too', () => {
    // 9 infants with 2 teachers: over ratio (3 needed) and over the group size of 8.
    const f = mn({ children: many(9, INFANT, '09:00', '10:00'), people: [teacher('09:00', '10:00'), teacher('09:00', '10:00')] });
    expect(f.intervals[0]!.violations).toEqual(['over_group_size', 'over_ratio']);
    expect(f.coverNeeds).toEqual([]);
  });
});

describe('forecastFlag', () => {
  // The README day: one teacher 07:00-15:00 with a break 11:30-12:00, one infant 07:30-16:30.
  const room: RoomDay = {
    children: [child(INFANT, '07:30', '16:30')],
    people: [{ role: 'teacher', qualified: true, shifts: [w('07:00', '15:00')], breaks: [w('11:30', '12:00')] }],
    naps: [w('12:30', '14:30')],
  };
  const f = mn(room);

  it('does not flag a breach more than the horizon away', () => {
    expect(forecastFlag(f, 60, t('08:00'))).toBeNull();
    expect(forecastFlag(f, 60, t('10:29'))).toBeNull();
  });

  it('flags a breach starting exactly at the end of the horizon', () => {
    expect(forecastFlag(f, 60, t('10:30'))).toEqual({ kind: 'needs_cover', start: t('11:30') });
  });

  it('flags a breach already under way with its start', () => {
    expect(forecastFlag(f, 60, t('11:45'))).toEqual({ kind: 'needs_cover', start: t('11:30') });
  });

  it('looks past a breach that has ended to the next one', () => {
    expect(forecastFlag(f, 60, t('12:00'))).toBeNull();
    expect(forecastFlag(f, 180, t('12:00'))).toEqual({ kind: 'needs_cover', start: t('15:00') });
  });

  it('flags a group that is too big as over group size, not as cover', () => {
    const big = mn({ children: many(9, INFANT, '09:00', '10:00'), people: [teacher('09:00', '10:00'), teacher('09:00', '10:00'), teacher('09:00', '10:00')] });
    expect(forecastFlag(big, 60, t('08:30'))).toEqual({ kind: 'over_group_size', start: t('09:00') });
  });
});

describe('forecastRoomDay on DST days', () => {
  it('runs 01:00-05:00 on the spring-forward day as three real hours and flags by real minutes', () => {
    // 2026-03-08: 02:00 CST jumps to 03:00 CDT. The teacher leaves at 03:30, the infant stays to 05:00.
    const SPRING = '2026-03-08';
    const room: RoomDay = {
      children: [{ birthDate: INFANT, arrive: t('01:00', SPRING), depart: t('05:00', SPRING) }],
      people: [{ role: 'teacher', qualified: true, shifts: [w('01:00', '03:30', SPRING)] }],
    };
    const f = mn(room, SPRING);
    expect(f.intervals.map((i) => [wallClockOf(i.start, SPRING, CHICAGO), wallClockOf(i.end, SPRING, CHICAGO), (i.end - i.start) / 3_600_000])).toEqual([
      ['01:00', '03:30', 1.5],
      ['03:30', '05:00', 1.5],
    ]);
    // 01:30 CST plus 60 real minutes is 03:30 CDT: two hours on the wall clock.
    expect(forecastFlag(f, 60, t('01:29', SPRING))).toBeNull();
    expect(forecastFlag(f, 60, t('01:30', SPRING))).toEqual({ kind: 'needs_cover', start: t('03:30', SPRING) });
    expect(forecastFlag(f, 29, t('03:00', SPRING))).toBeNull();
  });

  it('takes the first 01:30 on the fall-back day, so the repeated hour counts twice in the interval after it', () => {
    // 2026-11-01: 02:00 CDT falls back to 01:00 CST. The teacher leaves at the first 01:30
    // (06:30 UTC); the infant stays until 03:00 CST (09:00 UTC): 2.5 real hours alone.
    const FALL = '2026-11-01';
    const room: RoomDay = {
      children: [{ birthDate: INFANT, arrive: t('00:00', FALL), depart: t('03:00', FALL) }],
      people: [{ role: 'teacher', qualified: true, shifts: [w('00:00', '01:30', FALL)] }],
    };
    const f = mn(room, FALL);
    expect(new Date(f.intervals[0]!.end).toISOString()).toBe('2026-11-01T06:30:00.000Z');
    expect(f.intervals.map((i) => [(i.end - i.start) / 3_600_000, i.violations])).toEqual([
      [1.5, []],
      [2.5, ['over_ratio']],
    ]);
  });
});

/**
 * Reality before plan (issue 16): from `asOf` on a person counts as planned only if what
 * happened agrees. Minnesota infants are 1:4 (Minn. R. 9503.0040 subp. 1, a minimum ratio, so
 * any remainder needs another staff person): 4 infants need 1 counted person, 5 need ceil(5/4) = 2.
 * The status words are the glossary's: "a no show (past it, not counted for the rest of that
 * shift) or left (was present in it, gone now, not counted for the rest of it)".
 * Grace period 10 minutes unless a case says otherwise.
 */
describe('forecastRoomDay: reality before plan', () => {
  const fourInfants = () => many(4, INFANT, '07:00', '17:00').map((c) => ({ ...c, checkedInAt: t('07:00') }));

  it('does not count a person who left during a shift still running for the rest of it', () => {
    // Ruth's shift is 07:00-12:10; she is checked out at 11:44. At 11:50 the room has
    // 4 infants and nobody: out of ratio since 11:44 until the 13:00 teacher arrives,
    // not (as the plan said) from 12:10.
    const ruth = teacher('07:00', '12:10', { presences: [{ start: t('07:00'), end: t('11:44') }] });
    const later = teacher('13:00', '17:00');
    const room: RoomDay = { children: fourInfants(), people: [ruth, later], asOf: t('11:50') };
    const f = mn(room);
    expect(timeline(f).map((i) => [i.window, i.countedStaff, i.violations])).toEqual([
      ['07:00-11:44', 1, []],
      ['11:44-13:00', 0, ['over_ratio']],
      ['13:00-17:00', 1, []],
    ]);
    expect(f.firstBreach).toEqual({ start: t('11:44'), violations: ['over_ratio'] });
    expect(needs(f)).toEqual([{ window: '11:44-13:00', additionalStaff: 1, needs: ['teacher'], trainings: ['aht', 'suid'] }]);
    // The flag is labelled by the breach's start, before now ("needs cover now" in the app).
    expect(forecastFlag(f, 60, t('11:50'))).toEqual({ kind: 'needs_cover', start: t('11:44') });
    expect(personRealityAt(ruth, t('11:50'), 10, endOf(DAY)).status).toBe('left');
  });

  it('counts a person late for a shift within the grace period, as planned', () => {
    // Grace Kim's shift starts at 11:00; at 11:05 she has not arrived: late, still counted
    // from now to 15:00. Before now the record stands: nobody was there 11:00-11:05.
    const grace = teacher('11:00', '15:00');
    const room: RoomDay = { children: fourInfants(), people: [teacher('07:00', '11:00', { presences: [{ start: t('07:00'), end: t('11:00') }] }), grace], asOf: t('11:05') };
    const f = mn(room);
    expect(timeline(f).map((i) => [i.window, i.countedStaff])).toEqual([
      ['07:00-11:00', 1],
      ['11:00-11:05', 0],
      ['11:05-15:00', 1],
      ['15:00-17:00', 0],
    ]);
    expect(personRealityAt(grace, t('11:05'), 10, endOf(DAY))).toEqual({ status: 'late', shift: w('11:00', '15:00'), ahead: [w('11:05', '15:00')] });
  });

  it('stops counting a person who has not arrived once the grace period after the start is over (no show)', () => {
    // At 11:10 exactly, 10 minutes have passed: no show, not counted for the rest of the
    // shift (to 15:00). The room is out of ratio from 11:00 (the gap is in the record).
    const grace = teacher('11:00', '15:00');
    const morning = teacher('07:00', '11:00', { presences: [{ start: t('07:00'), end: t('11:00') }] });
    const at1109 = mn({ children: fourInfants(), people: [morning, grace], asOf: t('11:09') });
    expect(timeline(at1109).map((i) => [i.window, i.countedStaff])).toEqual([
      ['07:00-11:00', 1],
      ['11:00-11:09', 0],
      ['11:09-15:00', 1],
      ['15:00-17:00', 0],
    ]);
    const at1110 = mn({ children: fourInfants(), people: [morning, grace], asOf: t('11:10') });
    expect(timeline(at1110).map((i) => [i.window, i.countedStaff, i.violations])).toEqual([
      ['07:00-11:00', 1, []],
      ['11:00-17:00', 0, ['over_ratio']],
    ]);
    expect(personRealityAt(grace, t('11:10'), 10, endOf(DAY)).status).toBe('no_show');
    // A longer grace period (a center setting) keeps her counted.
    expect(personRealityAt(grace, t('11:10'), 15, endOf(DAY)).status).toBe('late');
  });

  it('still expects a no show for a later shift the same day', () => {
    const split = person('teacher', [w('09:00', '11:00'), w('13:00', '17:00')]);
    const r = personRealityAt(split, t('09:30'), 10, endOf(DAY));
    expect(r.status).toBe('no_show');
    expect(r.ahead).toEqual([w('13:00', '17:00')]);
  });

  it('counts a person present with no shift around now until the end of the day', () => {
    // Sam's shift ended at 11:00 but he is still checked in at 11:30: there, counted, to midnight.
    const sam = teacher('07:00', '11:00', { presences: [{ start: t('06:55'), end: null }] });
    const r = personRealityAt(sam, t('11:30'), 10, endOf(DAY));
    expect(r).toEqual({ status: 'present_unplanned', shift: w('07:00', '11:00'), ahead: [{ start: t('11:30'), end: endOf(DAY) }] });
    const f = mn({ children: fourInfants(), people: [sam], asOf: t('11:30') });
    expect(timeline(f).map((i) => [i.window, i.countedStaff, i.violations])).toEqual([
      ['06:55-07:00', 1, []],
      ['07:00-17:00', 1, []],
      ['17:00-24:00', 1, []],
    ]);
  });

  it('counts a person present inside a shift until it ends, with later breaks as planned', () => {
    const maya = teacher('07:00', '15:00', { breaks: [w('12:00', '12:30')], presences: [{ start: t('07:05'), end: null }] });
    const r = personRealityAt(maya, t('10:00'), 10, endOf(DAY));
    expect(r).toEqual({ status: 'present', shift: w('07:00', '15:00'), ahead: [w('10:00', '12:00'), w('12:30', '15:00')] });
  });

  it('takes an arrival within the grace period before a shift as early for it, not unplanned', () => {
    const r = personRealityAt(teacher('07:00', '15:00', { presences: [{ start: t('06:52'), end: null }] }), t('06:55'), 10, endOf(DAY));
    expect(r).toEqual({ status: 'present', shift: w('07:00', '15:00'), ahead: [w('06:55', '15:00')] });
  });

  it('expects a person on a planned break back at its end, and calls them left when they are not back past the grace period', () => {
    const ben = teacher('07:00', '15:00', { breaks: [w('12:00', '12:30')], presences: [{ start: t('07:00'), end: t('12:00') }] });
    expect(personRealityAt(ben, t('12:15'), 10, endOf(DAY))).toEqual({ status: 'due', shift: w('07:00', '15:00'), ahead: [w('12:30', '15:00')] });
    expect(personRealityAt(ben, t('12:35'), 10, endOf(DAY)).status).toBe('late');
    expect(personRealityAt(ben, t('12:40'), 10, endOf(DAY))).toEqual({ status: 'left', shift: w('07:00', '15:00'), ahead: [] });
  });

  it('calls a person due before a later shift and done when nothing more is planned', () => {
    expect(personRealityAt(teacher('13:00', '17:00'), t('11:00'), 10, endOf(DAY))).toEqual({ status: 'due', shift: w('13:00', '17:00'), ahead: [w('13:00', '17:00')] });
    // A shift that ended with its presence is done, not left.
    const done = teacher('07:00', '11:00', { presences: [{ start: t('07:00'), end: t('11:00') }] });
    expect(personRealityAt(done, t('11:30'), 10, endOf(DAY))).toEqual({ status: 'done', shift: null, ahead: [] });
  });

  it('takes a child checked out early as gone for the rest of the day, and a late child from now', () => {
    // Five infants planned 07:00-17:00 need 2. One is checked out at 11:44, one has not
    // arrived by 11:50 (planned 07:00): expected from 11:50. One teacher present.
    const kids = [
      ...many(3, INFANT, '07:00', '17:00').map((c) => ({ ...c, checkedInAt: t('07:00') })),
      child(INFANT, '07:00', '17:00', { checkedInAt: t('07:00'), checkedOutAt: t('11:44') }),
      child(INFANT, '07:00', '17:00'),
    ];
    const f = mn({ children: kids, people: [teacher('07:00', '17:00', { presences: [{ start: t('07:00'), end: null }] })], asOf: t('11:50') });
    expect(timeline(f).map((i) => [i.window, i.children, i.countedStaff, i.violations])).toEqual([
      ['07:00-11:44', 4, 1, []],
      ['11:44-11:50', 3, 1, []],
      ['11:50-17:00', 4, 1, []],
    ]);
  });

  it('keeps the plan alone without asOf: nobody is late, left or a no show', () => {
    const ruth = teacher('07:00', '12:10', { presences: [{ start: t('07:00'), end: t('11:44') }] });
    const f = mn({ children: fourInfants(), people: [ruth] });
    expect(f.firstBreach).toEqual({ start: t('12:10'), violations: ['over_ratio'] });
  });

  it('measures the grace period in real minutes across the spring-forward gap', () => {
    // 2026-03-08: a shift from 01:55 CST; 10 real minutes later is 03:05 CDT.
    const SPRING = '2026-03-08';
    const night = person('teacher', [w('01:55', '05:00', SPRING)]);
    expect(personRealityAt(night, t('03:04', SPRING), 10, endOf(SPRING)).status).toBe('late');
    expect(personRealityAt(night, t('03:05', SPRING), 10, endOf(SPRING)).status).toBe('no_show');
  });

  it('stops counting a person who left in the repeated hour on the fall-back day', () => {
    // 2026-11-01: the teacher (00:00-04:00) leaves at the first 01:30 (CDT); at 01:10 CST
    // (the second 01:10, 40 real minutes later) she has left: the infant is alone from 01:30 CDT,
    // where the plan alone would count her to 04:00 CST.
    const FALL = '2026-11-01';
    const firstHalfPast = t('01:30', FALL);
    const secondTenPast = firstHalfPast + 40 * 60_000;
    const room: RoomDay = {
      children: [{ birthDate: INFANT, arrive: t('00:00', FALL), depart: t('04:00', FALL), checkedInAt: t('00:00', FALL) }],
      people: [person('teacher', [w('00:00', '04:00', FALL)], { presences: [{ start: t('00:00', FALL), end: firstHalfPast }] })],
      asOf: secondTenPast,
    };
    const f = mn(room, FALL);
    // 00:00 CDT to the first 01:30 CDT is 1.5 real hours; from there to 04:00 CST is 3.5.
    expect(f.intervals.map((i) => [(i.end - i.start) / 3_600_000, i.violations])).toEqual([
      [1.5, []],
      [3.5, ['over_ratio']],
    ]);
  });
});

describe('a merge laid over two rooms\' days (domain/merges.ts)', () => {
  // Infants: 2 infants and a teacher 07:00-17:00; Toddlers: 1 toddler and a teacher 07:00-17:00.
  // Toddlers merged into Infants 15:00-16:00: one group of 2 infants + 1 toddler, which takes
  // the youngest category's ratio (infants 1:4): ceil(3/4) = 1 counted staff required, 2 counted.
  // Toddlers is judged nowhere on its own in the window; alone again from 16:00.
  const infants: RoomDay = { children: many(2, INFANT, '07:00', '17:00'), people: [teacher('07:00', '17:00')] };
  const toddlers: RoomDay = { children: many(1, TODDLER, '07:00', '17:00'), people: [teacher('07:00', '17:00')] };
  const laid = withMerges(new Map([['infants', infants], ['toddlers', toddlers]]), [{ from: 'toddlers', into: 'infants', ...w('15:00', '16:00') }]);

  it('judges the moving room\'s children and staff in the receiving room\'s group for the window', () => {
    expect(timeline(mn(laid.get('infants')!))).toEqual([
      { window: '07:00-15:00', activity: 'normal', children: 2, requiredStaff: 1, countedStaff: 1, violations: [] },
      { window: '15:00-16:00', activity: 'normal', children: 3, requiredStaff: 1, countedStaff: 2, violations: [] },
      { window: '16:00-17:00', activity: 'normal', children: 2, requiredStaff: 1, countedStaff: 1, violations: [] },
    ]);
  });

  it('leaves nothing of the moving room to judge alone in the window', () => {
    expect(timeline(mn(laid.get('toddlers')!))).toEqual([
      { window: '07:00-15:00', activity: 'normal', children: 1, requiredStaff: 1, countedStaff: 1, violations: [] },
      { window: '16:00-17:00', activity: 'normal', children: 1, requiredStaff: 1, countedStaff: 1, violations: [] },
    ]);
  });

  it('is the combination the remedy search judges: children and people together, the receiving room\'s limit', () => {
    const a = { activity: 'nap' as const, children: [], people: [], maxGroupSize: 6 };
    const b = { activity: 'normal' as const, children: [], people: [], maxGroupSize: 20 };
    expect(combineGroups(a, [b])).toMatchObject({ activity: 'normal', maxGroupSize: 6 });
    expect(combineGroups(a, [{ ...b, activity: 'nap' }])).toMatchObject({ activity: 'nap' });
  });
});
