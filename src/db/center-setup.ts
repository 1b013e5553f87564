import type { Knex } from 'knex';
import { listAbsencesOfDay, type ChildAbsence } from './absences.js';
import { listCenterTrainings, type CenterTraining } from './center-trainings.js';
import { listVerifiedTrainingsInCenter } from './day-plans.js';
import { listSchedulesInCenter } from './child-schedules.js';
import { auditHeads, Kept, type AuditHeads } from './freshness.js';
import { listOpenHeadcountsInCenter, type HeadcountCheck } from './headcounts.js';
import { listOpenActivitiesInCenter, type RoomActivity } from './room-activities.js';
import { listRoomNapsInCenter, type RoomNap } from './room-naps.js';
import { listRoomsInCenter } from './rooms.js';
import { ChildRow, PersonRow, parseRows, type Child, type Person, type Room, type TrainingCompletion } from './rows.js';
import { listShiftsForDay, type Shift } from './shifts.js';

/**
 * A center's rows that change seldom, next to presences that change all morning: its
 * rooms, children and their weekly schedules, people and their verified trainings,
 * the center's own trainings, naps, open room activities and headcount mismatches,
 * and (per day, when asked) the day's shifts and absences.
 *
 * A check-in needs all of them to judge its room and forecast its day, yet changes
 * none of them. They are kept in memory per center under the audit log's setup head
 * (freshness.ts: every write of them is audited, and the append moves that head in
 * its transaction), on both engines, so a check-in reads only presences, and reads
 * them outside its transaction.
 */

export type CenterDayRows = { readonly shifts: readonly Shift[]; readonly absences: readonly ChildAbsence[] };

export type CenterSetup = {
  /** The audit log's setup head these rows were read under (freshness.ts). */
  readonly head: number;
  /** Rooms not archived, in the order of listRoomsInCenter. */
  readonly rooms: readonly Room[];
  /** Every child of the center, archived or not, by display name. */
  readonly children: readonly Child[];
  readonly childById: ReadonlyMap<string, Child>;
  /** Every person of the center, archived or not, by display name. */
  readonly people: readonly Person[];
  readonly personById: ReadonlyMap<string, Person>;
  /** Verified training records of every person of the center. */
  readonly trainings: readonly TrainingCompletion[];
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

/**
 * Day reads that have finished. A transaction may take a kept read only once it has:
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
/** Per database (tests open many); transactions share their knex's config object. */
const kept = new WeakMap<object, Kept<CenterSetup>>();

/**
 * The center's setup rows as they stand now. Outside a transaction a kept entry under
 * the current setup head is answered, or the rows are read (after the head) and kept.
 * Inside one (`db` a transaction), only a kept entry under the head as the transaction
 * sees it, whose read has finished, is answered, never one read there (the
 * transaction may yet roll back): undefined, and the caller reads the tables itself.
 * A transaction whose writes are not audited yet (deferAuditAppends) must flush them
 * before asking. `heads`: the heads as the caller read them (with `db`, after it began;
 * in a transaction, as it sees them), so that one read serves several kept values.
 */
export async function centerSetup(db: Knex, centerId: string, heads?: AuditHeads): Promise<CenterSetup | undefined> {
  let byCenter = kept.get(db.client.config);
  if (!byCenter) kept.set(db.client.config, (byCenter = new Kept(MAX_CENTERS)));
  const { setup: head } = heads ?? (await auditHeads(db));
  if (db.isTransaction) return byCenter.peek(centerId, head);
  return byCenter.get(centerId, head, () => readSetup(db, centerId, head));
}

/**
 * `setup` if it is still what the tables hold as `db` sees them: read outside a
 * transaction just now, it is; inside one, it is while the setup head the
 * transaction sees (`heads`, when the caller has them: see deferAuditAppends) is the
 * one it was read under. Undefined otherwise.
 */
export async function stillCurrent(db: Knex, setup: CenterSetup | undefined, heads?: AuditHeads): Promise<CenterSetup | undefined> {
  if (!setup || !db.isTransaction) return setup;
  return (heads ?? (await auditHeads(db))).setup === setup.head ? setup : undefined;
}

async function readSetup(db: Knex, centerId: string, head: number): Promise<CenterSetup> {
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
    head,
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
