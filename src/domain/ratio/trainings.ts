/**
 * Which trainings a pack asks of whom before they count, and when a completion
 * on record stops holding: the pack's side of "who counts" (`counting.ts`),
 * kept apart so the compiled pack (`pack-plan.ts`) can tabulate it.
 */
import type { CoarseCategory, Level, Role, RulePack, Training } from '../rule-pack.js';
import { addDays, addMonths, civilDateText, compareCivil, parseCivilDate, type CivilDate } from '../calendar.js';
import type { PersonInRoom } from './types.js';

/**
 * Whether `training` is asked of a person of `role` holding `level`. A role the
 * pack's trainings never name (a student, say) is asked what its level is asked.
 */
export function trainingAppliesTo(pack: RulePack, training: Training, role: Role, level: Level | null): boolean {
  if (training.roles.includes(role)) return true;
  if (level === null || pack.trainings.some((t) => t.roles.includes(role))) return false;
  return (training.roles as readonly string[]).includes(level);
}

/** The trainings a person must hold to count in a group with these categories. */
export function trainingsToCount(pack: RulePack, role: Role, level: Level, coarsePresent: ReadonlySet<CoarseCategory>): Training[] {
  return pack.trainings.filter(
    (t) =>
      t.gate !== 'none' &&
      trainingAppliesTo(pack, t, role, level) &&
      (role !== 'volunteer' || t.volunteersToCount) &&
      t.categories.some((c) => coarsePresent.has(c)),
  );
}

/** The first day on which a completion no longer counts, or null when it never expires. */
export function expiresOn(training: Training, completedOn: CivilDate): CivilDate | null {
  if (training.renewalMonths === null) return null;
  const byMonths = addMonths(completedOn, training.renewalMonths);
  if (training.renewalMaxDays === undefined) return byMonths;
  const byDays = addDays(completedOn, training.renewalMaxDays);
  return compareCivil(byDays, byMonths) < 0 ? byDays : byMonths;
}

/** The latest completion of `id` on or before `on` as `YYYY-MM-DD`, or null. */
export function latestCompletionText(person: PersonInRoom, id: string, on: CivilDate): string | null {
  const records = person.trainings;
  if (!records) return null;
  // YYYY-MM-DD text sorts in date order: compare the text.
  const onText = civilDateText(on);
  let best: string | null = null;
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    if (record.id !== id) continue;
    const done = record.completedOn;
    if (done <= onText && (best === null || done > best)) best = done;
  }
  return best;
}

/** The latest completion of `id` on or before `on`, or null. */
export function latestCompletion(person: PersonInRoom, id: string, on: CivilDate): CivilDate | null {
  const best = latestCompletionText(person, id, on);
  return best === null ? null : parseCivilDate(best);
}

/** A training not yet done that still does not keep the person from counting: within its grace period after starting. */
export function withinGrace(training: Training, person: PersonInRoom, on: CivilDate): boolean {
  if (training.gate !== 'grace' || training.graceDays === undefined || !person.startedOn) return false;
  const started = parseCivilDate(person.startedOn);
  return started !== null && compareCivil(on, addDays(started, training.graceDays)) < 0;
}
