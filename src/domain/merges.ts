/**
 * Room merges as the engine sees them: while a merge is in force, the moving room's
 * children and people are judged as part of the receiving room's group, the very
 * combination the remedy search judged (`remedies/merge.ts`): both groups' children
 * and people together, the activity of both or else `normal`, the receiving room's own
 * group-size limit. An overlay on what is loaded: presences are never rewritten, so
 * ending a merge moves nothing back and a check-in to the moving room during the merge
 * counts in the combined group. Pure: instants are epoch ms, windows half-open.
 */
import type { RoomDay } from './forecast.js';
import type { Group } from './ratio/types.js';
import type { Window } from './windows.js';

export interface MergeWindow extends Window {
  /** The moving room. */
  readonly from: string;
  /** The receiving room. */
  readonly into: string;
}

/** The merges in force at `at`. */
export function mergesAt<M extends MergeWindow>(merges: readonly M[], at: number): M[] {
  return merges.filter((m) => m.start <= at && at < m.end);
}

/** The receiving room's group with the moving rooms' groups joined to it (in the order given). */
export function combineGroups(into: Group, moving: readonly Group[]): Group {
  if (moving.length === 0) return into;
  const activity = moving.every((g) => g.activity === into.activity) ? into.activity : 'normal';
  return {
    ...into,
    activity,
    children: [...into.children, ...moving.flatMap((g) => g.children)],
    people: [...into.people, ...moving.flatMap((g) => g.people)],
    maxGroupSize: into.maxGroupSize,
  };
}

/**
 * The rooms' days with the merges laid over them: a receiving room's day carries the
 * moving room's day for the merge's windows (`mergedIn`), the moving room's day the
 * windows in which nobody is judged in it alone (`mergedAway`). Rooms not merged keep
 * their day object. A merge naming a room not in `days`, or a room merged into itself,
 * is left out.
 */
export function withMerges(days: ReadonlyMap<string, RoomDay>, merges: readonly MergeWindow[]): Map<string, RoomDay> {
  const out = new Map(days);
  const away = new Map<string, Window[]>();
  const into = new Map<string, Map<string, Window[]>>();
  for (const m of merges) {
    if (m.from === m.into || !days.has(m.from) || !days.has(m.into) || !(m.start < m.end)) continue;
    let list = away.get(m.from);
    if (!list) away.set(m.from, (list = []));
    list.push({ start: m.start, end: m.end });
    let byFrom = into.get(m.into);
    if (!byFrom) into.set(m.into, (byFrom = new Map()));
    let windows = byFrom.get(m.from);
    if (!windows) byFrom.set(m.from, (windows = []));
    windows.push({ start: m.start, end: m.end });
  }
  for (const [id, windows] of away) out.set(id, { ...out.get(id)!, mergedAway: windows });
  for (const [id, byFrom] of into) {
    const mergedIn = [...byFrom].map(([from, windows]) => ({ room: from, day: days.get(from)!, windows }));
    out.set(id, { ...out.get(id)!, mergedIn });
  }
  return out;
}
