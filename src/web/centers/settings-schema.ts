import { z } from 'zod';
import { CLAIM_MODES } from '../../db/rows.js';
import { judgeDayHours } from '../../domain/ratio/day-hours.js';
import { getPack, PACKS } from '../../domain/rules/index.js';
import { isKnownZone } from '../../domain/wall-clock.js';
import { packHasWindows } from '../../services/day-hours.js';
import { windowsTooLongText } from '../../words/day-hours.js';
import { clockTime, shortName, wholeNumber } from '../forms.js';
import { PACK_JURISDICTIONS } from '../labels.js';

export const NEW_CENTER_FIELDS = ['name', 'licenseNumber', 'packId', 'timeZone', 'opensAt', 'closesAt'] as const;
export const WINDOW_FIELDS = ['arrivalFrom', 'arrivalTo', 'departureFrom', 'departureTo'] as const;
export const SETTINGS_FIELDS = [...NEW_CENTER_FIELDS, 'forecastHorizonMinutes', 'graceMinutes', 'expiryLeadDays', 'claimMode', 'waveSize', 'waveMinutes', ...WINDOW_FIELDS] as const;

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

const optionalTime = z
  .string()
  .trim()
  .optional()
  .transform((v) => v);

type WindowsIn = { packId: string; opensAt: string; closesAt: string; arrivalFrom?: string; arrivalTo?: string; departureFrom?: string; departureTo?: string };

/**
 * The arrival and departure windows, where the pack has them: each both times or
 * neither, start before end, inside the hours, not overlapping, and together within
 * the pack's share of the day (the figures said). Left out of the form: not checked here
 * (the route keeps the stored ones and checks them against the hours).
 */
const windowsInOrder = (f: WindowsIn, ctx: z.RefinementCtx) => {
  const pack = getPack(f.packId);
  if (!pack || !packHasWindows(pack) || f.arrivalFrom === undefined) return;
  const hoursOk = clockTime().safeParse(f.opensAt).success && clockTime().safeParse(f.closesAt).success && f.opensAt < f.closesAt;
  const windows: { from: string; to: string; fromField: string; toField: string; name: string }[] = [];
  for (const [name, fromField, toField] of [
    ['arrival', 'arrivalFrom', 'arrivalTo'],
    ['departure', 'departureFrom', 'departureTo'],
  ] as const) {
    const from = f[fromField] ?? '';
    const to = f[toField] ?? '';
    if (from === '' && to === '') continue;
    let ok = true;
    if (!clockTime().safeParse(from).success) {
      ctx.addIssue({ code: 'custom', path: [fromField], message: `Enter when the ${name} window starts, like 07:00, or leave both times empty.` });
      ok = false;
    }
    if (!clockTime().safeParse(to).success) {
      ctx.addIssue({ code: 'custom', path: [toField], message: `Enter when the ${name} window ends, like 08:00, or leave both times empty.` });
      ok = false;
    }
    if (!ok) continue;
    if (to <= from) {
      ctx.addIssue({ code: 'custom', path: [toField], message: `The ${name} window must end after it starts (${from}).` });
      continue;
    }
    if (hoursOk && (from < f.opensAt || to > f.closesAt)) {
      ctx.addIssue({ code: 'custom', path: [from < f.opensAt ? fromField : toField], message: `The ${name} window must be within the hours of operation, ${f.opensAt}–${f.closesAt}.` });
      continue;
    }
    windows.push({ from, to, fromField, toField, name });
  }
  if (!hoursOk || windows.length === 0) return;
  const judged = judgeDayHours(pack, { opens: f.opensAt, closes: f.closesAt, arrivalDeparture: windows.map(({ from, to }) => ({ from, to })) });
  for (const p of judged.problems) {
    if (p.code === 'windows_overlap') {
      ctx.addIssue({ code: 'custom', path: ['departureFrom'], message: `The departure window must not overlap the arrival window (${p.params.first.from}–${p.params.first.to}).` });
    } else if (p.code === 'windows_too_long') {
      ctx.addIssue({ code: 'custom', path: ['arrivalFrom'], message: windowsTooLongText(p.params, PACK_JURISDICTIONS[pack.id] ?? pack.name) });
    }
  }
};

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
    // Shown only where the pack has arrival/departure windows; left out, the center keeps what it has.
    arrivalFrom: optionalTime,
    arrivalTo: optionalTime,
    departureFrom: optionalTime,
    departureTo: optionalTime,
  })
  .superRefine(hoursInOrder)
  .superRefine(windowsInOrder);
export type CenterSettingsForm = z.output<typeof CenterSettingsForm>;
