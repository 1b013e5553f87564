import { DateTime } from 'luxon';
import type { Activity, CoarseCategory, RulePack } from './rule-pack.js';
import { evaluateRoom, newDayMemo, type DayMemo } from './ratio/evaluate-room.js';
import type { ChildInRoom, DayHours, Group, PersonInRoom, RoomEvaluation, ViolationCode } from './ratio/types.js';
import { coverShortfall, type CoverShortfall } from './cover.js';
import { roomStatus, type RoomStatus } from './status.js';
import { dayBounds, midnightsBetween } from './wall-clock.js';
import { DEFAULT_GRACE_MINUTES, personRealityAt, recordedBefore, type RecordedPresence } from './reality.js';
import { covers, normalize, workingWindows, type Window } from './windows.js';
import { combineGroups } from './merges.js';

export { DEFAULT_GRACE_MINUTES, personRealityAt, type PersonReality, type PersonStatus, type RecordedPresence } from './reality.js';
export { workingWindows, type Window } from './windows.js';

/**
 * The forecast of one room's day: what has happened (presence so far) merged with
 * what is planned (expected arrivals and departures, shifts, breaks, naps) into a
 * timeline of half-open intervals, each judged by `evaluateRoom` at its start;
 * the first breach; and the cover needs (windows in which more counted people
 * would make the room hold, and which).
 *
 * Instants are epoch milliseconds (UTC); the center's zone turns them into local
 * dates (ages, training expiry) and splits the timeline at local midnight.
 */

export interface ChildDay extends ChildInRoom {
  /** Expected arrival and departure (epoch ms). */
  readonly arrive: number;
  readonly depart: number;
  /** Actual check-in and check-out (epoch ms), when they have happened. */
  readonly checkedInAt?: number | null;
  readonly checkedOutAt?: number | null;
}

export interface PersonDay extends PersonInRoom {
  /** Planned shifts in this room. */
  readonly shifts: readonly Window[];
  /** Planned breaks: out of the room for the window (each inside a shift). */
  readonly breaks?: readonly Window[];
  /** Actual presence in this room so far. */
  readonly presences?: readonly RecordedPresence[];
}

/**
 * One room's day as plain data. A child planned but known to be absent is simply
 * not passed in.
 */
export interface RoomDay {
  readonly children: readonly ChildDay[];
  readonly people: readonly PersonDay[];
  /** Windows in which the activity is `nap` (otherwise `normal`). */
  readonly naps?: readonly Window[];
  /** The room's own group-size limit (only ever stricter than the pack's). */
  readonly maxGroupSize?: number | null;
  /** The categories the room serves, for its `at_limit` status; empty or absent: all. */
  readonly serves?: readonly CoarseCategory[];
  /**
   * The instant up to which presence is recorded (the caller's now). Before it,
   * what happened is the truth; from it on, the plan. Null or absent: nothing has
   * happened yet, the day is all plan (recorded presences of people are ignored).
   */
  readonly asOf?: number | null;
  /**
   * Minutes after a shift starts during which a person not yet arrived is `late`
   * and still counted; past it they are a `no_show` for the rest of that shift.
   * Only read with `asOf`. Default 10.
   */
  readonly graceMinutes?: number;
  /** The center's hours and arrival/departure windows, for every group judged (`Group.hours`). */
  readonly hours?: DayHours | null;
  /** The center's arrival and departure windows as instants: the activity is `arrival_departure` in them (a nap aside). */
  readonly arrivalDeparture?: readonly Window[];
  /** Stretches judged apart because the engine reads the clock in them (a time-of-day ratio after opening, before closing). */
  readonly clockPhases?: readonly Window[];
  /** The room is a night program (`Group.night`; how many sleep is not known: the stricter reading). */
  readonly night?: boolean;
  /** Windows in which this room's children and people are judged in another room's group (a merge, `merges.ts`): nothing is judged here then. */
  readonly mergedAway?: readonly Window[];
  /** Other rooms' days judged as part of this room's group in their windows (merged into this room). */
  readonly mergedIn?: readonly { readonly room: string; readonly day: RoomDay; readonly windows: readonly Window[] }[];
}

