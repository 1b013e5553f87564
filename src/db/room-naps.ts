import type { Knex } from 'knex';
import { z } from 'zod';
import { newId, parseRow, parseRows } from './rows.js';

/** A room's daily nap periods, local wall-clock `HH:mm` in the center's zone: the forecast's `naps`. */

const NapRow = z
  .object({ id: z.string(), center_id: z.string(), room_id: z.string(), start: z.string(), end: z.string(), created_at: z.string() })
  .transform((r) => ({ id: r.id, centerId: r.center_id, roomId: r.room_id, start: r.start, end: r.end, createdAt: r.created_at }));
export type RoomNap = z.output<typeof NapRow>;

export async function insertRoomNap(db: Knex, input: { readonly centerId: string; readonly roomId: string; readonly start: string; readonly end: string }, at: Date): Promise<string> {
  const id = newId();
  await db('room_naps').insert({ id, center_id: input.centerId, room_id: input.roomId, start: input.start, end: input.end, created_at: at.toISOString() });
  return id;
}

/** Every nap period of the center's rooms, by room and start. */
export async function listRoomNapsInCenter(db: Knex, centerId: string): Promise<RoomNap[]> {
  return parseRows(NapRow, await db('room_naps').where({ center_id: centerId }).orderBy('room_id').orderBy('start').orderBy('id'));
}

/** A nap period of this room of the center. */
export async function findRoomNapInCenter(db: Knex, centerId: string, roomId: string, id: string): Promise<RoomNap | undefined> {
  return parseRow(NapRow, await db('room_naps').where({ id, center_id: centerId, room_id: roomId }).first());
}

export async function deleteRoomNap(db: Knex, centerId: string, id: string): Promise<boolean> {
  return (await db('room_naps').where({ id, center_id: centerId }).delete()) > 0;
}

/** The nap periods of these rooms of the center, by room and start. */
export async function listRoomNapsInRooms(db: Knex, centerId: string, roomIds: readonly string[]): Promise<RoomNap[]> {
  return parseRows(NapRow, await db('room_naps').where({ center_id: centerId }).whereIn('room_id', roomIds).orderBy('room_id').orderBy('start').orderBy('id'));
}
