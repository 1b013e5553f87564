import type { DateTime } from 'luxon';
import type { CoarseCategory, Level, RulePack } from './rule-pack.js';
import { eligibilityFor, type PersonOnFile } from './eligibility.js';
import type { LevelName, PersonReason } from './ratio/types.js';

/**
 * Matching people to a cover request: who may legally be counted in the room
 * through the window (the eligibility engine), who is free, and in what order
 * to ask them, with the reasons for the order shown.
 */

export interface Span {
  readonly start: DateTime;
  readonly end: DateTime;
}

export interface CoverCandidate {
  readonly id: string;
  readonly name: string;
  readonly person: PersonOnFile;
  /** When the person is available that day (weekly windows and any "I can come in today" toggle). */
  readonly available: readonly Span[];
  /** Shifts already planned elsewhere that day. */
  readonly busy: readonly Span[];
  /** Planned and worked hours in the week of the window. */
  readonly hoursThisWeek: number;
  /** Has worked in this room before. */
  readonly knowsRoom: boolean;
}

export interface RankedCandidate {
  readonly candidate: CoverCandidate;
  /** The part of the window the person can cover (the whole window when `whole`). */
  readonly covers: Span;
  readonly whole: boolean;
  /** Why the person stands where they do, in words, most important first. */
  readonly reasons: readonly string[];
}

export interface MatchOptions {
  /** The lowest level anyone taking this cover must count at (null or absent: any level that counts). */
  readonly minLevel?: Level | null;
}

export interface Match {
  readonly eligible: readonly RankedCandidate[];
  /** Eligible but not free: scheduled elsewhere or not available in the window. */
  readonly unavailable: readonly { readonly candidate: CoverCandidate; readonly why: string }[];
  /** Not eligible for the room, with everything they lack ("one training away"). */
  readonly ineligible: readonly { readonly candidate: CoverCandidate; readonly missing: readonly PersonReason[] }[];
}

const hhmm = (t: DateTime) => t.toFormat('HH:mm');

function overlaps(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end; // half-open: touching spans do not overlap
}

/**
 * The longest stretch of `window` the candidate is available for, or null.
 * Availability spans are merged first, so 13:00-15:00 and 15:00-17:00 cover 13:00-17:00.
 */
export function longestAvailableStretch(available: readonly Span[], window: Span): Span | null {
  const spans = available
    .filter((s) => overlaps(s, window))
    .map((s) => ({ start: s.start < window.start ? window.start : s.start, end: s.end > window.end ? window.end : s.end }))
    .sort((a, b) => a.start.toMillis() - b.start.toMillis());
  let best: Span | null = null;
  let current: { start: DateTime; end: DateTime } | null = null;
  for (const s of spans) {
    if (current && s.start <= current.end) {
      if (s.end > current.end) current.end = s.end;
    } else {
      current = { start: s.start, end: s.end };
    }
    if (!best || current.end.toMillis() - current.start.toMillis() > best.end.toMillis() - best.start.toMillis()) {
      best = { start: current.start, end: current.end };
    }
  }
  return best;
}

/**
 * Candidates for a window in a room of `categories`: eligible people ranked
 * (whole window before part, then those who know the room, then fewer hours
 * this week), eligible people who are not free, and ineligible people with
 * what they lack. Eligibility is judged for the part each person would cover.
 */
export function matchCandidates(
  pack: RulePack,
  categories: readonly CoarseCategory[],
  window: Span,
  candidates: readonly CoverCandidate[],
  opts: MatchOptions = {},
): Match {
  const minLevel = opts.minLevel ?? null;
  const eligible: RankedCandidate[] = [];
  const unavailable: { candidate: CoverCandidate; why: string }[] = [];
  const ineligible: { candidate: CoverCandidate; missing: readonly PersonReason[] }[] = [];

  for (const candidate of candidates) {
    const stretch = longestAvailableStretch(candidate.available, window);
    const judged = eligibilityFor(pack, candidate.person, categories, stretch ?? window);
    if (!judged.eligible) {
      ineligible.push({ candidate, missing: judged.missing });
      continue;
    }
    if (!meetsLevel(pack, judged.countsAs, minLevel)) {
      ineligible.push({ candidate, missing: [{ code: 'below_cover_level', params: { countsAs: levelName(pack, judged.countsAs), needs: levelName(pack, minLevel) } }] });
      continue;
    }
    const clash = candidate.busy.find((b) => overlaps(b, window));
    if (clash) {
      unavailable.push({ candidate, why: `Scheduled elsewhere ${hhmm(clash.start)}–${hhmm(clash.end)}` });
      continue;
    }
    if (!stretch) {
      unavailable.push({ candidate, why: 'Not available in this window' });
      continue;
    }
    const whole = stretch.start.equals(window.start) && stretch.end.equals(window.end);
    const reasons = [
      whole ? 'Available for the whole window' : `Available ${hhmm(stretch.start)}–${hhmm(stretch.end)} only`,
      ...(candidate.knowsRoom ? ['Has worked in this room before'] : []),
      `${formatHours(candidate.hoursThisWeek)} this week`,
      ...(judged.needsSupervision ? ['Counts only with a teacher or assistant teacher in the room'] : []),
    ];
    eligible.push({ candidate, covers: stretch, whole, reasons });
  }

  eligible.sort(
    (a, b) =>
      Number(b.whole) - Number(a.whole) ||
      Number(b.candidate.knowsRoom) - Number(a.candidate.knowsRoom) ||
      a.candidate.hoursThisWeek - b.candidate.hoursThisWeek ||
      b.covers.end.toMillis() - b.covers.start.toMillis() - (a.covers.end.toMillis() - a.covers.start.toMillis()) ||
      a.candidate.name.localeCompare(b.candidate.name),
  );
  ineligible.sort((a, b) => a.missing.length - b.missing.length || a.candidate.name.localeCompare(b.candidate.name));
  return { eligible, unavailable, ineligible };
}

