import type { Knex } from 'knex';
import { z } from 'zod';
import { constraintViolation } from './errors.js';
import type { Presence } from './presences.js';
import { insertShift, type ShiftInput } from './shifts.js';
import { TRAINING_COMPLETION_COLUMNS, TrainingCompletionRow, parseRows, type TrainingCompletion } from './rows.js';

/**
 * Which days of a center have a plan (`day_plans`), and what a day's forecast reads
 * besides the plan: the presences recorded during the day, open or ended, and the
 * verified training records of the people involved. A day's plan is made once
 * from the weekly templates; the row is the proof, so two requests making the
 * same day's plan at the same moment cannot both insert its shifts.
 */

/** Whether the center's plan for `day` exists. */
export async function hasDayPlan(db: Knex, centerId: string, day: string): Promise<boolean> {
  return (await db('day_plans').where({ center_id: centerId, day }).first('day')) !== undefined;
}

/** Which of `days` have the center's plan made (`days` is a few weeks at most). */
export async function listDaysWithPlan(db: Knex, centerId: string, days: readonly string[]): Promise<Set<string>> {
  if (days.length === 0) return new Set();
  return new Set((await db('day_plans').where({ center_id: centerId }).whereIn('day', [...days]).select('day')).map((r: { day: string }) => r.day));
}

/**
 * Makes the day's plan: the `day_plans` row, then `shifts` (with source 'template'),
 * inside the caller's transaction. Answers false, having written nothing, when the
 * plan already exists (made earlier, or by a concurrent request: the primary key decides).
 */
export async function insertDayPlan(trx: Knex.Transaction, centerId: string, day: string, shifts: readonly ShiftInput[], at: Date): Promise<boolean> {
  try {
    // A savepoint: PostgreSQL aborts a transaction on a failed statement.
    await trx.transaction(async (sp) => {
      await sp('day_plans').insert({ center_id: centerId, day, made_at: at.toISOString() });
    });
  } catch (err) {
    if (constraintViolation(err) !== 'unique') throw err;
    return false;
  }
  for (const shift of shifts) await insertShift(trx, shift, at);
  return true;
}

const TABLE = { child: 'child_presences', person: 'person_presences' } as const;
const COLUMN = { child: 'child_id', person: 'person_id' } as const;

const PresenceRow = z
  .object({ id: z.string(), center_id: z.string(), room_id: z.string(), subject_id: z.string(), started_at: z.string(), ended_at: z.string().nullable() })
  .transform((r) => ({ id: r.id, centerId: r.center_id, roomId: r.room_id, subjectId: r.subject_id, startedAt: r.started_at, endedAt: r.ended_at }));

/**
 * The center's presences overlapping [from, to) (UTC instants), open or ended, by start:
 * what has happened in a day so far. With `roomIds`, only those rooms'.
 */
export async function listPresencesBetween(
  db: Knex,
  subject: 'child' | 'person',
  centerId: string,
  from: Date,
  to: Date,
  roomIds?: readonly string[],
): Promise<Presence[]> {
  const q = db(TABLE[subject])
    .where({ center_id: centerId })
    .where('started_at', '<', to.toISOString())
    .andWhere((w) => w.whereNull('ended_at').orWhere('ended_at', '>', from.toISOString()));
  if (roomIds) q.whereIn('room_id', roomIds);
  const rows = await q.orderBy('started_at').orderBy('id').select('id', 'center_id', 'room_id', `${COLUMN[subject]} as subject_id`, 'started_at', 'ended_at');
  return parseRows(PresenceRow, rows);
}

/** Verified training records of every person of the center (only verified ones count). */
export async function listVerifiedTrainingsInCenter(db: Knex, centerId: string): Promise<TrainingCompletion[]> {
  return parseRows(TrainingCompletionRow, await db('training_records').where({ center_id: centerId, status: 'verified' }).select(TRAINING_COMPLETION_COLUMNS));
}

/** Verified training records of the center's people in `personIds` (only verified ones count), chunked. */
export async function listVerifiedTrainingsOfPeople(db: Knex, centerId: string, personIds: readonly string[]) {
  const out: TrainingCompletion[] = [];
  for (let i = 0; i < personIds.length; i += 500) {
    const rows = await db('training_records')
      .where({ center_id: centerId, status: 'verified' })
      .whereIn('person_id', personIds.slice(i, i + 500))
      .select(TRAINING_COMPLETION_COLUMNS);
    out.push(...parseRows(TrainingCompletionRow, rows));
  }
  return out;
}
