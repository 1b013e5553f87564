import type { Knex } from 'knex';
import { z } from 'zod';
import type { Err } from '../domain/result.js';
import { newId, parseRows } from './rows.js';

/**
 * Presences: who is in which room, as intervals [started_at, ended_at). The truth
 * about "who is here" is the set of open presences (no end), never a counter. One
 * open presence per child and per person is a partial unique index; a write that
 * loses that race gets a typed answer here, never an HTTP status.
 */

export type Subject = 'child' | 'person';

const TABLE = { child: 'child_presences', person: 'person_presences' } as const;
const COLUMN = { child: 'child_id', person: 'person_id' } as const;

const PresenceRow = z
  .object({
    id: z.string(),
    center_id: z.string(),
    room_id: z.string(),
    subject_id: z.string(),
    started_at: z.string(),
    ended_at: z.string().nullable(),
  })
  .transform((r) => ({ id: r.id, centerId: r.center_id, roomId: r.room_id, subjectId: r.subject_id, startedAt: r.started_at, endedAt: r.ended_at }));
export type Presence = z.output<typeof PresenceRow>;

const columns = (subject: Subject) => ['id', 'center_id', 'room_id', `${COLUMN[subject]} as subject_id`, 'started_at', 'ended_at'];

export type OpenInput = { centerId: string; roomId: string; subjectId: string; at: Date; userId: string | null };

export type Opened = { ok: true; presence: Presence } | (Err<'already_present'> & { current: Presence | undefined });

/**
 * Opens a presence, or answers 'already_present' with the open one that is in the way.
 * The unique index on open presences decides; ON CONFLICT DO NOTHING lets it say no
 * without failing the statement, so the caller's transaction stays usable (PostgreSQL
 * aborts a transaction on a failed statement) with no savepoint around it: one
 * statement where a savepoint took three.
 */
export async function openPresence(trx: Knex.Transaction, subject: Subject, input: OpenInput): Promise<Opened> {
  const row = {
    id: newId(),
    center_id: input.centerId,
    room_id: input.roomId,
    [COLUMN[subject]]: input.subjectId,
    started_at: input.at.toISOString(),
    ended_at: null,
    started_by_user_id: input.userId,
    ended_by_user_id: null,
  };
  const deferred = deferredOpens.get(trx);
  if (deferred) {
    // Inserted by the flush (deferPresenceOpens), which tells its caller if the unique index said no.
    deferred.push({ subject, row });
    return { ok: true, presence: { id: row.id, centerId: input.centerId, roomId: input.roomId, subjectId: input.subjectId, startedAt: row.started_at, endedAt: null } };
  }
  // Only a uniqueness conflict is let through: the id is new, so it is the one open presence of this subject.
  const inserted = (await trx(TABLE[subject]).insert(row).onConflict().ignore().returning('id')) as unknown[];
  if (inserted.length === 0) {
    return { ok: false, error: 'already_present', current: await findOpenPresence(trx, subject, input.centerId, input.subjectId) };
  }
  return {
    ok: true,
    presence: { id: row.id, centerId: input.centerId, roomId: input.roomId, subjectId: input.subjectId, startedAt: row.started_at, endedAt: null },
  };
}

type DeferredOpen = { readonly subject: Subject; readonly row: Record<string, unknown> & { readonly id: string; readonly room_id: string } };
/** Transactions whose presence opens are kept for one insert per subject (deferPresenceOpens). */
const deferredOpens = new WeakMap<Knex.Transaction, DeferredOpen[]>();

/**
 * From now until the returned `flush`, openPresence inside `trx` keeps its row and
 * answers as if it had been inserted; `flush` inserts every kept row, one statement
 * per subject (the same ON CONFLICT DO NOTHING), and answers the rooms of the rows the
 * unique index turned away. For a group commit (services/presence-writes.ts): a
 * group's check-ins pay one insert, not one statement each (on PostgreSQL, whose
 * transaction takes one statement at a time, a round trip each). A caller whose flush
 * answers rooms must undo the transaction, since the writes opening there went on as
 * if they had opened, and run them again without deferring, where openPresence
 * answers the refusal with the presence in the way. Until the flush no read sees the
 * kept rows: a write must not read back a presence it opened (none does: a person's
 * admission judges the room without them).
 */
