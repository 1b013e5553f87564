import type { Knex } from 'knex';
import { newId } from './rows.js';

/**
 * Calendar feeds: a member's secret link, per center, to a calendar of their covers
 * and shifts. Only the token's hash is stored (services/calendar-feed.ts makes the
 * token and hashes it); at most one link of a member in a center is not revoked.
 */

export type CalendarFeed = { readonly id: string; readonly userId: string; readonly centerId: string; readonly createdAt: string };

type Row = { id: string; user_id: string; center_id: string; token_hash: string; created_at: string; revoked_at: string | null };
const fromRow = (r: Row): CalendarFeed => ({ id: r.id, userId: r.user_id, centerId: r.center_id, createdAt: r.created_at });

/** The member's link in the center that is not revoked, if any. */
export async function findActiveCalendarFeed(db: Knex, userId: string, centerId: string): Promise<CalendarFeed | undefined> {
  const row = (await db('calendar_feeds').where({ user_id: userId, center_id: centerId }).whereNull('revoked_at').orderBy('created_at', 'desc').first()) as Row | undefined;
  return row && fromRow(row);
}

/** The link whose token hashes to `tokenHash`, unless it was revoked. */
export async function findCalendarFeedByTokenHash(db: Knex, tokenHash: string): Promise<CalendarFeed | undefined> {
  const row = (await db('calendar_feeds').where({ token_hash: tokenHash }).whereNull('revoked_at').first()) as Row | undefined;
  return row && fromRow(row);
}

/** Revokes the member's links in the center; answers the ids revoked. */
export async function revokeCalendarFeeds(db: Knex, userId: string, centerId: string, at: Date): Promise<string[]> {
  const rows = (await db('calendar_feeds').where({ user_id: userId, center_id: centerId }).whereNull('revoked_at').select('id')) as { id: string }[];
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  await db('calendar_feeds').whereIn('id', ids).whereNull('revoked_at').update({ revoked_at: at.toISOString() });
  return ids;
}

export async function insertCalendarFeed(db: Knex, userId: string, centerId: string, tokenHash: string, at: Date): Promise<CalendarFeed> {
  const row: Row = { id: newId(), user_id: userId, center_id: centerId, token_hash: tokenHash, created_at: at.toISOString(), revoked_at: null };
  await db('calendar_feeds').insert(row);
  return fromRow(row);
}
