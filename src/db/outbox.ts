import type { Knex } from 'knex';
import { z } from 'zod';
import { newId, parseRows } from './rows.js';

/**
 * The outbox: one row per message, recipient (a user) and channel, written in the
 * transaction of the event that causes it, and sent by the job runner
 * (services/alerts/deliver.ts). The unique key (user, channel, event key) queues a
 * message once; a row is sent only by the one who moved it from `queued` (or from a
 * `sending` whose lease ran out) to `sending` with a conditional update.
 */

export const CHANNELS = ['email', 'push'] as const;
export type Channel = (typeof CHANNELS)[number];
export const OUTBOX_STATUSES = ['queued', 'sending', 'sent', 'failed', 'dropped'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

const bool = z.union([z.boolean(), z.number()]).transform((v) => v === true || v === 1);
const int = z.union([z.number(), z.string()]).transform((v) => Number(v));

const OutboxRow = z
  .object({
    id: z.string(),
    center_id: z.string(),
    user_id: z.string(),
    channel: z.enum(CHANNELS),
    event_key: z.string(),
    notice_id: z.string().nullable(),
    kind: z.string(),
    body: z.string(),
    link: z.string().nullable(),
    cover_request_id: z.string().nullable(),
    urgent: bool,
    urgent_from: z.string().nullable(),
    status: z.enum(OUTBOX_STATUSES),
    attempts: int,
    due_at: z.string(),
    lease_until: z.string().nullable(),
    sent_at: z.string().nullable(),
    last_error: z.string().nullable(),
    created_at: z.string(),
  })
  .transform((r) => ({
    id: r.id,
    centerId: r.center_id,
    userId: r.user_id,
    channel: r.channel,
    eventKey: r.event_key,
    noticeId: r.notice_id,
    kind: r.kind,
    body: r.body,
    link: r.link,
    coverRequestId: r.cover_request_id,
    urgent: r.urgent,
    urgentFrom: r.urgent_from,
    status: r.status,
    attempts: r.attempts,
    dueAt: r.due_at,
    leaseUntil: r.lease_until,
    sentAt: r.sent_at,
    lastError: r.last_error,
    createdAt: r.created_at,
  }));
export type OutboxMessage = z.output<typeof OutboxRow>;

export type NewOutboxMessage = {
  readonly centerId: string;
  readonly userId: string;
  readonly channel: Channel;
  readonly eventKey: string;
  readonly noticeId: string | null;
  readonly kind: string;
  readonly body: string;
  readonly link: string | null;
  readonly coverRequestId: string | null;
  readonly urgent: boolean;
  readonly urgentFrom: Date | null;
};

/** Queues the messages, due at once; one already queued for its user, channel and event is left as it is. Answers how many were queued. */
export async function queueMessages(db: Knex, messages: readonly NewOutboxMessage[], at: Date): Promise<number> {
  let n = 0;
  const now = at.toISOString();
  for (let i = 0; i < messages.length; i += 50) {
    const rows = messages.slice(i, i + 50).map((m) => ({
      id: newId(),
      center_id: m.centerId,
      user_id: m.userId,
      channel: m.channel,
      event_key: m.eventKey.slice(0, 200),
      notice_id: m.noticeId,
      kind: m.kind,
      body: m.body.slice(0, 300),
      link: m.link,
      cover_request_id: m.coverRequestId,
      urgent: m.urgent,
      urgent_from: m.urgentFrom?.toISOString() ?? null,
      status: 'queued',
      attempts: 0,
      due_at: now,
      lease_until: null,
      sent_at: null,
      last_error: null,
      created_at: now,
      updated_at: now,
    }));
    const stored = (await db('outbox').insert(rows).onConflict(['user_id', 'channel', 'event_key']).ignore().returning('id')) as unknown[];
    n += stored.length;
  }
  return n;
}

/** Messages to try at `at`: queued and due, or `sending` with a lease run out (a send that crashed); oldest first. */
export async function listDueMessages(db: Knex, channel: Channel, at: Date, limit = 100): Promise<OutboxMessage[]> {
  const now = at.toISOString();
  const rows = await db('outbox')
    .where({ channel })
    .andWhere((q) => q.where((w) => w.where({ status: 'queued' }).andWhere('due_at', '<=', now)).orWhere((w) => w.where({ status: 'sending' }).andWhere('lease_until', '<=', now)))
    .orderBy('due_at')
    .orderBy('id')
    .limit(limit);
  return parseRows(OutboxRow, rows);
}

/**
 * Takes the message to send it: a conditional update from the state it was read in to
 * `sending` with a lease, one more attempt. Only one caller wins (the others update no
 * row), whichever process it runs in. Answers the attempt number, or null if lost.
 */
export async function claimMessage(db: Knex, message: OutboxMessage, at: Date, leaseMs: number): Promise<number | null> {
  const now = at.toISOString();
  const q = db('outbox').where({ id: message.id, status: message.status, attempts: message.attempts });
  if (message.status === 'queued') q.andWhere('due_at', '<=', now);
  else q.andWhere('lease_until', '<=', now);
  const n = await q.update({ status: 'sending', attempts: message.attempts + 1, lease_until: new Date(at.getTime() + leaseMs).toISOString(), updated_at: now });
  return n === 1 ? message.attempts + 1 : null;
}

/** What became of one attempt: stored only if the attempt still holds the row (its lease was not taken over). */
export async function settleMessage(
  db: Knex,
  id: string,
  attempt: number,
  outcome:
    | { readonly status: 'sent' }
    | { readonly status: 'failed' | 'dropped'; readonly error: string }
    | { readonly status: 'queued'; readonly dueAt: Date; readonly error: string | null; readonly countAttempt: boolean },
  at: Date,
): Promise<boolean> {
  const now = at.toISOString();
  const base = { lease_until: null, updated_at: now };
  const change =
    outcome.status === 'sent'
      ? { ...base, status: 'sent', sent_at: now }
      : outcome.status === 'queued'
        ? { ...base, status: 'queued', due_at: outcome.dueAt.toISOString(), ...(outcome.error !== null && { last_error: outcome.error.slice(0, 300) }), ...(!outcome.countAttempt && { attempts: attempt - 1 }) }
        : { ...base, status: outcome.status, last_error: outcome.error.slice(0, 300) };
  const n = await db('outbox').where({ id, status: 'sending', attempts: attempt }).update(change);
  return n === 1;
}

/**
 * Drops the queued messages about a request's opening (not yet sent: held by quiet hours,
 * waiting for a retry): it is no longer needed. Answers the users whose message was dropped.
 */
export async function dropQueuedOpenings(db: Knex, coverRequestId: string, kinds: readonly string[], at: Date): Promise<Set<string>> {
  const rows = (await db('outbox').where({ cover_request_id: coverRequestId, status: 'queued' }).whereIn('kind', kinds).select('id', 'user_id')) as { id: string; user_id: string }[];
  if (rows.length === 0) return new Set();
  await db('outbox')
    .whereIn('id', rows.map((r) => r.id))
    .where({ status: 'queued' })
    .update({ status: 'dropped', last_error: 'No longer needed before it was sent.', updated_at: at.toISOString() });
  return new Set(rows.map((r) => r.user_id));
}

/** The user's messages about the center that could not be delivered, newest first. */
export async function listFailedMessages(db: Knex, userId: string, centerId: string, limit = 20): Promise<OutboxMessage[]> {
  return parseRows(OutboxRow, await db('outbox').where({ user_id: userId, center_id: centerId, status: 'failed' }).orderBy('updated_at', 'desc').limit(limit));
}

/** The user's messages about the center (tests and the settings page's counts). */
export async function listMessagesOfUser(db: Knex, userId: string, centerId: string): Promise<OutboxMessage[]> {
  return parseRows(OutboxRow, await db('outbox').where({ user_id: userId, center_id: centerId }).orderBy('created_at').orderBy('id'));
}

/** Where a message to the user about the center goes: their account's email, while they still belong to the center (an active membership there, or owner of its organization). */
export async function findRecipient(db: Knex, userId: string, center: { readonly id: string; readonly organizationId: string }): Promise<{ email: string } | undefined> {
  const row = (await db('users')
    .where('users.id', userId)
    .whereExists(
      db('memberships')
        .whereRaw('memberships.user_id = users.id')
        .whereNull('deactivated_at')
        .andWhere((q) => q.where('memberships.center_id', center.id).orWhere((o) => o.where({ 'memberships.role': 'owner', 'memberships.organization_id': center.organizationId }))),
    )
    .first('users.email')) as { email: string } | undefined;
  return row;
}

/** Users an opening's message has gone to (or is going to, mid-send) on `channel`. */
export async function listUsersSentOpening(db: Knex, coverRequestId: string, kinds: readonly string[]): Promise<Set<string>> {
  const rows = (await db('outbox').where({ cover_request_id: coverRequestId }).whereIn('kind', kinds).whereIn('status', ['sent', 'sending']).distinct('user_id')) as { user_id: string }[];
  return new Set(rows.map((r) => r.user_id));
}
