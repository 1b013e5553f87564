import type { Knex } from 'knex';
import { z } from 'zod';
import { CLAIM_KINDS, CLAIM_STATUSES, COVER_STATUSES } from './cover-requests.js';
import { HistoryFields, historyColumns, historyOf } from './status-history.js';

/**
 * Read-only queries behind a center's reports: what the status history, the
 * presences and the cover requests say about a range of time. Every query is
 * scoped to the center; instants are UTC ISO strings compared as text (every
 * writer stores `Date#toISOString()`, so text order is time order on both engines).
 */

const int = z.union([z.number(), z.string()]).transform((v) => Number(v));

// The status history's own row, with the room's name joined in.
const StatusChangeRow = HistoryFields.extend({ room_name: z.string() }).transform((r) => ({ ...historyOf(r), roomName: r.room_name }));
export type StatusChange = z.output<typeof StatusChangeRow>;

// Every column of the history row (the figures too), with the room's name.
const STATUS_COLUMNS = [...historyColumns('h.'), 'r.name as room_name'];

/**
 * Every status interval of the center's rooms (archived ones too) that overlaps
 * [from, to), by room (in set-up order) and then by start: each row is one change.
 */
export async function listStatusChangesInCenter(db: Knex, centerId: string, from: Date, to: Date): Promise<StatusChange[]> {
  const rows = await db('room_status_history as h')
    .join('rooms as r', 'r.id', 'h.room_id')
    .where('h.center_id', centerId)
    .where('h.started_at', '<', to.toISOString())
    .andWhere((q) => q.whereNull('h.ended_at').orWhere('h.ended_at', '>', from.toISOString()))
    .orderBy([{ column: 'r.created_at' }, { column: 'r.name' }, { column: 'h.room_id' }, { column: 'h.started_at' }])
    .select(STATUS_COLUMNS);
  return rows.map((r: unknown) => StatusChangeRow.parse(r));
}

/**
 * The status a room of the center had at `at`, in one query: the interval with
 * started_at <= at and (no end, or ended_at > at): [start, end), so a change at
 * 10:32 answers for 10:32 itself. Undefined when nothing was recorded then.
 */
export async function findStatusAt(db: Knex, centerId: string, roomId: string, at: Date): Promise<StatusChange | undefined> {
  const iso = at.toISOString();
  const row = await db('room_status_history as h')
    .join('rooms as r', 'r.id', 'h.room_id')
    .where({ 'h.center_id': centerId, 'h.room_id': roomId })
    .where('h.started_at', '<=', iso)
    .andWhere((q) => q.whereNull('h.ended_at').orWhere('h.ended_at', '>', iso))
    // One open row per room and closed rows never overlap; the latest start is the answer if a clock step made two.
    .orderBy('h.started_at', 'desc')
    .first(STATUS_COLUMNS);
  return row ? StatusChangeRow.parse(row) : undefined;
}

const PersonIntervalRow = z
  .object({
    id: z.string(),
    person_id: z.string(),
    person_name: z.string(),
    person_role: z.string(),
    room_id: z.string(),
    room_name: z.string(),
    started_at: z.string(),
    ended_at: z.string().nullable(),
  })
  .transform((r) => ({
    id: r.id,
    personId: r.person_id,
    personName: r.person_name,
    personRole: r.person_role,
    roomId: r.room_id,
    roomName: r.room_name,
    startedAt: r.started_at,
    endedAt: r.ended_at,
  }));
export type PersonInterval = z.output<typeof PersonIntervalRow>;

/** Every staff and volunteer presence in the center overlapping [from, to), oldest first, with the person's and room's names. */
export async function listPersonIntervalsInCenter(db: Knex, centerId: string, from: Date, to: Date): Promise<PersonInterval[]> {
  const rows = await db('person_presences as p')
    .join('people as pe', 'pe.id', 'p.person_id')
    .join('rooms as r', 'r.id', 'p.room_id')
    .where('p.center_id', centerId)
    .where('p.started_at', '<', to.toISOString())
    .andWhere((q) => q.whereNull('p.ended_at').orWhere('p.ended_at', '>', from.toISOString()))
    .orderBy([{ column: 'p.started_at' }, { column: 'pe.display_name' }, { column: 'p.id' }])
    .select('p.id', 'p.person_id', 'pe.display_name as person_name', 'pe.role as person_role', 'p.room_id', 'r.name as room_name', 'p.started_at', 'p.ended_at');
  return rows.map((r: unknown) => PersonIntervalRow.parse(r));
}

