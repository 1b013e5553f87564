import type { DateTime } from 'luxon';
import { ageOn, placeInBand, type Age } from './age.js';
import { localDate, parseCivilDate } from './calendar.js';
import { evaluateRoom } from './ratio/evaluate-room.js';
import type { ChildInRoom, Group, PersonInRoom } from './ratio/types.js';
import type { AgeMark, BackgroundStudyStatus, RulePack } from './rule-pack.js';

/**
 * Who may be started in a room at all, before anyone is counted: a person whose
 * background study the pack does not allow near children, or one allowed only under
 * direct supervision with no one present to supervise; a child younger than the
 * pack's minimum age, or at or over its maximum. The presence and supervision
 * decisions are the ratio engine's (`evaluateRoom`), never redone here; this module
 * only asks it about the group as it would be, and puts the pack's own words and
 * citations into a sentence.
 */

export type PersonEntry =
  | { readonly ok: true; /** Present under direct supervision (a pending study). */ readonly supervised: boolean }
  | {
      readonly ok: false;
      readonly reason: 'background_study' | 'no_supervisor';
      /** Follows "<name> can't be started": e.g. ": their background study is not started; … (Minn. Stat. 245C.13 subd. 2)". */
      readonly explanation: string;
    };

const STUDY_WORDS: Readonly<Record<BackgroundStudyStatus, string>> = {
  not_started: 'not started',
  submitted: 'submitted',
  cleared: 'cleared',
  disqualified: 'disqualified',
};

const orList = (words: readonly string[]) => (words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`);

/**
 * Whether `person` may be started in the room whose group is `group` (the people
 * present now, without them) at `at`: judged by the engine on the group as it would
 * be with them in it. A study the pack's table gives `present: false` refuses; one
 * it gives `'supervised_only'` refuses unless someone else present supervises.
 */
export function judgePersonEntry(pack: RulePack, group: Group, person: PersonInRoom, at: DateTime): PersonEntry {
  const evaluation = evaluateRoom(pack, { ...group, people: [...group.people, person] }, at, { explain: false });
  const judged = evaluation.staff[group.people.length]!;
  if (judged.presence === 'allowed') return { ok: true, supervised: false };
  const study = person.backgroundStudy ?? null;
  const table = pack.backgroundStudy.byStatus;
  const allowedOnce = orList((Object.keys(table) as BackgroundStudyStatus[]).filter((s) => table[s].present === true).map((s) => STUDY_WORDS[s]));
  if (judged.presence === 'not_allowed') {
    const rule = study ? table[study] : null;
    return {
      ok: false,
      reason: 'background_study',
      explanation: `their background study is ${study ? STUDY_WORDS[study] : 'not recorded'}; ${pack.name} allow presence with children only once it is ${allowedOnce} (${rule?.cite ?? pack.backgroundStudy.cite})`,
    };
  }
  if (judged.supervised) return { ok: true, supervised: true };
  const rule = study ? table[study] : null;
  return {
    ok: false,
    reason: 'no_supervisor',
    explanation: `their background study is ${study ? STUDY_WORDS[study] : 'not recorded'}, not ${allowedOnce}; until it is, ${pack.name} allow presence with children only under direct supervision by ${pack.supervision.supervisorText}, and none is present (${rule?.cite ?? pack.backgroundStudy.cite}; ${pack.supervision.cite})`,
  };
}

export type ChildEntry =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly reason: 'below_minimum_age' | 'above_maximum_age';
      /** Follows the child's name: e.g. " is 5 weeks old; … care for infants from 6 weeks (Minn. R. 9503.0005 …)". */
      readonly explanation: string;
    };

/**
 * Whether a child born on `child.birthDate` may be checked in under the pack at
 * `at` (the local date in the pack's zone, as the engine judges ages): not younger
 * than the pack's minimum age, nor at or over its maximum, where the pack sets them.
 */
export function judgeChildEntry(pack: RulePack, child: ChildInRoom, at: DateTime): ChildEntry {
  const birth = parseCivilDate(child.birthDate);
  if (!birth) return { ok: true };
  const on = localDate(at, pack.timeZone ?? at.zoneName ?? 'UTC');
  const age = ageOn(birth, on);
  const placed = placeInBand(pack, age, child.attendsKindergarten === true);
  if (placed.belowMinimum && pack.minimumAge) {
    const youngest = pack.bands[0]?.coarse === 'infant' ? 'infants' : 'children';
    const old = age.days < 0 ? 'not born yet' : `${ageWords(age, pack.minimumAge.mark)} old`;
    return {
      ok: false,
      reason: 'below_minimum_age',
      explanation: `is ${old}; ${pack.name} care for ${youngest} from ${pack.minimumAge.text} (${pack.minimumAge.cite})`,
    };
  }
  if (placed.aboveMaximum && pack.maximumAge) {
    return {
      ok: false,
      reason: 'above_maximum_age',
      explanation: `is ${ageWords(age, pack.maximumAge.mark)} old; ${pack.name} care for children ${pack.maximumAge.text} (${pack.maximumAge.cite})`,
    };
  }
  return { ok: true };
}

/** An age in the unit of the pack's mark it is compared with: "5 weeks", "15 months", "13 years" (whole units, as the rule counts). */
function ageWords(age: Age, mark: AgeMark): string {
  const n = (k: number, unit: string) => `${k} ${unit}${k === 1 ? '' : 's'}`;
  if ('weeks' in mark) return age.days < 7 ? n(age.days, 'day') : n(Math.floor(age.days / 7), 'week');
  if ('months' in mark) return age.months < 1 ? n(Math.floor(age.days / 7), 'week') : n(age.months, 'month');
  return age.months < 12 ? n(age.months, 'month') : n(Math.floor(age.months / 12), 'year');
}
