import { z } from 'zod';
import { evaluateRoom } from '../domain/ratio.js';
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
const Scenario = z.object({
  state: StateField,
  activity: ActivityField.default('normal'),
  children: z.array(ChildInput, { message: 'must be a list' }).default([]),
  staff: z.array(PersonInput, { message: 'must be a list' }).default([]),
});

export function ratioCheck(text: string) {
  const raw = parseJson(text);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new InputError('input: must be a JSON object');
  const scenario = parseOrThrow(Scenario, raw);
  const pack = getPack(scenario.state)!;
  const at = parseInstant((raw as { at?: unknown }).at, 'at');
  const on = localDate(at, pack.timeZone ?? at.zoneName ?? 'UTC');
  const evaluation = evaluateRoom(
    pack,
    {
      activity: scenario.activity,
      children: toChildren(scenario.children, on, 'children'),
      people: toPeople(pack, scenario.staff, on, 'staff'),
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
      reasons: s.reasons,
      presence: s.presence,
    })),
    violations: evaluation.violations.map((v) => ({ code: v.code, message: v.message })),
    margin: evaluation.margin,
    notes: evaluation.notes,
  };
}

await runCli('ratio-check', ratioCheck);
