import type { DateTime } from 'luxon';
import type {
  Activity,
  AgeBand,
  BackgroundStudyStatus,
  CoarseCategory,
  CountingRule,
  DistributionSlotSubstitute,
  Level,
  LevelBasisLimit,
  LevelRule,
  NightCareRule,
  RatioRow,
  RulePack,
  Training,
} from './rule-pack.js';
import { packStatus } from './rule-pack.js';
import { bandIndexWithin, compileAges, type CompiledAges } from './age.js';
import {
  addDays,
  addMonths,
  ageFromText,
  civilDateText,
  compareCivil,
  dayNumber,
  formatCivilDate,
  localDate,
  monthsSinceTextOrNaN,
  parseCivilDate,
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
  /**
   * A category the center has designated the child into, on a record it keeps
   * (the pack's `designations` say which are recognized and on what basis).
   */
  readonly designation?: ChildDesignation | null;
  /** Counted staff this child needs beyond the ratio (e.g. 1 for 1:1 from an individual plan), entered by the center. */
  readonly dedicatedStaff?: number | null;
}

export interface ChildDesignation {
  /** Band id of the pack. */
  readonly band: string;
  readonly basis: 'age_flexibility' | 'kindergarten_eligible';
  /** `YYYY-MM-DD` the agreement was recorded (age flexibility). */
  readonly agreedOn?: string | null;
  /** `YYYY-MM-DD` the child is to start kindergarten, as the center entered it (kindergarten eligibility). */
  readonly kindergartenStartsOn?: string | null;
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
  /** What the level held rests on, where the pack limits it (e.g. 'nurse': a teacher through an RN or LPN license). */
  readonly qualifiedThrough?: string | null;
}

export interface Group {
  readonly activity: Activity;
  readonly children: readonly ChildInRoom[];
  readonly people: readonly PersonInRoom[];
  /** A room's own group-size limit; only ever makes the pack's limit stricter. */
  readonly maxGroupSize?: number | null;
  /** The group is part of a night program (the pack's `nightCare`); `asleep`: how many of the children present are asleep. */
  readonly night?: { readonly asleep?: number | null } | null;
  /** The center's hours and arrival/departure windows, when it has set them: checked against the pack's cap before anyone stands in for a lead. */
  readonly hours?: DayHours | null;
}