export interface ForecastInterval extends Window {
  readonly activity: Activity;
  readonly children: number;
  readonly byCategory: Readonly<Record<string, number>>;
  readonly requiredStaff: number;
  readonly countedStaff: number;
  readonly compliant: boolean;
  /** Violation codes, sorted. */
  readonly violations: readonly ViolationCode[];
  /** As the board shows it (`roomStatus`). */
  readonly status: RoomStatus;
  readonly margin: RoomEvaluation['margin'];
}

export interface Breach {
  readonly start: number;
  /** Violation codes, sorted. */
  readonly violations: readonly ViolationCode[];
}

export interface CoverNeed extends Window, CoverShortfall {}

export interface RoomForecast {
  /** From the room's first event to its last, split at every change; equal neighbours merged. */
  readonly intervals: readonly ForecastInterval[];
  readonly firstBreach: Breach | null;
  /** Maximal windows with the same shortfall throughout, in time order. */
  readonly coverNeeds: readonly CoverNeed[];
}

export type ForecastFlag = { readonly kind: 'needs_cover' | 'over_group_size'; readonly start: number };

/**
 * Forecasts `room` on `date` (`YYYY-MM-DD`) in `zone`. Merging rules:
 * - a child checked out was present from check-in to check-out;
 * - a child checked in and not checked out stays until the planned departure if
 *   that is still ahead (after `asOf` and after the check-in), else until the end
 *   of `date`: only check-out ends presence;
 * - a child not checked in is expected from the planned arrival, or from `asOf`
 *   when the arrival has passed, until the planned departure;
 * - a person is present as recorded before `asOf`, and from `asOf` on as reality
 *   allows the plan (`personRealityAt`): present now, until the shift ends (or to
 *   the end of the day with no shift around now); gone from a shift under way
 *   (`left`), or not arrived past the grace period (`no_show`), not expected for
 *   the rest of it; late within the grace period, later shifts and the return
 *   from a planned break as planned. Without `asOf`, the plan alone.
 * Each interval is judged by `evaluateRoom` at its start; the timeline is split at
 * local midnight (the pack's zone and `zone`) so ages and training expiry change on
 * the right day. Instants are epoch ms: `wall-clock.ts` turns `HH:mm` on a date into
 * them (refusing a time in a spring-forward gap, taking the first of two on fall-back).
 */
export function forecastRoomDay(pack: RulePack, room: RoomDay, zone: string, date: string): RoomForecast {
  const slices = roomTimeline(pack, room, zone, date);
  const engineZone = pack.timeZone ?? zone;
  const serves = room.serves ?? [];
  // The same children and people all day: each is placed and judged once a day (and mix of ages), not once a slice.
  // Rooms merged in come after the room's own, as in the combined groups.
  const merged = room.mergedIn ?? [];
  const memo = merged.length === 0 ? newDayMemo(room.children, room.people) : newDayMemo([...room.children, ...merged.flatMap((m) => m.day.children)], [...room.people, ...merged.flatMap((m) => m.day.people)]);
  const elementary: Judged[] = [];
  for (const slice of slices) {
    elementary.push(slice.sameAs >= 0 ? elementary[slice.sameAs]! : judge(pack, slice.group, instantAt(slice.start, engineZone), serves, memo));
  }

  // Built as plain objects field by field: the forecast runs for every room of a network.
  const intervals: MutableInterval[] = [];
  for (let i = 0; i < slices.length; i++) {
    const { start, end } = slices[i]!;
    const judged = elementary[i]!.interval;
    const prev = intervals[intervals.length - 1];
    if (prev && prev.end === start && sameJudgement(prev, judged)) prev.end = end;
    else intervals.push(intervalOf(judged, start, end));
  }

  const coverNeeds: MutableCoverNeed[] = [];
  for (let i = 0; i < slices.length; i++) {
    const { start, end } = slices[i]!;
    const need = elementary[i]!.cover;
    if (!need) continue;
    const prev = coverNeeds[coverNeeds.length - 1];
    if (prev && prev.end === start && sameShortfall(prev, need)) prev.end = end;
    else coverNeeds.push({ start, end, additionalStaff: need.additionalStaff, needs: need.needs, trainings: need.trainings });
  }

  const breached = intervals.find((i) => !i.compliant);
  return {
    intervals,
    firstBreach: breached ? { start: breached.start, violations: breached.violations } : null,
    coverNeeds,
  };
}

