/**
 * The `npm run -s ratio-check` contract: JSON scenario on stdin → JSON evaluation on stdout
 * (exit 0); invalid input → one line on stderr naming the field, nothing on stdout, exit 2.
 *
 * A few cases run the CLI as a real child process (what `npm run -s ratio-check` runs);
 * the rest call the exported `ratioCheck(text)` in-process, with the stdin runner stubbed
 * so that importing the module does not read this process's stdin.
 */
import { describe, expect, it, vi } from 'vitest';
import { runCliProcess } from '../support/cli.js';
import { ratioCheck } from '../../src/cli/ratio-check.js';

vi.mock('../../src/cli/scenario-input.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/cli/scenario-input.js')>();
  return { ...actual, runCli: async () => {} };
});

function runCli(stdin: string) {
  return runCliProcess('ratio-check', { stdin });
}

const README_EXAMPLE = {
  state: 'MN',
  at: '2026-03-02T09:30:00-06:00',
  activity: 'normal',
  children: [{ birthDate: '2025-09-14' }, { ageMonths: 20 }, { birthDate: '2020-08-01', attendsKindergarten: true }],
  staff: [
    { role: 'teacher', qualified: true },
    { role: 'volunteer', qualifiesAs: 'aide', ageYears: 67, backgroundStudy: 'cleared', trainings: [{ id: 'cpr', completedOn: '2026-01-10' }] },
  ],
};

/** The README example with one change applied to a deep copy. */
function variant(change: (s: any) => void): string {
  const scenario = structuredClone(README_EXAMPLE) as any;
  change(scenario);
  return JSON.stringify(scenario);
}

/**
 * Hand-worked answer for the README example on 2026-03-02 (America/Chicago):
 * - children: born 2025-09-14 → 5 months, infant; ageMonths 20 → toddler; born 2020-08-01 and has
 *   attended kindergarten → school-age. byCategory 1/1/0/1.
 * - mixed group → judged at the youngest category, infant: 1:4, cap 8 (normal activity).
 *   required = ceil(3/4) = 1.
 * - teacher (qualified) counts at teacher level and fills slot 1; the volunteer qualifies as an aide
 *   but lacks orientation, SUID (infant present), AHT (non-school-age children present) and first aid
 *   (no start date, so no 90-day grace); CPR (2026-01-10) is current; child development is not a
 *   counting gate for volunteers. Not counted; supervised by the teacher, so no violation.
 * - counted 1 = required 1 → compliant; staff margin 0.
 * - child margins: any category added keeps infant rules: 3 + k ≤ 4 (ratio) and ≤ 8 (cap) → 1 each.
 */
function expectReadmeAnswer(out: any) {
  expect(Object.keys(out)).toEqual(
    expect.arrayContaining(['state', 'compliant', 'children', 'byCategory', 'requiredStaff', 'countedStaff', 'maxGroupSize', 'staff', 'violations', 'margin', 'notes', 'packStatus']),
  );
  expect(out.state).toBe('MN');
  expect(out.packStatus).toBe('draft');
  expect(out.compliant).toBe(true);
  expect(out.children).toBe(3);
  expect(out.byCategory).toEqual({ infant: 1, toddler: 1, preschooler: 0, school_age: 1 });
  expect(out.requiredStaff).toBe(1);
  expect(out.countedStaff).toBe(1);
  expect(out.maxGroupSize).toBe(8);
  expect(out.violations).toEqual([]);
  expect(out.margin).toEqual({ staff: 0, children: { infant: 1, toddler: 1, preschooler: 1, school_age: 1 } });
  expect(out.staff).toHaveLength(2);
  expect(out.staff[0]).toMatchObject({ counted: true, countsAs: 'teacher' });
  expect(Array.isArray(out.staff[0].reasons)).toBe(true);
  expect(out.staff[1]).toMatchObject({ counted: false, countsAs: null });
  const reasons = (out.staff[1].reasons as string[]).join(' | ');
  expect(reasons).toMatch(/orientation/i);
  expect(reasons).toMatch(/Safe sleep \(SUID\)/);
  expect(reasons).toMatch(/AHT|abusive head trauma/i);
  expect(reasons).toMatch(/first aid/i);
  expect(reasons).not.toMatch(/child development/i);
  expect(Array.isArray(out.notes)).toBe(true);
  expect((out.notes as string[]).some((n) => /youngest/i.test(n) && /infant/i.test(n))).toBe(true);
}

