import { UNFIXABLE_BY_PEOPLE } from '../cover.js';
import type { Group, PersonInRoom, ViolationCode } from '../ratio/types.js';
import type { Window } from '../windows.js';
import { piecesOf, standOver, type Piece, type PreparedRoom, type SearchContext, type Standing } from './judging.js';
import type { CombinedFigures, MergeRemedy, NotOffered, Refusal, Unverified } from './types.js';

/**
 * Combine rooms: the need room and one other judged as one group, piece by piece
 * through the window (their children and staff together, the activity of both or
 * else `normal`, the receiving room's own group-size limit), under the pack's
 * mixed-age rule as the engine applies it (Minnesota: the youngest band's ratio and
 * group size, a rule the pack marks unverified). Offered when
 * - the receiving room's licensed capacity holds the combined group at its fullest
 *   (the smaller group moves into the larger one's room when that room holds all,
 *   else the other way round);
 * - the combined group is compliant in every piece; and
 * - one of the rooms would not be alone, or combining frees a counted person.
 */
export function findMerges(ctx: SearchContext): { remedies: MergeRemedy[]; notOffered: NotOffered[] } {
  const { need } = ctx.input;
  const room = ctx.rooms.get(need.room);
  const remedies: MergeRemedy[] = [];
  if (!room || mergedDuring(room, need)) return { remedies, notOffered: [] };
  for (const other of ctx.rooms.values()) {
    if (other === room || mergedDuring(other, need)) continue;
    const judged = judgeCombination(ctx, room, other, { start: need.start, end: need.end });
    if (!('into' in judged)) continue;
    if (judged.aloneCompliant[0] && judged.aloneCompliant[1] && judged.freed.length === 0) continue;
    remedies.push({
      kind: 'merge',
      key: `merge:${judged.from}>${judged.into}@${need.start}-${need.end}`,
      into: judged.into,
      from: judged.from,
      start: need.start,
      end: need.end,
      combined: judged.combined,
      freed: judged.freed,
      margin: judged.standing.margin,
      unverified: judged.unverified,
      rank: [{ code: 'nobody_new', params: { margin: judged.standing.margin } }],
    });
  }
  return { remedies, notOffered: [] };
}

/** Whether the room is merged with another (either way) for part of `window`: it is not combined again. */
export function mergedDuring(r: PreparedRoom, window: Window): boolean {
  const day = r.room.day;
  const windows = [...(day.mergedAway ?? []), ...(day.mergedIn ?? []).flatMap((m) => m.windows)];
  return windows.some((w) => w.start < window.end && window.start < w.end);
}

/** Two rooms judged as one group through a window. */
export interface Combination {
  readonly into: string;
  readonly from: string;
  readonly standing: Standing;
  /** At the fullest piece. */
  readonly combined: CombinedFigures;
  /** Ids of counted people who could leave the combined group for the window, one after another (the moving room's first). */
  readonly freed: readonly string[];
  readonly unverified: Unverified | null;
  /** Each room alone through the window, in the order given. */
  readonly aloneCompliant: readonly [boolean, boolean];
  /** The most staff each room needs alone at the same moment, summed, and the combined group's most. */
  readonly staffSeparately: number;
  readonly staffCombined: number;
}

/**
 * `a` and `b` judged as one group through `window`, or why they cannot be.
 * `staffed` false (planning ahead): only what people cannot fix refuses (over group
 * size, a child under the minimum age), not the staff planned.
 */
