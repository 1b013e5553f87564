/**
 * The shape of a jurisdiction's rule pack: plain, readonly data in which every
 * number carries the citation it came from. The engine (`ratio/`) reads
 * strategies from here; it never branches on a jurisdiction's id.
 */

/** true: confirmed in rule text; false: not confirmed; a string: how far it was confirmed. */
export type Verification = boolean | string;

export interface Cited {
  readonly cite: string;
  readonly verified: Verification;
  readonly note?: string;
}

export const PACK_IDS = ['MN', 'WI', 'CA', 'TX', 'WA', 'NY', 'CFOC'] as const;
export type PackId = (typeof PACK_IDS)[number];

export const COARSE_CATEGORIES = ['infant', 'toddler', 'preschooler', 'school_age'] as const;
export type CoarseCategory = (typeof COARSE_CATEGORIES)[number];

export const ACTIVITIES = ['normal', 'arrival_departure', 'nap', 'meal', 'outdoor', 'field_trip', 'special'] as const;
export type Activity = (typeof ACTIVITIES)[number];

export const ROLES = ['director', 'teacher', 'assistant_teacher', 'aide', 'substitute', 'volunteer', 'student'] as const;
export type Role = (typeof ROLES)[number];

export const BACKGROUND_STUDY_STATUSES = ['not_started', 'submitted', 'cleared', 'disqualified'] as const;
export type BackgroundStudyStatus = (typeof BACKGROUND_STUDY_STATUSES)[number];

/** A training record's review: only verified ones count. */
export const RECORD_STATUSES = ['submitted', 'verified', 'rejected'] as const;
export type RecordStatus = (typeof RECORD_STATUSES)[number];

/** A point on the age axis. Months are calendar months (same day of month, clamped to month end). */
export type AgeMark = { readonly weeks: number } | { readonly months: number } | { readonly years: number };

/**
 * One of the pack's own age bands. A child belongs to the first band (in pack
 * order) whose age range holds the child's age and whose school predicate holds.
 */
export interface AgeBand extends Cited {
  readonly id: string;
  readonly label: string;
  readonly coarse: CoarseCategory;
  /** Inclusive lower bound; null = from birth. */
  readonly from: AgeMark | null;
  /** Exclusive upper bound; null = no age bound (the band ends by a school event, or is the last). */
  readonly to: AgeMark | null;
  /**
   * 'attending': only children who have attended kindergarten or school;
   * 'not_attending': only children who have not. Absent: either.
   */
  readonly school?: 'attending' | 'not_attending';
  /** Words for the home page and `rules`, e.g. "until the first day of kindergarten attended". */
  readonly boundsText: string;
  /** A sentence for `notes` when a child in this band is at least `fromMonths` old (e.g. an unresolved overlap). */
  readonly olderNote?: { readonly fromMonths: number; readonly text: string };
}

export interface RatioRow extends Cited {
  /** Band id. */
  readonly category: string;
  readonly childrenPerStaff: number;
  /** null: the pack sets no group size for this band. */
  readonly maxGroupSize: number | null;
  readonly groupSizeCite?: string;
  /**
   * Other (ratio, group size) rows the band may use instead (WA 1:3 / 9 beside
   * 1:4 / 8). A group meets its band if it meets any row: the engine takes the
   * row needing the fewest staff among those whose group size fits, and
   * reports against this first row when none fits.
   */
  readonly alternatives?: readonly (Cited & { readonly childrenPerStaff: number; readonly maxGroupSize: number | null })[];
  /**
   * Capacity in pairs (CA): a person at least `teacherLevel` with a person at
   * least `aideLevel` covers `children`; each teacher and aide in one pair at
   * most, the largest pairs first; teachers left alone cover `childrenPerStaff`;
   * an aide is never alone (see the pack's `pairing`).
   */
  readonly pairs?: readonly (Cited & { readonly teacherLevel: Level; readonly aideLevel: Level; readonly children: number })[];
  /**
   * Aides standing in for teachers at `childrenPerStaff` each, while persons of
   * at least `leadLevel` directly supervise no more than `maxChildrenPerLead`
   * children each (CA infants); otherwise aides add nothing.
   */
  readonly aidesUnderLead?: Cited & { readonly leadLevel: Level; readonly maxChildrenPerLead: number };
}

