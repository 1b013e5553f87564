/**
 * The compiled pack: everything about a rule pack the engine would otherwise
 * work out for every room (lookups by id, ranks of levels, the numbers behind
 * the age marks, the trainings asked of each role and level, the pack's fixed
 * notes). Built once per pack and never changed afterwards.
 */
import type { Activity, AgeBand, CoarseCategory, CountingRule, Level, LevelBasisLimit, LevelRule, RatioRow, Role, RulePack, Training } from '../rule-pack.js';
import { COARSE_CATEGORIES, ROLES, packStatus } from '../rule-pack.js';
import { compiledAgesOf, type CompiledAges } from '../age.js';
import type { NoteReason } from './types.js';
import { trainingsToCount } from './trainings.js';

/** One band of the pack with everything the engine asks of it, worked out once. */
export interface BandPlan {
  readonly band: AgeBand;
  readonly id: string;
  readonly label: string;
  readonly coarseBit: number;
  /** The band's ratio row, or undefined when the pack lacks one (an error when the band is used). */
  readonly row: RatioRow | undefined;
  readonly napRatio: number | undefined;
  /** A note for when a child of the band is at least `olderFromMonths` old (Infinity: none). */
  readonly olderFromMonths: number;
  readonly olderNote: NoteReason | null;
  /** The mixed-age note naming this band as the one that governs, or null. */
  readonly mixedNote: NoteReason | null;
  /** Pro rata only: a child of this band is younger than the load limit's age. */
  readonly youngerThanLoadLimit: boolean;
  /** The band's lower bound in whole months (0 from birth), for a child added to a group in the margin. */
  readonly fromMonths: number;
  /** The row's ratio options, first row first (`RatioRow.alternatives`). */
  readonly options: readonly RatioOption[];
}

/** One (ratio, group size) row a band may use; `basis` is null for the band's first row. */
export interface RatioOption {
  readonly childrenPerStaff: number;
  readonly maxGroupSize: number | null;
  readonly basis: string | null;
}

export interface PackPlan {
  readonly status: 'draft' | 'verified';
  readonly bands: readonly BandPlan[];
  /** Every band id with 0, in pack order: copied for `byCategory` and `margin.children`. */
  readonly zeroByBand: Readonly<Record<string, number>>;
  readonly exempt: ReadonlySet<Activity>;
  readonly loadLimitMonths: number | null;
  readonly counting: ReadonlyMap<string, CountingRule>;
  readonly levels: ReadonlyMap<string, LevelRule>;
  readonly ranks: ReadonlyMap<Level, number>;
  readonly supervisors: ReadonlySet<Level>;
  /** The levels' labels, in pack order. */
  readonly levelLabels: readonly string[];
  readonly maxAgeNote: NoteReason | null;
  /** Trainings asked of a person to count, by role, then level, then bit mask of coarse categories present (`COARSE_BIT`). */
  readonly trainings: ReadonlyMap<string, ReadonlyMap<string, readonly (readonly Training[])[]>>;
  readonly renewalNotes: ReadonlyMap<Training, NoteReason>;
  /** Rank each distribution slot needs, for the pattern's first cycle; `beyondRank` after it when it does not repeat. */
  readonly patternRanks: readonly number[];
  readonly beyondRank: number;
  readonly bandIndexById: ReadonlyMap<string, number>;
  /** Level limits by basis, then level. */
  readonly basisLimits: ReadonlyMap<string, ReadonlyMap<Level, LevelBasisLimit>>;
  /** The pack's ages as numbers, for placing children (`placementOf`). */
  readonly ages: CompiledAges;
  /** The pack needs the youngest and oldest child's age (listed mixes, time-of-day ratios). */
  readonly needsAgeSpan: boolean;
  /** Ranks of the levels that count only in pairs (`pairing`); empty when none. */
  readonly aideRanks: ReadonlySet<number>;
}

export const COARSE_BIT: Readonly<Record<CoarseCategory, number>> = { infant: 1, toddler: 2, preschooler: 4, school_age: 8 };

export function maskOf(categories: Iterable<CoarseCategory>): number {
  let mask = 0;
  for (const c of categories) mask |= COARSE_BIT[c];
  return mask;
}

// Packs are immutable data, so a pack's plan is worked out on first use and kept
// for as long as the pack lives; a plan is never changed once built.
const plans = new WeakMap<RulePack, PackPlan>();

/** The compiled plan of `pack`. */
export function planOf(pack: RulePack): PackPlan {
  let plan = plans.get(pack);
  if (!plan) {
    plan = buildPlan(pack);
    plans.set(pack, plan);
  }
  return plan;
}

