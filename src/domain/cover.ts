import type { DateTime } from 'luxon';
import type { CoarseCategory, Level, Role, RulePack } from './rule-pack.js';
import { evaluateRoom, type DayMemo } from './ratio/evaluate-room.js';
import { trainingsToCount } from './ratio/trainings.js';
import type { Group, PersonInRoom, RoomEvaluation, ViolationCode } from './ratio/types.js';

/**
 * What a breached group lacks in people: how many more counted people, at which
 * qualification levels, holding which age-specific trainings. Found by adding
 * hypothetical fully qualified people to the group and asking `evaluateRoom`
 * again, so the ratio arithmetic, the distribution pattern and supervision are
 * judged by the one engine, never here.
 */
export interface CoverShortfall {
  /** How many counted people must be added. */
  readonly additionalStaff: number;
  /** The level of each, in the order the pack's distribution pattern asks for them. */
  readonly needs: readonly Level[];
  /** The pack's training ids anyone counted here must hold because of the children's ages, sorted. */
  readonly trainings: readonly string[];
}

/** Breaches that more people cannot fix: the group itself must change. */
export const UNFIXABLE_BY_PEOPLE: readonly ViolationCode[] = ['over_group_size', 'below_minimum_age'];

/**
 * The smallest set of extra counted people that makes the group compliant, or
 * null when the group is compliant or a violation remains that people cannot fix
 * (over group size, a child under the minimum age). Among sets of the same size
 * the least qualified wins (an aide before an assistant teacher before a teacher).
 * `memo`: the caller's memo of the room's day, as `evaluateRoom` takes it.
 */
export function coverShortfall(pack: RulePack, group: Group, evaluation: RoomEvaluation, at: DateTime, memo?: DayMemo): CoverShortfall | null {
  if (evaluation.compliant) return null;
  if (evaluation.violations.some((v) => UNFIXABLE_BY_PEOPLE.includes(v.code))) return null;
  const levels = pack.levels.map((l) => l.level);
  const role = hypotheticalRole(pack);
  if (levels.length === 0 || role === null) return null;

  // Adding people never changes what the children require; a mix or supervision shortfall needs at least one.
  const first = Math.max(1, evaluation.requiredStaff - evaluation.countedStaff);
  for (let k = first; k <= first + levels.length; k++) {
    for (const ranks of candidates(levels.length, k)) {
      const added: PersonInRoom[] = ranks.map((r) => hypothetical(role, levels[r]!));
      const trial = evaluateRoom(pack, { ...group, people: [...group.people, ...added] }, at, { explain: false, memo });
      if (!trial.compliant) continue;
      const needs = orderByPattern(pack, countedLevels(evaluation), ranks.map((r) => levels[r]!));
      return { additionalStaff: k, needs, trainings: ageTrainings(pack, evaluation, role, needs) };
    }
  }
  return null;
}

/** A role that counts at the level it is given under this pack (teacher in every pack so far). */
function hypotheticalRole(pack: RulePack): Role | null {
  const order: Role[] = ['teacher', 'assistant_teacher', 'aide', 'substitute', 'director', 'volunteer', 'student'];
  for (const role of order) {
    const rule = pack.counting.find((c) => c.role === role);
    if (rule && rule.counts !== 'never') return role;
  }
  return null;
}

const hypotheticals = new Map<string, PersonInRoom>();
function hypothetical(role: Role, level: Level): PersonInRoom {
  const key = `${role}|${level}`;
  let person = hypotheticals.get(key);
  if (!person) {
    person = { role, qualifiesAs: level, qualified: true };
    hypotheticals.set(key, person);
  }
  return person;
}

const candidateLists = new Map<string, readonly (readonly number[])[]>();

/**
 * Every multiset of `k` level ranks (0 = lowest), cheapest first: by the sum of
 * ranks, then by the highest rank asked for. Each is listed highest rank first.
 */
