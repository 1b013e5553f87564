import { together, type Knex } from '../db/knex.js';
import { listAbsencesOfDay, type ChildAbsence } from '../db/absences.js';
import { centerSetup, type CenterSetup } from '../db/center-setup.js';
import { auditHeads, type AuditHeads } from '../db/freshness.js';
import { listCenterTrainings } from '../db/center-trainings.js';
import { listSchedulesInCenter } from '../db/child-schedules.js';
import { listChildrenInCenter, listChildrenOfRoomsOnDay } from '../db/children.js';
import { listPresencesBetween, listVerifiedTrainingsOfPeople } from '../db/day-plans.js';
import { listChildPresencesForRoomsBetween, type Presence } from '../db/presences.js';
import { listRoomNapsInCenter, listRoomNapsInRooms, type RoomNap } from '../db/room-naps.js';
import { listMergesOverlapping, mergeEnd, type RoomMerge } from '../db/room-merges.js';
import { withMerges } from '../domain/merges.js';
import { centerHoursOf, childInRoom, clockPhasesOnDay, designatedBandOf, windowsOnDay } from './day-hours.js';
import { listRoomsInCenter } from '../db/rooms.js';
import type { Center, Child, Person, Room, TrainingCompletion } from '../db/rows.js';
import { listShiftsForDay, listShiftsForDayInRooms, type Shift } from '../db/shifts.js';
import { listPeopleByIdsInCenter } from '../db/volunteer-pool.js';
import { ageOn, placeInBand } from '../domain/age.js';
import { parseCivilDate } from '../domain/calendar.js';
import { toPersonInRoom } from '../domain/eligibility.js';
import {
  forecastFlag,
  forecastRoomDay,
  personRealityAt,
  type PersonReality,
  type ChildDay,
  type CoverNeed,
  type ForecastFlag,
  type PersonDay,
  type RecordedPresence,
  type RoomDay,
  type RoomForecast,
  type Window,
} from '../domain/forecast.js';
import type { RulePack } from '../domain/rule-pack.js';
import { dayBounds } from '../domain/wall-clock.js';
import { packOf } from './center-pack.js';
import { onFileOf } from './person-on-file.js';
import { withCenterTrainings } from './center-pack.js';
import { dayOf, instantOnDay, unmadeDayPlan, weekdayOf } from './day-plan.js';
import { nextChangeWords } from '../words/next-change.js';
import { clockTime } from '../words/format.js';
import type { CategoryLabel } from '../words/plan.js';

export type { CategoryLabel };

/**
 * The day forecast of a center's rooms, as the board, the day plan pages and cover
 * requests read it: what has happened (presences so far, open or ended) merged with
 * what is planned (the day's shifts and breaks, children's weekly schedules minus
 * known absences, room naps), judged by the one engine (`forecastRoomDay`) with the
 * people's verified trainings and the center's own trainings, as of `now`.
 *
 * Merging, per room:
 * - a person is a `PersonDay` per room they have a shift or a presence in that day;
 * - a child with a presence that day is a `ChildDay` per presence (checked in, and
 *   out if so), expected to leave at their scheduled departure (or the center's
 *   closing time without a schedule); a child with no presence yet, a schedule for
 *   the weekday and no absence is expected in their home room from arrival to departure;
 * - naps are the room's daily nap periods on that day.
 * A day (today or later) whose plan is not made yet is forecast from the plan it
 * would be made of (`unmadeDayPlan`): nothing is stored here, so a page reads only.
 */

/** A room's forecast with the local day it covers (epoch ms), for `nextCompliantAt`. */
export type PlannedRoomForecast = RoomForecast & { readonly dayStart: number; readonly dayEnd: number };

/** Who is who in a room's day, parallel to the engine's input lists (for pages and words). */
export type RoomDayInput = {
  readonly roomDay: RoomDay;
  /** Parallel to `roomDay.people`. */
  readonly people: readonly { readonly person: Person; readonly shifts: readonly Shift[] }[];
  /** Parallel to `roomDay.children`: the child and its age category's label that day. */
  readonly children: readonly { readonly child: Child; readonly category: CategoryLabel }[];
  readonly naps: readonly RoomNap[];
};


