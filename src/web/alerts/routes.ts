import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { findAlertPreferences, saveAlertPreferences, type AlertPreferences } from '../../db/alert-preferences.js';
import { appendAudit } from '../../db/audit.js';
import { listFailedMessages } from '../../db/outbox.js';
import { listPushSubscriptionsOfUser } from '../../db/push-subscriptions.js';
import { vapidKeys } from '../../services/alerts/vapid.js';
import { actedBy, changedFields } from '../../services/acted-by.js';
import { dateText } from '../../words/format.js';
import type { Deps } from '../deps.js';
import { memberOf, userOf } from '../auth/current.js';
import { guard } from '../auth/guard.js';
import { calendarSection } from '../calendar/routes.js';
import { checkbox, fieldErrors, keptValues, type FieldErrors } from '../forms.js';
import { addPushRoutes } from './push-routes.js';

const FIELDS = ['email', 'push', 'quietStart', 'quietEnd'] as const;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const optionalTime = (message: string) =>
  z
    .string({ error: message })
    .trim()
    .refine((v) => v === '' || TIME.test(v), message)
    .optional()
    .transform((v) => (v ? v : null));

/** The alert settings form: email and push on or off; quiet hours, both times or neither, not the same time. */
export const AlertSettingsForm = z
  .object({
    email: checkbox(),
    push: checkbox(),
    quietStart: optionalTime('Enter a time like 21:00, or leave both times empty.'),
    quietEnd: optionalTime('Enter a time like 06:30, or leave both times empty.'),
  })
  .superRefine((f, ctx) => {
    if (f.quietStart && !f.quietEnd) ctx.addIssue({ code: 'custom', path: ['quietEnd'], message: 'Enter when quiet hours end, like 06:30.' });
    if (!f.quietStart && f.quietEnd) ctx.addIssue({ code: 'custom', path: ['quietStart'], message: 'Enter when quiet hours start, like 21:00.' });
    if (f.quietStart && f.quietStart === f.quietEnd) ctx.addIssue({ code: 'custom', path: ['quietEnd'], message: 'Quiet hours must end at another time than they start.' });
  });

/**
 * A member's own alert settings in one center (`/centers/:centerId/my/alerts`): email
 * and push on or off (notices in the app always), quiet hours, where email goes, the
 * devices push goes to (push-routes.ts), and messages that could not be delivered.
 * About the signed-in account only: there is no id of a person in the path, so nobody
 * can open or change another's. A change is audited.
 */
export function alertRoutes(deps: Deps): Router {
  const { db, clock, config } = deps;
  const router = Router();
  const PATH = '/centers/:centerId/my/alerts';

  const render = async (req: Request, res: Response, status: number, values: Record<string, string>, errors: FieldErrors, saved = false) => {
    const member = memberOf(req);
    const user = userOf(req);
    const [failed, devices] = await Promise.all([listFailedMessages(db, user.id, member.center.id), listPushSubscriptionsOfUser(db, user.id)]);
    const zone = member.center.timeZone;
    res.status(status).render('alerts/show', {
      title: 'Alert settings',
      center: { id: member.center.id, name: member.center.name },
      action: `/centers/${member.center.id}/my/alerts`,
      email: user.email,
      emailNotConfigured: !config.smtpUrl,
      values,
      emailOn: values.email === 'on',
      pushOn: values.push === 'on',
      // The page's script subscribes this browser with it (public/js/push.js).
      vapidPublicKey: vapidKeys(config).publicKey,
      subscribeUrl: `/centers/${member.center.id}/my/alerts/push-subscriptions`,
      devices: devices.map((d) => ({
        id: d.id,
        label: d.label ?? 'A browser',
        added: dateText(d.createdAt, zone, { time: true }),
        lastOk: d.lastOkAt ? dateText(d.lastOkAt, zone, { time: true }) : null,
        removeUrl: `/centers/${member.center.id}/my/alerts/push-subscriptions/${d.id}/removal`,
      })),
      deviceAdded: req.query.device === 'added',
      deviceRemoved: req.query.device === 'removed',
      errors,
      saved,
      zone: member.center.timeZone,
      calendar: await calendarSection(db, member),
      failedEmail: failed.some((m) => m.channel === 'email'),
      failedPush: failed.some((m) => m.channel === 'push'),
      failed: failed.map((m) => ({ channel: m.channel === 'push' ? 'Push' : 'Email', body: m.body, at: dateText(m.createdAt, zone, { time: true }), error: m.lastError ?? 'not delivered' })),
    });
  };

  const valuesOf = (p: AlertPreferences) => ({ email: p.email ? 'on' : '', push: p.push ? 'on' : '', quietStart: p.quietStart ?? '', quietEnd: p.quietEnd ?? '' });

  router.get(PATH, guard(deps, 'my_alerts.view'), async (req, res) => {
    const member = memberOf(req);
    const prefs = await findAlertPreferences(db, userOf(req).id, member.center.id);
    await render(req, res, 200, valuesOf(prefs), {}, req.query.saved === '1');
  });

  router.post(PATH, guard(deps, 'my_alerts.update'), async (req, res) => {
    const member = memberOf(req);
    const user = userOf(req);
    const form = AlertSettingsForm.safeParse(req.body ?? {});
    if (!form.success) {
      const kept = keptValues(req, FIELDS);
      return render(req, res, 422, { ...kept, email: kept.email ? 'on' : '', push: kept.push ? 'on' : '' }, fieldErrors(form.error));
    }
    const next: AlertPreferences = { email: form.data.email, push: form.data.push, quietStart: form.data.quietStart, quietEnd: form.data.quietEnd };
    const at = clock.now();
    await db.transaction(async (trx) => {
      const before = await findAlertPreferences(trx, user.id, member.center.id);
      const diff = changedFields({ ...before }, { ...next });
      if (!diff) return;
      await saveAlertPreferences(trx, user.id, member.center.id, next, at);
      await appendAudit(trx, { ...actedBy(member, at), action: 'alert_preferences.updated', recordType: 'alert_preferences', recordId: user.id, ...diff });
    });
    res.redirect(303, `/centers/${member.center.id}/my/alerts?saved=1`);
  });

  addPushRoutes(router, deps);

  return router;
}