/** A center's daily hours of operation and its arrival and departure windows, as `HH:MM` wall-clock times. */
export interface DayHours {
  readonly opens: string;
  readonly closes: string;
  readonly arrivalDeparture: readonly { readonly from: string; readonly to: string }[];
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

// ---------------------------------------------------------------- the pack, compiled

/** One band of the pack with everything the engine asks of it, worked out once. */
interface BandPlan {
  readonly band: AgeBand;
  readonly id: string;
  /** `label.toLowerCase()`, for the words. */
  readonly lower: string;
  readonly coarseBit: number;
  /** The band's ratio row, or undefined when the pack lacks one (an error when the band is used). */
  readonly row: RatioRow | undefined;
  readonly napRatio: number | undefined;
  /** A sentence for `notes` when a child of the band is at least `olderFromMonths` old (Infinity: none). */
  readonly olderFromMonths: number;
  readonly olderText: string;
  /** The mixed-age note naming this band as the one that governs, or null. */
  readonly mixedNote: string | null;
  /** Pro rata only: a child of this band is younger than the load limit's age. */
  readonly youngerThanLoadLimit: boolean;
}

/**
 * Everything about a pack the engine would otherwise work out for every room:
 * lookups by id, numbers behind the marks, lower-cased labels and the fixed
 * sentences. Built on first use and kept per pack (packs are immutable data).
 */
interface PackPlan {
  readonly status: 'draft' | 'verified';
  readonly ages: CompiledAges;
  readonly bands: readonly BandPlan[];
  /** Every band id with 0, in pack order: copied for `byCategory` and `margin.children`. */
  readonly zeroByBand: Readonly<Record<string, number>>;
  readonly exempt: ReadonlySet<Activity>;
  readonly loadLimitMonths: number | null;
  readonly counting: ReadonlyMap<string, CountingRule>;
  readonly levels: ReadonlyMap<string, LevelRule>;
  readonly ranks: ReadonlyMap<Level, number>;
  readonly supervisors: ReadonlySet<Level>;
  readonly levelsText: string;
  readonly maxAgeNote: string | null;
  /** Trainings asked of a person to count, by role, then level, then bit mask of coarse categories present. */
  readonly trainings: Map<string, Map<string, Training[][]>>;
  readonly renewalNotes: ReadonlyMap<Training, string>;
  /** Rank each distribution slot needs, for the pattern's first cycle; `beyondRank` after it when it does not repeat. */
  readonly patternRanks: readonly number[];
  readonly beyondRank: number;
  readonly bandIndexById: ReadonlyMap<string, number>;
  /** Level limits by basis, then level. */
  readonly basisLimits: ReadonlyMap<string, ReadonlyMap<Level, LevelBasisLimit>>;
}

const COARSE_BIT: Record<CoarseCategory, number> = { infant: 1, toddler: 2, preschooler: 4, school_age: 8 };

function maskOf(categories: readonly CoarseCategory[]): number {
  let mask = 0;
  for (const c of categories) mask |= COARSE_BIT[c];
  return mask;
}

const plans = new WeakMap<RulePack, PackPlan>();
let lastPack: RulePack | null = null;
let lastPlan: PackPlan | null = null;

function planOf(pack: RulePack): PackPlan {
  if (pack === lastPack) return lastPlan!;
  let plan = plans.get(pack);
  if (!plan) {
    plan = buildPlan(pack);
    plans.set(pack, plan);
  }
  lastPack = pack;
  lastPlan = plan;
  return plan;
}

function buildPlan(pack: RulePack): PackPlan {
  const loadLimitMonths = pack.mixedAge.method === 'pro_rata' ? pack.mixedAge.groupSize.loadLimitFromMonths : null;
  const mixedNote = pack.mixedAge.note;
  const zeroByBand: Record<string, number> = {};
  const bands = pack.bands.map((band): BandPlan => {
    zeroByBand[band.id] = 0;
    const lower = band.label.toLowerCase();
    const from = band.from;
    return {
      band,
      id: band.id,
      lower,
      coarseBit: COARSE_BIT[band.coarse],
      row: pack.ratios.find((r) => r.category === band.id),
      napRatio: pack.nap ? pack.nap.childrenPerStaff[band.id] : undefined,
      olderFromMonths: band.olderNote ? band.olderNote.fromMonths : Infinity,
      olderText: band.olderNote ? band.olderNote.text : '',
      mixedNote: mixedNote ? mixedNote.replace('{band}', lower) : null,
      youngerThanLoadLimit:
        loadLimitMonths !== null &&
        !(from && 'months' in from && from.months >= loadLimitMonths) &&
        !(from && 'years' in from && from.years * 12 >= loadLimitMonths),
    };
  });
  const ranks = new Map(pack.levels.map((l, i) => [l.level, i] as const));
  const rankOf = (level: Level | null) => (level === null ? 0 : (ranks.get(level) ?? 0));
  const renewalNotes = new Map<Training, string>();
  for (const t of pack.trainings) {
    if (t.renewalVerified !== undefined && t.renewalVerified !== true) {
      renewalNotes.set(t, `The ${t.label} renewal period of ${t.renewalMonths} months is not confirmed in rule text (${t.renewalCite ?? t.cite}); the stricter reading is used.`);
    }
  }
  const dist = pack.distribution;
  return {
    status: packStatus(pack),
    ages: compileAges(pack),
    bands,
    zeroByBand,
    exempt: new Set(pack.groupSizeExempt.activities),
    loadLimitMonths,
    counting: new Map(pack.counting.map((c) => [c.role, c] as const)),
    levels: new Map(pack.levels.map((l) => [l.level, l] as const)),
    ranks,
    supervisors: new Set(pack.supervision.supervisorLevels),
    levelsText: pack.levels.map((l) => l.label).join(', '),
    maxAgeNote: pack.maximumAge
      ? `A child aged ${pack.maximumAge.text.replace(/^younger than /, '')} or older is present: outside the ages this pack covers (${pack.maximumAge.cite}); counted in the oldest category.`
      : null,
    trainings: new Map(),
    renewalNotes,
    patternRanks: dist ? dist.pattern.map(rankOf) : [],
    beyondRank: dist ? rankOf(dist.beyond) : 0,
    bandIndexById: new Map(pack.bands.map((b, i) => [b.id, i] as const)),
    basisLimits: basisLimitsOf(pack),
  };
}

function basisLimitsOf(pack: RulePack): Map<string, Map<Level, LevelBasisLimit>> {
  const out = new Map<string, Map<Level, LevelBasisLimit>>();
  for (const limit of pack.levelBasisLimits ?? []) {
    let byLevel = out.get(limit.basis);
    if (!byLevel) out.set(limit.basis, (byLevel = new Map()));
    for (const level of limit.levels) byLevel.set(level, limit);
  }
  return out;
}

/** The rank slot `slot` (1-based) of the pack's distribution needs. */
function slotRank(plan: PackPlan, repeat: boolean, slot: number): number {
  const pattern = plan.patternRanks;
  if (slot <= pattern.length) return pattern[slot - 1]!;
  return repeat ? pattern[(slot - 1) % pattern.length]! : plan.beyondRank;
}

/**
 * The rank slot `slot` needs in a night program: the first at least the
 * night's lead level; once enough children sleep, the others only the asleep
 * level; otherwise the day pattern.
 */
function nightSlotRank(plan: PackPlan, repeat: boolean, slot: number, night: NightCareRule, asleepRelief: boolean): number {
  if (slot === 1) return Math.max(slotRank(plan, repeat, 1), plan.ranks.get(night.leadLevel) ?? 0);
  return asleepRelief ? (plan.ranks.get(night.asleepLevel) ?? 0) : slotRank(plan, repeat, slot);
}

/** Adds `note` to `notes` once (notes keep the order they were first given in). */
function addNote(notes: string[], note: string): void {
  if (!notes.includes(note)) notes.push(note);
}

// ---------------------------------------------------------------- the room

/** A person's evaluation while the room is judged; `supervised` is settled once everyone is judged. */
interface Judged {
  counted: boolean;
  countsAs: Level | null;
  reasons: string[];
  presence: Presence;
  needsSupervision: boolean;
  supervised: boolean;
}

export function evaluateRoom(pack: RulePack, group: Group, at: DateTime, options: EvaluateOptions = {}): RoomEvaluation {
  const explain = options.explain !== false;
  const plan = planOf(pack);
  const on = localDate(at, pack.timeZone ?? at.zoneName ?? 'UTC');
  const notes: string[] = [];
  const bands = plan.bands;
  const bandCount = bands.length;
  const activity = group.activity;
  const roomCap = group.maxGroupSize ?? null;

  // Children: place each in a band on the local date.
  const counts: number[] = [];
  for (let i = 0; i < bandCount; i++) counts.push(0);
  let belowMinimum = 0;
  let youngerThanLoadLimit = 0;
  let mask = 0;
  let dedicatedStaff = 0;
  const loadLimitMonths = plan.loadLimitMonths;
  const today = dayNumber(on);
  const ages = plan.ages;
  const limitsOfAge = ages.limits;
  const children = group.children;
  for (let c = 0; c < children.length; c++) {
    const child = children[c]!;
    const age = scratchAge;
    ageFromText(child.birthDate, on, today, age);
    const days = age.days;
    const months = age.months;
    let bandIndex: number;
    if (days < 0 || days < limitsOfAge.minDays || months < limitsOfAge.minMonths) {
      bandIndex = 0;
      belowMinimum += 1;
    } else if (days >= limitsOfAge.maxDays || months >= limitsOfAge.maxMonths) {
      bandIndex = bandCount - 1;
      if (explain && plan.maxAgeNote !== null) addNote(notes, plan.maxAgeNote);
    } else {
      bandIndex = bandIndexWithin(ages, days, months, child.attendsKindergarten === true);
      if (child.designation) bandIndex = designatedBand(plan, pack, child.designation, bandIndex, on, explain, notes);
    }
    if (child.dedicatedStaff) dedicatedStaff += dedicatedOf(child.dedicatedStaff);
    counts[bandIndex]! += 1;
    const band = bands[bandIndex]!;
    mask |= band.coarseBit;
    if (explain && months >= band.olderFromMonths) addNote(notes, band.olderText);
    if (loadLimitMonths !== null && months < loadLimitMonths) youngerThanLoadLimit += 1;
  }
  const childCount = children.length;

  // People: who may count, at which level, and who needs supervision.
  const people = group.people;
  const staff: Judged[] = [];
  let countedStaff = 0;
  let supervisorCount = 0;
  let needingSupervision = 0;
  for (let i = 0; i < people.length; i++) {
    const j = judgePerson(plan, pack, people[i]!, on, mask, notes, explain, null);
    staff.push(j);
    if (j.counted) {
      countedStaff += 1;
      if (plan.supervisors.has(j.countsAs!)) supervisorCount += 1;
    }
    if (j.needsSupervision) needingSupervision += 1;
  }

  // Requirement for the group as it stands.
  const limits = groupLimits(plan, pack, activity, counts, youngerThanLoadLimit, roomCap);
  if (explain && limits.mixed) {
    const mixedNote = bands[limits.governing]!.mixedNote;
    if (mixedNote !== null) addNote(notes, mixedNote);
  }
  // Beyond the ratio: staff the center dedicated to children's own plans, and a night program's minimum.
  const night = group.night && pack.nightCare && childCount > 0 ? pack.nightCare : null;
  let requiredStaff = limits.requiredStaff + dedicatedStaff;
  const nightMinimum = night !== null && requiredStaff < night.minStaff;
  if (nightMinimum) requiredStaff = night.minStaff;
  if (explain && night !== null) addNote(notes, night.scopeNote);
  const asleepRelief = night !== null && asleepShare(group.night!.asleep, childCount) > night.asleepShareAbove;

  // Pushed in VIOLATION_ORDER.
  const violations: Violation[] = [];
  if (countedStaff < requiredStaff) {
    let message = '';
    if (explain) {
      const dedicated = dedicatedStaff > 0 ? `, plus ${dedicatedStaff} dedicated to children's individual plans` : '';
      message = nightMinimum
        ? `A night program needs at least ${night!.minStaff} counted staff, one ${article(labelOf(pack, night!.leadLevel))} ${labelOf(pack, night!.leadLevel)} (${night!.cite}); ${describeChildren(plan, counts)} need ${limits.requiredStaff + dedicatedStaff} by ratio (${ratioWords(plan, activity, limits)}${dedicated}); ${countedStaff} counted.`
        : `${describeChildren(plan, counts)} need ${requiredStaff} counted staff (${ratioWords(plan, activity, limits)}${dedicated}); ${countedStaff} counted.`;
    }
    violations.push({ code: 'over_ratio', message });
  }
  if (!limits.groupSizeOk) {
    violations.push({ code: 'over_group_size', message: explain ? groupSizeWords(plan, pack, limits) : '' });
  }

  const distribution = judgeDistribution(plan, pack, group, staff, requiredStaff, countedStaff, on, at, night, asleepRelief, notes, explain);
  if (distribution) {
    violations.push(distribution);
    if (explain && pack.distribution?.scopeNote) addNote(notes, pack.distribution.scopeNote);
  }

  if (needingSupervision > 0) {
    let unsupervised: number[] | null = null;
    for (let i = 0; i < staff.length; i++) {
      const j = staff[i]!;
      if (!j.needsSupervision) continue;
      // Supervised when someone else present is a counted supervisor.
      const selfSupervisor = j.counted && plan.supervisors.has(j.countsAs!);
      j.supervised = supervisorCount - (selfSupervisor ? 1 : 0) > 0;
      if (j.supervised) continue;
      if (explain) j.reasons.push(`Not supervised: needs ${pack.supervision.supervisorText}, and none is present`);
      (unsupervised ??= []).push(i);
    }
    if (unsupervised !== null) {
      let who = '';
      if (explain) for (let k = 0; k < unsupervised.length; k++) who += (k > 0 ? ', ' : '') + describePerson(people[unsupervised[k]!]!, unsupervised[k]!);
      violations.push({
        code: 'unsupervised_staff',
        message: explain ? `${who} may be present only under direct supervision by ${pack.supervision.supervisorText}; none is present (${pack.supervision.cite}).` : '',
        people: unsupervised,
      });
    }
  }
  if (explain) {
    for (let i = 0; i < staff.length; i++) {
      if (staff[i]!.presence !== 'not_allowed') continue;
      addNote(notes, `${capitalize(describePerson(people[i]!, i))} may not be present with children (background study ${people[i]!.backgroundStudy?.replace('_', ' ')}; ${pack.backgroundStudy.cite}).`);
    }
  }
  if (belowMinimum > 0 && pack.minimumAge) {
    violations.push({
      code: 'below_minimum_age',
      message: !explain ? '' : `${belowMinimum === 1 ? 'A child' : `${belowMinimum} children`} younger than ${pack.minimumAge.text} ${belowMinimum === 1 ? 'is' : 'are'} present; centers may not care for children under ${pack.minimumAge.text} (${pack.minimumAge.cite}).`,
    });
    if (explain) addNote(notes, `Children younger than ${pack.minimumAge.text} are counted in the youngest category for ratio.`);
  }

  const byCategory: Record<string, number> = { ...plan.zeroByBand };
  const marginChildren: Record<string, number> = { ...plan.zeroByBand };
  for (let i = 0; i < bandCount; i++) if (counts[i]! > 0) byCategory[bands[i]!.id] = counts[i]!;
  // Staff left for the ratio once children's dedicated staff are set aside.
  const forRatio = countedStaff - dedicatedStaff;
  if (countedStaff >= requiredStaff && limits.groupSizeOk && forRatio > 0) {
    for (let i = 0; i < bandCount; i++) {
      marginChildren[bands[i]!.id] = additionalChildren(plan, pack, activity, counts, limits, youngerThanLoadLimit, roomCap, i, forRatio);
    }
  }

  return {
    state: pack.id,
    packStatus: plan.status,
    activity,
    compliant: violations.length === 0,
    children: childCount,
    byCategory,
    requiredStaff,
    countedStaff,
    maxGroupSize: limits.maxGroupSize,
    staff,
    violations,
    margin: { staff: countedStaff - requiredStaff, children: marginChildren },
    notes,
  };
}

/** The one age the children loop writes into (the engine is synchronous: no two rooms are judged at once). */
const scratchAge = { days: 0, months: 0 };

/** Whole staff a child's entry adds (a fraction rounds up; anything not a positive number adds none). */
function dedicatedOf(n: number): number {
  return typeof n === 'number' && n > 0 ? Math.ceil(n) : 0;
}

/** The share of `children` asleep (0 with no count given). */
function asleepShare(asleep: number | null | undefined, children: number): number {
  if (typeof asleep !== 'number' || !(asleep > 0) || children === 0) return 0;
  return Math.min(asleep, children) / children;
}

/**
 * The band a child with a designation is judged in: the designated one when
 * the pack recognizes the designation and its record holds on `on`, else the
 * band of the child's age (with a note saying why).
 */
function designatedBand(
  plan: PackPlan,
  pack: RulePack,
  designation: ChildDesignation,
  ageBand: number,
  on: CivilDate,
  explain: boolean,
  notes: string[],
): number {
  const target = plan.bandIndexById.get(designation.band);
  const rule = pack.designations?.find((d) => d.basis === designation.basis && d.toBands.includes(designation.band));
  const ageLabel = plan.bands[ageBand]!.lower;
  const asked = target === undefined ? `"${designation.band}"` : plan.bands[target]!.lower;
  const refuse = (why: string) => {
    if (explain) addNote(notes, `A child designated ${asked} (${designation.basis.replace('_', ' ')}) is judged by age as ${ageLabel}: ${why}.`);
    return ageBand;
  };
  if (target === undefined || !rule) return refuse('this pack recognizes no such designation');
  if (target === ageBand) return ageBand;
  if (rule.fromBands.length > 0 && !rule.fromBands.includes(plan.bands[ageBand]!.id)) {
    return refuse(`the designation applies only to a child whose age makes them ${rule.fromBands.map((id) => plan.bands[plan.bandIndexById.get(id) ?? 0]!.lower).join(' or ')} (${rule.cite})`);
  }
  if (rule.direction === 'younger_only' && target > ageBand) {
    return refuse(`only a designation into a younger category is applied while the rule's thresholds are unconfirmed (${rule.cite})`);
  }
  if (designation.basis === 'age_flexibility') {
    const agreed = designation.agreedOn ? parseCivilDate(designation.agreedOn) : null;
    if (!agreed || compareCivil(agreed, on) > 0) return refuse(`no agreement recorded on or before ${formatCivilDate(on)} (${rule.requires})`);
  } else {
    const starts = designation.kindergartenStartsOn ? parseCivilDate(designation.kindergartenStartsOn) : null;
    const within = rule.withinMonths ?? 0;
    if (!starts) return refuse(`no kindergarten start date entered (${rule.requires})`);
    if (compareCivil(starts, addMonths(on, within)) > 0) {
      return refuse(`kindergarten starts ${formatCivilDate(starts)}, more than ${within} months after ${formatCivilDate(on)} (${rule.cite})`);
    }
  }
  if (explain) addNote(notes, rule.note.replace('{band}', plan.bands[target]!.lower));
  return target;
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
  const plan = planOf(pack);
  const on = localDate(at, pack.timeZone ?? at.zoneName ?? 'UTC');
  const notes: string[] = [];
  const remarks: string[] = [];
  let mask = 0;
  for (const c of categories) mask |= COARSE_BIT[c];
  const j = judgePerson(plan, pack, person, on, mask, notes, true, remarks);
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
 * Judges one person. Without `explain` the same decisions are taken and no
 * words are built. `remarks`, when given, collects the lines that do not keep
 * the person from counting.
 */
function judgePerson(
  plan: PackPlan,
  pack: RulePack,
  person: PersonInRoom,
  on: CivilDate,
  mask: number,
  notes: string[],
  explain: boolean,
  remarks: string[] | null,
): Judged {
  const reasons: string[] = [];
  const rule = plan.counting.get(person.role);
  const ageYears = personAge(person, on);

  let level = levelHeld(rule, person);
  let basisRemark: string | null = null;
  if (level !== null && person.qualifiedThrough) {
    const limit = plan.basisLimits.get(person.qualifiedThrough)?.get(level);
    if (limit && (mask & ~maskOf(limit.onlyWith)) !== 0) {
      const held = limit.otherwise;
      if (explain) {
        basisRemark = `${limit.text} (${limit.cite}): ${held === null ? 'holds no level in this group' : `counted at most as ${article(labelOf(pack, held))} ${labelOf(pack, held)} in this group`}`;
      }
      level = held;
    }
  }
  const levelRule = level === null ? undefined : plan.levels.get(level);
  let counted = true;
  if (!rule || rule.counts === 'never') {
    counted = false;
    if (explain) reasons.push(rule?.reason ?? `A ${roleWord(person)} does not count toward ratio under this pack`);
  } else if (level === null) {
    counted = false;
    if (explain) reasons.push(basisRemark ?? `${rule.reason ?? `A ${roleWord(person)} counts only at a staff level`}: no qualification level on record, does not count`);
    basisRemark = null;
  } else if (!levelRule) {
    counted = false;
    if (explain) reasons.push(`"${level}" is not a staff level under this pack (levels: ${plan.levelsText})`);
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
      if (explain) reasons.push(`Under ${minAge}: a ${roleWord(person)} counted as ${levelRule.label} must be at least ${minAge} (${cite})`);
    }
    const required = trainingsForMask(plan, pack, person.role, levelRule.level, mask);
    for (let t = 0; t < required.length; t++) {
      const training = required[t]!;
      const done = latestCompletionText(person, training.id, on);
      // Months since the completion; NaN when there is none (or its date is not a real one, as parseCivilDate would say).
      const monthsAgo = done === null ? NaN : monthsSinceTextOrNaN(done, on);
      if (monthsAgo === monthsAgo) {
        if (training.renewalMonths === null || monthsAgo < training.renewalMonths) continue;
        // Expired: on or after the completion plus the renewal period.
        counted = false;
        if (!explain) continue;
        reasons.push(`${training.label}: expired on ${formatCivilDate(addMonths(parseCivilDate(done!)!, training.renewalMonths))}`);
        const renewalNote = plan.renewalNotes.get(training);
        if (renewalNote !== undefined) addNote(notes, renewalNote);
        continue;
      }
      if (withinGrace(training, person, on)) {
        if (explain) {
          const line = `${training.label}: not completed yet, within the ${training.graceDays}-day period after starting`;
          reasons.push(line);
          remarks?.push(line);
        }
        continue;
      }
      counted = false;
      if (explain) reasons.push(`${training.label} training missing: required ${training.deadline}`);
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
      const line = `${capitalize(levelRule.label)} under ${levelRule.supervisedBelowAgeYears}: must be directly supervised by ${pack.supervision.supervisorText} (${levelRule.supervisedBelowAgeCite ?? levelRule.cite})`;
      reasons.push(line);
      remarks?.push(line);
    }
  }
  if (!counted && rule?.supervisedWhenNotCounted && presence === 'allowed') {
    needsSupervision = true;
    if (explain) {
      const line = `Not counted: may be present only as a supervised ${roleWord(person)}, with ${pack.supervision.supervisorText}`;
      reasons.push(line);
      remarks?.push(line);
    }
  }
  return { counted, countsAs: counted ? level : null, reasons, presence, needsSupervision, supervised: true };
}

function roleWord(person: PersonInRoom): string {
  return ROLE_WORDS[person.role] ?? person.role;
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

/** The trainings a person must hold to count in a group with these categories. */
export function trainingsToCount(
  pack: RulePack,
  role: PersonInRoom['role'],
  level: Level,
  coarsePresent: ReadonlySet<CoarseCategory>,
): Training[] {
  let mask = 0;
  for (const c of coarsePresent) mask |= COARSE_BIT[c];
  return trainingsForMask(planOf(pack), pack, role, level, mask);
}

/** `trainingsToCount` for a bit mask of coarse categories (COARSE_BIT), memoised per pack, role, level and mask. */
function trainingsForMask(plan: PackPlan, pack: RulePack, role: PersonInRoom['role'], level: Level, mask: number): Training[] {
  let byLevel = plan.trainings.get(role);
  if (!byLevel) plan.trainings.set(role, (byLevel = new Map()));
  let byMask = byLevel.get(level);
  if (!byMask) byLevel.set(level, (byMask = []));
  let list = byMask[mask];
  if (!list) {
    list = pack.trainings.filter(
      (t) =>
        t.gate !== 'none' &&
        trainingAppliesTo(pack, t, role, level) &&
        (role !== 'volunteer' || t.volunteersToCount) &&
        t.categories.some((c) => (mask & COARSE_BIT[c]) !== 0),
    );
    byMask[mask] = list;
  }
  return list;
}

/** The latest completion of `id` on or before `on` as `YYYY-MM-DD`, or null. */
function latestCompletionText(person: PersonInRoom, id: string, on: CivilDate): string | null {
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
function latestCompletion(person: PersonInRoom, id: string, on: CivilDate): CivilDate | null {
  const best = latestCompletionText(person, id, on);
  return best === null ? null : parseCivilDate(best);
}

/** The first day on which a completion no longer counts, or null when it never expires. */
export function expiresOn(training: Training, completedOn: CivilDate): CivilDate | null {
  return training.renewalMonths === null ? null : addMonths(completedOn, training.renewalMonths);
}

/** Why this training keeps the person from counting on `on`, or null when it does not. */
export function trainingProblem(training: Training, person: PersonInRoom, on: CivilDate): string | null {
  const done = latestCompletion(person, training.id, on);
  if (done) {
    const expiry = expiresOn(training, done);
    if (expiry && compareCivil(on, expiry) >= 0) return `${training.label}: expired on ${formatCivilDate(expiry)}`;
    return null;
  }
  if (withinGrace(training, person, on)) return null;
  return `${training.label} training missing: required ${training.deadline}`;
}

/** A training not yet done that still does not keep the person from counting: within its grace period after starting. */
function withinGrace(training: Training, person: PersonInRoom, on: CivilDate): boolean {
  if (training.gate !== 'grace' || training.graceDays === undefined || !person.startedOn) return false;
  const started = parseCivilDate(person.startedOn);
  return started !== null && compareCivil(on, addDays(started, training.graceDays)) < 0;
}

// ---------------------------------------------------------------- group limits

/**
 * What the group needs, as plain data; the words for it are built by
 * `ratioWords` and `groupSizeWords` only when a violation needs them.
 */
interface GroupLimits {
  readonly total: number;
  readonly requiredStaff: number;
  /** The band whose ratio and group size govern; for pro rata, the youngest present. */
  readonly governing: number;
  /** The youngest band present, -1 with no children. */
  readonly youngest: number;
  readonly mixed: boolean;
  /** Children per staff used, or null for pro rata across several bands. */
  readonly ratio: number | null;
  readonly maxGroupSize: number | null;
  readonly groupSizeOk: boolean;
  /** Which limit set `maxGroupSize`. */
  readonly sizeRule: 'band' | 'room' | 'younger_cap' | 'pro_rata_load' | 'none';
}

function rowOf(plan: PackPlan, pack: RulePack, bandIndex: number): RatioRow {
  const band = plan.bands[bandIndex]!;
  if (!band.row) throw new Error(`pack ${pack.id} has no ratio for band ${band.id}`);
  return band.row;
}

function ratioFor(plan: PackPlan, pack: RulePack, bandIndex: number, activity: Activity): number {
  if (activity === 'nap') {
    const nap = plan.bands[bandIndex]!.napRatio;
    if (nap !== undefined) return nap;
  }
  return rowOf(plan, pack, bandIndex).childrenPerStaff;
}

function capFor(plan: PackPlan, pack: RulePack, bandIndex: number, activity: Activity, roomCap: number | null): number | null {
  if (plan.exempt.has(activity)) return null;
  const packCap = rowOf(plan, pack, bandIndex).maxGroupSize;
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
  youngest: -1,
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
  plan: PackPlan,
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
        const r = ratioFor(plan, pack, i, activity);
        denominator = (denominator * r) / gcd(denominator, r);
      }
    }
    let load = 0;
    for (let i = 0; i < counts.length; i++) {
      if (counts[i]! > 0) load += counts[i]! * (denominator / ratioFor(plan, pack, i, activity));
    }
    const requiredStaff = Math.max(minimum, Math.ceil(load / denominator));
    const ratio = mixed ? null : ratioFor(plan, pack, youngest, activity);
    let maxGroupSize: number | null;
    let groupSizeOk: boolean;
    let sizeRule: GroupLimits['sizeRule'];
    if (!mixed) {
      maxGroupSize = capFor(plan, pack, youngest, activity, roomCap);
      groupSizeOk = maxGroupSize === null || total <= maxGroupSize;
      sizeRule = 'band';
    } else if (plan.exempt.has(activity)) {
      maxGroupSize = null;
      groupSizeOk = true;
      sizeRule = 'none';
    } else if (youngerThanLoadLimit > 0) {
      maxGroupSize = roomCap === null ? rule.groupSize.capWithYounger : Math.min(roomCap, rule.groupSize.capWithYounger);
      groupSizeOk = total <= maxGroupSize;
      sizeRule = 'younger_cap';
    } else {
      // The group may hold what `maxLoadInStaff` workers could care for pro rata; shown as a head count at this mix.
      const loadOk = load <= rule.groupSize.maxLoadInStaff * denominator;
      const atThisMix = Math.floor((rule.groupSize.maxLoadInStaff * denominator * total) / load);
      maxGroupSize = roomCap === null ? atThisMix : Math.min(roomCap, atThisMix);
      groupSizeOk = loadOk && (roomCap === null || total <= roomCap);
      sizeRule = 'pro_rata_load';
    }
    return { total, requiredStaff, governing: youngest, youngest, mixed, ratio, maxGroupSize, groupSizeOk, sizeRule };
  }

