import { z } from 'zod';
import { DateTime } from 'luxon';
import { ACTIVITIES, BACKGROUND_STUDY_STATUSES, PACK_IDS, ROLES, type RulePack } from '../domain/rule-pack.js';
import { getPack } from '../domain/rules/index.js';
import { addDays, addMonths, compareCivil, formatCivilDate, localDate, parseCivilDate, type CivilDate } from '../domain/calendar.js';
import type { ChildInRoom, PersonInRoom } from '../domain/ratio/types.js';

/**
 * The JSON scenario language shared by the CLIs (`ratio-check`, `forecast`):
 * children and people as the contract in the README describes them. Every
 * rejection names the field, e.g. `staff[1].role: unknown role "janitor"`.
 */

export class InputError extends Error {}

export const isoDate = z.string().refine((s) => parseCivilDate(s) !== null, { message: 'must be a real date as YYYY-MM-DD' });

/** A category the center designated a child into (the pack says which designations it recognizes). */
export const DesignationInput = z.object({
  category: z.string({ message: 'required' }).min(1, 'required'),
  basis: z.enum(['age_flexibility', 'kindergarten_eligible'], { message: 'must be age_flexibility or kindergarten_eligible' }),
  agreedOn: isoDate.optional(),
  kindergartenStartsOn: isoDate.optional(),
});

export const ChildInput = z.object({
  birthDate: isoDate.optional(),
  ageMonths: z.number().int('must be a whole number of months').min(0, 'must not be negative').max(240, 'must be at most 240').optional(),
  attendsKindergarten: z.boolean().optional(),
  designation: DesignationInput.optional(),
  dedicatedStaff: z.number().int('must be a whole number of staff').min(0, 'must not be negative').max(5, 'must be at most 5').optional(),
});

export const TrainingInput = z.object({
  id: z.string().min(1, 'required'),
  completedOn: isoDate,
});

export const PersonInput = z.object({
  role: z.enum(ROLES, { message: `must be one of ${ROLES.join(', ')}` }),
  qualifiesAs: z.enum(['teacher', 'assistant_teacher', 'aide'], { message: 'must be teacher, assistant_teacher or aide' }).optional(),
  qualified: z.boolean().optional(),
  ageYears: z.number().min(0, 'must not be negative').max(120, 'must be at most 120').optional(),
  birthDate: isoDate.optional(),
  backgroundStudy: z.enum(BACKGROUND_STUDY_STATUSES, { message: `must be one of ${BACKGROUND_STUDY_STATUSES.join(', ')}` }).optional(),
  trainings: z.array(TrainingInput, { message: 'must be a list' }).optional(),
  startedOn: isoDate.optional(),
  daysAtCenter: z.number().int('must be a whole number of days').min(0, 'must not be negative').optional(),
  qualifiedThrough: z.string().min(1, 'must not be empty').optional(),
});

export type ChildInput = z.infer<typeof ChildInput>;
export type PersonInput = z.infer<typeof PersonInput>;

export const StateField = z.string({ message: 'required' }).refine((s) => getPack(s) !== undefined, {
  message: `unknown state (one of ${PACK_IDS.join(', ')})`,
});

export const ActivityField = z.enum(ACTIVITIES, { message: `must be one of ${ACTIVITIES.join(', ')}` });

/** `a.b[2].c: message` for the first issue zod found. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0]!;
  const path = issue.path.reduce<string>(
    (acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)),
    '',
  );
  let message = issue.message;
  if (issue.code === 'invalid_type' && /received undefined/.test(message)) message = 'required';
  return `${path || 'input'}: ${message}`;
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new InputError('input: not valid JSON');
  }
}

export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new InputError(describeIssue(result.error));
  return result.data;
}

/**
 * Children with a birth date each; `ageMonths` becomes a birth date exactly
 * that many months before `on`. With `pack`, a designation must name one of
 * its categories.
 */