/** Who is an aide in a pack whose ratios count aides only in pairs (`RatioRow.pairs`). */
export interface PairingRule extends Cited {
  /** Levels that never count alone: they add capacity only with a teacher (`pairs`, `aidesUnderLead`). */
  readonly aideLevels: readonly Level[];
  readonly text: string;
}

/**
 * A staff minimum beyond the ratio for a group at an activity (WI field trips):
 * with at least `minChildren` children, at least `minStaff` counted staff, one
 * of them at least `leadLevel`.
 */
export interface ActivityMinimum extends Cited {
  readonly activity: Activity;
  readonly minChildren: number;
  readonly minStaff: number;
  readonly leadLevel: Level | null;
  /** The rule in words, e.g. "a field trip with 9 or more children". */
  readonly text: string;
}

/**
 * One listed mix of ages a group may form (WA 0357(2)-(9)): every child present
 * aged from `fromMonths` (inclusive) to `toMonths` (exclusive); at most
 * `maxGroupSize` children at `childrenPerStaff`, with at least `minStaff` counted
 * staff, one of them at least `leadLevel`.
 */
export interface ListedMix extends Cited {
  readonly fromMonths: number;
  readonly toMonths: number;
  readonly childrenPerStaff: number;
  readonly maxGroupSize: number;
  readonly minStaff: number;
  readonly leadLevel: Level | null;
  /** The mix in the rule's words, e.g. "children from birth to 36 months". */
  readonly text: string;
}

/**
 * A ratio a group may use near opening and closing (TX 746.1615): within
 * `afterOpeningMinutes` of opening or `beforeClosingMinutes` of closing (the
 * center's hours, `Group.hours`), with at least `minChildrenInCare` children in
 * the center (`Group.childrenInCenter`, at least the group's own), when every
 * child is at least `minAgeMonths` old. A permission: never stricter than the table.
 */
export interface TimeOfDayRatio extends Cited {
  readonly afterOpeningMinutes: number;
  readonly beforeClosingMinutes: number;
  readonly minChildrenInCare: number;
  readonly minAgeMonths: number;
  readonly childrenPerStaff: number;
  readonly text: string;
}

/** How a group mixing bands is judged. */
export type MixedAgeRule =
  | (Cited & {
      /** The whole group at the ratio and group size of the youngest band present. */
      readonly method: 'youngest_band';
      /** Sentence added to `notes` whenever a mixed group is judged this way. */
      readonly note?: string;
      /**
       * Mixes the rule lists (WA 0357): a mixed group whose children all fit a
       * listed range must meet one of that range's rows (the one needing the
       * fewest staff whose group size fits; the fitting row allowing the most children otherwise).
       */
      readonly listedMixes?: readonly ListedMix[];
      /** Sentence for `notes` when a mixed group fits none of `listedMixes`. */
      readonly unlistedNote?: string;
    })
  | (Cited & {
      /**
       * Required staff = ceil(sum of n_i / ratio_i), in exact fractions, rounded up once.
       * Group size: while every child is at or above `loadLimitFromMonths`, the summed
       * load must not exceed `maxLoadInStaff`; with any child below it, the group is
       * capped at `capWithYounger` children.
       */
      readonly method: 'pro_rata';
      readonly groupSize: {
        readonly maxLoadInStaff: number;
        readonly loadLimitFromMonths: number;
        readonly capWithYounger: number;
        readonly cite: string;
        readonly verified: Verification;
      };
      readonly note?: string;
    })
  | (Cited & {
      /**
       * The band holding most children sets ratio and group size (ties go to the
       * younger band); if any child of an override coarse category is present,
       * the youngest band present applies instead.
       */
      readonly method: 'majority_band';
      readonly youngestIfAnyOf: readonly CoarseCategory[];
      readonly note?: string;
    });

/** Staff qualification levels, lowest first. */
export type Level = string;

export interface DistributionSlotSubstitute extends Cited {
  /** 1-based slot whose minimum level is relaxed. */
  readonly slot: number;
  readonly activity: Activity;
  /** The level that may then fill the slot. */
  readonly level: Level;
  /** Extra conditions the person must prove (checked from the person's fields). */
  readonly conditions: {
    readonly minAgeYears?: number;
    readonly minDaysAtCenter?: number;
    /** Training ids that must be complete (orientation and the first-90-day items). */
    readonly trainingsComplete?: readonly string[];
  };
  readonly effectiveFrom?: string;
}

/**
 * The mix of levels the counted people must make. Slot i (1-based) needs at
 * least `pattern[(i-1) % pattern.length]` when `repeat`, else `pattern[i-1]`
 * for i within the pattern and `beyond` after it. A more qualified person may
 * fill a less demanding slot.
 */
