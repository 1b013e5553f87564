import type { Knex } from 'knex';
import { z } from 'zod';
import { together } from './knex.js';
import { newId, parseRows } from './rows.js';

/**
 * The compliance history: each status a room's card showed, [started_at, ended_at),
 * with its cause and the figures at its start. A log, written in the same transaction
 * as the change that caused it; nothing reads it back to make a decision.
 */

const int = z.union([z.number(), z.string()]).transform((v) => Number(v));

/** A history row as stored, before it is turned into a `StatusInterval`. */
export const HistoryFields = z.object({
  id: z.string(),
  room_id: z.string(),
  status: z.string(),
  started_at: z.string(),
  ended_at: z.string().nullable(),
  cause: z.string(),
  required_staff: int,
  counted_staff: int,
  children: int,
});

/** A stored row's fields by their names in the code. */
export const historyOf = (r: z.output<typeof HistoryFields>) => ({
  id: r.id,
  roomId: r.room_id,
  status: r.status,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  cause: r.cause,
  requiredStaff: r.required_staff,
  countedStaff: r.counted_staff,
  children: r.children,
});

const HistoryRow = HistoryFields.transform(historyOf);
export type StatusInterval = z.output<typeof HistoryRow>;

export type StatusNow = { roomId: string; status: string; requiredStaff: number; countedStaff: number; children: number };

/** A room's status with the instant and cause of the change that made it, where they are not the call's (a group of changes). */
export type StatusOfChange = StatusNow & { readonly at?: Date; readonly cause?: string };

export type OpenStatusRow = { id: string; room_id: string; status: string; started_at: string };

/** The rooms' open rows (what recordStatuses compares with), to read side by side with what the caller judges. */
export async function openStatusRows(db: Knex, roomIds: readonly string[]): Promise<OpenStatusRow[]> {
  return (await db('room_status_history').whereIn('room_id', roomIds).whereNull('ended_at').select('id', 'room_id', 'status', 'started_at')) as OpenStatusRow[];
}

/**
 * Closes each room's open row and opens a new one where the status changed (or none
 * was open), at `at` with `cause` unless the status carries its own; the rooms' open
 * rows are read here unless the caller read them (`open`). Answers the room ids whose
 * status changed.
 */
export async function recordStatuses(
  trx: Knex.Transaction,
  centerId: string,
  statuses: readonly StatusOfChange[],
  at: Date,
  cause: string,
  open?: readonly OpenStatusRow[],
): Promise<string[]> {
  if (statuses.length === 0) return [];
  const byRoom = new Map((open ?? (await openStatusRows(trx, statuses.map((s) => s.roomId)))).map((o) => [o.room_id, o]));
  const writes: (() => Promise<void>)[] = [];
  const changed: string[] = [];
  for (const s of statuses) {
    const iso = (s.at ?? at).toISOString();
    const current = byRoom.get(s.roomId);
    if (current && current.status === s.status) continue;
    // An instant before the open row's start (a clock step back) still closes it at its start, never before.
    const startedAt = current && current.started_at > iso ? current.started_at : iso;
    // Each room's close, then its open; the rooms side by side.
    writes.push(async () => {
      if (current) await trx('room_status_history').where({ id: current.id }).whereNull('ended_at').update({ ended_at: startedAt });
      await trx('room_status_history').insert({
        id: newId(),
        center_id: centerId,
        room_id: s.roomId,
        status: s.status,
        started_at: startedAt,
        ended_at: null,
        cause: (s.cause ?? cause).slice(0, 200),
        required_staff: s.requiredStaff,
        counted_staff: s.countedStaff,
        children: s.children,
      });
    });
    changed.push(s.roomId);
  }
  await together(trx, writes);
  return changed;
}

/** A room's intervals overlapping [from, to), oldest first. */
export async function listStatusIntervals(db: Knex, centerId: string, roomId: string, from: Date, to: Date): Promise<StatusInterval[]> {
  const rows = await db('room_status_history')
    .where({ center_id: centerId, room_id: roomId })
    .where('started_at', '<', to.toISOString())
    .andWhere((q) => q.whereNull('ended_at').orWhere('ended_at', '>', from.toISOString()))
    .orderBy('started_at');
  return parseRows(HistoryRow, rows);
}
