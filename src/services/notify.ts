import type { Knex } from 'knex';
import { listAlertPreferences } from '../db/alert-preferences.js';
import { insertNotices, type NewNotice } from '../db/notices.js';
import { queueMessages, type NewOutboxMessage } from '../db/outbox.js';
import { usersWithPush } from '../db/push-subscriptions.js';

/**
 * The one notifier: every notice the app makes goes through `notify`, which stores the
 * in-app notices and, in the same transaction (the caller's), queues one outbox row
 * per recipient and channel they have on. The job runner sends the outbox
 * (alerts/deliver.ts). A notice with a dedupe key that a recipient already has is
 * neither stored again nor queued again; the outbox's own key (user, channel, event)
 * makes sure of the second.
 */

export type Alert = NewNotice & {
  /** Goes through quiet hours (Need help now). */
  readonly urgent?: boolean;
  /** Urgent from this instant on: two hours before the cover it is about starts. */
  readonly urgentFrom?: Date | null;
};

export type NotifyOptions = {
  /** Recipients who get the in-app notice but no email or push (their opening's message was never sent). */
  readonly noEmail?: ReadonlySet<string>;
};

/** The in-app notice to each of `userIds`, and their messages queued. Answers how many notices were stored. */
export async function notify(db: Knex, userIds: readonly string[], alert: Alert, at: Date, opts: NotifyOptions = {}): Promise<number> {
  const stored = await insertNotices(db, userIds, alert, at);
  if (stored.length === 0) return 0;
  const prefs = await listAlertPreferences(db, alert.centerId, stored.map((s) => s.userId));
  // Push goes to those who have it on and at least one device, as its own outbox row (the same event key, another channel).
  const withPush = await usersWithPush(db, stored.filter((s) => prefs.get(s.userId)?.push && !opts.noEmail?.has(s.userId)).map((s) => s.userId));
  const messages: NewOutboxMessage[] = [];
  for (const s of stored) {
    if (opts.noEmail?.has(s.userId)) continue;
    const channels = [...(prefs.get(s.userId)?.email ? (['email'] as const) : []), ...(withPush.has(s.userId) ? (['push'] as const) : [])];
    for (const channel of channels) messages.push({
      centerId: alert.centerId,
      userId: s.userId,
      channel,
      eventKey: alert.dedupeKey ?? `notice:${s.id}`,
      noticeId: s.id,
      kind: alert.kind,
      body: alert.body,
      link: alert.link ?? null,
      coverRequestId: alert.coverRequestId ?? null,
      urgent: alert.urgent ?? false,
      urgentFrom: alert.urgentFrom ?? null,
    });
  }
  await queueMessages(db, messages, at);
  return stored.length;
}

/** Two hours before `start`: from then on, a message about it goes through quiet hours. */
export const URGENT_WITHIN_MS = 2 * 3_600_000;
export const urgentFrom = (start: Date | string): Date => new Date(new Date(start).getTime() - URGENT_WITHIN_MS);
