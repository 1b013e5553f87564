import type { Knex } from 'knex';
import { ChildScheduleRow, newId, parseRows, type ChildScheduleDay } from './rows.js';

export type ScheduleDay = { readonly weekday: number; readonly arrive: string; readonly depart: string };

/** A child's expected days, Monday first. */
export async function listScheduleOfChild(db: Knex, childId: string): Promise<ChildScheduleDay[]> {
  return parseRows(ChildScheduleRow, await db('child_schedules').where({ child_id: childId }).orderBy('weekday'));
}

/** Every schedule day of the center's children, in one query (for lists). */
export async function listSchedulesInCenter(db: Knex, centerId: string): Promise<ChildScheduleDay[]> {
  const rows = await db('child_schedules as s')
    .join('children as c', 'c.id', 's.child_id')
    .where('c.center_id', centerId)
    .orderBy('s.child_id')
    .orderBy('s.weekday')
    .select('s.*');
  return parseRows(ChildScheduleRow, rows);
}

/** Replaces the child's whole schedule; call it in the transaction that writes the child. */
export async function replaceScheduleOfChild(trx: Knex.Transaction, childId: string, days: readonly ScheduleDay[]): Promise<void> {
  await trx('child_schedules').where({ child_id: childId }).delete();
  if (days.length === 0) return;
  await trx('child_schedules').insert(days.map((d) => ({ id: newId(), child_id: childId, weekday: d.weekday, arrive: d.arrive, depart: d.depart })));
}
