import { z } from 'zod';
import { evaluateRoom } from '../domain/ratio/evaluate-room.js';
import { reasonText } from '../domain/ratio/words.js';
import { getPack } from '../domain/rules/index.js';
import { localDate } from '../domain/calendar.js';
import {
  ActivityField,
  ChildInput,
  InputError,
  PersonInput,
  StateField,
  parseInstant,
  parseJson,
  parseOrThrow,
  runCli,
  toChildren,
  toPeople,
} from './scenario-input.js';

/**
 * `npm run -s ratio-check`: one JSON scenario on stdin, the evaluation as JSON
 * on stdout (exit 0); bad input: one line naming the field on stderr (exit 2).
 */
const Time = z.string({ message: 'required' }).regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time as HH:MM');
const Scenario = z.object({
  state: StateField,
  activity: ActivityField.default('normal'),
  children: z.array(ChildInput, { message: 'must be a list' }).default([]),
  staff: z.array(PersonInput, { message: 'must be a list' }).default([]),
  // Optional and additive: a night program, and the center's hours with its arrival/departure windows.
  night: z
    .union([z.boolean(), z.object({ asleep: z.number().int('must be a whole number of children').min(0, 'must not be negative').optional() })], {
      message: 'must be true, false or {"asleep": n}',
    })
    .optional(),
  hours: z
    .object({
      opens: Time,
      closes: z.union([Time, z.literal('24:00')], { message: 'must be a time as HH:MM' }),
      arrivalDeparture: z.array(z.object({ from: Time, to: z.union([Time, z.literal('24:00')], { message: 'must be a time as HH:MM' }) }), { message: 'must be a list' }).default([]),
    })
    .optional(),
});

export function ratioCheck(text: string) {
  const raw = parseJson(text);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new InputError('input: must be a JSON object');
  const scenario = parseOrThrow(Scenario, raw);
  const pack = getPack(scenario.state)!;
  const at = parseInstant((raw as { at?: unknown }).at, 'at');
  const on = localDate(at, pack.timeZone ?? at.zoneName ?? 'UTC');
  const children = toChildren(scenario.children, on, 'children', pack);
  const night = scenario.night === undefined || scenario.night === false ? null : scenario.night === true ? {} : scenario.night;
  if (night?.asleep !== undefined && night.asleep > children.length) {
    throw new InputError(`night.asleep: ${night.asleep} is more than the children present (${children.length})`);
  }
  const evaluation = evaluateRoom(
    pack,
    {
      activity: scenario.activity,
      children,
      people: toPeople(pack, scenario.staff, on, 'staff'),
      ...(night ? { night } : {}),
      ...(scenario.hours ? { hours: scenario.hours } : {}),
    },
    at,
  );
  return {
    state: evaluation.state,
    packStatus: evaluation.packStatus,
    at: at.toISO(),
    activity: evaluation.activity,
    compliant: evaluation.compliant,
    children: evaluation.children,
    byCategory: evaluation.byCategory,
    requiredStaff: evaluation.requiredStaff,
    countedStaff: evaluation.countedStaff,
    maxGroupSize: evaluation.maxGroupSize,
    staff: evaluation.staff.map((s) => ({
      counted: s.counted,
      countsAs: s.countsAs,
      reasons: s.reasons.map(reasonText),
      presence: s.presence,
    })),
    violations: evaluation.violations.map((v) => ({ code: v.code, message: reasonText(v.reason) })),
    margin: evaluation.margin,
    notes: evaluation.notes.map(reasonText),
  };
}

await runCli('ratio-check', ratioCheck);
