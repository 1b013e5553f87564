import type { Knex } from 'knex';
import { z } from 'zod';
import { constraintViolation } from './errors.js';
import { isPostgres } from './knex.js';
import type { Err } from '../domain/result.js';
import { newId, parseRow, parseRows } from './rows.js';

/**
 * Cover requests, the claims that fill them and their history. Every write here
 * belongs in the caller's transaction, with its audit entry. Who wins a race is
 * decided by `advanceCoverRequest`: a conditional update on the request's version,
 * whose row count says whether this write saw the request as it still is. Who may
 * open or change a request for a room while another is open there is decided under
 * `lockRoomForCover`, so one room never holds two open requests for one moment.
 */

export const COVER_STATUSES = ['open', 'filled', 'cancelled', 'expired'] as const;
export type CoverStatus = (typeof COVER_STATUSES)[number];
export const CLAIM_STATUSES = ['pending', 'accepted', 'withdrawn', 'declined', 'cancelled'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];
export const CLAIM_KINDS = ['claim', 'assignment'] as const;
export type ClaimKind = (typeof CLAIM_KINDS)[number];
export const EVENT_KINDS = ['created', 'claimed', 'assigned', 'approved', 'declined', 'withdrawn', 'cancelled', 'expired', 'widened', 'raised', 'escalated'] as const;
export type CoverEventKind = (typeof EVENT_KINDS)[number];

const int = z.union([z.number(), z.string()]).transform((v) => Number(v));
const bool = z.union([z.boolean(), z.number()]).transform((v) => v === true || v === 1);
const list = z.string().transform((v) => v.split(',').filter(Boolean));

const CoverRequestRow = z
  .object({
    id: z.string(),
    center_id: z.string(),
    room_id: z.string(),
    day: z.string(),
    starts_at: z.string(),
    ends_at: z.string(),
    people_needed: int,
    needs: list,
    trainings: list,
    reason: z.string().nullable(),
    urgent: bool,
    status: z.enum(COVER_STATUSES),
    version: int,
    created_at: z.string(),
    created_by_user_id: z.string().nullable(),
    closed_at: z.string().nullable(),
  })
  .transform((r) => ({
    id: r.id,
    centerId: r.center_id,
    roomId: r.room_id,
    day: r.day,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    peopleNeeded: r.people_needed,
    needs: r.needs,
    trainings: r.trainings,
    reason: r.reason,
    urgent: r.urgent,
    status: r.status,
    version: r.version,
    createdAt: r.created_at,
    createdByUserId: r.created_by_user_id,
    closedAt: r.closed_at,
  }));
export type CoverRequest = z.output<typeof CoverRequestRow>;

const CoverClaimRow = z
  .object({
    id: z.string(),
    cover_request_id: z.string(),
    center_id: z.string(),
    person_id: z.string(),
    seat: int,
    starts_at: z.string(),
    ends_at: z.string(),
    kind: z.enum(CLAIM_KINDS),
    status: z.enum(CLAIM_STATUSES),
    shift_id: z.string().nullable(),
    created_at: z.string(),
    created_by_user_id: z.string().nullable(),
    decided_at: z.string().nullable(),
    decided_by_user_id: z.string().nullable(),
    closed_at: z.string().nullable(),
  })
  .transform((r) => ({
    id: r.id,
    coverRequestId: r.cover_request_id,
    centerId: r.center_id,
    personId: r.person_id,
    seat: r.seat,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    kind: r.kind,
    status: r.status,
    shiftId: r.shift_id,
    createdAt: r.created_at,
    createdByUserId: r.created_by_user_id,
    decidedAt: r.decided_at,
    decidedByUserId: r.decided_by_user_id,
    closedAt: r.closed_at,
  }));
export type CoverClaim = z.output<typeof CoverClaimRow>;

