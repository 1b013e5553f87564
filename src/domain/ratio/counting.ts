/**
 * Who counts: whether one person may be present, counts toward ratio and at
 * which level, and who needs direct supervision, judged from their role,
 * level, age, background study and trainings on record. `evaluateRoom` judges
 * every person present this way; `evaluatePerson` is the same judgement for
 * eligibility and cover matching.
 */
import type { DateTime } from 'luxon';
import { COARSE_CATEGORIES, type BackgroundStudyStatus, type CoarseCategory, type CountingRule, type Level, type RulePack } from '../rule-pack.js';
import { addMonths, civilDateText, dayNumber, formatCivilDate, localDate, monthsSinceTextOrNaN, parseCivilDate, wholeYearsBetween, type CivilDate } from '../calendar.js';
import { COARSE_BIT, labelOf, maskOf, planOf, type PackPlan } from './pack-plan.js';
import { expiresOn, latestCompletionText, trainingsToCount, withinGrace } from './trainings.js';
import { addNote, type NoteReason, type PersonInRoom, type PersonReason, type PersonStanding, type Presence } from './types.js';

/** A person's evaluation while the room is judged; `supervised` is settled once everyone is judged. */
export interface Judged {
  counted: boolean;
  countsAs: Level | null;
  reasons: PersonReason[];
  presence: Presence;
  needsSupervision: boolean;
  supervised: boolean;
}

/**
 * Whether `person` may count in a group holding children of `categories` at
 * `at`: the very judgement `evaluateRoom` makes of each person present, for
 * eligibility and cover matching.
 */
export function evaluatePerson(pack: RulePack, person: PersonInRoom, categories: readonly CoarseCategory[], at: DateTime): PersonStanding {
  const plan = planOf(pack);
  const on = localDate(at, pack.timeZone ?? at.zoneName ?? 'UTC');
  const notes: NoteReason[] = [];
  const remarks: PersonReason[] = [];
  const j = judgePerson(plan, pack, person, on, maskOf(categories), notes, true, remarks);
  return {
    counted: j.counted,
    countsAs: j.countsAs,
    reasons: j.reasons,
    missing: j.reasons.filter((r) => !remarks.includes(r)),
    presence: j.presence,
    needsSupervision: j.needsSupervision,
    notes,
  };
}

/**
 * Judges one person in a group holding the coarse categories of `mask`
 * (`COARSE_BIT`). Without `explain` the same decisions are taken and no
 * reasons are given. `remarks`, when given, collects the reasons that do not
 * keep the person from counting.
 */
