import type { Knex } from 'knex';
import { z } from 'zod';
import { newId, parseRow, parseRows } from './rows.js';

/**
 * A person's usual week: one row per person, room and weekday, with local
 * wall-clock times (`HH:mm` in the center's zone) and an optional break. A day's
 * plan is made from the rows of its weekday once (see day-plans.ts); editing a
 * template changes the days not yet planned, never a day already made.
 */

const int = z.union([z.number(), z.string()]).transform((v) => Number(v));

const TemplateRow = z
  .object({
    id: z.string(),
    center_id: z.string(),
    person_id: z.string(),
    room_id: z.string(),
    weekday: int,
    start: z.string(),
    end: z.string(),
    break_start: z.string().nullable(),
    break_end: z.string().nullable(),
    created_at: z.string(),
  })
  .transform((r) => ({
    id: r.id,
    centerId: r.center_id,
    personId: r.person_id,
    roomId: r.room_id,
    /** ISO weekday: 1 Monday … 7 Sunday. */
    weekday: r.weekday,
    start: r.start,
    end: r.end,
    breakStart: r.break_start,
    breakEnd: r.break_end,
    createdAt: r.created_at,
  }));
export type ShiftTemplate = z.output<typeof TemplateRow>;

export type NewShiftTemplate = {
  readonly centerId: string;
  readonly personId: string;
  readonly roomId: string;
  readonly weekday: number;
  readonly start: string;
  readonly end: string;
  readonly breakStart?: string | null;
  readonly breakEnd?: string | null;
};

/** Inserts one template row; returns its id. */
export async function insertShiftTemplate(db: Knex, input: NewShiftTemplate, at: Date): Promise<string> {
  const id = newId();
  await db('shift_templates').insert({
    id,
    center_id: input.centerId,
    person_id: input.personId,
    room_id: input.roomId,
    weekday: input.weekday,
    start: input.start,
    end: input.end,
    break_start: input.breakStart ?? null,
    break_end: input.breakEnd ?? null,
    created_at: at.toISOString(),
  });
  return id;
}

/** The center's templates, by weekday and start. */
export async function listShiftTemplatesInCenter(db: Knex, centerId: string): Promise<ShiftTemplate[]> {
  return parseRows(TemplateRow, await db('shift_templates').where({ center_id: centerId }).orderBy('weekday').orderBy('start').orderBy('id'));
}

/** The center's templates for one ISO weekday, by start. */
export async function listShiftTemplatesForWeekday(db: Knex, centerId: string, weekday: number): Promise<ShiftTemplate[]> {
  return parseRows(TemplateRow, await db('shift_templates').where({ center_id: centerId, weekday }).orderBy('start').orderBy('id'));
}

export async function findShiftTemplateInCenter(db: Knex, centerId: string, id: string): Promise<ShiftTemplate | undefined> {
  return parseRow(TemplateRow, await db('shift_templates').where({ id, center_id: centerId }).first());
}

/** Removes a template of the center; false when there is none. */
export async function deleteShiftTemplate(db: Knex, centerId: string, id: string): Promise<boolean> {
  return (await db('shift_templates').where({ id, center_id: centerId }).delete()) > 0;
}
