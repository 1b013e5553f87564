import { packOf, withCenterTrainings } from './center-pack.js';
import { onFileOf } from './person-on-file.js';
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { loadCenterRows, type CenterRows, type CenterRowsOptions } from '../db/center-state.js';
import type { HeadcountCheck } from '../db/headcounts.js';
import type { Presence } from '../db/presences.js';
import { listMergesInForce, mergeEnd, type RoomMerge } from '../db/room-merges.js';
import { combineGroups } from '../domain/merges.js';
import type { Center, Child, Person, Room } from '../db/rows.js';
import type { StatusesAt } from '../db/seed-demo-day.js';
import type { StatusNow } from '../db/status-history.js';
import { toPersonInRoom, type PersonOnFile } from '../domain/eligibility.js';
import { evaluateRoom } from '../domain/ratio/evaluate-room.js';
import type { Group, PersonEvaluation, RoomEvaluation } from '../domain/ratio/types.js';
import { ACTIVITIES, type Activity, type RulePack } from '../domain/rule-pack.js';
import { isBreach, roomStatus, STATUS_WORDS, type RoomStatus } from '../domain/status.js';
import type { CenterForecast } from './center-forecast.js';
import { activityAt, centerHoursOf, childInRoom, dayOfGroup, type CenterHours } from './day-hours.js';
import type { OpenCover } from './cover/on-card.js';

/**
 * A whole center at one instant: its rows loaded one query per table, grouped by room
 * in memory, and every room judged by the one engine (`evaluateRoom` + `roomStatus`).
 * The board, the room page, the SSE cards and the status history all read this.
 */

export type PersonHere = { readonly person: Person; readonly presence: Presence; readonly evaluation: PersonEvaluation };
export type ChildHere = { readonly child: Child; readonly presence: Presence };

export type RoomState = {
  readonly room: Room;
  readonly activity: Activity;
  readonly children: readonly ChildHere[];
  readonly people: readonly PersonHere[];
  readonly evaluation: RoomEvaluation;
  readonly status: RoomStatus;
  /** Open headcount mismatches, oldest first. */
  readonly headcounts: readonly HeadcountCheck[];
  /** Merged into another room now (domain/merges.ts): judged as part of its group, so `evaluation` and `status` are the combined group's. */
  readonly mergedInto?: { readonly room: Room; readonly merge: RoomMerge; readonly until: number };
  /** Rooms merged into this one now: their children and people are judged in this room's group. */
  readonly mergedIn?: readonly { readonly room: Room; readonly merge: RoomMerge; readonly until: number }[];
};

export type CenterState = {
  readonly center: Center;
  readonly pack: RulePack;
  readonly at: DateTime;
  readonly rows: CenterRows;
  readonly rooms: readonly RoomState[];
  readonly roomById: ReadonlyMap<string, Room>;
  /** Where each child and person is now: open presence by their id. */
  readonly childPresence: ReadonlyMap<string, Presence>;
  readonly personPresence: ReadonlyMap<string, Presence>;
  readonly onFile: (person: Person) => PersonOnFile;
  /** The day's forecast of the judged rooms, when the caller loaded it (the board and its live cards do). */
  readonly forecast?: CenterForecast;
  /** The open cover requests of the judged rooms, when the caller loaded them (web/cover/on-card.ts): a card whose need they meet says so. */
  readonly openCover?: OpenCover;
};

const isActivity = (a: string): a is Activity => (ACTIVITIES as readonly string[]).includes(a);

/**
 * Loads and judges the center at `at`. With `roomIds`, only those rooms are judged
 * (a write recomputing the rooms it touched); `everyone` also loads every child and
 * person of the center (the room page's lists); with the center's kept `setup` rows
 * (db/center-setup.ts), only presences are read.
 */
export async function loadCenterState(db: Knex, center: Center, at: Date, opts: CenterRowsOptions = {}): Promise<CenterState> {
  // The merges in force now: a room merged with one asked for is judged with it (and its presences read).
  const merges = await listMergesInForce(db, center.id, at);
  let roomIds = opts.roomIds;
  if (roomIds && merges.length > 0) {
    const ids = new Set(roomIds);
    for (let grew = true; grew; ) {
      grew = false;
      for (const m of merges) {
        if (ids.has(m.fromRoomId) !== ids.has(m.intoRoomId)) {
          ids.add(m.fromRoomId);
          ids.add(m.intoRoomId);
          grew = true;
        }
      }
    }
    roomIds = [...ids];
  }
  const rows = await loadCenterRows(db, center.id, { ...opts, roomIds });
  return judgeCenter(center, rows, at, roomIds, merges);
}

