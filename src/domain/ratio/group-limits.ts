/**
 * What a group of children needs: the staff the pack's ratios ask for and the
 * group-size limit, following the pack's mixed-age rule, and how many more
 * children of each band could join (the margin).
 */
import type { Activity, ListedMix, RatioRow, RulePack, TimeOfDayRatio } from '../rule-pack.js';
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
  readonly sizeRule: 'band' | 'room' | 'younger_cap' | 'pro_rata_load' | 'mix' | 'none';
  /** A listed mix the group is judged under (its minimum staff and lead), or null. */
  readonly mix: ListedMix | null;
  /** Staff the ratio alone asks for, before a mix's minimum (equal to `requiredStaff` without one). */
  readonly ratioStaff: number;
  /** Words of the rule the ratio comes from when not the band's first row, or null. */
  readonly basis: string | null;
}

/**
 * What the group's requirement depends on beyond its counts per band: the
 * youngest and oldest child's age in months (listed mixes, time-of-day
 * ratios), a time-of-day ratio whose hours and numbers hold now, and the ranks
 * of the counted staff (pairs).
 */
export interface GroupContext {
  readonly minMonths: number;
  readonly maxMonths: number;
  readonly timeRatio: TimeOfDayRatio | null;
  readonly staffRanks: readonly number[] | null;
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
  mix: null,
  ratioStaff: 0,
  basis: null,
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
  context: GroupContext | null = null,
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
    return { total, requiredStaff, governing: youngest, youngest, mixed, ratio, maxGroupSize, groupSizeOk, sizeRule, mix: null, ratioStaff: requiredStaff, basis: null };
  }

  // One band sets ratio and group size for the whole group.
  const governing = governingBand(plan, pack, counts, youngest);
  if (mixed && context !== null && rule.method === 'youngest_band' && rule.listedMixes) {
    const byMix = listedMixLimits(plan, activity, rule.listedMixes, total, context, roomCap, minimum);
    if (byMix !== null) {
      return {
        total,
        requiredStaff: byMix.requiredStaff,
        governing,
        youngest,
        mixed,
        ratio: byMix.ratio,
        maxGroupSize: byMix.maxGroupSize,
        groupSizeOk: byMix.groupSizeOk,
        sizeRule: 'mix',
        mix: byMix.mix,
        ratioStaff: byMix.ratioStaff,
        basis: byMix.basis,
      };
    }
  }
  const packCap = rowOf(plan, pack, governing).maxGroupSize;
  const band = plan.bands[governing]!;
  const napRatio = activity === 'nap' ? band.napRatio : undefined;
  const exempt = plan.exempt.has(activity);
  // The row needing the fewest staff among those whose group size fits (the first row when none fits).
  let ratio = napRatio ?? band.options[0]!.childrenPerStaff;
  let cap = capFor(plan, pack, governing, activity, roomCap);
  let basis: string | null = null;
  let required = Math.max(minimum, Math.ceil(total / ratio));
  if (napRatio === undefined && band.options.length > 1) {
    let best = -1;
    for (const o of band.options) {
      const c = exempt ? roomCap : o.maxGroupSize === null ? roomCap : roomCap === null ? o.maxGroupSize : Math.min(o.maxGroupSize, roomCap);
      if (c !== null && total > c) continue;
      const r = Math.max(minimum, Math.ceil(total / o.childrenPerStaff));
      if (best === -1 || r < best) {
        best = r;
        ratio = o.childrenPerStaff;
        cap = c;
        basis = o.basis;
        required = r;
      }
    }
  }
  // Pairs: the staff present make the capacity (teachers alone, teachers with aides).
  const row = band.row!;
  if (napRatio === undefined && (row.pairs || row.aidesUnderLead) && context !== null && context.staffRanks !== null) {
    required = Math.max(minimum, pairedRequirement(plan, row, total, context.staffRanks));
    basis = pairsBasis(plan, row);
  }
  // A time-of-day ratio: a permission, taken only when it asks for fewer staff.
  const time = context?.timeRatio ?? null;
  if (time !== null && context!.minMonths >= time.minAgeMonths) {
    const r = Math.max(minimum, Math.ceil(total / time.childrenPerStaff));
    if (r < required) {
      required = r;
      ratio = time.childrenPerStaff;
      basis = `${time.text} (${time.cite})`;
    }
  }
  return {
    total,
    requiredStaff: required,
    governing,
    youngest,
    mixed,
    ratio,
    maxGroupSize: cap,
    groupSizeOk: cap === null || total <= cap,
    sizeRule: cap === null ? 'none' : cap < (packCap ?? Infinity) && basis === null ? 'room' : 'band',
    mix: null,
    ratioStaff: required,
    basis,
  };
}

/**
 * A mixed group whose children all fit a listed range: the row of that range
 * needing the fewest staff whose group size fits (the fitting row allowing the
 * most children when none fits); null when no listed range holds every child.
 */
