import type { Knex } from 'knex';
import { ChildRow, newId, parseRows, type Child } from './rows.js';

export type NewChild = { centerId: string; displayName: string; birthDate: string; attendsKindergarten?: boolean; homeRoomId?: string | null; at: Date };

export async function createChild(db: Knex, input: NewChild): Promise<Child> {
  const row = {
    id: newId(),
    center_id: input.centerId,
    display_name: input.displayName,
    birth_date: input.birthDate,
    attends_kindergarten: input.attendsKindergarten ?? false,
    home_room_id: input.homeRoomId ?? null,
    archived_at: null,
    created_at: input.at.toISOString(),
  };
  await db('children').insert(row);
  return ChildRow.parse(row);
}

export async function listChildrenInCenter(db: Knex, centerId: string): Promise<Child[]> {
  return parseRows(ChildRow, await db('children').where({ center_id: centerId }).whereNull('archived_at').orderBy('birth_date'));
}
