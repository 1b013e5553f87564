/**
 * Staff distribution: whether the counted people present make the mix of
 * levels the pack requires (the pattern of slots, a night program's lead,
 * the stand-ins a pack allows at some activities).
 */
import type { DateTime } from 'luxon';
import type { DistributionSlotSubstitute, Level, NightCareRule, RulePack } from '../rule-pack.js';
import { compareCivil, dayNumber, parseCivilDate, type CivilDate } from '../calendar.js';
import { personAge, type Judged } from './counting.js';
import { windowsRefusal } from './day-hours.js';
import { labelOf, type PackPlan } from './pack-plan.js';
import { expiresOn, latestCompletion } from './trainings.js';
import { addNote, type Group, type NoteReason, type PersonInRoom, type Violation } from './types.js';

/**
 * Judges the pack's required mix of levels over the counted people present:
 * the first min(required, counted) slots of the pattern must each be filled by
 * a distinct person of at least the slot's level.
 */
export function judgeDistribution(
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
  notes: NoteReason[],
  explain: boolean,
  leadLevel: Level | null = null,
): Violation | null {
  const dist = pack.distribution;
  // A lead a minimum asks for (a listed mix, an activity) rides on the pack's distribution: packs with one have one.
  if (!dist || requiredStaff === 0 || countedStaff === 0) return null;
  const leadRank = leadLevel === null ? -1 : (plan.ranks.get(leadLevel) ?? -1);
  const slots = Math.min(requiredStaff, countedStaff);

  // First, with one small array: can every slot be filled as the pattern stands?
  // (Hall's condition for nested thresholds: at each level, no more slots need
  // it or better than there are people holding it or better.)
  const levelCount = pack.levels.length;
  const have = new Array<number>(levelCount).fill(0);
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
      if (slotMin(plan, dist.repeat, s, night, asleepRelief, leadRank) >= level) needed += 1;
    }
    if (needed > atLeast) fits = false;
  }
  if (fits) return null; // substitutions only ever relax a slot

  const rank = plan.ranks;
  const mins: number[] = [];
  for (let s = 1; s <= slots; s++) mins.push(slotMin(plan, dist.repeat, s, night, asleepRelief, leadRank));
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
  if (night === null) for (const s of dist.substitutes) if (s.activity === group.activity && s.slot <= slots && !(s.slot === 1 && leadRank >= 0)) applicable.push(s);
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

  if (!explain) return { code: 'staff_distribution', reason: null };
  const failing = shortfall(relaxed, ranks)!;
  // An exception the engine does not apply is named when it alone would have filled the failing slot.
  for (const e of night === null ? (dist.exceptionsNotApplied ?? []) : []) {
    const level = rank.get(e.level);
    if (e.slot !== failing.slot || level === undefined || !ranks.includes(level)) continue;
    const withException = [...relaxed];
    withException[e.slot - 1] = Math.min(withException[e.slot - 1]!, level);
    if (shortfall(withException, ranks) === null) addNote(notes, { code: 'pack_note', params: { text: e.text } });
  }
  return {
    code: 'staff_distribution',
    reason: {
      code: 'staff_distribution',
      params: {
        slot: failing.slot,
        level: pack.levels[failing.rank]!.label,
        highest: failing.rank === pack.levels.length - 1,
        night: night === null ? null : asleepRelief ? 'asleep' : 'awake',
        activity: group.activity,
        standIns: applicable
          .filter((s) => s.slot === failing.slot)
          .map((s) => ({ level: labelOf(pack, s.level), meeting: Object.keys(s.conditions).length ? s.cite : null })),
        staff: levelsHeld(pack, ranks),
        cite: dist.cite,
        nightCite: night === null ? null : night.cite,
      },
    },
  };
}

/** The rank slot `slot` needs, by day or at night, with slot 1 raised to a lead rank a minimum asks for (-1: none). */
function slotMin(plan: PackPlan, repeat: boolean, slot: number, night: NightCareRule | null, asleepRelief: boolean, leadRank: number): number {
  const m = night === null ? slotRank(plan, repeat, slot) : nightSlotRank(plan, repeat, slot, night, asleepRelief);
  return slot === 1 && leadRank > m ? leadRank : m;
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

/** How many counted people hold each level, highest first (a rank the pack does not know, -1, last). */
function levelsHeld(pack: RulePack, ranks: readonly number[]): { level: string | null; count: number }[] {
  const out: { level: string | null; count: number }[] = [];
  let top = -1;
  for (const r of ranks) if (r > top) top = r;
  for (let r = top; r >= -1; r--) {
    let n = 0;
    for (const x of ranks) if (x === r) n += 1;
    if (n === 0) continue;
    out.push({ level: pack.levels[r]?.label ?? null, count: n });
  }
  return out;
}
