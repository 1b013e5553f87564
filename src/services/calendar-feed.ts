import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { appendAudit } from '../db/audit.js';
import { findActiveCalendarFeed, findCalendarFeedByTokenHash, insertCalendarFeed, revokeCalendarFeeds, type CalendarFeed } from '../db/calendar-feeds.js';
import { findActiveMemberInCenter, type CenterMember } from '../db/memberships.js';
import { findPersonOfMember } from '../db/people.js';
import { listRoomsInCenter } from '../db/rooms.js';
import type { Center } from '../db/rows.js';
import { listShiftsOfPersonBetween } from '../db/shifts.js';
import { actedBy } from './acted-by.js';
import { unmadeShiftsOfPerson } from './day-plan.js';

/**
 * A member's calendar feed in one center: a secret link (`/calendar/<token>.ics`,
 * offered as webcal://) that a phone's calendar fetches by itself, listing the
 * member's accepted covers and their shifts from two weeks back to two months ahead.
 * The token is the credential, so it is long (256 random bits) and only its SHA-256
 * is stored: it is shown once, when made. Making a new link revokes the old one;
 * turning it off revokes it; a link of a member who left the center finds nothing.
 * Both are audited. Reading the feed writes nothing.
 */

export const FEED_DAYS_BACK = 14;
export const FEED_DAYS_AHEAD = 60;

/** A token as made here: 32 random bytes, base64url. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export const hashFeedToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** The member's link now, if on (when it was made; never the token). */
export function calendarFeedOf(db: Knex, member: CenterMember): Promise<CalendarFeed | undefined> {
  return findActiveCalendarFeed(db, member.userId, member.center.id);
}

/** A new link for the member in their center, the old one revoked, in one audited transaction. Answers the token (shown once). */
export async function makeCalendarFeed(db: Knex, member: CenterMember, at: Date): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db.transaction(async (trx) => {
    const revoked = await revokeCalendarFeeds(trx, member.userId, member.center.id, at);
    const feed = await insertCalendarFeed(trx, member.userId, member.center.id, hashFeedToken(token), at);
    await appendAudit(trx, { ...actedBy(member, at), action: 'calendar_feed.created', recordType: 'calendar_feed', recordId: feed.id, after: { replaced: revoked.length } });
  });
  return token;
}

/** Turns the member's link off (audited); false when there was none. */
export async function turnOffCalendarFeed(db: Knex, member: CenterMember, at: Date): Promise<boolean> {
  return db.transaction(async (trx) => {
    const revoked = await revokeCalendarFeeds(trx, member.userId, member.center.id, at);
    if (revoked.length === 0) return false;
    await appendAudit(trx, { ...actedBy(member, at), action: 'calendar_feed.revoked', recordType: 'calendar_feed', recordId: revoked[0]!, before: { on: true }, after: { on: false } });
    return true;
  });
}

export type FeedEvent = {
  /** The shift's id: the same on every fetch, so an edit updates the event. */
  readonly shiftId: string;
  readonly start: Date;
  readonly end: Date;
  readonly kind: 'cover' | 'shift';
  readonly roomName: string;
};

export type Feed = { readonly center: Center; readonly events: readonly FeedEvent[] };

/**
 * What the link with `token` shows at `at`, or null when no such link is on (unknown,
 * revoked, or its member no longer in the center). The member's own shifts only, planned
 * or from cover, not cancelled; days whose plan is not made yet as it will be made.
 */
export async function feedOfToken(db: Knex, token: string, at: Date): Promise<Feed | null> {
  if (!TOKEN.test(token)) return null;
  const feed = await findCalendarFeedByTokenHash(db, hashFeedToken(token));
  if (!feed) return null;
  const member = await findActiveMemberInCenter(db, feed.userId, feed.centerId);
  if (!member) return null;
  const center = member.center;
  const person = await findPersonOfMember(db, member, { current: true });
  if (!person) return { center, events: [] };
  const from = new Date(at.getTime() - FEED_DAYS_BACK * 86_400_000);
  const to = new Date(at.getTime() + FEED_DAYS_AHEAD * 86_400_000);
  const here = DateTime.fromJSDate(at, { zone: center.timeZone }).startOf('day');
  const days = Array.from({ length: FEED_DAYS_AHEAD + 1 }, (_, i) => here.plus({ days: i }).toISODate()!);
  const [made, unmade, rooms] = await Promise.all([
    listShiftsOfPersonBetween(db, person.id, from, to),
    unmadeShiftsOfPerson(db, center, person.id, days, at),
    listRoomsInCenter(db, center.id, { includeArchived: true }),
  ]);
  const roomName = new Map(rooms.map((r) => [r.id, r.name]));
  const events = [...made.filter((s) => s.centerId === center.id), ...unmade.filter((s) => new Date(s.startsAt) < to)]
    .map((s) => ({ shiftId: s.id, start: new Date(s.startsAt), end: new Date(s.endsAt), kind: s.source === 'cover' ? ('cover' as const) : ('shift' as const), roomName: roomName.get(s.roomId) ?? 'a room' }))
    .sort((a, b) => a.start.getTime() - b.start.getTime());
  return { center, events };
}