export function deferPresenceOpens(trx: Knex.Transaction): () => Promise<Set<string>> {
  const kept: DeferredOpen[] = [];
  deferredOpens.set(trx, kept);
  return async () => {
    deferredOpens.delete(trx);
    const refused = new Set<string>();
    for (const subject of ['child', 'person'] as const) {
      const rows = kept.filter((k) => k.subject === subject).map((k) => k.row);
      if (rows.length === 0) continue;
      const answered = (await trx(TABLE[subject]).insert(rows).onConflict().ignore().returning('id')) as (string | { id: string })[];
      const inserted = new Set(answered.map((r) => (typeof r === 'string' ? r : r.id)));
      for (const row of rows) if (!inserted.has(row.id)) refused.add(row.room_id);
    }
    return refused;
  };
}

/**
 * Ends the subject's open presence in `roomId`. The row count decides: two tablets
 * checking the same child out at once cannot both end it. Answers the closed presence,
 * or undefined when there was none open in that room.
 */
export async function closePresence(
  db: Knex,
  subject: Subject,
  input: { centerId: string; roomId: string; subjectId: string; at: Date; userId: string | null },
): Promise<Presence | undefined> {
  const open = await db(TABLE[subject])
    .where({ center_id: input.centerId, room_id: input.roomId, [COLUMN[subject]]: input.subjectId })
    .whereNull('ended_at')
    .first(columns(subject));
  if (!open) return undefined;
  // A clock step backwards must not make an interval end before it starts.
  const endedAt = new Date(Math.max(input.at.getTime(), Date.parse(open.started_at))).toISOString();
  const n = await db(TABLE[subject])
    .where({ id: open.id })
    .whereNull('ended_at')
    .update({ ended_at: endedAt, ended_by_user_id: input.userId });
  if (n !== 1) return undefined;
  return { ...PresenceRow.parse(open), endedAt };
}

export async function findOpenPresence(db: Knex, subject: Subject, centerId: string, subjectId: string): Promise<Presence | undefined> {
  const row = await db(TABLE[subject]).where({ center_id: centerId, [COLUMN[subject]]: subjectId }).whereNull('ended_at').first(columns(subject));
  return row ? PresenceRow.parse(row) : undefined;
}

/** The subject's most recent presence (open or ended), for "Already checked out at 15:10.". */
export async function findLatestPresence(db: Knex, subject: Subject, centerId: string, subjectId: string): Promise<Presence | undefined> {
  const row = await db(TABLE[subject])
    .where({ center_id: centerId, [COLUMN[subject]]: subjectId })
    .orderBy('started_at', 'desc')
    .first(columns(subject));
  return row ? PresenceRow.parse(row) : undefined;
}

/** Every open presence in the center (optionally only in `roomIds`): one query for the whole board. */
export async function listOpenPresencesInCenter(db: Knex, subject: Subject, centerId: string, roomIds?: readonly string[]): Promise<Presence[]> {
  const q = db(TABLE[subject]).where({ center_id: centerId }).whereNull('ended_at');
  if (roomIds) q.whereIn('room_id', roomIds);
  return parseRows(PresenceRow, await q.orderBy('started_at').select(columns(subject)));
}

/**
 * The center's open presences of children and of people (those in `roomIds` when
 * given), each oldest first, as two listOpenPresencesInCenter calls answer them, in
 * one statement (UNION ALL): in a transaction on PostgreSQL, whose statements go one
 * after another, one round trip instead of two.
 */
export async function listOpenPresencesOfBothInCenter(db: Knex, centerId: string, roomIds?: readonly string[]): Promise<{ child: Presence[]; person: Presence[] }> {
  const part = (subject: Subject) => {
    const q = db(TABLE[subject]).where({ center_id: centerId }).whereNull('ended_at');
    if (roomIds) q.whereIn('room_id', roomIds);
    // The subject as a constant of the query's own text (never a value from outside).
    return q.select(db.raw(`'${subject}' as subject`), ...columns(subject));
  };
  const rows = (await part('child').unionAll(part('person')).orderBy('started_at')) as ({ subject: Subject } & Record<string, unknown>)[];
  const parsed = parseRows(PresenceRow, rows);
  const out = { child: [] as Presence[], person: [] as Presence[] };
  rows.forEach((r, i) => out[r.subject].push(parsed[i]!));
  return out;
}