/** Where one person of the room's day stands now (reality before plan), with words for the exceptions. */
export type StaffNow = {
  readonly person: Person;
  readonly reality: PersonReality;
  /**
   * What a director should hear, or null when all is as planned: "Grace Kim has not
   * arrived for Toddlers, due 11:00", "Sam Rivera's shift ended 11:00 — still here?".
   */
  readonly attention: string | null;
};

export type RoomForecastView = {
  readonly room: Room;
  readonly forecast: PlannedRoomForecast;
  readonly flag: ForecastFlag | null;
  /** "needs cover now" (a breach under way), "needs cover by 15:00", "over group size at 15:00". */
  readonly flagText: string | null;
  /** The start of the breach under way at `now` (it may have begun before now), or null. */
  readonly breachSince: number | null;
  /** Parallel to `input.people`: each person's standing now (only on the forecast's own day). */
  readonly staffNow: readonly StaffNow[];
  /** The cover need the flag is about (where the breach stands at `now`, or where it starts). */
  readonly coverNeed: CoverNeed | null;
  /** "Maya Lopez leaves 15:00; 2 infants arrive 15:30": the next two planned moments after `now`. */
  readonly nextChange: string | null;
  readonly input: RoomDayInput;
};

export type CenterForecast = {
  readonly day: string;
  readonly horizonMinutes: number;
  readonly rooms: Map<string, RoomForecastView>;
  readonly pack: RulePack;
  readonly zone: string;
  /** Epoch ms. */
  readonly now: number;
  readonly dayStart: number;
  readonly dayEnd: number;
};

export type ForecastOptions = {
  /** `YYYY-MM-DD` on the center's calendar; today by default. */
  readonly day?: string;
  /** Only these rooms (a write recomputing the rooms it touched). */
  readonly roomIds?: readonly string[];
  /** The audit log's heads as `db` sees them, when the caller has them (a group commit's, after its trail); else read once here. */
  readonly heads?: AuditHeads | undefined;
};

export async function forecastCenter(db: Knex, center: Center, now: Date, opts: ForecastOptions = {}): Promise<CenterForecast> {
  return forecastOfDay(center, now, await loadCenterDay(db, center, now, opts));
}

/** The forecast of a day already loaded (`loadCenterDay`), reading nothing. */
export function forecastOfDay(center: Center, now: Date, loaded: CenterDay): CenterForecast {
  const { pack, zone, day, dayStart, dayEnd } = loaded;
  const at = now.getTime();
  const horizonMinutes = center.forecastHorizonMinutes;
  const rooms = new Map<string, RoomForecastView>();
  const today = dayStart <= at && at < dayEnd;
  for (const room of loaded.rooms) {
    const input = loaded.inputs.get(room.id)!;
    const forecast: PlannedRoomForecast = { ...forecastRoomDay(pack, input.roomDay, zone, day), dayStart, dayEnd };
    const flag = forecastFlag(forecast, horizonMinutes, at);
    const staffNow = today ? input.roomDay.people.map((p, i) => staffNowOf(input.people[i]!.person, personRealityAt(p, at, center.graceMinutes, dayEnd), p.presences ?? [], room, day, zone)) : [];
    rooms.set(room.id, {
      room,
      forecast,
      flag,
      flagText: flag ? flagWords(flag, at, day, zone) : null,
      breachSince: breachUnderWay(forecast, at),
      staffNow,
      coverNeed: flag ? flaggedNeed(forecast, flag, at) : null,
      nextChange: nextChangeWords(input, at, dayEnd, day, zone, center.graceMinutes),
      input,
    });
  }
  return { day, horizonMinutes, rooms, pack, zone, now: at, dayStart, dayEnd };
}

/** "needs cover now" for a breach already under way (it may have begun before now), else "needs cover by 15:00". */
export function flagWords(flag: ForecastFlag, at: number, day: string, zone: string): string {
  if (flag.start <= at) return flag.kind === 'needs_cover' ? 'needs cover now' : 'over group size now';
  return `${flag.kind === 'needs_cover' ? 'needs cover by' : 'over group size at'} ${clockTime(flag.start, zone, { on: day })}`;
}

