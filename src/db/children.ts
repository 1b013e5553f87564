import type { Knex } from 'knex';
import { ChildRow, newId, parseRow, parseRows, type Child } from './rows.js';

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

/** The center's children, youngest last; archived ones only with `includeArchived`. */
export async function listChildrenInCenter(db: Knex, centerId: string, opts: { includeArchived?: boolean } = {}): Promise<Child[]> {
  const q = db('children').where({ center_id: centerId });
  if (!opts.includeArchived) q.whereNull('archived_at');
  return parseRows(ChildRow, await q.orderBy('birth_date').orderBy('id'));
}

/** A child of the center, archived or not; a child id of another center is simply not found. */
export async function findChildInCenter(db: Knex, centerId: string, id: string): Promise<Child | undefined> {
  return parseRow(ChildRow, await db('children').where({ id, center_id: centerId }).first());
}

export type ChildChanges = { displayName: string; birthDate: string; attendsKindergarten: boolean; homeRoomId: string | null };

export async function updateChild(db: Knex, centerId: string, id: string, c: ChildChanges): Promise<boolean> {
  const n = await db('children').where({ id, center_id: centerId }).update({
    display_name: c.displayName,
    birth_date: c.birthDate,
    attends_kindergarten: c.attendsKindergarten,
    home_room_id: c.homeRoomId,
  });
  return n === 1;
}

