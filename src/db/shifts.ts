import type { Knex } from 'knex';
import { z } from 'zod';
import { newId, parseRows } from './rows.js';

/**
 * Planned shifts: one person in one room on one day of the center's calendar,
 * [startsAt, endsAt) as UTC ISO instants, with breaks inside. A cancelled shift is
 * kept and no longer planned. Shifts made from the weekly templates, added for a
 * day, and accepted covers are all shifts alike: the forecast reads them the same.
 * Callers scope by center first; every write here belongs in the caller's
 * transaction (with its audit entry).
 */

export const SHIFT_SOURCES = ['template', 'plan', 'cover'] as const;
export type ShiftSource = (typeof SHIFT_SOURCES)[number];

const ShiftRow = z
  .object({
    id: z.string(),
    center_id: z.string(),
    room_id: z.string(),
    person_id: z.string(),
    day: z.string(),
    starts_at: z.string(),
    ends_at: z.string(),
    source: z.enum(SHIFT_SOURCES),
    cover_request_id: z.string().nullable(),
    created_at: z.string(),
    cancelled_at: z.string().nullable(),
  })
  .transform((r) => ({
    id: r.id,
    centerId: r.center_id,
    roomId: r.room_id,
    personId: r.person_id,
    day: r.day,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    source: r.source,
    coverRequestId: r.cover_request_id,
    createdAt: r.created_at,
    cancelledAt: r.cancelled_at,
  }));

const BreakRow = z
  .object({ id: z.string(), shift_id: z.string(), starts_at: z.string(), ends_at: z.string() })
  .transform((r) => ({ id: r.id, shiftId: r.shift_id, startsAt: r.starts_at, endsAt: r.ends_at }));
export type ShiftBreak = z.output<typeof BreakRow>;

export type Shift = z.output<typeof ShiftRow> & { readonly breaks: readonly ShiftBreak[] };

export type ShiftInput = {
  /** A new id by default; a day plan's shift has one fixed by its template and day (services/day-plan.ts). */
  readonly id?: string;
  readonly centerId: string;
  readonly roomId: string;
  readonly personId: string;
  /** 'YYYY-MM-DD' on the center's calendar. */
  readonly day: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly source: ShiftSource;
  readonly coverRequestId?: string | null;
  readonly breaks?: readonly { readonly id?: string; readonly startsAt: Date; readonly endsAt: Date }[];
  readonly createdByUserId: string | null;
};

/** Inserts a shift and its breaks (inside the caller's transaction); returns its id. */
export async function insertShift(trx: Knex.Transaction, input: ShiftInput, at: Date): Promise<string> {
  const id = input.id ?? newId();
  await trx('shifts').insert({
    id,
    center_id: input.centerId,
    room_id: input.roomId,
    person_id: input.personId,
    day: input.day,
    starts_at: input.startsAt.toISOString(),
    ends_at: input.endsAt.toISOString(),
    source: input.source,
    cover_request_id: input.coverRequestId ?? null,
    created_at: at.toISOString(),
    created_by_user_id: input.createdByUserId,
    cancelled_at: null,
    cancelled_by_user_id: null,
  });
  const breaks = input.breaks ?? [];
  if (breaks.length > 0) {
    await trx('shift_breaks').insert(
      breaks.map((b) => ({ id: b.id ?? newId(), shift_id: id, starts_at: b.startsAt.toISOString(), ends_at: b.endsAt.toISOString() })),
    );
  }
  return id;
}

/** Cancels a planned shift of the center; false when there is none (or it was already cancelled). */
export async function cancelShift(trx: Knex.Transaction, centerId: string, shiftId: string, userId: string | null, at: Date): Promise<boolean> {
  const n = await trx('shifts')
    .where({ id: shiftId, center_id: centerId })
    .whereNull('cancelled_at')
    .update({ cancelled_at: at.toISOString(), cancelled_by_user_id: userId });
  return n > 0;
}

async function withBreaks(db: Knex, rows: readonly unknown[]): Promise<Shift[]> {
  const shifts = parseRows(ShiftRow, rows);
  if (shifts.length === 0) return [];
  const breaks: ShiftBreak[] = [];
  // Chunked: SQLite caps bound parameters per statement.
  for (let i = 0; i < shifts.length; i += 500) {
    const ids = shifts.slice(i, i + 500).map((s) => s.id);
    breaks.push(...parseRows(BreakRow, await db('shift_breaks').whereIn('shift_id', ids).orderBy('starts_at')));
  }
  const byShift = new Map<string, ShiftBreak[]>();
  for (const b of breaks) {
    let list = byShift.get(b.shiftId);
    if (!list) byShift.set(b.shiftId, (list = []));
    list.push(b);
  }
  return shifts.map((s) => ({ ...s, breaks: byShift.get(s.id) ?? [] }));
}

/** Every shift of the center on `day`, cancelled ones too (a plan's own history), by start. */
export async function listAllShiftsForDay(db: Knex, centerId: string, day: string): Promise<Shift[]> {
  const rows = await db('shifts').where({ center_id: centerId, day }).orderBy('starts_at').orderBy('id');
  return withBreaks(db, rows);
}

/** The center's planned (not cancelled) shifts on `day`, by start. */
export async function listShiftsForDay(db: Knex, centerId: string, day: string): Promise<Shift[]> {
  const rows = await db('shifts').where({ center_id: centerId, day }).whereNull('cancelled_at').orderBy('starts_at').orderBy('id');
  return withBreaks(db, rows);
}

