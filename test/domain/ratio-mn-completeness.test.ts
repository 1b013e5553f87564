/**
 * The parts of shared/design/regulations/MN.md beyond the day ratio table: night care
 * (9503.0070 subp. 6), the arrival/departure windows and their 25% cap (9503.0040 subp. 2 B;
 * 142B.41 subd. 14), category designations (Q1, Q2), staffing a child's individual plan
 * (9503.0065), the nurse qualification for infants only (9503.0032/0033 subp. 1 A) and the
 * open questions the engine answers with the stricter reading (Q4, Q6). Every expected
 * number is worked out by hand from the rule text in the comments.
 *
 * Default instant: Monday 2026-03-02 09:30 CST (America/Chicago, UTC−6).
 */
import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { evaluateRoom } from '../../src/domain/ratio/evaluate-room.js';
import { judgeDayHours } from '../../src/domain/ratio/day-hours.js';
import type { ChildInRoom, DayHours, Group, PersonInRoom, RoomEvaluation } from '../../src/domain/ratio/types.js';
import { reasonText } from '../../src/domain/ratio/words.js';
import { MN } from '../../src/domain/rules/mn.js';
import { WI } from '../../src/domain/rules/wi.js';
import type { RulePack } from '../../src/domain/rule-pack.js';

const AT = '2026-03-02T09:30:00-06:00';
const instant = (iso: string = AT) => DateTime.fromISO(iso, { setZone: true });

// On 2026-03-02: born 2025-09-14 → 5 months (infant); 2024-07-01 → 20 months (toddler);
// 2022-06-01 → 45 months (preschooler).
const INFANT: ChildInRoom = { birthDate: '2025-09-14' };
const TODDLER: ChildInRoom = { birthDate: '2024-07-01' };
const PRESCHOOLER: ChildInRoom = { birthDate: '2022-06-01' };
const times = (n: number, child: ChildInRoom): ChildInRoom[] => Array.from({ length: n }, () => ({ ...child }));

const teacher: PersonInRoom = { role: 'teacher', qualified: true };
const assistantTeacher: PersonInRoom = { role: 'assistant_teacher', qualified: true };
const aide: PersonInRoom = { role: 'aide', qualified: true, ageYears: 30 };
/** An aide meeting 142B.41 subd. 14: 19 years old, first day 45 days before 2026-03-02, trainings on file. */
const leadAide: PersonInRoom = { role: 'aide', qualified: true, ageYears: 19, startedOn: '2026-01-16' };

function judge(group: Partial<Group> & { children: ChildInRoom[]; people: PersonInRoom[] }, iso: string = AT, pack: RulePack = MN): RoomEvaluation {
  const result = evaluateRoom(pack, { activity: 'normal', ...group }, instant(iso));
  expect(result.compliant).toBe(result.violations.length === 0);
  return result;
}
const codes = (r: RoomEvaluation) => [...new Set(r.violations.map((v) => v.code))].sort();
const message = (r: RoomEvaluation, code: string) => reasonText(r.violations.find((v) => v.code === code)?.reason ?? null);
const noteMatching = (r: RoomEvaluation, pattern: RegExp) => r.notes.map(reasonText).find((n) => pattern.test(n));