function buildPlan(pack: RulePack): PackPlan {
  const loadLimitMonths = pack.mixedAge.method === 'pro_rata' ? pack.mixedAge.groupSize.loadLimitFromMonths : null;
  const mixedNote = pack.mixedAge.note;
  const zeroByBand: Record<string, number> = {};
  const bands = pack.bands.map((band): BandPlan => {
    zeroByBand[band.id] = 0;
    const from = band.from;
    return {
      band,
      id: band.id,
      label: band.label,
      coarseBit: COARSE_BIT[band.coarse],
      row: pack.ratios.find((r) => r.category === band.id),
      napRatio: pack.nap ? pack.nap.childrenPerStaff[band.id] : undefined,
      olderFromMonths: band.olderNote ? band.olderNote.fromMonths : Infinity,
      olderNote: band.olderNote ? { code: 'pack_note', params: { text: band.olderNote.text } } : null,
      mixedNote: mixedNote ? { code: 'pack_note', params: { text: fillBand(mixedNote, band.label) } } : null,
      youngerThanLoadLimit:
        loadLimitMonths !== null &&
        !(from && 'months' in from && from.months >= loadLimitMonths) &&
        !(from && 'years' in from && from.years * 12 >= loadLimitMonths),
      fromMonths: from === null ? 0 : 'months' in from ? from.months : 'years' in from ? from.years * 12 : Math.floor((from.weeks * 7) / 31),
      options: optionsOf(pack.ratios.find((r) => r.category === band.id)),
    };
  });
  const ranks = new Map(pack.levels.map((l, i) => [l.level, i] as const));
  const rankOf = (level: Level | null) => (level === null ? 0 : (ranks.get(level) ?? 0));
  const renewalNotes = new Map<Training, NoteReason>();
  for (const t of pack.trainings) {
    if (t.renewalVerified !== undefined && t.renewalVerified !== true) {
      renewalNotes.set(t, { code: 'renewal_unconfirmed', params: { training: t.label, months: t.renewalMonths, cite: t.renewalCite ?? t.cite } });
    }
  }
  const dist = pack.distribution;
  return {
    status: packStatus(pack),
    bands,
    zeroByBand,
    exempt: new Set(pack.groupSizeExempt.activities),
    loadLimitMonths,
    counting: new Map(pack.counting.map((c) => [c.role, c] as const)),
    levels: new Map(pack.levels.map((l) => [l.level, l] as const)),
    ranks,
    supervisors: new Set(pack.supervision.supervisorLevels),
    levelLabels: pack.levels.map((l) => l.label),
    maxAgeNote: pack.maximumAge ? { code: 'above_maximum_age', params: { age: pack.maximumAge.text, cite: pack.maximumAge.cite } } : null,
    trainings: trainingsTable(pack),
    renewalNotes,
    patternRanks: dist ? dist.pattern.map(rankOf) : [],
    beyondRank: dist ? rankOf(dist.beyond) : 0,
    bandIndexById: new Map(pack.bands.map((b, i) => [b.id, i] as const)),
    basisLimits: basisLimitsOf(pack),
    ages: compiledAgesOf(pack),
    needsAgeSpan: (pack.mixedAge.method === 'youngest_band' && (pack.mixedAge.listedMixes?.length ?? 0) > 0) || (pack.timeOfDayRatios?.length ?? 0) > 0,
    aideRanks: new Set((pack.pairing?.aideLevels ?? []).map((l) => ranks.get(l)).filter((r): r is number => r !== undefined)),
  };
}

function optionsOf(row: RatioRow | undefined): RatioOption[] {
  if (!row) return [];
  return [
    { childrenPerStaff: row.childrenPerStaff, maxGroupSize: row.maxGroupSize, basis: null },
    ...(row.alternatives ?? []).map((a) => ({ childrenPerStaff: a.childrenPerStaff, maxGroupSize: a.maxGroupSize, basis: `the alternative row of ${a.cite}` })),
  ];
}

/** `trainingsToCount` for every role, every level of the pack and every mix of coarse categories. */
function trainingsTable(pack: RulePack): Map<Role, Map<Level, Training[][]>> {
  const table = new Map<Role, Map<Level, Training[][]>>();
  for (const role of ROLES) {
    const byLevel = new Map<Level, Training[][]>();
    for (const { level } of pack.levels) {
      const byMask: Training[][] = [];
      for (let mask = 0; mask < 1 << COARSE_CATEGORIES.length; mask++) {
        byMask.push(trainingsToCount(pack, role, level, new Set(COARSE_CATEGORIES.filter((c) => (mask & COARSE_BIT[c]) !== 0))));
      }
      byLevel.set(level, byMask);
    }
    table.set(role, byLevel);
  }
  return table;
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

/** A pack sentence with its `{band}` filled in: the band's label, lower-cased as the pack's sentences expect it. */
export function fillBand(text: string, label: string): string {
  return text.replace('{band}', label.toLowerCase());
}

/** The pack's label of `level`, or the level itself when the pack has none. */
export function labelOf(pack: RulePack, level: Level): string {
  return pack.levels.find((l) => l.level === level)?.label ?? level;
}
