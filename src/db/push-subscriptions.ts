import type { Knex } from 'knex';
import { z } from 'zod';
import { newId, parseRows } from './rows.js';

/**
 * Web Push subscriptions: one per device a person turned alerts on on (the browser's
 * push service URL and the keys messages are encrypted to). A device that subscribes
 * again (the same endpoint) replaces its row, whoever held it: an endpoint is one
 * browser's, so the account signed in there now is the one it reaches. Removed by the
 * person, or when the push service answers that it is gone (404, 410).
 */

const PushSubscriptionRow = z
  .object({
    id: z.string(),
    user_id: z.string(),
    endpoint: z.string(),
    p256dh: z.string(),
    auth: z.string(),
    label: z.string().nullable(),
    created_at: z.string(),
    last_ok_at: z.string().nullable(),
  })
  .transform((r) => ({ id: r.id, userId: r.user_id, endpoint: r.endpoint, p256dh: r.p256dh, auth: r.auth, label: r.label, createdAt: r.created_at, lastOkAt: r.last_ok_at }));
export type PushSubscription = z.output<typeof PushSubscriptionRow>;

export type NewPushSubscription = { readonly userId: string; readonly endpoint: string; readonly p256dh: string; readonly auth: string; readonly label: string | null };

/** Stores the device's subscription for the user (replacing one with the same endpoint); answers it and whether it is new to the user. */
export async function savePushSubscription(db: Knex, s: NewPushSubscription, at: Date): Promise<{ subscription: PushSubscription; created: boolean }> {
  const existing = (await db('push_subscriptions').where({ endpoint: s.endpoint }).first('id', 'user_id')) as { id: string; user_id: string } | undefined;
  const row = { user_id: s.userId, endpoint: s.endpoint, p256dh: s.p256dh, auth: s.auth, label: s.label };
  if (existing) await db('push_subscriptions').where({ id: existing.id }).update(row);
  else await db('push_subscriptions').insert({ id: newId(), ...row, created_at: at.toISOString(), last_ok_at: null }).onConflict('endpoint').merge(['user_id', 'p256dh', 'auth', 'label']);
  const saved = parseRows(PushSubscriptionRow, [await db('push_subscriptions').where({ endpoint: s.endpoint }).first()])[0]!;
  return { subscription: saved, created: !existing || existing.user_id !== s.userId };
}

/** The user's devices, oldest first. */
export async function listPushSubscriptionsOfUser(db: Knex, userId: string): Promise<PushSubscription[]> {
  return parseRows(PushSubscriptionRow, await db('push_subscriptions').where({ user_id: userId }).orderBy('created_at').orderBy('id'));
}

/** Which of `userIds` have at least one device. */
export async function usersWithPush(db: Knex, userIds: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  const ids = [...new Set(userIds)];
  for (let i = 0; i < ids.length; i += 500) {
    const rows = (await db('push_subscriptions').whereIn('user_id', ids.slice(i, i + 500)).distinct('user_id')) as { user_id: string }[];
    for (const r of rows) out.add(r.user_id);
  }
  return out;
}

/** The user's device `id`, or undefined when there is none of theirs by that id. */
export async function findPushSubscriptionOfUser(db: Knex, userId: string, id: string): Promise<PushSubscription | undefined> {
  const row = await db('push_subscriptions').where({ id, user_id: userId }).first();
  return row ? parseRows(PushSubscriptionRow, [row])[0] : undefined;
}

/** Removes the user's device `id`; false when none of theirs has that id. */
export async function deletePushSubscriptionOfUser(db: Knex, userId: string, id: string): Promise<boolean> {
  return ((await db('push_subscriptions').where({ id, user_id: userId }).del()) as number) === 1;
}

/** Removes a subscription the push service said is gone (only if it still points where it did). */
export async function deleteGonePushSubscription(db: Knex, id: string, endpoint: string): Promise<void> {
  await db('push_subscriptions').where({ id, endpoint }).del();
}

export async function markPushSubscriptionOk(db: Knex, id: string, at: Date): Promise<void> {
  await db('push_subscriptions').where({ id }).update({ last_ok_at: at.toISOString() });
}

/** How a person can be reached about the center, beyond the app. */
export type Reach = 'none' | 'email' | 'push' | 'email_push';

/**
 * For each of the center's people among `personIds`: how messages about the center can
 * reach them, in one query. Through their account (an active membership in the center
 * linked to the person): email unless they turned it off there, push when it is on
 * there and they have a device. No account, or everything off: `none`.
 */
export async function listReachOfPeople(db: Knex, centerId: string, personIds: readonly string[]): Promise<Map<string, Reach>> {
  const out = new Map<string, Reach>();
  const ids = [...new Set(personIds)];
  for (let i = 0; i < ids.length; i += 500) {
    const rows = (await db('memberships as m')
      .leftJoin('alert_preferences as p', (j) => j.on('p.user_id', '=', 'm.user_id').andOn('p.center_id', '=', 'm.center_id'))
      .where('m.center_id', centerId)
      .whereNull('m.deactivated_at')
      .whereIn('m.person_id', ids.slice(i, i + 500))
      .select(
        'm.person_id',
        'p.email',
        'p.push',
        db.raw('EXISTS (SELECT 1 FROM push_subscriptions s WHERE s.user_id = m.user_id) AS has_device'),
      )) as { person_id: string; email: boolean | number | null; push: boolean | number | null; has_device: boolean | number | string }[];
    for (const r of rows) {
      const on = (v: boolean | number | null) => v === null || v === true || v === 1;
      const email = on(r.email);
      const push = on(r.push) && (r.has_device === true || Number(r.has_device) === 1);
      out.set(r.person_id, email && push ? 'email_push' : email ? 'email' : push ? 'push' : 'none');
    }
  }
  for (const id of ids) if (!out.has(id)) out.set(id, 'none');
  return out;
}
