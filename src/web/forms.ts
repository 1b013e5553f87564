import type { Request } from 'express';
import { z } from 'zod';

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

/** Long passphrases welcome; no composition rules (they make passwords worse, not stronger). */
export const newPassword = () =>
  z
    .string({ error: 'Choose a password of at least 12 characters.' })
    .min(12, 'Choose a password of at least 12 characters.')
    .max(200, 'Use at most 200 characters.');

export const passwordConfirmation = () => z.string({ error: 'Type the password again.' }).min(1, 'Type the password again.');

/** For a form with `password` and `passwordConfirmation`: the second must match the first. */
export const passwordsMatch: [(f: { password: string; passwordConfirmation: string }) => boolean, { path: string[]; message: string }] = [
  (f) => f.password === f.passwordConfirmation,
  { path: ['passwordConfirmation'], message: 'The two passwords are not the same.' },
];

/** One-time link tokens are 32 random bytes in base64url; anything else is not a link we made. */
export const Token = z.string().regex(/^[A-Za-z0-9_-]{43}$/);
