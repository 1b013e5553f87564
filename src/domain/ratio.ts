import type { DateTime } from 'luxon';
import type {
  Activity,
  AgeBand,
  BackgroundStudyStatus,
  CoarseCategory,
  CountingRule,
  DistributionSlotSubstitute,
  Level,
  RulePack,
  Training,
} from './rule-pack.js';
import { packStatus } from './rule-pack.js';
import { bandIndexIn, compileAges, isAboveMaximumIn, isBelowMinimumIn } from './age.js';
import {
  addDays,
  addMonths,
  compareCivil,
  dayNumber,
  formatCivilDate,
  localDate,
  parseCivilDate,
  civilDateText,
  ageFromText,
  wholeYearsBetween,
  type CivilDate,
} from './calendar.js';

/**
 * The ratio engine: is this group legally staffed at `at`, and by whom?
 * Every screen (board, forecast, eligibility, cover matching) and the
 * `ratio-check` CLI call `evaluateRoom`; it reads only the pack's data.
 */

export interface TrainingRecord {
  readonly id: string;
  /** `YYYY-MM-DD`. Only verified records should be passed in. */
  readonly completedOn: string;
}

export interface ChildInRoom {
  /** `YYYY-MM-DD`. */
  readonly birthDate: string;
  /** Has attended the first day of kindergarten. */
  readonly attendsKindergarten?: boolean;
}

export interface PersonInRoom {
  readonly role: import('./rule-pack.js').Role;
  /** The staff qualification level held on record. */
  readonly qualifiesAs?: Level | null;
  /** Meets every requirement of role and level (age, study, trainings), which are then not checked; a stated `backgroundStudy` still applies. */
  readonly qualified?: boolean;
  readonly ageYears?: number | null;
  /** `YYYY-MM-DD`; used for the age when `ageYears` is not given. */
  readonly birthDate?: string | null;
  readonly backgroundStudy?: BackgroundStudyStatus | null;
  /** `YYYY-MM-DD` from which a cleared study no longer holds, when the center entered one. */
  readonly backgroundExpiresOn?: string | null;
  readonly trainings?: readonly TrainingRecord[];
  /** `YYYY-MM-DD` of the first day of direct contact at this center (grace periods, days worked). */
  readonly startedOn?: string | null;
}

export interface Group {
  readonly activity: Activity;
  readonly children: readonly ChildInRoom[];
  readonly people: readonly PersonInRoom[];
  /** A room's own group-size limit; only ever makes the pack's limit stricter. */
  readonly maxGroupSize?: number | null;
}

export type ViolationCode = 'over_ratio' | 'over_group_size' | 'staff_distribution' | 'unsupervised_staff' | 'below_minimum_age';

export interface Violation {
  readonly code: ViolationCode;
  readonly message: string;
  /** Indexes into `group.people` the violation is about, where it is about people. */
  readonly people?: readonly number[];
}

export type Presence = 'allowed' | 'supervised_only' | 'not_allowed';

export interface PersonEvaluation {
  readonly counted: boolean;
  readonly countsAs: Level | null;
  readonly reasons: readonly string[];
  readonly presence: Presence;
  /** May be here only under direct supervision (and whether that holds now). */
  readonly needsSupervision: boolean;
  readonly supervised: boolean;
}

export interface RoomEvaluation {
  readonly state: RulePack['id'];
  readonly packStatus: 'draft' | 'verified';
  readonly activity: Activity;
  readonly compliant: boolean;
  readonly children: number;
  /** Children per band id of the pack, every band listed. */
  readonly byCategory: Readonly<Record<string, number>>;
  readonly requiredStaff: number;
  readonly countedStaff: number;
  /** The group-size limit that applies now; null when none does. */
  readonly maxGroupSize: number | null;
  readonly staff: readonly PersonEvaluation[];
  readonly violations: readonly Violation[];
  readonly margin: { readonly staff: number; readonly children: Readonly<Record<string, number>> };
  readonly notes: readonly string[];
}

export const VIOLATION_ORDER: readonly ViolationCode[] = [
  'over_ratio',
  'over_group_size',
  'staff_distribution',
  'unsupervised_staff',
  'below_minimum_age',
];

const ROLE_WORDS: Record<string, string> = {
  director: 'director',
  teacher: 'teacher',
  assistant_teacher: 'assistant teacher',
  aide: 'aide',
  substitute: 'substitute',
  volunteer: 'volunteer',
  student: 'student',
};

export interface EvaluateOptions {
  /**
   * false: codes, counts and margins only; reasons, messages and notes are left
   * empty. For callers that judge a room many times and show none of the words
   * (the forecast's intervals, the cover search). Default true.
   */
  readonly explain?: boolean;
}