const CoverEventRow = z
  .object({
    id: int,
    cover_request_id: z.string(),
    center_id: z.string(),
    kind: z.enum(EVENT_KINDS),
    actor_user_id: z.string().nullable(),
    person_id: z.string().nullable(),
    starts_at: z.string().nullable(),
    ends_at: z.string().nullable(),
    people_needed: int.nullable(),
    at: z.string(),
  })
  .transform((r) => ({
    id: r.id,
    coverRequestId: r.cover_request_id,
    centerId: r.center_id,
    kind: r.kind,
    actorUserId: r.actor_user_id,
    personId: r.person_id,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    peopleNeeded: r.people_needed,
    at: r.at,
  }));
export type CoverEvent = z.output<typeof CoverEventRow>;


// ------------------------------------------------------------------ requests

export type NewCoverRequest = {
  readonly centerId: string;
  readonly roomId: string;
  readonly day: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly peopleNeeded: number;
  readonly needs: readonly string[];
  readonly trainings: readonly string[];
  readonly reason: string | null;
  readonly urgent: boolean;
  readonly createdByUserId: string | null;
};

export async function insertCoverRequest(trx: Knex.Transaction, input: NewCoverRequest, at: Date): Promise<CoverRequest> {
  const row = {
    id: newId(),
    center_id: input.centerId,
    room_id: input.roomId,
    day: input.day,
    starts_at: input.startsAt.toISOString(),
    ends_at: input.endsAt.toISOString(),
    people_needed: input.peopleNeeded,
    needs: input.needs.join(','),
    trainings: input.trainings.join(','),
    reason: input.reason,
    urgent: input.urgent,
    status: 'open',
    version: 0,
    created_at: at.toISOString(),
    created_by_user_id: input.createdByUserId,
    closed_at: null,
  };
  await trx('cover_requests').insert(row);
  return CoverRequestRow.parse(row);
}

/**
 * Takes the room's turn for opening and changing its cover requests, until `trx` ends:
 * what the caller then reads of the room's open requests stays true until it commits.
 * On PostgreSQL a row lock on the room: a second transaction waits here, and its next
 * statement sees what the first committed (READ COMMITTED). FOR NO KEY UPDATE, so a
 * check-in's foreign-key check on the room (KEY SHARE) does not wait behind it. On
 * SQLite the one connection runs one transaction at a time already.
 */
export async function lockRoomForCover(trx: Knex.Transaction, roomId: string): Promise<void> {
  if (isPostgres(trx)) await trx('rooms').where({ id: roomId }).forNoKeyUpdate().select('id');
}

/**
 * Open requests for the room whose window overlaps [from, until) and has not ended at
 * `at` (one whose end passed is expired, stored so or not yet), soonest first. Windows
 * are half-open: one ending at 15:00 does not overlap one starting at 15:00.
 */
export async function listOpenCoverRequestsOverlapping(db: Knex, roomId: string, from: Date, until: Date, at: Date): Promise<CoverRequest[]> {
  const after = new Date(Math.max(from.getTime(), at.getTime()));
  const rows = await db('cover_requests')
    .where({ room_id: roomId, status: 'open' })
    .where('ends_at', '>', after.toISOString())
    .where('starts_at', '<', until.toISOString())
    .orderBy('starts_at')
    .orderBy('id');
  return parseRows(CoverRequestRow, rows);
}

/** The room's latest "need help now" request made at or after `since` and not cancelled (a second tap's first). */
export async function findRecentHelpRequest(db: Knex, roomId: string, since: Date): Promise<CoverRequest | undefined> {
  const row = await db('cover_requests')
    .where({ room_id: roomId, urgent: true })
    .whereNot({ status: 'cancelled' })
    .where('created_at', '>=', since.toISOString())
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .first();
  return parseRow(CoverRequestRow, row);
}

export type CoverRevision = {
  readonly startsAt?: Date;
  readonly endsAt?: Date;
  readonly peopleNeeded?: number;
  readonly urgent?: boolean;
};

/**
 * Widens, raises or marks urgent an open request, only if its version is still
 * `expected` (see advanceCoverRequest); the version goes up. False when another
 * write got there first, or it is no longer open.
 */
