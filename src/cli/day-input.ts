import { z } from 'zod';
import { getPack } from '../domain/rules/index.js';
import { parseCivilDate } from '../domain/calendar.js';
import { DEFAULT_GRACE_MINUTES, type ChildDay, type PersonDay, type RecordedPresence, type RoomDay, type Window } from '../domain/forecast.js';
import type { RulePack } from '../domain/rule-pack.js';
import { dayBounds, instantOfWallClock, isKnownZone, isWallClockTime } from '../domain/wall-clock.js';
import { ChildInput, InputError, PersonInput, StateField, isoDate, parseJson, parseOrThrow, toChildren, toPeople } from './scenario-input.js';
import { clockTime } from '../words/format.js';

/**
 * The forecast CLI's JSON day (docs/cli.md, `forecast`), read once for the CLIs that
 * take it (`forecast`, `remedies`): rooms with expected children, shifts, breaks and
 * naps as HH:mm on `date`, turned into each room's day as `forecastRoomDay` takes it.
 * Every rejection names the field.
 */

export const required = (otherwise: string) => (issue: { input: unknown }) => (issue.input === undefined ? 'required' : otherwise);

export const Time = z
  .string({ error: required('must be a time as HH:mm') })
  .refine(isWallClockTime, { message: 'must be a time as HH:mm from 00:00 to 23:59' });

export const list = <T extends z.ZodType>(item: T) => z.array(item, { error: required('must be a list') });

export const WindowInput = z
  .object({ start: Time, end: Time })
  .superRefine((w, ctx) => {
    if (w.end <= w.start) ctx.addIssue({ code: 'custom', path: ['end'], message: `must be after start (${w.start})` });
  });
export type WindowInput = z.infer<typeof WindowInput>;

/** A recorded time: `HH:mm`, or null for "not (yet)". */
const RecordedTime = z.union([Time, z.null()], { error: 'must be a time as HH:mm, or null' });

const ChildDayInput = ChildInput.extend({
  arrive: Time,
  depart: Time,
  checkedIn: RecordedTime.optional(),
  checkedOut: RecordedTime.optional(),
}).superRefine((c, ctx) => {
  if (c.depart <= c.arrive) ctx.addIssue({ code: 'custom', path: ['depart'], message: `must be after arrive (${c.arrive})` });
  if (c.checkedOut != null && c.checkedIn == null) ctx.addIssue({ code: 'custom', path: ['checkedOut'], message: 'needs checkedIn: a child is checked out only after being checked in' });
});

/** A presence as recorded: `end` null while still present at `now`. */
const PresenceInput = z.object({ start: Time, end: RecordedTime.default(null) });

const StaffDayInput = PersonInput.extend({
  shifts: list(WindowInput).default([]),
  breaks: list(WindowInput).default([]),
  present: list(PresenceInput).default([]),
}).superRefine((p, ctx) => {
  p.breaks.forEach((b, i) => {
    if (!p.shifts.some((s) => s.start <= b.start && b.end <= s.end)) {
      ctx.addIssue({ code: 'custom', path: ['breaks', i], message: `${b.start}-${b.end} must lie inside one of the person's shifts` });
    }
  });
});

const RoomInput = z.object({
  id: z.string({ error: required('must be a string') }).min(1, 'must not be empty'),
  naps: list(WindowInput).default([]),
  children: list(ChildDayInput).default([]),
  staff: list(StaffDayInput).default([]),
});

export const DayInput = z.object({
  state: StateField,
  date: z.string({ error: required('must be a date as YYYY-MM-DD') }).pipe(isoDate),
  timeZone: z.string({ error: 'must be an IANA time zone name' }).refine(isKnownZone, { message: 'unknown time zone (an IANA name, e.g. America/Chicago)' }).optional(),
  now: Time,
  horizonMinutes: z.number({ error: required('must be a number of minutes') }).min(0, 'must not be negative').default(60),
  recordedUntilNow: z.boolean({ error: 'must be true or false' }).default(false),
  graceMinutes: z.number({ error: 'must be a number of minutes' }).min(0, 'must not be negative').default(DEFAULT_GRACE_MINUTES),
  rooms: list(RoomInput),
});