export function evaluateRoom(pack: RulePack, group: Group, at: DateTime, options: EvaluateOptions = {}): RoomEvaluation {
  const explain = options.explain !== false;
  const on = localDate(at, pack.timeZone ?? at.zoneName ?? 'UTC');
  const notes = new Set<string>();
  const bands = pack.bands;

  // Children: place each in a band on the local date.
  const counts = new Array<number>(bands.length).fill(0);
  let belowMinimum = 0;
  let youngerThanLoadLimit = 0;
  const loadLimitMonths = pack.mixedAge.method === 'pro_rata' ? pack.mixedAge.groupSize.loadLimitFromMonths : null;
  const today = dayNumber(on);
  const ages = compileAges(pack);
  const age = { days: 0, months: 0 };
  for (const child of group.children) {
    ageFromText(child.birthDate, on, today, age);
    const { days, months } = age;
    const bandIndex = bandIndexIn(ages, days, months, child.attendsKindergarten === true);
    counts[bandIndex]! += 1;
    if (isBelowMinimumIn(ages, days, months)) belowMinimum += 1;
    else if (explain && pack.maximumAge && isAboveMaximumIn(ages, days, months)) {
      notes.add(`A child aged ${pack.maximumAge.text.replace(/^younger than /, '')} or older is present: outside the ages this pack covers (${pack.maximumAge.cite}); counted in the oldest category.`);
    }
    const olderNote = bands[bandIndex]!.olderNote;
    if (explain && olderNote && months >= olderNote.fromMonths) notes.add(olderNote.text);
    if (loadLimitMonths !== null && months < loadLimitMonths) youngerThanLoadLimit += 1;
  }
  const childCount = group.children.length;
  const coarsePresent = new Set<CoarseCategory>();
  for (let i = 0; i < bands.length; i++) if (counts[i]! > 0) coarsePresent.add(bands[i]!.coarse);

  // People: who may count, at which level, and who needs supervision.
  const judged = group.people.map((person) => judgePerson(pack, person, on, coarsePresent, notes, explain));
  let countedStaff = 0;
  const supervisors: boolean[] = [];
  for (const j of judged) {
    if (j.counted) countedStaff += 1;
    supervisors.push(j.counted && j.level !== null && pack.supervision.supervisorLevels.includes(j.level));
  }

  // Requirement for the group as it stands.
  const limits = groupLimits(pack, group.activity, counts, youngerThanLoadLimit, group.maxGroupSize ?? null);
  const mixedNote = explain ? mixedNoteOf(pack, limits) : null;
  if (mixedNote) notes.add(mixedNote);
  const requiredStaff = limits.requiredStaff;

  const violations: Violation[] = [];
  if (countedStaff < requiredStaff) {
    violations.push({
      code: 'over_ratio',
      message: explain ? `${describeChildren(pack, counts)} need ${requiredStaff} counted staff (${ratioWords(pack, group.activity, limits)}); ${countedStaff} counted.` : '',
    });
  }
  if (!limits.groupSizeOk) {
    violations.push({ code: 'over_group_size', message: explain ? groupSizeWords(pack, limits) : '' });
  }

  const distribution = judgeDistribution(pack, group, judged, requiredStaff, countedStaff, on, explain);
  if (distribution) {
    violations.push(distribution);
    if (explain && pack.distribution?.scopeNote) notes.add(pack.distribution.scopeNote);
  }

  const staff: PersonEvaluation[] = judged.map((j, i) => {
    const supervised = j.needsSupervision ? supervisors.some((s, k) => s && k !== i) : true;
    const reasons = j.reasons; // built for this evaluation only
    if (explain && j.needsSupervision && !supervised) reasons.push(`Not supervised: needs ${pack.supervision.supervisorText}, and none is present`);
    return {
      counted: j.counted,
      countsAs: j.counted ? j.level : null,
      reasons,
      presence: j.presence,
      needsSupervision: j.needsSupervision,
      supervised,
    };
  });
  const unsupervised: number[] = [];
  for (let i = 0; i < staff.length; i++) if (staff[i]!.needsSupervision && !staff[i]!.supervised) unsupervised.push(i);
  if (unsupervised.length > 0) {
    const who = explain ? unsupervised.map((i) => describePerson(group.people[i]!, i)).join(', ') : '';
    violations.push({
      code: 'unsupervised_staff',
      message: explain ? `${who} may be present only under direct supervision by ${pack.supervision.supervisorText}; none is present (${pack.supervision.cite}).` : '',
      people: unsupervised,
    });
  }
  for (let i = 0; i < judged.length; i++) {
    if (!explain || judged[i]!.presence !== 'not_allowed') continue;
    notes.add(`${capitalize(describePerson(group.people[i]!, i))} may not be present with children (background study ${group.people[i]!.backgroundStudy?.replace('_', ' ')}; ${pack.backgroundStudy.cite}).`);
  }
  if (belowMinimum > 0 && pack.minimumAge) {
    violations.push({
      code: 'below_minimum_age',
      message: !explain ? '' : `${belowMinimum === 1 ? 'A child' : `${belowMinimum} children`} younger than ${pack.minimumAge.text} ${belowMinimum === 1 ? 'is' : 'are'} present; centers may not care for children under ${pack.minimumAge.text} (${pack.minimumAge.cite}).`,
    });
    if (explain) notes.add(`Children younger than ${pack.minimumAge.text} are counted in the youngest category for ratio.`);
  }
  if (violations.length > 1) violations.sort((a, b) => VIOLATION_ORDER.indexOf(a.code) - VIOLATION_ORDER.indexOf(b.code));

  const byCategory: Record<string, number> = {};
  for (let i = 0; i < bands.length; i++) byCategory[bands[i]!.id] = counts[i]!;

  const ratioOrSizeBroken = countedStaff < requiredStaff || !limits.groupSizeOk;
  const marginChildren: Record<string, number> = {};
  for (let i = 0; i < bands.length; i++) {
    marginChildren[bands[i]!.id] = ratioOrSizeBroken
      ? 0
      : additionalChildren(pack, group.activity, counts, youngerThanLoadLimit, group.maxGroupSize ?? null, i, countedStaff);
  }

  return {
    state: pack.id,
    packStatus: statusOf(pack),
    activity: group.activity,
    compliant: violations.length === 0,
    children: childCount,
    byCategory,
    requiredStaff,
    countedStaff,
    maxGroupSize: limits.maxGroupSize,
    staff,
    violations,
    margin: { staff: countedStaff - requiredStaff, children: marginChildren },
    notes: [...notes],
  };
}

