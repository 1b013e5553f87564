import type { Agent } from 'node:https';
import type { Knex } from 'knex';
import webpush from 'web-push';
import { claimMessage, listDueMessages, settleMessage, type OutboxMessage } from '../../db/outbox.js';
import { deleteGonePushSubscription, listPushSubscriptionsOfUser, markPushSubscriptionOk } from '../../db/push-subscriptions.js';
import type { Center } from '../../db/rows.js';
import type { Logger } from '../../log.js';
import { gateOf, isUrgent, preferencesOf, retryDelay } from './deliver.js';
import type { VapidKeys } from './vapid.js';

/**
 * Web Push, the phone channel: the job runner's `push` job sends the outbox's due push
 * messages to each of the person's devices with web-push (VAPID, the payload encrypted
 * to the device's keys, RFC 8291), as the `outbox` job sends email and with the same
 * claim, lease, quiet hours and checks before sending (alerts/deliver.ts).
 *
 * The payload is `{ title, body, url }`: the center's name, the notice's short text
 * (the same as the email's: no child's name, no health detail, no background study)
 * and the page it is about, which the service worker (public/sw.js) opens when the
 * notification is tapped. Its Topic is the outbox row's id, so a retry after a crash
 * replaces a copy the push service still holds instead of adding one.
 *
 * What a push service answers, per device: 201 delivered; 404 or 410 the subscription is
 * gone, so it is removed; 429, a 5xx or no connection is temporary; any other answer is
 * permanent for that device. A message is `sent` once it reached a device; with no
 * device left it is dropped; with only temporary failures it is tried again after 1, 2,
 * 4… minutes; otherwise (or at the last attempt) it is `failed`, shown on the person's
 * alert settings.
 */

export type PushSubscriptionKeys = { readonly endpoint: string; readonly p256dh: string; readonly auth: string };
export type PushSendOptions = { readonly ttlSeconds: number; readonly urgency: 'normal' | 'high'; readonly topic: string };

export type PushTransport = {
  /** Sends one encrypted message to one device; throws what web-push throws (a WebPushError carries the service's status). */
  send(subscription: PushSubscriptionKeys, payload: string, options: PushSendOptions): Promise<void>;
};

export function createPushTransport(keys: VapidKeys, options: { readonly agent?: Agent; readonly timeoutMs?: number } = {}): PushTransport {
  return {
    async send(subscription, payload, o) {
      await webpush.sendNotification({ endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } }, payload, {
        vapidDetails: keys,
        TTL: o.ttlSeconds,
        urgency: o.urgency,
        topic: o.topic,
        contentEncoding: 'aes128gcm',
        timeout: options.timeoutMs ?? 30_000,
        ...(options.agent && { agent: options.agent }),
      });
    },
  };
}

export type PushDeliveryOptions = {
  readonly transport: PushTransport;
  readonly publicUrl: string;
  readonly leaseMs?: number;
  readonly maxAttempts?: number;
  readonly backoffMs?: number;
  readonly batch?: number;
  /** How long a push service keeps a message for a device that is off (default 12 hours). */
  readonly ttlSeconds?: number;
};

export type PushDelivered = { sent: number; retried: number; failed: number; dropped: number; held: number; gone: number };

/** What a push service's answer (or its absence) means for one device. */
export function pushOutcome(err: unknown): 'gone' | 'temporary' | 'permanent' {
  const status = (err as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status !== 'number') return 'temporary';
  if (status === 404 || status === 410) return 'gone';
  if (status === 429 || status >= 500) return 'temporary';
  return 'permanent';
}

/** The failure as the person's settings page says it: the service's status and answer, never the endpoint. */
export function pushFailureText(err: unknown): string {
  const e = err as { statusCode?: number; body?: string; code?: string; message?: string } | null;
  if (typeof e?.statusCode === 'number') return `Push service answered ${e.statusCode}${e.body ? `: ${e.body.replace(/\s+/g, ' ').slice(0, 200)}` : ''}`;
  return `Push service not reached${e?.code ? ` (${e.code})` : ''}`;
}

