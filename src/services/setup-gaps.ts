import type { Knex } from 'knex';
import { dayOf, usualWeekDrift } from './day-plan.js';
import { listSchedulesInCenter } from '../db/child-schedules.js';
import { listChildrenInCenter } from '../db/children.js';
import { listPeopleInCenter } from '../db/people.js';
import { listRoomsInCenter } from '../db/rooms.js';
import type { Center, Child, Person, Room } from '../db/rows.js';
import { listShiftTemplatesInCenter } from '../db/shift-templates.js';
import { listSubmittedTrainingRecords } from '../db/trainings.js';
import type { Role, RulePack } from '../domain/rule-pack.js';
import { getPack } from '../domain/rules/index.js';

/**
 * What is still missing for a center's board to be right, and how far its set-up has come:
 * read only, from the center's rooms, children and their usual days, people, the usual week
 * (shift templates) and the training records awaiting review. Each gap is a code with its
 * parameters; the web turns it into words and a link to where it is fixed.
 */

export type RoomRef = { readonly id: string; readonly name: string };

export type SetupGap =
  | { readonly code: 'no_rooms'; readonly params: Record<string, never> }
  | { readonly code: 'no_children'; readonly params: Record<string, never> }
  | { readonly code: 'no_staff'; readonly params: Record<string, never> }
  | { readonly code: 'rooms_without_children'; readonly params: { readonly rooms: readonly RoomRef[] } }
  /** The same rooms lack usual staff on each of `weekdays` (ISO, 1 Monday … 7 Sunday), among the days the center opens. */
  | { readonly code: 'rooms_without_usual_staff'; readonly params: { readonly weekdays: readonly number[]; readonly rooms: readonly RoomRef[] } }
  | { readonly code: 'children_without_days'; readonly params: { readonly count: number } }
  | { readonly code: 'trainings_awaiting_review'; readonly params: { readonly records: number; readonly people: number } }
  /** Staff whose role counts under the pack only at a qualification level they hold, with none on file. */
  | { readonly code: 'staff_without_level'; readonly params: { readonly count: number; readonly packName: string } }
  // Today's plan was made before the usual week was entered or changed (services/day-plan.ts usualWeekDrift).
  | { readonly code: 'plan_behind_usual_week'; readonly params: { readonly day: string; readonly add: number; readonly cancel: number } };

export type SetupGapCode = SetupGap['code'];

/** The rows the gaps are judged from: the center's current (not archived) records. */
export type SetupFacts = {
  readonly rooms: readonly Room[];
  readonly children: readonly Pick<Child, 'id' | 'homeRoomId'>[];
  /** Usual days of the children (child id and ISO weekday). */
  readonly childDays: readonly { readonly childId: string; readonly weekday: number }[];
  readonly people: readonly Pick<Person, 'id' | 'role' | 'qualifiesAs'>[];
  /** The usual week: who works in which room on which ISO weekday. */
  readonly templates: readonly { readonly personId: string; readonly roomId: string; readonly weekday: number }[];
  /** Training records awaiting a director's review, by person. */
  readonly recordsAwaitingReview: readonly { readonly personId: string }[];
};

export type SetupProgress = {
  readonly rooms: readonly Room[];
  readonly children: number;
  readonly people: number;
  /** ISO weekdays the center opens: Monday to Friday, and a weekend day when a child or a shift is planned on it. */
  readonly openWeekdays: readonly number[];
  /** Rooms with someone in the usual week on every day the center opens. */
  readonly roomsStaffedEveryOpenDay: number;
  readonly gaps: readonly SetupGap[];
};

/** Roles that are staff (not volunteers or students): whose missing level is a gap. */
const STAFF: readonly Role[] = ['teacher', 'assistant_teacher', 'aide', 'substitute'];
const NOT_STAFF: readonly Role[] = ['volunteer', 'student'];
const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

/** The center's open weekdays: Monday to Friday always, Saturday and Sunday when something is planned on them. */
export function openWeekdaysOf(facts: Pick<SetupFacts, 'childDays' | 'templates'>): number[] {
  const used = new Set([...facts.childDays.map((d) => d.weekday), ...facts.templates.map((t) => t.weekday)]);
  return WEEKDAYS.filter((d) => d <= 5 || used.has(d));
}