const statuses = new WeakMap<RulePack, 'draft' | 'verified'>();
function statusOf(pack: RulePack): 'draft' | 'verified' {
  let status = statuses.get(pack);
  if (status === undefined) {
    status = packStatus(pack);
    statuses.set(pack, status);
  }
  return status;
}

// ---------------------------------------------------------------- people

export interface PersonStanding {
  readonly counted: boolean;
  readonly countsAs: Level | null;
  /** Every line about the person, as the board and ratio-check show them. */
  readonly reasons: readonly string[];
  /** Only what keeps the person from counting (not remarks such as a grace period or a supervision condition). */
  readonly missing: readonly string[];
  readonly presence: Presence;
  /** Would be present only under direct supervision (a pending study, an aide under 18, a supervised volunteer). */
  readonly needsSupervision: boolean;
  /** Sentences about stricter readings taken while judging this person. */
  readonly notes: readonly string[];
}

/**
 * Whether `person` may count in a group holding children of `categories` at
 * `at`: the very judgement `evaluateRoom` makes of each person present, for
 * eligibility and cover matching.
 */
export function evaluatePerson(
  pack: RulePack,
  person: PersonInRoom,
  categories: readonly CoarseCategory[],
  at: DateTime,
): PersonStanding {
  const on = localDate(at, pack.timeZone ?? at.zoneName ?? 'UTC');
  const notes = new Set<string>();
  const j = judgePerson(pack, person, on, new Set(categories), notes, true);
  return {
    counted: j.counted,
    countsAs: j.counted ? j.level : null,
    reasons: j.reasons,
    missing: j.reasons.filter((r) => !j.remarks.includes(r)),
    presence: j.presence,
    needsSupervision: j.needsSupervision,
    notes: [...notes],
  };
}

/** A line shown with the person that does not keep them from counting. */
function addRemark(reasons: string[], remarks: string[], line: string): void {
  reasons.push(line);
  remarks.push(line);
}

interface PersonJudgement {
  readonly level: Level | null;
  readonly counted: boolean;
  readonly reasons: string[];
  /** The lines of `reasons` that are remarks, not reasons the person does not count. */
  readonly remarks: string[];
  readonly presence: Presence;
  readonly needsSupervision: boolean;
  readonly ageYears: number | null;
}

