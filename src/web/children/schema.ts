import { z } from 'zod';
import { parseCivilDate, type CivilDate } from '../../domain/calendar.js';
import type { RulePack } from '../../domain/rule-pack.js';
import { childBirthDateProblem, servedMaximumAge } from '../../domain/served-age.js';
import { DESIGNATION_BASES } from '../../db/rows.js';
import { calendarDate, checkbox, clockTime, optionalWholeNumber, shortName } from '../forms.js';
import { WEEKDAYS } from '../labels.js';

export const CHILD_FIELDS = [
  'displayName',
  'birthDate',
  'homeRoomId',
  ...WEEKDAYS.flatMap(({ weekday }) => [`arrive${weekday}`, `depart${weekday}`]),
] as const;

/** The child's designations the pack recognizes, as the form's choices ("basis:band"). */
export function designationOptions(pack: RulePack): { value: string; label: string; basis: (typeof DESIGNATION_BASES)[number] }[] {
  const out: { value: string; label: string; basis: (typeof DESIGNATION_BASES)[number] }[] = [];
  for (const d of pack.designations ?? []) {
    for (const id of d.toBands) {
      const band = pack.bands.find((b) => b.id === id);
      if (!band) continue;
      const basis = d.basis === 'age_flexibility' ? 'on a recorded age-flexibility agreement' : `eligible for kindergarten${d.withinMonths ? ` within ${d.withinMonths} months` : ''}`;
      out.push({ value: `${d.basis}:${id}`, label: `${band.label}, ${basis}`, basis: d.basis });
    }
  }
  return out;
}

/** The weekdays the form offers: Monday to Friday always, the weekend for centers open then. */
export const FORM_WEEKDAYS = WEEKDAYS;

export type ChildFormContext = {
  readonly pack: RulePack;
  /** The center's local date today, YYYY-MM-DD. */
  readonly today: string;
  /** Rooms a child may be placed in: the center's active rooms, plus the child's current home room even when archived. */
  readonly roomIds: readonly string[];
};

/**
 * The child form: a display name (no surnames needed), a birth date the pack
 * serves, a home room of this center, and for each weekday an "attends" box
 * with arrival and departure times (HH:mm, departure after arrival).
 */
export function childForm({ pack, today, roomIds }: ChildFormContext) {
  const todayDate = parseCivilDate(today)!;
  const maximum = servedMaximumAge(pack);
  const designations = new Set(designationOptions(pack).map((o) => o.value));
  const days = Object.fromEntries(
    WEEKDAYS.flatMap(({ weekday }) => [
      [`attends${weekday}`, checkbox()],
      [`arrive${weekday}`, z.string().trim().optional()],
      [`depart${weekday}`, z.string().trim().optional()],
    ]),
  ) as Record<`${'attends' | 'arrive' | 'depart'}${number}`, z.ZodType>;
  return z
    .object({
      displayName: shortName(100, 'Enter the name the child goes by, like "Maya R."'),
      birthDate: calendarDate('Enter the birth date, like 2024-05-31.')
        .refine((v) => problemOf(pack, v, todayDate) !== 'in_future', 'The birth date cannot be in the future.')
        .refine(
          (v) => problemOf(pack, v, todayDate) !== 'too_old',
          `A child born then is too old for this center: the rules cover children ${maximum.text}.`,
        ),
      homeRoomId: z.string({ error: 'Choose a home room.' }).refine((id) => id !== '', 'Choose a home room.').refine((id) => id === '' || roomIds.includes(id), 'Choose one of the rooms listed.'),
      attendsKindergarten: checkbox(),
      // Offered only where the pack has designations or individual staffing; left out, the child keeps what they have.
      designation: z
        .string()
        .trim()
        .optional()
        .refine((v) => v === undefined || v === '' || designations.has(v), 'Choose one of the designations listed.'),
      designationOn: z.string().trim().optional(),
      dedicatedStaff: optionalWholeNumber(1, 5, 'Leave empty, or enter how many staff the plan asks for, 1 to 5.').optional(),
      ...days,
    })
    .superRefine((f, ctx) => {
      if (f.designation && designations.has(f.designation) && !calendarDate().safeParse(f.designationOn ?? '').success) {
        const message = f.designation.startsWith('age_flexibility')
          ? 'Enter the date the agreement was recorded, like 2026-01-15.'
          : 'Enter the date the child starts kindergarten, like 2026-09-02.';
        ctx.addIssue({ code: 'custom', path: ['designationOn'], message });
      }
      const form = f as Record<string, unknown>;
      for (const { weekday, label } of WEEKDAYS) {
        if (form[`attends${weekday}`] !== true) continue;
        const arrive = String(form[`arrive${weekday}`] ?? '');
        const depart = String(form[`depart${weekday}`] ?? '');
        const arriveOk = clockTime().safeParse(arrive).success;
        const departOk = clockTime().safeParse(depart).success;
        if (!arriveOk) ctx.addIssue({ code: 'custom', path: [`arrive${weekday}`], message: `Enter ${label}'s arrival time, like 07:30.` });
        if (!departOk) ctx.addIssue({ code: 'custom', path: [`depart${weekday}`], message: `Enter ${label}'s departure time, like 16:30.` });
        // HH:mm strings of equal length sort like the times they name.
        if (arriveOk && departOk && depart <= arrive) {
          ctx.addIssue({ code: 'custom', path: [`depart${weekday}`], message: `${label}'s departure must be after the arrival at ${arrive}.` });
        }
      }
    })
    .transform((f) => {
      const form = f as Record<string, unknown>;
      return {
        displayName: f.displayName,
        birthDate: f.birthDate,
        homeRoomId: f.homeRoomId,
        attendsKindergarten: f.attendsKindergarten as boolean,
        designation: designationOf(f.designation, f.designationOn),
        dedicatedStaff: f.dedicatedStaff,
        schedule: WEEKDAYS.filter(({ weekday }) => form[`attends${weekday}`] === true).map(({ weekday }) => ({
          weekday,
          arrive: String(form[`arrive${weekday}`]),
          depart: String(form[`depart${weekday}`]),
        })),
      };
    });
}
export type ChildForm = z.output<ReturnType<typeof childForm>>;

/** undefined: left out of the form (kept); null: none. */
function designationOf(choice: string | undefined, on: string | undefined): { band: string; basis: (typeof DESIGNATION_BASES)[number]; on: string } | null | undefined {
  if (choice === undefined) return undefined;
  if (choice === '') return null;
  const [basis, band] = choice.split(':') as [(typeof DESIGNATION_BASES)[number], string];
  return { band, basis, on: on ?? '' };
}

/** The birth date's problem (served-age.ts), or null for a date that does not parse (calendarDate says so). */
function problemOf(pack: RulePack, date: string, today: CivilDate): 'in_future' | 'too_old' | null {
  const d = parseCivilDate(date);
  return d === null ? null : childBirthDateProblem(pack, d, today);
}