export function judgePerson(
  plan: PackPlan,
  pack: RulePack,
  person: PersonInRoom,
  on: CivilDate,
  mask: number,
  notes: NoteReason[],
  explain: boolean,
  remarks: PersonReason[] | null,
): Judged {
  const reasons: PersonReason[] = [];
  const rule = plan.counting.get(person.role);
  const ageYears = personAge(person, on);

  let level = levelHeld(rule, person);
  let basisRemark: PersonReason | null = null;
  if (level !== null && person.qualifiedThrough) {
    const limit = plan.basisLimits.get(person.qualifiedThrough)?.get(level);
    if (limit && (mask & ~maskOf(limit.onlyWith)) !== 0) {
      const held = limit.otherwise;
      if (explain) {
        basisRemark = { code: 'level_basis_limited', params: { text: limit.text, cite: limit.cite, held: held === null ? null : labelOf(pack, held) } };
      }
      level = held;
    }
  }
  const levelRule = level === null ? undefined : plan.levels.get(level);
  let counted = true;
  if (!rule || rule.counts === 'never') {
    counted = false;
    if (explain) reasons.push({ code: 'role_never_counts', params: { role: person.role, packReason: rule?.reason ?? null } });
  } else if (level === null) {
    counted = false;
    if (explain) reasons.push(basisRemark ?? { code: 'no_level_on_record', params: { role: person.role, packReason: rule.reason ?? null } });
    basisRemark = null;
  } else if (!levelRule) {
    counted = false;
    if (explain) reasons.push({ code: 'not_a_level', params: { level, levels: plan.levelLabels } });
  }

  // Background study decides presence as well as counting.
  let presence: Presence = 'allowed';
  // `qualified` vouches for what is not stated; a stated study status still decides (a disqualified person never counts).
  const study: BackgroundStudyStatus | null = person.backgroundStudy ?? (person.qualified ? 'cleared' : null);
  if (study === null) {
    counted = false;
    if (explain) reasons.push({ code: 'study_not_given', params: {} });
  } else {
    const byStatus = pack.backgroundStudy.byStatus[study];
    presence = byStatus.present === 'supervised_only' ? 'supervised_only' : byStatus.present ? 'allowed' : 'not_allowed';
    if (!byStatus.counted) {
      counted = false;
      if (explain) reasons.push({ code: 'background_study', params: { status: study } });
    } else if (person.backgroundExpiresOn && person.backgroundExpiresOn <= civilDateText(on)) {
      // A cleared study with an expiry the center entered stops counting on that day (YYYY-MM-DD text sorts by date).
      counted = false;
      if (explain) reasons.push({ code: 'study_expired', params: { on: person.backgroundExpiresOn } });
    }
  }

  if (!person.qualified && levelRule && rule && rule.counts !== 'never') {
    const minAge = Math.max(levelRule.minAgeYears, rule.minAgeYears ?? 0);
    if (ageYears === null) {
      counted = false;
      if (explain) reasons.push({ code: 'age_not_given', params: { level: levelRule.label, minAge, cite: levelRule.cite } });
    } else if (ageYears < minAge) {
      counted = false;
      const cite = minAge === levelRule.minAgeYears ? levelRule.cite : rule.cite;
      if (explain) reasons.push({ code: 'under_age', params: { role: person.role, level: levelRule.label, minAge, cite } });
    }
    const required = plan.trainings.get(person.role)?.get(levelRule.level)?.[mask] ?? trainingsToCount(pack, person.role, levelRule.level, categoriesOf(mask));
    for (let t = 0; t < required.length; t++) {
      const training = required[t]!;
      const done = latestCompletionText(person, training.id, on);
      // Months since the completion; NaN when there is none (or its date is not a real one, as parseCivilDate would say).
      const monthsAgo = done === null ? NaN : monthsSinceTextOrNaN(done, on);
      if (monthsAgo === monthsAgo) {
        if (training.renewalMonths === null || (monthsAgo < training.renewalMonths && !pastMaxDays(training, done!, on))) continue;
        // Expired: on or after the completion plus the renewal period.
        counted = false;
        if (!explain) continue;
        reasons.push({ code: 'training_expired', params: { training: training.label, on: formatCivilDate(expiresOn(training, parseCivilDate(done!)!)!) } });
        const renewalNote = plan.renewalNotes.get(training);
        if (renewalNote !== undefined) addNote(notes, renewalNote);
        continue;
      }
      if (withinGrace(training, person, on)) {
        if (explain) {
          const line: PersonReason = { code: 'training_in_grace', params: { training: training.label, graceDays: training.graceDays } };
          reasons.push(line);
          remarks?.push(line);
        }
        continue;
      }
      counted = false;
      if (explain) reasons.push({ code: 'training_missing', params: { training: training.label, deadline: training.deadline } });
    }
  }
  if (counted && presence !== 'allowed') counted = false;
  if (basisRemark !== null) {
    reasons.push(basisRemark);
    remarks?.push(basisRemark);
  }

  let needsSupervision = presence === 'supervised_only';
  if (counted && levelRule?.supervisedBelowAgeYears !== undefined && ageYears !== null && ageYears < levelRule.supervisedBelowAgeYears) {
    needsSupervision = true;
    if (explain) {
      const line: PersonReason = {
        code: 'supervised_below_age',
        params: { level: levelRule.label, age: levelRule.supervisedBelowAgeYears, supervisor: pack.supervision.supervisorText, cite: levelRule.supervisedBelowAgeCite ?? levelRule.cite },
      };
      reasons.push(line);
      remarks?.push(line);
    }
  }
  if (!counted && rule?.supervisedWhenNotCounted && presence === 'allowed') {
    needsSupervision = true;
    if (explain) {
      const line: PersonReason = { code: 'supervised_when_not_counted', params: { role: person.role, supervisor: pack.supervision.supervisorText } };
      reasons.push(line);
      remarks?.push(line);
    }
  }
  return { counted, countsAs: counted ? level : null, reasons, presence, needsSupervision, supervised: true };
}

/** A completion older than the training's `renewalMaxDays` on `on` (when it sets one). */
function pastMaxDays(training: { readonly renewalMaxDays?: number }, done: string, on: CivilDate): boolean {
  if (training.renewalMaxDays === undefined) return false;
  const completed = parseCivilDate(done);
  return completed !== null && dayNumber(on) - dayNumber(completed) >= training.renewalMaxDays;
}

function levelHeld(rule: CountingRule | undefined, person: PersonInRoom): Level | null {
  if (!rule || rule.counts === 'never') return null;
  if (person.qualifiesAs) return person.qualifiesAs;
  return rule.counts === 'own_level' ? person.role : null;
}

/** Whole years of age on `on`: `ageYears` as given, else from the birth date; null when neither is known. */
export function personAge(person: PersonInRoom, on: CivilDate): number | null {
  if (typeof person.ageYears === 'number') return person.ageYears;
  if (person.birthDate) {
    const birth = parseCivilDate(person.birthDate);
    if (birth) return wholeYearsBetween(birth, on);
  }
  return null;
}

/** The coarse categories of a bit mask (`COARSE_BIT`). */
function categoriesOf(mask: number): Set<CoarseCategory> {
  return new Set(COARSE_CATEGORIES.filter((c) => (mask & COARSE_BIT[c]) !== 0));
}
