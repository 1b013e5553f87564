import { z } from 'zod';
import { parseCivilDate } from '../../domain/calendar.js';

/** A `YYYY-MM-DD` date as a date input sends it; a real calendar date from 1900 on. */
export const civilDate = (missing: string) =>
  z
    .string({ error: missing })
    .trim()
    .min(1, missing)
    .refine((v) => parseCivilDate(v) !== null && v >= '1900-01-01', 'Enter a real date, like 2026-03-02.');

/** The same, or null when left blank. */
export const optionalCivilDate = () =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : null))
    .refine((v) => v === null || (parseCivilDate(v) !== null && v >= '1900-01-01'), 'Enter a real date, like 2026-03-02.');

/** A wall-clock time as a time input sends it (`HH:mm`, or `HH:mm:ss` from some browsers, cut to minutes). */
export const wallClock = (missing: string) =>
  z
    .string({ error: missing })
    .trim()
    .min(1, missing)
    .regex(/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/, 'Enter a time like 15:30.')
    .transform((v) => v.slice(0, 5));

/** Checkbox groups arrive as nothing, one string or several. */
export const manyOf = <T extends string>(values: readonly [T, ...T[]], message: string) =>
  z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.enum(values, { error: message })));

/** Strings from a form body, for putting back into the form (never file contents). */
export function keptStrings(body: unknown, fields: readonly string[]): Record<string, string> {
  const b = (body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(fields.map((f) => [f, typeof b[f] === 'string' ? (b[f] as string) : '']));
}
