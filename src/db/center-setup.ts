import type { Knex } from 'knex';
import { listAbsencesOfDay, type ChildAbsence } from './absences.js';
import { listCenterTrainings, type CenterTraining } from './center-trainings.js';
import { listVerifiedTrainingsInCenter, type VerifiedTraining } from './day-plans.js';
import { listSchedulesInCenter } from './child-schedules.js';
import { Generation, sharedByProcesses } from './generations.js';
import { listOpenHeadcountsInCenter, type HeadcountCheck } from './headcounts.js';
import { listOpenActivitiesInCenter, type RoomActivity } from './room-activities.js';
import { listRoomNapsInCenter, type RoomNap } from './room-naps.js';
import { listRoomsInCenter } from './rooms.js';
import { ChildRow, PersonRow, parseRows, type Child, type Person, type Room } from './rows.js';
import { listShiftsForDay, type Shift } from './shifts.js';

/**
 * A center's rows that change seldom, next to presences that change all morning: its
 * rooms, children and their weekly schedules, people and their verified trainings,
 * the center's own trainings, naps, open room activities and headcount mismatches,
 * and (per day, when asked) the day's shifts and absences.
 *
 * A check-in needs all of them to judge its room and forecast its day, yet changes
 * none of them. On SQLite, which one process owns, they are kept in memory per center
 * while none of their tables has been written (`watchSetupWrites` sees every
 * statement), so an unchanged generation means unchanged rows. A check-in then reads
 * only presences. (The one SQLite connection is held by a transaction until it ends,
 * so nothing reads between a write and its commit.)
 *
 * Where several processes share a PostgreSQL database, nothing is kept
 * (`centerSetup` answers undefined) and callers read the tables as before.
 */