function candidates(levelCount: number, k: number): readonly (readonly number[])[] {
  const key = `${levelCount}|${k}`;
  let list = candidateLists.get(key);
  if (!list) {
    const out: number[][] = [];
    const build = (prefix: number[], max: number) => {
      if (prefix.length === k) {
        out.push([...prefix]);
        return;
      }
      for (let r = max; r >= 0; r--) {
        prefix.push(r);
        build(prefix, r);
        prefix.pop();
      }
    };
    build([], levelCount - 1);
    const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
    out.sort((a, b) => sum(a) - sum(b) || a[0]! - b[0]! || compareLists(a, b));
    list = out;
    candidateLists.set(key, list);
  }
  return list;
}

function compareLists(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

function countedLevels(evaluation: RoomEvaluation): Level[] {
  const out: Level[] = [];
  for (const s of evaluation.staff) if (s.counted && s.countsAs !== null) out.push(s.countsAs);
  return out;
}

/**
 * Puts the added levels in the order the pack's distribution pattern asks for
 * them: walking the pattern's slots, the people already counted take the slots
 * they fit exactly first, then the added people do; anyone left over comes
 * last, most qualified first. Only the order of the answer depends on this; the
 * engine has already judged that the set works.
 */
function orderByPattern(pack: RulePack, existing: readonly Level[], added: readonly Level[]): Level[] {
  const rank = new Map(pack.levels.map((l, i) => [l.level, i] as const));
  const byRankDesc = (a: Level, b: Level) => (rank.get(b) ?? 0) - (rank.get(a) ?? 0);
  const dist = pack.distribution;
  if (!dist) return [...added].sort(byRankDesc);
  const have = [...existing];
  const pool = [...added];
  const out: Level[] = [];
  const take = (from: Level[], fits: (l: Level) => boolean): Level | null => {
    let best = -1;
    for (let i = 0; i < from.length; i++) {
      if (fits(from[i]!) && (best === -1 || (rank.get(from[i]!) ?? 0) < (rank.get(from[best]!) ?? 0))) best = i;
    }
    return best === -1 ? null : from.splice(best, 1)[0]!;
  };
  const slots = existing.length + added.length;
  for (let s = 1; s <= slots && pool.length > 0; s++) {
    const level = s <= dist.pattern.length ? dist.pattern[s - 1]! : dist.repeat ? dist.pattern[(s - 1) % dist.pattern.length]! : dist.beyond;
    const min = level === null ? 0 : (rank.get(level) ?? 0);
    const exact = (l: Level) => (rank.get(l) ?? 0) === min;
    const enough = (l: Level) => (rank.get(l) ?? 0) >= min;
    if (take(have, exact) !== null) continue;
    const fromPool = take(pool, exact);
    if (fromPool !== null) {
      out.push(fromPool);
      continue;
    }
    if (take(have, enough) !== null) continue;
    const higher = take(pool, enough);
    if (higher !== null) out.push(higher);
  }
  return [...out, ...pool.sort(byRankDesc)];
}

/**
 * The trainings anyone counted in this group must hold because of the children's
 * ages: those the engine requires for these categories (`trainingsToCount`) that
 * are not required for every age the pack serves (Minnesota infants: AHT and SUID;
 * orientation, first aid and CPR are everyone's and go without saying).
 */
function ageTrainings(pack: RulePack, evaluation: RoomEvaluation, role: Role, needs: readonly Level[]): string[] {
  const present = new Set<CoarseCategory>();
  const served = new Set<CoarseCategory>();
  for (const band of pack.bands) {
    served.add(band.coarse);
    if ((evaluation.byCategory[band.id] ?? 0) > 0) present.add(band.coarse);
  }
  const ids = new Set<string>();
  for (const level of new Set(needs)) {
    for (const t of trainingsToCount(pack, role, level, present)) {
      if ([...served].some((c) => !t.categories.includes(c))) ids.add(t.id);
    }
  }
  return [...ids].sort();
}
