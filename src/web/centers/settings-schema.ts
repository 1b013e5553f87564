import { z } from 'zod';
import { CLAIM_MODES } from '../../db/rows.js';
import { PACKS } from '../../domain/rules/index.js';
import { isKnownZone } from '../../domain/wall-clock.js';
import { clockTime, shortName, wholeNumber } from '../forms.js';

export const NEW_CENTER_FIELDS = ['name', 'licenseNumber', 'packId', 'timeZone', 'opensAt', 'closesAt'] as const;
export const SETTINGS_FIELDS = [...NEW_CENTER_FIELDS, 'forecastHorizonMinutes', 'graceMinutes', 'expiryLeadDays', 'claimMode', 'waveSize', 'waveMinutes'] as const;

export const DEFAULT_TIME_ZONE = 'America/Chicago';

/** The zone's canonical spelling ("america/chicago" is stored as "America/Chicago"). */
function canonicalZone(zone: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
}

const packIds = PACKS.map((p) => p.id) as [string, ...string[]];

const newCenterShape = {
  name: shortName(80, "Enter the center's name."),
  licenseNumber: z
    .string()
    .trim()
    .max(40, 'Use at most 40 characters.')
    .optional()
    .transform((v) => v || null),
  packId: z.enum(packIds, { error: 'Choose the rules this center is licensed under.' }),
  timeZone: z
    .string({ error: 'Enter a time zone like America/Chicago.' })
    .trim()
    .refine((v) => v.includes('/') && isKnownZone(v), 'Enter a time zone from the list, like America/Chicago.')
    .transform((v) => (isKnownZone(v) ? canonicalZone(v) : v)),
  opensAt: clockTime('Enter the opening time, like 06:30.'),
  closesAt: clockTime('Enter the closing time, like 18:00.'),
};

/** Opening hours run forward within one day: a center closing after midnight is not supported. */
const hoursInOrder = <T extends { opensAt: string; closesAt: string }>(f: T, ctx: z.RefinementCtx) => {
  const ok = clockTime().safeParse(f.opensAt).success && clockTime().safeParse(f.closesAt).success;
  if (ok && f.closesAt <= f.opensAt) ctx.addIssue({ code: 'custom', path: ['closesAt'], message: `The closing time must be after the opening time (${f.opensAt}).` });
};

/** What an owner gives to create a center; the other settings start at their defaults. */
export const NewCenterForm = z.object(newCenterShape).superRefine(hoursInOrder);
export type NewCenterForm = z.output<typeof NewCenterForm>;

/** Every setting of a center. */
export const CenterSettingsForm = z
  .object({
    ...newCenterShape,
    forecastHorizonMinutes: wholeNumber(15, 240, 'Enter a number of minutes from 15 to 240.'),
    graceMinutes: wholeNumber(0, 60, 'Enter a number of minutes from 0 to 60.'),
    expiryLeadDays: wholeNumber(0, 120, 'Enter a number of days from 0 to 120.'),
    claimMode: z.enum(CLAIM_MODES, { error: 'Choose how cover requests are filled.' }),
    // Left out of the form (an older page), the center keeps what it has.
    waveSize: wholeNumber(1, 50, 'Enter a number of people from 1 to 50.').optional(),
    waveMinutes: wholeNumber(1, 120, 'Enter a number of minutes from 1 to 120.').optional(),
  })
  .superRefine(hoursInOrder);
export type CenterSettingsForm = z.output<typeof CenterSettingsForm>;
