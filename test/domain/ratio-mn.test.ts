/**
 * Independent checks of the ratio engine against Minnesota's rules as restated in
 * shared/design/regulations/MN.md. Every expected number below is worked out by hand
 * from the rule text (the arithmetic is in the comments), not read from the engine.
 *
 * Default instant: Monday 2026-03-02 09:30 CST (America/Chicago, UTC−6).
 */
import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { evaluateRoom } from '../../src/domain/ratio/evaluate-room.js';
import type { ChildInRoom, Group, PersonInRoom, RoomEvaluation, TrainingRecord } from '../../src/domain/ratio/types.js';
import { reasonText } from '../../src/domain/ratio/words.js';
import { MN } from '../../src/domain/rules/mn.js';
import type { Activity } from '../../src/domain/rule-pack.js';

const AT = '2026-03-02T09:30:00-06:00';
const instant = (iso: string = AT) => DateTime.fromISO(iso, { setZone: true });

// ---- Children, by category on 2026-03-02 ----------------------------------------------
// infant: born 2025-09-14 → 5 months; toddler: born 2024-07-01 → 20 months;
// preschooler: born 2022-06-01 → 45 months (below the 56-month Q1 note age);
// school-age: born 2019-05-01 → 6 y 10 m, has attended kindergarten.
const INFANT: ChildInRoom = { birthDate: '2025-09-14' };
const TODDLER: ChildInRoom = { birthDate: '2024-07-01' };
const PRESCHOOLER: ChildInRoom = { birthDate: '2022-06-01' };
const SCHOOL_AGE: ChildInRoom = { birthDate: '2019-05-01', attendsKindergarten: true };
const times = (n: number, child: ChildInRoom): ChildInRoom[] => Array.from({ length: n }, () => ({ ...child }));
const infants = (n: number) => times(n, INFANT);
const toddlers = (n: number) => times(n, TODDLER);
const preschoolers = (n: number) => times(n, PRESCHOOLER);
const schoolAge = (n: number) => times(n, SCHOOL_AGE);

// ---- Trainings, all current on 2026-03-02 ------------------------------------------------
// SUID/AHT: 12-month renewal → 2026-01-05 valid until 2027-01-05.
// First aid / CPR / child development: 24-month renewal → 2025-06-01 valid until 2027-06-01.
const CURRENT: Record<string, string> = {
  orientation: '2020-01-06',
  suid: '2026-01-05',
  aht: '2026-01-05',
  first_aid: '2025-06-01',
  cpr: '2025-06-01',
  child_development: '2025-06-01',
};
const STAFF_TRAININGS = Object.keys(CURRENT);
/** A volunteer's counting trainings: child development is not a counting gate for volunteers. */
const VOLUNTEER_TRAININGS = ['orientation', 'suid', 'aht', 'first_aid', 'cpr'];

function records(ids: readonly string[], overrides: Record<string, string> = {}): TrainingRecord[] {
  return ids.map((id) => ({ id, completedOn: overrides[id] ?? CURRENT[id]! }));
}
const without = (ids: readonly string[], ...drop: string[]) => ids.filter((id) => !drop.includes(id));

// ---- People: cleared, current trainings, long at the center unless stated -------------------
function person(role: PersonInRoom['role'], more: Partial<PersonInRoom> = {}): PersonInRoom {
  return { role, ageYears: 35, backgroundStudy: 'cleared', trainings: records(STAFF_TRAININGS), startedOn: '2020-01-06', ...more };
}
const teacher = (more: Partial<PersonInRoom> = {}) => person('teacher', more);
const assistantTeacher = (more: Partial<PersonInRoom> = {}) => person('assistant_teacher', more);
const aide = (more: Partial<PersonInRoom> = {}) => person('aide', { ageYears: 25, ...more });
const volunteer = (more: Partial<PersonInRoom> = {}) =>
  person('volunteer', { qualifiesAs: 'aide', ageYears: 67, trainings: records(VOLUNTEER_TRAININGS), ...more });

// ---- Judging -------------------------------------------------------------------------------
function judge(group: { children: ChildInRoom[]; people: PersonInRoom[]; activity?: Activity; maxGroupSize?: number }, iso: string = AT): RoomEvaluation {
  const full: Group = { activity: 'normal', ...group };
  const result = evaluateRoom(MN, full, instant(iso));
  // `compliant` is true exactly when there is no violation, in every scenario of this file.
  expect(result.compliant).toBe(result.violations.length === 0);
  return result;
}
/** The distinct violation codes, sorted, so tests state the set of broken rules. */
const codes = (r: RoomEvaluation) => [...new Set(r.violations.map((v) => v.code))].sort();
const expectCodes = (r: RoomEvaluation, expected: string[]) => expect(codes(r)).toEqual([...expected].sort());
const messages = (r: RoomEvaluation, code: string) => r.violations.filter((v) => v.code === code).map((v) => reasonText(v.reason)).join(' | ');
const reasonsOf = (r: RoomEvaluation, i: number) => r.staff[i]!.reasons.map(reasonText).join(' | ');
const margins = (infant: number, toddler: number, preschooler: number, school_age: number) => ({ infant, toddler, preschooler, school_age });
const hasMixedNote = (r: RoomEvaluation) => r.notes.some((n) => /youngest/i.test(reasonText(n)));

