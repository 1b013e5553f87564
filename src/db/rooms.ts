import type { Knex } from 'knex';
import { RoomRow, newId, parseRow, parseRows, type Room } from './rows.js';

export type NewRoom = { centerId: string; name: string; ageCategories: readonly string[]; licensedCapacity: number; maxGroupSize?: number | null; nightProgram?: boolean; at: Date };

export async function createRoom(db: Knex, input: NewRoom): Promise<Room> {
  const row = {
    id: newId(),
    center_id: input.centerId,
    name: input.name,
    age_categories: input.ageCategories.join(','),
    licensed_capacity: input.licensedCapacity,
    max_group_size: input.maxGroupSize ?? null,
    archived_at: null,
    created_at: input.at.toISOString(),
    night_program: input.nightProgram ?? false,
  };
  await db('rooms').insert(row);
  return RoomRow.parse(row);
}

/** The center's rooms in the order they were set up; archived ones only with `includeArchived`. */
export async function listRoomsInCenter(db: Knex, centerId: string, opts: { includeArchived?: boolean } = {}): Promise<Room[]> {
  const q = db('rooms').where({ center_id: centerId });
  if (!opts.includeArchived) q.whereNull('archived_at');
  return parseRows(RoomRow, await q.orderBy('created_at').orderBy('name'));
}

/** A room of the center, archived or not; a room id of another center is simply not found. */
export async function findRoomInCenter(db: Knex, centerId: string, id: string): Promise<Room | undefined> {
  return parseRow(RoomRow, await db('rooms').where({ id, center_id: centerId }).first());
}

/** `nightProgram` left undefined: kept as it is. */
export type RoomChanges = { name: string; ageCategories: readonly string[]; licensedCapacity: number; maxGroupSize: number | null; nightProgram?: boolean | undefined };

export async function updateRoom(db: Knex, centerId: string, id: string, c: RoomChanges): Promise<boolean> {
  const n = await db('rooms').where({ id, center_id: centerId }).update({
    name: c.name,
    age_categories: c.ageCategories.join(','),
    licensed_capacity: c.licensedCapacity,
    max_group_size: c.maxGroupSize,
    ...(c.nightProgram !== undefined ? { night_program: c.nightProgram } : {}),
  });
  return n === 1;
}