function judgePerson(
  pack: RulePack,
  person: PersonInRoom,
  on: CivilDate,
  coarsePresent: ReadonlySet<CoarseCategory>,
  notes: Set<string>,
  explain: boolean,
): PersonJudgement {
  // Without `explain` the same decisions are taken and no words are built.
  const reasons: string[] = [];
  const remarks: string[] = [];
  const lookup = lookupsOf(pack);
  const rule = lookup.counting.get(person.role);
  const roleWord = ROLE_WORDS[person.role] ?? person.role;
  const ageYears = personAge(person, on);

  const level = levelHeld(rule, person);
  const levelRule = level === null ? undefined : lookup.levels.get(level);
  let counted = true;
  if (!rule || rule.counts === 'never') {
    counted = false;
    if (explain) reasons.push(rule?.reason ?? `A ${roleWord} does not count toward ratio under this pack`);
  } else if (level === null) {
    counted = false;
    if (explain) reasons.push(`${rule.reason ?? `A ${roleWord} counts only at a staff level`}: no qualification level on record, does not count`);
  } else if (!levelRule) {
    counted = false;
    if (explain) reasons.push(`"${level}" is not a staff level under this pack (levels: ${pack.levels.map((l) => l.label).join(', ')})`);
  }

  // Background study decides presence as well as counting.
  let presence: Presence = 'allowed';
  // `qualified` vouches for what is not stated; a stated study status still decides (a disqualified person never counts).
  const study: BackgroundStudyStatus | null = person.backgroundStudy ?? (person.qualified ? 'cleared' : null);
  if (study === null) {
    counted = false;
    if (explain) reasons.push('Background study status not given: does not count');
  } else {
    const byStatus = pack.backgroundStudy.byStatus[study];
    presence = byStatus.present === 'supervised_only' ? 'supervised_only' : byStatus.present ? 'allowed' : 'not_allowed';
    if (!byStatus.counted) {
      counted = false;
      if (explain) reasons.push(studyReason(study));
    } else if (person.backgroundExpiresOn && person.backgroundExpiresOn <= civilDateText(on)) {
      // A cleared study with an expiry the center entered stops counting on that day (YYYY-MM-DD text sorts by date).
      counted = false;
      if (explain) reasons.push(`Background study: expired on ${person.backgroundExpiresOn}`);
    }
  }

  if (!person.qualified && levelRule && rule && rule.counts !== 'never') {
    const minAge = Math.max(levelRule.minAgeYears, rule.minAgeYears ?? 0);
    if (ageYears === null) {
      counted = false;
      if (explain) reasons.push(`Age not given: a ${levelRule.label} must be at least ${minAge} (${levelRule.cite})`);
    } else if (ageYears < minAge) {
      counted = false;
      const cite = minAge === levelRule.minAgeYears ? levelRule.cite : rule.cite;
      if (explain) reasons.push(`Under ${minAge}: a ${roleWord} counted as ${levelRule.label} must be at least ${minAge} (${cite})`);
    }
    for (const training of trainingsToCount(pack, person.role, levelRule.level, coarsePresent)) {
      const done = latestCompletion(person, training.id, on);
      const problem = problemWith(training, done, person, on, explain);
      if (problem !== null) {
        counted = false;
        if (!explain) continue;
        reasons.push(problem);
        if (training.renewalVerified !== undefined && training.renewalVerified !== true && problem.includes('expired')) {
          notes.add(`The ${training.label} renewal period of ${training.renewalMonths} months is not confirmed in rule text (${training.renewalCite ?? training.cite}); the stricter reading is used.`);
        }
      } else if (explain && training.gate === 'grace' && done === null) {
        addRemark(reasons, remarks, `${training.label}: not completed yet, within the ${training.graceDays}-day period after starting`);
      }
    }
  }
  if (counted && presence !== 'allowed') counted = false;

  let needsSupervision = presence === 'supervised_only';
  if (counted && levelRule?.supervisedBelowAgeYears !== undefined && ageYears !== null && ageYears < levelRule.supervisedBelowAgeYears) {
    needsSupervision = true;
    if (explain) addRemark(reasons, remarks, `${capitalize(levelRule.label)} under ${levelRule.supervisedBelowAgeYears}: must be directly supervised by ${pack.supervision.supervisorText} (${levelRule.supervisedBelowAgeCite ?? levelRule.cite})`);
  }
  if (!counted && rule?.supervisedWhenNotCounted && presence === 'allowed') {
    needsSupervision = true;
    if (explain) addRemark(reasons, remarks, `Not counted: may be present only as a supervised ${roleWord}, with ${pack.supervision.supervisorText}`);
  }
  return { level, counted, reasons, remarks, presence, needsSupervision, ageYears };
}

interface PackLookups {
  readonly counting: ReadonlyMap<string, CountingRule>;
  readonly levels: ReadonlyMap<string, RulePack['levels'][number]>;
}

const lookups = new WeakMap<RulePack, PackLookups>();

/** The pack's counting rules by role and levels by id, built once per pack (every person of every room looks them up). */
function lookupsOf(pack: RulePack): PackLookups {
  let found = lookups.get(pack);
  if (!found) {
    found = {
      counting: new Map(pack.counting.map((c) => [c.role, c] as const)),
      levels: new Map(pack.levels.map((l) => [l.level, l] as const)),
    };
    lookups.set(pack, found);
  }
  return found;
}

function levelHeld(rule: CountingRule | undefined, person: PersonInRoom): Level | null {
  if (!rule || rule.counts === 'never') return null;
  if (person.qualifiesAs) return person.qualifiesAs;
  return rule.counts === 'own_level' ? person.role : null;
}

function personAge(person: PersonInRoom, on: CivilDate): number | null {
  if (typeof person.ageYears === 'number') return person.ageYears;
  if (person.birthDate) {
    const birth = parseCivilDate(person.birthDate);
    if (birth) return wholeYearsBetween(birth, on);
  }
  return null;
}

function studyReason(study: BackgroundStudyStatus): string {
  switch (study) {
    case 'submitted':
      return 'Background study submitted, not cleared: may be present only under direct supervision, does not count';
    case 'not_started':
      return 'Background study not started: may not be present with children, does not count';
    case 'disqualified':
      return 'Background study disqualified: may not be present with children, does not count';
    case 'cleared':
      return 'Background study cleared';
  }
}

/**
 * Whether `training` is asked of a person of `role` holding `level`. A role the
 * pack's trainings never name (a student, say) is asked what its level is asked.
 */
export function trainingAppliesTo(pack: RulePack, training: Training, role: PersonInRoom['role'], level: Level | null): boolean {
  if (training.roles.includes(role)) return true;
  if (level === null || pack.trainings.some((t) => t.roles.includes(role))) return false;
  return (training.roles as readonly string[]).includes(level);
}

const trainingsCache = new WeakMap<RulePack, Map<string, Training[][]>>();
const COARSE_BIT: Record<CoarseCategory, number> = { infant: 1, toddler: 2, preschooler: 4, school_age: 8 };