describe('night care (Minn. R. 9503.0070 subp. 6)', () => {
  const NIGHT = '2026-03-02T23:00:00-06:00';

  it('ex. 15: accepts 10 preschoolers, 9 asleep, with a teacher and an aide', () => {
    // Ratio ceil(10/10) = 1, but a night program needs 2 staff, one a teacher → required 2; T + A fill it.
    const r = judge({ children: times(10, PRESCHOOLER), people: [teacher, aide], night: { asleep: 9 } }, NIGHT);
    expect(r.requiredStaff).toBe(2);
    expect(r.countedStaff).toBe(2);
    expect(r.violations).toEqual([]);
    expect(noteMatching(r, /night program/i)).toMatch(/9503\.0070 subp\. 6/);
  });

  it('ex. 15: reports one teacher alone at night as short of the 2 staff the night program requires', () => {
    const r = judge({ children: times(10, PRESCHOOLER), people: [teacher], night: { asleep: 9 } }, NIGHT);
    expect(codes(r)).toEqual(['over_ratio']);
    expect(r.requiredStaff).toBe(2);
    expect(r.margin.staff).toBe(-1);
    expect(message(r, 'over_ratio')).toMatch(/night program needs at least 2 counted staff, one a teacher/i);
    expect(message(r, 'over_ratio')).toMatch(/need 1 by ratio/);
  });

  it('keeps the day requirement when the ratio needs more than 2 (25 preschoolers at nap need 3)', () => {
    // ceil(25/10) = 3 > 2. Nap lifts the group-size cap (20). 21 of 25 asleep = 84% > 80%:
    // slot 1 teacher, the others need only be aides → T + A + A is enough.
    const r = judge({ activity: 'nap', children: times(25, PRESCHOOLER), people: [teacher, aide, aide], night: { asleep: 21 } }, NIGHT);
    expect(r.requiredStaff).toBe(3);
    expect(r.violations).toEqual([]);
  });

  it('needs the day pattern (3rd at least an assistant teacher) at exactly 80% asleep, which is not "more than 80%"', () => {
    // 20 of 25 asleep = 80%: no relief → T, A, AT; T + A + A leaves slot 3 unfilled.
    const r = judge({ activity: 'nap', children: times(25, PRESCHOOLER), people: [teacher, aide, aide], night: { asleep: 20 } }, NIGHT);
    expect(codes(r)).toEqual(['staff_distribution']);
    expect(message(r, 'staff_distribution')).toMatch(/3rd counted staff member must be at least an assistant teacher in a night program/);
  });

  it('needs a teacher first at night even with an assistant teacher and an aide', () => {
    const r = judge({ children: times(10, PRESCHOOLER), people: [assistantTeacher, aide], night: { asleep: 10 } }, NIGHT);
    expect(codes(r)).toEqual(['staff_distribution']);
    expect(message(r, 'staff_distribution')).toMatch(/1st counted staff member must be a teacher in a night program with most children asleep/);
  });

  it('lets no one stand in for the teacher at night, even during arrival/departure', () => {
    // By day the assistant teacher may lead at arrival (subp. 2 B); the night rule requires a teacher.
    const day = judge({ activity: 'arrival_departure', children: times(10, PRESCHOOLER), people: [assistantTeacher, aide] }, '2026-03-02T07:00:00-06:00');
    expect(day.violations).toEqual([]);
    const night = judge({ activity: 'arrival_departure', children: times(10, PRESCHOOLER), people: [assistantTeacher, aide], night: {} }, '2026-03-02T06:00:00-06:00');
    expect(codes(night)).toEqual(['staff_distribution']);
  });

  it('asks nothing of an empty night room', () => {
    const r = judge({ children: [], people: [], night: { asleep: 0 } }, NIGHT);
    expect(r.requiredStaff).toBe(0);
    expect(r.violations).toEqual([]);
  });

  it('judges a night group as a day group under a pack without night-care rules (WI)', () => {
    const group = { children: times(3, PRESCHOOLER), people: [{ role: 'teacher', qualified: true } as PersonInRoom] };
    const day = evaluateRoom(WI, { activity: 'normal', ...group }, instant(NIGHT));
    const night = evaluateRoom(WI, { activity: 'normal', ...group, night: { asleep: 3 } }, instant(NIGHT));
    expect(night).toEqual(day);
  });
});

