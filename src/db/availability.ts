import type { Knex } from 'knex';
import { z } from 'zod';
import { newId, parseRow, parseRows } from './rows.js';

/**
 * When a person says they can come in: weekly windows (ISO weekday, local
 * `HH:mm` in the center's zone) and an "I can come in today" until a time.
 * Always reached through a person of the center: callers scope first.
 */

const int = z.union([z.number(), z.string()]).transform((v) => Number(v));

export const AvailabilityWindowRow = z
  .object({ id: z.string(), person_id: z.string(), weekday: int, start: z.string(), end: z.string(), created_at: z.string() })
  .transform((r) => ({ id: r.id, personId: r.person_id, weekday: r.weekday, start: r.start, end: r.end }));
export type AvailabilityWindow = z.output<typeof AvailabilityWindowRow>;

export const AvailabilityTodayRow = z
  .object({ person_id: z.string(), day: z.string(), until: z.string(), created_at: z.string() })
  .transform((r) => ({ personId: r.person_id, day: r.day, until: r.until, createdAt: r.created_at }));
export type AvailabilityToday = z.output<typeof AvailabilityTodayRow>;

export type WindowInput = { weekday: number; start: string; end: string };

export async function listAvailabilityWindows(db: Knex, personId: string): Promise<AvailabilityWindow[]> {
  return parseRows(AvailabilityWindowRow, await db('availability_windows').where({ person_id: personId }).orderBy('weekday').orderBy('start'));
}

/** Replaces the person's weekly windows with `windows` (call inside a transaction). */
export async function replaceAvailabilityWindows(db: Knex, personId: string, windows: readonly WindowInput[], at: Date): Promise<void> {
  await db('availability_windows').where({ person_id: personId }).delete();
  if (windows.length === 0) return;
  await db('availability_windows').insert(
    windows.map((w) => ({ id: newId(), person_id: personId, weekday: w.weekday, start: w.start, end: w.end, created_at: at.toISOString() })),
  );
}

export async function findAvailabilityToday(db: Knex, personId: string, day: string): Promise<AvailabilityToday | undefined> {
  return parseRow(AvailabilityTodayRow, await db('availability_today').where({ person_id: personId, day }).first());
}

/** Sets (or moves) today's "I can come in" until-time: one row per person and day. */
export async function setAvailableToday(db: Knex, personId: string, day: string, until: string, at: Date): Promise<void> {
  await db('availability_today')
    .insert({ person_id: personId, day, until, created_at: at.toISOString() })
    .onConflict(['person_id', 'day'])
    .merge({ until, created_at: at.toISOString() });
}

export async function clearAvailableToday(db: Knex, personId: string, day: string): Promise<boolean> {
  return (await db('availability_today').where({ person_id: personId, day }).delete()) > 0;
}

/** Windows and today's rows of every person in `personIds` (one query per table, chunked). */
export async function listAvailabilityOfPeople(
  db: Knex,
  personIds: readonly string[],
  day: string,
): Promise<{ windows: AvailabilityWindow[]; today: AvailabilityToday[] }> {
  const windows: AvailabilityWindow[] = [];
  const today: AvailabilityToday[] = [];
  for (let i = 0; i < personIds.length; i += 500) {
    const chunk = personIds.slice(i, i + 500);
    windows.push(...parseRows(AvailabilityWindowRow, await db('availability_windows').whereIn('person_id', chunk).orderBy('weekday').orderBy('start')));
    today.push(...parseRows(AvailabilityTodayRow, await db('availability_today').whereIn('person_id', chunk).andWhere({ day })));
  }
  return { windows, today };
}