export interface Distribution extends Cited {
  readonly pattern: readonly Level[];
  readonly repeat: boolean;
  readonly beyond: Level | null;
  readonly substitutes: readonly DistributionSlotSubstitute[];
  /** Sentence for `notes` about the reading taken (e.g. per group rather than per category). */
  readonly scopeNote?: string;
  /**
   * How much of the day the arrival and departure windows (when the substitutes
   * apply) may take together. Checked when the center's hours are given
   * (`Group.hours`); windows over the cap allow no substitution.
   */
  readonly arrivalDepartureWindows?: ArrivalDepartureWindowsRule;
  /**
   * Exceptions the rule text names that the engine does not apply (an open
   * question): when `slot` is the one not filled and a counted person holds
   * `level`, `note` goes to `notes`.
   */
  readonly exceptionsNotApplied?: readonly (Cited & { readonly slot: number; readonly level: Level; readonly text: string })[];
}

export interface ArrivalDepartureWindowsRule extends Cited {
  /** Share of the daily hours of operation the windows may take together, e.g. 0.25. */
  readonly maxShareOfDailyHours: number;
  /** What the windows are, in words. */
  readonly text: string;
}

/**
 * A night program's staffing: at least `minStaff` counted staff, the first of
 * them at least `leadLevel`; once more than `asleepShareAbove` of the children
 * present are asleep, the others need only `asleepLevel`.
 */
export interface NightCareRule extends Cited {
  readonly minStaff: number;
  readonly leadLevel: Level;
  readonly asleepShareAbove: number;
  readonly asleepLevel: Level;
  /** Sentence for `notes` whenever a night group is judged (what the engine can and cannot see). */
  readonly scopeNote: string;
}

/**
 * A category a child may be designated into instead of the one the age gives,
 * on a record the center keeps.
 * 'age_flexibility': an agreement (e.g. director, teacher and parent) recorded
 * on a date; 'kindergarten_eligible': the child starts kindergarten within
 * `withinMonths` (the center enters the start date).
 */
export interface CategoryDesignation extends Cited {
  readonly basis: 'age_flexibility' | 'kindergarten_eligible';
  /** Band ids a child may be designated into. */
  readonly toBands: readonly string[];
  /** Band ids the child's age must place them in (empty: any). */
  readonly fromBands: readonly string[];
  /**
   * 'younger_only': applied only when the band designated is younger than the
   * age band (never loosens a ratio; the stricter reading while thresholds are
   * unknown); 'any': applied in either direction.
   */
  readonly direction: 'younger_only' | 'any';
  readonly withinMonths?: number;
  /** What the center must have on record, in words. */
  readonly requires: string;
  /** Sentence for `notes` when applied ({band} is the band designated). */
  readonly note: string;
}

/**
 * A qualification level that holds only for groups of some categories when the
 * person holds it through a given basis (e.g. a nurse qualifies as a teacher
 * for infants only); elsewhere the person holds `otherwise`.
 */
export interface LevelBasisLimit extends Cited {
  readonly basis: string;
  readonly levels: readonly Level[];
  /** Coarse categories the group may hold for the level to apply. */
  readonly onlyWith: readonly CoarseCategory[];
  /** The level held in other groups (null: none). */
  readonly otherwise: Level | null;
  readonly text: string;
}

export type CountingRule = Cited & {
  readonly role: Role;
  /**
   * 'own_level': the role is a level and counts at it (teacher, assistant teacher, aide);
   * 'qualifies_as': counts only at the level given by `qualifiesAs`;
   * 'never': never counts toward ratio.
   */
  readonly counts: 'own_level' | 'qualifies_as' | 'never';
  /** Minimum age in years to count at all in this role (the level's own minimum also applies). */
  readonly minAgeYears: number | null;
  /** Present only under direct supervision when not counted (e.g. a supervised volunteer). */
  readonly supervisedWhenNotCounted: boolean;
  readonly reason?: string;
};

export interface LevelRule extends Cited {
  readonly level: Level;
  readonly label: string;
  readonly minAgeYears: number;
  /** Below this age the person counts but must be directly supervised (MN aides under 18). */
  readonly supervisedBelowAgeYears?: number;
  readonly supervisedBelowAgeCite?: string;
  /**
   * Activities at which a holder below `supervisedBelowAgeYears` may be out of a
   * supervisor's sight (MN: assisting with sleeping children), while a
   * supervisor stays responsible for the group; `text` goes to `notes`.
   */
  readonly supervisionExceptions?: Cited & { readonly activities: readonly Activity[]; readonly text: string };
}

