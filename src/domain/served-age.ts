import { ageOn, hasReached } from './age.js';
import { compareCivil, type CivilDate } from './calendar.js';
import type { AgeMark, RulePack } from './rule-pack.js';

/** When a pack names no maximum age, a center still serves children younger than 13. */
export const DEFAULT_MAXIMUM_AGE: { readonly mark: AgeMark; readonly text: string } = { mark: { years: 13 }, text: 'younger than 13' };

/** The oldest a child a center serves under `pack` may be: the pack's maximum age, or younger than 13. */
export function servedMaximumAge(pack: RulePack): { readonly mark: AgeMark; readonly text: string } {
  return pack.maximumAge ?? DEFAULT_MAXIMUM_AGE;
}

/**
 * What is wrong with a child's birth date on `today` (the center's local date): born
 * after today (`in_future`), or already at the pack's maximum age (`too_old`); null
 * when neither. The child form and the roster import judge a birth date with it.
 */
export function childBirthDateProblem(pack: RulePack, birth: CivilDate, today: CivilDate): 'in_future' | 'too_old' | null {
  if (compareCivil(birth, today) > 0) return 'in_future';
  if (hasReached(ageOn(birth, today), servedMaximumAge(pack).mark)) return 'too_old';
  return null;
}
