import { z } from 'zod';
import { ageOn, hasReached } from '../../domain/age.js';
import { compareCivil, parseCivilDate, type CivilDate } from '../../domain/calendar.js';
import type { AgeMark, RulePack } from '../../domain/rule-pack.js';
import { calendarDate, checkbox, clockTime, shortName } from '../forms.js';
import { WEEKDAYS } from '../labels.js';

/** When a pack names no maximum age, a center still serves children younger than 13. */
const DEFAULT_MAXIMUM: { mark: AgeMark; text: string } = { mark: { years: 13 }, text: 'younger than 13' };

export const CHILD_FIELDS = [
  'displayName',
  'birthDate',
  'homeRoomId',
  ...WEEKDAYS.flatMap(({ weekday }) => [`arrive${weekday}`, `depart${weekday}`]),
] as const;

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
  const maximum = pack.maximumAge ?? DEFAULT_MAXIMUM;
  const days = Object.fromEntries(
    WEEKDAYS.flatMap(({ weekday }) => [
      [`attends${weekday}`, checkbox()],
      [`arrive${weekday}`, z.string().trim().optional()],
      [`depart${weekday}`, z.string().trim().optional()],
    ]),
  ) as Record<`${'attends' | 'arrive' | 'depart'}${number}`, z.ZodType>;
  return z
    .object({
      displayName: shortName(80, 'Enter the name the child goes by, like "Maya R."'),
      birthDate: calendarDate('Enter the birth date, like 2024-05-31.')
        .refine((v) => notAfter(v, todayDate), 'The birth date cannot be in the future.')
        .refine(
          (v) => !tooOld(v, todayDate, maximum.mark),
          `A child born then is too old for this center: the rules cover children ${maximum.text}.`,
        ),
      homeRoomId: z.string({ error: 'Choose a home room.' }).refine((id) => id !== '', 'Choose a home room.').refine((id) => id === '' || roomIds.includes(id), 'Choose one of the rooms listed.'),
      attendsKindergarten: checkbox(),
      ...days,
    })
    .superRefine((f, ctx) => {
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
        schedule: WEEKDAYS.filter(({ weekday }) => form[`attends${weekday}`] === true).map(({ weekday }) => ({
          weekday,
          arrive: String(form[`arrive${weekday}`]),
          depart: String(form[`depart${weekday}`]),
        })),
      };
    });
}
export type ChildForm = z.output<ReturnType<typeof childForm>>;

function notAfter(date: string, today: CivilDate): boolean {
  const d = parseCivilDate(date);
  return d !== null && compareCivil(d, today) <= 0;
}

/** Whether a child born on `date` has reached the pack's maximum age today. */
function tooOld(date: string, today: CivilDate, mark: AgeMark): boolean {
  const d = parseCivilDate(date);
  return d !== null && hasReached(ageOn(d, today), mark);
}