export async function reviseCoverRequest(trx: Knex.Transaction, id: string, expected: number, change: CoverRevision): Promise<boolean> {
  const n = await trx('cover_requests')
    .where({ id, version: expected, status: 'open' })
    .update({
      version: expected + 1,
      ...(change.startsAt && { starts_at: change.startsAt.toISOString() }),
      ...(change.endsAt && { ends_at: change.endsAt.toISOString() }),
      ...(change.peopleNeeded !== undefined && { people_needed: change.peopleNeeded }),
      ...(change.urgent !== undefined && { urgent: change.urgent }),
    });
  return n === 1;
}

export async function findCoverRequestInCenter(db: Knex, centerId: string, id: string): Promise<CoverRequest | undefined> {
  return parseRow(CoverRequestRow, await db('cover_requests').where({ id, center_id: centerId }).first());
}

/** The center's requests whose window ends after `since` or that are still open, soonest first. */
export async function listCoverRequestsInCenter(db: Knex, centerId: string, since: Date): Promise<CoverRequest[]> {
  const rows = await db('cover_requests')
    .where({ center_id: centerId })
    .andWhere((q) => q.where('ends_at', '>', since.toISOString()).orWhere({ status: 'open' }))
    .orderBy('starts_at')
    .orderBy('id');
  return parseRows(CoverRequestRow, rows);
}

/** Open requests of the center whose window has not ended at `at`, soonest first. */
export async function listOpenCoverRequests(db: Knex, centerId: string, at: Date): Promise<CoverRequest[]> {
  const rows = await db('cover_requests').where({ center_id: centerId, status: 'open' }).where('ends_at', '>', at.toISOString()).orderBy('starts_at').orderBy('id');
  return parseRows(CoverRequestRow, rows);
}

/** Open "need help now" requests of the center whose window has not ended, newest first (the top of the board). */
export async function listUrgentCoverRequests(db: Knex, centerId: string, at: Date): Promise<CoverRequest[]> {
  const rows = await db('cover_requests')
    .where({ center_id: centerId, status: 'open', urgent: true })
    .where('ends_at', '>', at.toISOString())
    .orderBy('created_at', 'desc')
    .orderBy('id');
  return parseRows(CoverRequestRow, rows);
}

/** Open requests for the room whose window contains the instant `at` or starts after it, up to `until`. */
export async function listOpenCoverRequestsOfRoomBetween(db: Knex, roomId: string, from: Date, until: Date): Promise<CoverRequest[]> {
  const rows = await db('cover_requests')
    .where({ room_id: roomId, status: 'open' })
    .where('ends_at', '>', from.toISOString())
    .where('starts_at', '<', until.toISOString())
    .orderBy('starts_at');
  return parseRows(CoverRequestRow, rows);
}

/**
 * The one place a request changes: only if its version is still `expected` (and it is
 * still open, unless `fromStatuses` says otherwise), the version goes up and the status
 * changes. False when another write got there first: the caller rolls back and says so.
 */
export async function advanceCoverRequest(
  trx: Knex.Transaction,
  id: string,
  expected: number,
  change: { readonly status: CoverStatus; readonly at: Date },
  fromStatuses: readonly CoverStatus[] = ['open'],
): Promise<boolean> {
  // Cancelled and expired are final; filled may open again (a withdrawal).
  const closed = change.status === 'cancelled' || change.status === 'expired' ? change.at.toISOString() : null;
  const n = await trx('cover_requests')
    .where({ id, version: expected })
    .whereIn('status', fromStatuses)
    .update({ status: change.status, version: expected + 1, closed_at: closed });
  return n === 1;
}

/** Requests of the center still open whose window ended by `at`. */
export async function listEndedOpenCoverRequests(db: Knex, centerId: string, at: Date): Promise<CoverRequest[]> {
  const rows = await db('cover_requests').where({ center_id: centerId, status: 'open' }).where('ends_at', '<=', at.toISOString()).orderBy('ends_at');
  return parseRows(CoverRequestRow, rows);
}

// ------------------------------------------------------------------ claims

export type NewCoverClaim = {
  readonly coverRequestId: string;
  readonly centerId: string;
  readonly personId: string;
  readonly seat: number;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly kind: ClaimKind;
  readonly status: 'pending' | 'accepted';
  readonly shiftId: string | null;
  readonly userId: string | null;
};

