import { DateTime } from 'luxon';
import { z } from 'zod';
import type { Room } from '../../db/rows.js';
import type { Span } from '../../domain/matching.js';
import { err, ok, type Result } from '../../domain/result.js';
import type { Level, RulePack } from '../../domain/rule-pack.js';
import { fieldErrors, type FieldErrors } from '../forms.js';
import { clockTime } from '../../words/format.js';
import { wallTime } from '../../words/times.js';
import { idField } from '../ids.js';

/**
 * The cover request form and the claim form, validated at the edge: every field
 * answers one plain message next to itself, and a window is checked on the
 * center's calendar (a time that does not exist that day, an end not after the
 * start, a window already over).
 */

export const REQUEST_FIELDS = ['roomId', 'day', 'start', 'end', 'count', 'trainings', 'reason'] as const;
export const MAX_PEOPLE = 10;
/** How far ahead a request may be made. */
export const MAX_DAYS_AHEAD = 60;

const HHMM = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/;

const time = (missing: string) =>
  z
    .string({ error: missing })
    .trim()
    .min(1, missing)
    .regex(HHMM, 'Enter a time like 15:00.')
    .transform((v) => v.slice(0, 5));

const RequestForm = z.object({
  roomId: idField('Choose a room.'),
  day: z.string({ error: 'Enter the day.' }).trim().regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter a date like 2026-03-02.'),
  start: time('Enter when the cover starts.'),
  end: time('Enter when the cover ends.'),
  count: z
    .string({ error: `Enter how many people, from 1 to ${MAX_PEOPLE}.` })
    .trim()
    .regex(/^\d{1,2}$/, `Enter how many people, from 1 to ${MAX_PEOPLE}.`)
    .transform(Number)
    .pipe(z.number().min(1, `Enter how many people, from 1 to ${MAX_PEOPLE}.`).max(MAX_PEOPLE, `Enter how many people, from 1 to ${MAX_PEOPLE}.`)),
  trainings: z.string().trim().max(200).optional().default(''),
  reason: z
    .string()
    .trim()
    .max(200, 'Keep the reason to 200 characters.')
    .optional()
    .transform((v) => (v ? v : null)),
});

export type ParsedRequest = {
  readonly room: Room;
  readonly window: Span;
  readonly count: number;
  readonly needs: readonly Level[];
  readonly trainings: readonly string[];
  readonly reason: string | null;
};

export type RequestValues = Record<(typeof REQUEST_FIELDS)[number], string> & { readonly needs: readonly string[] };

/** What was typed, to put back in the form. */
export function requestValues(body: unknown): RequestValues {
  const b = (body ?? {}) as Record<string, unknown>;
  const str = (k: string) => (typeof b[k] === 'string' ? (b[k] as string) : '');
  const needs = Array.isArray(b.needs) ? b.needs.filter((x): x is string => typeof x === 'string') : typeof b.needs === 'string' ? [b.needs] : [];
  return { roomId: str('roomId'), day: str('day'), start: str('start'), end: str('end'), count: str('count'), trainings: str('trainings'), reason: str('reason'), needs };
}

/** Validates the request form against the center's rooms, pack, zone and `now`. */
export function parseRequestForm(
  values: RequestValues,
  ctx: { readonly rooms: readonly Room[]; readonly pack: RulePack; readonly zone: string; readonly now: Date },
): Result<ParsedRequest, FieldErrors> {
  const parsed = RequestForm.safeParse(values);
  const errors: FieldErrors = parsed.success ? {} : fieldErrors(parsed.error);
  const room = ctx.rooms.find((r) => r.id === values.roomId.trim().toLowerCase());
  if (!errors.roomId && !room) errors.roomId = 'Choose a room.';
  const levels = new Set(ctx.pack.levels.map((l) => l.level));
  const needs: Level[] = [];
  for (const n of values.needs) {
    const v = n.trim();
    if (v === '') continue;
    if (!levels.has(v)) errors.needs ??= 'Choose a qualification from the list.';
    else needs.push(v);
  }
  const trainingIds = new Set(ctx.pack.trainings.map((t) => t.id));
  const trainings = values.trainings.split(',').map((t) => t.trim()).filter(Boolean);
  if (trainings.some((t) => !trainingIds.has(t))) errors.trainings ??= 'These trainings are not in the center’s rules. Start again from the board.';

  const here = DateTime.fromJSDate(ctx.now, { zone: ctx.zone });
  const today = here.toISODate()!;
  let window: Span | null = null;
  if (parsed.success) {
    const { day, start, end } = parsed.data;
    const dayStart = DateTime.fromISO(day, { zone: ctx.zone });
    if (!dayStart.isValid) errors.day = 'Enter a real date, like 2026-03-02.';
    else if (day < today) errors.day = 'Choose today or a later day.';
    else if (day > here.plus({ days: MAX_DAYS_AHEAD }).toISODate()!) errors.day = `Choose a day within ${MAX_DAYS_AHEAD} days.`;
    else {
      const s = wallTime(day, start, ctx.zone);
      const e = wallTime(day, end, ctx.zone);
      if (!s) errors.start = `${start} does not exist on ${day}: the clocks go forward then.`;
      if (!e) errors.end = `${end} does not exist on ${day}: the clocks go forward then.`;
      if (s && e) {
        if (!(e > s)) errors.end = 'The end must be after the start.';
        else if (e.toMillis() <= ctx.now.getTime()) errors.end = `That window is already over (it is ${clockTime(here)} now).`;
        else window = { start: s, end: e };
      }
    }
  }
  if (Object.keys(errors).length > 0 || !parsed.success || !room || !window) return err(errors);
  return ok({ room, window, count: parsed.data.count, needs: needs.slice(0, parsed.data.count), trainings, reason: parsed.data.reason });
}

/** A part of a request's window from `start` and `end` (`HH:mm` on the window's day); errors by field. */
export function parsePart(body: unknown, window: Span, zone: string): Result<Span, FieldErrors> {
  const b = (body ?? {}) as Record<string, unknown>;
  const PartForm = z.object({ start: time('Enter when you start.'), end: time('Enter when you finish.') });
  const parsed = PartForm.safeParse({ start: b.start ?? '', end: b.end ?? '' });
  if (!parsed.success) return err(fieldErrors(parsed.error));
  const day = window.start.setZone(zone).toISODate()!;
  const s = wallTime(day, parsed.data.start, zone);
  const e = wallTime(day, parsed.data.end, zone);
  if (!s) return err({ start: `${parsed.data.start} does not exist that day.` });
  if (!e) return err({ end: `${parsed.data.end} does not exist that day.` });
  if (!(e > s)) return err({ end: 'The end must be after the start.' });
  return ok({ start: s, end: e });
}

/** The prefill the board's "Request cover" link carries: `?roomId=&start=&end=&count=&needs=teacher,aide&trainings=aht,suid`. */
export function prefillFrom(query: Record<string, unknown>, today: string): RequestValues {
  const str = (k: string) => (typeof query[k] === 'string' ? (query[k] as string).slice(0, 200) : '');
  const needs = str('needs').split(',').map((s) => s.trim()).filter(Boolean).slice(0, MAX_PEOPLE);
  const count = /^\d{1,2}$/.test(str('count')) ? str('count') : needs.length > 0 ? String(needs.length) : '1';
  return { roomId: str('roomId'), day: /^\d{4}-\d{2}-\d{2}$/.test(str('day')) ? str('day') : today, start: str('start'), end: str('end'), count, trainings: str('trainings'), reason: '', needs };
}