function listedMixLimits(
  plan: PackPlan,
  activity: Activity,
  mixes: readonly ListedMix[],
  total: number,
  context: GroupContext,
  roomCap: number | null,
  minimum: number,
): Omit<GroupLimits, 'governing' | 'youngest' | 'mixed'> | null {
  const exempt = plan.exempt.has(activity);
  let chosen: ListedMix | null = null;
  let chosenCap: number | null = null;
  let chosenRequired = 0;
  // The fitting row allowing the most children, reported when none fits.
  let first: ListedMix | null = null;
  for (const m of mixes) {
    if (context.minMonths < m.fromMonths || context.maxMonths >= m.toMonths) continue;
    if (first === null || m.maxGroupSize > first.maxGroupSize) first = m;
    const cap = exempt ? roomCap : roomCap === null ? m.maxGroupSize : Math.min(m.maxGroupSize, roomCap);
    if (cap !== null && total > cap) continue;
    const r = Math.max(minimum, m.minStaff, Math.ceil(total / m.childrenPerStaff));
    if (chosen === null || r < chosenRequired) {
      chosen = m;
      chosenCap = cap;
      chosenRequired = r;
    }
  }
  if (first === null) return null;
  const m = chosen ?? first;
  const cap = chosen !== null ? chosenCap : exempt ? roomCap : roomCap === null ? m.maxGroupSize : Math.min(m.maxGroupSize, roomCap);
  const ratioStaff = Math.max(minimum, Math.ceil(total / m.childrenPerStaff));
  return {
    total,
    requiredStaff: Math.max(ratioStaff, m.minStaff),
    ratio: m.childrenPerStaff,
    maxGroupSize: cap,
    groupSizeOk: cap === null || total <= cap,
    sizeRule: 'mix',
    mix: m,
    ratioStaff,
    basis: `${m.text}, up to ${m.maxGroupSize} (${m.cite})`,
  };
}

/** The rank of a level, -1 when the pack has no such level. */
function rankOf(plan: PackPlan, level: string): number {
  return plan.ranks.get(level) ?? -1;
}

/**
 * What teachers and aides of these ranks cover: pairs first (the largest
 * pairs first, each person in one pair at most), teachers left alone at the
 * row's ratio; aides under leads at the row's ratio while the leads supervise
 * no more than their share; an aide alone covers no one.
 */
export function pairedCapacity(plan: PackPlan, row: RatioRow, total: number, teachers: readonly number[], aides: readonly number[]): number {
  const r = row.childrenPerStaff;
  if (row.aidesUnderLead) {
    const lead = rankOf(plan, row.aidesUnderLead.leadLevel);
    let leads = 0;
    for (const t of teachers) if (t >= lead) leads += 1;
    const aidesCount = leads > 0 && total <= leads * row.aidesUnderLead.maxChildrenPerLead ? aides.length : 0;
    return r * (teachers.length + aidesCount);
  }
  if (!row.pairs || aides.length === 0) return r * teachers.length;
  const freeT = [...teachers].sort((a, b) => a - b);
  const freeA = [...aides].sort((a, b) => a - b);
  const pairs = [...row.pairs].sort((a, b) => b.children - a.children);
  let capacity = 0;
  for (const p of pairs) {
    const tMin = rankOf(plan, p.teacherLevel);
    const aMin = rankOf(plan, p.aideLevel);
    for (;;) {
      // The least qualified teacher and aide that qualify, keeping the better ones for nothing larger (pairs go largest first).
      const ti = freeT.findIndex((x) => x >= tMin);
      const ai = freeA.findIndex((x) => x >= aMin);
      if (ti === -1 || ai === -1) break;
      freeT.splice(ti, 1);
      freeA.splice(ai, 1);
      capacity += p.children;
    }
  }
  return capacity + r * freeT.length;
}

/**
 * The fewest of the counted people present whose capacity covers `total`; when
 * all of them do not, all of them and as many more teachers of the lowest
 * teacher level as it takes.
 */
