import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { CenterTraining } from '../../../src/db/center-trainings.js';
import { eligibilityFor, type PersonOnFile } from '../../../src/domain/eligibility.js';
import { reasonText } from '../../../src/domain/ratio/words.js';
import { MN } from '../../../src/domain/rules/mn.js';
import { rolesForCenterTrainings, withCenterTrainings } from '../../../src/services/center-pack.js';

const extra = (over: Partial<CenterTraining> = {}): CenterTraining => ({
  id: 'x1',
  centerId: 'c1',
  code: 'accident-reporting',
  label: 'Accident reporting and headcount',
  renewalMonths: 12,
  roles: ['volunteer', 'teacher'],
  categories: ['infant', 'toddler'],
  gate: 'before',
  archivedAt: null,
  createdAt: '2026-03-01T00:00:00Z',
  ...over,
});

const volunteer = (ids: string[]): PersonOnFile => ({
  role: 'volunteer',
  qualifiesAs: 'aide',
  adultAttested: true,
  backgroundStudy: 'cleared',
  trainings: ids.map((trainingId) => ({ trainingId, completedOn: '2026-02-01', status: 'verified' as const })),
});
const MN_DONE = ['orientation', 'suid', 'aht', 'first_aid', 'cpr'];
const window = { start: DateTime.fromISO('2026-03-02T09:00', { zone: 'America/Chicago' }), end: DateTime.fromISO('2026-03-02T17:00', { zone: 'America/Chicago' }) };

describe('withCenterTrainings', () => {
  it('returns the pack itself when the center has no active trainings of its own', () => {
    expect(withCenterTrainings(MN, [])).toBe(MN);
    expect(withCenterTrainings(MN, [extra({ archivedAt: '2026-03-01T00:00:00Z' })])).toBe(MN);
  });

  it("holds a volunteer out of the ages a 'before' center training names until it is done, citing center policy", () => {
    const pack = withCenterTrainings(MN, [extra()]);
    const infants = eligibilityFor(pack, volunteer(MN_DONE), ['infant'], window);
    expect(infants.eligible).toBe(false);
    expect(infants.missing.map(reasonText)).toEqual(['Accident reporting and headcount training missing: required before counting toward ratio (center policy)']);
    expect(eligibilityFor(pack, volunteer(MN_DONE), ['preschooler'], window).eligible).toBe(true);
    expect(eligibilityFor(pack, volunteer([...MN_DONE, 'accident-reporting']), ['infant'], window).eligible).toBe(true);
  });

  it('never gates counting with a training tracked only', () => {
    const pack = withCenterTrainings(MN, [extra({ gate: 'none' })]);
    expect(eligibilityFor(pack, volunteer(MN_DONE), ['infant'], window).eligible).toBe(true);
  });

  it('lets a center training expire like a pack training', () => {
    const pack = withCenterTrainings(MN, [extra({ renewalMonths: 1 })]);
    const e = eligibilityFor(pack, volunteer([...MN_DONE, 'accident-reporting']), ['toddler'], window);
    expect(e.missing.map(reasonText)).toEqual(['Accident reporting and headcount: expired on 2026-03-01']);
  });
});

describe('rolesForCenterTrainings', () => {
  it("offers only roles the pack's trainings already name (Minnesota: not students)", () => {
    expect(rolesForCenterTrainings(MN)).toEqual(['director', 'teacher', 'assistant_teacher', 'aide', 'substitute', 'volunteer']);
  });
});
