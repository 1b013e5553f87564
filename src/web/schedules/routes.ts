import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { appendAudit } from '../../db/audit.js';
import { findCurrentPersonInCenter, findOpenRoomInCenter } from '../../db/center-state.js';
import { listPeopleInCenter } from '../../db/people.js';
import { deleteRoomNap, findRoomNapInCenter, insertRoomNap, listRoomNapsInCenter } from '../../db/room-naps.js';
import { listRoomsInCenter } from '../../db/rooms.js';
import { deleteShiftTemplate, findShiftTemplateInCenter, insertShiftTemplate, listShiftTemplatesInCenter } from '../../db/shift-templates.js';
import type { Deps } from '../deps.js';
import { memberOf } from '../auth/current.js';
import { guard } from '../auth/guard.js';
import { PERSON_ROLE_WORDS } from '../board/card.js';
import { publishRooms } from '../board/publish.js';
import { actedBy } from '../../services/acted-by.js';
import { NotFound } from '../errors.js';
import type { EventHub } from '../events/hub.js';
import { fieldErrors, listOf, type FieldErrors } from '../forms.js';
import { WEEKDAYS } from '../labels.js';
import { wallClock } from '../trainings/form-fields.js';
import { idField, idIn } from '../ids.js';
import { rangeText } from '../../words/format.js';
import { nextOf, setupPath, withNext } from '../setup/next.js';
import { applyUsualWeek, dayOf, usualWeekDrift } from '../../services/day-plan.js';
import { can } from '../auth/policy.js';

/**
 * The usual week, edited by directors: each person's shift templates (room,
 * weekdays, start, end, an optional break) and each room's daily nap periods. A
 * template change reaches the days whose plan is not made yet; a day already
 * planned (today, or a later day someone opened) is changed on its day plan.
 */

const optionalClock = () =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v.slice(0, 5) : ''))
    .refine((v) => v === '' || /^([01]\d|2[0-3]):[0-5]\d$/.test(v), 'Enter a time like 11:30.');

const TemplateForm = z
  .object({
    personId: idField('Choose a person.'),
    roomId: idField('Choose a room.'),
    weekdays: z.array(z.enum(['1', '2', '3', '4', '5', '6', '7'], { error: 'Choose days of the week.' })).min(1, 'Choose at least one day of the week.'),
    start: wallClock('Enter a start time, like 07:00.'),
    end: wallClock('Enter an end time, like 15:00.'),
    breakStart: optionalClock(),
    breakEnd: optionalClock(),
  })
  .superRefine((v, ctx) => {
    if (v.end <= v.start) ctx.addIssue({ code: 'custom', path: ['end'], message: 'The end must be after the start.' });
    if (!v.breakStart && !v.breakEnd) return;
    if (!v.breakStart || !v.breakEnd) ctx.addIssue({ code: 'custom', path: [v.breakStart ? 'breakEnd' : 'breakStart'], message: 'Give both the start and the end of the break, or neither.' });
    else if (v.breakEnd <= v.breakStart) ctx.addIssue({ code: 'custom', path: ['breakEnd'], message: 'The break must end after it starts.' });
    else if (v.breakStart < v.start || v.breakEnd > v.end) ctx.addIssue({ code: 'custom', path: ['breakStart'], message: 'The break must lie inside the shift.' });
  });

const NapForm = z
  .object({ start: wallClock('Enter when the nap starts, like 12:30.'), end: wallClock('Enter when the nap ends, like 14:30.') })
  .superRefine((v, ctx) => {
    if (v.end <= v.start) ctx.addIssue({ code: 'custom', path: ['end'], message: 'The nap must end after it starts.' });
  });

type Failed = { form: string; values: Record<string, string | string[]>; errors: FieldErrors };

const TEMPLATE_FIELDS = ['personId', 'roomId', 'start', 'end', 'breakStart', 'breakEnd'] as const;