const JoinedBreak = z.object({ break_id: z.string().nullable(), break_starts_at: z.string().nullable(), break_ends_at: z.string().nullable() });

/**
 * The center's planned shifts on `day` in these rooms, by start, with their breaks
 * (as `listShiftsForDay` gives them): one query, the breaks joined in.
 */
export async function listShiftsForDayInRooms(db: Knex, centerId: string, day: string, roomIds: readonly string[]): Promise<Shift[]> {
  const rows: Record<string, unknown>[] = await db('shifts as s')
    .leftJoin('shift_breaks as b', 'b.shift_id', 's.id')
    .where({ 's.center_id': centerId, 's.day': day })
    .whereNull('s.cancelled_at')
    .whereIn('s.room_id', roomIds)
    .orderBy('s.starts_at')
    .orderBy('s.id')
    .orderBy('b.starts_at')
    .orderBy('b.id')
    .select('s.*', 'b.id as break_id', 'b.starts_at as break_starts_at', 'b.ends_at as break_ends_at');
  const out: (z.output<typeof ShiftRow> & { breaks: ShiftBreak[] })[] = [];
  for (const row of rows) {
    // Rows of one shift are adjacent (ordered by its id after its start).
    let shift = out.at(-1);
    if (!shift || shift.id !== row.id) out.push((shift = { ...ShiftRow.parse(row), breaks: [] }));
    const b = JoinedBreak.parse(row);
    if (b.break_id !== null && b.break_starts_at !== null && b.break_ends_at !== null) {
      shift.breaks.push({ id: b.break_id, shiftId: shift.id, startsAt: b.break_starts_at, endsAt: b.break_ends_at });
    }
  }
  return out;
}

/** A person's planned shifts overlapping [from, to) (UTC instants), by start. */
export async function listShiftsOfPersonBetween(db: Knex, personId: string, from: Date, to: Date): Promise<Shift[]> {
  const rows = await db('shifts')
    .where({ person_id: personId })
    .whereNull('cancelled_at')
    .where('starts_at', '<', to.toISOString())
    .where('ends_at', '>', from.toISOString())
    .orderBy('starts_at');
  return withBreaks(db, rows);
}

/** Planned shifts of the center overlapping [from, to), any day, by start (weekly hours, busy people). */
export async function listShiftsInCenterBetween(db: Knex, centerId: string, from: Date, to: Date): Promise<Shift[]> {
  const rows = await db('shifts')
    .where({ center_id: centerId })
    .whereNull('cancelled_at')
    .where('starts_at', '<', to.toISOString())
    .where('ends_at', '>', from.toISOString())
    .orderBy('starts_at');
  return withBreaks(db, rows);
}

/** The planned shifts that fill a cover request. */
export async function listShiftsOfCoverRequest(db: Knex, coverRequestId: string): Promise<Shift[]> {
  const rows = await db('shifts').where({ cover_request_id: coverRequestId }).whereNull('cancelled_at').orderBy('starts_at');
  return withBreaks(db, rows);
}

/** A shift of the center (planned or cancelled), with its breaks. */
export async function findShiftInCenter(db: Knex, centerId: string, shiftId: string): Promise<Shift | undefined> {
  const row = await db('shifts').where({ id: shiftId, center_id: centerId }).first();
  if (!row) return undefined;
  return (await withBreaks(db, [row]))[0];
}

/**
 * Moves a planned shift of the center to another room or other times (the same
 * day); false when there is none planned. Breaks are left as they are: the caller
 * checks they still lie inside.
 */
export async function changeShift(
  trx: Knex.Transaction,
  centerId: string,
  shiftId: string,
  change: { readonly roomId: string; readonly startsAt: Date; readonly endsAt: Date },
): Promise<boolean> {
  const n = await trx('shifts')
    .where({ id: shiftId, center_id: centerId })
    .whereNull('cancelled_at')
    .update({ room_id: change.roomId, starts_at: change.startsAt.toISOString(), ends_at: change.endsAt.toISOString() });
  return n > 0;
}

/** Adds a break to a shift (the caller found the shift in its center); returns its id. */
export async function addShiftBreak(trx: Knex.Transaction, shiftId: string, startsAt: Date, endsAt: Date): Promise<string> {
  const id = newId();
  await trx('shift_breaks').insert({ id, shift_id: shiftId, starts_at: startsAt.toISOString(), ends_at: endsAt.toISOString() });
  return id;
}

/** A break of one of the center's shifts, with that shift's id. */
export async function findShiftBreakInCenter(db: Knex, centerId: string, breakId: string): Promise<ShiftBreak | undefined> {
  const row = await db('shift_breaks as b')
    .join('shifts as s', 's.id', 'b.shift_id')
    .where({ 'b.id': breakId, 's.center_id': centerId })
    .first('b.id', 'b.shift_id', 'b.starts_at', 'b.ends_at');
  return row ? BreakRow.parse(row) : undefined;
}

/** Removes a break (found in its center by the caller); false when it was already gone. */
export async function deleteShiftBreak(trx: Knex.Transaction, breakId: string): Promise<boolean> {
  return (await trx('shift_breaks').where({ id: breakId }).delete()) > 0;
}