describe('arrival and departure windows (9503.0040 subp. 2 B; 142B.41 subd. 14)', () => {
  // MN.md §8 ex. 6: 06:30–18:00 is 690 minutes; 25% of it is 172.5 minutes.
  const EX6: DayHours = { opens: '06:30', closes: '18:00', arrivalDeparture: [{ from: '06:30', to: '08:00' }, { from: '16:30', to: '17:45' }] };
  // Ex. 8: 90 + 90 = 180 minutes > 172.5.
  const EX8: DayHours = { opens: '06:30', closes: '18:00', arrivalDeparture: [{ from: '06:30', to: '08:00' }, { from: '16:30', to: '18:00' }] };

  it('ex. 6: accepts windows of 90 + 75 = 165 minutes in a 690-minute day', () => {
    const j = judgeDayHours(MN, EX6);
    expect(j).toMatchObject({ ok: true, problems: [], dayMinutes: 690, windowMinutes: 165, maxWindowMinutes: 172.5 });
  });

  it('ex. 8: rejects windows of 180 minutes, over 25% of the day, saying so', () => {
    const j = judgeDayHours(MN, EX8);
    expect(j.ok).toBe(false);
    expect(j.windowMinutes).toBe(180);
    expect(j.problems.map(reasonText).join(' ')).toMatch(/180 minutes, more than 25% of the 690-minute day \(172\.5 minutes\)/);
  });

  it('rejects windows outside the hours, overlapping, more than two, or hours that end before they start', () => {
    expect(judgeDayHours(MN, { opens: '07:00', closes: '18:00', arrivalDeparture: [{ from: '06:30', to: '07:30' }] }).problems.map(reasonText).join(' ')).toMatch(/not within the hours/);
    expect(judgeDayHours(MN, { opens: '06:00', closes: '18:00', arrivalDeparture: [{ from: '06:00', to: '07:00' }, { from: '06:30', to: '07:30' }] }).problems.map(reasonText).join(' ')).toMatch(/overlap/);
    const three = [{ from: '06:00', to: '06:30' }, { from: '12:00', to: '12:30' }, { from: '17:30', to: '18:00' }];
    expect(judgeDayHours(MN, { opens: '06:00', closes: '18:00', arrivalDeparture: three }).problems.map(reasonText).join(' ')).toMatch(/more than two windows/);
    expect(judgeDayHours(MN, { opens: '18:00', closes: '06:00', arrivalDeparture: [] }).problems.map(reasonText).join(' ')).toMatch(/not after the opening time/);
  });

  // 18 preschoolers need ceil(18/10) = 2: slot 1 teacher (or a stand-in), slot 2 an aide.
  it('ex. 6: lets the assistant teacher stand in at 07:00, inside the arrival window', () => {
    const r = judge({ activity: 'arrival_departure', hours: EX6, children: times(18, PRESCHOOLER), people: [assistantTeacher, aide] }, '2026-03-02T07:00:00-06:00');
    expect(r.violations).toEqual([]);
  });

  it('ex. 6: does not at 10:00, outside the windows, even when the room says arrival/departure', () => {
    const r = judge({ activity: 'arrival_departure', hours: EX6, children: times(18, PRESCHOOLER), people: [assistantTeacher, aide] }, '2026-03-02T10:00:00-06:00');
    expect(codes(r)).toEqual(['staff_distribution']);
    expect(noteMatching(r, /outside the center's arrival and departure windows/)).toMatch(/10:00/);
  });

  it('treats a window as ending before its end time (08:00 is outside 06:30–08:00)', () => {
    const r = judge({ activity: 'arrival_departure', hours: EX6, children: times(9, PRESCHOOLER), people: [leadAide] }, '2026-03-02T08:00:00-06:00');
    expect(codes(r)).toEqual(['staff_distribution']);
    const before = judge({ activity: 'arrival_departure', hours: EX6, children: times(9, PRESCHOOLER), people: [leadAide] }, '2026-03-02T07:59:00-06:00');
    expect(before.violations).toEqual([]);
  });

  it('ex. 8: allows no stand-in until windows over the cap are fixed, and says why', () => {
    const r = judge({ activity: 'arrival_departure', hours: EX8, children: times(18, PRESCHOOLER), people: [assistantTeacher, aide] }, '2026-03-02T07:00:00-06:00');
    expect(codes(r)).toEqual(['staff_distribution']);
    expect(noteMatching(r, /windows are not accepted/)).toMatch(/180 minutes/);
  });

  it('ex. 7: lets a qualifying aide lead 9 preschoolers in the departure window', () => {
    const r = judge({ activity: 'arrival_departure', hours: EX6, children: times(9, PRESCHOOLER), people: [leadAide] }, '2026-03-02T17:00:00-06:00');
    expect(r.violations).toEqual([]);
  });

  it('reads the window on the Chicago wall clock across the DST change (12:00Z is 06:00 on 7 March, 07:00 on 8 March)', () => {
    const group = { activity: 'arrival_departure' as const, hours: EX6, children: times(9, PRESCHOOLER), people: [assistantTeacher] };
    expect(codes(judge(group, '2026-03-07T12:00:00Z'))).toEqual(['staff_distribution']);
    expect(judge(group, '2026-03-08T12:00:00Z').violations).toEqual([]);
  });

  it('still takes the activity alone as arrival/departure when the center gave no hours', () => {
    const r = judge({ activity: 'arrival_departure', children: times(18, PRESCHOOLER), people: [assistantTeacher, aide] }, '2026-03-02T10:00:00-06:00');
    expect(r.violations).toEqual([]);
  });

  it('carries the 25% cap as confirmed pack data with its citation', () => {
    expect(MN.distribution?.arrivalDepartureWindows).toMatchObject({ maxShareOfDailyHours: 0.25, verified: true });
    expect(MN.distribution?.arrivalDepartureWindows?.cite).toMatch(/9503\.0040 subp\. 2 B/);
  });
});

describe('category designations (Q1 kindergarten overlap, Q2 age flexibility)', () => {
  // Born 2021-06-10: 4 years 11 months on 2026-06-01 (preschooler by age, has not attended kindergarten).
  const JUNE = '2026-06-01T09:00:00-05:00';
  const designated = (starts: string): ChildInRoom => ({
    birthDate: '2021-06-10',
    designation: { band: 'school_age', basis: 'kindergarten_eligible', kindergartenStartsOn: starts },
  });

  it('Q1: judges a child designated school-age at 1:15 when kindergarten starts within 4 months', () => {
    // 2026-09-01 is 3 months after 2026-06-01. 16 such children: school-age ceil(16/15) = 2; as preschoolers 16 ≤ 20, also 2.
    // 11 children tell them apart: ceil(11/15) = 1 vs ceil(11/10) = 2.
    const r = judge({ children: times(11, designated('2026-09-01')), people: [teacher] }, JUNE);
    expect(r.byCategory).toMatchObject({ preschooler: 0, school_age: 11 });
    expect(r.requiredStaff).toBe(1);
    expect(r.violations).toEqual([]);
    expect(noteMatching(r, /designated the child eligible to enter kindergarten within 4 months/)).toBeTruthy();
  });

  it('Q1: keeps the child a preschooler when kindergarten starts more than 4 months away (stricter default)', () => {
    // On 2026-03-02, 2026-09-01 is 6 months away → 11 preschoolers need 2.
    const r = judge({ children: times(11, designated('2026-09-01')), people: [teacher] });
    expect(r.byCategory).toMatchObject({ preschooler: 11, school_age: 0 });
    expect(r.requiredStaff).toBe(2);
    expect(codes(r)).toEqual(['over_ratio']);
    expect(noteMatching(r, /judged by age as preschooler/)).toMatch(/more than 4 months/);
  });

  it('Q1: counts 4 months to the day (2026-06-01 + 4 months = 2026-10-01) as within', () => {
    expect(judge({ children: [designated('2026-10-01')], people: [teacher] }, JUNE).byCategory.school_age).toBe(1);
    expect(judge({ children: [designated('2026-10-02')], people: [teacher] }, JUNE).byCategory.school_age).toBe(0);
  });

  it('Q1: does not designate a toddler school-age (the designation is for preschoolers)', () => {
    const r = judge({ children: [{ ...TODDLER, designation: { band: 'school_age', basis: 'kindergarten_eligible', kindergartenStartsOn: '2026-04-01' } }], people: [teacher] });
    expect(r.byCategory.toddler).toBe(1);
  });

  it('Q2: applies a recorded age-flexibility designation into a younger category (a 17-month-old kept with infants)', () => {
    // 5 toddlers by age: 1:7 → 1 staff. One designated infant makes the group infant-governed: 1:4 → ceil(5/4) = 2.
    const kept: ChildInRoom = { birthDate: '2024-10-01', designation: { band: 'infant', basis: 'age_flexibility', agreedOn: '2026-02-01' } };
    const r = judge({ children: [kept, ...times(4, { birthDate: '2024-10-01' })], people: [teacher] });
    expect(r.byCategory).toMatchObject({ infant: 1, toddler: 4 });
    expect(r.requiredStaff).toBe(2);
    expect(noteMatching(r, /9503\.0040 subp\. 4 \(thresholds unverified/)).toBeTruthy();
  });

  it('Q2: does not apply a designation into an older category while the thresholds are unconfirmed', () => {
    // A 5-month-old designated a toddler stays an infant: 5 infants need ceil(5/4) = 2.
    const moved: ChildInRoom = { ...INFANT, designation: { band: 'toddler', basis: 'age_flexibility', agreedOn: '2026-02-01' } };
    const r = judge({ children: [moved, ...times(4, INFANT)], people: [teacher] });
    expect(r.byCategory).toMatchObject({ infant: 5, toddler: 0 });
    expect(r.requiredStaff).toBe(2);
    expect(noteMatching(r, /only a designation into a younger category is applied/)).toBeTruthy();
  });

  it('Q2: needs the agreement recorded on or before the day judged', () => {
    const later: ChildInRoom = { birthDate: '2024-10-01', designation: { band: 'infant', basis: 'age_flexibility', agreedOn: '2026-03-03' } };
    expect(judge({ children: [later], people: [teacher] }).byCategory).toMatchObject({ infant: 0, toddler: 1 });
  });

  it('never moves a child under 6 weeks out of the minimum-age check', () => {
    const tiny: ChildInRoom = { birthDate: '2026-02-01', designation: { band: 'infant', basis: 'age_flexibility', agreedOn: '2026-02-01' } };
    expect(codes(judge({ children: [tiny], people: [teacher] }))).toEqual(['below_minimum_age']);
  });
});

describe("a child's individual plan (9503.0065 subp. 1, 3)", () => {
  it('adds a 1:1 staff person the center entered to the ratio requirement', () => {
    // 2 preschoolers: ceil(2/10) = 1, plus 1 dedicated → 2; one teacher → over ratio.
    const r = judge({ children: [{ ...PRESCHOOLER, dedicatedStaff: 1 }, PRESCHOOLER], people: [teacher] });
    expect(r.requiredStaff).toBe(2);
    expect(codes(r)).toEqual(['over_ratio']);
    expect(message(r, 'over_ratio')).toMatch(/plus 1 dedicated to children's individual plans/);
  });

  it('leaves the dedicated person out of the room for more children', () => {
    // Teacher + aide, one of them dedicated: 1 left for ratio → 10 preschoolers, 2 present → 8 more.
    const r = judge({ children: [{ ...PRESCHOOLER, dedicatedStaff: 1 }, PRESCHOOLER], people: [teacher, aide] });
    expect(r.violations).toEqual([]);
    expect(r.margin.children.preschooler).toBe(8);
  });
});

describe('nurse qualification for infants only (9503.0032 subp. 1 A; 9503.0033 subp. 1 A)', () => {
  const nurseTeacher: PersonInRoom = { role: 'teacher', qualified: true, qualifiedThrough: 'nurse' };

  it('counts a nurse as a teacher in a group of infants', () => {
    const r = judge({ children: times(3, INFANT), people: [nurseTeacher] });
    expect(r.staff[0]).toMatchObject({ counted: true, countsAs: 'teacher' });
    expect(r.violations).toEqual([]);
  });

  it('counts the same nurse only as an aide once a toddler is in the group', () => {
    const r = judge({ children: [INFANT, TODDLER], people: [nurseTeacher] });
    expect(r.staff[0]).toMatchObject({ counted: true, countsAs: 'aide' });
    expect(r.staff[0]!.reasons.map(reasonText).join(' ')).toMatch(/nurse license holds only in a group of infants/);
    expect(codes(r)).toEqual(['staff_distribution']);
  });
});

describe('open questions taken the stricter way, said in notes', () => {
  it('Q4/Q6: an adult aide alone is not a teacher; the notes name the per-group reading and the experienced-aide exception', () => {
    const r = judge({ children: times(3, PRESCHOOLER), people: [aide] });
    expect(codes(r)).toEqual(['staff_distribution']);
    expect(noteMatching(r, /open question Q4/)).toBeTruthy();
    expect(noteMatching(r, /experienced aide/i)).toMatch(/Q6/);
  });

  it('Q6: does not name the experienced-aide exception when no aide could have filled the slot', () => {
    const r = judge({ children: times(3, PRESCHOOLER), people: [assistantTeacher] });
    expect(codes(r)).toEqual(['staff_distribution']);
    expect(noteMatching(r, /experienced aide/i)).toBeUndefined();
  });

  it('lists every open question of MN.md §9 (Q1–Q13)', () => {
    expect(MN.openQuestions.map((q) => q.id)).toEqual(Array.from({ length: 13 }, (_, i) => `Q${i + 1}`));
    const byId = Object.fromEntries(MN.openQuestions.map((q) => [q.id, q.engineDefault]));
    expect(byId.Q1).toMatch(/preschooler/);
    expect(byId.Q2).toMatch(/younger category/);
    expect(byId.Q4).toMatch(/per group/);
    expect(byId.Q6).toMatch(/never fills the first slot/);
  });
});

describe('Minnesota pack data for these rules', () => {
  it('carries night care as MN.md states it, with its citation', () => {
    expect(MN.nightCare).toMatchObject({ minStaff: 2, leadLevel: 'teacher', asleepShareAbove: 0.8, asleepLevel: 'aide', cite: 'Minn. R. 9503.0070 subp. 6', verified: true });
  });

  it('marks the designations whose thresholds are unread as unverified', () => {
    const byBasis = Object.fromEntries((MN.designations ?? []).map((d) => [d.basis, d]));
    expect(byBasis.age_flexibility).toMatchObject({ direction: 'younger_only', verified: false });
    expect(byBasis.kindergarten_eligible).toMatchObject({ toBands: ['school_age'], fromBands: ['preschooler'], withinMonths: 4 });
    expect(byBasis.kindergarten_eligible!.verified).not.toBe(true);
  });

  it('limits nurse-based teacher and assistant-teacher levels to infant groups', () => {
    expect(MN.levelBasisLimits).toEqual([
      expect.objectContaining({ basis: 'nurse', levels: ['teacher', 'assistant_teacher'], onlyWith: ['infant'], otherwise: 'aide', verified: true }),
    ]);
  });
});