export function toChildren(children: readonly ChildInput[], on: CivilDate, field: string, pack?: RulePack): ChildInRoom[] {
  return children.map((c, i) => {
    let birth: CivilDate;
    if (c.birthDate !== undefined) {
      birth = parseCivilDate(c.birthDate)!;
      if (compareCivil(birth, on) > 0) throw new InputError(`${field}[${i}].birthDate: after the date judged (${formatCivilDate(on)})`);
    } else if (c.ageMonths !== undefined) {
      birth = addMonths(on, -c.ageMonths);
    } else {
      throw new InputError(`${field}[${i}]: birthDate or ageMonths required`);
    }
    const child: { -readonly [K in keyof ChildInRoom]: ChildInRoom[K] } = { birthDate: formatCivilDate(birth), attendsKindergarten: c.attendsKindergarten === true };
    if (c.designation !== undefined) {
      const d = c.designation;
      if (pack && !pack.bands.some((b) => b.id === d.category)) {
        throw new InputError(`${field}[${i}].designation.category: unknown category "${d.category}" for ${pack.id} (one of ${pack.bands.map((b) => b.id).join(', ')})`);
      }
      child.designation = { band: d.category, basis: d.basis, agreedOn: d.agreedOn ?? null, kindergartenStartsOn: d.kindergartenStartsOn ?? null };
    }
    if (c.dedicatedStaff !== undefined) child.dedicatedStaff = c.dedicatedStaff;
    return child;
  });
}

/** People as the engine takes them; training ids must be the pack's. */
export function toPeople(pack: RulePack, people: readonly PersonInput[], on: CivilDate, field: string): PersonInRoom[] {
  const ids = new Set(pack.trainings.map((t) => t.id));
  return people.map((p, i) => {
    (p.trainings ?? []).forEach((t, k) => {
      if (!ids.has(t.id)) throw new InputError(`${field}[${i}].trainings[${k}].id: unknown training id "${t.id}" for ${pack.id} (one of ${[...ids].join(', ')})`);
    });
    if (p.birthDate !== undefined && compareCivil(parseCivilDate(p.birthDate)!, on) > 0) {
      throw new InputError(`${field}[${i}].birthDate: after the date judged (${formatCivilDate(on)})`);
    }
    const startedOn = p.startedOn ?? (p.daysAtCenter !== undefined ? formatCivilDate(addDays(on, -p.daysAtCenter)) : undefined);
    if (p.qualifiedThrough !== undefined) {
      const bases = [...new Set((pack.levelBasisLimits ?? []).map((l) => l.basis))];
      if (!bases.includes(p.qualifiedThrough)) {
        throw new InputError(`${field}[${i}].qualifiedThrough: unknown basis "${p.qualifiedThrough}" for ${pack.id} (${bases.length ? `one of ${bases.join(', ')}` : 'none in this pack'})`);
      }
    }
    return {
      role: p.role,
      qualifiesAs: p.qualifiesAs ?? null,
      qualified: p.qualified === true,
      ageYears: p.ageYears ?? null,
      birthDate: p.birthDate ?? null,
      backgroundStudy: p.backgroundStudy ?? null,
      trainings: p.trainings ?? [],
      startedOn: startedOn ?? null,
      ...(p.qualifiedThrough !== undefined ? { qualifiedThrough: p.qualifiedThrough } : {}),
    };
  });
}

const OFFSET = /(Z|[+-]\d{2}(:?\d{2})?)$/i;

/** An ISO 8601 instant that states its offset (`2026-03-02T09:30:00-06:00`). */
export function parseInstant(text: unknown, field: string): DateTime {
  if (typeof text !== 'string' || text.length === 0) throw new InputError(`${field}: required (ISO 8601 date-time with offset)`);
  const at = DateTime.fromISO(text, { setZone: true });
  if (!at.isValid || !OFFSET.test(text) || !text.includes('T')) {
    throw new InputError(`${field}: must be an ISO 8601 date-time with offset, e.g. 2026-03-02T09:30:00-06:00`);
  }
  return at;
}

export { localDate };

/** Reads all of stdin as text. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Runs a CLI body: JSON on stdout and exit 0, or one line on stderr and exit 2 for bad input. */
export async function runCli(name: string, body: (input: string) => unknown): Promise<void> {
  try {
    const output = body(await readStdin());
    process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
    process.exitCode = 0;
  } catch (error) {
    if (error instanceof InputError) {
      process.stderr.write(`${name}: ${error.message.replace(/\s+/g, ' ')}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`${name}: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