/** Asserts the contract for bad input from a real process: exit 2, nothing on stdout, one stderr line naming `field`. */
function expectRejectedByProcess(stdin: string, field: string) {
  const { status, stdout, stderr } = runCli(stdin);
  expect(status).toBe(2);
  expect(stdout).toBe('');
  const lines = stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain(field);
}

describe('ratio-check CLI (child process)', () => {
  it('answers the README example with the full evaluation and exit 0', () => {
    const { status, stdout, stderr } = runCli(JSON.stringify(README_EXAMPLE));
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expectReadmeAnswer(JSON.parse(stdout));
  });

  it('rejects text that is not JSON with exit 2 and one stderr line', () => {
    const { status, stdout, stderr } = runCli('{"state": "MN",');
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('rejects an unknown state, naming `state`', () => {
    expectRejectedByProcess(variant((s) => (s.state = 'ZZ')), 'state');
  });

  it('rejects an instant without an offset, naming `at`', () => {
    expectRejectedByProcess(variant((s) => (s.at = '2026-03-02T09:30:00')), 'at');
  });

  it('rejects a child born after the instant judged, naming the child', () => {
    expectRejectedByProcess(variant((s) => (s.children[0].birthDate = '2026-03-03')), 'children[0].birthDate');
  });
});

describe('ratioCheck (in-process)', () => {
  it('answers the README example the same way as the process', () => {
    expectReadmeAnswer(ratioCheck(JSON.stringify(README_EXAMPLE)));
  });

  it('is non-compliant exactly when there are violations (the volunteer alone with the three children)', () => {
    // Without the teacher: no counted person → over_ratio only; the uncounted volunteer is unsupervised.
    const out = ratioCheck(variant((s) => s.staff.shift())) as any;
    expect(out.compliant).toBe(false);
    expect(out.countedStaff).toBe(0);
    expect(out.margin.staff).toBe(-1);
    expect(out.violations.map((v: any) => v.code).sort()).toEqual(['over_ratio', 'unsupervised_staff']);
    for (const v of out.violations) expect(typeof v.message).toBe('string');
  });

  it('gives maxGroupSize null when the activity lifts the group-size cap', () => {
    const out = ratioCheck(variant((s) => (s.activity = 'outdoor'))) as any;
    expect(out.maxGroupSize).toBeNull();
    // Outdoors only the ratio limits: 3 + k ≤ 4 → 1 each.
    expect(out.margin.children).toEqual({ infant: 1, toddler: 1, preschooler: 1, school_age: 1 });
  });

  it('counts the volunteer once the gating trainings are on record', () => {
    const out = ratioCheck(
      variant((s) => {
        s.staff[1].trainings.push(
          { id: 'orientation', completedOn: '2026-01-05' },
          { id: 'suid', completedOn: '2026-01-05' },
          { id: 'aht', completedOn: '2026-01-05' },
          { id: 'first_aid', completedOn: '2026-01-10' },
        );
      }),
    ) as any;
    expect(out.staff[1]).toMatchObject({ counted: true, countsAs: 'aide' });
    expect(out.countedStaff).toBe(2);
    // 2 counted at infant rules: 3 + k ≤ 8 → 5 each; staff margin 2 − 1 = 1.
    expect(out.margin).toEqual({ staff: 1, children: { infant: 5, toddler: 5, preschooler: 5, school_age: 5 } });
  });

  it('turns ageMonths into an age on the day judged (20 months is a toddler, 16 too, 15 an infant)', () => {
    const one = (ageMonths: number) => (ratioCheck(variant((s) => (s.children = [{ ageMonths }]))) as any).byCategory;
    expect(one(20)).toEqual({ infant: 0, toddler: 1, preschooler: 0, school_age: 0 });
    expect(one(16)).toEqual({ infant: 0, toddler: 1, preschooler: 0, school_age: 0 });
    expect(one(15)).toEqual({ infant: 1, toddler: 0, preschooler: 0, school_age: 0 });
    expect(one(33)).toEqual({ infant: 0, toddler: 0, preschooler: 1, school_age: 0 });
  });

  it('accepts an instant in UTC and judges it on the Chicago date', () => {
    // 2026-07-15T03:00Z is 14 July in Chicago: a child born 2025-03-15 is still an infant (MN.md ex. 16).
    const out = ratioCheck(variant((s) => ((s.at = '2026-07-15T03:00:00Z'), (s.children = [{ birthDate: '2025-03-15' }])))) as any;
    expect(out.byCategory.infant).toBe(1);
  });

  it('defaults missing children and staff to empty lists', () => {
    const out = ratioCheck(JSON.stringify({ state: 'MN', at: '2026-03-02T09:30:00-06:00' })) as any;
    expect(out.children).toBe(0);
    expect(out.compliant).toBe(true);
    expect(out.byCategory).toEqual({ infant: 0, toddler: 0, preschooler: 0, school_age: 0 });
  });

  describe('invalid input names the field', () => {
    const cases: Array<[string, string, string]> = [
      ['bad JSON', '{"state":"MN",', 'input'],
      ['a JSON array instead of an object', '[]', 'input'],
      ['an unknown state', variant((s) => (s.state = 'ZZ')), 'state'],
      ['a lower-case or unknown code', variant((s) => (s.state = 'Minnesota')), 'state'],
      ['a missing state', variant((s) => delete s.state), 'state'],
      ['an unknown role', variant((s) => (s.staff[1].role = 'janitor')), 'staff[1].role'],
      ['an unknown activity', variant((s) => (s.activity = 'swimming')), 'activity'],
      ['an unknown training id', variant((s) => (s.staff[1].trainings[0].id = 'lifeguard')), 'staff[1].trainings[0].id'],
      ['a missing at', variant((s) => delete s.at), 'at'],
      ['an at without offset', variant((s) => (s.at = '2026-03-02T09:30:00')), 'at'],
      ['an at that is only a date', variant((s) => (s.at = '2026-03-02')), 'at'],
      ['an at that is not a date', variant((s) => (s.at = 'tomorrow')), 'at'],
      ['a child born after at', variant((s) => (s.children[0].birthDate = '2026-03-03')), 'children[0].birthDate'],
      ['a staff member born after at', variant((s) => (s.staff[1].birthDate = '2026-03-03')), 'staff[1].birthDate'],
      ['a birth date that does not exist', variant((s) => (s.children[0].birthDate = '2025-02-29')), 'children[0].birthDate'],
      ['a negative age in months', variant((s) => (s.children[1].ageMonths = -1)), 'children[1].ageMonths'],
      ['a negative age in years', variant((s) => (s.staff[1].ageYears = -1)), 'staff[1].ageYears'],
      ['a child with neither birthDate nor ageMonths', variant((s) => (s.children[2] = { attendsKindergarten: true })), 'children[2]'],
      ['a training date that does not exist', variant((s) => (s.staff[1].trainings[0].completedOn = '2026-13-01')), 'staff[1].trainings[0].completedOn'],
      ['an unknown background study status', variant((s) => (s.staff[1].backgroundStudy = 'pending')), 'staff[1].backgroundStudy'],
      ['children that is not a list', variant((s) => (s.children = { birthDate: '2025-09-14' })), 'children'],
      ['staff that is not a list', variant((s) => (s.staff = 'teacher')), 'staff'],
    ];
    for (const [label, text, field] of cases) {
      it(`rejects ${label}, naming ${field}`, () => {
        let message = '';
        try {
          ratioCheck(text);
        } catch (error) {
          message = error instanceof Error ? error.message : String(error);
        }
        expect(message, 'ratioCheck should throw').not.toBe('');
        expect(message).toContain(field);
        expect(message).not.toContain('\n');
      });
    }

    it('accepts a birth date on the day judged (not after it)', () => {
      expect(() => ratioCheck(variant((s) => (s.children[0].birthDate = '2026-03-02')))).not.toThrow();
    });
  });
});
