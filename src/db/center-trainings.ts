import type { Knex } from 'knex';
import { z } from 'zod';
import { constraintViolation } from './errors.js';
import type { Err } from '../domain/result.js';
import { COARSE_CATEGORIES, ROLES } from '../domain/rule-pack.js';
import { newId, parseRow, parseRows } from './rows.js';

/** A comma-separated column, as a list. */
const list = (s: string) => s.split(',').filter(Boolean);

/** A center's own training, beside its pack's: the same shape the engine reads once turned into a `Training`. */
export const CenterTrainingRow = z
  .object({
    id: z.string(),
    center_id: z.string(),
    code: z.string(),
    label: z.string(),
    renewal_months: z.union([z.number(), z.string()]).nullable(),
    required_for_roles: z.string().transform(list).pipe(z.array(z.enum(ROLES))),
    categories: z.string().transform(list).pipe(z.array(z.enum(COARSE_CATEGORIES))),
    gate: z.enum(['before', 'none']),
    archived_at: z.string().nullable(),
    created_at: z.string(),
  })
  .transform((r) => ({
    id: r.id,
    centerId: r.center_id,
    code: r.code,
    label: r.label,
    renewalMonths: r.renewal_months === null ? null : Number(r.renewal_months),
    roles: r.required_for_roles,
    categories: r.categories,
    gate: r.gate,
    archivedAt: r.archived_at,
    createdAt: r.created_at,
  }));
export type CenterTraining = z.output<typeof CenterTrainingRow>;

export type NewCenterTraining = {
  centerId: string;
  code: string;
  label: string;
  renewalMonths: number | null;
  roles: readonly string[];
  categories: readonly string[];
  gate: 'before' | 'none';
  at: Date;
};

/** Adds a center training; 'duplicate_code' when the center already has one with this code (the unique index decides). */
export async function createCenterTraining(
  db: Knex,
  input: NewCenterTraining,
): Promise<{ ok: true; training: CenterTraining } | Err<'duplicate_code'>> {
  const row = {
    id: newId(),
    center_id: input.centerId,
    code: input.code,
    label: input.label,
    renewal_months: input.renewalMonths,
    required_for_roles: input.roles.join(','),
    categories: input.categories.join(','),
    gate: input.gate,
    archived_at: null,
    created_at: input.at.toISOString(),
  };
  try {
    // In a savepoint when `db` is a transaction: PostgreSQL aborts a transaction on a failed statement.
    await db.transaction(async (sp) => {
      await sp('center_trainings').insert(row);
    });
  } catch (err) {
    if (constraintViolation(err) === 'unique') return { ok: false, error: 'duplicate_code' };
    throw err;
  }
  return { ok: true, training: CenterTrainingRow.parse(row) };
}

/** The center's trainings in the order they were added; archived ones only with `includeArchived`. */
export async function listCenterTrainings(db: Knex, centerId: string, opts: { includeArchived?: boolean } = {}): Promise<CenterTraining[]> {
  const q = db('center_trainings').where({ center_id: centerId });
  if (!opts.includeArchived) q.whereNull('archived_at');
  return parseRows(CenterTrainingRow, await q.orderBy('created_at').orderBy('code'));
}

export async function findCenterTrainingInCenter(db: Knex, centerId: string, id: string): Promise<CenterTraining | undefined> {
  return parseRow(CenterTrainingRow, await db('center_trainings').where({ id, center_id: centerId }).first());
}

/** Archives if not archived yet; false when it already was. Records of it stay. */
export async function archiveCenterTraining(db: Knex, centerId: string, id: string, at: Date): Promise<boolean> {
  return (await db('center_trainings').where({ id, center_id: centerId }).whereNull('archived_at').update({ archived_at: at.toISOString() })) === 1;
}
