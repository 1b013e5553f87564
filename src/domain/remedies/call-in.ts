import type { CoarseCategory } from '../rule-pack.js';
import { evaluatePerson } from '../ratio/counting.js';
import type { PersonInRoom, PersonReason, RoomEvaluation } from '../ratio/types.js';
import { normalize, type Window } from '../windows.js';
import { labelOf, nowOf } from './labels.js';
import { inWindows, piecesOf, standOver, withPerson, type Piece, type PreparedRoom, type SearchContext, type Standing } from './judging.js';
import type { CallInPart, CallInRemedy, NotOffered, PersonLabel, RankReason, RemedyPerson, RoomAfter } from './types.js';

/**
 * Call someone in: people not working in the window whom the engine counts in the
 * need room through the part they would cover (the level, age, background study and
 * the trainings the room's ages need, valid at every piece of it), in three tiers:
 * 1. free for the whole window (their stated availability covers it);
 * 2. pairs of partial windows that together cover it, the first from the window's
 *    start until their availability ends, the second from then to the window's end;
 * 3. available today: the partial ones left over (for their part) and those
 *    available only outside the window (as if they came for all of it).
 * Each is offered only if the need room, with them there for their part, holds
 * through the window or is short of fewer people than before. Within a tier: who
 * has worked in the room before, then fewer hours this week, then the longer part,
 * then name and id. Someone with a shift in another room overlapping the window is
 * a move, not a call-in.
 */
export function findCallIns(ctx: SearchContext): { remedies: CallInRemedy[]; notOffered: NotOffered[] } {
  const { need } = ctx.input;
  const room = ctx.rooms.get(need.room);
  if (!room) return { remedies: [], notOffered: [] };
  const window: Window = { start: need.start, end: need.end };
  const pieces = piecesOf([room], window);
  const base = standOver(ctx, pieces, (p) => p.groups[0]!);
  const now = nowOf(ctx);

  const whole: Candidate[] = [];
  const partial: Candidate[] = [];
  const today: Candidate[] = [];
  const notOffered: NotOffered[] = [];

  for (const person of ctx.input.people) {
    const places = ctx.places.get(person.id) ?? [];
    if (places.some((p) => p.room.room.id === need.room && p.day.shifts.some((s) => s.start < need.end && need.start < s.end))) {
      notOffered.push({ person: person.id, label: labelOf(ctx, person.id, now), why: { code: 'already_in_room', params: { room: need.room } } });
      continue;
    }
    const clash = places.find((p) => p.room.room.id !== need.room && p.day.shifts.some((s) => s.start < need.end && need.start < s.end));
    if (clash) {
      const shift = clash.day.shifts.find((s) => s.start < need.end && need.start < s.end)!;
      const label = labelOf(ctx, person.id, now);
      notOffered.push({ person: person.id, label, why: { code: 'scheduled_elsewhere', params: { room: clash.room.room.id, start: shift.start, end: shift.end } } });
      continue;
    }
    const stretch = longestStretch(person.available, window);
    const part = stretch ?? window;
    const partPieces = pieces.filter((p) => p.start < part.end && part.start < p.end);
    const missing = notCountedIn(ctx, partPieces, person.person);
    if (missing) {
      const pending = pendingLabel(ctx, partPieces, person);
      notOffered.push({ person: person.id, label: labelOf(ctx, person.id, now, pending), why: { code: 'not_counted', params: { room: need.room, missing } } });
      continue;
    }
    if (person.available.length === 0) {
      notOffered.push({ person: person.id, label: labelOf(ctx, person.id, now), why: { code: 'not_available', params: {} } });
      continue;
    }
    const candidate: Candidate = { person, part: stretch, label: labelOf(ctx, person.id, now), knows: (person.knowsRooms ?? []).includes(need.room) };
    if (stretch && stretch.start === window.start && stretch.end === window.end) whole.push(candidate);
    else if (stretch) partial.push(candidate);
    else today.push(candidate);
  }

  const remedies: CallInRemedy[] = [];
  const helps = (after: Standing) => after.compliant || after.stillShort < base.stillShort;

  for (const c of whole.sort(byRank)) {
    const after = standWith(ctx, room, window, [{ person: c.person.person, part: window }]);
    if (!helps(after)) {
      notOffered.push({ person: c.person.id, label: c.label, why: needNotMet(need.room, after) });
      continue;
    }
    remedies.push(callIn('whole', [part(c, window)], targetOf(need.room, after), [{ code: 'free_whole_window', params: {} }, ...extras(c)]));
  }

  // Pairs: the first from the window's start, the second to its end, handing over where the first's availability ends.
  const paired = new Set<string>();
  const firsts = partial.filter((c) => c.part!.start === window.start).sort(byRank);
  const seconds = partial.filter((c) => c.part!.end === window.end).sort(byRank);
  let pairs = 0;
  for (const a of firsts) {
    if (pairs >= MAX_PAIRS) break;
    for (const b of seconds) {
      if (b.person.id === a.person.id || b.part!.start > a.part!.end) continue;
      const handoff = a.part!.end;
      const first = { start: window.start, end: handoff };
      const second = { start: handoff, end: window.end };
      const after = standWith(ctx, room, window, [
        { person: a.person.person, part: first },
        { person: b.person.person, part: second },
      ]);
      if (!helps(after)) continue;
      remedies.push(callIn('pair', [part(a, first), part(b, second)], targetOf(need.room, after), [{ code: 'pair_covers_window', params: { handoff } }, ...extras(a)]));
      paired.add(a.person.id).add(b.person.id);
      pairs += 1;
      break;
    }
  }

  // Available today: partial ones not paired (for their part), then those free only outside the window (for all of it).
  const left = [...partial.filter((c) => !paired.has(c.person.id)), ...today].sort(byRank);
  for (const c of left) {
    const stretch = c.part ?? window;
    const after = standWith(ctx, room, window, [{ person: c.person.person, part: stretch }]);
    // A partial one counts for their part (checked above) and is offered for it; one free only outside the window must help.
    if (c.part === null && !helps(after)) {
      notOffered.push({ person: c.person.id, label: c.label, why: needNotMet(need.room, after) });
      continue;
    }
    const rank: RankReason = { code: 'available_today', params: c.part ? { start: c.part.start, end: c.part.end } : {} };
    remedies.push(callIn('today', [part(c, stretch)], targetOf(need.room, after), [rank, ...extras(c)]));
  }
  return { remedies, notOffered };
}