  // One band sets ratio and group size for the whole group.
  const governing = governingBand(plan, pack, counts, youngest);
  const ratio = ratioFor(plan, pack, governing, activity);
  const maxGroupSize = capFor(plan, pack, governing, activity, roomCap);
  const packCap = rowOf(plan, pack, governing).maxGroupSize;
  return {
    total,
    requiredStaff: Math.max(minimum, Math.ceil(total / ratio)),
    governing,
    youngest,
    mixed,
    ratio,
    maxGroupSize,
    groupSizeOk: maxGroupSize === null || total <= maxGroupSize,
    sizeRule: maxGroupSize === null ? 'none' : maxGroupSize < (packCap ?? Infinity) ? 'room' : 'band',
  };
}

function ratioWords(plan: PackPlan, activity: Activity, limits: GroupLimits): string {
  if (limits.ratio === null) return 'each age group pro rata, rounded up once';
  const band = plan.bands[limits.governing]!;
  const napRelief = activity === 'nap' && band.napRatio !== undefined;
  return `1:${limits.ratio} for ${band.lower}${napRelief ? ' at nap time' : ''}${limits.mixed ? ' (mixed group)' : ''}`;
}

function groupSizeWords(plan: PackPlan, pack: RulePack, limits: GroupLimits): string {
  const { total, maxGroupSize } = limits;
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
  const band = plan.bands[limits.governing]!;
  const row = rowOf(plan, pack, limits.governing);
  return `${total} children exceed the maximum group size of ${maxGroupSize} for ${band.lower}${limits.mixed ? ' (mixed group)' : ''} (${row.groupSizeCite ?? row.cite}).`;
}

