import { z } from 'zod';
import { compareCivil, parseCivilDate, wholeYearsBetween } from '../../domain/calendar.js';
import { ROLES, type RulePack } from '../../domain/rule-pack.js';
import { calendarDate, checkbox, shortName } from '../forms.js';

export const PERSON_FIELDS = ['displayName', 'role', 'qualifiesAs', 'birthDate', 'adultAttested', 'startedOn', 'email'] as const;

/** An optional date field: empty is null, anything else a real date not after `today`. */
const pastDateOrEmpty = (today: string, futureMessage: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) return null;
      const date = calendarDate().safeParse(v);
      if (!date.success) {
        ctx.addIssue({ code: 'custom', message: 'Enter a date like 2024-05-31.' });
        return z.NEVER;
      }
      if (compareCivil(parseCivilDate(v)!, parseCivilDate(today)!) > 0) {
        ctx.addIssue({ code: 'custom', message: futureMessage });
        return z.NEVER;
      }
      return v;
    });

/** An optional email: empty is null, anything else a real address, lowercased, at most 254 characters. */
const optionalEmail = () =>
  z
    .string({ error: 'Enter an email address, or leave it empty.' })
    .trim()
    .toLowerCase()
    .optional()
    .transform((v, ctx) => {
      if (!v) return null;
      if (v.length > 254) {
        ctx.addIssue({ code: 'custom', message: 'That email address is too long: at most 254 characters.' });
        return z.NEVER;
      }
      if (!z.email().safeParse(v).success) {
        ctx.addIssue({ code: 'custom', message: 'Enter an email address like name@example.org, or leave it empty.' });
        return z.NEVER;
      }
      return v;
    });

/**
 * The person form: name, role, the staff level held (from the center's pack), and
 * either a birth date or "18 or older" (one of them is required, for volunteers too:
 * the pack's minimum ages decide who may count), the start date, and an email kept
 * until the person has an account (where a bulk invitation goes).
 */
export function personForm({ pack, today }: { pack: RulePack; today: string }) {
  const levels = pack.levels.map((l) => l.level);
  return z
    .object({
      displayName: shortName(100, "Enter the person's name."),
      role: z.enum(ROLES, { error: 'Choose a role.' }),
      qualifiesAs: z
        .string()
        .optional()
        .transform((v) => v || null)
        .refine((v) => v === null || levels.includes(v), 'Choose a level from the list, or none.'),
      birthDate: pastDateOrEmpty(today, 'The birth date cannot be in the future.'),
      adultAttested: checkbox(),
      startedOn: pastDateOrEmpty(today, 'The start date cannot be in the future. Add the person on their first day.'),
      email: optionalEmail(),
    })
    .superRefine((f, ctx) => {
      if (f.birthDate === null && f.adultAttested !== true) {
        ctx.addIssue({ code: 'custom', path: ['birthDate'], message: 'Enter a birth date, or tick “18 or older”.' });
        return;
      }
      if (typeof f.birthDate === 'string' && f.adultAttested === true) {
        const birth = parseCivilDate(f.birthDate);
        if (birth && wholeYearsBetween(birth, parseCivilDate(today)!) < 18) {
          ctx.addIssue({ code: 'custom', path: ['adultAttested'], message: 'The birth date says this person is under 18: fix the date, or untick “18 or older”.' });
        }
      }
    });
}
export type PersonForm = z.output<ReturnType<typeof personForm>>;
