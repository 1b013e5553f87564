import type { Knex } from 'knex';
import { z } from 'zod';
import { newId, parseRow, parseRows } from './rows.js';

/**
 * Headcount checks ("name to face"): the number of children a person counted against
 * the checked-in list. Every check is kept; a mismatch stays open (flagged on the
 * board) until someone resolves it or a later count matches.
 */

const int = z.union([z.number(), z.string()]).transform((v) => Number(v));
const CheckRow = z
  .object({
    id: z.string(),
    center_id: z.string(),
    room_id: z.string(),
    counted: int,
    expected: int,
    recorded_by_user_id: z.string(),
    at: z.string(),
    resolved_at: z.string().nullable(),
    resolved_by_user_id: z.string().nullable(),
  })
  .transform((r) => ({
    id: r.id,
    centerId: r.center_id,
    roomId: r.room_id,
    counted: r.counted,
    expected: r.expected,
    recordedByUserId: r.recorded_by_user_id,
    at: r.at,
    resolvedAt: r.resolved_at,
    resolvedByUserId: r.resolved_by_user_id,
  }));
export type HeadcountCheck = z.output<typeof CheckRow>;

/**
 * Records a count. A count matching the list is stored resolved, and resolves the
 * room's earlier open mismatches (the recount settles them).
 */
export async function recordHeadcount(
  trx: Knex.Transaction,
  input: { centerId: string; roomId: string; counted: number; expected: number; userId: string; at: Date },
): Promise<HeadcountCheck> {
  const at = input.at.toISOString();
  const matches = input.counted === input.expected;
  if (matches) {
    await trx('headcount_checks')
      .where({ room_id: input.roomId })
      .whereNull('resolved_at')
      .update({ resolved_at: at, resolved_by_user_id: input.userId });
  }
  const row = {
    id: newId(),
    center_id: input.centerId,
    room_id: input.roomId,
    counted: input.counted,
    expected: input.expected,
    recorded_by_user_id: input.userId,
    at,
    resolved_at: matches ? at : null,
    resolved_by_user_id: matches ? input.userId : null,
  };
  await trx('headcount_checks').insert(row);
  return CheckRow.parse(row);
}

export async function findHeadcountInCenter(db: Knex, centerId: string, id: string): Promise<HeadcountCheck | undefined> {
  return parseRow(CheckRow, await db('headcount_checks').where({ id, center_id: centerId }).first());
}

/** Resolves an open mismatch; false when it was already resolved (the row count decides). */
export async function resolveHeadcount(db: Knex, centerId: string, id: string, userId: string, at: Date): Promise<boolean> {
  const n = await db('headcount_checks')
    .where({ id, center_id: centerId })
    .whereNull('resolved_at')
    .update({ resolved_at: at.toISOString(), resolved_by_user_id: userId });
  return n === 1;
}

/** Open mismatches of the center (optionally only in `roomIds`), oldest first. */
export async function listOpenHeadcountsInCenter(db: Knex, centerId: string, roomIds?: readonly string[]): Promise<HeadcountCheck[]> {
  const q = db('headcount_checks').where({ center_id: centerId }).whereNull('resolved_at');
  if (roomIds) q.whereIn('room_id', roomIds);
  return parseRows(CheckRow, await q.orderBy('at'));
}

/** A room's checks of one day [from, to), newest first, with who recorded them. */
export async function listHeadcountsOfRoom(db: Knex, roomId: string, from: Date, to: Date): Promise<(HeadcountCheck & { recordedByName: string })[]> {
  const rows = await db('headcount_checks as h')
    .join('users as u', 'u.id', 'h.recorded_by_user_id')
    .where('h.room_id', roomId)
    .where('h.at', '>=', from.toISOString())
    .where('h.at', '<', to.toISOString())
    .orderBy('h.at', 'desc')
    .select('h.*', 'u.display_name as recorded_by_name');
  return rows.map((r: Record<string, unknown>) => ({ ...CheckRow.parse(r), recordedByName: String(r.recorded_by_name) }));
}