function pairedRequirement(plan: PackPlan, row: RatioRow, total: number, staffRanks: readonly number[]): number {
  const teachers: number[] = [];
  const aides: number[] = [];
  for (const rank of staffRanks) (plan.aideRanks.has(rank) ? aides : teachers).push(rank);
  if (pairedCapacity(plan, row, total, teachers, aides) < total) {
    const lowestTeacher = teachers.length > 0 ? Math.min(...teachers) : maxRankNotAide(plan);
    const more = [...teachers];
    let extra = 0;
    while (pairedCapacity(plan, row, total, more, aides) < total && extra < 1000) {
      more.push(lowestTeacher);
      extra += 1;
    }
    return staffRanks.length + extra;
  }
  // Subsets by how many of each rank (few ranks, few people): the smallest that covers.
  const ranksT = countsByRank(teachers);
  const ranksA = countsByRank(aides);
  let best = staffRanks.length;
  const pickT: number[] = [];
  const walkT = (i: number) => {
    if (i === ranksT.length) {
      const pickA: number[] = [];
      const walkA = (k: number) => {
        if (pickT.length + pickA.length >= best) return;
        if (k === ranksA.length) {
          if (pairedCapacity(plan, row, total, pickT, pickA) >= total) best = pickT.length + pickA.length;
          return;
        }
        const [rank, n] = ranksA[k]!;
        for (let c = 0; c <= n; c++) {
          for (let x = 0; x < c; x++) pickA.push(rank);
          walkA(k + 1);
          pickA.length -= c;
        }
      };
      walkA(0);
      return;
    }
    const [rank, n] = ranksT[i]!;
    for (let c = 0; c <= n; c++) {
      for (let x = 0; x < c; x++) pickT.push(rank);
      walkT(i + 1);
      pickT.length -= c;
    }
  };
  walkT(0);
  return best;
}

function countsByRank(ranks: readonly number[]): [number, number][] {
  const m = new Map<number, number>();
  for (const r of ranks) m.set(r, (m.get(r) ?? 0) + 1);
  return [...m.entries()];
}

function maxRankNotAide(plan: PackPlan): number {
  let lowest = Infinity;
  for (const r of plan.ranks.values()) if (!plan.aideRanks.has(r) && r < lowest) lowest = r;
  return lowest === Infinity ? 0 : lowest;
}

function pairsBasis(plan: PackPlan, row: RatioRow): string {
  const parts: string[] = [];
  for (const p of row.pairs ?? []) parts.push(`${p.children} with a ${p.teacherLevel.replace(/_/g, ' ')} and an ${p.aideLevel.replace(/_/g, ' ')} (${p.cite})`);
  if (row.aidesUnderLead) parts.push(`aides at 1:${row.childrenPerStaff} each while a ${row.aidesUnderLead.leadLevel.replace(/_/g, ' ')} supervises at most ${row.aidesUnderLead.maxChildrenPerLead} (${row.aidesUnderLead.cite})`);
  void plan;
  return `aides counted in pairs: ${parts.join('; ')}`;
}

/** The ratio the requirement rests on, for the words of an `over_ratio`. */
export function ratioUsed(plan: PackPlan, activity: Activity, limits: GroupLimits): RatioUsed {
  const band = plan.bands[limits.governing]!;
  const used: RatioUsed = { childrenPerStaff: limits.ratio, band: band.label, napTime: activity === 'nap' && band.napRatio !== undefined, mixed: limits.mixed };
  return limits.basis ? { ...used, basis: limits.basis } : used;
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
    params: { children: total, max: maxGroupSize, band: plan.bands[limits.governing]!.label, mixed: limits.mixed, cite: limits.mix ? limits.mix.cite : (row.groupSizeCite ?? row.cite) },
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
  context: GroupContext | null = null,
): number {
  const total = limits.total;
  const special = context !== null && (plan.needsAgeSpan || context.staffRanks !== null);
  if (pack.mixedAge.method === 'youngest_band' && !special) {
    // Closed form: the youngest band after the addition governs; required = ceil(n / r) <= counted, under the row allowing the most.
    const governing = limits.youngest === -1 ? bandIndex : Math.min(limits.youngest, bandIndex);
    const nap = activity === 'nap' ? plan.bands[governing]!.napRatio : undefined;
    if (nap !== undefined || plan.bands[governing]!.options.length <= 1) {
      const byRatio = counted * ratioFor(plan, pack, governing, activity);
      const cap = capFor(plan, pack, governing, activity, roomCap);
      return Math.max(0, Math.min(byRatio, cap ?? Infinity) - total);
    }
    let most = 0;
    for (const o of plan.bands[governing]!.options) {
      const c = plan.exempt.has(activity) ? roomCap : o.maxGroupSize === null ? roomCap : roomCap === null ? o.maxGroupSize : Math.min(o.maxGroupSize, roomCap);
      most = Math.max(most, Math.min(counted * o.childrenPerStaff, c ?? Infinity));
    }
    return Math.max(0, most - total);
  }
  // Other rules are not monotone in general (a majority can shift, a mix can form): add one at a time until one breaks.
  const isYounger = plan.bands[bandIndex]!.youngerThanLoadLimit;
  const from = plan.bands[bandIndex]!.fromMonths;
  const after1 =
    context === null ? null : { ...context, minMonths: Math.min(context.minMonths, from), maxMonths: Math.max(context.maxMonths, from) };
  const next = [...counts];
  let added = 0;
  for (;;) {
    next[bandIndex]! += 1;
    const after = groupLimits(plan, pack, activity, next, youngerThanLoadLimit + (isYounger ? added + 1 : 0), roomCap, after1);
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