/** The payload of one message: title, body, and the absolute address of the page it is about. */
export function pushPayloadOf(message: Pick<OutboxMessage, 'body' | 'link'>, center: Pick<Center, 'name'>, publicUrl: string): { title: string; body: string; url: string } {
  const url = message.link && /^\/[^/\\]/.test(message.link) ? `${publicUrl}${message.link}` : `${publicUrl}/notices`;
  return { title: center.name, body: message.body, url };
}

export async function deliverDuePush(db: Knex, centers: readonly Center[], opts: PushDeliveryOptions, log: Logger, at: Date): Promise<PushDelivered> {
  const { transport, leaseMs = 5 * 60_000, maxAttempts = 6, backoffMs = 60_000, batch = 200, ttlSeconds = 12 * 3600 } = opts;
  const done: PushDelivered = { sent: 0, retried: 0, failed: 0, dropped: 0, held: 0, gone: 0 };
  const due = await listDueMessages(db, 'push', at, batch);
  if (due.length === 0) return done;
  const centerById = new Map(centers.map((c) => [c.id, c]));
  const prefsOf = await preferencesOf(db, due);
  for (const message of due) {
    const attempt = await claimMessage(db, message, at, leaseMs);
    if (attempt === null) continue; // another process took it
    const settle = (outcome: Parameters<typeof settleMessage>[3]) => settleMessage(db, message.id, attempt, outcome, at);
    const drop = async (error: string) => {
      await settle({ status: 'dropped', error });
      done.dropped++;
    };
    const gate = await gateOf(db, message, 'push', centerById.get(message.centerId), prefsOf, at);
    if ('drop' in gate) {
      await drop(gate.drop);
      continue;
    }
    if ('holdUntil' in gate) {
      await settle({ status: 'queued', dueAt: gate.holdUntil, error: null, countAttempt: false });
      done.held++;
      continue;
    }
    const { center } = gate;
    const devices = await listPushSubscriptionsOfUser(db, message.userId);
    if (devices.length === 0) {
      await drop('No phone to send to.');
      continue;
    }
    const payload = JSON.stringify(pushPayloadOf(message, center, opts.publicUrl));
    const options: PushSendOptions = { ttlSeconds, urgency: isUrgent(message, at) ? 'high' : 'normal', topic: message.id.replace(/-/g, '').slice(0, 32) };
    let reached = 0;
    let temporary: unknown;
    let permanent: unknown;
    for (const device of devices) {
      try {
        await transport.send(device, payload, options);
        reached++;
        await markPushSubscriptionOk(db, device.id, at);
      } catch (err) {
        const outcome = pushOutcome(err);
        if (outcome === 'gone') {
          await deleteGonePushSubscription(db, device.id, device.endpoint);
          done.gone++;
          log.info({ outboxId: message.id, subscriptionId: device.id }, 'push.subscription_gone');
        } else if (outcome === 'temporary') temporary ??= err;
        else permanent ??= err;
      }
    }
    // Reached a device: sent, recorded at once (a crash before this line leaves the row `sending` until its lease ends).
    if (reached > 0) {
      if (await settle({ status: 'sent' })) done.sent++;
    } else if (temporary === undefined && permanent === undefined) {
      await drop('Every phone turned alerts off.');
    } else if (temporary !== undefined && attempt < maxAttempts) {
      const error = pushFailureText(temporary);
      await settle({ status: 'queued', dueAt: new Date(at.getTime() + retryDelay(attempt, backoffMs)), error, countAttempt: true });
      done.retried++;
      log.info({ outboxId: message.id, attempt, error }, 'push.retry');
    } else {
      const error = pushFailureText(permanent ?? temporary);
      await settle({ status: 'failed', error });
      done.failed++;
      log.warn({ outboxId: message.id, attempt, error }, 'push.failed');
    }
  }
  return done;
}
