import { packOf, withCenterTrainings } from './center-pack.js';
import { onFileOf } from './person-on-file.js';
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { loadCenterRows, type CenterRows, type CenterRowsOptions } from '../db/center-state.js';
import type { HeadcountCheck } from '../db/headcounts.js';
import type { Presence } from '../db/presences.js';
import type { Center, Child, Person, Room } from '../db/rows.js';
import type { StatusesAt } from '../db/seed-demo-day.js';
import type { StatusNow } from '../db/status-history.js';
import { toPersonInRoom, type PersonOnFile } from '../domain/eligibility.js';
import { evaluateRoom } from '../domain/ratio/evaluate-room.js';
import type { Group, PersonEvaluation, RoomEvaluation } from '../domain/ratio/types.js';
import { ACTIVITIES, type Activity, type RulePack } from '../domain/rule-pack.js';
import { isBreach, roomStatus, STATUS_WORDS, type RoomStatus } from '../domain/status.js';
import type { CenterForecast } from './center-forecast.js';
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
  const rows = await loadCenterRows(db, center.id, opts);
  return judgeCenter(center, rows, at, opts.roomIds);
}

export function judgeCenter(center: Center, rows: CenterRows, at: Date, roomIds?: readonly string[]): CenterState {
  // The center's own 'before' trainings gate counting on the board as they do in eligibility.
  const pack = withCenterTrainings(packOf(center), rows.centerTrainings);
  const when = DateTime.fromJSDate(at, { zone: center.timeZone });
  const childById = new Map(rows.children.map((c) => [c.id, c]));
  const personById = new Map(rows.people.map((p) => [p.id, p]));
  const onFile = onFileOf(rows.trainings);

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
  const rooms: RoomState[] = [];
  for (const room of rows.rooms) {
    if (wanted && !wanted.has(room.id)) continue;
    const stored = activityOf.get(room.id);
    const activity: Activity = stored && isActivity(stored) ? stored : 'normal';
    const children = childrenIn.get(room.id) ?? [];
    const present = peopleIn.get(room.id) ?? [];
    const evaluation = evaluateRoom(pack, groupFrom(room, activity, children, present, onFile), when);
    const status = roomStatus(pack, evaluation, room.ageCategories);
    rooms.push({
      room,
      activity,
      children,
      people: present.map((p, i) => ({ ...p, evaluation: evaluation.staff[i]! })),
      evaluation,
      status,
      headcounts: headcountsOf.get(room.id) ?? [],
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

/** A room's group as the engine takes it: its activity, the children and people present, its own group-size limit. */
function groupFrom(room: Room, activity: Activity, children: readonly ChildHere[], people: readonly { readonly person: Person }[], onFile: (person: Person) => PersonOnFile): Group {
  return {
    activity,
    children: children.map(({ child }) => ({ birthDate: child.birthDate, attendsKindergarten: child.attendsKindergarten })),
    people: people.map(({ person }) => toPersonInRoom(onFile(person))),
    maxGroupSize: room.maxGroupSize,
  };
}

/** The group a judged room was judged as (to ask the engine about it as it would be, e.g. with one more person). */
export function groupOf(state: CenterState, r: RoomState): Group {
  return groupFrom(r.room, r.activity, r.children, r.people, state.onFile);
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