/** A stretch of the day in which nobody comes or goes and the activity and the local day stay the same. */
export interface Slice extends Window {
  /** Who is in the room and what they are doing, as `evaluateRoom` takes it. */
  readonly group: Group;
  /** The index of an earlier slice with the very same children, people, activity and day, or -1. */
  readonly sameAs: number;
}

/**
 * The room's day from its first presence to its last, cut at every arrival,
 * departure, shift, break and nap boundary and at local midnight, with who is
 * present in each piece (the merging rules are those of `forecastRoomDay`).
 */
export function roomTimeline(pack: RulePack, room: RoomDay, zone: string, date: string): Slice[] {
  const own = ownTimeline(pack, room, zone, date);
  if (!room.mergedAway?.length && !room.mergedIn?.length) return own;
  return mergedTimeline(pack, room, own, zone, date);
}

/**
 * The timeline with merges laid over it (`merges.ts`): nothing in the windows the room
 * is merged away, and in the windows another room is merged in, its group joined to
 * this room's (`combineGroups`). Cut wherever either changes; each slice judged afresh.
 */
function mergedTimeline(pack: RulePack, room: RoomDay, own: readonly Slice[], zone: string, date: string): Slice[] {
  const away = room.mergedAway ?? [];
  const ins = (room.mergedIn ?? []).map((m) => ({ windows: m.windows, slices: ownTimeline(pack, m.day, zone, date) }));
  const points = new Set<number>();
  const add = (ws: readonly Window[]) => {
    for (const w of ws) {
      points.add(w.start);
      points.add(w.end);
    }
  };
  add(own);
  add(away);
  for (const m of ins) {
    add(m.slices);
    add(m.windows);
  }
  const inAny = (ws: readonly Window[], t: number) => ws.some((w) => w.start <= t && t < w.end);
  const groupAt = (slices: readonly Slice[], t: number) => slices.find((s) => s.start <= t && t < s.end)?.group ?? null;
  const empty: Group = { activity: 'normal', children: [], people: [], maxGroupSize: room.maxGroupSize ?? null };
  const sorted = [...points].sort((a, b) => a - b);
  const slices: Slice[] = [];
  for (let i = 0; i + 1 < sorted.length; i++) {
    const start = sorted[i]!;
    const end = sorted[i + 1]!;
    const mine = inAny(away, start) ? null : groupAt(own, start);
    const moving = ins.filter((m) => inAny(m.windows, start)).map((m) => groupAt(m.slices, start) ?? { ...empty, maxGroupSize: null });
    if (moving.length === 0) {
      if (mine) slices.push({ start, end, group: mine, sameAs: -1 });
      continue;
    }
    if (!mine && moving.every((g) => g.children.length === 0 && g.people.length === 0)) continue;
    // Nobody of the receiving room there: its empty group (the moving group's day fields, hours and the like, are the center's).
    slices.push({ start, end, group: combineGroups(mine ?? { ...moving[0]!, ...empty }, moving), sameAs: -1 });
  }
  return slices;
}