const CoverRequestLine = z
  .object({
    id: z.string(),
    room_id: z.string(),
    room_name: z.string(),
    starts_at: z.string(),
    ends_at: z.string(),
    people_needed: int,
    reason: z.string().nullable(),
    urgent: z.union([z.boolean(), z.number()]).transform((v) => v === true || v === 1),
    status: z.enum(COVER_STATUSES),
    created_at: z.string(),
    requested_by: z.string().nullable(),
    closed_at: z.string().nullable(),
  })
  .transform((r) => ({
    id: r.id,
    roomId: r.room_id,
    roomName: r.room_name,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    peopleNeeded: r.people_needed,
    reason: r.reason,
    urgent: r.urgent,
    status: r.status,
    createdAt: r.created_at,
    requestedBy: r.requested_by,
    closedAt: r.closed_at,
  }));

const CoverTakerLine = z
  .object({
    cover_request_id: z.string(),
    person_name: z.string(),
    starts_at: z.string(),
    ends_at: z.string(),
    kind: z.enum(CLAIM_KINDS),
    status: z.enum(CLAIM_STATUSES),
    decided_at: z.string().nullable(),
    created_at: z.string(),
  })
  .transform((r) => ({
    coverRequestId: r.cover_request_id,
    personName: r.person_name,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    kind: r.kind,
    status: r.status,
    decidedAt: r.decided_at,
    createdAt: r.created_at,
  }));
export type CoverTaker = z.output<typeof CoverTakerLine>;
export type CoverRequestLine = z.output<typeof CoverRequestLine> & { readonly takers: readonly CoverTaker[] };

/**
 * The center's cover requests whose window overlaps [from, to), by start, each with
 * who took it: the claims still standing (accepted, or pending a director's approval),
 * with the person's name and the part of the window they took.
 */
export async function listCoverRequestLinesInCenter(db: Knex, centerId: string, from: Date, to: Date): Promise<CoverRequestLine[]> {
  const rows = await db('cover_requests as c')
    .join('rooms as r', 'r.id', 'c.room_id')
    .leftJoin('users as u', 'u.id', 'c.created_by_user_id')
    .where('c.center_id', centerId)
    .where('c.starts_at', '<', to.toISOString())
    .where('c.ends_at', '>', from.toISOString())
    .orderBy([{ column: 'c.starts_at' }, { column: 'r.name' }, { column: 'c.id' }])
    .select(
      'c.id',
      'c.room_id',
      'r.name as room_name',
      'c.starts_at',
      'c.ends_at',
      'c.people_needed',
      'c.reason',
      'c.urgent',
      'c.status',
      'c.created_at',
      'u.display_name as requested_by',
      'c.closed_at',
    );
  const requests = rows.map((r: unknown) => CoverRequestLine.parse(r));
  const takers = new Map<string, CoverTaker[]>();
  const ids = requests.map((r) => r.id);
  // Chunked: SQLite caps the bound parameters of one statement.
  for (let i = 0; i < ids.length; i += 500) {
    const claims = await db('cover_claims as k')
      .join('people as p', 'p.id', 'k.person_id')
      .where('k.center_id', centerId)
      .whereIn('k.cover_request_id', ids.slice(i, i + 500))
      .whereIn('k.status', ['accepted', 'pending'])
      .whereNull('k.closed_at')
      .orderBy([{ column: 'k.starts_at' }, { column: 'p.display_name' }])
      .select('k.cover_request_id', 'p.display_name as person_name', 'k.starts_at', 'k.ends_at', 'k.kind', 'k.status', 'k.decided_at', 'k.created_at');
    for (const c of claims.map((r: unknown) => CoverTakerLine.parse(r))) {
      let list = takers.get(c.coverRequestId);
      if (!list) takers.set(c.coverRequestId, (list = []));
      list.push(c);
    }
  }
  return requests.map((r) => ({ ...r, takers: takers.get(r.id) ?? [] }));
}