export interface SupervisionRule extends Cited {
  /** Levels whose counted, cleared holders supervise (e.g. teacher and assistant teacher). */
  readonly supervisorLevels: readonly Level[];
  /** Words for reasons, e.g. "a counted teacher or assistant teacher in the same room". */
  readonly supervisorText: string;
}

export interface BackgroundStudyRule extends Cited {
  readonly byStatus: Readonly<
    Record<BackgroundStudyStatus, { readonly present: boolean | 'supervised_only'; readonly counted: boolean; readonly cite: string }>
  >;
  readonly expiryMonths: number | null;
  readonly note?: string;
}

export interface Training extends Cited {
  readonly id: string;
  readonly label: string;
  readonly roles: readonly Role[];
  /** Coarse categories whose presence in the group makes the training required; empty: never a ratio gate by age. */
  readonly categories: readonly CoarseCategory[];
  /**
   * 'before': must be complete before the person counts;
   * 'grace': counts during `graceDays` after the person's first direct contact, then required;
   * 'none': tracked, never a ratio gate.
   */
  readonly gate: 'before' | 'grace' | 'none';
  readonly graceDays?: number;
  readonly deadline: string;
  readonly renewalMonths: number | null;
  readonly renewalCite?: string;
  readonly renewalVerified?: Verification;
  /** A renewal also due this many days after the completion, when sooner (WA "annual": no more than 365 days apart). */
  readonly renewalMaxDays?: number;
  /** Volunteers need it to count only when true (false: only unsupervised volunteers, not a counting gate). */
  readonly volunteersToCount: boolean;
}

export interface NapAllowance extends Cited {
  /** Children per counted staff during `nap`, by band id (replaces the normal ratio for those bands). */
  readonly childrenPerStaff: Readonly<Record<string, number>>;
  readonly description: string;
}

export interface PackChange {
  /** `YYYY-MM-DD` the references changed. */
  readonly on: string;
  readonly text: string;
  readonly cite: string;
}

export interface OpenQuestion {
  readonly id: string;
  readonly title: string;
  /** What the software does meanwhile. */
  readonly engineDefault: string;
}

export interface Source {
  readonly id: string;
  readonly title: string;
  readonly url: string;
  readonly status: string;
}

export interface RulePack {
  readonly id: PackId;
  readonly name: string;
  /** The jurisdiction's zone; null for a recommendation, judged in the zone the instant is given in. */
  readonly timeZone: string | null;
  /** Date of the rule text read; null when it could not be established. */
  readonly asOf: string | null;
  readonly asOfNote: string;
  readonly isRecommendation: boolean;
  readonly appliesTo: string;
  readonly sources: readonly Source[];

  readonly minimumAge: (Cited & { readonly mark: AgeMark; readonly text: string }) | null;
  readonly maximumAge: (Cited & { readonly mark: AgeMark; readonly text: string }) | null;
  /** Youngest first. */
  readonly bands: readonly AgeBand[];
  readonly ageNote: string;
  readonly ratios: readonly RatioRow[];
  readonly requiredStaff: Cited & { readonly rounding: 'ceil'; readonly minimumWhenAnyChild: number };
  readonly mixedAge: MixedAgeRule;
  readonly groupSizeExempt: Cited & { readonly activities: readonly Activity[] };
  readonly nap: NapAllowance | null;
  readonly napNote: string;
  /** Staffing of a night program (`Group.night`); absent or null: the pack has none, night groups are judged as day groups. */
  readonly nightCare?: NightCareRule | null;
  /** Designations of a child into another category that the pack recognizes (`ChildInRoom.designation`). */
  readonly designations?: readonly CategoryDesignation[];
  /**
   * Extra staff a center enters for one child (e.g. 1:1 from an individual
   * plan), added to the ratio's requirement; the citation says where the
   * pack's rule leaves that to the center.
   */
  readonly individualStaffing?: Cited & { readonly text: string };
  /** Staff minimums for a group at some activities, beyond the ratio. */
  readonly activityMinimums?: readonly ActivityMinimum[];
  /** Ratios a group may use near opening and closing. */
  readonly timeOfDayRatios?: readonly TimeOfDayRatio[];
  /** Present when aides count only paired with a teacher (`RatioRow.pairs`). */
  readonly pairing?: PairingRule | null;