/** The room's own timeline, merges aside. */
function ownTimeline(pack: RulePack, room: RoomDay, zone: string, date: string): Slice[] {
  const bounds = dayBounds(date, zone);
  if (!bounds) throw new Error(`roomTimeline: bad date ${date}`); // the edge validates
  const asOf = room.asOf ?? null;

  const childWindows = room.children.map((c) => childPresence(c, asOf, bounds.end));
  const grace = room.graceMinutes ?? DEFAULT_GRACE_MINUTES;
  const personWindows = room.people.map((p) => personPresence(p, asOf, grace, bounds.end));

  let first = Infinity;
  let last = -Infinity;
  for (const w of childWindows) {
    if (w) {
      if (w.start < first) first = w.start;
      if (w.end > last) last = w.end;
    }
  }
  for (const ws of personWindows) {
    for (const w of ws) {
      if (w.start < first) first = w.start;
      if (w.end > last) last = w.end;
    }
  }
  if (!(first < last)) return [];

  // Every instant at which something changes, within the room's day.
  const naps = room.naps ?? [];
  const arrivals = room.arrivalDeparture ?? [];
  const phases = room.clockPhases ?? [];
  const cuts: number[] = [];
  addCut(cuts, first);
  addCut(cuts, last);
  for (const w of childWindows) {
    if (w) {
      addCut(cuts, w.start);
      addCut(cuts, w.end);
    }
  }
  for (const ws of personWindows) {
    for (const w of ws) {
      addCut(cuts, w.start);
      addCut(cuts, w.end);
    }
  }
  for (const ws of [naps, arrivals, phases]) {
    for (const w of ws) {
      if (w.start > first && w.start < last) addCut(cuts, w.start);
      if (w.end > first && w.end < last) addCut(cuts, w.end);
    }
  }
  const hours = room.hours ?? null;
  const night = room.night ? { asleep: null } : null;
  const engineZone = pack.timeZone ?? zone;
  const midnights = first < bounds.start || last > bounds.end ? midnightsBetween(first, last, zone) : [];
  if (engineZone !== zone) midnights.push(...midnightsBetween(first, last, engineZone));
  for (const t of midnights) addCut(cuts, t);
  midnights.sort((a, b) => a - b);

  const keys = new SliceKeys(room.children.length, room.people.length);
  const slices: Slice[] = [];
  let day = 0;
  for (let i = 0; i + 1 < cuts.length; i++) {
    const start = cuts[i]!;
    const end = cuts[i + 1]!;
    while (day < midnights.length && midnights[day]! <= start) day += 1;
    let nap = false;
    for (const w of naps) if (w.start <= start && start < w.end) nap = true;
    let arrival = false;
    for (const w of arrivals) if (w.start <= start && start < w.end) arrival = true;
    let phase = -1;
    for (let k = 0; k < phases.length; k++) if (phases[k]!.start <= start && start < phases[k]!.end) phase = k;
    // The activity (nap, arrival and departure, normal) and the clock phase, as one small number.
    keys.begin(day, (nap ? 1 : arrival ? 2 : 0) + 3 * (phase + 1));
    for (let c = 0; c < childWindows.length; c++) {
      const w = childWindows[c];
      if (w && w.start <= start && start < w.end) keys.child(c);
    }
    for (let p = 0; p < personWindows.length; p++) if (covers(personWindows[p]!, start)) keys.person(p);
    const sameAs = keys.seen(slices.length);
    if (sameAs >= 0) {
      slices.push({ start, end, group: slices[sameAs]!.group, sameAs });
      continue;
    }
    // A slice not seen before: list who is in the room.
    const children: ChildInRoom[] = [];
    const people: PersonInRoom[] = [];
    for (let c = 0; c < childWindows.length; c++) {
      const w = childWindows[c];
      if (w && w.start <= start && start < w.end) children.push(room.children[c]!);
    }
    for (let p = 0; p < personWindows.length; p++) if (covers(personWindows[p]!, start)) people.push(room.people[p]!);
    const activity = nap ? 'nap' : arrival ? 'arrival_departure' : 'normal';
    const group: Group =
      hours === null && night === null
        ? { activity, children, people, maxGroupSize: room.maxGroupSize ?? null }
        : { activity, children, people, maxGroupSize: room.maxGroupSize ?? null, hours, night };
    slices.push({ start, end, group, sameAs });
  }
  return slices;
}

/**
 * The forecast flag at `at`: the first breach (a run of non-compliant intervals)
 * that has not ended by `at`, if it starts no later than `at` plus `horizonMinutes`
 * real minutes (one already under way counts). `needs_cover` when the part of it
 * not yet over starts with a cover need, `over_group_size` when people cannot fix
 * it; null when no such breach is near.
 */
