import type { Knex } from 'knex';
import { z } from 'zod';
import { constraintViolation } from './errors.js';
import type { Err } from '../domain/result.js';
import { newId, parseRow, parseRows } from './rows.js';

/**
 * Known absences: a child marked away for one day of the center's calendar. The
 * forecast does not expect an absent child (a check-in still counts: presence is
 * the truth). Only the fact is kept, never a reason.
 */

const AbsenceRow = z
  .object({ id: z.string(), center_id: z.string(), child_id: z.string(), day: z.string(), created_at: z.string(), created_by_user_id: z.string().nullable() })
  .transform((r) => ({ id: r.id, centerId: r.center_id, childId: r.child_id, day: r.day, createdAt: r.created_at, createdByUserId: r.created_by_user_id }));
export type ChildAbsence = z.output<typeof AbsenceRow>;

export type MarkedAbsent = { readonly ok: true; readonly id: string } | (Err<'already_marked'> & { readonly id: string | null });

/**
 * Marks the child absent on `day`, inside the caller's transaction (savepoint: a
 * second tablet marking the same child at the same moment meets the unique index).
 */
export async function markChildAbsent(
  trx: Knex.Transaction,
  input: { readonly centerId: string; readonly childId: string; readonly day: string; readonly userId: string | null },
  at: Date,
): Promise<MarkedAbsent> {
  const id = newId();
  try {
    await trx.transaction(async (sp) => {
      await sp('child_absences').insert({ id, center_id: input.centerId, child_id: input.childId, day: input.day, created_at: at.toISOString(), created_by_user_id: input.userId });
    });
  } catch (err) {
    if (constraintViolation(err) !== 'unique') throw err;
    const existing = (await trx('child_absences').where({ child_id: input.childId, day: input.day }).first('id')) as { id: string } | undefined;
    return { ok: false, error: 'already_marked', id: existing?.id ?? null };
  }
  return { ok: true, id };
}

export async function findAbsenceInCenter(db: Knex, centerId: string, id: string): Promise<ChildAbsence | undefined> {
  return parseRow(AbsenceRow, await db('child_absences').where({ id, center_id: centerId }).first());
}

/** Removes an absence of the center (marked by mistake); false when there is none. */
export async function removeAbsence(db: Knex, centerId: string, id: string): Promise<boolean> {
  return (await db('child_absences').where({ id, center_id: centerId }).delete()) > 0;
}

/** The center's absences on `day`. */
export async function listAbsencesOfDay(db: Knex, centerId: string, day: string): Promise<ChildAbsence[]> {
  return parseRows(AbsenceRow, await db('child_absences').where({ center_id: centerId, day }).orderBy('created_at').orderBy('id'));
}
