import type { Knex } from 'knex';
import { z } from 'zod';
import { newId, parseRow, parseRows } from './rows.js';

/**
 * In-app notices: one row per recipient, with short words and a link. Only the
 * recipient reads them, and only while they still belong to the notice's center.
 */

export const NOTICE_KINDS = [
  'cover_request_new',
  'help_request',
  'cover_claimed',
  'cover_assigned',
  'cover_approved',
  'cover_declined',
  'cover_withdrawn',
  'cover_cancelled',
  'forecast_breach',
  'no_show',
  'cover_not_needed',
  'training_verified',
  'training_rejected',
  'training_expiring',
  'training_digest',
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

const NoticeRow = z
  .object({
    id: z.string(),
    center_id: z.string(),
    user_id: z.string(),
    kind: z.enum(NOTICE_KINDS),
    body: z.string(),
    link: z.string().nullable(),
    cover_request_id: z.string().nullable(),
    dedupe_key: z.string().nullable(),
    created_at: z.string(),
    read_at: z.string().nullable(),
  })
  .transform((r) => ({
    id: r.id,
    centerId: r.center_id,
    userId: r.user_id,
    kind: r.kind,
    body: r.body,
    link: r.link,
    coverRequestId: r.cover_request_id,
    dedupeKey: r.dedupe_key,
    createdAt: r.created_at,
    readAt: r.read_at,
  }));
export type Notice = z.output<typeof NoticeRow>;

export type NewNotice = {
  readonly centerId: string;
  readonly kind: NoticeKind;
  readonly body: string;
  readonly link?: string | null;
  readonly coverRequestId?: string | null;
  /** Send once per recipient and key (a room's breach starting at an instant). */
  readonly dedupeKey?: string | null;
};

/**
 * Sends one notice to each of `userIds` (duplicates dropped). With a `dedupeKey`, a
 * recipient who already has a notice with that key gets nothing new (the unique index
 * decides, so two boards computing the same breach at once send it once).
 * Answers how many were stored.
 */
export async function sendNotices(db: Knex, userIds: readonly string[], notice: NewNotice, at: Date): Promise<number> {
  return (await insertNotices(db, userIds, notice, at)).length;
}

/** Whether any of `userIds` has a notice with `dedupeKey` (a digest sent this week); by the unique index. */
export async function anyHasNoticeKey(db: Knex, userIds: readonly string[], dedupeKey: string): Promise<boolean> {
  if (userIds.length === 0) return false;
  return (await db('notices').whereIn('user_id', [...userIds]).where({ dedupe_key: dedupeKey }).first('id')) !== undefined;
}

/** As sendNotices, answering the notices stored: their ids and recipients (services/notify.ts queues their messages). */
export async function insertNotices(db: Knex, userIds: readonly string[], notice: NewNotice, at: Date): Promise<{ id: string; userId: string }[]> {
  const to = [...new Set(userIds)];
  if (to.length === 0) return [];
  const rows = to.map((userId) => ({
    id: newId(),
    center_id: notice.centerId,
    user_id: userId,
    kind: notice.kind,
    body: notice.body.slice(0, 300),
    link: notice.link ?? null,
    cover_request_id: notice.coverRequestId ?? null,
    dedupe_key: notice.dedupeKey ?? null,
    created_at: at.toISOString(),
    read_at: null,
  }));
  const stored: { id: string; userId: string }[] = [];
  for (let i = 0; i < rows.length; i += 50) {
    const chunk = rows.slice(i, i + 50);
    if (notice.dedupeKey) {
      const result = (await db('notices').insert(chunk).onConflict(['user_id', 'dedupe_key']).ignore().returning('id')) as (string | { id: string })[];
      const ids = new Set(result.map((r) => (typeof r === 'string' ? r : r.id)));
      for (const r of chunk) if (ids.has(r.id)) stored.push({ id: r.id, userId: r.user_id });
    } else {
      await db('notices').insert(chunk);
      for (const r of chunk) stored.push({ id: r.id, userId: r.user_id });
    }
  }
  return stored;
}

/** Centers the user still belongs to (active membership, or owner of the organization): their notices are shown. */
function activeCenters(db: Knex, userId: string | Knex.Raw) {
  const active = db('memberships').where({ user_id: userId }).whereNull('deactivated_at');
  return db('centers')
    .whereIn('id', active.clone().whereNotNull('center_id').select('center_id'))
    .orWhereIn('organization_id', active.clone().where({ role: 'owner' }).select('organization_id'))
    .select('id');
}

/**
 * The count of the user's unread notices as a query to run or to nest in another statement
 * (the session's read, web/auth/session.ts, names the user by an expression over its row).
 */
export function unreadNoticesCount(db: Knex, userId: string | Knex.Raw): Knex.QueryBuilder {
  return db('notices').where('user_id', userId).whereNull('read_at').whereIn('center_id', activeCenters(db, userId)).count({ n: '*' });
}

export async function countUnreadNotices(db: Knex, userId: string): Promise<number> {
  const row = (await unreadNoticesCount(db, userId).first()) as { n: number | string } | undefined;
  return Number(row?.n ?? 0);
}

/** The user's notices, newest first; at most `limit`. */
export async function listNoticesOfUser(db: Knex, userId: string, limit = 100): Promise<Notice[]> {
  const rows = await db('notices')
    .where({ user_id: userId })
    .whereIn('center_id', activeCenters(db, userId))
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(limit);
  return parseRows(NoticeRow, rows);
}

/** Marks one of the user's notices read; false when there is no such unread notice of theirs. */
export async function markNoticeRead(db: Knex, userId: string, id: string, at: Date): Promise<boolean> {
  const n = await db('notices').where({ id, user_id: userId }).whereNull('read_at').whereIn('center_id', activeCenters(db, userId)).update({ read_at: at.toISOString() });
  return n === 1;
}

/** One of the user's notices (read or not), in a center they still belong to. */
export async function findNoticeOfUser(db: Knex, userId: string, id: string): Promise<Notice | undefined> {
  return parseRow(NoticeRow, await db('notices').where({ id, user_id: userId }).whereIn('center_id', activeCenters(db, userId)).first());
}

export async function markAllNoticesRead(db: Knex, userId: string, at: Date): Promise<number> {
  const n = await db('notices').where({ user_id: userId }).whereNull('read_at').update({ read_at: at.toISOString() });
  return n;
}
