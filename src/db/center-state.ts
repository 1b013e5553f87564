import { centerSetup, stillCurrent, type CenterSetup } from './center-setup.js';
import { listCenterTrainings, type CenterTraining } from './center-trainings.js';
import type { AuditHeads } from './freshness.js';
import { isPostgres, together, type Knex } from './knex.js';
import { listOpenHeadcountsInCenter, type HeadcountCheck } from './headcounts.js';
import { listOpenPresencesInCenter, listOpenPresencesOfBothInCenter, type Presence } from './presences.js';
import { listOpenActivitiesInCenter, type RoomActivity } from './room-activities.js';
import { listRoomsInCenter } from './rooms.js';
import { ChildRow, PersonRow, RoomRow, TRAINING_COMPLETION_COLUMNS, TrainingCompletionRow, parseRows, type Child, type Person, type Room, type TrainingCompletion } from './rows.js';

/**
 * Everything the board needs about a center, one query per table for the whole center
 * (never one per room), grouped in memory by the caller. With `roomIds`, presences,
 * activities and headcounts are only those rooms'; rooms are always all of them (names
 * for "in Toddlers since 07:02" and the move list).
 */

export type CenterRows = {
  readonly rooms: Room[];
  readonly childPresences: Presence[];
  readonly personPresences: Presence[];
  /** The children present (and, with `everyone`, every child of the center not archived). */
  readonly children: Child[];
  /** The people present (and, with `everyone`, every person of the center not archived). */
  readonly people: Person[];
  /** Verified training records of those people: only verified ones count. */
  readonly trainings: TrainingCompletion[];
  readonly activities: RoomActivity[];
  readonly headcounts: HeadcountCheck[];
  /** The center's own trainings (not archived): a 'before' one gates counting like a pack training. */
  readonly centerTrainings: CenterTraining[];
};

export type CenterRowsOptions = {
  readonly roomIds?: readonly string[];
  readonly everyone?: boolean;
  /** The center's setup rows, when kept (center-setup.ts): then only presences are read, if it is still current. */
  readonly setup?: CenterSetup | undefined;
  /** The audit log's heads as `db` sees them, when the caller has them (a group commit's, after its trail): `setup` is checked against them without reading them again. */
  readonly heads?: AuditHeads | undefined;
};

export async function loadCenterRows(db: Knex, centerId: string, opts: CenterRowsOptions = {}): Promise<CenterRows> {
  const { roomIds, everyone = false } = opts;
  const setup = await stillCurrent(db, opts.setup, opts.heads);
  if (setup) return fromSetup(db, centerId, setup, roomIds, everyone);
  const openIn = (table: 'child_presences' | 'person_presences', column: string) => {
    const q = db(table).where({ center_id: centerId }).whereNull('ended_at');
    if (roomIds) q.whereIn('room_id', roomIds);
    return q.select(column);
  };
  const childrenQ = db('children').where({ center_id: centerId });
  if (everyone) childrenQ.andWhere((q) => q.whereNull('archived_at').orWhereIn('id', openIn('child_presences', 'child_id')));
  else childrenQ.whereIn('id', openIn('child_presences', 'child_id'));
  const peopleQ = db('people').where({ center_id: centerId });
  if (everyone) peopleQ.andWhere((q) => q.whereNull('archived_at').orWhereIn('id', openIn('person_presences', 'person_id')));
  else peopleQ.whereIn('id', openIn('person_presences', 'person_id'));
  const trainingsQ = db('training_records')
    .where({ center_id: centerId, status: 'verified' })
    .select(TRAINING_COMPLETION_COLUMNS);
  if (!everyone) trainingsQ.whereIn('person_id', openIn('person_presences', 'person_id'));

  // On SQLite these queue on one connection; on PostgreSQL they run side by side.
  const [rooms, childPresences, personPresences, children, people, trainings, activities, headcounts, centerTrainings] = await together(db, [
    () => listRoomsInCenter(db, centerId),
    () => listOpenPresencesInCenter(db, 'child', centerId, roomIds),
    () => listOpenPresencesInCenter(db, 'person', centerId, roomIds),
    async () => parseRows(ChildRow, await childrenQ.orderBy('display_name')),
    async () => parseRows(PersonRow, await peopleQ.orderBy('display_name')),
    async () => parseRows(TrainingCompletionRow, await trainingsQ),
    () => listOpenActivitiesInCenter(db, centerId, roomIds),
    () => listOpenHeadcountsInCenter(db, centerId, roomIds),
    () => listCenterTrainings(db, centerId),
  ] as const);
  return { rooms, childPresences, personPresences, children, people, trainings, activities, headcounts, centerTrainings };
}

