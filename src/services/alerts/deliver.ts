import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { listAlertPreferences, type AlertPreferences } from '../../db/alert-preferences.js';
import type { Center } from '../../db/rows.js';
import { claimMessage, findRecipient, listDueMessages, settleMessage, type OutboxMessage } from '../../db/outbox.js';
import type { Logger } from '../../log.js';
import { failureText, isPermanentFailure, type Mail, type MailTransport } from './mail.js';
import { groupBy } from '../../domain/group-by.js';
import type { PushTransport } from './push.js';

/**
 * Sends the outbox's due email (the job runner's `outbox` job, every minute). Each
 * message is first taken with a conditional update (`sending`, with a lease, one more
 * attempt), so only one process sends it; then sent; then marked sent. A temporary
 * failure (SMTP 4xx, no connection) is tried again after 1, 2, 4, 8… minutes (at most an
 * hour apart); a 5xx answer, or the last attempt, marks it failed, which the person's
 * alert settings page shows. A process that dies mid-send leaves the row `sending`
 * until its lease ends, then it is tried again (the same Message-ID, so a server that
 * did get it may drop the copy); a message marked sent is never sent again.
 *
 * Before sending, what changed since it was queued is looked at: someone no longer in
 * the center, or with email turned off, gets nothing (`dropped`); a message that is not
 * urgent waits out the person's quiet hours (queued again, due when they end, the
 * attempt not counted); an opening whose request is no longer open is dropped.
 */

export type DeliveryOptions = {
  readonly transport: MailTransport;
  readonly publicUrl: string;
  /** How long a send may hold its row before another tries it (default 5 minutes). */
  readonly leaseMs?: number;
  /** Attempts before a temporary failure is given up as permanent (default 6). */
  readonly maxAttempts?: number;
  /** The first retry's delay, doubled each time (default a minute). */
  readonly backoffMs?: number;
  /** At most this many messages per tick (default 200). */
  readonly batch?: number;
  /** How push messages go out (the job runner's `push` job, alerts/push.ts); without it they stay queued. */
  readonly push?: PushTransport;
};

export type Delivered = { sent: number; retried: number; failed: number; dropped: number; held: number };

/** Kinds about an opening: no use once the request is filled, cancelled or over. */
export const OPENING_KINDS = ['cover_request_new', 'help_request'] as const;

export const retryDelay = (attempt: number, base: number) => Math.min(base * 2 ** (attempt - 1), 3_600_000);

export async function deliverDue(db: Knex, centers: readonly Center[], opts: DeliveryOptions, log: Logger, at: Date): Promise<Delivered> {
  const { transport, leaseMs = 5 * 60_000, maxAttempts = 6, backoffMs = 60_000, batch = 200 } = opts;
  const done: Delivered = { sent: 0, retried: 0, failed: 0, dropped: 0, held: 0 };
  const due = await listDueMessages(db, 'email', at, batch);
  if (due.length === 0) return done;
  const centerById = new Map(centers.map((c) => [c.id, c]));
  const prefsOf = await preferencesOf(db, due);
  for (const message of due) {
    const attempt = await claimMessage(db, message, at, leaseMs);
    if (attempt === null) continue; // another process took it
    const settle = (outcome: Parameters<typeof settleMessage>[3]) => settleMessage(db, message.id, attempt, outcome, at);
    const gate = await gateOf(db, message, 'email', centerById.get(message.centerId), prefsOf, at);
    if ('drop' in gate) {
      await settle({ status: 'dropped', error: gate.drop });
      done.dropped++;
      continue;
    }
    if ('holdUntil' in gate) {
      // Held, not tried: the attempt is given back.
      await settle({ status: 'queued', dueAt: gate.holdUntil, error: null, countAttempt: false });
      done.held++;
      continue;
    }
    const { center, recipient } = gate;
    try {
      await transport.send(mailOf(message, recipient.email, center, opts.publicUrl));
    } catch (err) {
      const permanent = isPermanentFailure(err) || attempt >= maxAttempts;
      const error = failureText(err);
      if (permanent) {
        await settle({ status: 'failed', error });
        done.failed++;
        log.warn({ outboxId: message.id, attempt, error }, 'outbox.failed');
      } else {
        await settle({ status: 'queued', dueAt: new Date(at.getTime() + retryDelay(attempt, backoffMs)), error, countAttempt: true });
        done.retried++;
        log.info({ outboxId: message.id, attempt, error }, 'outbox.retry');
      }
      continue;
    }
    // Sent: recorded at once. A crash before this line leaves the row `sending`; it is tried again once its lease ends.
    if (await settle({ status: 'sent' })) done.sent++;
  }
  return done;
}

/** Each due message's sender's preferences in its center, keyed `user:center`: one read per center. */
export async function preferencesOf(db: Knex, due: readonly OutboxMessage[]): Promise<Map<string, AlertPreferences>> {
  const prefsOf = new Map<string, AlertPreferences>();
  for (const [centerId, ids] of groupBy(due, (m) => m.centerId)) {
    for (const [userId, p] of await listAlertPreferences(db, centerId, ids.map((m) => m.userId))) prefsOf.set(`${userId}:${centerId}`, p);
  }
  return prefsOf;
}

