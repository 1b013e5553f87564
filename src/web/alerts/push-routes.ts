import { isIP } from 'node:net';
import type { Router } from 'express';
import { z } from 'zod';
import { appendAudit } from '../../db/audit.js';
import { deletePushSubscriptionOfUser, findPushSubscriptionOfUser, savePushSubscription } from '../../db/push-subscriptions.js';
import { actedBy } from '../../services/acted-by.js';
import type { Deps } from '../deps.js';
import { memberOf, userOf } from '../auth/current.js';
import { guard } from '../auth/guard.js';
import { NotFound } from '../errors.js';
import { idIn } from '../ids.js';

/** base64url of `bytes` bytes (padding allowed, as some browsers send it). */
const base64url = (bytes: number, message: string, first?: number) =>
  z
    .string({ error: message })
    .trim()
    .max(200, message)
    .regex(/^[A-Za-z0-9_-]+={0,2}$/, message)
    .refine((v) => {
      const b = Buffer.from(v.replace(/=+$/, ''), 'base64url');
      return b.length === bytes && (first === undefined || b[0] === first);
    }, message)
    .transform((v) => v.replace(/=+$/, ''));

/**
 * Where a push service takes messages: an https address of a named host. An address
 * by IP, `localhost` or a local name is refused, so a subscription cannot point the
 * app's sends at its own network.
 */
const endpoint = z
  .string({ error: 'The subscription has no endpoint.' })
  .trim()
  .max(1000, 'The endpoint is too long.')
  .refine((v) => {
    if (!URL.canParse(v)) return false;
    const u = new URL(v);
    const host = u.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    return u.protocol === 'https:' && !u.username && !u.password && host.includes('.') && isIP(host) === 0 && !/(^|\.)(localhost|local|internal|lan|home\.arpa)$/.test(host);
  }, 'The endpoint must be the https address of a push service.');

/** A browser's PushSubscription (its toJSON()), or the same as flat form fields. */
export const PushSubscriptionBody = z.object({
  endpoint,
  keys: z.object({
    p256dh: base64url(65, 'The subscription’s p256dh key must be a P-256 public key.', 4),
    auth: base64url(16, 'The subscription’s auth secret must be 16 bytes.'),
  }),
});

/** "Chrome on Android" from a User-Agent: enough for a person to tell their devices apart, and nothing more. */
export function deviceLabel(ua: string | undefined): string | null {
  if (!ua) return null;
  const browser = /Edg\//.test(ua) ? 'Edge' : /OPR\//.test(ua) ? 'Opera' : /SamsungBrowser\//.test(ua) ? 'Samsung Internet' : /Firefox\//.test(ua) ? 'Firefox' : /Chrome\//.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Safari' : null;
  const system = /Android/.test(ua) ? 'Android' : /iPhone|iPad|iPod/.test(ua) ? 'iOS' : /Mac OS X/.test(ua) ? 'macOS' : /Windows/.test(ua) ? 'Windows' : /CrOS/.test(ua) ? 'ChromeOS' : /Linux/.test(ua) ? 'Linux' : null;
  if (!browser && !system) return null;
  return [browser ?? 'A browser', system && `on ${system}`].filter(Boolean).join(' ');
}

/**
 * A member's own devices for Web Push, on their alert settings page in a center:
 * POST a subscription (public/js/push.js sends the browser's, as JSON with the CSRF
 * header), and remove a device from the list. Subscriptions are the account's, not the
 * center's (whether push goes for a center is that center's preference). Only one's
 * own: another's device id is not found. Both are audited.
 */
export function addPushRoutes(router: Router, deps: Deps): void {
  const { db, clock } = deps;
  const PATH = '/centers/:centerId/my/alerts/push-subscriptions';

  router.post(PATH, guard(deps, 'my_alerts.update'), async (req, res) => {
    const member = memberOf(req);
    const user = userOf(req);
    const raw = (req.body ?? {}) as Record<string, unknown>;
    // A form (no JS) sends the keys as flat fields.
    const body = typeof raw.keys === 'object' && raw.keys !== null ? raw : { endpoint: raw.endpoint, keys: { p256dh: raw.p256dh, auth: raw.auth } };
    const parsed = PushSubscriptionBody.safeParse(body);
    if (!parsed.success) return res.status(422).json({ error: parsed.error.issues[0]?.message ?? 'That is not a push subscription.' });
    const at = clock.now();
    const label = deviceLabel(req.get('user-agent'));
    const saved = await db.transaction(async (trx) => {
      const s = await savePushSubscription(trx, { userId: user.id, endpoint: parsed.data.endpoint, p256dh: parsed.data.keys.p256dh, auth: parsed.data.keys.auth, label }, at);
      if (s.created) await appendAudit(trx, { ...actedBy(member, at), action: 'push_subscription.added', recordType: 'push_subscription', recordId: s.subscription.id, after: { label } });
      return s.subscription;
    });
    if (req.is('application/json')) return res.status(201).json({ id: saved.id, label: saved.label });
    res.redirect(303, `/centers/${member.center.id}/my/alerts?device=added`);
  });

  router.post(`${PATH}/:subscriptionId/removal`, guard(deps, 'my_alerts.update'), async (req, res) => {
    const member = memberOf(req);
    const user = userOf(req);
    const id = idIn(req.params.subscriptionId);
    const at = clock.now();
    const removed = id
      ? await db.transaction(async (trx) => {
          const mine = await findPushSubscriptionOfUser(trx, user.id, id);
          if (!mine || !(await deletePushSubscriptionOfUser(trx, user.id, id))) return false;
          await appendAudit(trx, { ...actedBy(member, at), action: 'push_subscription.removed', recordType: 'push_subscription', recordId: id, before: { label: mine.label } });
          return true;
        })
      : false;
    if (!removed) {
      // Another's device is told exactly what a stranger is told, nothing of the center either.
      res.locals.center = undefined;
      throw new NotFound('device');
    }
    res.redirect(303, `/centers/${member.center.id}/my/alerts?device=removed`);
  });
}
