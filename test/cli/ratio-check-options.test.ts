/**
 * The optional, additive inputs of `ratio-check` (README): `night`, `hours`, a child's
 * `designation` and `dedicatedStaff`, a person's `qualifiedThrough`. Scenarios without
 * them are answered exactly as before (ratio-check.test.ts); bad values are rejected
 * like every other field: one line naming it, exit 2.
 */
import { describe, expect, it, vi } from 'vitest';
import { runCliProcess } from '../support/cli.js';
import { ratioCheck } from '../../src/cli/ratio-check.js';

vi.mock('../../src/cli/scenario-input.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/cli/scenario-input.js')>();
  return { ...actual, runCli: async () => {} };
});

const preschoolers = (n: number) => Array.from({ length: n }, () => ({ ageMonths: 45 }));
const teacher = { role: 'teacher', qualified: true };
const aide = { role: 'aide', qualified: true, ageYears: 30 };
const assistantTeacher = { role: 'assistant_teacher', qualified: true };
const check = (scenario: object) => ratioCheck(JSON.stringify({ state: 'MN', at: '2026-03-02T09:30:00-06:00', ...scenario })) as any;

function rejection(scenario: object): string {
  try {
    check(scenario);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  return '';
}

describe('ratio-check optional inputs', () => {
  it('night: needs 2 counted staff for 10 preschoolers at night, one a teacher (MN.md §8 ex. 15)', () => {
    const alone = check({ at: '2026-03-02T23:00:00-06:00', night: { asleep: 9 }, children: preschoolers(10), staff: [teacher] });
    expect(alone.requiredStaff).toBe(2);
    expect(alone.violations.map((v: any) => v.code)).toEqual(['over_ratio']);
    const two = check({ at: '2026-03-02T23:00:00-06:00', night: true, children: preschoolers(10), staff: [teacher, aide] });
    expect(two.compliant).toBe(true);
    expect(two.notes.some((n: string) => /night program/i.test(n))).toBe(true);
  });

  it('hours: refuses the assistant teacher stand-in outside the windows and over the 25% cap (ex. 6, ex. 8)', () => {
    const scenario = (at: string, departTo: string) => ({
      at,
      activity: 'arrival_departure',
      hours: { opens: '06:30', closes: '18:00', arrivalDeparture: [{ from: '06:30', to: '08:00' }, { from: '16:30', to: departTo }] },
      children: preschoolers(18),
      staff: [assistantTeacher, aide],
    });
    expect(check(scenario('2026-03-02T07:00:00-06:00', '17:45')).compliant).toBe(true);
    expect(check(scenario('2026-03-02T10:00:00-06:00', '17:45')).violations.map((v: any) => v.code)).toEqual(['staff_distribution']);
    const over = check(scenario('2026-03-02T07:00:00-06:00', '18:00'));
    expect(over.violations.map((v: any) => v.code)).toEqual(['staff_distribution']);
    expect(over.notes.join(' ')).toMatch(/180 minutes, more than 25%/);
  });

  it('designation: judges a kindergarten-eligible child school-age when the director designated it (Q1)', () => {
    const child = { birthDate: '2021-06-10', designation: { category: 'school_age', basis: 'kindergarten_eligible', kindergartenStartsOn: '2026-09-01' } };
    const out = check({ at: '2026-06-01T09:00:00-05:00', children: [child], staff: [teacher] });
    expect(out.byCategory).toEqual({ infant: 0, toddler: 0, preschooler: 0, school_age: 1 });
  });

  it('dedicatedStaff: adds the 1:1 person to the requirement', () => {
    const out = check({ children: [{ ageMonths: 45, dedicatedStaff: 1 }], staff: [teacher] });
    expect(out.requiredStaff).toBe(2);
    expect(out.margin.staff).toBe(-1);
  });

  it('qualifiedThrough: counts a nurse as a teacher with infants only', () => {
    const nurse = { ...teacher, qualifiedThrough: 'nurse' };
    expect(check({ children: [{ ageMonths: 5 }], staff: [nurse] }).staff[0].countsAs).toBe('teacher');
    expect(check({ children: [{ ageMonths: 5 }, { ageMonths: 20 }], staff: [nurse] }).staff[0].countsAs).toBe('aide');
  });

  it('keeps the output keys of the contract', () => {
    const out = check({ night: true, children: preschoolers(2), staff: [teacher, aide] });
    expect(Object.keys(out)).toEqual([
      'state', 'packStatus', 'at', 'activity', 'compliant', 'children', 'byCategory', 'requiredStaff',
      'countedStaff', 'maxGroupSize', 'staff', 'violations', 'margin', 'notes',
    ]);
  });

  describe('rejects bad optional input, naming the field', () => {
    const cases: Array<[string, object, string]> = [
      ['night that is neither a flag nor an object', { night: 'yes' }, 'night'],
      ['a negative number asleep', { night: { asleep: -1 }, children: preschoolers(2) }, 'night.asleep'],
      ['more asleep than children present', { night: { asleep: 3 }, children: preschoolers(2) }, 'night.asleep'],
      ['an opening time not as HH:MM', { hours: { opens: '6:30', closes: '18:00', arrivalDeparture: [] } }, 'hours.opens'],
      ['a window end not as HH:MM', { hours: { opens: '06:30', closes: '18:00', arrivalDeparture: [{ from: '06:30', to: '8am' }] } }, 'hours.arrivalDeparture[0].to'],
      ['an unknown designated category', { children: [{ ageMonths: 45, designation: { category: 'baby', basis: 'age_flexibility' } }] }, 'children[0].designation.category'],
      ['an unknown designation basis', { children: [{ ageMonths: 45, designation: { category: 'infant', basis: 'parent_wish' } }] }, 'children[0].designation.basis'],
      ['a fractional dedicated staff', { children: [{ ageMonths: 45, dedicatedStaff: 0.5 }] }, 'children[0].dedicatedStaff'],
      ['an unknown qualification basis', { staff: [{ ...teacher, qualifiedThrough: 'paramedic' }] }, 'staff[0].qualifiedThrough'],
    ];
    for (const [label, scenario, field] of cases) {
      it(`rejects ${label}, naming ${field}`, () => {
        const message = rejection(scenario);
        expect(message).not.toBe('');
        expect(message).toContain(field);
        expect(message).not.toContain('\n');
      });
    }

    it('exits 2 with one stderr line and nothing on stdout as a process', () => {
      const { status, stdout, stderr } = runCliProcess('ratio-check', {
        stdin: JSON.stringify({ state: 'MN', at: '2026-03-02T23:00:00-06:00', night: { asleep: 5 }, children: preschoolers(2) }),
      });
      expect(status).toBe(2);
      expect(stdout).toBe('');
      expect(stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(stderr).toContain('night.asleep');
    });
  });
});