/** The same rows as the queries above, from the kept setup rows and the open presences. */
async function fromSetup(db: Knex, centerId: string, setup: CenterSetup, roomIds: readonly string[] | undefined, everyone: boolean): Promise<CenterRows> {
  // On PostgreSQL in one statement (a group commit's transaction pays a round trip per statement); on SQLite side by side.
  const [childPresences, personPresences] = isPostgres(db)
    ? await listOpenPresencesOfBothInCenter(db, centerId, roomIds).then((both) => [both.child, both.person] as const)
    : await together(db, [() => listOpenPresencesInCenter(db, 'child', centerId, roomIds), () => listOpenPresencesInCenter(db, 'person', centerId, roomIds)] as const);
  const childrenHere = new Set(childPresences.map((p) => p.subjectId));
  const peopleHere = new Set(personPresences.map((p) => p.subjectId));
  const inRooms = roomIds ? new Set(roomIds) : null;
  const inRoom = (r: { roomId: string }) => !inRooms || inRooms.has(r.roomId);
  return {
    rooms: [...setup.rooms],
    childPresences,
    personPresences,
    children: setup.children.filter((c) => childrenHere.has(c.id) || (everyone && c.archivedAt === null)),
    people: setup.people.filter((p) => peopleHere.has(p.id) || (everyone && p.archivedAt === null)),
    trainings: everyone ? [...setup.trainings] : setup.trainings.filter((t) => peopleHere.has(t.personId)),
    activities: setup.activities.filter(inRoom),
    headcounts: setup.headcounts.filter(inRoom),
    centerTrainings: [...setup.centerTrainings],
  };
}

/**
 * A room of the center that is not archived: where presences may be written. (From the
 * kept setup rows where they are kept.) `heads`, here and below: the audit log's heads
 * as the caller read them for its request (see centerSetup), saving a read of its own.
 */
export async function findOpenRoomInCenter(db: Knex, centerId: string, roomId: string, heads?: AuditHeads): Promise<Room | undefined> {
  const setup = await centerSetup(db, centerId, heads);
  if (setup) return setup.rooms.find((r) => r.id === roomId);
  const row = await db('rooms').where({ id: roomId, center_id: centerId }).whereNull('archived_at').first();
  return row ? RoomRow.parse(row) : undefined;
}

/** A child of the center that is not archived. */
export async function findCurrentChildInCenter(db: Knex, centerId: string, childId: string, heads?: AuditHeads): Promise<Child | undefined> {
  const setup = await centerSetup(db, centerId, heads);
  if (setup) {
    const child = setup.childById.get(childId);
    return child && child.archivedAt === null ? child : undefined;
  }
  const row = await db('children').where({ id: childId, center_id: centerId }).whereNull('archived_at').first();
  return row ? ChildRow.parse(row) : undefined;
}

/** A person of the center who is not archived. */
export async function findCurrentPersonInCenter(db: Knex, centerId: string, personId: string, heads?: AuditHeads): Promise<Person | undefined> {
  const setup = await centerSetup(db, centerId, heads);
  if (setup) {
    const person = setup.personById.get(personId);
    return person && person.archivedAt === null ? person : undefined;
  }
  const row = await db('people').where({ id: personId, center_id: centerId }).whereNull('archived_at').first();
  return row ? PersonRow.parse(row) : undefined;
}