export function judgeCombination(ctx: SearchContext, a: PreparedRoom, b: PreparedRoom, window: Window, staffed = true): Combination | Refusal {
  const pieces = piecesOf([a, b], window);
  let peakA = 0;
  let peakB = 0;
  let peak = 0;
  for (const p of pieces) {
    const na = p.groups[0]!.children.length;
    const nb = p.groups[1]!.children.length;
    peakA = Math.max(peakA, na);
    peakB = Math.max(peakB, nb);
    peak = Math.max(peak, na + nb);
  }
  // The smaller group moves into the room of the larger one, if that room holds all.
  const order: readonly [PreparedRoom, PreparedRoom][] = peakB > peakA ? [[b, a], [a, b]] : [[a, b], [b, a]];
  const holds = (r: PreparedRoom) => r.room.capacity === null || r.room.capacity >= peak;
  const chosen = order.find(([into]) => holds(into));
  if (!chosen) {
    const [into] = order[0]!;
    return { code: 'over_capacity', params: { room: into.room.id, capacity: into.room.capacity!, children: peak } };
  }
  const [into, from] = chosen;
  const intoIndex = into === a ? 0 : 1;
  const limit = into.room.day.maxGroupSize ?? null;
  const combine = (p: Piece, without: ReadonlySet<PersonInRoom> | null = null): Group => {
    const x = p.groups[intoIndex]!;
    const y = p.groups[1 - intoIndex]!;
    let people = [...x.people, ...y.people];
    if (without) people = people.filter((q) => !without.has(q));
    return { activity: x.activity === y.activity ? x.activity : 'normal', children: [...x.children, ...y.children], people, maxGroupSize: limit };
  };
  const standing = standOver(ctx, pieces, (p) => combine(p));
  const refused = staffed ? standing.firstBreach : firstUnfixable(standing, pieces);
  if (refused) return { code: 'combined_not_compliant', params: { at: refused.at, violations: refused.violations } };

  // Who could leave: counted people of the moving room first, one by one, the group still compliant everywhere.
  const idOf = new Map<PersonInRoom, string>();
  for (const r of [from, into]) r.room.day.people.forEach((d, i) => idOf.set(d, r.room.personIds[i] ?? `${r.room.id}#${i}`));
  const counted = new Set<PersonInRoom>();
  pieces.forEach((p, k) => {
    const group = combine(p);
    standing.evaluations[k]!.staff.forEach((s, i) => {
      if (s.counted) counted.add(group.people[i]!);
    });
  });
  const removed = new Set<PersonInRoom>();
  const freed: string[] = [];
  for (const r of standing.compliant ? [from, into] : []) {
    for (const person of r.room.day.people) {
      if (!counted.has(person)) continue;
      removed.add(person);
      if (standOver(ctx, pieces, (p) => combine(p, removed)).compliant) freed.push(idOf.get(person)!);
      else removed.delete(person);
    }
  }

  let fullest = 0;
  standing.evaluations.forEach((e, k) => {
    if (e.children > standing.evaluations[fullest]!.children) fullest = k;
  });
  const top = standing.evaluations[fullest];
  const combined: CombinedFigures = top
    ? { children: top.children, byCategory: top.byCategory, requiredStaff: top.requiredStaff, countedStaff: top.countedStaff, maxGroupSize: top.maxGroupSize }
    : { children: 0, byCategory: {}, requiredStaff: 0, countedStaff: 0, maxGroupSize: null };
  const mixed = standing.evaluations.some((e) => Object.values(e.byCategory).filter((n) => n > 0).length > 1);
  const rule = ctx.pack.mixedAge;
  const unverified = mixed && rule.verified !== true ? { cite: rule.cite, verified: rule.verified } : null;

  const aloneA = standOver(ctx, pieces, (p) => p.groups[0]!);
  const aloneB = standOver(ctx, pieces, (p) => p.groups[1]!);
  let staffSeparately = 0;
  for (let k = 0; k < pieces.length; k++) staffSeparately = Math.max(staffSeparately, aloneA.evaluations[k]!.requiredStaff + aloneB.evaluations[k]!.requiredStaff);
  const staffCombined = standing.evaluations.reduce((m, e) => Math.max(m, e.requiredStaff), 0);
  return {
    into: into.room.id,
    from: from.room.id,
    standing,
    combined,
    freed,
    unverified,
    aloneCompliant: [aloneA.compliant, aloneB.compliant],
    staffSeparately,
    staffCombined,
  };
}

/** The first piece with a violation more people cannot fix. */
function firstUnfixable(standing: Standing, pieces: readonly Piece[]): { at: number; violations: readonly ViolationCode[] } | null {
  for (let k = 0; k < pieces.length; k++) {
    const codes = standing.evaluations[k]!.violations.map((v) => v.code);
    if (codes.some((c) => UNFIXABLE_BY_PEOPLE.includes(c))) return { at: pieces[k]!.start, violations: [...codes].sort() };
  }
  return null;
}