/** `merges`: those in force at `at` (a room merged into another is judged in its group, `domain/merges.ts`). */
export function judgeCenter(center: Center, rows: CenterRows, at: Date, roomIds?: readonly string[], merges: readonly RoomMerge[] = []): CenterState {
  // The center's own 'before' trainings gate counting on the board as they do in eligibility.
  const pack = withCenterTrainings(packOf(center), rows.centerTrainings);
  const when = DateTime.fromJSDate(at, { zone: center.timeZone });
  const childById = new Map(rows.children.map((c) => [c.id, c]));
  const personById = new Map(rows.people.map((p) => [p.id, p]));
  const onFile = onFileOf(rows.trainings);
  // The center's hours and windows, and its children in care (known when every room's presences were read): once, for every room.
  const hours = centerHoursOf(center, pack);
  const inCenter = roomIds ? null : rows.childPresences.length;

  const childrenIn = new Map<string, ChildHere[]>();
  for (const presence of rows.childPresences) {
    const child = childById.get(presence.subjectId);
    if (!child) continue;
    let list = childrenIn.get(presence.roomId);
    if (!list) childrenIn.set(presence.roomId, (list = []));
    list.push({ child, presence });
  }
  const peopleIn = new Map<string, { person: Person; presence: Presence }[]>();
  for (const presence of rows.personPresences) {
    const person = personById.get(presence.subjectId);
    if (!person) continue;
    let list = peopleIn.get(presence.roomId);
    if (!list) peopleIn.set(presence.roomId, (list = []));
    list.push({ person, presence });
  }
  const activityOf = new Map(rows.activities.map((a) => [a.roomId, a.activity]));
  const headcountsOf = new Map<string, HeadcountCheck[]>();
  for (const h of rows.headcounts) {
    let list = headcountsOf.get(h.roomId);
    if (!list) headcountsOf.set(h.roomId, (list = []));
    list.push(h);
  }

  const wanted = roomIds ? new Set(roomIds) : null;
  const roomOf = new Map(rows.rooms.map((r) => [r.id, r]));
  // The merges in force: each moving room into one receiving room that is not itself moving.
  const t = at.getTime();
  const intoOf = new Map<string, { room: Room; merge: RoomMerge; until: number }>();
  for (const m of merges) {
    const into = roomOf.get(m.intoRoomId);
    if (!into || !roomOf.has(m.fromRoomId) || intoOf.has(m.fromRoomId) || !(Date.parse(m.startsAt) <= t && t < mergeEnd(m))) continue;
    intoOf.set(m.fromRoomId, { room: into, merge: m, until: mergeEnd(m) });
  }
  for (const [from, m] of [...intoOf]) if (intoOf.has(m.room.id)) intoOf.delete(from);
  const movingInto = new Map<string, { room: Room; merge: RoomMerge; until: number }[]>();
  for (const [from, m] of intoOf) {
    let list = movingInto.get(m.room.id);
    if (!list) movingInto.set(m.room.id, (list = []));
    list.push({ room: roomOf.get(from)!, merge: m.merge, until: m.until });
  }

  type Own = { room: Room; activity: Activity; children: ChildHere[]; present: { person: Person; presence: Presence }[]; group: Group };
  const own = (room: Room): Own => {
    const stored = activityOf.get(room.id);
    const activity: Activity = activityAt(hours, stored && isActivity(stored) ? stored : 'normal', when);
    const children = childrenIn.get(room.id) ?? [];
    const present = peopleIn.get(room.id) ?? [];
    return { room, activity, children, present, group: groupFrom(room, activity, children, present, onFile, hours, inCenter) };
  };
  // A receiving room's group judged once: its own people first, then each moving room's in turn.
  const combined = new Map<string, { evaluation: RoomEvaluation; status: RoomStatus; offsets: Map<string, number> }>();
  const judgedWithMerges = (into: Room) => {
    let c = combined.get(into.id);
    if (!c) {
      const base = own(into);
      const moving = (movingInto.get(into.id) ?? []).map((m) => own(m.room));
      const offsets = new Map<string, number>();
      let k = base.present.length;
      for (const m of moving) {
        offsets.set(m.room.id, k);
        k += m.present.length;
      }
      const evaluation = evaluateRoom(pack, combineGroups(base.group, moving.map((m) => m.group)), when);
      c = { evaluation, status: roomStatus(pack, evaluation, into.ageCategories), offsets };
      combined.set(into.id, c);
    }
    return c;
  };

  const rooms: RoomState[] = [];
  for (const room of rows.rooms) {
    if (wanted && !wanted.has(room.id)) continue;
    const mine = own(room);
    const away = intoOf.get(room.id);
    const mergedIn = movingInto.get(room.id);
    let evaluation: RoomEvaluation;
    let status: RoomStatus;
    let offset = 0;
    if (away) {
      const c = judgedWithMerges(away.room);
      ({ evaluation, status } = c);
      offset = c.offsets.get(room.id) ?? 0;
    } else if (mergedIn) {
      ({ evaluation, status } = judgedWithMerges(room));
    } else {
      evaluation = evaluateRoom(pack, mine.group, when);
      status = roomStatus(pack, evaluation, room.ageCategories);
    }
    rooms.push({
      room,
      activity: mine.activity,
      children: mine.children,
      people: mine.present.map((p, i) => ({ ...p, evaluation: evaluation.staff[offset + i]! })),
      evaluation,
      status,
      headcounts: headcountsOf.get(room.id) ?? [],
      ...(away ? { mergedInto: away } : {}),
      ...(mergedIn ? { mergedIn } : {}),
    });
  }
  return {
    center,
    pack,
    at: when,
    rows,
    rooms,
    roomById: new Map(rows.rooms.map((r) => [r.id, r])),
    childPresence: new Map(rows.childPresences.map((p) => [p.subjectId, p])),
    personPresence: new Map(rows.personPresences.map((p) => [p.subjectId, p])),
    onFile,
  };
}