  /** Lowest first. */
  readonly levels: readonly LevelRule[];
  /** Levels that hold only in some groups when held through a given basis (`PersonInRoom.qualifiedThrough`). */
  readonly levelBasisLimits?: readonly LevelBasisLimit[];
  readonly distribution: Distribution | null;
  readonly counting: readonly CountingRule[];
  readonly supervision: SupervisionRule;
  readonly backgroundStudy: BackgroundStudyRule;
  readonly trainings: readonly Training[];

  /** What changed in the pack's behaviour, newest first, in plain words with the rule behind it (the rule packs page). */
  readonly changes?: readonly PackChange[];
  /** Rule-text items this pack could not confirm; a pack with any is a draft. */
  readonly openQuestions: readonly OpenQuestion[];
  readonly notes: readonly string[];
}

/** Every `verified` flag in the pack that is not `true`, with where it sits. */
export function unverifiedItems(pack: RulePack): string[] {
  const out: string[] = [];
  const check = (where: string, c: { verified: Verification }) => {
    if (c.verified !== true) out.push(where);
  };
  pack.bands.forEach((b) => check(`age band ${b.id}`, b));
  pack.ratios.forEach((r) => {
    check(`ratio ${r.category}`, r);
    r.alternatives?.forEach((a) => check(`ratio ${r.category} 1:${a.childrenPerStaff} (alternative)`, a));
    r.pairs?.forEach((p) => check(`ratio ${r.category} in pairs of ${p.children}`, p));
    if (r.aidesUnderLead) check(`ratio ${r.category} with aides under a ${r.aidesUnderLead.leadLevel}`, r.aidesUnderLead);
  });
  check('mixed-age rule', pack.mixedAge);
  if (pack.mixedAge.method === 'youngest_band') pack.mixedAge.listedMixes?.forEach((m) => check(`listed mix: ${m.text}, up to ${m.maxGroupSize}`, m));
  if (pack.mixedAge.method === 'pro_rata') check('mixed-age group size', pack.mixedAge.groupSize);
  check('group-size exemptions', pack.groupSizeExempt);
  if (pack.nap) check('nap allowance', pack.nap);
  if (pack.distribution) {
    check('staff distribution', pack.distribution);
    pack.distribution.substitutes.forEach((s) => check(`substitution in slot ${s.slot} by ${s.level}`, s));
    if (pack.distribution.arrivalDepartureWindows) check('arrival and departure windows', pack.distribution.arrivalDepartureWindows);
    pack.distribution.exceptionsNotApplied?.forEach((e) => check(`exception in slot ${e.slot} for ${e.level} (not applied)`, e));
  }
  if (pack.nightCare) check('night care', pack.nightCare);
  pack.designations?.forEach((d) => check(`category designation (${d.basis})`, d));
  if (pack.individualStaffing) check('individual staffing', pack.individualStaffing);
  pack.activityMinimums?.forEach((m) => check(`staff minimum: ${m.text}`, m));
  pack.timeOfDayRatios?.forEach((r) => check(`time-of-day ratio: ${r.text}`, r));
  if (pack.pairing) check('aides counted in pairs', pack.pairing);
  pack.levels.forEach((l) => {
    if (l.supervisionExceptions) check(`supervision exceptions for ${l.level}`, l.supervisionExceptions);
  });
  pack.levelBasisLimits?.forEach((l) => check(`level through ${l.basis}`, l));
  pack.levels.forEach((l) => check(`level ${l.level}`, l));
  pack.counting.forEach((c) => check(`counting of ${c.role}`, c));
  check('supervision', pack.supervision);
  check('background study', pack.backgroundStudy);
  pack.trainings.forEach((t) => {
    check(`training ${t.id}`, t);
    if (t.renewalVerified !== undefined && t.renewalVerified !== true) out.push(`training ${t.id} renewal period`);
  });
  if (pack.minimumAge) check('minimum age served', pack.minimumAge);
  if (pack.maximumAge) check('maximum age served', pack.maximumAge);
  check('required staff', pack.requiredStaff);
  return out;
}

export function packStatus(pack: RulePack): 'draft' | 'verified' {
  return unverifiedItems(pack).length > 0 ? 'draft' : 'verified';
}

export function isCoarseCategory(x: string): x is CoarseCategory {
  return (COARSE_CATEGORIES as readonly string[]).includes(x);
}
