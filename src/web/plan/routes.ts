import { Router, type Request, type Response } from 'express';
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { findAbsenceInCenter, markChildAbsent, removeAbsence } from '../../db/absences.js';
import { appendAudit } from '../../db/audit.js';
import { findCurrentChildInCenter, findCurrentPersonInCenter, findOpenRoomInCenter } from '../../db/center-state.js';
import type { CenterMember } from '../../db/memberships.js';
import { recordPlanOverride } from '../../db/plan-overrides.js';
import { findOpenPresence } from '../../db/presences.js';
import {
  addShiftBreak,
  cancelShift,
  changeShift,
  deleteShiftBreak,
  findShiftBreakInCenter,
  findShiftInCenter,
  insertShift,
  listShiftsForDay,
  type Shift,
} from '../../db/shifts.js';
import { parseCivilDate } from '../../domain/calendar.js';
import type { Deps } from '../deps.js';
import { memberOf } from '../auth/current.js';
import { guard } from '../auth/guard.js';
import { publishRooms } from '../board/publish.js';
import { actedBy } from '../../services/acted-by.js';
import { NotFound } from '../errors.js';
import type { EventHub } from '../events/hub.js';
import { checkbox, fieldErrors, type FieldErrors } from '../forms.js';
import { wallClock } from '../trainings/form-fields.js';
import { newBreaches } from '../../services/breach-check.js';
import { forecastCenter } from '../../services/center-forecast.js';
import { attempt, refuse } from '../../services/refusal.js';
import { dayHref, dayPageModel, type Failed, type Warning } from './day-page.js';
import { dayOf, ensureDayPlan, instantOnDay, unmadeDayPlan } from '../../services/day-plan.js';
import { roomPlanModel } from './room-page.js';
import { idField, idIn } from '../ids.js';
import { clockTime, rangeText } from '../../words/format.js';

/**
 * Schedules, day by day: the center's day plan (every room's forecast, shifts,
 * breaks, expected children and absences), the room's day timeline, and the edits
 * of a single day's plan. An edit that the forecast shows breaching from now on is
 * not saved until a director ticks the override and gives a reason; the override
 * is kept with the windows shown and listed on the day's plan.
 */

const optionalClock = () =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v.slice(0, 5) : ''))
    .refine((v) => v === '' || /^([01]\d|2[0-3]):[0-5]\d$/.test(v), 'Enter a time like 11:30.');

/** How far ahead a day's plan may be opened or changed (a change makes the day's plan). */
const MAX_DAYS_AHEAD = 366;

/** A day to show: `YYYY-MM-DD`, today when absent; an error (and today) when it is not a real day or too far ahead. */
function dayToShow(raw: unknown, today: string): { day: string; error?: string } {
  if (raw === undefined || raw === '') return { day: today };
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || !parseCivilDate(text) || text < '2000-01-01') return { day: today, error: 'Enter a day like 2026-03-02.' };
  if (text > DateTime.fromISO(today).plus({ days: MAX_DAYS_AHEAD }).toISODate()!) return { day: today, error: 'Choose a day within a year from today.' };
  return { day: text };
}

/** A day whose plan may still change: today or later, within a year. */
const plannableDay = (today: string) =>
  z
    .string({ error: 'Choose a day.' })
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter a day like 2026-03-02.')
    .refine((d) => parseCivilDate(d) !== null, 'Enter a day like 2026-03-02.')
    .refine((d) => d >= today, 'That day is over: its plan can no longer be changed.')
    .refine((d) => d <= DateTime.fromISO(today).plus({ days: MAX_DAYS_AHEAD }).toISODate()!, 'Choose a day within a year from today.');

const Times = {
  start: wallClock('Enter a start time, like 07:00.'),
  end: wallClock('Enter an end time, like 15:00.'),
};