export type DayJson = z.infer<typeof DayInput>;

/** A day read: the pack, the zone, `now`, and each room's day as the forecast takes it. */
export interface ReadDay {
  readonly day: DayJson;
  readonly pack: RulePack;
  readonly zone: string;
  readonly now: number;
  readonly dayEnd: number;
  /** `HH:mm` on the day to its instant, naming `field` when it does not exist. */
  readonly at: (time: string, field: string) => number;
  readonly hhmm: (instant: number) => string;
  /** In input order. */
  readonly rooms: readonly { readonly id: string; readonly roomDay: RoomDay }[];
}

/** Parses and checks the forecast's JSON day (`raw` already parsed from JSON). */
export function readDay(raw: unknown): ReadDay {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new InputError('input: must be a JSON object');
  const day = parseOrThrow(DayInput, raw);
  const pack = getPack(day.state)!;
  const zone = day.timeZone ?? pack.timeZone;
  if (zone === null) throw new InputError(`timeZone: required for ${pack.id}, whose rule pack has no time zone`);
  const on = parseCivilDate(day.date)!;

  const at = (time: string, field: string): number => {
    const instant = instantOfWallClock(day.date, time, zone);
    if (instant === null) throw new InputError(`${field}: ${time} does not exist on ${day.date} in ${zone} (the clocks spring forward)`);
    return instant;
  };
  const windows = (ws: readonly WindowInput[], field: string): Window[] =>
    ws.map((w, i) => ({ start: at(w.start, `${field}[${i}].start`), end: at(w.end, `${field}[${i}].end`) }));

  const now = at(day.now, 'now');
  const hhmm = (instant: number) => clockTime(instant, zone, { on: day.date });
  const dayEnd = dayBounds(day.date, zone)!.end;

  /** A recorded time: an instant no later than `now`. */
  const recorded = (time: string, field: string): number => {
    const instant = at(time, field);
    if (instant > now) throw new InputError(`${field}: ${time} is after now (${day.now}): only what happened up to now is recorded`);
    return instant;
  };
  const recordedWindow = (start: string, end: string | null, field: string, startName: string, endName: string): RecordedPresence => {
    const from = recorded(start, `${field}.${startName}`);
    if (end === null) return { start: from, end: null };
    const to = recorded(end, `${field}.${endName}`);
    if (to <= from) throw new InputError(`${field}.${endName}: must be after ${startName} (${start})`);
    return { start: from, end: to };
  };

  const rooms = day.rooms.map((room, r) => {
    const field = `rooms[${r}]`;
    const children: ChildDay[] = toChildren(room.children, on, `${field}.children`).map((child, i) => {
      const input = room.children[i]!;
      const f = `${field}.children[${i}]`;
      const stay = input.checkedIn == null ? null : recordedWindow(input.checkedIn, input.checkedOut ?? null, f, 'checkedIn', 'checkedOut');
      return {
        ...child,
        arrive: at(input.arrive, `${f}.arrive`),
        depart: at(input.depart, `${f}.depart`),
        ...(day.recordedUntilNow ? { checkedInAt: stay?.start ?? null, checkedOutAt: stay?.end ?? null } : {}),
      };
    });
    const people: PersonDay[] = toPeople(pack, room.staff, on, `${field}.staff`).map((person, i) => {
      const input = room.staff[i]!;
      const f = `${field}.staff[${i}]`;
      const presences = input.present.map((p, k) => recordedWindow(p.start, p.end, `${f}.present[${k}]`, 'start', 'end'));
      return {
        ...person,
        shifts: windows(input.shifts, `${f}.shifts`),
        breaks: windows(input.breaks, `${f}.breaks`),
        ...(day.recordedUntilNow ? { presences } : {}),
      };
    });
    const naps = windows(room.naps, `${field}.naps`);
    // Without recordedUntilNow the CLI takes a plan only: nothing has happened yet, so `now` decides the flag and nothing else.
    const asOf = day.recordedUntilNow ? now : null;
    return { id: room.id, roomDay: { children, people, naps, asOf, graceMinutes: day.graceMinutes } };
  });
  return { day, pack, zone, now, dayEnd, at, hhmm, rooms };
}