/** The start of the run of non-compliant intervals holding `at`, or null when the room holds at `at`. */
function breachUnderWay(forecast: RoomForecast, at: number): number | null {
  const { intervals } = forecast;
  let i = intervals.findIndex((iv) => iv.start <= at && at < iv.end);
  if (i < 0 || intervals[i]!.compliant) return null;
  while (i > 0 && !intervals[i - 1]!.compliant && intervals[i - 1]!.end === intervals[i]!.start) i -= 1;
  return intervals[i]!.start;
}

function staffNowOf(person: Person, reality: PersonReality, presences: readonly RecordedPresence[], room: Room, day: string, zone: string): StaffNow {
  const name = person.displayName;
  const shift = reality.shift;
  const clock = (t: number) => clockTime(t, zone, { on: day });
  let attention: string | null = null;
  switch (reality.status) {
    case 'late':
      attention = `${name} is late for ${room.name}, due ${clock(shift!.start)}`;
      break;
    case 'no_show':
      attention = `${name} has not arrived for ${room.name}, due ${clock(shift!.start)}`;
      break;
    case 'left': {
      const last = presences.reduce<number | null>((m, p) => (p.end !== null && (m === null || p.end > m) ? p.end : m), null);
      attention = `${name} left ${room.name}${last !== null ? ` at ${clock(last)}` : ''}, before the end of their shift (${clock(shift!.end)})`;
      break;
    }
    case 'present_unplanned':
      attention = shift ? `${name}'s shift ended ${clock(shift.end)} — still here?` : `${name} is here with no planned shift — still here?`;
      break;
    default:
      attention = null;
  }
  return { person, reality, attention };
}

/**
 * The first instant at or after `from` at which the room holds: `from` itself when
 * it is compliant then (or nothing is planned then), else the end of the breach under
 * way. Null when that breach lasts to the end of the forecast's day (children still
 * expected at midnight: no end is known).
 */
export function nextCompliantAt(forecast: RoomForecast & { readonly dayEnd?: number }, from: number): number | null {
  const { intervals } = forecast;
  let i = intervals.findIndex((iv) => iv.start <= from && from < iv.end);
  if (i < 0 || intervals[i]!.compliant) return from;
  let end = intervals[i]!.end;
  while (i + 1 < intervals.length && !intervals[i + 1]!.compliant && intervals[i + 1]!.start === end) {
    i += 1;
    end = intervals[i]!.end;
  }
  if (forecast.dayEnd !== undefined && end >= forecast.dayEnd) return null;
  return end;
}

/** The cover need where the flagged breach stands at `at` (or where it starts, if later). */
function flaggedNeed(forecast: RoomForecast, flag: ForecastFlag, at: number): CoverNeed | null {
  if (flag.kind !== 'needs_cover') return null;
  const point = Math.max(flag.start, at);
  return (
    forecast.coverNeeds.find((n) => n.start <= point && point < n.end) ??
    forecast.coverNeeds.find((n) => n.end > point && n.start >= flag.start) ??
    null
  );
}

// ---------------------------------------------------------------- loading

export type CenterDay = {
  readonly center: Center;
  readonly pack: RulePack;
  readonly zone: string;
  readonly day: string;
  readonly dayStart: number;
  readonly dayEnd: number;
  readonly rooms: readonly Room[];
  readonly shifts: readonly Shift[];
  /** With `roomIds`, also the presences elsewhere of those rooms' own children (they only mark them as seen). */
  readonly childPresences: readonly Presence[];
  readonly personPresences: readonly Presence[];
  readonly children: ReadonlyMap<string, Child>;
  readonly people: ReadonlyMap<string, Person>;
  /** Children's expected arrival and departure on this weekday (`HH:mm`), by child id. */
  readonly schedules: ReadonlyMap<string, { readonly arrive: string; readonly depart: string }>;
  readonly absences: readonly ChildAbsence[];
  /** The merges in force at some point of the day (laid over the rooms' days in `inputs`, `domain/merges.ts`). */
  readonly merges: readonly RoomMerge[];
  readonly inputs: ReadonlyMap<string, RoomDayInput>;
};

/**
 * Everything a center's day forecast reads, one query per table, grouped by room in
 * memory. With `roomIds`, only what those rooms' forecast needs (a write recomputing
 * the rooms it touched): each read filtered to the rooms in SQL, so a check-in does not
 * read the whole center. Either way a room's input is the same.
 */