function governingBand(plan: PackPlan, pack: RulePack, counts: readonly number[], youngest: number): number {
  const rule = pack.mixedAge;
  if (rule.method !== 'majority_band') return youngest;
  let best = youngest;
  for (let i = youngest; i < counts.length; i++) {
    if (counts[i]! === 0) continue;
    if (rule.youngestIfAnyOf.includes(plan.bands[i]!.band.coarse)) return youngest;
    if (counts[i]! > counts[best]!) best = i; // ties keep the younger band
  }
  return best;
}

/** How many more children of band `bandIndex` could join before a ratio or group-size violation (`counted` > 0). */
function additionalChildren(
  plan: PackPlan,
  pack: RulePack,
  activity: Activity,
  counts: readonly number[],
  limits: GroupLimits,
  youngerThanLoadLimit: number,
  roomCap: number | null,
  bandIndex: number,
  counted: number,
): number {
  const total = limits.total;
  if (pack.mixedAge.method === 'youngest_band') {
    // Closed form: the youngest band after the addition governs; required = ceil(n / r) <= counted.
    const governing = limits.youngest === -1 ? bandIndex : Math.min(limits.youngest, bandIndex);
    const byRatio = counted * ratioFor(plan, pack, governing, activity);
    const cap = capFor(plan, pack, governing, activity, roomCap);
    return Math.max(0, Math.min(byRatio, cap ?? Infinity) - total);
  }
  // Other rules are not monotone in general (a majority can shift): add one at a time until one breaks.
  const isYounger = plan.bands[bandIndex]!.youngerThanLoadLimit;
  const next = [...counts];
  let added = 0;
  for (;;) {
    next[bandIndex]! += 1;
    const after = groupLimits(plan, pack, activity, next, youngerThanLoadLimit + (isYounger ? added + 1 : 0), roomCap);
    if (after.requiredStaff > counted || !after.groupSizeOk || added >= 1000) return added;
    added += 1;
  }
}

