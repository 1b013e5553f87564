import { Router } from 'express';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { findOpenRoomInCenter } from '../../db/center-state.js';
import { listStatusIntervals } from '../../db/status-history.js';
import { isBreach, isRoomStatus } from '../../domain/status.js';
import { instantOfWallClock, wallClockRepeats } from '../../domain/wall-clock.js';
import type { Deps } from '../deps.js';
import { memberOf } from '../auth/current.js';
import { guard } from '../auth/guard.js';
import { packOf } from '../../services/center-pack.js';
import { statusLook } from '../board/card.js';
import { NotFound } from '../errors.js';
import { childrenCell, figuresSentence, groupSizeCell, staffCell } from './figures.js';
import { clockTime, dateText } from '../../words/format.js';
import { idIn } from '../ids.js';

const Query = z.object({
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter a date as YYYY-MM-DD.')
    .refine((d) => DateTime.fromISO(d).isValid, 'That date does not exist.')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  at: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Enter a time as HH:mm, for example 10:40.')
    .optional()
    .or(z.literal('').transform(() => undefined)),
});


/**
 * A room's compliance history for one day in the center's zone: the intervals with
 * their status, cause and figures, and the answer to "was it in ratio at HH:mm, and
 * with how many children?" from the one interval holding that instant. Reads only.
 */
export function historyRoutes(deps: Deps): Router {
  const { db, clock } = deps;
  const router = Router();

  router.get('/centers/:centerId/rooms/:roomId/history', guard(deps, 'room_history.view'), async (req, res) => {
    const member = memberOf(req);
    const zone = member.center.timeZone;
    const roomId = idIn(req.params.roomId);
    const room = roomId ? await findOpenRoomInCenter(db, member.center.id, roomId) : undefined;
    if (!room) throw new NotFound('room');

    const now = DateTime.fromJSDate(clock.now(), { zone });
    const parsed = Query.safeParse({ date: req.query.date, at: req.query.at });
    const errors: Record<string, string> = {};
    if (!parsed.success) for (const i of parsed.error.issues) errors[String(i.path[0])] ??= i.message;
    const date = (parsed.success && parsed.data.date) || now.toISODate()!;
    const at = parsed.success ? parsed.data.at : undefined;

    const dayStart = DateTime.fromISO(date, { zone }).startOf('day');
    const dayEnd = dayStart.plus({ days: 1 });
    const rows = await listStatusIntervals(db, member.center.id, room.id, dayStart.toJSDate(), dayEnd.toJSDate());
    // On the day the clocks go back an hour comes twice: its times say which (01:30 CDT, then 01:30 CST).
    const repeatsAnHour = dayEnd.diff(dayStart, 'hours').hours > 24;
    const time = (iso: string) => {
      const t = DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone);
      return t < dayStart || t >= dayEnd ? dateText(t, zone, { time: true, zoneName: repeatsAnHour }) : clockTime(t, zone, { zoneName: repeatsAnHour });
    };
    const look = (status: string) => (isRoomStatus(status) ? statusLook(status) : { code: status, words: status, icon: '?', tone: 'breach' as const, breach: true });
    const pack = packOf(member.center);
    const intervals = rows.map((r) => ({
      from: time(r.startedAt),
      to: r.endedAt ? time(r.endedAt) : 'now',
      status: look(r.status),
      cause: r.cause,
      staff: staffCell(r),
      children: childrenCell(pack, r),
      groupSize: groupSizeCell(r),
    }));

    let answer: { question: string; text: string; tone: string; note?: string } | null = null;
    if (at && !errors.date) {
      const first = instantOfWallClock(date, at, zone);
      const question = `Was ${room.name} in ratio at ${at} on ${dateText(dayStart, zone, { style: 'full' })}?`;
      if (first === null) {
        errors.at = `${at} does not exist on ${date} in ${zone}: the clocks moved forward.`;
      } else if (first > now.toMillis()) {
        answer = { question, text: 'That moment has not happened yet.', tone: 'info' };
      } else {
        // As the reports page does: of two occurrences the first, and the answer says so.
        const local = (ms: number) => clockTime(ms, zone, { zoneName: true });
        const note = wallClockRepeats(first, zone)
          ? `${at} happened twice that day (the clocks went back an hour): this is the first time, ${local(first)}; the table below shows the second, ${local(first + 3_600_000)}.`
          : undefined;
        const iso = new Date(first).toISOString();
        const hit = rows.find((r) => r.startedAt <= iso && (r.endedAt === null || r.endedAt > iso));
        if (!hit) {
          answer = { question, text: 'Nothing was recorded for this room at that moment: the board had not judged it yet.', tone: 'info', note };
        } else {
          const s = look(hit.status);
          const compliant = isRoomStatus(hit.status) && !isBreach(hit.status);
          answer = {
            question,
            text: `${compliant ? 'Yes' : 'No'}: ${s.icon} ${s.words}, from ${time(hit.startedAt)} to ${hit.endedAt ? time(hit.endedAt) : 'now'} (${hit.cause}); ${figuresSentence(pack, hit)}`,
            tone: s.tone,
            note,
          };
        }
      }
    }

    res.status(Object.keys(errors).length > 0 ? 422 : 200).render('history/show', {
      title: `${room.name}: history`,
      room: { name: room.name, href: `/centers/${member.center.id}/rooms/${room.id}` },
      action: `/centers/${member.center.id}/rooms/${room.id}/history`,
      date,
      at: at ?? (typeof req.query.at === 'string' ? req.query.at : ''),
      day: dateText(dayStart, zone, { style: 'full' }),
      zone,
      intervals,
      answer,
      errors,
    });
  });

  return router;
}
