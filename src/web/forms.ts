import type { Request } from 'express';
import { z } from 'zod';
import { parseCivilDate } from '../domain/calendar.js';
import { passwordWeakness, type PasswordWeakness } from '../passwords.js';

/** What a save did, told once on the next page (post/redirect/get): "Ana Lopez saved." */
export function confirmSaved(req: Request, message: string): void {
  req.session.flash = { message, tone: 'ok' };
}

/** The message a save left for this page, taken so it shows once. */
export function takeFlash(req: Request): { readonly message: string; readonly tone: 'ok' | 'error' } | undefined {
  const flash = req.session.flash;
  if (flash) delete req.session.flash;
  return flash;
}

/** Field name → the first message about it, for `<p class="error" id="<field>-error">`. */
export type FieldErrors = Record<string, string>;

export function fieldErrors(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? 'form');
    out[key] ??= issue.message;
  }
  return out;
}

/** What the person typed, to put back in the form: strings only, never the password fields. */
export function keptValues(req: Request, fields: readonly string[]): Record<string, string> {
  const body = (req.body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(fields.map((f) => [f, typeof body[f] === 'string' ? body[f] : '']));
}

export const email = () =>
  z
    .string({ error: 'Enter an email address.' })
    .trim()
    .toLowerCase()
    .min(1, 'Enter an email address.')
    .max(254, 'That email address is too long.')
    .pipe(z.email('Enter an email address like name@example.org.'));

export const displayName = () =>
  z.string({ error: 'Enter a name.' }).trim().min(1, 'Enter a name.').max(100, 'Use at most 100 characters.');

const WEAK_PASSWORD: Record<PasswordWeakness, string> = {
  common: 'That password is on the lists attackers try first. Choose another: a few unrelated words make a good one.',
  repetitive: 'That password is a repeat or a sequence (like aaaa… or 1234…). Choose another: a few unrelated words make a good one.',
};

/** Long passphrases welcome; no composition rules (they make passwords worse, not stronger), but not a common one, a repeat or a sequence. */
export const newPassword = () =>
  z
    .string({ error: 'Choose a password of at least 12 characters.' })
    .min(12, 'Choose a password of at least 12 characters.')
    .max(200, 'Use at most 200 characters.')
    .superRefine((password, ctx) => {
      const weakness = passwordWeakness(password);
      if (weakness) ctx.addIssue({ code: 'custom', message: WEAK_PASSWORD[weakness] });
    });

export const passwordConfirmation = () => z.string({ error: 'Type the password again.' }).min(1, 'Type the password again.');

/** For a form with `password` and `passwordConfirmation`: the second must match the first. */
export const passwordsMatch: [(f: { password: string; passwordConfirmation: string }) => boolean, { path: string[]; message: string }] = [
  (f) => f.password === f.passwordConfirmation,
  { path: ['passwordConfirmation'], message: 'The two passwords are not the same.' },
];

/** One-time link tokens are 32 random bytes in base64url; anything else is not a link we made. */
export const Token = z.string().regex(/^[A-Za-z0-9_-]{43}$/);

// --- Center set-up fields. Each answers one plain message, next to its field.

/** A trimmed name of 1 to `max` characters. */
export const shortName = (max = 80, missing = 'Enter a name.') =>
  z.string({ error: missing }).trim().min(1, missing).max(max, `Use at most ${max} characters.`);

/** A whole number typed in a form, from `min` to `max`. */
export const wholeNumber = (min: number, max: number, message = `Enter a whole number from ${min} to ${max}.`) =>
  z
    .string({ error: message })
    .trim()
    .regex(/^\d{1,9}$/, message)
    .transform(Number)
    .pipe(z.number().min(min, message).max(max, message));

/** Like wholeNumber, but an empty field is null. */
export const optionalWholeNumber = (min: number, max: number, message = `Leave empty, or enter a whole number from ${min} to ${max}.`) =>
  z
    .string({ error: message })
    .trim()
    .transform((v, ctx) => {
      if (v === '') return null;
      const n = /^\d{1,9}$/.test(v) ? Number(v) : NaN;
      if (!(n >= min && n <= max)) {
        ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      }
      return n;
    });

/** A real calendar date as YYYY-MM-DD (what a date input sends); 2026-02-31 is not one. */
export const calendarDate = (message = 'Enter a date like 2024-05-31.') =>
  z
    .string({ error: message })
    .trim()
    .refine((v) => (parseCivilDate(v)?.year ?? 0) >= 1900, message);

/** A local wall-clock time HH:mm, 00:00 to 23:59 (what a time input sends). */
export const clockTime = (message = 'Enter a time like 07:30.') =>
  z
    .string({ error: message })
    .trim()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, message);

/** A checkbox: present (any value) is true, absent is false. */
export const checkbox = () =>
  z
    .unknown()
    .optional()
    .transform((v) => v !== undefined && v !== '');

/** The values of a multi-valued field (repeated checkboxes) as strings. */
export function listOf(body: unknown, field: string): string[] {
  const v = (body as Record<string, unknown> | undefined)?.[field];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return typeof v === 'string' ? [v] : [];
}