/** A room's open presences, oldest first. */
export async function listOpenPresences(db: Knex, subject: Subject, roomId: string): Promise<Presence[]> {
  return parseRows(PresenceRow, await db(TABLE[subject]).where({ room_id: roomId }).whereNull('ended_at').orderBy('started_at').select(columns(subject)));
}

/**
 * Ends every open presence of the center that started before `before` at `endAt(startedAt)`:
 * the demo's leftovers from earlier days. Answers how many were ended.
 */
export async function closeStalePresences(db: Knex, centerId: string, before: Date, endAt: (startedAt: string) => Date): Promise<number> {
  let ended = 0;
  for (const subject of ['child', 'person'] as const) {
    const stale = await db(TABLE[subject]).where({ center_id: centerId }).whereNull('ended_at').where('started_at', '<', before.toISOString()).select('id', 'started_at');
    for (const s of stale as { id: string; started_at: string }[]) {
      ended += await db(TABLE[subject]).where({ id: s.id }).whereNull('ended_at').update({ ended_at: endAt(s.started_at).toISOString() });
    }
  }
  return ended;
}

/** Whether anything was checked in at the center since `since`. */
export async function hasPresenceSince(db: Knex, centerId: string, since: Date): Promise<boolean> {
  const row = await db('person_presences').where({ center_id: centerId }).where('started_at', '>=', since.toISOString()).first('id');
  if (row) return true;
  return (await db('child_presences').where({ center_id: centerId }).where('started_at', '>=', since.toISOString()).first('id')) !== undefined;
}

/**
 * The child presences a forecast of `roomIds` reads, overlapping [from, to) (UTC
 * instants), by start: those in the rooms, and those in any room of the children at
 * home in the rooms (a child checked in elsewhere is no longer expected at home). One
 * query; each part can use an index, so the center's history is not read: the rooms'
 * presences by room and start (as `listPresencesBetween` does), the home children's
 * open ones by child (the one-open-per-child index; the children are the center's),
 * their ended ones by the center's presences ended since `from`.
 */
export async function listChildPresencesForRoomsBetween(db: Knex, centerId: string, roomIds: readonly string[], from: Date, to: Date): Promise<Presence[]> {
  const start = from.toISOString();
  const end = to.toISOString();
  const atHome = () => db('children').select('id').where({ center_id: centerId }).whereIn('home_room_id', roomIds);
  const cols = columns('child');
  const rows = await db(TABLE.child)
    .select(cols)
    .where({ center_id: centerId })
    .whereIn('room_id', roomIds)
    .where('started_at', '<', end)
    .andWhere((w) => w.whereNull('ended_at').orWhere('ended_at', '>', start))
    // UNION, not UNION ALL: a home child's presence in one of the rooms comes once.
    .union([
      db(TABLE.child).select(cols).whereIn('child_id', atHome()).whereNull('ended_at').where('started_at', '<', end),
      db(TABLE.child).select(cols).where({ center_id: centerId }).where('ended_at', '>', start).where('started_at', '<', end).whereIn('child_id', atHome()),
    ])
    .orderBy('started_at')
    .orderBy('id');
  return parseRows(PresenceRow, rows);
}

/**
 * The children checked out of `roomId` since `since` (the start of the center's day),
 * each with the end of their latest presence there: the room page's "gone" children.
 */
export async function listChildrenLeftRoomSince(db: Knex, centerId: string, roomId: string, since: Date): Promise<Map<string, string>> {
  const rows = (await db(TABLE.child)
    .where({ center_id: centerId, room_id: roomId })
    .where('ended_at', '>=', since.toISOString())
    .groupBy('child_id')
    .select('child_id', db.raw('max(ended_at) as ended_at'))) as { child_id: string; ended_at: string }[];
  return new Map(rows.map((r) => [r.child_id, r.ended_at]));
}