/** Inserts a live claim; `already_claimed` when the person already holds one on this request (the unique index says so). */
export async function insertCoverClaim(
  trx: Knex.Transaction,
  input: NewCoverClaim,
  at: Date,
): Promise<{ ok: true; claim: CoverClaim } | Err<'already_claimed'>> {
  const row = {
    id: newId(),
    cover_request_id: input.coverRequestId,
    center_id: input.centerId,
    person_id: input.personId,
    seat: input.seat,
    starts_at: input.startsAt.toISOString(),
    ends_at: input.endsAt.toISOString(),
    kind: input.kind,
    status: input.status,
    shift_id: input.shiftId,
    created_at: at.toISOString(),
    created_by_user_id: input.userId,
    decided_at: input.status === 'accepted' ? at.toISOString() : null,
    decided_by_user_id: input.status === 'accepted' ? input.userId : null,
    closed_at: null,
  };
  try {
    // A savepoint: on PostgreSQL a failed statement would otherwise abort the whole transaction.
    await trx.transaction(async (sp) => {
      await sp('cover_claims').insert(row);
    });
  } catch (err) {
    if (constraintViolation(err) === 'unique') return { ok: false, error: 'already_claimed' };
    throw err;
  }
  return { ok: true, claim: CoverClaimRow.parse(row) };
}

export async function findCoverClaimInCenter(db: Knex, centerId: string, id: string): Promise<CoverClaim | undefined> {
  return parseRow(CoverClaimRow, await db('cover_claims').where({ id, center_id: centerId }).first());
}

/** Every claim of the requests, oldest first (chunked: SQLite caps bound parameters). */
export async function listClaimsOfRequests(db: Knex, requestIds: readonly string[]): Promise<CoverClaim[]> {
  const out: CoverClaim[] = [];
  for (let i = 0; i < requestIds.length; i += 500) {
    const rows = await db('cover_claims').whereIn('cover_request_id', requestIds.slice(i, i + 500)).orderBy('created_at').orderBy('id');
    out.push(...parseRows(CoverClaimRow, rows));
  }
  return out;
}

/** The person's pending and accepted claims in the center, soonest first. */
export async function listLiveClaimsOfPerson(db: Knex, centerId: string, personId: string): Promise<CoverClaim[]> {
  const rows = await db('cover_claims').where({ center_id: centerId, person_id: personId }).whereNull('closed_at').orderBy('starts_at');
  return parseRows(CoverClaimRow, rows);
}

/** Pending → accepted, in `seat`, with its shift; false when it is no longer pending. */
export async function acceptCoverClaim(trx: Knex.Transaction, id: string, seat: number, shiftId: string, userId: string | null, at: Date): Promise<boolean> {
  const n = await trx('cover_claims')
    .where({ id, status: 'pending' })
    .whereNull('closed_at')
    .update({ status: 'accepted', seat, shift_id: shiftId, decided_at: at.toISOString(), decided_by_user_id: userId });
  return n === 1;
}

/** Ends a live claim as `status`; false when it was not `from` any more. */
export async function closeCoverClaim(
  trx: Knex.Transaction,
  id: string,
  status: 'withdrawn' | 'declined' | 'cancelled',
  from: readonly ('pending' | 'accepted')[],
  userId: string | null,
  at: Date,
): Promise<boolean> {
  const n = await trx('cover_claims')
    .where({ id })
    .whereIn('status', from)
    .whereNull('closed_at')
    .update({ status, closed_at: at.toISOString(), decided_at: at.toISOString(), decided_by_user_id: userId });
  return n === 1;
}

// ------------------------------------------------------------------ history

export type NewCoverEvent = {
  readonly coverRequestId: string;
  readonly centerId: string;
  readonly kind: CoverEventKind;
  readonly actorUserId: string | null;
  readonly personId?: string | null;
  readonly startsAt?: string | null;
  readonly endsAt?: string | null;
  /** How many people the request asks for after a raise. */
  readonly peopleNeeded?: number | null;
};