// ---------------------------------------------------------------- distribution

const ORDINALS = ['1st', '2nd', '3rd'];
function ordinal(n: number): string {
  return ORDINALS[n - 1] ?? `${n}th`;
}

/** Counted people per rank, reused between rooms (the engine is synchronous). */
let rankScratch: number[] = [];

/**
 * Judges the pack's required mix of levels over the counted people present:
 * the first min(required, counted) slots of the pattern must each be filled by
 * a distinct person of at least the slot's level.
 */
function judgeDistribution(
  plan: PackPlan,
  pack: RulePack,
  group: Group,
  staff: readonly Judged[],
  requiredStaff: number,
  countedStaff: number,
  on: CivilDate,
  at: DateTime,
  night: NightCareRule | null,
  asleepRelief: boolean,
  notes: string[],
  explain: boolean,
): Violation | null {
  const dist = pack.distribution;
  if (!dist || requiredStaff === 0 || countedStaff === 0) return null;
  const slots = Math.min(requiredStaff, countedStaff);

  // First, without allocating: can every slot be filled as the pattern stands?
  // (Hall's condition for nested thresholds: at each level, no more slots need
  // it or better than there are people holding it or better.)
  const levelCount = pack.levels.length;
  if (rankScratch.length < levelCount) rankScratch = new Array<number>(levelCount).fill(0);
  const have = rankScratch;
  for (let r = 0; r < levelCount; r++) have[r] = 0;
  for (let i = 0; i < staff.length; i++) {
    const j = staff[i]!;
    if (j.counted && j.countsAs !== null) {
      const r = plan.ranks.get(j.countsAs);
      if (r !== undefined) have[r]! += 1;
    }
  }
  let fits = true;
  for (let level = levelCount - 1, atLeast = 0; level >= 0 && fits; level--) {
    atLeast += have[level]!;
    let needed = 0;
    for (let s = 1; s <= slots; s++) {
      if ((night === null ? slotRank(plan, dist.repeat, s) : nightSlotRank(plan, dist.repeat, s, night, asleepRelief)) >= level) needed += 1;
    }
    if (needed > atLeast) fits = false;
  }
  if (fits) return null; // substitutions only ever relax a slot

  const rank = plan.ranks;
  const mins: number[] = [];
  for (let s = 1; s <= slots; s++) mins.push(night === null ? slotRank(plan, dist.repeat, s) : nightSlotRank(plan, dist.repeat, s, night, asleepRelief));
  const counted: { index: number; rank: number }[] = [];
  const ranks: number[] = [];
  for (let i = 0; i < staff.length; i++) {
    const j = staff[i]!;
    if (!j.counted || j.countsAs === null) continue;
    const r = rank.get(j.countsAs) ?? -1;
    counted.push({ index: i, rank: r });
    ranks.push(r);
  }

  // Substitutions for this activity: unconditional ones lower the slot's minimum; conditional ones name people.
  let applicable: DistributionSlotSubstitute[] = [];
  // A night program keeps its lead level: no stand-ins (the stricter reading of the night rule's "one must be a teacher").
  if (night === null) for (const s of dist.substitutes) if (s.activity === group.activity && s.slot <= slots) applicable.push(s);
  if (applicable.length > 0 && dist.arrivalDepartureWindows && group.hours) {
    const refused = windowsRefusal(pack, dist.arrivalDepartureWindows, group.hours, at);
    if (refused !== null) {
      applicable = [];
      if (explain) addNote(notes, refused);
    }
  }
  const relaxed = [...mins];
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
      if (c.rank < subRank || !meetsConditions(pack, sub, group.people[c.index]!, on)) continue;
      const restMins = relaxed.filter((_, k) => k !== sub.slot - 1);
      const restRanks = counted.filter((o) => o !== c).map((o) => o.rank);
      if (shortfall(restMins, restRanks) === null) return null;
    }
  }

  if (!explain) return { code: 'staff_distribution', message: '' };
  const failing = shortfall(relaxed, ranks)!;
  // An exception the engine does not apply is named when it alone would have filled the failing slot.
  for (const e of night === null ? (dist.exceptionsNotApplied ?? []) : []) {
    const level = rank.get(e.level);
    if (e.slot !== failing.slot || level === undefined || !ranks.includes(level)) continue;
    const withException = [...relaxed];
    withException[e.slot - 1] = Math.min(withException[e.slot - 1]!, level);
    if (shortfall(withException, ranks) === null) addNote(notes, e.text);
  }
  const levelRule = pack.levels[failing.rank]!;
  const top = failing.rank === pack.levels.length - 1;
  const slotLevel = `${ordinal(failing.slot)} counted staff member must be ${top ? `a ${levelRule.label}` : `at least ${article(levelRule.label)} ${levelRule.label}`}`;
  const subs = applicable.filter((s) => s.slot === failing.slot);
  const subText = subs.length
    ? ` (during ${group.activity.replace('_', '/')} ${subs.map((s) => `${article(labelOf(pack, s.level))} ${labelOf(pack, s.level)}${Object.keys(s.conditions).length ? ' meeting ' + s.cite.split(':')[0] : ''}`).join(' or ')} may stand in)`
    : '';
  const nightText = night === null ? '' : asleepRelief ? ` in a night program with most children asleep` : ' in a night program';
  return {
    code: 'staff_distribution',
    message: `The ${slotLevel}${nightText}${subText}; the counted staff are ${describeLevels(pack, ranks)} (${night === null ? dist.cite : `${dist.cite}; ${night.cite}`}).`,
  };
}