export function forecastFlag(forecast: RoomForecast, horizonMinutes: number, at: number): ForecastFlag | null {
  const { intervals } = forecast;
  for (let i = 0; i < intervals.length; i++) {
    if (intervals[i]!.compliant) continue;
    let runEnd = i;
    while (runEnd + 1 < intervals.length && !intervals[runEnd + 1]!.compliant && intervals[runEnd + 1]!.start === intervals[runEnd]!.end) runEnd += 1;
    const start = intervals[i]!.start;
    if (intervals[runEnd]!.end <= at) {
      i = runEnd;
      continue;
    }
    if (start > at + horizonMinutes * 60_000) return null;
    let current = i;
    while (intervals[current]!.end <= at) current += 1;
    const from = intervals[current]!.start;
    const covered = forecast.coverNeeds.some((n) => n.start <= from && from < n.end);
    return { kind: covered ? 'needs_cover' : 'over_group_size', start };
  }
  return null;
}

// ---------------------------------------------------------------- presence

function childPresence(child: ChildDay, asOf: number | null, dayEnd: number): Window | null {
  const checkedIn = child.checkedInAt ?? null;
  const checkedOut = child.checkedOutAt ?? null;
  if (checkedOut !== null) {
    const start = checkedIn ?? child.arrive;
    return start < checkedOut ? { start, end: checkedOut } : null;
  }
  if (checkedIn !== null) {
    // Only check-out ends presence: a planned departure already passed does not.
    const end = child.depart > checkedIn && (asOf === null || child.depart > asOf) ? child.depart : Math.max(dayEnd, checkedIn + 1);
    return { start: checkedIn, end };
  }
  const start = asOf === null ? child.arrive : Math.max(child.arrive, asOf);
  return start < child.depart ? { start, end: child.depart } : null;
}

/**
 * Disjoint, sorted windows in which the person is in the room: as recorded before
 * `asOf`, and from `asOf` on as `personRealityAt` expects them.
 */
function personPresence(person: PersonDay, asOf: number | null, graceMinutes: number, dayEnd: number): Window[] {
  if (asOf === null) return workingWindows(person.shifts, person.breaks ?? []);
  return normalize([...recordedBefore(person, asOf), ...personRealityAt(person, asOf, graceMinutes, dayEnd).ahead]);
}

/**
 * Adds `t` to the sorted, duplicate-free `cuts`. A day has a few dozen distinct cuts
 * among twice as many window ends (arrivals share the quarter hour), so inserting in
 * place is cheaper than sorting them all.
 */
function addCut(cuts: number[], t: number): void {
  let i = cuts.length;
  while (i > 0 && cuts[i - 1]! > t) i -= 1;
  if (i > 0 && cuts[i - 1] === t) return;
  cuts.splice(i, 0, t);
}

// ---------------------------------------------------------------- judging

// Interval starts repeat from room to room (arrivals and shifts fall on the quarter hour) and
// luxon's zone lookup costs microseconds, so the instants handed to the engine are kept, in the
// zone the engine judges in (so it needs no conversion). Bounded and pure.
const instants = new Map<string, Map<number, DateTime>>();
function instantAt(ms: number, zone: string): DateTime {
  let byMs = instants.get(zone);
  if (!byMs) instants.set(zone, (byMs = new Map()));
  let at = byMs.get(ms);
  if (!at) {
    if (byMs.size >= 50_000) byMs.clear();
    at = DateTime.fromMillis(ms, { zone });
    byMs.set(ms, at);
  }
  return at;
}

type Judgement = Omit<ForecastInterval, 'start' | 'end'>;
type MutableInterval = { -readonly [K in keyof ForecastInterval]: ForecastInterval[K] };
type MutableCoverNeed = { -readonly [K in keyof CoverNeed]: CoverNeed[K] };

function intervalOf(j: Judgement, start: number, end: number): MutableInterval {
  return {
    start,
    end,
    activity: j.activity,
    children: j.children,
    byCategory: j.byCategory,
    requiredStaff: j.requiredStaff,
    countedStaff: j.countedStaff,
    compliant: j.compliant,
    violations: j.violations,
    status: j.status,
    margin: j.margin,
  };
}