/** The trainings a person must hold to count in a group with these categories. */
export function trainingsToCount(
  pack: RulePack,
  role: PersonInRoom['role'],
  level: Level,
  coarsePresent: ReadonlySet<CoarseCategory>,
): Training[] {
  // Judged for every person of every room: memoised per pack by role, level and categories present.
  let byRoleLevel = trainingsCache.get(pack);
  if (!byRoleLevel) trainingsCache.set(pack, (byRoleLevel = new Map()));
  const roleLevel = role === level ? role : role + level;
  let byMask = byRoleLevel.get(roleLevel);
  if (!byMask) byRoleLevel.set(roleLevel, (byMask = []));
  let mask = 0;
  for (const c of coarsePresent) mask |= COARSE_BIT[c];
  let list = byMask[mask];
  if (!list) {
    list = pack.trainings.filter(
      (t) =>
        t.gate !== 'none' &&
        trainingAppliesTo(pack, t, role, level) &&
        (role !== 'volunteer' || t.volunteersToCount) &&
        t.categories.some((c) => coarsePresent.has(c)),
    );
    byMask[mask] = list;
  }
  return list;
}

/** The latest completion of `id` on or before `on`, or null. */
function latestCompletion(person: PersonInRoom, id: string, on: CivilDate): CivilDate | null {
  const records = person.trainings;
  if (!records) return null;
  // YYYY-MM-DD text sorts in date order: compare the text, parse only the winner.
  const onText = civilDateText(on);
  let best: string | null = null;
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    if (record.id !== id) continue;
    const done = record.completedOn;
    if (done <= onText && (best === null || done > best)) best = done;
  }
  return best === null ? null : parseCivilDate(best);
}

/** The first day on which a completion no longer counts, or null when it never expires. */
export function expiresOn(training: Training, completedOn: CivilDate): CivilDate | null {
  return training.renewalMonths === null ? null : addMonths(completedOn, training.renewalMonths);
}

/** Why this training keeps the person from counting on `on`, or null when it does not. */
export function trainingProblem(training: Training, person: PersonInRoom, on: CivilDate): string | null {
  return problemWith(training, latestCompletion(person, training.id, on), person, on, true);
}

function problemWith(training: Training, done: CivilDate | null, person: PersonInRoom, on: CivilDate, explain: boolean): string | null {
  if (done) {
    const expiry = expiresOn(training, done);
    if (expiry && compareCivil(on, expiry) >= 0) return explain ? `${training.label}: expired on ${formatCivilDate(expiry)}` : '';
    return null;
  }
  if (training.gate === 'grace' && training.graceDays !== undefined && person.startedOn) {
    const started = parseCivilDate(person.startedOn);
    if (started && compareCivil(on, addDays(started, training.graceDays)) < 0) return null;
  }
  return explain ? `${training.label} training missing: required ${training.deadline}` : '';
}

// ---------------------------------------------------------------- group limits

/**
 * What the group needs, as plain data; the words for it are built by
 * `ratioWords`, `groupSizeWords` and `mixedNoteOf` only when a violation or a
 * note needs them (the engine runs hot: no closures per call).
 */
interface GroupLimits {
  readonly total: number;
  readonly requiredStaff: number;
  /** The band whose ratio and group size govern; for pro rata, the youngest present. */
  readonly governing: number;
  readonly mixed: boolean;
  /** Children per staff used, or null for pro rata across several bands. */
  readonly ratio: number | null;
  readonly maxGroupSize: number | null;
  readonly groupSizeOk: boolean;
  /** Which limit set `maxGroupSize`. */
  readonly sizeRule: 'band' | 'room' | 'younger_cap' | 'pro_rata_load' | 'none';
}

function ratioFor(pack: RulePack, bandIndex: number, activity: Activity): number {
  const band = pack.bands[bandIndex]!;
  if (activity === 'nap' && pack.nap) {
    const nap = pack.nap.childrenPerStaff[band.id];
    if (nap !== undefined) return nap;
  }
  return ratioRow(pack, band).childrenPerStaff;
}

function ratioRow(pack: RulePack, band: AgeBand) {
  const row = pack.ratios.find((r) => r.category === band.id);
  if (!row) throw new Error(`pack ${pack.id} has no ratio for band ${band.id}`);
  return row;
}

