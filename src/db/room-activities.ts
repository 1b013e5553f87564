import type { Knex } from 'knex';
import { z } from 'zod';
import { newId, parseRows } from './rows.js';

/**
 * What a room is doing now, when it is not `normal`: an open row per room (a partial
 * unique index), [started_at, ended_at). No open row means normal.
 */

const ActivityRow = z
  .object({ id: z.string(), room_id: z.string(), activity: z.string(), started_at: z.string() })
  .transform((r) => ({ id: r.id, roomId: r.room_id, activity: r.activity, startedAt: r.started_at }));
export type RoomActivity = z.output<typeof ActivityRow>;

/** The open activity of every room of the center that has one (optionally only `roomIds`). */
export async function listOpenActivitiesInCenter(db: Knex, centerId: string, roomIds?: readonly string[]): Promise<RoomActivity[]> {
  const q = db('room_activities').where({ center_id: centerId }).whereNull('ended_at');
  if (roomIds) q.whereIn('room_id', roomIds);
  return parseRows(ActivityRow, await q.select('id', 'room_id', 'activity', 'started_at'));
}

/**
 * Ends the room's open activity and, unless the new one is `normal`, opens `activity`.
 * Answers the activity it replaced ('normal' when none was open).
 */
export async function changeRoomActivity(
  trx: Knex.Transaction,
  input: { centerId: string; roomId: string; activity: string; at: Date; userId: string },
): Promise<{ previous: string }> {
  const open = (await trx('room_activities').where({ room_id: input.roomId }).whereNull('ended_at').first('id', 'activity')) as
    | { id: string; activity: string }
    | undefined;
  if (open) await trx('room_activities').where({ id: open.id }).update({ ended_at: input.at.toISOString() });
  if (input.activity !== 'normal') {
    await trx('room_activities').insert({
      id: newId(),
      center_id: input.centerId,
      room_id: input.roomId,
      activity: input.activity,
      started_at: input.at.toISOString(),
      ended_at: null,
      started_by_user_id: input.userId,
    });
  }
  return { previous: open?.activity ?? 'normal' };
}