/** Pure: the set-up's progress and its gaps, in the order a director would fix them. */
export function judgeSetup(pack: RulePack, facts: SetupFacts): SetupProgress {
  const gaps: SetupGap[] = [];
  const rooms = facts.rooms;
  const roomIds = new Set(rooms.map((r) => r.id));
  const peopleIds = new Set(facts.people.map((p) => p.id));
  const childIds = new Set(facts.children.map((c) => c.id));
  const openWeekdays = openWeekdaysOf(facts);
  // A template of an archived person or room makes no shift (day-plan.ts): it staffs nothing.
  const templates = facts.templates.filter((t) => peopleIds.has(t.personId) && roomIds.has(t.roomId));
  const staffedOn = (roomId: string, weekday: number) => templates.some((t) => t.roomId === roomId && t.weekday === weekday);

  if (rooms.length === 0) gaps.push({ code: 'no_rooms', params: {} });
  if (rooms.length > 0 && facts.children.length === 0) gaps.push({ code: 'no_children', params: {} });
  if (!facts.people.some((p) => !NOT_STAFF.includes(p.role))) gaps.push({ code: 'no_staff', params: {} });

  if (facts.children.length > 0) {
    const withChildren = new Set(facts.children.map((c) => c.homeRoomId));
    const empty = rooms.filter((r) => !withChildren.has(r.id));
    if (empty.length > 0) gaps.push({ code: 'rooms_without_children', params: { rooms: empty.map(ref) } });
  }

  // Grouped by the set of rooms, so Monday to Friday with the same rooms make one line.
  const byRooms = new Map<string, { weekdays: number[]; rooms: RoomRef[] }>();
  for (const weekday of openWeekdays) {
    const unstaffed = rooms.filter((r) => !staffedOn(r.id, weekday));
    if (unstaffed.length === 0) continue;
    const key = unstaffed.map((r) => r.id).join(',');
    const group = byRooms.get(key) ?? { weekdays: [], rooms: unstaffed.map(ref) };
    group.weekdays.push(weekday);
    byRooms.set(key, group);
  }
  for (const group of byRooms.values()) gaps.push({ code: 'rooms_without_usual_staff', params: group });

  const withDays = new Set(facts.childDays.filter((d) => childIds.has(d.childId)).map((d) => d.childId));
  const withoutDays = facts.children.filter((c) => !withDays.has(c.id)).length;
  if (withoutDays > 0) gaps.push({ code: 'children_without_days', params: { count: withoutDays } });

  const awaiting = facts.recordsAwaitingReview.filter((r) => peopleIds.has(r.personId));
  if (awaiting.length > 0) gaps.push({ code: 'trainings_awaiting_review', params: { records: awaiting.length, people: new Set(awaiting.map((r) => r.personId)).size } });

  const needsLevel = (role: Role) => STAFF.includes(role) && pack.counting.find((c) => c.role === role)?.counts === 'qualifies_as';
  const withoutLevel = facts.people.filter((p) => needsLevel(p.role) && p.qualifiesAs === null).length;
  if (withoutLevel > 0) gaps.push({ code: 'staff_without_level', params: { count: withoutLevel, packName: pack.name } });

  return {
    rooms,
    children: facts.children.length,
    people: facts.people.length,
    openWeekdays,
    roomsStaffedEveryOpenDay: rooms.filter((r) => openWeekdays.every((d) => staffedOn(r.id, d))).length,
    gaps,
  };
}

const ref = (r: Room): RoomRef => ({ id: r.id, name: r.name });

/**
 * Reads the center's current rows (six queries, no writes) and judges its set-up; with
 * `now`, also whether today's plan, made already, lags the usual week.
 */
export async function loadSetupProgress(db: Knex, center: Center, now?: Date): Promise<SetupProgress> {
  const pack = getPack(center.packId);
  if (!pack) throw new Error(`center ${center.id} has an unknown pack`);
  const [rooms, children, childDays, people, templates, records] = await Promise.all([
    listRoomsInCenter(db, center.id),
    listChildrenInCenter(db, center.id),
    listSchedulesInCenter(db, center.id),
    listPeopleInCenter(db, center.id),
    listShiftTemplatesInCenter(db, center.id),
    listSubmittedTrainingRecords(db, center.id),
  ]);
  const progress = judgeSetup(pack, { rooms, children, childDays, people, templates, recordsAwaitingReview: records });
  const drift = now && (await usualWeekDrift(db, center, dayOf(center, now), now));
  if (!drift || (drift.add.length === 0 && drift.cancel.length === 0)) return progress;
  return { ...progress, gaps: [...progress.gaps, { code: 'plan_behind_usual_week', params: { day: drift.day, add: drift.add.length, cancel: drift.cancel.length } }] };
}