/** The end after the start, as wall-clock text (a shift does not run past midnight). */
function endAfterStart(v: { start: string; end: string }, ctx: z.RefinementCtx) {
  if (v.end <= v.start) ctx.addIssue({ code: 'custom', path: ['end'], message: 'The end must be after the start.' });
}

/** A break: both times or neither, inside the shift. */
function breakInside(v: { start: string; end: string; breakStart: string; breakEnd: string }, ctx: z.RefinementCtx) {
  if (!v.breakStart && !v.breakEnd) return;
  if (!v.breakStart || !v.breakEnd) {
    ctx.addIssue({ code: 'custom', path: [v.breakStart ? 'breakEnd' : 'breakStart'], message: 'Give both the start and the end of the break, or neither.' });
    return;
  }
  if (v.breakEnd <= v.breakStart) ctx.addIssue({ code: 'custom', path: ['breakEnd'], message: 'The break must end after it starts.' });
  else if (v.breakStart < v.start || v.breakEnd > v.end) ctx.addIssue({ code: 'custom', path: ['breakStart'], message: 'The break must lie inside the shift.' });
}

const Override = z.object({
  override: checkbox(),
  overrideReason: z
    .string()
    .optional()
    .transform((v) => (v ?? '').trim()),
});

const SHIFT_FIELDS = ['day', 'personId', 'roomId', 'start', 'end', 'breakStart', 'breakEnd'] as const;

