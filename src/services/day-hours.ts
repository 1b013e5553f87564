/**
 * What a center's day gives the engine beyond who is in a room: its hours of
 * operation and arrival/departure windows (`Group.hours`), the activity a window
 * puts a room in, the children in care in the whole center (a time-of-day
 * ratio's condition), a child's designation and dedicated staff, and a room's
 * night program. The board, the room page, the cover checks and the forecast all
 * build their groups through here, so each is worked out one way; the center-level
 * values (`centerHoursOf`) once per load.
 */
import { DateTime } from 'luxon';
import type { Center, Child, Room } from '../db/rows.js';
import type { Activity, RulePack } from '../domain/rule-pack.js';
import { evaluateRoom } from '../domain/ratio/evaluate-room.js';
import type { ChildInRoom, DayHours, Group } from '../domain/ratio/types.js';
import type { Window } from '../domain/windows.js';
import { instantOnDay } from './day-plan.js';

export type DayWindowKind = 'arrival' | 'departure';

/** One of the center's windows, as `HH:mm` in its zone. */
export interface CenterWindow {
  readonly kind: DayWindowKind;
  readonly from: string;
  readonly to: string;
}

/** A center's day as its pack reads it, worked out once per load. */
export interface CenterHours {
  /** Passed to the engine (`Group.hours`) only when the pack reads them: its windows once the center has set one, its time-of-day ratios always. */
  readonly hours: DayHours | null;
  /** The windows the pack's arrival/departure stand-ins read; empty when the pack has none or the center set none. */
  readonly windows: readonly CenterWindow[];
  /** Whether the pack has a night program rule (a room's night program flag then counts). */
  readonly nightCare: boolean;
  /** Whether the pack recognizes designations and individual staffing (the child page offers them). */
  readonly designations: boolean;
  readonly dedicatedStaff: boolean;
}

/** Whether the pack has arrival/departure windows for a center to set. */
export const packHasWindows = (pack: RulePack): boolean => Boolean(pack.distribution?.arrivalDepartureWindows);

/** The center's arrival and departure windows that are set, arrival first. */
export function windowsOf(center: Pick<Center, 'arrivalWindow' | 'departureWindow'>): CenterWindow[] {
  const out: CenterWindow[] = [];
  if (center.arrivalWindow) out.push({ kind: 'arrival', ...center.arrivalWindow });
  if (center.departureWindow) out.push({ kind: 'departure', ...center.departureWindow });
  return out;
}

/** The hours and windows as the engine takes them. */
export function dayHoursOf(center: Pick<Center, 'opensAt' | 'closesAt'>, windows: readonly CenterWindow[]): DayHours {
  return { opens: center.opensAt, closes: center.closesAt, arrivalDeparture: windows.map((w) => ({ from: w.from, to: w.to })) };
}

export function centerHoursOf(center: Center, pack: RulePack): CenterHours {
  const windows = packHasWindows(pack) ? windowsOf(center) : [];
  const timeOfDay = (pack.timeOfDayRatios?.length ?? 0) > 0;
  return {
    hours: windows.length > 0 || timeOfDay ? dayHoursOf(center, windows) : null,
    windows,
    nightCare: Boolean(pack.nightCare),
    designations: (pack.designations?.length ?? 0) > 0,
    dedicatedStaff: Boolean(pack.individualStaffing),
  };
}

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The window in force at `at` (in the center's zone), or null. */
export function windowAt(day: CenterHours, at: DateTime): CenterWindow | null {
  if (day.windows.length === 0) return null;
  const now = at.hour * 60 + at.minute;
  return day.windows.find((w) => minutesOf(w.from) <= now && now < minutesOf(w.to)) ?? null;
}

/** A room's activity at `at`: the one set on it, or arrival and departure inside one of the center's windows. */
export function activityAt(day: CenterHours, stored: Activity, at: DateTime): Activity {
  return stored === 'normal' && windowAt(day, at) !== null ? 'arrival_departure' : stored;
}

/** The windows of `date` as instants, for the forecast (`RoomDay.arrivalDeparture`). */
export function windowsOnDay(day: CenterHours, date: string, zone: string): Window[] {
  return day.windows.map((w) => ({ start: instantOnDay(date, w.from, zone), end: instantOnDay(date, w.to, zone) })).filter((w) => w.start < w.end);
}

/**
 * Stretches of `date` in which the pack's time-of-day ratios may apply (after
 * opening and before closing), for the forecast to judge apart from the rest.
 */
export function clockPhasesOnDay(pack: RulePack, day: CenterHours, date: string, zone: string): Window[] {
  if (!day.hours || !pack.timeOfDayRatios?.length) return [];
  const opens = instantOnDay(date, day.hours.opens, zone);
  const closes = instantOnDay(date, day.hours.closes, zone);
  const out: Window[] = [];
  for (const r of pack.timeOfDayRatios) {
    if (r.afterOpeningMinutes > 0) out.push({ start: opens, end: Math.min(closes, opens + r.afterOpeningMinutes * 60_000) });
    if (r.beforeClosingMinutes > 0) out.push({ start: Math.max(opens, closes - r.beforeClosingMinutes * 60_000), end: closes });
  }
  return out.filter((w) => w.start < w.end);
}

/** A child as the engine takes them: birth date, kindergarten, the center's designation and dedicated staff. */
export function childInRoom(day: CenterHours, child: Child): ChildInRoom {
  const d = day.designations ? child.designation : null;
  const staff = day.dedicatedStaff ? child.dedicatedStaff : null;
  if (!d && !staff) return { birthDate: child.birthDate, attendsKindergarten: child.attendsKindergarten };
  return {
    birthDate: child.birthDate,
    attendsKindergarten: child.attendsKindergarten,
    designation: d
      ? { band: d.band, basis: d.basis, ...(d.basis === 'age_flexibility' ? { agreedOn: d.on } : { kindergartenStartsOn: d.on }) }
      : null,
    dedicatedStaff: staff,
  };
}

/**
 * The band id a child's designation puts them in at `at`, when the engine
 * accepts it (the pack recognizes it and its record holds); else null.
 */
export function designatedBandOf(pack: RulePack, day: CenterHours, child: Child, at: number, zone: string): string | null {
  if (!day.designations || !child.designation) return null;
  const e = evaluateRoom(pack, { activity: 'normal', children: [childInRoom(day, child)], people: [] }, DateTime.fromMillis(at, { zone: pack.timeZone ?? zone }), { explain: false });
  return (e.byCategory[child.designation.band] ?? 0) > 0 ? child.designation.band : null;
}

/** What a group takes from the center's day: its hours, the children in care in the center, a night program. */
export function dayOfGroup(day: CenterHours, room: Pick<Room, 'nightProgram'>, childrenInCenter: number | null): Pick<Group, 'hours' | 'childrenInCenter' | 'night'> {
  return {
    hours: day.hours,
    childrenInCenter,
    night: day.nightCare && room.nightProgram ? { asleep: null } : null,
  };
}