function capFor(pack: RulePack, bandIndex: number, activity: Activity, roomCap: number | null): number | null {
  if (pack.groupSizeExempt.activities.includes(activity)) return null;
  const packCap = ratioRow(pack, pack.bands[bandIndex]!).maxGroupSize;
  if (roomCap === null) return packCap;
  return packCap === null ? roomCap : Math.min(packCap, roomCap);
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

const NO_CHILDREN: GroupLimits = {
  total: 0,
  requiredStaff: 0,
  governing: 0,
  mixed: false,
  ratio: null,
  maxGroupSize: null,
  groupSizeOk: true,
  sizeRule: 'none',
};

/**
 * Required staff and the group-size test for children counted per band,
 * following the pack's mixed-age rule. Rounds only where the rule says: the
 * youngest-band and majority rules round the one ratio used; pro rata sums
 * exact fractions and rounds once at the end.
 */
function groupLimits(
  pack: RulePack,
  activity: Activity,
  counts: readonly number[],
  youngerThanLoadLimit: number,
  roomCap: number | null,
): GroupLimits {
  let total = 0;
  let youngest = -1;
  let bandsPresent = 0;
  for (let i = 0; i < counts.length; i++) {
    if (counts[i]! === 0) continue;
    total += counts[i]!;
    bandsPresent += 1;
    if (youngest === -1) youngest = i;
  }
  if (total === 0) return NO_CHILDREN;
  const minimum = pack.requiredStaff.minimumWhenAnyChild;
  const mixed = bandsPresent > 1;
  const rule = pack.mixedAge;

  if (rule.method === 'pro_rata') {
    // Exact fractions over a common denominator: sum n_i / r_i, round up once.
    let denominator = 1;
    for (let i = 0; i < counts.length; i++) {
      if (counts[i]! > 0) {
        const r = ratioFor(pack, i, activity);
        denominator = (denominator * r) / gcd(denominator, r);
      }
    }
    let load = 0;
    for (let i = 0; i < counts.length; i++) {
      if (counts[i]! > 0) load += counts[i]! * (denominator / ratioFor(pack, i, activity));
    }
    const requiredStaff = Math.max(minimum, Math.ceil(load / denominator));
    const base = { total, requiredStaff, governing: youngest, mixed, ratio: mixed ? null : ratioFor(pack, youngest, activity) };
    if (!mixed) {
      const maxGroupSize = capFor(pack, youngest, activity, roomCap);
      return { ...base, maxGroupSize, groupSizeOk: maxGroupSize === null || total <= maxGroupSize, sizeRule: 'band' };
    }
    if (pack.groupSizeExempt.activities.includes(activity)) {
      return { ...base, maxGroupSize: null, groupSizeOk: true, sizeRule: 'none' };
    }
    if (youngerThanLoadLimit > 0) {
      const maxGroupSize = roomCap === null ? rule.groupSize.capWithYounger : Math.min(roomCap, rule.groupSize.capWithYounger);
      return { ...base, maxGroupSize, groupSizeOk: total <= maxGroupSize, sizeRule: 'younger_cap' };
    }
    // The group may hold what `maxLoadInStaff` workers could care for pro rata; shown as a head count at this mix.
    const loadOk = load <= rule.groupSize.maxLoadInStaff * denominator;
    const atThisMix = Math.floor((rule.groupSize.maxLoadInStaff * denominator * total) / load);
    const maxGroupSize = roomCap === null ? atThisMix : Math.min(roomCap, atThisMix);
    return { ...base, maxGroupSize, groupSizeOk: loadOk && (roomCap === null || total <= roomCap), sizeRule: 'pro_rata_load' };
  }

  // One band sets ratio and group size for the whole group.
  const governing = governingBand(pack, counts, youngest);
  const ratio = ratioFor(pack, governing, activity);
  const maxGroupSize = capFor(pack, governing, activity, roomCap);
  const packCap = ratioRow(pack, pack.bands[governing]!).maxGroupSize;
  return {
    total,
    requiredStaff: Math.max(minimum, Math.ceil(total / ratio)),
    governing,
    mixed,
    ratio,
    maxGroupSize,
    groupSizeOk: maxGroupSize === null || total <= maxGroupSize,
    sizeRule: maxGroupSize === null ? 'none' : maxGroupSize < (packCap ?? Infinity) ? 'room' : 'band',
  };
}

function ratioWords(pack: RulePack, activity: Activity, limits: GroupLimits): string {
  if (limits.ratio === null) return 'each age group pro rata, rounded up once';
  const band = pack.bands[limits.governing]!;
  const napRelief = activity === 'nap' && pack.nap?.childrenPerStaff[band.id] !== undefined;
  return `1:${limits.ratio} for ${band.label.toLowerCase()}${napRelief ? ' at nap time' : ''}${limits.mixed ? ' (mixed group)' : ''}`;
}

function groupSizeWords(pack: RulePack, limits: GroupLimits): string {
  const { total, maxGroupSize } = limits;
  const band = pack.bands[limits.governing]!;
  const row = ratioRow(pack, band);
  switch (limits.sizeRule) {
    case 'room':
      return `${total} children exceed this room's maximum group size of ${maxGroupSize}.`;
    case 'younger_cap':
    case 'pro_rata_load': {
      const rule = pack.mixedAge;
      if (rule.method !== 'pro_rata') break;
      return limits.sizeRule === 'younger_cap'
        ? `${total} children exceed the maximum of ${maxGroupSize} for a mixed group with a child under ${rule.groupSize.loadLimitFromMonths} months (${rule.groupSize.cite}).`
        : `${total} children are more than ${rule.groupSize.maxLoadInStaff} staff could care for pro rata, the group-size limit for a mixed group (${rule.groupSize.cite}).`;
    }
    default:
      break;
  }
  return `${total} children exceed the maximum group size of ${maxGroupSize} for ${band.label.toLowerCase()}${limits.mixed ? ' (mixed group)' : ''} (${row.groupSizeCite ?? row.cite}).`;
}

function mixedNoteOf(pack: RulePack, limits: GroupLimits): string | null {
  const note = pack.mixedAge.note;
  return limits.mixed && note ? note.replace('{band}', pack.bands[limits.governing]!.label.toLowerCase()) : null;
}

function governingBand(pack: RulePack, counts: readonly number[], youngest: number): number {
  const rule = pack.mixedAge;
  if (rule.method !== 'majority_band') return youngest;
  let best = youngest;
  for (let i = youngest; i < counts.length; i++) {
    if (counts[i]! === 0) continue;
    if (rule.youngestIfAnyOf.includes(pack.bands[i]!.coarse)) return youngest;
    if (counts[i]! > counts[best]!) best = i; // ties keep the younger band
  }
  return best;
}

/** How many more children of band `bandIndex` could join before a ratio or group-size violation. */
function additionalChildren(
  pack: RulePack,
  activity: Activity,
  counts: readonly number[],
  youngerThanLoadLimit: number,
  roomCap: number | null,
  bandIndex: number,
  counted: number,
): number {
  if (counted === 0) return 0;
  const total = counts.reduce((a, b) => a + b, 0);
  if (pack.mixedAge.method === 'youngest_band') {
    // Closed form: the youngest band after the addition governs; required = ceil(n / r) <= counted.
    const present = counts.findIndex((n) => n > 0);
    const governing = present === -1 ? bandIndex : Math.min(present, bandIndex);
    const byRatio = counted * ratioFor(pack, governing, activity);
    const cap = capFor(pack, governing, activity, roomCap);
    return Math.max(0, Math.min(byRatio, cap ?? Infinity) - total);
  }
  // Other rules are not monotone in general (a majority can shift): add one at a time until one breaks.
  const band = pack.bands[bandIndex]!;
  const loadLimit = pack.mixedAge.method === 'pro_rata' ? pack.mixedAge.groupSize.loadLimitFromMonths : null;
  const isYounger = loadLimit !== null && !(band.from && 'months' in band.from && band.from.months >= loadLimit) && !(band.from && 'years' in band.from && band.from.years * 12 >= loadLimit);
  const next = [...counts];
  let added = 0;
  for (;;) {
    next[bandIndex]! += 1;
    const limits = groupLimits(pack, activity, next, youngerThanLoadLimit + (isYounger ? added + 1 : 0), roomCap);
    if (limits.requiredStaff > counted || !limits.groupSizeOk || added >= 1000) return added;
    added += 1;
  }
}

// ---------------------------------------------------------------- distribution

const ORDINALS = ['1st', '2nd', '3rd'];
function ordinal(n: number): string {
  return ORDINALS[n - 1] ?? `${n}th`;
}

function slotMinimum(pattern: readonly Level[], repeat: boolean, beyond: Level | null, slot: number): Level | null {
  if (slot <= pattern.length) return pattern[slot - 1]!;
  if (repeat) return pattern[(slot - 1) % pattern.length]!;
  return beyond;
}

/**
 * Judges the pack's required mix of levels over the counted people present:
 * the first min(required, counted) slots of the pattern must each be filled by
 * a distinct person of at least the slot's level.
 */
function judgeDistribution(
  pack: RulePack,
  group: Group,
  judged: readonly PersonJudgement[],
  requiredStaff: number,
  countedStaff: number,
  on: CivilDate,
  explain: boolean,
): Violation | null {
  const dist = pack.distribution;
  if (!dist || requiredStaff === 0 || countedStaff === 0) return null;
  const rank = levelRanks(pack);
  const slots = Math.min(requiredStaff, countedStaff);
  const mins: number[] = [];
  for (let s = 1; s <= slots; s++) {
    const level = slotMinimum(dist.pattern, dist.repeat, dist.beyond, s);
    mins.push(level === null ? 0 : (rank.get(level) ?? 0));
  }
  const counted: { index: number; rank: number }[] = [];
  const ranks: number[] = [];
  for (let i = 0; i < judged.length; i++) {
    const j = judged[i]!;
    if (!j.counted || j.level === null) continue;
    const r = rank.get(j.level) ?? -1;
    counted.push({ index: i, rank: r });
    ranks.push(r);
  }

  // Substitutions for this activity: unconditional ones lower the slot's minimum; conditional ones name people.
  const applicable: DistributionSlotSubstitute[] = [];
  for (const s of dist.substitutes) if (s.activity === group.activity && s.slot <= slots) applicable.push(s);
  if (applicable.length === 0 && shortfall(mins, ranks) === null) return null;
  const relaxed = applicable.length === 0 ? mins : [...mins];
  const conditional: DistributionSlotSubstitute[] = [];
  for (const sub of applicable) {
    const conds = sub.conditions;
    if (conds.minAgeYears === undefined && conds.minDaysAtCenter === undefined && conds.trainingsComplete === undefined) {
      relaxed[sub.slot - 1] = Math.min(relaxed[sub.slot - 1]!, rank.get(sub.level) ?? 0);
    } else {
      conditional.push(sub);
    }
  }
  if (applicable.length > 0 && shortfall(relaxed, ranks) === null) return null;
  for (const sub of conditional) {
    const subRank = rank.get(sub.level) ?? 0;
    for (const c of counted) {
      if (c.rank < subRank || !meetsConditions(pack, sub, group.people[c.index]!, judged[c.index]!, on)) continue;
      const restMins = relaxed.filter((_, k) => k !== sub.slot - 1);
      const restRanks = counted.filter((o) => o !== c).map((o) => o.rank);
      if (shortfall(restMins, restRanks) === null) return null;
    }
  }

  if (!explain) return { code: 'staff_distribution', message: '' };
  const failing = shortfall(relaxed, ranks)!;
  const levelRule = pack.levels[failing.rank]!;
  const top = failing.rank === pack.levels.length - 1;
  const slotLevel = `${ordinal(failing.slot)} counted staff member must be ${top ? `a ${levelRule.label}` : `at least ${article(levelRule.label)} ${levelRule.label}`}`;
  const subs = applicable.filter((s) => s.slot === failing.slot);
  const subText = subs.length
    ? ` (during ${group.activity.replace('_', '/')} ${subs.map((s) => `${article(labelOf(pack, s.level))} ${labelOf(pack, s.level)}${Object.keys(s.conditions).length ? ' meeting ' + s.cite.split(':')[0] : ''}`).join(' or ')} may stand in)`
    : '';
  return {
    code: 'staff_distribution',
    message: `The ${slotLevel}${subText}; the counted staff are ${describeLevels(pack, ranks)} (${dist.cite}).`,
  };
}

/**
 * For slots with minimum ranks and people with ranks, the first slot that
 * cannot be filled, by counting at each level (Hall's condition for nested
 * thresholds), or null when every slot can be filled.
 */
function shortfall(mins: readonly number[], ranks: readonly number[]): { slot: number; rank: number } | null {
  let top = 0;
  for (const m of mins) if (m > top) top = m;
  // Levels are few (three in Minnesota): walk them from the top down, counting without allocating.
  for (let level = top; level >= 0; level--) {
    let have = 0;
    for (const r of ranks) if (r >= level) have += 1;
    let needed = 0;
    for (let s = 0; s < mins.length; s++) {
      if (mins[s]! >= level) {
        needed += 1;
        if (needed > have) return { slot: s + 1, rank: mins[s]! };
      }
    }
  }
  return null;
}

const ranksCache = new WeakMap<RulePack, ReadonlyMap<Level, number>>();

/** Each level's place, lowest 0, worked out once per pack. */
function levelRanks(pack: RulePack): ReadonlyMap<Level, number> {
  let ranks = ranksCache.get(pack);
  if (!ranks) {
    ranks = new Map(pack.levels.map((l, i) => [l.level, i] as const));
    ranksCache.set(pack, ranks);
  }
  return ranks;
}

function meetsConditions(
  pack: RulePack,
  sub: DistributionSlotSubstitute,
  person: PersonInRoom,
  judgement: PersonJudgement,
  on: CivilDate,
): boolean {
  if (sub.effectiveFrom) {
    const from = parseCivilDate(sub.effectiveFrom);
    if (from && compareCivil(on, from) < 0) return false;
  }
  const c = sub.conditions;
  if (c.minAgeYears !== undefined && (judgement.ageYears === null || judgement.ageYears < c.minAgeYears)) return false;
  if (c.minDaysAtCenter !== undefined) {
    const started = person.startedOn ? parseCivilDate(person.startedOn) : null;
    if (!started || dayNumber(on) - dayNumber(started) < c.minDaysAtCenter) return false;
  }
  if (c.trainingsComplete && !person.qualified) {
    for (const id of c.trainingsComplete) {
      const training = pack.trainings.find((t) => t.id === id);
      if (!training) continue;
      const done = latestCompletion(person, id, on);
      if (!done) return false;
      const expiry = expiresOn(training, done);
      if (expiry && compareCivil(on, expiry) >= 0) return false;
    }
  }
  return true;
}

// ---------------------------------------------------------------- words

function labelOf(pack: RulePack, level: Level): string {
  return pack.levels.find((l) => l.level === level)?.label ?? level;
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function describeLevels(pack: RulePack, ranks: readonly number[]): string {
  const counts = new Map<number, number>();
  for (const r of ranks) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[0] - a[0])
    .map(([r, n]) => `${n} ${pack.levels[r]?.label ?? 'unknown'}${n === 1 ? '' : 's'}`)
    .join(', ');
}

function describeChildren(pack: RulePack, counts: readonly number[]): string {
  let parts = '';
  let total = 0;
  for (let i = 0; i < counts.length; i++) {
    const n = counts[i]!;
    if (n === 0) continue;
    total += n;
    parts += `${parts ? ', ' : ''}${n} ${pack.bands[i]!.label.toLowerCase()}`;
  }
  return `${total} ${total === 1 ? 'child' : 'children'} (${parts})`;
}

function describePerson(person: PersonInRoom, index: number): string {
  return `staff[${index}] (${ROLE_WORDS[person.role] ?? person.role})`;
}

