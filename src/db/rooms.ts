import type { Knex } from 'knex';
import { RoomRow, newId, parseRows, type Room } from './rows.js';

export type NewRoom = { centerId: string; name: string; ageCategories: readonly string[]; licensedCapacity: number; maxGroupSize?: number | null; at: Date };

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
  };
  await db('rooms').insert(row);
  return RoomRow.parse(row);
}

export async function listRoomsInCenter(db: Knex, centerId: string): Promise<Room[]> {
  return parseRows(RoomRow, await db('rooms').where({ center_id: centerId }).whereNull('archived_at').orderBy('created_at').orderBy('name'));
}