export function planRoutes(deps: Deps, hub: EventHub): Router {
  const { db, clock, log } = deps;
  const router = Router();
  const base = (member: CenterMember) => `/centers/${member.center.id}`;

  const renderDay = async (req: Request, res: Response, status: number, day: string, extra: Parameters<typeof dayPageModel>[4] = {}) => {
    const member = memberOf(req);
    const flash = req.session.flash;
    if (flash) delete req.session.flash;
    res.status(status).render('plan/day', { ...(await dayPageModel(db, member, clock.now(), day, extra)), flash });
  };

  const keep = (req: Request, fields: readonly string[]) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    return Object.fromEntries(fields.map((f) => [f, typeof body[f] === 'string' ? (body[f] as string).trim() : '']));
  };

  /** A form that came back wrong: the day's page with the message next to each field, nothing stored. */
  const invalid = (req: Request, res: Response, day: string, form: string, fields: readonly string[], errors: FieldErrors) => renderDay(req, res, 422, day, { failed: { form, values: keep(req, fields), errors } satisfies Failed });

  const goBack = (req: Request, res: Response, day: string, roomId: string | null, message: string) => {
    req.session.flash = { message, tone: 'ok' };
    res.redirect(303, `${dayHref(`${base(memberOf(req))}/plan`, day, today(memberOf(req)))}${roomId ? `#room-${roomId}` : ''}`);
  };

  const today = (member: CenterMember) => dayOf(member.center, clock.now());

  /**
   * Saves one change of a day's plan in one transaction: the forecast of the rooms it
   * touches before and after, the change, its audit entry and, when the change makes
   * the plan breach and the director overrode, the override and its audit entry. A
   * breaching change without an override is rolled back and the director is asked.
   */
  const saveChange = async (
    req: Request,
    res: Response,
    c: {
      day: string;
      roomIds: readonly string[];
      change: string;
      fields: readonly string[];
      apply: (trx: Knex.Transaction) => Promise<{ action: string; recordType: string; recordId: string; shiftId: string | null; after: Record<string, unknown>; before?: Record<string, unknown> }>;
    },
  ) => {
    const member = memberOf(req);
    const now = clock.now();
    const override = Override.parse(req.body ?? {});
    const reasonError =
      override.override && override.overrideReason.length < 3
        ? 'Say in a few words why this plan is acceptable.'
        : override.overrideReason.length > 200
          ? 'Use at most 200 characters.'
          : undefined;
    const overriding = override.override && reasonError === undefined;
    // New breach time without the director's override refuses: the change is undone and the override asked for.
    const saved = await attempt<void, readonly string[]>(db, async (trx) => {
      // The day's plan made first if it is not yet (the change may be to one of its shifts), and undone with a refused change.
      await ensureDayPlan(trx, member.center, c.day, now);
      const before = await forecastCenter(trx, member.center, now, { day: c.day, roomIds: c.roomIds });
      const done = await c.apply(trx);
      // Audited before the forecast after it: the entry moves the setup head, so the forecast reads the changed
      // shifts, not the ones kept from before (db/freshness.ts). A refusal below rolls both back.
      await appendAudit(trx, { ...actedBy(member, now), action: done.action, recordType: done.recordType, recordId: done.recordId, before: done.before ?? null, after: done.after });
      const after = await forecastCenter(trx, member.center, now, { day: c.day, roomIds: c.roomIds });
      const breaches = newBreaches(before, after);
      if (breaches.length > 0 && !overriding) refuse(breaches);
      if (breaches.length > 0) {
        const overrideId = await recordPlanOverride(trx, { centerId: member.center.id, day: c.day, change: c.change, shiftId: done.shiftId, breaches, reason: override.overrideReason, userId: member.userId }, now);
        await appendAudit(trx, { ...actedBy(member, now), action: 'plan_override.recorded', recordType: 'plan_override', recordId: overrideId, after: { day: c.day, change: c.change, breaches, reason: override.overrideReason } });
      }
    });
    if (!saved.ok) {
      const warning: Warning = {
        action: req.originalUrl.split('?')[0]!,
        // With the day: a shift of a plan not made yet is found by it when the form comes back (shiftOf).
        fields: Object.entries(keep(req, [...new Set([...c.fields, 'day'])])).map(([name, value]) => ({ name, value })),
        change: c.change,
        breaches: saved.error,
        reason: override.overrideReason,
        error: override.override ? reasonError : undefined,
      };
      return renderDay(req, res, 409, c.day, { warning });
    }
    if (c.day === dayOf(member.center, now)) await publishRooms(req.app, db, hub, log, member.center, now, c.roomIds);
    goBack(req, res, c.day, c.roomIds[0] ?? null, `Saved: ${c.change}.`);
  };

  /** The person's other planned shifts that day (those of its plan if not made yet too) overlapping [start, end), in words, or null. */
  const overlapping = async (member: CenterMember, day: string, personId: string, start: number, end: number, except?: string) => {
    const [stored, unmade] = await Promise.all([listShiftsForDay(db, member.center.id, day), unmadeDayPlan(db, member.center, day, clock.now())]);
    const shifts = [...stored, ...(unmade ?? [])].filter((s) => s.personId === personId && s.id !== except);
    const hit = shifts.find((s) => Date.parse(s.startsAt) < end && Date.parse(s.endsAt) > start);
    if (!hit) return null;
    const room = await findOpenRoomInCenter(db, member.center.id, hit.roomId);
    return `already has a shift ${rangeText(hit.startsAt, hit.endsAt, member.center.timeZone)} in ${room?.name ?? 'another room'} that day`;
  };

  /**
   * A shift of a day whose plan is not made yet, as the plan will have it: the day's page
   * shows that plan with the ids its shifts get when it is made (services/day-plan.ts),
   * and its forms send the day in a hidden field. Nothing is stored here: the change
   * makes the plan in its own transaction (saveChange), so a refused one stores nothing.
   */
  const unmadeShiftOf = async (req: Request, match: (s: Shift) => boolean): Promise<Shift | undefined> => {
    const member = memberOf(req);
    const day = plannableDay(today(member)).safeParse((req.body as Record<string, unknown> | undefined)?.day);
    if (!day.success) return undefined;
    return (await unmadeDayPlan(db, member.center, day.data, clock.now()))?.find(match);
  };

  /** The center's planned shift in the path (or of the plan not made yet its form names); 404 otherwise (another center's id too). */
  const shiftOf = async (req: Request): Promise<Shift> => {
    const member = memberOf(req);
    const shiftId = idIn(req.params.shiftId);
    const shift = shiftId ? ((await findShiftInCenter(db, member.center.id, shiftId)) ?? (await unmadeShiftOf(req, (s) => s.id === shiftId))) : undefined;
    if (!shift) throw new NotFound('shift');
    return shift;
  };

  // ---------------------------------------------------------------- pages

  router.get('/centers/:centerId/plan', guard(deps, 'plan.view'), async (req, res) => {
    const member = memberOf(req);
    const { day, error } = dayToShow(req.query.day, today(member));
    await renderDay(req, res, error ? 422 : 200, day, { dayError: error });
  });

  router.get('/centers/:centerId/rooms/:roomId/plan', guard(deps, 'plan.view'), async (req, res) => {
    const member = memberOf(req);
    const roomId = idIn(req.params.roomId);
    const room = roomId ? await findOpenRoomInCenter(db, member.center.id, roomId) : undefined;
    if (!room) throw new NotFound('room');
    const { day, error } = dayToShow(req.query.day, today(member));
    res.status(error ? 422 : 200).render('plan/room', await roomPlanModel(db, member, room, clock.now(), day, error));
  });

  // ---------------------------------------------------------------- shifts

  router.post('/centers/:centerId/plan/shifts', guard(deps, 'plan.update'), async (req, res) => {
    const member = memberOf(req);
    const zone = member.center.timeZone;
    const Form = z
      .object({
        day: plannableDay(today(member)),
        personId: idField('Choose a person.'),
        roomId: idField('Choose a room.'),
        ...Times,
        breakStart: optionalClock(),
        breakEnd: optionalClock(),
      })
      .superRefine(endAfterStart)
      .superRefine(breakInside);
    const parsed = Form.safeParse(req.body ?? {});
    if (!parsed.success) {
      const errors = fieldErrors(parsed.error);
      // A day that cannot be planned is told on today's plan, where the form is.
      const shownDay = errors.day ? today(member) : String(req.body.day).trim();
      return invalid(req, res, shownDay, 'add', SHIFT_FIELDS, errors);
    }
    const f = parsed.data;
    const [person, room] = await Promise.all([findCurrentPersonInCenter(db, member.center.id, f.personId), findOpenRoomInCenter(db, member.center.id, f.roomId)]);
    const errors: FieldErrors = {};
    if (!person) errors.personId = 'Choose a person.';
    if (!room) errors.roomId = 'Choose a room.';
    const startsAt = instantOnDay(f.day, f.start, zone);
    const endsAt = instantOnDay(f.day, f.end, zone);
    if (!(startsAt < endsAt)) errors.end = 'The end must be after the start (the clocks change that day).';
    if (person && !errors.end) {
      const clash = await overlapping(member, f.day, person.id, startsAt, endsAt);
      if (clash) errors.start = `${person.displayName} ${clash}.`;
    }
    if (Object.keys(errors).length > 0 || !person || !room) return invalid(req, res, f.day, 'add', SHIFT_FIELDS, errors);
    const breaks = f.breakStart ? [{ startsAt: new Date(instantOnDay(f.day, f.breakStart, zone)), endsAt: new Date(instantOnDay(f.day, f.breakEnd, zone)) }] : [];
    const change = `shift added: ${person.displayName}, ${room.name} ${rangeText(f.start, f.end)}${f.breakStart ? ` with a break ${rangeText(f.breakStart, f.breakEnd)}` : ''}`;
    await saveChange(req, res, {
      day: f.day,
      roomIds: [room.id],
      change,
      fields: SHIFT_FIELDS,
      apply: async (trx) => {
        const shiftId = await insertShift(
          trx,
          { centerId: member.center.id, roomId: room.id, personId: person.id, day: f.day, startsAt: new Date(startsAt), endsAt: new Date(endsAt), source: 'plan', breaks, createdByUserId: member.userId },
          clock.now(),
        );
        return {
          action: 'shift.added',
          recordType: 'shift',
          recordId: shiftId,
          shiftId,
          after: { day: f.day, personId: person.id, roomId: room.id, start: f.start, end: f.end, breakStart: f.breakStart || null, breakEnd: f.breakEnd || null },
        };
      },
    });
  });

  router.post('/centers/:centerId/plan/shifts/:shiftId/edit', guard(deps, 'plan.update'), async (req, res) => {
    const member = memberOf(req);
    const zone = member.center.timeZone;
    const shift = await shiftOf(req);
    const form = `edit:${shift.id}`;
    const fields = ['roomId', 'start', 'end'];
    if (shift.cancelledAt !== null) return goBack(req, res, shift.day, shift.roomId, 'That shift was cancelled: add a new one instead.');
    if (shift.day < today(member)) return invalid(req, res, shift.day, form, fields, { start: 'That day is over: its plan can no longer be changed.' });
    const parsed = z
      .object({ roomId: idField('Choose a room.'), ...Times })
      .superRefine(endAfterStart)
      .safeParse(req.body ?? {});
    if (!parsed.success) return invalid(req, res, shift.day, form, fields, fieldErrors(parsed.error));
    const f = parsed.data;
    const room = await findOpenRoomInCenter(db, member.center.id, f.roomId);
    const errors: FieldErrors = {};
    if (!room) errors.roomId = 'Choose a room.';
    const startsAt = instantOnDay(shift.day, f.start, zone);
    const endsAt = instantOnDay(shift.day, f.end, zone);
    if (!(startsAt < endsAt)) errors.end = 'The end must be after the start (the clocks change that day).';
    const outside = shift.breaks.find((b) => Date.parse(b.startsAt) < startsAt || Date.parse(b.endsAt) > endsAt);
    if (outside) errors.start = `Its break ${rangeText(outside.startsAt, outside.endsAt, zone)} would fall outside these times: remove the break first.`;
    const person = await findCurrentPersonInCenter(db, member.center.id, shift.personId);
    const name = person?.displayName ?? 'This person';
    if (!errors.start && !errors.end) {
      const clash = await overlapping(member, shift.day, shift.personId, startsAt, endsAt, shift.id);
      if (clash) errors.start = `${name} ${clash}.`;
    }
    if (Object.keys(errors).length > 0 || !room) return invalid(req, res, shift.day, form, fields, errors);
    const oldStart = clockTime(shift.startsAt, zone);
    const oldEnd = clockTime(shift.endsAt, zone);
    const oldRoom = await findOpenRoomInCenter(db, member.center.id, shift.roomId);
    const change = `shift changed: ${name}, ${oldRoom?.name ?? 'a room'} ${rangeText(oldStart, oldEnd)} to ${room.name} ${rangeText(f.start, f.end)}`;
    await saveChange(req, res, {
      day: shift.day,
      roomIds: [...new Set([shift.roomId, room.id])],
      change,
      fields,
      apply: async (trx) => {
        await changeShift(trx, member.center.id, shift.id, { roomId: room.id, startsAt: new Date(startsAt), endsAt: new Date(endsAt) });
        return {
          action: 'shift.changed',
          recordType: 'shift',
          recordId: shift.id,
          shiftId: shift.id,
          before: { roomId: shift.roomId, start: oldStart, end: oldEnd },
          after: { roomId: room.id, start: f.start, end: f.end },
        };
      },
    });
  });

  router.post('/centers/:centerId/plan/shifts/:shiftId/cancellation', guard(deps, 'plan.update'), async (req, res) => {
    const member = memberOf(req);
    const zone = member.center.timeZone;
    const shift = await shiftOf(req);
    if (shift.cancelledAt !== null) return goBack(req, res, shift.day, shift.roomId, 'That shift was already cancelled.');
    if (shift.day < today(member)) return invalid(req, res, shift.day, `edit:${shift.id}`, [], { start: 'That day is over: its plan can no longer be changed.' });
    const [person, room] = await Promise.all([findCurrentPersonInCenter(db, member.center.id, shift.personId), findOpenRoomInCenter(db, member.center.id, shift.roomId)]);
    const change = `shift cancelled: ${person?.displayName ?? 'someone'}, ${room?.name ?? 'a room'} ${rangeText(shift.startsAt, shift.endsAt, zone)}`;
    await saveChange(req, res, {
      day: shift.day,
      roomIds: [shift.roomId],
      change,
      fields: [],
      apply: async (trx) => {
        await cancelShift(trx, member.center.id, shift.id, member.userId, clock.now());
        return { action: 'shift.cancelled', recordType: 'shift', recordId: shift.id, shiftId: shift.id, before: { cancelled: false }, after: { cancelled: true } };
      },
    });
  });

  router.post('/centers/:centerId/plan/shifts/:shiftId/breaks', guard(deps, 'plan.update'), async (req, res) => {
    const member = memberOf(req);
    const zone = member.center.timeZone;
    const shift = await shiftOf(req);
    const form = `break:${shift.id}`;
    const fields = ['start', 'end'];
    if (shift.cancelledAt !== null) return goBack(req, res, shift.day, shift.roomId, 'That shift was cancelled.');
    if (shift.day < today(member)) return invalid(req, res, shift.day, form, fields, { start: 'That day is over: its plan can no longer be changed.' });
    const parsed = z
      .object({ start: wallClock('Enter when the break starts, like 11:30.'), end: wallClock('Enter when the break ends, like 12:00.') })
      .superRefine(endAfterStart)
      .safeParse(req.body ?? {});
    if (!parsed.success) return invalid(req, res, shift.day, form, fields, fieldErrors(parsed.error));
    const f = parsed.data;
    const startsAt = instantOnDay(shift.day, f.start, zone);
    const endsAt = instantOnDay(shift.day, f.end, zone);
    const errors: FieldErrors = {};
    if (!(startsAt < endsAt)) errors.end = 'The break must end after it starts (the clocks change that day).';
    else if (startsAt < Date.parse(shift.startsAt) || endsAt > Date.parse(shift.endsAt)) errors.start = `The break must lie inside the shift (${rangeText(shift.startsAt, shift.endsAt, zone)}).`;
    else if (shift.breaks.some((b) => Date.parse(b.startsAt) < endsAt && Date.parse(b.endsAt) > startsAt)) errors.start = 'This break overlaps another break of the shift.';
    if (Object.keys(errors).length > 0) return invalid(req, res, shift.day, form, fields, errors);
    const [person, room] = await Promise.all([findCurrentPersonInCenter(db, member.center.id, shift.personId), findOpenRoomInCenter(db, member.center.id, shift.roomId)]);
    const change = `break added: ${person?.displayName ?? 'someone'}, ${room?.name ?? 'a room'} ${rangeText(f.start, f.end)}`;
    await saveChange(req, res, {
      day: shift.day,
      roomIds: [shift.roomId],
      change,
      fields,
      apply: async (trx) => {
        const breakId = await addShiftBreak(trx, shift.id, new Date(startsAt), new Date(endsAt));
        return { action: 'shift_break.added', recordType: 'shift_break', recordId: breakId, shiftId: shift.id, after: { shiftId: shift.id, start: f.start, end: f.end } };
      },
    });
  });

  router.post('/centers/:centerId/plan/breaks/:breakId/removal', guard(deps, 'plan.update'), async (req, res) => {
    const member = memberOf(req);
    const zone = member.center.timeZone;
    const breakId = idIn(req.params.breakId);
    const stored = breakId ? await findShiftBreakInCenter(db, member.center.id, breakId) : undefined;
    const unmade = breakId && !stored ? await unmadeShiftOf(req, (s) => s.breaks.some((b) => b.id === breakId)) : undefined;
    const found = stored ?? unmade?.breaks.find((b) => b.id === breakId);
    if (!found) throw new NotFound('break');
    const shift = (await findShiftInCenter(db, member.center.id, found.shiftId)) ?? (unmade?.id === found.shiftId ? unmade : undefined);
    if (!shift) throw new NotFound('shift');
    if (shift.day < today(member)) return invalid(req, res, shift.day, `break:${shift.id}`, [], { start: 'That day is over: its plan can no longer be changed.' });
    const person = await findCurrentPersonInCenter(db, member.center.id, shift.personId);
    const times = rangeText(found.startsAt, found.endsAt, zone);
    await saveChange(req, res, {
      day: shift.day,
      roomIds: [shift.roomId],
      change: `break removed: ${person?.displayName ?? 'someone'} ${times}`,
      fields: [],
      apply: async (trx) => {
        await deleteShiftBreak(trx, found.id);
        return { action: 'shift_break.removed', recordType: 'shift_break', recordId: found.id, shiftId: shift.id, before: { shiftId: shift.id, times }, after: { removed: true } };
      },
    });
  });

  // ---------------------------------------------------------------- absences

  router.post('/centers/:centerId/children/:childId/absences', guard(deps, 'absence.change'), async (req, res) => {
    const member = memberOf(req);
    const childId = idIn(req.params.childId);
    const child = childId ? await findCurrentChildInCenter(db, member.center.id, childId) : undefined;
    if (!child) throw new NotFound('child');
    const now = clock.now();
    const todayNow = dayOf(member.center, now);
    const parsed = z.object({ day: plannableDay(todayNow) }).safeParse(req.body ?? {});
    if (!parsed.success) return invalid(req, res, todayNow, 'absence', ['day'], { day: fieldErrors(parsed.error).day ?? 'Choose a day.' });
    const { day } = parsed.data;
    if (day === todayNow && (await findOpenPresence(db, 'child', member.center.id, child.id))) {
      return invalid(req, res, day, 'absence', ['day'], { day: `${child.displayName} is checked in: check them out on the room page instead.` });
    }
    const marked = await db.transaction(async (trx) => {
      const result = await markChildAbsent(trx, { centerId: member.center.id, childId: child.id, day, userId: member.userId }, now);
      if (result.ok) await appendAudit(trx, { ...actedBy(member, now), action: 'child_absence.marked', recordType: 'child_absence', recordId: result.id, after: { childId: child.id, day } });
      return result;
    });
    if (marked.ok && day === todayNow && child.homeRoomId) await publishRooms(req.app, db, hub, log, member.center, now, [child.homeRoomId]);
    goBack(req, res, day, child.homeRoomId, marked.ok ? `${child.displayName} is marked absent.` : `${child.displayName} was already marked absent.`);
  });

  router.post('/centers/:centerId/absences/:absenceId/removal', guard(deps, 'absence.change'), async (req, res) => {
    const member = memberOf(req);
    const absenceId = idIn(req.params.absenceId);
    const absence = absenceId ? await findAbsenceInCenter(db, member.center.id, absenceId) : undefined;
    if (!absence) throw new NotFound('absence');
    const now = clock.now();
    const child = await findCurrentChildInCenter(db, member.center.id, absence.childId);
    await db.transaction(async (trx) => {
      if (await removeAbsence(trx, member.center.id, absence.id)) {
        await appendAudit(trx, { ...actedBy(member, now), action: 'child_absence.removed', recordType: 'child_absence', recordId: absence.id, before: { childId: absence.childId, day: absence.day }, after: { removed: true } });
      }
    });
    if (absence.day === dayOf(member.center, now) && child?.homeRoomId) await publishRooms(req.app, db, hub, log, member.center, now, [child.homeRoomId]);
    goBack(req, res, absence.day, child?.homeRoomId ?? null, `${child?.displayName ?? 'The child'} is expected again.`);
  });

  return router;
}
