/**
 * The remedy search: what could fix one cover need (a room short of counted people
 * for a window), over plain data — the center's rooms' day inputs as the forecast
 * takes them, the people, the pack, the need. Pure: no clock, no I/O; the instant
 * labels describe is an argument (`now`).
 *
 * Every remedy is checked by the one engine before it is offered: the affected
 * rooms' forecast timelines (reality before plan, `roomTimeline`) cut to the window,
 * each piece judged by `evaluateRoom` with the change applied (`judging.ts`).
 *
 * Ranking (`findRemedies`):
 * 1. remedies that need nobody new — moves (`move.ts`) and merges (`merge.ts`) —
 *    by the margin they leave (counted people who could still leave, where it is
 *    tightest: the source room's for a move, the combined group's for a merge), most
 *    first; then a move before a merge; then by key;
 * 2. call-ins (`call-in.ts`): people free for the whole window, then pairs of
 *    partial windows that together cover it, then those available today; within
 *    each, who has worked in the room, fewer hours this week, the longer part, name.
 * Each remedy carries its rank reasons (codes with parameters) and each person what
 * is true of them now (`PersonLabel`); the words are `src/words/remedies.ts`.
 *
 * `thinHours` (`thin-hours.ts`) answers the day plan's question ahead of time: which
 * rooms may be one group in the first and last 90 minutes, and how many staff that frees.
 */
import { findCallIns } from './call-in.js';
import { searchContext } from './judging.js';
import { findMerges } from './merge.js';
import { checkMove, findMoves } from './move.js';
import { judgeCombination, mergedDuring } from './merge.js';
import type { NotOffered, Refusal, Remedy, RemedyInput, RemedyPanel } from './types.js';

export type * from './types.js';
export { thinHours, type ThinHourCombination, type ThinHoursInput } from './thin-hours.js';
export { longestStretch } from './call-in.js';
export { judgeCombination, type Combination } from './merge.js';
export { searchContext, type SearchContext } from './judging.js';

/** The ranked remedies for `input.need`, and the people not offered with why. */
export function findRemedies(input: RemedyInput): RemedyPanel {
  if (!input.rooms.some((r) => r.id === input.need.room) || !(input.need.start < input.need.end)) {
    return { need: input.need, remedies: [], notOffered: [] };
  }
  const ctx = searchContext(input);
  const moves = findMoves(ctx);
  const merges = findMerges(ctx);
  const calls = findCallIns(ctx);

  const kindOrder = { move: 0, merge: 1, call_in: 2 } as const;
  const margin = (r: Remedy) => (r.kind === 'move' ? r.source.margin : r.kind === 'merge' ? r.margin : 0);
  const nobodyNew: Remedy[] = [...moves.remedies, ...merges.remedies].sort(
    (a, b) => margin(b) - margin(a) || kindOrder[a.kind] - kindOrder[b.kind] || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
  const tier = { whole: 0, pair: 1, today: 2 } as const;
  // Call-ins come ranked within each tier; a stable sort keeps that order.
  const callIns = [...calls.remedies].sort((a, b) => tier[a.coverage] - tier[b.coverage]);

  // One line per person not offered: a person in several rooms keeps the first reason found.
  const seen = new Set<string>();
  const notOffered: NotOffered[] = [];
  const offered = new Set<string>();
  for (const r of [...nobodyNew, ...callIns]) {
    if (r.kind === 'move') offered.add(r.person);
    if (r.kind === 'call_in') for (const p of r.people) offered.add(p.person);
  }
  for (const n of [...moves.notOffered, ...calls.notOffered]) {
    if (offered.has(n.person) || seen.has(n.person)) continue;
    seen.add(n.person);
    notOffered.push(n);
  }
  return { need: input.need, remedies: [...nobodyNew, ...callIns], notOffered };
}

/**
 * Whether `remedy` (found earlier for `input.need`) is still offered on the day as it is
 * now: the same remedy (same key) found again, or why not (null when no reason applies,
 * e.g. a call-in now outranked by nobody but no longer found). For an action taken
 * after the panel was shown: a remedy that became illegal in the meantime is refused
 * with the reason.
 */
export function recheckRemedy(input: RemedyInput, remedy: Remedy): { readonly ok: true; readonly remedy: Remedy } | { readonly ok: false; readonly why: Refusal | null } {
  if (!input.rooms.some((r) => r.id === input.need.room)) return { ok: false, why: { code: 'unknown_room', params: { room: input.need.room } } };
  const ctx = searchContext(input);
  if (remedy.kind === 'move') {
    const place = (ctx.places.get(remedy.person) ?? []).find((p) => p.room.room.id === remedy.from);
    if (!place) return { ok: false, why: { code: 'not_in_room', params: { room: remedy.from } } };
    const checked = checkMove(ctx, remedy.person, place);
    if (checked === null) return { ok: false, why: { code: 'not_in_room', params: { room: remedy.from } } };
    return 'kind' in checked ? { ok: true, remedy: checked } : { ok: false, why: checked };
  }
  if (remedy.kind === 'merge') {
    const into = ctx.rooms.get(remedy.into);
    const from = ctx.rooms.get(remedy.from);
    if (!into || !from) return { ok: false, why: { code: 'unknown_room', params: { room: into ? remedy.from : remedy.into } } };
    for (const r of [from, into]) if (mergedDuring(r, remedy)) return { ok: false, why: { code: 'already_merged', params: { room: r.room.id } } };
    const judged = judgeCombination(ctx, into, from, { start: remedy.start, end: remedy.end });
    if (!('into' in judged)) return { ok: false, why: judged };
  }
  const panel = findRemedies(input);
  const again = panel.remedies.find((r) => r.key === remedy.key);
  if (again) return { ok: true, remedy: again };
  const people = remedy.kind === 'call_in' ? remedy.people.map((p) => p.person) : [];
  const why = panel.notOffered.find((n) => people.includes(n.person))?.why ?? null;
  return { ok: false, why };
}
