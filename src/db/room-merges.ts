import type { Knex } from 'knex';
import { z } from 'zod';
import { newId, parseRow, parseRows } from './rows.js';

/**
 * Room merges (the remedy panel's "Combine"): `from_room` judged as part of
 * `into_room`'s group from `starts_at` to `ends_at`, or to `ended_at` when ended early
 * (un-merged). Instants are UTC ISO strings. Presences are never rewritten for a merge.
 */

export const RoomMergeRow = z
  .object({
    id: z.string(),
    center_id: z.string(),
    from_room_id: z.string(),
    into_room_id: z.string(),
    starts_at: z.string(),
    ends_at: z.string(),
    ended_at: z.string().nullable(),
    created_by_user_id: z.string(),
    created_at: z.string(),
  })
  .transform((r) => ({
    id: r.id,
    centerId: r.center_id,
    fromRoomId: r.from_room_id,
    intoRoomId: r.into_room_id,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    endedAt: r.ended_at,
    createdByUserId: r.created_by_user_id,
    createdAt: r.created_at,
  }));
export type RoomMerge = z.output<typeof RoomMergeRow>;

/** When the merge stops being in force (epoch ms): its planned end, or when it was ended, if earlier. */
export function mergeEnd(m: RoomMerge): number {
  const end = Date.parse(m.endsAt);
  return m.endedAt === null ? end : Math.min(end, Date.parse(m.endedAt));
}

/** The center's merges in force at some point of [from, to) (not ended before `from`), oldest first. */
export async function listMergesOverlapping(db: Knex, centerId: string, from: Date, to: Date): Promise<RoomMerge[]> {
  const rows = await db('room_merges')
    .where({ center_id: centerId })
    .andWhere('starts_at', '<', to.toISOString())
    .andWhere('ends_at', '>', from.toISOString())
    .andWhere((q) => q.whereNull('ended_at').orWhere('ended_at', '>', from.toISOString()))
    .orderBy([{ column: 'starts_at' }, { column: 'id' }])
    .select();
  return parseRows(RoomMergeRow, rows).filter((m) => Date.parse(m.startsAt) < mergeEnd(m));
}

/** The center's merges in force at `at`. */
export function listMergesInForce(db: Knex, centerId: string, at: Date): Promise<RoomMerge[]> {
  return listMergesOverlapping(db, centerId, at, new Date(at.getTime() + 1));
}

export async function findMergeInCenter(db: Knex, centerId: string, id: string): Promise<RoomMerge | undefined> {
  return parseRow(RoomMergeRow, await db('room_merges').where({ id, center_id: centerId }).first());
}

export async function insertRoomMerge(
  trx: Knex.Transaction,
  input: { centerId: string; fromRoomId: string; intoRoomId: string; startsAt: Date; endsAt: Date; userId: string },
  at: Date,
): Promise<RoomMerge> {
  const row = {
    id: newId(),
    center_id: input.centerId,
    from_room_id: input.fromRoomId,
    into_room_id: input.intoRoomId,
    starts_at: input.startsAt.toISOString(),
    ends_at: input.endsAt.toISOString(),
    ended_at: null,
    created_by_user_id: input.userId,
    created_at: at.toISOString(),
  };
  await trx('room_merges').insert(row);
  return RoomMergeRow.parse(row);
}

/** Ends the merge at `at` if it is still in force then; answers whether it did. */
export async function endRoomMerge(trx: Knex.Transaction, centerId: string, id: string, at: Date): Promise<boolean> {
  const iso = at.toISOString();
  const n = (await trx('room_merges').where({ id, center_id: centerId }).whereNull('ended_at').andWhere('ends_at', '>', iso).update({ ended_at: iso })) as number;
  return n > 0;
}
