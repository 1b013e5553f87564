import { Router, type Request, type Response } from 'express';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { appendAudit } from '../../db/audit.js';
import {
  clearAvailableToday,
  findAvailabilityToday,
  listAvailabilityWindows,
  replaceAvailabilityWindows,
  setAvailableToday,
  type WindowInput,
} from '../../db/availability.js';
import type { CenterMember } from '../../db/memberships.js';
import { findPersonOfMember } from '../../db/people.js';
import type { Deps } from '../deps.js';
import { memberOf } from '../auth/current.js';
import { guard } from '../auth/guard.js';
import { confirmSaved, fieldErrors, takeFlash, type FieldErrors } from '../forms.js';
import { wallClock } from '../trainings/form-fields.js';
import { clockTime } from '../../words/format.js';

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;
const HHMM = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/;

type Failed = { form: 'weekly' | 'today'; values: Record<string, string>; errors: FieldErrors };

/**
 * A person's own availability: one usual window per weekday, and "I can come
 * in today" until a time. Times are wall-clock in the center's zone.
 */
export function availabilityRoutes(deps: Deps): Router {
  const { db, clock } = deps;
  const router = Router();

  const myPerson = (member: CenterMember) => findPersonOfMember(db, member);

  const render = async (req: Request, res: Response, status: number, failed?: Failed) => {
    const member = memberOf(req);
    const person = await myPerson(member);
    const base = { title: 'My availability', center: { id: member.center.id, name: member.center.name } };
    if (!person) return res.status(status).render('availability/show', { ...base, linked: false });
    const here = DateTime.fromJSDate(clock.now()).setZone(member.center.timeZone);
    const [windows, today] = await Promise.all([listAvailabilityWindows(db, person.id), findAvailabilityToday(db, person.id, here.toISODate()!)]);
    const weekly = failed?.form === 'weekly' ? failed : undefined;
    const todayFailed = failed?.form === 'today' ? failed : undefined;
    const hhmm = clockTime(here);
    const stillToday = today !== undefined && today.until > hhmm;
    res.status(status).render('availability/show', {
      ...base,
      flash: status === 200 ? takeFlash(req) : undefined,
      linked: true,
      days: WEEKDAYS.map((name, i) => {
        const day = i + 1;
        const w = windows.find((x) => x.weekday === day);
        return {
          day,
          name,
          isToday: day === here.weekday,
          start: weekly ? weekly.values[`start${day}`] : (w?.start ?? ''),
          end: weekly ? weekly.values[`end${day}`] : (w?.end ?? ''),
          error: weekly?.errors[`day${day}`],
        };
      }),
      weeklyError: weekly?.errors.form,
      today: {
        on: todayFailed ? todayFailed.values.available === 'yes' : stillToday,
        until: todayFailed ? todayFailed.values.until : stillToday ? today.until : '',
        error: todayFailed?.errors.until,
        saidUntil: stillToday ? today.until : null,
        now: hhmm,
      },
    });
  };

  router.get('/centers/:centerId/my/availability', guard(deps, 'my_availability.view'), async (req, res) => {
    await render(req, res, 200);
  });

  router.post('/centers/:centerId/my/availability', guard(deps, 'availability.update'), async (req, res) => {
    const member = memberOf(req);
    const person = await myPerson(member);
    // An account with no person on file has nothing to set: back to the page that says so.
    if (!person) return res.redirect(303, `/centers/${member.center.id}/my/availability`);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const str = (k: string) => (typeof body[k] === 'string' ? (body[k] as string).trim() : '');
    const now = clock.now();
    const here = DateTime.fromJSDate(now).setZone(member.center.timeZone);
    const day = here.toISODate()!;
    const audit = (action: string, after: Record<string, unknown>) => ({
      at: now,
      organizationId: member.center.organizationId,
      centerId: member.center.id,
      actorUserId: member.userId,
      action,
      recordType: 'person',
      recordId: person.id,
      after,
    });

    if (str('form') === 'today') {
      const values = { available: str('available'), until: str('until') };
      if (values.available !== 'yes') {
        await db.transaction(async (trx) => {
          if (await clearAvailableToday(trx, person.id, day)) await appendAudit(trx, audit('availability.today_cleared', { day }));
        });
        confirmSaved(req, 'Saved: not available today.');
        return res.redirect(303, `/centers/${member.center.id}/my/availability`);
      }
      const nowHhmm = clockTime(here);
      const TodayForm = z.object({ until: wallClock('Say until what time you can stay.').refine((t) => t > nowHhmm, `Choose a time later than now (${nowHhmm}).`) });
      const form = TodayForm.safeParse(values);
      if (!form.success) return render(req, res, 422, { form: 'today', values, errors: fieldErrors(form.error) });
      await db.transaction(async (trx) => {
        await setAvailableToday(trx, person.id, day, form.data.until, now);
        await appendAudit(trx, audit('availability.today_set', { day, until: form.data.until }));
      });
      confirmSaved(req, `Saved: available today until ${form.data.until}.`);
      return res.redirect(303, `/centers/${member.center.id}/my/availability`);
    }

    // Weekly: each day's start and end, both or neither, start before end.
    const values: Record<string, string> = {};
    const errors: FieldErrors = {};
    const windows: WindowInput[] = [];
    for (let d = 1; d <= 7; d++) {
      const start = str(`start${d}`);
      const end = str(`end${d}`);
      values[`start${d}`] = start;
      values[`end${d}`] = end;
      if (!start && !end) continue;
      const name = WEEKDAYS[d - 1];
      if (!start || !end) errors[`day${d}`] = `Give both a start and an end for ${name}, or leave both empty.`;
      else if (!HHMM.test(start) || !HHMM.test(end)) errors[`day${d}`] = `Enter times like 09:00 for ${name}.`;
      else if (start.slice(0, 5) >= end.slice(0, 5)) errors[`day${d}`] = `The end must be after the start on ${name}.`;
      else windows.push({ weekday: d, start: start.slice(0, 5), end: end.slice(0, 5) });
    }
    if (Object.keys(errors).length > 0) return render(req, res, 422, { form: 'weekly', values, errors });
    await db.transaction(async (trx) => {
      await replaceAvailabilityWindows(trx, person.id, windows, now);
      await appendAudit(trx, audit('availability.weekly_set', { windows }));
    });
    confirmSaved(req, 'Your usual week is saved.');
    res.redirect(303, `/centers/${member.center.id}/my/availability`);
  });

  return router;
}
