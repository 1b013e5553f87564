/**
 * The one way the remedy search judges a change: the affected rooms' forecast
 * timelines (`roomTimeline`, reality before plan) cut to the window, every piece of
 * the window judged by `evaluateRoom` with the change applied. Made once per
 * search (`searchContext`), owned by the caller; nothing is kept between searches.
 */
import { DateTime } from 'luxon';
import type { RulePack } from '../rule-pack.js';
import { roomTimeline, type PersonDay, type Slice } from '../forecast.js';
import { evaluateRoom } from '../ratio/evaluate-room.js';
import type { Group, PersonInRoom, RoomEvaluation, ViolationCode } from '../ratio/types.js';
import type { Window } from '../windows.js';
import type { RemedyInput, RemedyRoom } from './types.js';

export interface PreparedRoom {
  readonly room: RemedyRoom;
  readonly slices: readonly Slice[];
}

/** One room a person has a shift or a presence in that day. */
export interface Place {
  readonly room: PreparedRoom;
  readonly day: PersonDay;
}

export interface SearchContext {
  readonly input: RemedyInput;
  readonly pack: RulePack;
  readonly rooms: ReadonlyMap<string, PreparedRoom>;
  /** By person id: the rooms they are in that day, in the input's order. */
  readonly places: ReadonlyMap<string, readonly Place[]>;
  /** Judges a group at an instant (no words). */
  judge(group: Group, at: number): RoomEvaluation;
  /** The instant as the engine takes it (in the pack's zone). */
  instant(at: number): DateTime;
}

/** Prepares every room's timeline once. */
export function searchContext(input: RemedyInput): SearchContext {
  const { pack, zone, date } = input;
  const engineZone = pack.timeZone ?? zone;
  const instants = new Map<number, DateTime>();
  const at = (ms: number) => {
    let t = instants.get(ms);
    if (!t) instants.set(ms, (t = DateTime.fromMillis(ms, { zone: engineZone })));
    return t;
  };
  const rooms = new Map<string, PreparedRoom>();
  const places = new Map<string, Place[]>();
  for (const room of input.rooms) {
    const prepared = { room, slices: roomTimeline(pack, room.day, zone, date) };
    rooms.set(room.id, prepared);
    room.day.people.forEach((day, i) => {
      const id = room.personIds[i];
      if (id === undefined) return;
      const list = places.get(id);
      if (list) list.push({ room: prepared, day });
      else places.set(id, [{ room: prepared, day }]);
    });
  }
  return { input, pack, rooms, places, instant: at, judge: (group, ms) => evaluateRoom(pack, group, at(ms), { explain: false }) };
}

/** A stretch of the window in which none of the rooms looked at changes; `groups` parallel to the rooms. */
export interface Piece extends Window {
  readonly groups: readonly Group[];
}

const EMPTY: readonly never[] = [];

function emptyGroup(room: RemedyRoom): Group {
  return { activity: 'normal', children: EMPTY, people: EMPTY, maxGroupSize: room.day.maxGroupSize ?? null };
}

/**
 * The window cut at every change of any of `rooms` (and at `cuts`), each piece with
 * each room's group then (an empty group where a room has nobody).
 */
export function piecesOf(rooms: readonly PreparedRoom[], window: Window, cuts: readonly number[] = []): Piece[] {
  const points = new Set<number>([window.start, window.end]);
  for (const r of rooms) {
    for (const s of r.slices) {
      if (s.start > window.start && s.start < window.end) points.add(s.start);
      if (s.end > window.start && s.end < window.end) points.add(s.end);
    }
  }
  for (const c of cuts) if (c > window.start && c < window.end) points.add(c);
  const sorted = [...points].sort((a, b) => a - b);
  const pieces: Piece[] = [];
  const cursor = rooms.map(() => 0);
  for (let i = 0; i + 1 < sorted.length; i++) {
    const start = sorted[i]!;
    const end = sorted[i + 1]!;
    const groups = rooms.map((r, k) => {
      const slices = r.slices;
      let j = cursor[k]!;
      while (j < slices.length && slices[j]!.end <= start) j += 1;
      cursor[k] = j;
      const s = slices[j];
      return s && s.start <= start ? s.group : emptyGroup(r.room);
    });
    pieces.push({ start, end, groups });
  }
  return pieces;
}

/** How a room stands over pieces: compliant throughout, the least margin, the most missing, the first breach. */
export interface Standing {
  readonly compliant: boolean;
  readonly margin: number;
  readonly stillShort: number;
  readonly firstBreach: { readonly at: number; readonly violations: readonly ViolationCode[] } | null;
  /** The evaluation of each piece. */
  readonly evaluations: readonly RoomEvaluation[];
}

/** Judges `groupOf(piece)` for every piece. */
export function standOver(ctx: SearchContext, pieces: readonly Piece[], groupOf: (piece: Piece) => Group): Standing {
  let compliant = true;
  let margin = Infinity;
  let stillShort = 0;
  let firstBreach: Standing['firstBreach'] = null;
  const evaluations: RoomEvaluation[] = [];
  for (const piece of pieces) {
    const e = ctx.judge(groupOf(piece), piece.start);
    evaluations.push(e);
    if (e.margin.staff < margin) margin = e.margin.staff;
    if (!e.compliant) {
      compliant = false;
      stillShort = Math.max(stillShort, Math.max(1, e.requiredStaff - e.countedStaff));
      if (!firstBreach) firstBreach = { at: piece.start, violations: e.violations.map((v) => v.code).sort() };
    }
  }
  return { compliant, margin: margin === Infinity ? 0 : Math.max(0, margin), stillShort, firstBreach, evaluations };
}

/** The group with `person` added (when not already there). */
export function withPerson(group: Group, person: PersonInRoom): Group {
  return group.people.includes(person) ? group : { ...group, people: [...group.people, person] };
}

/** The group without `person`. */
export function withoutPerson(group: Group, person: PersonInRoom): Group {
  return group.people.includes(person) ? { ...group, people: group.people.filter((p) => p !== person) } : group;
}

/** Whether `at` falls in one of `windows`. */
export function inWindows(windows: readonly Window[], at: number): boolean {
  for (const w of windows) if (w.start <= at && at < w.end) return true;
  return false;
}

/** The windows within `window` in which `person` is in the room's timeline. */
export function presenceIn(room: PreparedRoom, person: PersonInRoom, window: Window): Window[] {
  const out: Window[] = [];
  for (const s of room.slices) {
    if (s.end <= window.start || s.start >= window.end) continue;
    if (!s.group.people.includes(person)) continue;
    const start = Math.max(s.start, window.start);
    const end = Math.min(s.end, window.end);
    const last = out[out.length - 1];
    if (last && last.end === start) out[out.length - 1] = { start: last.start, end };
    else out.push({ start, end });
  }
  return out;
}

/** The need room's slice holding `at`, or null. */
export function sliceAt(room: PreparedRoom, at: number): Slice | null {
  for (const s of room.slices) if (s.start <= at && at < s.end) return s;
  return null;
}