export function scheduleRoutes(deps: Deps, hub: EventHub): Router {
  const { db, clock, log } = deps;
  const router = Router();

  const render = async (req: Request, res: Response, status: number, failed?: Failed) => {
    const member = memberOf(req);
    const { center } = member;
    const base = `/centers/${center.id}`;
    // Opened from the set-up: every form here comes back to this page with `?next=setup`, which links back to the checklist.
    const next = nextOf(req);
    const [templates, rooms, people, naps] = await Promise.all([
      listShiftTemplatesInCenter(db, center.id),
      listRoomsInCenter(db, center.id),
      listPeopleInCenter(db, center.id),
      listRoomNapsInCenter(db, center.id),
    ]);
    const roomName = new Map(rooms.map((r) => [r.id, r.name]));
    const person = new Map(people.map((p) => [p.id, p]));
    const flash = req.session.flash;
    if (flash) delete req.session.flash;
    // Today's plan, made before the usual week was entered or changed, lags it: offered here to catch up.
    const now = clock.now();
    const drift = can(member, 'schedule.update') ? await usualWeekDrift(db, center, dayOf(center, now), now) : null;
    const add = failed?.form === 'template' ? failed : undefined;
    const addValue = (k: string) => (typeof add?.values[k] === 'string' ? (add.values[k] as string) : '');
    const chosenDays = add ? (Array.isArray(add.values.weekdays) ? add.values.weekdays : []) : [];
    res.status(status).render('schedules/index', {
      title: 'Weekly schedules',
      center: { id: center.id, name: center.name },
      zone: center.timeZone,
      flash,
      today:
        drift && (drift.add.length > 0 || drift.cancel.length > 0)
          ? {
              action: withNext(`${base}/schedules/today`, next),
              add: drift.add.length,
              cancel: drift.cancel.length,
              words: [
                drift.add.length > 0 ? `${drift.add.length} ${drift.add.length === 1 ? 'shift' : 'shifts'} to add` : '',
                drift.cancel.length > 0 ? `${drift.cancel.length} ${drift.cancel.length === 1 ? 'shift' : 'shifts'} to cancel (not started yet)` : '',
              ]
                .filter(Boolean)
                .join(' and '),
            }
          : undefined,
      planLink: `${base}/plan`,
      setupLink: next ? setupPath(center.id) : undefined,
      days: WEEKDAYS.map((d) => {
        const rows = templates
          .filter((t) => t.weekday === d.weekday && person.has(t.personId) && roomName.has(t.roomId))
          .map((t) => ({
            name: person.get(t.personId)!.displayName,
            role: PERSON_ROLE_WORDS[person.get(t.personId)!.role] ?? person.get(t.personId)!.role,
            room: roomName.get(t.roomId)!,
            times: rangeText(t.start, t.end),
            breakTimes: t.breakStart && t.breakEnd ? rangeText(t.breakStart, t.breakEnd) : null,
            removeAction: withNext(`${base}/schedules/templates/${t.id}/removal`, next),
          }));
        return { label: d.label, rows };
      }),
      add: {
        action: withNext(`${base}/schedules/templates`, next),
        values: Object.fromEntries(TEMPLATE_FIELDS.map((f) => [f, addValue(f)])),
        errors: add?.errors ?? {},
        people: people.map((p) => ({ value: p.id, label: `${p.displayName} (${PERSON_ROLE_WORDS[p.role] ?? p.role})`, selected: p.id === addValue('personId') })),
        rooms: rooms.map((r) => ({ value: r.id, label: r.name, selected: r.id === addValue('roomId') })),
        weekdays: WEEKDAYS.map((d) => ({ value: String(d.weekday), label: d.label, checked: chosenDays.includes(String(d.weekday)) })),
      },
      rooms: rooms.map((r) => {
        const form = `nap:${r.id}`;
        const failedHere = failed?.form === form ? failed : undefined;
        const v = (k: string) => (typeof failedHere?.values[k] === 'string' ? (failedHere.values[k] as string) : '');
        return {
          id: r.id,
          name: r.name,
          naps: naps.filter((n) => n.roomId === r.id).map((n) => ({ times: rangeText(n.start, n.end), removeAction: withNext(`${base}/rooms/${r.id}/naps/${n.id}/removal`, next) })),
          action: withNext(`${base}/rooms/${r.id}/naps`, next),
          values: { start: v('start'), end: v('end') },
          errors: failedHere?.errors ?? {},
        };
      }),
    });
  };

  const kept = (req: Request, fields: readonly string[]) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    return Object.fromEntries(fields.map((f) => [f, typeof body[f] === 'string' ? (body[f] as string).trim() : '']));
  };

  const done = (req: Request, res: Response, message: string, anchor = '') => {
    req.session.flash = { message, tone: 'ok' };
    res.redirect(303, withNext(`/centers/${memberOf(req).center.id}/schedules${anchor}`, nextOf(req)));
  };

  router.get('/centers/:centerId/schedules', guard(deps, 'schedules.view'), async (req, res) => {
    await render(req, res, 200);
  });

  router.post('/centers/:centerId/schedules/today', guard(deps, 'schedule.update'), async (req, res) => {
    const member = memberOf(req);
    const now = clock.now();
    const { added, cancelled, roomIds } = await applyUsualWeek(db, member.center, dayOf(member.center, now), now, member.userId);
    await publishRooms(req.app, db, hub, log, member.center, now, roomIds);
    const changed = [added > 0 ? `${added} ${added === 1 ? 'shift' : 'shifts'} added` : '', cancelled > 0 ? `${cancelled} cancelled` : ''].filter(Boolean).join(', ');
    done(req, res, changed ? `Today's plan now follows the usual week: ${changed}.` : "Today's plan already follows the usual week.");
  });

  router.post('/centers/:centerId/schedules/templates', guard(deps, 'schedule.update'), async (req, res) => {
    const member = memberOf(req);
    const weekdays = listOf(req.body, 'weekdays');
    const values = { ...kept(req, TEMPLATE_FIELDS), weekdays };
    const parsed = TemplateForm.safeParse({ ...(req.body ?? {}), weekdays });
    if (!parsed.success) return render(req, res, 422, { form: 'template', values, errors: fieldErrors(parsed.error) });
    const f = parsed.data;
    const [person, room] = await Promise.all([findCurrentPersonInCenter(db, member.center.id, f.personId), findOpenRoomInCenter(db, member.center.id, f.roomId)]);
    const errors: FieldErrors = {};
    if (!person) errors.personId = 'Choose a person.';
    if (!room) errors.roomId = 'Choose a room.';
    if (person) {
      // Nobody is planned in two places at once: a template overlapping another of the same person and weekday is refused.
      const theirs = (await listShiftTemplatesInCenter(db, member.center.id)).filter((t) => t.personId === person.id);
      const clash = theirs.find((t) => f.weekdays.includes(String(t.weekday) as never) && t.start < f.end && t.end > f.start);
      if (clash) {
        const day = WEEKDAYS.find((d) => d.weekday === clash.weekday)!.label;
        errors.start = `${person.displayName} already works ${rangeText(clash.start, clash.end)} on ${day}.`;
      }
    }
    if (Object.keys(errors).length > 0 || !person || !room) return render(req, res, 422, { form: 'template', values, errors });
    const now = clock.now();
    await db.transaction(async (trx) => {
      for (const weekday of f.weekdays.map(Number)) {
        const templateId = await insertShiftTemplate(
          trx,
          { centerId: member.center.id, personId: person.id, roomId: room.id, weekday, start: f.start, end: f.end, breakStart: f.breakStart || null, breakEnd: f.breakEnd || null },
          now,
        );
        await appendAudit(trx, {
          ...actedBy(member, now),
          action: 'shift_template.added',
          recordType: 'shift_template',
          recordId: templateId,
          after: { personId: person.id, roomId: room.id, weekday, start: f.start, end: f.end, breakStart: f.breakStart || null, breakEnd: f.breakEnd || null },
        });
      }
    });
    const days = f.weekdays.map((d) => WEEKDAYS.find((w) => w.weekday === Number(d))!.short).join(', ');
    done(req, res, `Added ${person.displayName} in ${room.name}, ${rangeText(f.start, f.end)} on ${days}. Days already planned keep their plan.`);
  });

  router.post('/centers/:centerId/schedules/templates/:templateId/removal', guard(deps, 'schedule.update'), async (req, res) => {
    const member = memberOf(req);
    const templateId = idIn(req.params.templateId);
    const template = templateId ? await findShiftTemplateInCenter(db, member.center.id, templateId) : undefined;
    if (!template) throw new NotFound('template');
    const now = clock.now();
    await db.transaction(async (trx) => {
      if (await deleteShiftTemplate(trx, member.center.id, template.id)) {
        await appendAudit(trx, {
          ...actedBy(member, now),
          action: 'shift_template.removed',
          recordType: 'shift_template',
          recordId: template.id,
          before: { personId: template.personId, roomId: template.roomId, weekday: template.weekday, start: template.start, end: template.end },
          after: { removed: true },
        });
      }
    });
    done(req, res, 'Removed from the usual week. Days already planned keep their plan.');
  });

  router.post('/centers/:centerId/rooms/:roomId/naps', guard(deps, 'schedule.update'), async (req, res) => {
    const member = memberOf(req);
    const roomId = idIn(req.params.roomId);
    const room = roomId ? await findOpenRoomInCenter(db, member.center.id, roomId) : undefined;
    if (!room) throw new NotFound('room');
    const parsed = NapForm.safeParse(req.body ?? {});
    if (!parsed.success) return render(req, res, 422, { form: `nap:${room.id}`, values: kept(req, ['start', 'end']), errors: fieldErrors(parsed.error) });
    const { start, end } = parsed.data;
    const theirs = (await listRoomNapsInCenter(db, member.center.id)).filter((n) => n.roomId === room.id);
    const clash = theirs.find((n) => n.start < end && n.end > start);
    if (clash) return render(req, res, 422, { form: `nap:${room.id}`, values: kept(req, ['start', 'end']), errors: { start: `${room.name} already naps ${rangeText(clash.start, clash.end)}.` } });
    const now = clock.now();
    await db.transaction(async (trx) => {
      const napId = await insertRoomNap(trx, { centerId: member.center.id, roomId: room.id, start, end }, now);
      await appendAudit(trx, { ...actedBy(member, now), action: 'room_nap.added', recordType: 'room_nap', recordId: napId, after: { roomId: room.id, start, end } });
    });
    // Naps change today's forecast (the activity, and with it the group-size limit).
    await publishRooms(req.app, db, hub, log, member.center, now, [room.id]);
    done(req, res, `${room.name} naps ${rangeText(start, end)} every day.`, `#naps-${room.id}`);
  });

  router.post('/centers/:centerId/rooms/:roomId/naps/:napId/removal', guard(deps, 'schedule.update'), async (req, res) => {
    const member = memberOf(req);
    const roomId = idIn(req.params.roomId);
    const napId = idIn(req.params.napId);
    const nap = roomId && napId ? await findRoomNapInCenter(db, member.center.id, roomId, napId) : undefined;
    if (!nap) throw new NotFound('nap');
    const now = clock.now();
    await db.transaction(async (trx) => {
      if (await deleteRoomNap(trx, member.center.id, nap.id)) {
        await appendAudit(trx, { ...actedBy(member, now), action: 'room_nap.removed', recordType: 'room_nap', recordId: nap.id, before: { roomId: nap.roomId, start: nap.start, end: nap.end }, after: { removed: true } });
      }
    });
    await publishRooms(req.app, db, hub, log, member.center, now, [nap.roomId]);
    done(req, res, `Nap ${rangeText(nap.start, nap.end)} removed.`, `#naps-${nap.roomId}`);
  });

  return router;
}