describe('evaluateRoom (Minnesota)', () => {
  describe('worked examples of MN.md §8', () => {
    it('ex. 1: accepts 6 infants with a teacher and a 17-year-old aide she supervises', () => {
      // ceil(6/4) = 2 → slot 1 T, slot 2 A; group 6 ≤ 8; 2 more infants fit (8/4 = 2 staff, cap 8).
      const r = judge({ children: infants(6), people: [teacher(), aide({ ageYears: 17 })] });
      expect(r.requiredStaff).toBe(2);
      expect(r.countedStaff).toBe(2);
      expect(r.staff[1]).toMatchObject({ counted: true, countsAs: 'aide' });
      expect(r.violations).toEqual([]);
      expect(r.maxGroupSize).toBe(8);
      expect(r.margin.staff).toBe(0);
      expect(r.margin.children.infant).toBe(2);
    });

    it('ex. 2: puts 5 infants with one teacher out of ratio', () => {
      // ceil(5/4) = 2 required, 1 counted.
      const r = judge({ children: infants(5), people: [teacher()] });
      expect(r.requiredStaff).toBe(2);
      expect(r.countedStaff).toBe(1);
      expectCodes(r, ['over_ratio']);
      expect(r.margin.staff).toBe(-1);
      expect(r.margin.children).toEqual(margins(0, 0, 0, 0));
    });

    it('ex. 3: puts 14 toddlers with a teacher and an assistant teacher at limit', () => {
      // ceil(14/7) = 2; AT fills slot 2 ("at least an aide"); 14 = cap 14.
      const r = judge({ children: toddlers(14), people: [teacher(), assistantTeacher()] });
      expect(r.requiredStaff).toBe(2);
      expect(r.countedStaff).toBe(2);
      expect(r.violations).toEqual([]);
      expect(r.maxGroupSize).toBe(14);
      expect(r.margin.staff).toBe(0);
      expect(r.margin.children.toddler).toBe(0);
    });

    it('ex. 4: reports a 15th toddler indoors as over group size only', () => {
      // ceil(15/7) = 3: T, A (slot 2), AT (slot 3) meet the pattern; 15 > 14.
      const r = judge({ children: toddlers(15), people: [teacher(), assistantTeacher(), aide()] });
      expect(r.requiredStaff).toBe(3);
      expect(r.countedStaff).toBe(3);
      expectCodes(r, ['over_group_size']);
      expect(r.maxGroupSize).toBe(14);
    });

    it('ex. 5: accepts the same 15 toddlers outdoors, where the group-size cap is lifted', () => {
      const r = judge({ activity: 'outdoor', children: toddlers(15), people: [teacher(), assistantTeacher(), aide()] });
      expect(r.violations).toEqual([]);
      expect(r.maxGroupSize).toBeNull();
    });

    it('ex. 5: requires the 3rd counted staff to be at least an assistant teacher (teacher + two aides outdoors)', () => {
      const r = judge({ activity: 'outdoor', children: toddlers(15), people: [teacher(), aide(), aide()] });
      expect(r.countedStaff).toBe(3);
      expectCodes(r, ['staff_distribution']);
      expect(messages(r, 'staff_distribution')).toMatch(/3rd/);
      expect(messages(r, 'staff_distribution')).toMatch(/assistant teacher/i);
    });

    it('ex. 6: lets an assistant teacher stand in for the teacher at arrival (18 preschoolers, AT + aide)', () => {
      // ceil(18/10) = 2; slot 1 AT (subp. 2 B substitution), slot 2 aide; 18 ≤ 20.
      const r = judge({ activity: 'arrival_departure', children: preschoolers(18), people: [assistantTeacher(), aide()] }, '2026-03-02T07:00:00-06:00');
      expect(r.requiredStaff).toBe(2);
      expect(r.violations).toEqual([]);
    });

    it('ex. 6: needs a teacher in slot 1 for the same staffing at 10:00 (normal activity)', () => {
      const r = judge({ activity: 'normal', children: preschoolers(18), people: [assistantTeacher(), aide()] }, '2026-03-02T10:00:00-06:00');
      expectCodes(r, ['staff_distribution']);
    });

    // Aide X: 19, first day 45 days before 2026-03-02 (2026-01-16), orientation and all 90-day training done.
    const aideX = (more: Partial<PersonInRoom> = {}) =>
      aide({ ageYears: 19, startedOn: '2026-01-16', trainings: records(STAFF_TRAININGS, { orientation: '2026-01-16', first_aid: '2026-01-20', cpr: '2026-01-20', child_development: '2026-01-25', suid: '2026-01-20', aht: '2026-01-20' }), ...more });

    it('ex. 7: lets an aide of 19 with 45 days and all 90-day training lead 9 preschoolers alone at arrival (142B.41 subd. 14)', () => {
      const r = judge({ activity: 'arrival_departure', children: preschoolers(9), people: [aideX()] }, '2026-03-02T07:00:00-06:00');
      expect(r.requiredStaff).toBe(1);
      expect(r.countedStaff).toBe(1);
      expect(r.violations).toEqual([]);
    });

    it('ex. 7: does not let that aide lead at arrival after only 20 days at the center', () => {
      // startedOn 2026-02-10 = 20 days before 2026-03-02; trainings done since.
      const x = aideX({ startedOn: '2026-02-10', trainings: records(STAFF_TRAININGS, { orientation: '2026-02-10', first_aid: '2026-02-12', cpr: '2026-02-12', child_development: '2026-02-12' }) });
      const r = judge({ activity: 'arrival_departure', children: preschoolers(9), people: [x] }, '2026-03-02T07:00:00-06:00');
      expect(r.countedStaff).toBe(1);
      expectCodes(r, ['staff_distribution']);
    });

    it('ex. 7: does not let a 17-year-old aide lead at arrival, and she is unsupervised alone', () => {
      const r = judge({ activity: 'arrival_departure', children: preschoolers(9), people: [aideX({ ageYears: 17 })] }, '2026-03-02T07:00:00-06:00');
      expect(r.staff[0]!.counted).toBe(true);
      expectCodes(r, ['staff_distribution', 'unsupervised_staff']);
    });

    it('ex. 9: accepts 30 school-age children with a teacher and a 16-year-old aide, at limit', () => {
      // ceil(30/15) = 2; 30 = cap 30; the aide under 18 is supervised by the teacher.
      const r = judge({ children: schoolAge(30), people: [teacher(), aide({ ageYears: 16 })] });
      expect(r.requiredStaff).toBe(2);
      expect(r.countedStaff).toBe(2);
      expect(r.violations).toEqual([]);
      expect(r.maxGroupSize).toBe(30);
      expect(r.margin.staff).toBe(0);
      expect(r.margin.children.school_age).toBe(0);
    });

    it('ex. 9: reports a 31st school-age child as over group size and, needing 3 staff, over ratio', () => {
      // ceil(31/15) = 3 > 2 counted; 31 > 30.
      const r = judge({ children: schoolAge(31), people: [teacher(), aide({ ageYears: 16 })] });
      expect(r.requiredStaff).toBe(3);
      expectCodes(r, ['over_group_size', 'over_ratio']);
    });

    it('ex. 10: judges 3 infants and 4 toddlers at the infant ratio and accepts a teacher and an aide', () => {
      // Youngest = infant: 1:4, cap 8. ceil(7/4) = 2.
      // 11 months: born 2025-03-20; 20 months: born 2024-07-01.
      const r = judge({ children: [...times(3, { birthDate: '2025-03-20' }), ...toddlers(4)], people: [teacher(), aide()] });
      expect(r.byCategory).toEqual(margins(3, 4, 0, 0));
      expect(r.requiredStaff).toBe(2);
      expect(r.maxGroupSize).toBe(8);
      expect(r.violations).toEqual([]);
      expect(hasMixedNote(r)).toBe(true);
      // One more child of any category: 8 ≤ 8 and ceil(8/4) = 2; a second would exceed both.
      expect(r.margin.children).toEqual(margins(1, 1, 1, 1));
    });

    it('ex. 10: reports 3 infants and 6 toddlers with a teacher and an aide as over ratio and over group size', () => {
      // ceil(9/4) = 3 > 2; 9 > 8.
      const r = judge({ children: [...times(3, { birthDate: '2025-03-20' }), ...toddlers(6)], people: [teacher(), aide()] });
      expect(r.requiredStaff).toBe(3);
      expect(r.maxGroupSize).toBe(8);
      expectCodes(r, ['over_group_size', 'over_ratio']);
      expect(hasMixedNote(r)).toBe(true);
    });

    it('ex. 11: judges 12 preschoolers and 10 school-age children at the preschool ratio and cap', () => {
      // Youngest = preschooler: ceil(22/10) = 3 > 2; 22 > 20.
      const r = judge({ children: [...preschoolers(12), ...schoolAge(10)], people: [teacher(), aide()] });
      expect(r.requiredStaff).toBe(3);
      expect(r.maxGroupSize).toBe(20);
      expectCodes(r, ['over_group_size', 'over_ratio']);
      expect(hasMixedNote(r)).toBe(true);
    });

    it('ex. 11: still needs 3 staff for the same group on the playground, where the cap is lifted', () => {
      const r = judge({ activity: 'outdoor', children: [...preschoolers(12), ...schoolAge(10)], people: [teacher(), aide()] });
      expect(r.requiredStaff).toBe(3);
      expect(r.maxGroupSize).toBeNull();
      expectCodes(r, ['over_ratio']);
    });

    it('ex. 12: gives no nap relief: 14 sleeping toddlers with one teacher are out of ratio', () => {
      // ceil(14/7) = 2 > 1.
      const r = judge({ activity: 'nap', children: toddlers(14), people: [teacher()] });
      expect(r.requiredStaff).toBe(2);
      expectCodes(r, ['over_ratio']);
    });

    it('ex. 12: accepts two toddler rooms combined for naps (20) with T, AT and aide, cap lifted', () => {
      // ceil(20/7) = 3: T, A+, AT+; 20 > 14 but nap lifts the cap.
      const r = judge({ activity: 'nap', children: toddlers(20), people: [teacher(), aide(), assistantTeacher()] });
      expect(r.requiredStaff).toBe(3);
      expect(r.maxGroupSize).toBeNull();
      expect(r.violations).toEqual([]);
    });

    it('ex. 12: still applies the distribution pattern at nap time (T + 2 aides for 20 toddlers)', () => {
      const r = judge({ activity: 'nap', children: toddlers(20), people: [teacher(), aide(), aide()] });
      expectCodes(r, ['staff_distribution']);
    });

    it('ex. 13: counts a grandparent volunteer with current infant trainings toward the infant ratio', () => {
      // 8 infants: ceil(8/4) = 2; G meets aide level → slot 2.
      const r = judge({ children: infants(8), people: [teacher(), volunteer()] });
      expect(r.staff[1]).toMatchObject({ counted: true, countsAs: 'aide' });
      expect(r.countedStaff).toBe(2);
      expect(r.violations).toEqual([]);
    });

    it('ex. 13: does not count the grandparent without Safe sleep (SUID) training; the room is then out of ratio', () => {
      const g = volunteer({ trainings: records(without(VOLUNTEER_TRAININGS, 'suid')) });
      const r = judge({ children: infants(8), people: [teacher(), g] });
      expect(r.staff[1]).toMatchObject({ counted: false, countsAs: null });
      expect(reasonsOf(r, 1)).toMatch(/Safe sleep \(SUID\)/);
      expect(r.countedStaff).toBe(1);
      // The teacher supervises the uncounted volunteer, so only the ratio is broken.
      expectCodes(r, ['over_ratio']);
    });

    it('ex. 13: needs a teacher in slot 1 when the grandparent is alone with the infants', () => {
      const r = judge({ children: infants(8), people: [volunteer()] });
      expect(r.countedStaff).toBe(1);
      expectCodes(r, ['over_ratio', 'staff_distribution']);
    });

    it('ex. 14: allows an aide with a pending study in a room of 7 toddlers led by a teacher, not counting her', () => {
      const r = judge({ children: toddlers(7), people: [teacher(), aide({ backgroundStudy: 'submitted' })] });
      expect(r.requiredStaff).toBe(1);
      expect(r.countedStaff).toBe(1);
      expect(r.staff[1]).toMatchObject({ counted: false, countsAs: null });
      expect(r.violations).toEqual([]);
    });

    it('ex. 14: reports an 8th toddler as over ratio and shows the pending study as the reason', () => {
      const r = judge({ children: toddlers(8), people: [teacher(), aide({ backgroundStudy: 'submitted' })] });
      expect(r.requiredStaff).toBe(2);
      expect(r.countedStaff).toBe(1);
      expectCodes(r, ['over_ratio']);
      expect(reasonsOf(r, 1)).toMatch(/background study/i);
      expect(reasonsOf(r, 1)).toMatch(/pending|submitted/i);
    });

    it('ex. 14: reports the aide with a pending study alone as unsupervised (and the room as out of ratio)', () => {
      const r = judge({ children: toddlers(7), people: [aide({ backgroundStudy: 'submitted' })] });
      expect(r.countedStaff).toBe(0);
      expectCodes(r, ['over_ratio', 'unsupervised_staff']);
    });

    it('ex. 16: makes a child born 2025-03-15 the youngest (infant) of a toddler room on 2026-07-14', () => {
      // 5 toddlers + that infant, one teacher: infant ratio, ceil(6/4) = 2 > 1.
      const room = { children: [...toddlers(5), { birthDate: '2025-03-15' }], people: [teacher()] };
      const r = judge(room, '2026-07-14T10:00:00-05:00');
      expect(r.byCategory).toEqual(margins(1, 5, 0, 0));
      expect(r.requiredStaff).toBe(2);
      expect(r.maxGroupSize).toBe(8);
      expectCodes(r, ['over_ratio']);
    });

    it('ex. 16: still judges that child an infant at 2026-07-15T03:00Z, which is 14 July in Chicago', () => {
      const room = { children: [...toddlers(5), { birthDate: '2025-03-15' }], people: [teacher()] };
      const r = judge(room, '2026-07-15T03:00:00Z');
      expect(r.byCategory.infant).toBe(1);
      expect(r.requiredStaff).toBe(2);
    });

    it('ex. 16: judges that child a toddler from 2026-07-15 (16 months), so one teacher suffices', () => {
      const room = { children: [...toddlers(5), { birthDate: '2025-03-15' }], people: [teacher()] };
      const r = judge(room, '2026-07-15T12:00:00-05:00');
      expect(r.byCategory).toEqual(margins(0, 6, 0, 0));
      expect(r.requiredStaff).toBe(1);
      expect(r.maxGroupSize).toBe(14);
      expect(r.violations).toEqual([]);
      expect(hasMixedNote(r)).toBe(false);
    });

    it('ex. 16: flags a 5-week-old as below the minimum age and counts the child as an infant', () => {
      // Born 2026-01-26: 35 days on 2026-03-02.
      const r = judge({ children: [{ birthDate: '2026-01-26' }], people: [teacher()] });
      expect(r.byCategory.infant).toBe(1);
      expect(r.requiredStaff).toBe(1);
      expectCodes(r, ['below_minimum_age']);
    });
  });

  describe('mixed groups (9503.0040 subp. 3; Q3 default: youngest category)', () => {
    it('judges one infant among 7 preschoolers at the infant ratio, not pro rata', () => {
      // Youngest = infant: ceil(8/4) = 2 > 1. (Pro rata would be 1/4 + 7/10 = 0.95 → 1.)
      const r = judge({ children: [...infants(1), ...preschoolers(7)], people: [teacher()] });
      expect(r.requiredStaff).toBe(2);
      expect(r.maxGroupSize).toBe(8);
      expectCodes(r, ['over_ratio']);
      expect(hasMixedNote(r)).toBe(true);
    });

    it('accepts one infant among 7 preschoolers with a teacher and an aide', () => {
      const r = judge({ children: [...infants(1), ...preschoolers(7)], people: [teacher(), aide()] });
      expect(r.violations).toEqual([]);
      // 8 = cap 8 and 2 × 4 = 8: no child of any category may join.
      expect(r.margin.children).toEqual(margins(0, 0, 0, 0));
    });

    it('judges toddlers with school-age children at the toddler ratio and group size', () => {
      // Youngest = toddler: ceil(10/7) = 2 > 1; cap 14.
      const r = judge({ children: [...toddlers(4), ...schoolAge(6)], people: [teacher()] });
      expect(r.requiredStaff).toBe(2);
      expect(r.maxGroupSize).toBe(14);
      expectCodes(r, ['over_ratio']);
    });

    it('counts a child younger than 6 weeks as an infant, making the whole group an infant group', () => {
      // 3 toddlers + a 5-week-old (born 2026-01-26): youngest = infant, ceil(4/4) = 1, cap 8.
      const r = judge({ children: [...toddlers(3), { birthDate: '2026-01-26' }], people: [teacher()] });
      expect(r.byCategory).toEqual(margins(1, 3, 0, 0));
      expect(r.requiredStaff).toBe(1);
      expect(r.maxGroupSize).toBe(8);
      expectCodes(r, ['below_minimum_age']);
    });

    it('requires SUID of a volunteer in a toddler room as soon as one infant is present', () => {
      const g = volunteer({ trainings: records(without(VOLUNTEER_TRAININGS, 'suid')) });
      const r = judge({ children: [...toddlers(3), ...infants(1)], people: [teacher(), g] });
      expect(r.staff[1]!.counted).toBe(false);
      expect(reasonsOf(r, 1)).toMatch(/Safe sleep \(SUID\)/);
    });

    it('requires AHT of a volunteer when one preschooler is among school-age children', () => {
      const g = volunteer({ trainings: records(without(VOLUNTEER_TRAININGS, 'aht', 'suid')) });
      const r = judge({ children: [...schoolAge(5), ...preschoolers(1)], people: [teacher(), g] });
      expect(r.staff[1]!.counted).toBe(false);
    });
  });

  describe('minimum ages of levels (9503.0032–0034)', () => {
    it('does not count a teacher of 17', () => {
      const r = judge({ children: toddlers(3), people: [teacher({ ageYears: 17 })] });
      expect(r.staff[0]!.counted).toBe(false);
      expectCodes(r, ['over_ratio']);
    });

    it('does not count an assistant teacher of 17', () => {
      const r = judge({ children: toddlers(3), people: [teacher(), assistantTeacher({ ageYears: 17 })] });
      expect(r.staff[1]!.counted).toBe(false);
    });

    it('counts a 16-year-old volunteer at aide level but requires a teacher or AT with them', () => {
      const young = volunteer({ ageYears: 16 });
      const supervised = judge({ children: toddlers(10), people: [teacher(), young] });
      expect(supervised.staff[1]).toMatchObject({ counted: true, countsAs: 'aide' });
      expect(supervised.violations).toEqual([]);
      const alone = judge({ children: toddlers(3), people: [young] });
      expectCodes(alone, ['staff_distribution', 'unsupervised_staff']);
    });

    it('does not count a training completed after the instant judged', () => {
      // SUID on 2026-03-03, the day after the day judged.
      const g = volunteer({ trainings: records(VOLUNTEER_TRAININGS, { suid: '2026-03-03' }) });
      const r = judge({ children: infants(5), people: [teacher(), g] });
      expect(r.staff[1]!.counted).toBe(false);
    });

    it('does not make an aide standing in for the teacher at arrival a supervisor of an aide under 18', () => {
      // 18 preschoolers: slot 1 lead aide (subd. 14), slot 2 the 17-year-old; but only a teacher or AT supervises.
      const lead = aide({ ageYears: 22, startedOn: '2026-01-16' });
      const r = judge({ activity: 'arrival_departure', children: preschoolers(18), people: [lead, aide({ ageYears: 17 })] }, '2026-03-02T07:00:00-06:00');
      expect(r.countedStaff).toBe(2);
      expectCodes(r, ['unsupervised_staff']);
    });
  });

  describe('further rule checks', () => {
    it('lets a qualifying aide lead at arrival in June 2025, under the 2023 law that ran until 2025-07-01', () => {
      // MN.md §2: 142B.41 subd. 14 effective 2025-07-01; "same rule ran 2023-07-01 to 2025-07-01
      // under Laws 2023 ch. 70 art. 8 s. 63". Aide 20, started 2025-03-01 (107 days), all training done.
      // The preschoolers (born 2022-06-01) are 36 months old on 2025-06-16.
      const x = aide({
        ageYears: 20,
        startedOn: '2025-03-01',
        trainings: records(STAFF_TRAININGS, { orientation: '2025-03-01', suid: '2025-03-05', aht: '2025-03-05', first_aid: '2025-03-10', cpr: '2025-03-10', child_development: '2025-03-20' }),
      });
      const r = judge({ activity: 'arrival_departure', children: preschoolers(9), people: [x] }, '2025-06-16T07:00:00-05:00');
      expect(r.staff[0]!.counted).toBe(true);
      expect(r.violations).toEqual([]);
    });

    it('does not let an aide lead at arrival before the 2023 law took effect (June 2023)', () => {
      // Before 2023-07-01 only an assistant teacher could stand in (9503.0040 subp. 2 B).
      const x = aide({
        ageYears: 20,
        startedOn: '2023-03-01',
        trainings: records(STAFF_TRAININGS, { orientation: '2023-03-01', suid: '2023-03-05', aht: '2023-03-05', first_aid: '2023-03-10', cpr: '2023-03-10', child_development: '2023-03-20' }),
      });
      // Children born 2019-06-01: 4 years old in June 2023, preschoolers.
      const r = judge({ activity: 'arrival_departure', children: times(9, { birthDate: '2019-06-01' }), people: [x] }, '2023-06-15T07:00:00-05:00');
      expect(r.staff[0]!.counted).toBe(true);
      expectCodes(r, ['staff_distribution']);
    });

    it('still requires supervision for an aide of 17 marked qualified', () => {
      const r = judge({ children: toddlers(3), people: [{ role: 'aide', qualified: true, ageYears: 17 }] });
      expect(r.staff[0]!.counted).toBe(true);
      expectCodes(r, ['staff_distribution', 'unsupervised_staff']);
    });

    it('does not count a person marked qualified whose background study is only submitted', () => {
      // "a submitted background study never counts" (MN.md §5; Q7).
      const r = judge({ children: toddlers(3), people: [teacher(), { role: 'teacher', qualified: true, ageYears: 40, backgroundStudy: 'submitted' }] });
      expect(r.staff[1]!.counted).toBe(false);
    });

    it('does not count, and does not allow, a disqualified teacher even when marked qualified', () => {
      // "disqualified: never present with children" (MN.md §5; 245C.14).
      const r = judge({ children: toddlers(3), people: [{ role: 'teacher', qualified: true, ageYears: 40, backgroundStudy: 'disqualified' }] });
      expect(r.staff[0]).toMatchObject({ counted: false, countsAs: null, presence: 'not_allowed' });
      expect(codes(r)).toContain('over_ratio');
    });

    it('counts a volunteer marked qualified at the level they qualify as, without training records', () => {
      const r = judge({ children: infants(5), people: [teacher(), { role: 'volunteer', qualifiesAs: 'aide', qualified: true, ageYears: 40, backgroundStudy: 'cleared' }] });
      expect(r.staff[1]).toMatchObject({ counted: true, countsAs: 'aide' });
      expect(r.violations).toEqual([]);
    });

    it('names the teacher slot when an adult aide leads alone', () => {
      const r = judge({ children: toddlers(3), people: [aide()] });
      expect(messages(r, 'staff_distribution')).toMatch(/teacher/i);
    });

    it('names the youngest category in the mixed-group note, with no placeholder left', () => {
      const r = judge({ children: [...infants(2), ...toddlers(2)], people: [teacher()] });
      const note = r.notes.map(reasonText).find((n) => /youngest/i.test(n))!;
      expect(note).toMatch(/infant/i);
      expect(note).not.toMatch(/[{}]/);
    });

    it('requires SUID of a volunteer when the only infant is younger than 6 weeks', () => {
      const g = volunteer({ trainings: records(without(VOLUNTEER_TRAININGS, 'suid')) });
      const r = judge({ children: [...toddlers(3), { birthDate: '2026-01-26' }], people: [teacher(), g] });
      expect(r.staff[1]!.counted).toBe(false);
    });

    it('gives no grace for SUID, a "before" training, even to a new aide (started 2026-02-20)', () => {
      const r = judge({ children: infants(5), people: [teacher(), aide({ startedOn: '2026-02-20', trainings: records(without(STAFF_TRAININGS, 'suid')) })] });
      expect(r.staff[1]!.counted).toBe(false);
      expectCodes(r, ['over_ratio']);
    });

    it('counts a student who qualifies as an aide, and supervises a student of 17', () => {
      const student = person('student', { ageYears: 17, qualifiesAs: 'aide' });
      const withTeacher = judge({ children: toddlers(10), people: [teacher(), student] });
      expect(withTeacher.staff[1]).toMatchObject({ counted: true, countsAs: 'aide' });
      expect(withTeacher.violations).toEqual([]);
      expectCodes(judge({ children: toddlers(3), people: [student] }), ['staff_distribution', 'unsupervised_staff']);
    });

    it('does not count a student without a qualification, who then needs a supervisor', () => {
      const student = person('student', { ageYears: 17 });
      const r = judge({ children: toddlers(3), people: [student] });
      expect(r.staff[0]!.counted).toBe(false);
      expectCodes(r, ['over_ratio', 'unsupervised_staff']);
    });
  });

  describe('ratio boundaries (9503.0040 subp. 1), one teacher', () => {
    const cases: Array<[string, (n: number) => ChildInRoom[], number, keyof ReturnType<typeof margins>]> = [
      ['infants', infants, 4, 'infant'],
      ['toddlers', toddlers, 7, 'toddler'],
      ['preschoolers', preschoolers, 10, 'preschooler'],
      ['school-age children', schoolAge, 15, 'school_age'],
    ];
    for (const [label, make, n, category] of cases) {
      it(`accepts ${n} ${label} with one teacher and puts the room at limit`, () => {
        const r = judge({ children: make(n), people: [teacher()] });
        expect(r.requiredStaff).toBe(1);
        expect(r.countedStaff).toBe(1);
        expect(r.violations).toEqual([]);
        expect(r.margin.staff).toBe(0);
        expect(r.margin.children[category]).toBe(0);
      });

      it(`needs a second staff person for ${n + 1} ${label}`, () => {
        const r = judge({ children: make(n + 1), people: [teacher()] });
        expect(r.requiredStaff).toBe(2);
        expectCodes(r, ['over_ratio']);
        expect(r.margin.staff).toBe(-1);
        expect(r.margin.children[category]).toBe(0);
      });
    }

    it('requires no staff for an empty room', () => {
      const r = judge({ children: [], people: [] });
      expect(r.requiredStaff).toBe(0);
      expect(r.countedStaff).toBe(0);
      expect(r.violations).toEqual([]);
    });

    it('requires one staff person for a single child', () => {
      const r = judge({ children: schoolAge(1), people: [] });
      expect(r.requiredStaff).toBe(1);
      expectCodes(r, ['over_ratio']);
    });

    it('reports a room with children and no counted person as over ratio only, not as staff distribution', () => {
      const r = judge({ children: toddlers(3), people: [] });
      expectCodes(r, ['over_ratio']);
    });

    it('judges a kindergarten-eligible child who has not attended kindergarten at the preschool ratio (Q1)', () => {
      // Born 2021-01-15: 5 y 1 m on 2026-03-02. 11 such children: ceil(11/10) = 2 as preschoolers
      // (ceil(11/15) = 1 as school-age), so one teacher is out of ratio.
      const r = judge({ children: times(11, { birthDate: '2021-01-15' }), people: [teacher()] });
      expect(r.byCategory).toEqual(margins(0, 0, 11, 0));
      expect(r.requiredStaff).toBe(2);
      expectCodes(r, ['over_ratio']);
    });

    it('judges the same children at the school-age ratio once they have attended kindergarten', () => {
      const r = judge({ children: times(11, { birthDate: '2021-01-15', attendsKindergarten: true }), people: [teacher()] });
      expect(r.byCategory).toEqual(margins(0, 0, 0, 11));
      expect(r.requiredStaff).toBe(1);
      expect(r.violations).toEqual([]);
    });
  });

  describe('group size (9503.0040 subp. 1, 2 C)', () => {
    it('reports 9 infants with 3 teachers as over group size only (ratio holds: ceil(9/4) = 3)', () => {
      const r = judge({ children: infants(9), people: [teacher(), teacher(), teacher()] });
      expect(r.requiredStaff).toBe(3);
      expect(r.countedStaff).toBe(3);
      expect(r.maxGroupSize).toBe(8);
      expectCodes(r, ['over_group_size']);
    });

    for (const activity of ['meal', 'outdoor', 'field_trip', 'nap', 'special'] as const) {
      it(`lifts the group-size cap during ${activity} (9 infants, 3 teachers)`, () => {
        const r = judge({ activity, children: infants(9), people: [teacher(), teacher(), teacher()] });
        expect(r.maxGroupSize).toBeNull();
        expect(r.violations).toEqual([]);
      });

      it(`keeps the ratio during ${activity} (9 infants, 2 teachers need a third)`, () => {
        const r = judge({ activity, children: infants(9), people: [teacher(), teacher()] });
        expect(r.requiredStaff).toBe(3);
        expectCodes(r, ['over_ratio']);
      });
    }

    for (const activity of ['normal', 'arrival_departure'] as const) {
      it(`keeps the group-size cap during ${activity} (9 infants, 3 teachers)`, () => {
        const r = judge({ activity, children: infants(9), people: [teacher(), teacher(), teacher()] });
        expect(r.maxGroupSize).toBe(8);
        expectCodes(r, ['over_group_size']);
      });
    }

    it('judges a mixed group at the group size of its youngest category even when the ratio holds', () => {
      // 3 infants + 6 toddlers, 3 teachers: ceil(9/4) = 3 counted OK; cap 8 (infant) < 9.
      const r = judge({ children: [...infants(3), ...toddlers(6)], people: [teacher(), teacher(), teacher()] });
      expect(r.requiredStaff).toBe(3);
      expect(r.maxGroupSize).toBe(8);
      expectCodes(r, ['over_group_size']);
      expect(hasMixedNote(r)).toBe(true);
    });

    it("applies a room's own stricter group-size limit", () => {
      const r = judge({ children: toddlers(7), people: [teacher()], maxGroupSize: 6 });
      expect(r.maxGroupSize).toBe(6);
      expectCodes(r, ['over_group_size']);
    });

    it("never lets a room's own limit loosen the pack's group size", () => {
      const r = judge({ children: toddlers(15), people: [teacher(), aide(), assistantTeacher()], maxGroupSize: 20 });
      expect(r.maxGroupSize).toBe(14);
      expectCodes(r, ['over_group_size']);
    });
  });

  describe('staff distribution (9503.0040 subp. 2 D: T, A, AT, A, repeating)', () => {
    it('needs a teacher when an adult aide is alone with the children', () => {
      const r = judge({ children: toddlers(3), people: [aide()] });
      expect(r.countedStaff).toBe(1);
      expectCodes(r, ['staff_distribution']);
    });

    it('needs a teacher when an assistant teacher is alone at normal activity', () => {
      const r = judge({ children: preschoolers(9), people: [assistantTeacher()] });
      expectCodes(r, ['staff_distribution']);
    });

    it('accepts teacher + assistant teacher + aide for 15 toddlers outdoors', () => {
      const r = judge({ activity: 'outdoor', children: toddlers(15), people: [aide(), assistantTeacher(), teacher()] });
      expect(r.violations).toEqual([]);
    });

    it('judges the mix by qualification, not by the order people are listed', () => {
      const r = judge({ children: toddlers(10), people: [aide(), teacher()] });
      expect(r.violations).toEqual([]);
    });

    it('lets more qualified people fill less demanding slots (three teachers)', () => {
      const r = judge({ activity: 'outdoor', children: toddlers(15), people: [teacher(), teacher(), teacher()] });
      expect(r.violations).toEqual([]);
    });

    it('ignores extra aides beyond the staff needed for ratio', () => {
      // 3 toddlers need 1: the teacher fills slot 1; the aides are extra.
      const r = judge({ children: toddlers(3), people: [teacher(), aide(), aide()] });
      expect(r.violations).toEqual([]);
    });

    it('accepts T, A, AT, A for 13 infants outdoors (4 slots)', () => {
      // ceil(13/4) = 4.
      const r = judge({ activity: 'outdoor', children: infants(13), people: [teacher(), aide(), assistantTeacher(), aide()] });
      expect(r.requiredStaff).toBe(4);
      expect(r.violations).toEqual([]);
    });

    it('needs an assistant teacher in slot 3 of 4 (T + three aides for 13 infants outdoors)', () => {
      const r = judge({ activity: 'outdoor', children: infants(13), people: [teacher(), aide(), aide(), aide()] });
      expectCodes(r, ['staff_distribution']);
    });

    it('needs a second teacher in the 5th slot (17 infants outdoors with T, A, AT, A, A)', () => {
      // ceil(17/4) = 5; the pattern repeats: slot 5 is a teacher slot.
      const r = judge({ activity: 'outdoor', children: infants(17), people: [teacher(), aide(), assistantTeacher(), aide(), aide()] });
      expect(r.requiredStaff).toBe(5);
      expect(r.countedStaff).toBe(5);
      expectCodes(r, ['staff_distribution']);
      expect(messages(r, 'staff_distribution')).toMatch(/5th/);
      expect(messages(r, 'staff_distribution')).toMatch(/teacher/i);
    });

    it('accepts 17 infants outdoors with T, A, AT, A, T', () => {
      const r = judge({ activity: 'outdoor', children: infants(17), people: [teacher(), aide(), assistantTeacher(), aide(), teacher()] });
      expect(r.violations).toEqual([]);
    });

    it('needs an assistant teacher in slot 7 (25 infants outdoors, two teachers, one AT, four aides)', () => {
      // ceil(25/4) = 7: slots T, A, AT, A, T, A, AT → two AT-level people needed besides the teachers.
      const r = judge({ activity: 'outdoor', children: infants(25), people: [teacher(), teacher(), assistantTeacher(), aide(), aide(), aide(), aide()] });
      expect(r.requiredStaff).toBe(7);
      expectCodes(r, ['staff_distribution']);
    });
  });

  describe('arrival and departure substitutions (9503.0040 subp. 2 B; 142B.41 subd. 14)', () => {
    const ARRIVAL = '2026-03-02T07:00:00-06:00';
    // An aide who meets subd. 14: 18+, startedOn ≥ 30 days before, orientation, first aid, CPR and child development done.
    const leadAide = (more: Partial<PersonInRoom> = {}) => aide({ ageYears: 18, startedOn: '2026-01-16', ...more });

    it('lets an assistant teacher alone fill slot 1 at arrival/departure', () => {
      const r = judge({ activity: 'arrival_departure', children: preschoolers(9), people: [assistantTeacher()] }, ARRIVAL);
      expect(r.violations).toEqual([]);
    });

    it('lets an aide who meets 142B.41 subd. 14 fill slot 1 at arrival/departure', () => {
      const r = judge({ activity: 'arrival_departure', children: preschoolers(9), people: [leadAide()] }, ARRIVAL);
      expect(r.violations).toEqual([]);
    });

    it('does not let that aide fill slot 1 at normal activity', () => {
      const r = judge({ activity: 'normal', children: preschoolers(9), people: [leadAide()] }, ARRIVAL);
      expectCodes(r, ['staff_distribution']);
    });

    it('lets the lead aide and a second aide cover 18 preschoolers at arrival (slot 2 is an aide slot)', () => {
      const r = judge({ activity: 'arrival_departure', children: preschoolers(18), people: [leadAide(), aide()] }, ARRIVAL);
      expect(r.violations).toEqual([]);
    });

    it('counts exactly 30 days at the center as enough (first day 2026-01-31)', () => {
      // 2026-01-31 + 30 days = 2026-03-02 (January has 31 days, February 28).
      const r = judge({ activity: 'arrival_departure', children: preschoolers(9), people: [leadAide({ startedOn: '2026-01-31' })] }, ARRIVAL);
      expect(r.violations).toEqual([]);
    });

    it('does not accept 29 days at the center (first day 2026-02-01)', () => {
      const r = judge({ activity: 'arrival_departure', children: preschoolers(9), people: [leadAide({ startedOn: '2026-02-01' })] }, ARRIVAL);
      expect(r.staff[0]!.counted).toBe(true);
      expectCodes(r, ['staff_distribution']);
    });

    it('does not let an aide without a start date on record fill slot 1', () => {
      const r = judge({ activity: 'arrival_departure', children: preschoolers(9), people: [leadAide({ startedOn: null })] }, ARRIVAL);
      expectCodes(r, ['staff_distribution']);
    });

    for (const missing of ['first_aid', 'cpr', 'child_development']) {
      it(`does not let an aide lead at arrival without ${missing} on record, even inside the 90-day grace`, () => {
        // startedOn 2026-01-16: 45 days, so first aid / CPR / child development are still in grace
        // and the aide counts, but subd. 14 requires the training finished.
        const trainings = records(without(STAFF_TRAININGS, missing));
        const r = judge({ activity: 'arrival_departure', children: preschoolers(9), people: [leadAide({ trainings })] }, ARRIVAL);
        expect(r.staff[0]!.counted).toBe(true);
        expectCodes(r, ['staff_distribution']);
      });
    }

    it('does not count an aide without orientation at all, so the room has no counted person (over ratio only)', () => {
      const trainings = records(without(STAFF_TRAININGS, 'orientation'));
      const r = judge({ activity: 'arrival_departure', children: preschoolers(9), people: [leadAide({ trainings })] }, ARRIVAL);
      expect(r.staff[0]!.counted).toBe(false);
      expectCodes(r, ['over_ratio']);
    });

    it('lets an aide marked qualified (trainings on file elsewhere) lead at arrival when 18+ with 30+ days', () => {
      const r = judge({ activity: 'arrival_departure', children: preschoolers(9), people: [{ role: 'aide', qualified: true, ageYears: 19, startedOn: '2026-01-16', backgroundStudy: 'cleared' }] }, ARRIVAL);
      expect(r.violations).toEqual([]);
    });

    it('does not let an aide of 17 lead at arrival, and reports her unsupervised', () => {
      const r = judge({ activity: 'arrival_departure', children: preschoolers(9), people: [leadAide({ ageYears: 17 })] }, ARRIVAL);
      expectCodes(r, ['staff_distribution', 'unsupervised_staff']);
    });
  });

  describe('supervision of aides under 18 (9503.0034 subp. 1; Q5)', () => {
    it('counts an aide under 18 alone but reports both the missing teacher and the missing supervision', () => {
      const r = judge({ children: toddlers(3), people: [aide({ ageYears: 17 })] });
      expect(r.staff[0]).toMatchObject({ counted: true, countsAs: 'aide' });
      expectCodes(r, ['staff_distribution', 'unsupervised_staff']);
    });

    it('accepts an aide under 18 supervised by a counted assistant teacher (no unsupervised_staff)', () => {
      const r = judge({ children: toddlers(10), people: [teacher(), assistantTeacher(), aide({ ageYears: 17 })] });
      expect(r.violations).toEqual([]);
    });

    it('does not treat an adult aide as a supervisor of an aide under 18', () => {
      const r = judge({ children: toddlers(10), people: [aide(), aide({ ageYears: 17 })] });
      expect(codes(r)).toContain('unsupervised_staff');
    });

    it('does not treat a teacher whose study is pending as a supervisor', () => {
      const r = judge({ children: toddlers(3), people: [teacher({ backgroundStudy: 'submitted' }), aide({ ageYears: 17 })] });
      expect(r.staff[0]!.counted).toBe(false);
      expectCodes(r, ['staff_distribution', 'unsupervised_staff']);
    });

    it('needs no supervision for an aide from the 18th birthday (birth date 2008-03-02)', () => {
      const r = judge({ children: toddlers(3), people: [aide({ ageYears: null, birthDate: '2008-03-02' })] });
      expectCodes(r, ['staff_distribution']);
    });

    it('needs supervision for an aide the day before the 18th birthday (birth date 2008-03-03)', () => {
      const r = judge({ children: toddlers(3), people: [aide({ ageYears: null, birthDate: '2008-03-03' })] });
      expect(r.staff[0]!.counted).toBe(true);
      expectCodes(r, ['staff_distribution', 'unsupervised_staff']);
    });

    it('does not count an aide younger than 16', () => {
      const r = judge({ children: toddlers(3), people: [teacher(), aide({ ageYears: 15 })] });
      expect(r.staff[1]).toMatchObject({ counted: false, countsAs: null });
      expect(r.countedStaff).toBe(1);
    });
  });

  describe('volunteers (9503.0034 subp. 2; §4 trainings)', () => {
    it('counts a volunteer with current infant trainings toward the infant ratio, at aide level', () => {
      const r = judge({ children: infants(5), people: [teacher(), volunteer()] });
      expect(r.staff[1]).toMatchObject({ counted: true, countsAs: 'aide' });
      expect(r.violations).toEqual([]);
    });

    it('does not count a volunteer whose Safe sleep (SUID) training expired on its 12-month anniversary', () => {
      // SUID completed 2025-03-02 expires 2026-03-02, the day judged.
      const g = volunteer({ trainings: records(VOLUNTEER_TRAININGS, { suid: '2025-03-02' }) });
      const r = judge({ children: infants(5), people: [teacher(), g] });
      expect(r.staff[1]).toMatchObject({ counted: false, countsAs: null });
      expect(reasonsOf(r, 1)).toMatch(/Safe sleep \(SUID\)/);
      expectCodes(r, ['over_ratio']);
    });

    it('counts a volunteer whose SUID training was completed 2025-03-03 (valid through 2026-03-02)', () => {
      const g = volunteer({ trainings: records(VOLUNTEER_TRAININGS, { suid: '2025-03-03' }) });
      const r = judge({ children: infants(5), people: [teacher(), g] });
      expect(r.staff[1]!.counted).toBe(true);
    });

    it('does not count a volunteer with no SUID training in an infant group and names Safe sleep (SUID)', () => {
      const g = volunteer({ trainings: records(without(VOLUNTEER_TRAININGS, 'suid')) });
      const r = judge({ children: infants(5), people: [teacher(), g] });
      expect(r.staff[1]!.counted).toBe(false);
      expect(reasonsOf(r, 1)).toMatch(/Safe sleep \(SUID\)/);
    });

    it('does not require SUID training of a volunteer in a group without infants', () => {
      const g = volunteer({ trainings: records(without(VOLUNTEER_TRAININGS, 'suid')) });
      const r = judge({ children: toddlers(10), people: [teacher(), g] });
      expect(r.staff[1]!.counted).toBe(true);
      expect(r.violations).toEqual([]);
    });

    it('requires AHT training of a volunteer in a group with a child under school age', () => {
      const g = volunteer({ trainings: records(without(VOLUNTEER_TRAININGS, 'aht')) });
      const r = judge({ children: preschoolers(15), people: [teacher(), g] });
      expect(r.staff[1]!.counted).toBe(false);
      expect(reasonsOf(r, 1)).toMatch(/AHT|abusive head trauma/i);
      expectCodes(r, ['over_ratio']);
    });

    it('does not require AHT training of a volunteer in a school-age-only group', () => {
      const g = volunteer({ trainings: records(without(VOLUNTEER_TRAININGS, 'aht', 'suid')) });
      const r = judge({ children: schoolAge(20), people: [teacher(), g] });
      expect(r.staff[1]!.counted).toBe(true);
      expect(r.violations).toEqual([]);
    });

    it('requires orientation of a volunteer before counting', () => {
      const g = volunteer({ trainings: records(without(VOLUNTEER_TRAININGS, 'orientation')) });
      const r = judge({ children: toddlers(10), people: [teacher(), g] });
      expect(r.staff[1]!.counted).toBe(false);
      expect(reasonsOf(r, 1)).toMatch(/orientation/i);
    });

    it('does not require child development training of a volunteer to count', () => {
      // VOLUNTEER_TRAININGS has no child_development record; startedOn is years ago (no grace).
      const r = judge({ children: toddlers(10), people: [teacher(), volunteer()] });
      expect(r.staff[1]!.counted).toBe(true);
    });

    it('does not count a volunteer without qualifiesAs, and needs a supervisor for them', () => {
      const g = volunteer({ qualifiesAs: null });
      const withTeacher = judge({ children: toddlers(3), people: [teacher(), g] });
      expect(withTeacher.staff[1]!.counted).toBe(false);
      expect(withTeacher.violations).toEqual([]);
      const alone = judge({ children: toddlers(3), people: [g] });
      expectCodes(alone, ['over_ratio', 'unsupervised_staff']);
    });

    it('reports a volunteer present but not counted as unsupervised when only an adult aide is with them', () => {
      const g = volunteer({ trainings: records(without(VOLUNTEER_TRAININGS, 'aht')) });
      const r = judge({ children: toddlers(3), people: [aide(), g] });
      expect(r.staff[1]!.counted).toBe(false);
      expectCodes(r, ['staff_distribution', 'unsupervised_staff']);
    });

    it('does not count a volunteer younger than the aide minimum of 16', () => {
      const r = judge({ children: toddlers(3), people: [teacher(), volunteer({ ageYears: 15 })] });
      expect(r.staff[1]!.counted).toBe(false);
    });

    it('counts a volunteer who qualifies as a teacher at teacher level, able to lead alone', () => {
      const r = judge({ children: toddlers(5), people: [volunteer({ qualifiesAs: 'teacher', ageYears: 30 })] });
      expect(r.staff[0]).toMatchObject({ counted: true, countsAs: 'teacher' });
      expect(r.violations).toEqual([]);
    });

    it('does not count a volunteer whose background study is only submitted', () => {
      const r = judge({ children: toddlers(3), people: [teacher(), volunteer({ backgroundStudy: 'submitted' })] });
      expect(r.staff[1]!.counted).toBe(false);
      expect(r.violations).toEqual([]);
    });

    it('counts a volunteer without first aid and CPR during the 90 days after the first day (started 2026-01-31)', () => {
      const g = volunteer({ startedOn: '2026-01-31', trainings: records(without(VOLUNTEER_TRAININGS, 'first_aid', 'cpr')) });
      const r = judge({ children: toddlers(10), people: [teacher(), g] });
      expect(r.staff[1]!.counted).toBe(true);
    });

    it('does not count a volunteer without first aid once 90 days have passed (started 2025-11-02, 120 days)', () => {
      const g = volunteer({ startedOn: '2025-11-02', trainings: records(without(VOLUNTEER_TRAININGS, 'first_aid')) });
      const r = judge({ children: toddlers(10), people: [teacher(), g] });
      expect(r.staff[1]!.counted).toBe(false);
      expect(reasonsOf(r, 1)).toMatch(/first aid/i);
    });

    it('gives no first-aid grace to a volunteer with no start date on record', () => {
      const g = volunteer({ startedOn: null, trainings: records(without(VOLUNTEER_TRAININGS, 'cpr')) });
      const r = judge({ children: toddlers(10), people: [teacher(), g] });
      expect(r.staff[1]!.counted).toBe(false);
      expect(reasonsOf(r, 1)).toMatch(/CPR/);
    });
  });

  describe('training renewal (Q8: first aid and CPR every 24 months, SUID and AHT every 12)', () => {
    // An aide whose CPR was completed 2024-03-02: expires 2026-03-02 (24 months), in Chicago.
    const cprAide = () => aide({ trainings: records(STAFF_TRAININGS, { cpr: '2024-03-02' }) });

    it('counts an aide on the day before the CPR 24-month anniversary', () => {
      const r = judge({ children: toddlers(10), people: [teacher(), cprAide()] }, '2026-03-01T09:30:00-06:00');
      expect(r.staff[1]!.counted).toBe(true);
      expect(r.violations).toEqual([]);
    });

    it('does not count the aide on the CPR anniversary itself (expired on 2026-03-02)', () => {
      const r = judge({ children: toddlers(10), people: [teacher(), cprAide()] });
      expect(r.staff[1]).toMatchObject({ counted: false, countsAs: null });
      expect(reasonsOf(r, 1)).toMatch(/CPR/);
      expectCodes(r, ['over_ratio']);
    });

    it('judges the anniversary on the Chicago date: 2026-03-02T03:00Z is still 1 March there', () => {
      const r = judge({ children: toddlers(10), people: [teacher(), cprAide()] }, '2026-03-02T03:00:00Z');
      expect(r.staff[1]!.counted).toBe(true);
    });

    it('does not count an aide whose first aid expired on its 24-month anniversary', () => {
      const r = judge({ children: toddlers(10), people: [teacher(), aide({ trainings: records(STAFF_TRAININGS, { first_aid: '2024-03-02' }) })] });
      expect(r.staff[1]!.counted).toBe(false);
      expect(reasonsOf(r, 1)).toMatch(/first aid/i);
    });

    it('does not count an aide whose AHT training expired on its 12-month anniversary', () => {
      const r = judge({ children: toddlers(10), people: [teacher(), aide({ trainings: records(STAFF_TRAININGS, { aht: '2025-03-02' }) })] });
      expect(r.staff[1]!.counted).toBe(false);
      expect(reasonsOf(r, 1)).toMatch(/AHT|abusive head trauma/i);
    });

    it('does not let the 90-day grace revive an expired CPR for a new employee', () => {
      // Started 2026-02-01 (29 days ago) but CPR completed 2024-02-01 expired 2026-02-01.
      const r = judge({ children: toddlers(10), people: [teacher(), aide({ startedOn: '2026-02-01', trainings: records(STAFF_TRAININGS, { cpr: '2024-02-01' }) })] });
      expect(r.staff[1]!.counted).toBe(false);
    });
  });

  describe('staff trainings (child development is required of staff roles)', () => {
    it('does not count an aide without child development training after the 90-day grace', () => {
      const r = judge({ children: toddlers(10), people: [teacher(), aide({ trainings: records(without(STAFF_TRAININGS, 'child_development')) })] });
      expect(r.staff[1]!.counted).toBe(false);
      expect(reasonsOf(r, 1)).toMatch(/child development/i);
      expectCodes(r, ['over_ratio']);
    });

    it('counts a new aide without child development training inside the 90-day grace (started 2026-02-01)', () => {
      const r = judge({ children: toddlers(10), people: [teacher(), aide({ startedOn: '2026-02-01', trainings: records(without(STAFF_TRAININGS, 'child_development')) })] });
      expect(r.staff[1]!.counted).toBe(true);
    });

    it('does not count a teacher without orientation', () => {
      const r = judge({ children: toddlers(3), people: [teacher({ trainings: records(without(STAFF_TRAININGS, 'orientation')) })] });
      expect(r.staff[0]!.counted).toBe(false);
      expectCodes(r, ['over_ratio']);
    });

    it('does not make the non-gating trainings (passenger restraint, mandated reporter, in-service) a condition', () => {
      // The standard staff record has none of them.
      const r = judge({ children: toddlers(3), people: [teacher()] });
      expect(r.staff[0]!.counted).toBe(true);
    });
  });

  describe('background studies (245C.13; Q7)', () => {
    it('never counts a person whose study is submitted, even a teacher', () => {
      const r = judge({ children: toddlers(3), people: [teacher(), teacher({ backgroundStudy: 'submitted' })] });
      expect(r.staff[1]).toMatchObject({ counted: false, countsAs: null });
      expect(r.countedStaff).toBe(1);
      expect(r.violations).toEqual([]);
    });

    it('allows a person with a submitted study under a counted assistant teacher', () => {
      // 9 preschoolers at arrival: the AT counts and supervises.
      const r = judge({ activity: 'arrival_departure', children: preschoolers(9), people: [assistantTeacher(), aide({ backgroundStudy: 'submitted' })] }, '2026-03-02T07:00:00-06:00');
      expect(r.violations).toEqual([]);
    });

    it('reports a person with a submitted study next to only an adult aide as unsupervised', () => {
      const r = judge({ children: toddlers(3), people: [aide(), aide({ backgroundStudy: 'submitted' })] });
      expectCodes(r, ['staff_distribution', 'unsupervised_staff']);
    });

    it('does not count a person whose study is not started', () => {
      const r = judge({ children: toddlers(3), people: [teacher(), aide({ backgroundStudy: 'not_started' })] });
      expect(r.staff[1]).toMatchObject({ counted: false, countsAs: null });
      expect(r.countedStaff).toBe(1);
    });

    it('does not count a person who is disqualified, and marks them as not allowed to be present', () => {
      const r = judge({ children: toddlers(3), people: [teacher(), teacher({ backgroundStudy: 'disqualified' })] });
      expect(r.staff[1]).toMatchObject({ counted: false, countsAs: null, presence: 'not_allowed' });
      expect(r.countedStaff).toBe(1);
    });

    it('marks a person whose study is not started as not allowed to be present', () => {
      const r = judge({ children: toddlers(3), people: [teacher(), aide({ backgroundStudy: 'not_started' })] });
      expect(r.staff[1]!.presence).toBe('not_allowed');
    });
  });

  describe('directors and substitutes (9503.0040 subp. 2 A; 142B.65 subd. 2; Q11)', () => {
    it('does not count a director without a staff qualification on record', () => {
      const r = judge({ children: toddlers(3), people: [person('director', { ageYears: 45 })] });
      expect(r.staff[0]).toMatchObject({ counted: false, countsAs: null });
      expectCodes(r, ['over_ratio']);
    });

    it('counts a director qualified as a teacher at teacher level', () => {
      const r = judge({ children: toddlers(3), people: [person('director', { ageYears: 45, qualifiesAs: 'teacher' })] });
      expect(r.staff[0]).toMatchObject({ counted: true, countsAs: 'teacher' });
      expect(r.violations).toEqual([]);
    });

    it('does not count a substitute under 18', () => {
      const r = judge({ children: toddlers(8), people: [teacher(), person('substitute', { ageYears: 17, qualifiesAs: 'aide' })] });
      expect(r.staff[1]).toMatchObject({ counted: false, countsAs: null });
      expect(r.countedStaff).toBe(1);
      expect(codes(r)).toContain('over_ratio');
    });

    it('counts an adult substitute at the level of their own qualification', () => {
      const r = judge({ children: toddlers(14), people: [teacher(), person('substitute', { ageYears: 24, qualifiesAs: 'assistant_teacher' })] });
      expect(r.staff[1]).toMatchObject({ counted: true, countsAs: 'assistant_teacher' });
      expect(r.violations).toEqual([]);
    });

    it('does not count a substitute without a qualification on record', () => {
      const r = judge({ children: toddlers(3), people: [teacher(), person('substitute', { ageYears: 30 })] });
      expect(r.staff[1]!.counted).toBe(false);
    });
  });

  describe('margins', () => {
    it('puts a room at limit with margin 0 for staff and for the category present', () => {
      const r = judge({ children: infants(4), people: [teacher()] });
      expect(r.margin.staff).toBe(0);
      expect(r.margin.children).toEqual(margins(0, 0, 0, 0));
    });

    it('gives per-category child margins for a teacher with 5 toddlers, a younger category included', () => {
      // toddler/preschooler/school-age: 5 + k ≤ 7 → 2. infant: youngest → 1:4, 5 + k ≤ 4 → none → 0.
      const r = judge({ children: toddlers(5), people: [teacher()] });
      expect(r.margin.staff).toBe(0);
      expect(r.margin.children).toEqual(margins(0, 2, 2, 2));
    });

    it('gives per-category child margins for a teacher and an AT with 10 toddlers', () => {
      // 2 counted. toddler: 10 + k ≤ min(14, 14) → 4; older categories keep toddler rules → 4;
      // infant: 10 + k ≤ min(8, 8) → 0.
      const r = judge({ children: toddlers(10), people: [teacher(), assistantTeacher()] });
      expect(r.margin.staff).toBe(0);
      expect(r.margin.children).toEqual(margins(0, 4, 4, 4));
    });

    it('gives per-category child margins for a teacher and an aide with 3 preschoolers', () => {
      // 2 counted, 1 required → staff margin 1. preschooler/school-age: 3 + k ≤ min(20, 20) → 17;
      // toddler: 3 + k ≤ min(14, 14) → 11; infant: 3 + k ≤ min(8, 8) → 5.
      const r = judge({ children: preschoolers(3), people: [teacher(), aide()] });
      expect(r.requiredStaff).toBe(1);
      expect(r.margin.staff).toBe(1);
      expect(r.margin.children).toEqual(margins(5, 11, 17, 17));
    });

    it('gives per-category child margins for a school-age room of 10 with one teacher', () => {
      // school-age: 10 + k ≤ 15 → 5; preschooler: 10 + k ≤ 10 → 0; toddler: ≤ 7 → 0; infant: ≤ 4 → 0.
      const r = judge({ children: schoolAge(10), people: [teacher()] });
      expect(r.margin.children).toEqual(margins(0, 0, 0, 5));
    });

    it('uses only the ratio for child margins when the group-size cap is lifted (2 preschoolers outdoors, one teacher)', () => {
      // preschooler/school-age: 2 + k ≤ 10 → 8; toddler: ≤ 7 → 5; infant: ≤ 4 → 2.
      const r = judge({ activity: 'outdoor', children: preschoolers(2), people: [teacher()] });
      expect(r.margin.children).toEqual(margins(2, 5, 8, 8));
    });

    it('limits child margins by group size when it binds before the ratio (4 teachers, 10 toddlers)', () => {
      // 4 × 7 = 28 by ratio, but cap 14 → toddler 4; infant: 4 × 4 = 16 by ratio, cap 8 → 0.
      const r = judge({ children: toddlers(10), people: [teacher(), teacher(), teacher(), teacher()] });
      expect(r.margin.staff).toBe(2);
      expect(r.margin.children).toEqual(margins(0, 4, 4, 4));
    });

    it('gives child margins for an empty room with one teacher: one staff person per category ratio', () => {
      const r = judge({ children: [], people: [teacher()] });
      expect(r.margin.children).toEqual(margins(4, 7, 10, 15));
    });

    it('counts child margins by ratio and group size only, not by the staff mix (outdoors, T + 2 aides, 7 toddlers)', () => {
      // Contract: "how many more children could join before a ratio or group-size violation".
      // 3 counted, cap lifted: toddler 7 + k ≤ 21 → 14 (even though a 15th toddler would make slot 3
      // an AT slot); infant 7 + k ≤ 12 → 5.
      const r = judge({ activity: 'outdoor', children: toddlers(7), people: [teacher(), aide(), aide()] });
      expect(r.margin.staff).toBe(2);
      expect(r.margin.children).toEqual(margins(5, 14, 14, 14));
    });

    it('never gives a negative child margin in an over-ratio room', () => {
      const r = judge({ children: toddlers(12), people: [teacher()] });
      expect(Object.values(r.margin.children).every((m) => m === 0)).toBe(true);
      expect(r.margin.staff).toBe(-1);
    });
  });

  describe('result shape', () => {
    it('lists all four categories in byCategory, zeros included', () => {
      const r = judge({ children: toddlers(2), people: [teacher()] });
      expect(r.byCategory).toEqual(margins(0, 2, 0, 0));
      expect(Object.keys(r.margin.children).sort()).toEqual(['infant', 'preschooler', 'school_age', 'toddler']);
    });

    it('counts every child once across categories', () => {
      const r = judge({ children: [...infants(1), ...toddlers(2), ...preschoolers(3), ...schoolAge(4)], people: [teacher(), teacher(), teacher()] });
      expect(r.children).toBe(10);
      expect(r.byCategory).toEqual(margins(1, 2, 3, 4));
    });

    it('gives one staff entry per person, in input order', () => {
      const r = judge({ children: toddlers(3), people: [aide(), teacher(), volunteer({ qualifiesAs: null })] });
      expect(r.staff).toHaveLength(3);
      expect(r.staff.map((s) => s.countsAs)).toEqual(['aide', 'teacher', null]);
    });

    it('states the pack and its draft status', () => {
      const r = judge({ children: toddlers(3), people: [teacher()] });
      expect(r.state).toBe('MN');
      expect(r.packStatus).toBe('draft');
    });

    it('adds no mixed-group note to a single-category group', () => {
      const r = judge({ children: toddlers(3), people: [teacher()] });
      expect(hasMixedNote(r)).toBe(false);
    });
  });
});