type Recipient = NonNullable<Awaited<ReturnType<typeof findRecipient>>>;

/** Urgent (through quiet hours): Need help now, or about cover starting within two hours of `at`. */
export function isUrgent(message: Pick<OutboxMessage, 'urgent' | 'urgentFrom'>, at: Date): boolean {
  return message.urgent || (message.urgentFrom !== null && Date.parse(message.urgentFrom) <= at.getTime());
}

/** Whether a claimed message goes now: dropped (why), held until an instant (quiet hours), or sent to its recipient. */
export type Gate = { readonly drop: string } | { readonly holdUntil: Date } | { readonly center: Center; readonly recipient: Recipient };

/**
 * What changed since a message was queued, looked at before it is sent, the same for
 * email and push: someone no longer in the center, or with the channel turned off, gets
 * nothing; a message that is not urgent waits out the person's quiet hours (an opening
 * that becomes urgent meanwhile goes at that moment); an opening whose request is no
 * longer open is dropped.
 */
export async function gateOf(
  db: Knex,
  message: OutboxMessage,
  channel: 'email' | 'push',
  center: Center | undefined,
  prefsOf: ReadonlyMap<string, AlertPreferences>,
  at: Date,
): Promise<Gate> {
  const recipient = center ? await findRecipient(db, message.userId, center) : undefined;
  if (!center || !recipient) return { drop: 'No longer a member of the center.' };
  const prefs = prefsOf.get(`${message.userId}:${message.centerId}`);
  if (!prefs?.[channel]) return { drop: channel === 'email' ? 'Email was turned off.' : 'Push was turned off.' };
  const quietUntil = isUrgent(message, at) ? null : quietHoursEnd(prefs, center.timeZone, at);
  if (quietUntil) {
    return { holdUntil: message.urgentFrom && Date.parse(message.urgentFrom) < quietUntil.getTime() ? new Date(message.urgentFrom) : quietUntil };
  }
  if (message.coverRequestId && (OPENING_KINDS as readonly string[]).includes(message.kind) && !(await isStillOpen(db, message.coverRequestId, at))) {
    return { drop: 'No longer needed before it was sent.' };
  }
  return { center, recipient };
}

export async function isStillOpen(db: Knex, coverRequestId: string, at: Date): Promise<boolean> {
  const row = (await db('cover_requests').where({ id: coverRequestId }).first('status', 'ends_at')) as { status: string; ends_at: string } | undefined;
  return row !== undefined && row.status === 'open' && Date.parse(row.ends_at) > at.getTime();
}

/** When the person's quiet hours end, if `at` falls in them; null otherwise. */
export function quietHoursEnd(prefs: AlertPreferences, zone: string, at: Date): Date | null {
  if (!prefs.quietStart || !prefs.quietEnd || prefs.quietStart === prefs.quietEnd) return null;
  const here = DateTime.fromJSDate(at, { zone });
  const hm = here.toFormat('HH:mm');
  const overnight = prefs.quietStart > prefs.quietEnd;
  const inQuiet = overnight ? hm >= prefs.quietStart || hm < prefs.quietEnd : hm >= prefs.quietStart && hm < prefs.quietEnd;
  if (!inQuiet) return null;
  const [h, m] = prefs.quietEnd.split(':').map(Number) as [number, number];
  let end = here.set({ hour: h, minute: m, second: 0, millisecond: 0 });
  if (end <= here) end = end.plus({ days: 1 }).set({ hour: h, minute: m });
  return end.toJSDate();
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * The email of one message: the notice's words (room, window, what is needed; never a
 * child's name or health detail, no background study), the center, a link to the page
 * it is about, and the person's alert settings. Plain text and the same in HTML.
 */
export function mailOf(message: OutboxMessage, to: string, center: Pick<Center, 'id' | 'name'>, publicUrl: string): Mail {
  const settings = `${publicUrl}/centers/${center.id}/my/alerts`;
  const open = message.link && /^\/[^/\\]/.test(message.link) ? `${publicUrl}${message.link}` : `${publicUrl}/notices`;
  const first = message.body.split(/(?<=\.)\s/)[0] ?? message.body;
  const subject = `${center.name}: ${first}`.replace(/[\r\n]+/g, ' ').slice(0, 150);
  const text = [message.body, '', `Open it: ${open}`, '', `-- Ratiowatch, ${center.name}`, `Change what you receive: ${settings}`, ''].join('\n');
  const html = [
    `<p>${escapeHtml(message.body)}</p>`,
    `<p><a href="${escapeHtml(open)}">Open it in Ratiowatch</a></p>`,
    `<p style="color:#555">Ratiowatch, ${escapeHtml(center.name)} · <a href="${escapeHtml(settings)}">Change what you receive</a></p>`,
  ].join('\n');
  return { id: message.id, to, subject, text, html, unsubscribe: settings };
}
