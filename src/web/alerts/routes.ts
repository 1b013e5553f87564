import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { findAlertPreferences, saveAlertPreferences, type AlertPreferences } from '../../db/alert-preferences.js';
import { appendAudit } from '../../db/audit.js';
import { listFailedMessages } from '../../db/outbox.js';
import { actedBy, changedFields } from '../../services/acted-by.js';
import { dateText } from '../../words/format.js';
import type { Deps } from '../deps.js';
import { memberOf, userOf } from '../auth/current.js';
import { guard } from '../auth/guard.js';
import { checkbox, fieldErrors, keptValues, type FieldErrors } from '../forms.js';

const FIELDS = ['email', 'quietStart', 'quietEnd'] as const;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const optionalTime = (message: string) =>
  z
    .string({ error: message })
    .trim()
    .refine((v) => v === '' || TIME.test(v), message)
    .optional()
    .transform((v) => (v ? v : null));

/** The alert settings form: email on or off; quiet hours, both times or neither, not the same time. */
export const AlertSettingsForm = z
  .object({
    email: checkbox(),
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
 * on or off (notices in the app always), quiet hours, where email goes, and messages
 * that could not be delivered. About the signed-in account only: there is no id in
 * the path, so nobody can open or change another's. A change is audited.
 */
export function alertRoutes(deps: Deps): Router {
  const { db, clock, config } = deps;
  const router = Router();
  const PATH = '/centers/:centerId/my/alerts';

  const render = async (req: Request, res: Response, status: number, values: Record<string, string>, errors: FieldErrors, saved = false) => {
    const member = memberOf(req);
    const user = userOf(req);
    const failed = await listFailedMessages(db, user.id, member.center.id);
    res.status(status).render('alerts/show', {
      title: 'Alert settings',
      center: { id: member.center.id, name: member.center.name },
      action: `/centers/${member.center.id}/my/alerts`,
      email: user.email,
      emailNotConfigured: !config.smtpUrl,
      values,
      emailOn: values.email === 'on',
      errors,
      saved,
      zone: member.center.timeZone,
      failed: failed.map((m) => ({ body: m.body, at: dateText(m.createdAt, member.center.timeZone, { time: true }), error: m.lastError ?? 'not delivered' })),
    });
  };

  const valuesOf = (p: AlertPreferences) => ({ email: p.email ? 'on' : '', quietStart: p.quietStart ?? '', quietEnd: p.quietEnd ?? '' });

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
      return render(req, res, 422, { ...kept, email: kept.email ? 'on' : '' }, fieldErrors(form.error));
    }
    const next: AlertPreferences = { email: form.data.email, quietStart: form.data.quietStart, quietEnd: form.data.quietEnd };
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

  return router;
}
