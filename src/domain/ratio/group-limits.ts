/**
 * What a group of children needs: the staff the pack's ratios ask for and the
 * group-size limit, following the pack's mixed-age rule, and how many more
 * children of each band could join (the margin).
 */
import type { Activity, RatioRow, RulePack } from '../rule-pack.js';
import type { PackPlan } from './pack-plan.js';
import type { RatioUsed, ViolationReason } from './types.js';

/** What the group needs, as plain data; `ratioUsed` and `groupSizeReason` describe it when a violation needs words. */
export interface GroupLimits {
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
export function groupLimits(
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

/** The ratio the requirement rests on, for the words of an `over_ratio`. */
export function ratioUsed(plan: PackPlan, activity: Activity, limits: GroupLimits): RatioUsed {
  const band = plan.bands[limits.governing]!;
  return { childrenPerStaff: limits.ratio, band: band.label, napTime: activity === 'nap' && band.napRatio !== undefined, mixed: limits.mixed };
}

/** Which group-size limit the group breaks, with what the words need. */
export function groupSizeReason(plan: PackPlan, pack: RulePack, limits: GroupLimits): ViolationReason {
  const { total, maxGroupSize } = limits;
  const rule = pack.mixedAge;
  if (limits.sizeRule === 'room') return { code: 'over_room_group_size', params: { children: total, max: maxGroupSize } };
  if (rule.method === 'pro_rata' && limits.sizeRule === 'younger_cap') {
    return { code: 'over_mixed_group_cap', params: { children: total, max: maxGroupSize, underMonths: rule.groupSize.loadLimitFromMonths, cite: rule.groupSize.cite } };
  }
  if (rule.method === 'pro_rata' && limits.sizeRule === 'pro_rata_load') {
    return { code: 'over_pro_rata_load', params: { children: total, staff: rule.groupSize.maxLoadInStaff, cite: rule.groupSize.cite } };
  }
  const row = rowOf(plan, pack, limits.governing);
  return {
    code: 'over_group_size',
    params: { children: total, max: maxGroupSize, band: plan.bands[limits.governing]!.label, mixed: limits.mixed, cite: row.groupSizeCite ?? row.cite },
  };
}

/** How many more children of band `bandIndex` could join before a ratio or group-size violation (`counted` > 0). */
export function additionalChildren(
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