/**
 * A room's group as the engine takes it: its activity, the children and people present, its own group-size
 * limit, and the center's day (`day-hours.ts`: hours and windows, children in care, a night program).
 */
function groupFrom(
  room: Room,
  activity: Activity,
  children: readonly ChildHere[],
  people: readonly { readonly person: Person }[],
  onFile: (person: Person) => PersonOnFile,
  hours: CenterHours,
  inCenter: number | null,
): Group {
  return {
    activity,
    children: children.map(({ child }) => childInRoom(hours, child)),
    people: people.map(({ person }) => toPersonInRoom(onFile(person))),
    maxGroupSize: room.maxGroupSize,
    ...dayOfGroup(hours, room, inCenter),
  };
}

/** The group a judged room was judged as (to ask the engine about it as it would be, e.g. with one more person). */
export function groupOf(state: CenterState, r: RoomState): Group {
  const inCenter = state.rooms.length === state.rows.rooms.length ? state.rows.childPresences.length : null;
  const hours = centerHoursOf(state.center, state.pack);
  const own = (x: RoomState) => groupFrom(x.room, x.activity, x.children, x.people, state.onFile, hours, inCenter);
  // A room merged now is judged in the combined group (domain/merges.ts), with `r` as given in its place.
  const intoId = r.mergedInto?.room.id ?? (r.mergedIn ? r.room.id : null);
  const into = intoId === r.room.id ? r : state.rooms.find((x) => x.room.id === intoId);
  if (!into) return own(r);
  const moving = state.rooms.filter((x) => x.mergedInto?.room.id === intoId).map((x) => (x.room.id === r.room.id ? r : x));
  return combineGroups(own(into), moving.map(own));
}

/** The figures the status history keeps for each judged room: a change in any of them starts a new interval. */
export function statusesOf(state: CenterState): StatusNow[] {
  return state.rooms.map((r) => ({
    roomId: r.room.id,
    status: r.status,
    requiredStaff: r.evaluation.requiredStaff,
    countedStaff: r.evaluation.countedStaff,
    presentStaff: r.people.length,
    children: r.evaluation.children,
    childrenByCategory: r.evaluation.byCategory,
    maxGroupSize: r.evaluation.maxGroupSize,
  }));
}

/**
 * The center's rooms judged from rows as given, as the board judges them: handed to
 * the demo day's seed (db/seed-demo-day.ts), which replays its backdated presences
 * through it and may not import the engine's caller from web/.
 */
export function statusesFrom(center: Center): StatusesAt {
  return (rows, at, roomIds) => statusesOf(judgeCenter(center, rows, at, roomIds));
}

export { isBreach, STATUS_WORDS };