export async function loadCenterDay(db: Knex, center: Center, now: Date, opts: ForecastOptions = {}): Promise<CenterDay> {
  const zone = center.timeZone;
  const day = opts.day ?? dayOf(center, now);
  const bounds = dayBounds(day, zone);
  // The routes validate the day; a bad one here is a bug.
  if (!bounds) throw new Error(`forecastCenter: bad day ${day}`);
  // One read of the heads for both kept values (the plan an unmade day would have, the setup rows).
  const heads = opts.heads ?? (await auditHeads(db));
  const unmade = await unmadeDayPlan(db, center, day, now, heads);

  const window = { day, weekday: weekdayOf(day), from: new Date(bounds.start), to: new Date(bounds.end) };
  // The day's merges: a room merged with one asked for is loaded with it, its day being part of the other's.
  const merges = await listMergesOverlapping(db, center.id, window.from, window.to);
  if (opts.roomIds && merges.length > 0) opts = { ...opts, roomIds: partnersOf(opts.roomIds, merges) };
  // The center's kept setup rows (db/center-setup.ts): then only the day's presences are read.
  const kept = await centerSetup(db, center.id, heads);
  const stored = kept
    ? await readKept(db, center.id, window, kept, opts.roomIds)
    : opts.roomIds
      ? await readRooms(db, center.id, window, opts.roomIds)
      : await readCenter(db, center.id, window);
  const read = unmade ? withUnmadePlan(stored, unmade, opts.roomIds) : stored;
  const { rooms, shifts, personPresences } = read;
  const personIds = [...new Set([...shifts.map((s) => s.personId), ...personPresences.map((p) => p.subjectId)])];
  const [people, trainings] = kept
    ? peopleFromKept(kept, personIds)
    : await together(db, [() => listPeopleByIdsInCenter(db, center.id, personIds), () => listVerifiedTrainingsOfPeople(db, center.id, personIds)] as const);

  const pack = withCenterTrainings(packOf(center), read.centerTrainings);
  const personById = new Map(people.map((p) => [p.id, p]));

  const loaded = {
    center,
    pack,
    zone,
    day,
    dayStart: bounds.start,
    dayEnd: bounds.end,
    rooms,
    shifts,
    childPresences: read.childPresences,
    personPresences,
    children: read.children,
    people: personById,
    schedules: read.schedules,
    absences: read.absences,
    merges,
  };
  return { ...loaded, inputs: mergedInputs(roomInputs(loaded, read.naps, onFileOf(trainings), now.getTime()), merges) };
}

/** `roomIds` and every room merged with one of them that day, and so on. */
function partnersOf(roomIds: readonly string[], merges: readonly RoomMerge[]): string[] {
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
  return [...ids];
}

/** The rooms' inputs with the day's merges laid over their days (`withMerges`); the lists of who is who stay each room's own. */
function mergedInputs(inputs: Map<string, RoomDayInput>, merges: readonly RoomMerge[]): Map<string, RoomDayInput> {
  if (merges.length === 0) return inputs;
  const days = new Map([...inputs].map(([id, input]) => [id, input.roomDay]));
  const laid = withMerges(days, merges.map((m) => ({ from: m.fromRoomId, into: m.intoRoomId, start: Date.parse(m.startsAt), end: mergeEnd(m) })));
  const out = new Map<string, RoomDayInput>();
  for (const [id, input] of inputs) out.set(id, laid.get(id) === input.roomDay ? input : { ...input, roomDay: laid.get(id)! });
  return out;
}

/**
 * The day's stored shifts (covers accepted before the plan was made, say) and those of
 * the plan it would be made of, in the order the shifts' reads give them (start, id).
 */