export async function addCoverEvent(trx: Knex.Transaction, input: NewCoverEvent, at: Date): Promise<void> {
  await trx('cover_request_events').insert({
    cover_request_id: input.coverRequestId,
    center_id: input.centerId,
    kind: input.kind,
    actor_user_id: input.actorUserId,
    person_id: input.personId ?? null,
    starts_at: input.startsAt ?? null,
    ends_at: input.endsAt ?? null,
    people_needed: input.peopleNeeded ?? null,
    at: at.toISOString(),
  });
}

/** A request's history, in the order it happened. */
export async function listCoverEvents(db: Knex, coverRequestId: string): Promise<CoverEvent[]> {
  return parseRows(CoverEventRow, await db('cover_request_events').where({ cover_request_id: coverRequestId }).orderBy('id'));
}

// ------------------------------------------------------------------ people around it

/** Of `personIds`, those who have been in the room before `before` or had a shift there: "knows this room". */
export async function listPeopleWhoKnowRoom(db: Knex, roomId: string, personIds: readonly string[], before: Date): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < personIds.length; i += 400) {
    const chunk = personIds.slice(i, i + 400);
    const [presences, shifts] = await Promise.all([
      db('person_presences').where({ room_id: roomId }).whereIn('person_id', chunk).where('started_at', '<', before.toISOString()).distinct('person_id'),
      db('shifts').where({ room_id: roomId }).whereIn('person_id', chunk).whereNull('cancelled_at').where('starts_at', '<', before.toISOString()).distinct('person_id'),
    ]);
    for (const r of [...presences, ...shifts] as { person_id: string }[]) out.add(r.person_id);
  }
  return out;
}

/** The user accounts linked to people of the center (active memberships), person id → user id. */
export async function listUsersOfPeople(db: Knex, centerId: string, personIds: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < personIds.length; i += 500) {
    const rows = (await db('memberships')
      .where({ center_id: centerId })
      .whereNull('deactivated_at')
      .whereIn('person_id', personIds.slice(i, i + 500))
      .select('person_id', 'user_id')) as { person_id: string; user_id: string }[];
    for (const r of rows) out.set(r.person_id, r.user_id);
  }
  return out;
}

/** Members of the center who may take cover (staff and volunteers with a person on file): user id and person id. */
export async function listCoverTakers(db: Knex, centerId: string): Promise<{ userId: string; personId: string }[]> {
  const rows = (await db('memberships')
    .where({ center_id: centerId })
    .whereIn('role', ['staff', 'volunteer'])
    .whereNull('deactivated_at')
    .whereNotNull('person_id')
    .select('user_id', 'person_id')) as { user_id: string; person_id: string }[];
  return rows.map((r) => ({ userId: r.user_id, personId: r.person_id }));
}

/** The active directors of the center (user ids), for notices. */
export async function listDirectorsOfCenter(db: Knex, centerId: string): Promise<string[]> {
  const rows = (await db('memberships').where({ center_id: centerId, role: 'director' }).whereNull('deactivated_at').select('user_id')) as { user_id: string }[];
  return [...new Set(rows.map((r) => r.user_id))];
}

/**
 * Who has been told of the request as an opening (its first notice, or one saying what
 * it now asks for): user ids, each once. They hear of a change; the others, of the request.
 */
export async function listUsersToldOfRequest(db: Knex, coverRequestId: string): Promise<Set<string>> {
  const rows = (await db('notices')
    .where({ cover_request_id: coverRequestId })
    .whereIn('kind', ['cover_request_new', 'help_request'])
    .distinct('user_id')) as { user_id: string }[];
  return new Set(rows.map((r) => r.user_id));
}

/** Display names of users, for the history ("by Dana Example"). */
export async function listUserNames(db: Knex, userIds: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const ids = [...new Set(userIds)];
  for (let i = 0; i < ids.length; i += 500) {
    const rows = (await db('users').whereIn('id', ids.slice(i, i + 500)).select('id', 'display_name')) as { id: string; display_name: string }[];
    for (const r of rows) out.set(r.id, r.display_name);
  }
  return out;
}
