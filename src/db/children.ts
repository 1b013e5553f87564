import type { Knex } from 'knex';
import { z } from 'zod';
import { ChildRow, newId, parseRow, parseRows, type Child } from './rows.js';

/** A child's designation into another band of the pack (`Child['designation']`). */
export type ChildDesignationRecord = NonNullable<Child['designation']>;

export type NewChild = {
  centerId: string;
  displayName: string;
  birthDate: string;
  attendsKindergarten?: boolean;
  homeRoomId?: string | null;
  designation?: ChildDesignationRecord | null;
  dedicatedStaff?: number | null;
  at: Date;
};

const designationColumns = (d: ChildDesignationRecord | null) => ({
  designation_band: d?.band ?? null,
  designation_basis: d?.basis ?? null,
  designation_on: d?.on ?? null,
});

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
    ...designationColumns(input.designation ?? null),
    dedicated_staff: input.dedicatedStaff ?? null,
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

/** `designation` and `dedicatedStaff` left undefined: kept as they are. */
export type ChildChanges = {
  displayName: string;
  birthDate: string;
  attendsKindergarten: boolean;
  homeRoomId: string | null;
  designation?: ChildDesignationRecord | null | undefined;
  dedicatedStaff?: number | null | undefined;
};

export async function updateChild(db: Knex, centerId: string, id: string, c: ChildChanges): Promise<boolean> {
  const n = await db('children').where({ id, center_id: centerId }).update({
    display_name: c.displayName,
    birth_date: c.birthDate,
    attends_kindergarten: c.attendsKindergarten,
    home_room_id: c.homeRoomId,
    ...(c.designation !== undefined ? designationColumns(c.designation) : {}),
    ...(c.dedicatedStaff !== undefined ? { dedicated_staff: c.dedicatedStaff } : {}),
  });
  return n === 1;
}

export type ChildOnDay = { readonly child: Child; readonly schedule: { readonly arrive: string; readonly depart: string } | null };

const ScheduleOfDay = z.object({ schedule_arrive: z.string().nullable(), schedule_depart: z.string().nullable() });

/**
 * The children a forecast of `roomIds` reads on one day, archived ones too (a presence
 * of an archived child still counts): those at home in one of the rooms, and any with a
 * presence in one of them overlapping [from, to) (UTC instants); each with their
 * schedule for `weekday` (1 Monday … 7 Sunday), or null. One query, youngest last.
 */
export async function listChildrenOfRoomsOnDay(
  db: Knex,
  centerId: string,
  roomIds: readonly string[],
  window: { readonly from: Date; readonly to: Date; readonly weekday: number },
): Promise<ChildOnDay[]> {
  const presentInRooms = db('child_presences')
    .select('child_id')
    .where({ center_id: centerId })
    .whereIn('room_id', roomIds)
    .where('started_at', '<', window.to.toISOString())
    .andWhere((w) => w.whereNull('ended_at').orWhere('ended_at', '>', window.from.toISOString()));
  const rows: unknown[] = await db('children as c')
    // One schedule row per child and weekday (unique), so a child is one row.
    .leftJoin('child_schedules as s', (j) => j.on('s.child_id', '=', 'c.id').andOnVal('s.weekday', '=', window.weekday))
    .where('c.center_id', centerId)
    .andWhere((w) => w.whereIn('c.home_room_id', roomIds).orWhereIn('c.id', presentInRooms))
    .orderBy('c.birth_date')
    .orderBy('c.id')
    .select('c.*', 's.arrive as schedule_arrive', 's.depart as schedule_depart');
  return rows.map((row) => {
    const s = ScheduleOfDay.parse(row);
    return {
      child: ChildRow.parse(row),
      schedule: s.schedule_arrive !== null && s.schedule_depart !== null ? { arrive: s.schedule_arrive, depart: s.schedule_depart } : null,
    };
  });
}
