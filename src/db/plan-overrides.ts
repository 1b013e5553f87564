import type { Knex } from 'knex';
import { z } from 'zod';
import { newId, parseRows } from './rows.js';

/**
 * A director's explicit override: a change to a day's plan saved although the
 * forecast showed it breaching. Kept with the windows shown (in words) and the
 * reason given, and listed on that day's plan.
 */

const OverrideRow = z
  .object({
    id: z.string(),
    center_id: z.string(),
    day: z.string(),
    change: z.string(),
    shift_id: z.string().nullable(),
    breaches: z.string(),
    reason: z.string(),
    created_at: z.string(),
    created_by_user_id: z.string().nullable(),
    created_by_name: z.string().nullable().optional(),
  })
  .transform((r) => ({
    id: r.id,
    centerId: r.center_id,
    day: r.day,
    change: r.change,
    shiftId: r.shift_id,
    breaches: z.array(z.string()).parse(JSON.parse(r.breaches)),
    reason: r.reason,
    createdAt: r.created_at,
    createdByUserId: r.created_by_user_id,
    createdByName: r.created_by_name ?? null,
  }));
export type PlanOverride = z.output<typeof OverrideRow>;

export type NewPlanOverride = {
  readonly centerId: string;
  readonly day: string;
  readonly change: string;
  readonly shiftId: string | null;
  readonly breaches: readonly string[];
  readonly reason: string;
  readonly userId: string | null;
};

/** Records an override inside the caller's transaction (the one that saved the change); returns its id. */
export async function recordPlanOverride(trx: Knex.Transaction, input: NewPlanOverride, at: Date): Promise<string> {
  const id = newId();
  await trx('plan_overrides').insert({
    id,
    center_id: input.centerId,
    day: input.day,
    change: input.change,
    shift_id: input.shiftId,
    breaches: JSON.stringify(input.breaches),
    reason: input.reason,
    created_at: at.toISOString(),
    created_by_user_id: input.userId,
  });
  return id;
}

/** The day's overrides, oldest first, with the name of who made each. */
export async function listPlanOverridesOfDay(db: Knex, centerId: string, day: string): Promise<PlanOverride[]> {
  const rows = await db('plan_overrides as o')
    .leftJoin('users as u', 'u.id', 'o.created_by_user_id')
    .where({ 'o.center_id': centerId, 'o.day': day })
    .orderBy('o.created_at')
    .orderBy('o.id')
    .select('o.*', 'u.display_name as created_by_name');
  return parseRows(OverrideRow, rows);
}