function withUnmadePlan(read: DayRows, unmade: readonly Shift[], roomIds: readonly string[] | undefined): DayRows {
  const wanted = roomIds ? new Set(roomIds) : null;
  const planned = wanted ? unmade.filter((s) => wanted.has(s.roomId)) : unmade;
  const shifts = [...read.shifts, ...planned].sort((a, b) => (a.startsAt < b.startsAt ? -1 : a.startsAt > b.startsAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { ...read, shifts };
}

type DayWindow = { readonly day: string; readonly weekday: number; readonly from: Date; readonly to: Date };

/** The rows of a day, before people: `loadCenterDay`'s reads of a whole center or of some rooms. */
type DayRows = Pick<CenterDay, 'rooms' | 'shifts' | 'childPresences' | 'personPresences' | 'children' | 'schedules' | 'absences'> & {
  readonly naps: readonly RoomNap[];
  readonly centerTrainings: Awaited<ReturnType<typeof listCenterTrainings>>;
};

/** The whole center: every open room, every child (archived too) and schedule. */
async function readCenter(db: Knex, centerId: string, w: DayWindow): Promise<DayRows> {
  const [rooms, shifts, childPresences, personPresences, children, schedules, absences, naps, centerTrainings] = await together(db, [
    () => listRoomsInCenter(db, centerId),
    () => listShiftsForDay(db, centerId, w.day),
    () => listPresencesBetween(db, 'child', centerId, w.from, w.to),
    () => listPresencesBetween(db, 'person', centerId, w.from, w.to),
    () => listChildrenInCenter(db, centerId, { includeArchived: true }),
    () => listSchedulesInCenter(db, centerId),
    () => listAbsencesOfDay(db, centerId, w.day),
    () => listRoomNapsInCenter(db, centerId),
    () => listCenterTrainings(db, centerId),
  ] as const);
  const scheduleOf = new Map<string, { arrive: string; depart: string }>();
  for (const s of schedules) if (s.weekday === w.weekday) scheduleOf.set(s.childId, { arrive: s.arrive, depart: s.depart });
  return { rooms, shifts, childPresences, personPresences, children: new Map(children.map((c) => [c.id, c])), schedules: scheduleOf, absences, naps, centerTrainings };
}

/**
 * Only what the forecast of `roomIds` needs. Children: those at home in the rooms and
 * those with a presence in them that day, with their schedule for the weekday.
 * Child presences: those in the rooms, and those of the rooms' own children in any
 * room; one elsewhere only marks the child as seen (no room here takes it), so a child
 * checked in to another room is not also expected at home.
 */
async function readRooms(db: Knex, centerId: string, w: DayWindow, roomIds: readonly string[]): Promise<DayRows> {
  const wanted = new Set(roomIds);
  const [allRooms, shifts, childPresences, personPresences, children, absences, naps, centerTrainings] = await together(db, [
    () => listRoomsInCenter(db, centerId),
    () => listShiftsForDayInRooms(db, centerId, w.day, roomIds),
    () => listChildPresencesForRoomsBetween(db, centerId, roomIds, w.from, w.to),
    () => listPresencesBetween(db, 'person', centerId, w.from, w.to, roomIds),
    () => listChildrenOfRoomsOnDay(db, centerId, roomIds, w),
    () => listAbsencesOfDay(db, centerId, w.day),
    () => listRoomNapsInRooms(db, centerId, roomIds),
    () => listCenterTrainings(db, centerId),
  ] as const);
  const scheduleOf = new Map<string, { arrive: string; depart: string }>();
  for (const c of children) if (c.schedule) scheduleOf.set(c.child.id, c.schedule);
  return {
    // The center's open rooms are a few dozen rows; only the wanted ones go on.
    rooms: allRooms.filter((r) => wanted.has(r.id)),
    shifts,
    childPresences,
    personPresences,
    children: new Map(children.map((c) => [c.child.id, c.child])),
    schedules: scheduleOf,
    absences,
    naps,
    centerTrainings,
  };
}

/**
 * The same rows as readRooms (with `roomIds`) or readCenter, from the center's kept
 * setup rows (db/center-setup.ts) and the day's presences, the only rows read.
 */
async function readKept(db: Knex, centerId: string, w: DayWindow, setup: CenterSetup, roomIds: readonly string[] | undefined): Promise<DayRows> {
  const wanted = roomIds ? new Set(roomIds) : null;
  const inRooms = <T extends { readonly roomId: string }>(rows: readonly T[]) => (wanted ? rows.filter((r) => wanted.has(r.roomId)) : [...rows]);
  const [dayRows, childPresences, personPresences] = await Promise.all([
    setup.day(db, w.day),
    roomIds ? listChildPresencesForRoomsBetween(db, centerId, roomIds, w.from, w.to) : listPresencesBetween(db, 'child', centerId, w.from, w.to),
    listPresencesBetween(db, 'person', centerId, w.from, w.to, roomIds),
  ]);
  return {
    rooms: wanted ? setup.rooms.filter((r) => wanted.has(r.id)) : [...setup.rooms],
    shifts: inRooms(dayRows.shifts),
    childPresences,
    personPresences,
    // Every child (a schedule of a child at home elsewhere finds no room of the subset, as in readRooms).
    children: setup.childById as Map<string, Child>,
    schedules: schedulesOn(setup, w.weekday),
    absences: [...dayRows.absences],
    naps: inRooms(setup.naps),
    centerTrainings: [...setup.centerTrainings],
  };
}

/** Each child's schedule for the weekday, from the kept rows (worked out once per weekday while they stand). */
const keptSchedules = new WeakMap<CenterSetup, Map<number, Map<string, { arrive: string; depart: string }>>>();
function schedulesOn(setup: CenterSetup, weekday: number): Map<string, { arrive: string; depart: string }> {
  let byWeekday = keptSchedules.get(setup);
  if (!byWeekday) keptSchedules.set(setup, (byWeekday = new Map()));
  let on = byWeekday.get(weekday);
  if (!on) {
    on = new Map();
    for (const s of setup.schedules) if (s.weekday === weekday) on.set(s.childId, { arrive: s.arrive, depart: s.depart });
    byWeekday.set(weekday, on);
  }
  return on;
}

/** listPeopleByIdsInCenter and listVerifiedTrainingsOfPeople, from the kept rows. */
function peopleFromKept(setup: CenterSetup, personIds: readonly string[]): [Person[], TrainingCompletion[]] {
  const ids = new Set(personIds);
  const people = personIds.map((id) => setup.personById.get(id)).filter((p): p is Person => p !== undefined);
  return [people, setup.trainings.filter((t) => ids.has(t.personId))];
}

function roomInputs(
  d: Omit<CenterDay, 'inputs'>,
  naps: readonly RoomNap[],
  onFile: ReturnType<typeof onFileOf>,
  asOf: number,
): Map<string, RoomDayInput> {
  const { pack, zone, day, dayStart, dayEnd } = d;
  const civil = parseCivilDate(day)!;
  const closing = instantOnDay(day, d.center.closesAt, zone);
  const at = (time: string) => instantOnDay(day, time, zone);
  // The center's hours and windows (day-hours.ts), once for every room.
  const hours = centerHoursOf(d.center, pack);
  const arrivalDeparture = windowsOnDay(hours, day, zone);
  const clockPhases = clockPhasesOnDay(pack, hours, day, zone);
  const clipStart = (iso: string) => Math.max(Date.parse(iso), dayStart);
  const clipEnd = (iso: string | null) => (iso === null ? null : Math.min(Date.parse(iso), dayEnd));

  const labels = new Map<string, CategoryLabel>();
  const categoryOf = (child: Child): CategoryLabel => {
    let label = labels.get(child.id);
    if (!label) {
      const birth = parseCivilDate(child.birthDate);
      const placed = birth ? placeInBand(pack, ageOn(birth, civil), child.attendsKindergarten) : null;
      // A designation the engine accepts counts the child in another band.
      const designated = child.designation ? designatedBandOf(pack, hours, child, dayStart, zone) : null;
      const band = designated ? pack.bands.find((b) => b.id === designated) : placed && !placed.belowMinimum ? pack.bands[placed.bandIndex] : undefined;
      label = band ? categoryWords(band.label) : { one: 'child under the minimum age', many: 'children under the minimum age' };
      labels.set(child.id, label);
    }
    return label;
  };
  const departOf = (child: Child, arrive: number): number => {
    const s = d.schedules.get(child.id);
    const depart = s ? at(s.depart) : closing;
    return depart > arrive ? depart : Math.max(closing, dayEnd);
  };

  type Building = {
    people: Map<string, { person: Person; shifts: Shift[]; windows: Window[]; breaks: Window[]; presences: RecordedPresence[] }>;
    children: { child: Child; day: ChildDay }[];
  };
  const byRoom = new Map<string, Building>();
  for (const room of d.rooms) byRoom.set(room.id, { people: new Map(), children: [] });
  const personIn = (roomId: string, personId: string) => {
    const b = byRoom.get(roomId);
    const person = d.people.get(personId);
    if (!b || !person) return undefined;
    let entry = b.people.get(personId);
    if (!entry) b.people.set(personId, (entry = { person, shifts: [], windows: [], breaks: [], presences: [] }));
    return entry;
  };

  for (const s of d.shifts) {
    const entry = personIn(s.roomId, s.personId);
    if (!entry) continue;
    entry.shifts.push(s);
    entry.windows.push({ start: Date.parse(s.startsAt), end: Date.parse(s.endsAt) });
    for (const b of s.breaks) entry.breaks.push({ start: Date.parse(b.startsAt), end: Date.parse(b.endsAt) });
  }
  for (const p of d.personPresences) {
    const entry = personIn(p.roomId, p.subjectId);
    if (!entry) continue;
    const start = clipStart(p.startedAt);
    const end = clipEnd(p.endedAt);
    if (end === null || start < end) entry.presences.push({ start, end });
  }

  const seenToday = new Set<string>();
  for (const p of d.childPresences) {
    seenToday.add(p.subjectId);
    const b = byRoom.get(p.roomId);
    const child = d.children.get(p.subjectId);
    if (!b || !child) continue;
    const checkedInAt = clipStart(p.startedAt);
    const checkedOutAt = clipEnd(p.endedAt);
    if (checkedOutAt !== null && checkedOutAt <= checkedInAt) continue;
    b.children.push({
      child,
      day: { ...childInRoom(hours, child), arrive: checkedInAt, depart: departOf(child, checkedInAt), checkedInAt, checkedOutAt },
    });
  }
  const absent = new Set(d.absences.map((a) => a.childId));
  for (const [childId, s] of d.schedules) {
    if (seenToday.has(childId) || absent.has(childId)) continue;
    const child = d.children.get(childId);
    if (!child || child.archivedAt !== null || !child.homeRoomId) continue;
    const b = byRoom.get(child.homeRoomId);
    if (!b) continue;
    const arrive = at(s.arrive);
    const depart = at(s.depart);
    if (!(arrive < depart)) continue;
    b.children.push({ child, day: { ...childInRoom(hours, child), arrive, depart } });
  }

  const out = new Map<string, RoomDayInput>();
  for (const room of d.rooms) {
    const b = byRoom.get(room.id)!;
    const roomNaps = naps.filter((n) => n.roomId === room.id);
    const people = [...b.people.values()].sort((x, y) => x.person.displayName.localeCompare(y.person.displayName));
    b.children.sort((x, y) => x.day.arrive - y.day.arrive || x.child.displayName.localeCompare(y.child.displayName));
    const roomDay: RoomDay = {
      children: b.children.map((c) => c.day),
      people: people.map(
        (p): PersonDay => ({
          ...toPersonInRoom(onFile(p.person)),
          shifts: p.windows,
          breaks: p.breaks,
          presences: p.presences,
        }),
      ),
      naps: roomNaps.map((n) => ({ start: at(n.start), end: at(n.end) })).filter((w) => w.start < w.end),
      maxGroupSize: room.maxGroupSize,
      serves: room.ageCategories,
      asOf,
      graceMinutes: d.center.graceMinutes,
      ...(hours.hours ? { hours: hours.hours, arrivalDeparture, clockPhases } : {}),
      ...(hours.nightCare && room.nightProgram ? { night: true } : {}),
    };
    out.set(room.id, {
      roomDay,
      people: people.map((p) => ({ person: p.person, shifts: p.shifts })),
      children: b.children.map((c) => ({ child: c.child, category: categoryOf(c.child) })),
      naps: roomNaps,
    });
  }
  return out;
}

/** "Infant" → infant / infants; "School-age" → school-age child / school-age children. */
export function categoryWords(label: string): CategoryLabel {
  const word = label.toLowerCase();
  return word.endsWith('age') ? { one: `${word} child`, many: `${word} children` } : { one: word, many: `${word}s` };
}