/** The tables whose rows are kept here. */
const SETUP_TABLES = new Set([
  'centers',
  'rooms',
  'children',
  'child_schedules',
  'people',
  'training_records',
  'center_trainings',
  'room_activities',
  'headcount_checks',
  'shifts',
  'shift_breaks',
  'room_naps',
  'child_absences',
]);
const WRITE = /^\s*(?:insert\s+into|update|delete\s+from)\s+[`"]?(\w+)/i;
const TRANSACTION_END = /^\s*(?:commit|rollback)\b/i;

/** Moves on every write of a table kept here (see watchSetupWrites). */
export const setupRows = new Generation();

/**
 * Watches every statement `db` runs (knex's `query` event, transactions' included)
 * and moves `setupRows` on each write of a table kept here, again when it has run,
 * and again when a transaction that made one commits or rolls back: every way of
 * writing counts (repositories, seeds, raw SQL), none has to remember to.
 */
export function watchSetupWrites(db: Knex): void {
  if (sharedByProcesses(db)) return;
  let inTransaction = false;
  const written = (q: { sql?: unknown; __knexTxId?: unknown }): boolean => {
    if (typeof q.sql !== 'string') return false;
    const table = WRITE.exec(q.sql)?.[1];
    return table !== undefined && SETUP_TABLES.has(table.toLowerCase());
  };
  db.on('query', (q: { sql?: unknown; __knexTxId?: unknown }) => {
    if (written(q)) {
      setupRows.bump();
      if (q.__knexTxId !== undefined) inTransaction = true;
    } else if (inTransaction && typeof q.sql === 'string' && TRANSACTION_END.test(q.sql)) {
      inTransaction = false;
      setupRows.bump();
    }
  });
  const after = (_response: unknown, q: { sql?: unknown }) => {
    if (written(q)) setupRows.bump();
  };
  db.on('query-response', after);
  db.on('query-error', (_err: unknown, q: { sql?: unknown }) => after(undefined, q));
}

export type CenterDayRows = { readonly shifts: readonly Shift[]; readonly absences: readonly ChildAbsence[] };

export type CenterSetup = {
  /** The generation these rows were read at. */
  readonly generation: number;
  /** Rooms not archived, in the order of listRoomsInCenter. */
  readonly rooms: readonly Room[];
  /** Every child of the center, archived or not, by display name. */
  readonly children: readonly Child[];
  readonly childById: ReadonlyMap<string, Child>;
  /** Every person of the center, archived or not, by display name. */
  readonly people: readonly Person[];
  readonly personById: ReadonlyMap<string, Person>;
  /** Verified training records of every person of the center. */
  readonly trainings: readonly VerifiedTraining[];
  readonly centerTrainings: readonly CenterTraining[];
  readonly activities: readonly RoomActivity[];
  readonly headcounts: readonly HeadcountCheck[];
  readonly schedules: Awaited<ReturnType<typeof listSchedulesInCenter>>;
  readonly naps: readonly RoomNap[];
  /**
   * The day's shifts (with breaks) and absences, read once per day while the
   * generation stands. Read with `db`; inside a transaction they are read there and
   * not kept (the one SQLite connection is the transaction's).
   */
  day(db: Knex, day: string): Promise<CenterDayRows>;
};

type Entry = { readonly generation: number; readonly setup: Promise<CenterSetup> };

/**
 * Kept reads that have finished. A transaction may take a kept read only once it has:
 * one still running waits for a connection, and on SQLite the transaction holds the
 * only one (a check-in's group waiting on a board's read of the setup it invalidated
 * deadlocked every check-in until the pool timed out).
 */
const finished = new WeakSet<Promise<unknown>>();
function keep<T>(reading: Promise<T>): Promise<T> {
  reading.then(
    () => finished.add(reading),
    () => undefined,
  );
  return reading;
}

const MAX_CENTERS = 200;
const MAX_DAYS = 4;
const entries = new WeakMap<object, Map<string, Entry>>();

/**
 * The center's setup rows as they stand, or undefined where they are not kept
 * (PostgreSQL). Outside a transaction a stale or missing entry is read and kept.
 * Inside one (`db` a transaction) only a current entry whose read has finished is answered, never one read
 * there: a transaction may have written rows it has not audited yet, and may yet
 * roll back; the caller then reads the tables itself.
 */
export async function centerSetup(db: Knex, centerId: string): Promise<CenterSetup | undefined> {
  if (sharedByProcesses(db)) return undefined;
  // Per database (tests open many); transactions share their knex's config object.
  let byCenter = entries.get(db.client.config);
  if (!byCenter) entries.set(db.client.config, (byCenter = new Map()));
  const generation = setupRows.current;
  const hit = byCenter.get(centerId);
  if (hit && hit.generation === generation && (!db.isTransaction || finished.has(hit.setup))) return hit.setup;
  if (db.isTransaction) return undefined;
  const entry: Entry = { generation, setup: keep(readSetup(db, centerId, generation)) };
  byCenter.delete(centerId);
  byCenter.set(centerId, entry);
  if (byCenter.size > MAX_CENTERS) byCenter.delete(byCenter.keys().next().value!);
  const map = byCenter;
  entry.setup.catch(() => map.get(centerId) === entry && map.delete(centerId));
  return entry.setup;
}

/** True while `setup` is what the tables hold (nothing kept here has been written since it was read). */
export function isCurrent(setup: CenterSetup | undefined): setup is CenterSetup {
  return setup !== undefined && setup.generation === setupRows.current;
}

async function readSetup(db: Knex, centerId: string, generation: number): Promise<CenterSetup> {
  const [rooms, children, people, trainings, centerTrainings, activities, headcounts, schedules, naps] = await Promise.all([
    listRoomsInCenter(db, centerId),
    db('children').where({ center_id: centerId }).orderBy('display_name').orderBy('id').then((rows) => parseRows(ChildRow, rows)),
    db('people').where({ center_id: centerId }).orderBy('display_name').orderBy('id').then((rows) => parseRows(PersonRow, rows)),
    listVerifiedTrainingsInCenter(db, centerId),
    listCenterTrainings(db, centerId),
    listOpenActivitiesInCenter(db, centerId),
    listOpenHeadcountsInCenter(db, centerId),
    listSchedulesInCenter(db, centerId),
    listRoomNapsInCenter(db, centerId),
  ]);
  const days = new Map<string, Promise<CenterDayRows>>();
  return {
    generation,
    rooms,
    children,
    childById: new Map(children.map((c) => [c.id, c])),
    people,
    personById: new Map(people.map((p) => [p.id, p])),
    trainings,
    centerTrainings,
    activities,
    headcounts,
    schedules,
    naps,
    day(reader: Knex, day: string): Promise<CenterDayRows> {
      const read = () => Promise.all([listShiftsForDay(reader, centerId, day), listAbsencesOfDay(reader, centerId, day)]).then(([shifts, absences]) => ({ shifts, absences }));
      const kept = days.get(day);
      if (kept && (!reader.isTransaction || finished.has(kept))) return kept;
      if (reader.isTransaction) return read();
      const reading = keep(read());
      days.set(day, reading);
      if (days.size > MAX_DAYS) days.delete(days.keys().next().value!);
      reading.catch(() => days.get(day) === reading && days.delete(day));
      return reading;
    },
  };
}