/** At most this many pairs are offered (the best first ones, each with its best partner). */
const MAX_PAIRS = 5;

interface Candidate {
  readonly person: RemedyPerson;
  /** The longest stretch of the window they are available for; null: none. */
  readonly part: Window | null;
  readonly label: PersonLabel;
  readonly knows: boolean;
}

function byRank(a: Candidate, b: Candidate): number {
  const len = (c: Candidate) => (c.part ? c.part.end - c.part.start : 0);
  return (
    Number(b.knows) - Number(a.knows) ||
    (a.person.hoursThisWeek ?? 0) - (b.person.hoursThisWeek ?? 0) ||
    len(b) - len(a) ||
    (a.person.name ?? '').localeCompare(b.person.name ?? '') ||
    (a.person.id < b.person.id ? -1 : a.person.id > b.person.id ? 1 : 0)
  );
}

function extras(c: Candidate): RankReason[] {
  const out: RankReason[] = [];
  if (c.knows) out.push({ code: 'knows_room', params: {} });
  if (c.person.hoursThisWeek !== undefined) out.push({ code: 'hours_this_week', params: { hours: Math.round(c.person.hoursThisWeek * 10) / 10 } });
  return out;
}

function part(c: Candidate, w: Window): CallInPart {
  return { person: c.person.id, start: w.start, end: w.end, label: c.label };
}

function callIn(coverage: CallInRemedy['coverage'], people: CallInPart[], target: RoomAfter, rank: RankReason[]): CallInRemedy {
  const key = `call_in:${people.map((p) => `${p.person}@${p.start}-${p.end}`).join('+')}`;
  return { kind: 'call_in', key, coverage, people, target, rank };
}

function targetOf(room: string, after: Standing): RoomAfter {
  return { room, margin: after.margin, stillShort: after.stillShort };
}

function needNotMet(room: string, after: Standing): NotOffered['why'] {
  const breach = after.firstBreach!;
  return { code: 'need_not_met', params: { room, at: breach.at, violations: breach.violations } };
}

/** The need room over the window with each person added in their part. */
function standWith(ctx: SearchContext, room: PreparedRoom, window: Window, added: readonly { person: PersonInRoom; part: Window }[]): Standing {
  const cuts = added.flatMap((a) => [a.part.start, a.part.end]);
  const pieces = piecesOf([room], window, cuts);
  return standOver(ctx, pieces, (p) => {
    let group = p.groups[0]!;
    for (const a of added) if (inWindows([a.part], p.start)) group = withPerson(group, a.person);
    return group;
  });
}

/** The coarse categories of the children in an evaluation. */
function categoriesOf(ctx: SearchContext, e: RoomEvaluation): CoarseCategory[] {
  const out = new Set<CoarseCategory>();
  for (const band of ctx.pack.bands) if ((e.byCategory[band.id] ?? 0) > 0) out.add(band.coarse);
  return [...out];
}

/**
 * Null when the engine counts `person` in the room at every piece (with them added),
 * else what they lack where they first do not count.
 */
function notCountedIn(ctx: SearchContext, pieces: readonly Piece[], person: PersonInRoom): PersonReason[] | null {
  for (const piece of pieces) {
    const group = withPerson(piece.groups[0]!, person);
    const e = ctx.judge(group, piece.start);
    const standing = e.staff[group.people.indexOf(person)];
    if (standing && standing.counted) continue;
    const judged = evaluatePerson(ctx.pack, person, categoriesOf(ctx, e), ctx.instant(piece.start));
    return judged.missing.length > 0 ? [...judged.missing] : [{ code: 'does_not_count', params: {} }];
  }
  return null;
}

/** `pending_review` when one of the person's trainings awaiting review would make them count. */
function pendingLabel(ctx: SearchContext, pieces: readonly Piece[], person: RemedyPerson): PersonLabel | null {
  const pending = person.pending ?? [];
  if (pending.length === 0) return null;
  const all: PersonInRoom = { ...person.person, trainings: [...(person.person.trainings ?? []), ...pending] };
  if (notCountedIn(ctx, pieces, all) !== null) return null;
  // The first record that is enough on its own, else the first one.
  const deciding =
    pending.find((r) => notCountedIn(ctx, pieces, { ...person.person, trainings: [...(person.person.trainings ?? []), r] }) === null) ?? pending[0]!;
  const label = ctx.pack.trainings.find((t) => t.id === deciding.id)?.label ?? deciding.id;
  return { code: 'pending_review', params: { training: deciding.id, label } };
}

/** The longest stretch of `window` covered by `available` (merged), or null. */
export function longestStretch(available: readonly Window[], window: Window): Window | null {
  let best: Window | null = null;
  for (const w of normalize(available)) {
    const start = Math.max(w.start, window.start);
    const end = Math.min(w.end, window.end);
    if (start < end && (!best || end - start > best.end - best.start)) best = { start, end };
  }
  return best;
}