const POW2 = Array.from({ length: 31 }, (_, i) => 2 ** i);

/**
 * Recognises slices with the same children, people, activity and day. Rooms of up to
 * 31 children and 31 people (all real ones) are keyed by two bitmasks as numbers and
 * compared with the earlier slices one by one (a day has a few dozen slices, and a Map
 * per room costs more); larger rooms by strings.
 */
class SliceKeys {
  private readonly small: boolean;
  private readonly masks: number[] = [];
  private readonly byText = new Map<string, number>();
  private childMask = 0;
  private peopleMask = 0;
  private dayAndActivity = 0;
  private text = '';

  constructor(children: number, people: number) {
    this.small = children <= 31 && people <= 31;
  }

  /** `phase`: the activity and clock phase as a small whole number (below 64). */
  begin(day: number, phase: number): void {
    this.childMask = 0;
    this.peopleMask = 0;
    this.dayAndActivity = day * 64 + phase;
    this.text = this.small ? '' : `${day}|${phase}|`;
  }

  child(index: number): void {
    if (this.small) this.childMask += POW2[index]!;
    else this.text += `${index},`;
  }

  person(index: number): void {
    if (this.small) this.peopleMask += POW2[index]!;
    else this.text += `p${index},`;
  }

  /** The slice index first seen with the current key, or -1 (and `index` is recorded for it). */
  seen(index: number): number {
    if (!this.small) {
      const earlier = this.byText.get(this.text);
      if (earlier !== undefined) return earlier;
      this.byText.set(this.text, index);
      return -1;
    }
    const masks = this.masks;
    for (let i = 0; i < masks.length; i += 4) {
      if (masks[i] === this.childMask && masks[i + 1] === this.peopleMask && masks[i + 2] === this.dayAndActivity) return masks[i + 3]!;
    }
    masks.push(this.childMask, this.peopleMask, this.dayAndActivity, index);
    return -1;
  }
}

interface Judged {
  readonly interval: Judgement;
  readonly cover: CoverShortfall | null;
}

const NO_VIOLATIONS: readonly ViolationCode[] = Object.freeze([]);

function judge(pack: RulePack, group: Group, at: DateTime, serves: readonly CoarseCategory[], memo: DayMemo): Judged {
  // Intervals carry codes and counts, never words: the engine skips building them.
  const evaluation = evaluateRoom(pack, group, at, { explain: false, memo });
  const violations = evaluation.violations.length === 0 ? NO_VIOLATIONS : evaluation.violations.map((v) => v.code).sort();
  return {
    interval: {
      activity: evaluation.activity,
      children: evaluation.children,
      byCategory: evaluation.byCategory,
      requiredStaff: evaluation.requiredStaff,
      countedStaff: evaluation.countedStaff,
      compliant: evaluation.compliant,
      violations,
      status: roomStatus(pack, evaluation, serves),
      margin: evaluation.margin,
    },
    cover: evaluation.compliant ? null : coverShortfall(pack, group, evaluation, at, memo),
  };
}

function sameJudgement(a: Judgement, b: Judgement): boolean {
  return (
    a.activity === b.activity &&
    a.children === b.children &&
    a.requiredStaff === b.requiredStaff &&
    a.countedStaff === b.countedStaff &&
    a.compliant === b.compliant &&
    a.status === b.status &&
    a.margin.staff === b.margin.staff &&
    sameList(a.violations, b.violations) &&
    sameRecord(a.byCategory, b.byCategory) &&
    sameRecord(a.margin.children, b.margin.children)
  );
}

function sameShortfall(a: CoverShortfall, b: CoverShortfall): boolean {
  return a.additionalStaff === b.additionalStaff && sameList(a.needs, b.needs) && sameList(a.trainings, b.trainings);
}

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameRecord(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): boolean {
  if (a === b) return true;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const k of keys) if (a[k] !== b[k]) return false;
  return true;
}