function formatHours(hours: number): string {
  const rounded = Math.round(hours * 10) / 10;
  return `${rounded} ${rounded === 1 ? 'hour' : 'hours'}`;
}

/**
 * The parts of `window` not yet covered by `filled` spans, in order: what a
 * partly filled request still needs (13:00-17:00 with 13:00-15:00 filled
 * leaves 15:00-17:00).
 */
export function openParts(window: Span, filled: readonly Span[]): Span[] {
  const sorted = filled.filter((f) => overlaps(f, window)).sort((a, b) => a.start.toMillis() - b.start.toMillis());
  const parts: Span[] = [];
  let cursor = window.start;
  for (const f of sorted) {
    if (f.start > cursor) parts.push({ start: cursor, end: f.start < window.end ? f.start : window.end });
    if (f.end > cursor) cursor = f.end;
    if (cursor >= window.end) break;
  }
  if (cursor < window.end) parts.push({ start: cursor, end: window.end });
  return parts;
}

/** A level with the pack's label for it, for a reason's parameters (words: `levelLabel`). */
function levelName(pack: RulePack, level: Level | null): LevelName {
  return level === null ? null : { id: level, label: pack.levels.find((l) => l.level === level)?.label ?? null };
}

/** A level's words in the pack ("assistant teacher"). */
export function levelLabel(pack: RulePack, level: Level | null): string {
  if (level === null) return 'no level';
  return pack.levels.find((l) => l.level === level)?.label ?? level.replaceAll('_', ' ');
}

/**
 * Whether someone counting at `held` may take a place that needs `needed`, in the
 * pack's order of levels (lowest first): a teacher may take an aide's place, never
 * the other way round. `needed` null: any level that counts.
 */
export function meetsLevel(pack: RulePack, held: Level | null, needed: Level | null): boolean {
  if (needed === null) return true;
  if (held === null) return false;
  const rank = (l: Level) => pack.levels.findIndex((x) => x.level === l);
  const need = rank(needed);
  // A level the pack does not know cannot be judged: only that very level meets it.
  if (need === -1) return held === needed;
  return rank(held) >= need;
}

/**
 * One of a cover request's people: the level they must count at (null: any) and
 * the parts of the window already taken for them. A request for N people over
 * 13:00-17:00 has N seats; each is filled when its parts join up to the window,
 * by one person or by several in turn.
 */
export interface Seat {
  readonly level: Level | null;
  readonly taken: readonly Span[];
}

/** The seats of a request for `count` people, seat i needing `needs[i]` (past the list: any level). */
export function seatLevels(count: number, needs: readonly Level[]): (Level | null)[] {
  return Array.from({ length: Math.max(0, count) }, (_, i) => needs[i] ?? null);
}

/**
 * The seat a person counting at `level` takes for `part`: among the seats whose level
 * they meet and of which `part` lies wholly inside one open part, the most demanding
 * (a teacher takes the teacher's place and leaves the aide's to an aide), then the
 * first. Null when no seat has that part open for them: it is already filled.
 */
export function chooseSeat(pack: RulePack, window: Span, seats: readonly Seat[], part: Span, level: Level | null): number | null {
  const rank = (l: Level | null) => (l === null ? -1 : pack.levels.findIndex((x) => x.level === l));
  let best: number | null = null;
  seats.forEach((seat, i) => {
    if (!meetsLevel(pack, level, seat.level)) return;
    const fits = openParts(window, seat.taken).some((p) => p.start <= part.start && part.end <= p.end);
    if (!fits) return;
    if (best === null || rank(seat.level) > rank(seats[best]!.level)) best = i;
  });
  return best;
}

/** A stretch of the window still short of `people` persons (for "15:00–17:00: 1 more person"). */
export interface OpenNeed extends Span {
  readonly people: number;
}

/**
 * What a request still needs, across its seats: the window cut where any seat's open
 * parts begin or end, each piece with how many seats are open there; pieces needing
 * nobody are left out and touching pieces needing the same number are joined.
 */
export function openNeeds(window: Span, seats: readonly Seat[]): OpenNeed[] {
  const perSeat = seats.map((s) => openParts(window, s.taken));
  const cuts = new Map<number, DateTime>();
  for (const t of [window.start, window.end, ...perSeat.flat().flatMap((p) => [p.start, p.end])]) cuts.set(t.toMillis(), t);
  const points = [...cuts.entries()].sort((a, b) => a[0] - b[0]).map(([, t]) => t);
  const out: { start: DateTime; end: DateTime; people: number }[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const piece = { start: points[i]!, end: points[i + 1]! };
    const people = perSeat.filter((parts) => parts.some((p) => p.start <= piece.start && piece.end <= p.end)).length;
    if (people === 0) continue;
    const last = out[out.length - 1];
    if (last && last.people === people && last.end.equals(piece.start)) last.end = piece.end;
    else out.push({ ...piece, people });
  }
  return out;
}