// ---------------------------------------------------------------- the day's hours

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes after midnight of `HH:MM` (24:00 allowed for a closing time), or null. */
function minutesOf(text: string, closing = false): number | null {
  if (closing && text === '24:00') return 24 * 60;
  const m = HHMM.exec(text);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

export interface DayHoursJudgement {
  readonly ok: boolean;
  /** Why the windows cannot be used, each a sentence; empty when `ok`. */
  readonly problems: readonly string[];
  /** Minutes from opening to closing, and the windows' total; null where a time is not readable. */
  readonly dayMinutes: number | null;
  readonly windowMinutes: number | null;
  /** The most the windows may take under the pack's cap; null when the pack sets none. */
  readonly maxWindowMinutes: number | null;
}

/**
 * Whether a center's arrival and departure windows may be used for the
 * pack's arrival/departure stand-ins: readable times inside the hours of
 * operation, one window for arrival and one for departure at most, not
 * overlapping, and together no more than the pack's share of the day.
 */
export function judgeDayHours(pack: RulePack, hours: DayHours): DayHoursJudgement {
  const rule = pack.distribution?.arrivalDepartureWindows ?? null;
  const problems: string[] = [];
  const opens = minutesOf(hours.opens);
  const closes = minutesOf(hours.closes, true);
  if (opens === null) problems.push(`The opening time "${hours.opens}" is not a time as HH:MM.`);
  if (closes === null) problems.push(`The closing time "${hours.closes}" is not a time as HH:MM.`);
  const day = opens !== null && closes !== null ? closes - opens : null;
  if (day !== null && day <= 0) problems.push(`The closing time ${hours.closes} is not after the opening time ${hours.opens}.`);
  if (hours.arrivalDeparture.length > 2) problems.push('There are more than two windows: one for arrival and one for departure at most.');
  let total = 0;
  const spans: [number, number][] = [];
  for (const w of hours.arrivalDeparture) {
    const from = minutesOf(w.from);
    const to = minutesOf(w.to, true);
    if (from === null || to === null) {
      problems.push(`The window ${w.from}–${w.to} is not two times as HH:MM.`);
      continue;
    }
    if (to <= from) {
      problems.push(`The window ${w.from}–${w.to} does not end after it starts.`);
      continue;
    }
    if (opens !== null && closes !== null && (from < opens || to > closes)) {
      problems.push(`The window ${w.from}–${w.to} is not within the hours of operation ${hours.opens}–${hours.closes}.`);
    }
    for (const [a, b] of spans) if (from < b && a < to) problems.push(`The windows ${hhmm(a)}–${hhmm(b)} and ${w.from}–${w.to} overlap.`);
    spans.push([from, to]);
    total += to - from;
  }
  const cap = rule !== null && day !== null && day > 0 ? rule.maxShareOfDailyHours * day : null;
  if (rule !== null && cap !== null && total > cap) {
    problems.push(
      `The arrival and departure windows take ${total} minutes, more than ${Math.round(rule.maxShareOfDailyHours * 100)}% of the ${day}-minute day (${cap} minutes) (${rule.cite}).`,
    );
  }
  return { ok: problems.length === 0, problems, dayMinutes: day, windowMinutes: total, maxWindowMinutes: cap };
}

/** Why no one may stand in for the lead at `at` under these hours, or null when the windows allow it now. */
function windowsRefusal(pack: RulePack, rule: NonNullable<NonNullable<RulePack['distribution']>['arrivalDepartureWindows']>, hours: DayHours, at: DateTime): string | null {
  const judged = judgeDayHours(pack, hours);
  if (!judged.ok) return `No one stands in for the lead: the center's arrival and departure windows are not accepted. ${judged.problems.join(' ')}`;
  const local = at.setZone(pack.timeZone ?? at.zoneName ?? 'UTC');
  const now = local.hour * 60 + local.minute;
  const inside = hours.arrivalDeparture.some((w) => minutesOf(w.from)! <= now && now < minutesOf(w.to, true)!);
  if (inside) return null;
  const list = hours.arrivalDeparture.map((w) => `${w.from}–${w.to}`).join(', ');
  return `No one stands in for the lead at ${hhmm(now)}: outside the center's arrival and departure windows (${list || 'none set'}; ${rule.cite}).`;
}

/**
 * For slots with minimum ranks and people with ranks, the first slot that
 * cannot be filled, by counting at each level (Hall's condition for nested
 * thresholds), or null when every slot can be filled.
 */
function shortfall(mins: readonly number[], ranks: readonly number[]): { slot: number; rank: number } | null {
  let top = 0;
  for (const m of mins) if (m > top) top = m;
  // Levels are few (three in Minnesota): walk them from the top down.
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

function meetsConditions(pack: RulePack, sub: DistributionSlotSubstitute, person: PersonInRoom, on: CivilDate): boolean {
  if (sub.effectiveFrom) {
    const from = parseCivilDate(sub.effectiveFrom);
    if (from && compareCivil(on, from) < 0) return false;
  }
  const c = sub.conditions;
  if (c.minAgeYears !== undefined) {
    const ageYears = personAge(person, on);
    if (ageYears === null || ageYears < c.minAgeYears) return false;
  }
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

/** "1 teacher, 2 aides": how many counted people hold each level, highest first. */
function describeLevels(pack: RulePack, ranks: readonly number[]): string {
  let text = '';
  let top = -1;
  for (const r of ranks) if (r > top) top = r;
  for (let r = top; r >= -1; r--) {
    let n = 0;
    for (const x of ranks) if (x === r) n += 1;
    if (n === 0) continue;
    text += `${text ? ', ' : ''}${n} ${pack.levels[r]?.label ?? 'unknown'}${n === 1 ? '' : 's'}`;
  }
  return text;
}

function describeChildren(plan: PackPlan, counts: readonly number[]): string {
  let parts = '';
  let total = 0;
  for (let i = 0; i < counts.length; i++) {
    const n = counts[i]!;
    if (n === 0) continue;
    total += n;
    parts += `${parts ? ', ' : ''}${n} ${plan.bands[i]!.lower}`;
  }
  return `${total} ${total === 1 ? 'child' : 'children'} (${parts})`;
}

function describePerson(person: PersonInRoom, index: number): string {
  return `staff[${index}] (${ROLE_WORDS[person.role] ?? person.role})`;
}
