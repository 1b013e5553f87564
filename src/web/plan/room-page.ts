import type { Knex } from 'knex';
import type { CenterMember } from '../../db/memberships.js';
import type { Room } from '../../db/rows.js';
import { forecastRoomDay, type RoomDay } from '../../domain/forecast.js';
import { can } from '../auth/policy.js';
import { ACTIVITY_WORDS, PERSON_ROLE_WORDS, statusLook } from '../board/card.js';
import { categoryWords, forecastCenter } from '../../services/center-forecast.js';
import { dayHref, dayLinks, dayTitle, SOURCE_WORDS } from './day-page.js';
import { dayOf, instantOnDay } from '../../services/day-plan.js';
import { timelineOf } from './timeline.js';
import { clockTime, rangeText } from '../../words/format.js';
import { needWords } from '../../words/plan.js';

/**
 * One room's day: the timeline (inline SVG, see timeline.ts) and, under it, the
 * same day as a table of intervals, so nothing rests on the picture alone; then
 * the shifts planned in the room.
 */
export async function roomPlanModel(db: Knex, member: CenterMember, room: Room, now: Date, day: string, dayError?: string) {
  const { center } = member;
  const zone = center.timeZone;
  const f = await forecastCenter(db, center, now, { day, roomIds: [room.id] });
  const view = f.rooms.get(room.id);
  if (!view) throw new Error(`room ${room.id} not forecast`);
  const { forecast, input } = view;

  // The plan alone: shifts and breaks from the start of the day, no recorded presence of staff.
  const planOnly: RoomDay = { ...input.roomDay, asOf: f.dayStart, people: input.roomDay.people.map((p) => ({ ...p, presences: [] })) };
  const planned = forecastRoomDay(f.pack, planOnly, zone, day);

  const timeline = timelineOf({
    pack: f.pack,
    roomName: room.name,
    day,
    dayLabel: dayTitle(day),
    zone,
    now: f.now,
    dayStart: f.dayStart,
    dayEnd: f.dayEnd,
    opens: instantOnDay(day, center.opensAt, zone),
    closes: instantOnDay(day, center.closesAt, zone),
    forecast,
    planned,
    naps: input.roomDay.naps ?? [],
  });

  const bandLabel = (id: string) => f.pack.bands.find((b) => b.id === id)?.label ?? id;
  const rows = forecast.intervals.map((i) => {
    const needs = forecast.coverNeeds.filter((n) => n.start < i.end && n.end > i.start);
    const when = i.end <= f.now ? 'recorded' : i.start >= f.now ? 'planned' : 'recorded, then planned';
    return {
      from: clockTime(i.start, zone, { on: day }),
      to: clockTime(i.end, zone, { on: day }),
      when,
      activity: ACTIVITY_WORDS[i.activity],
      children:
        i.children === 0
          ? 'none'
          : Object.entries(i.byCategory)
              .filter(([, n]) => n > 0)
              .map(([id, n]) => {
                const words = categoryWords(bandLabel(id));
                return `${n} ${n === 1 ? words.one : words.many}`;
              })
              .join(', '),
      required: i.requiredStaff,
      counted: i.countedStaff,
      status: statusLook(i.status),
      need: needs.map((n) => `${rangeText(n.start, n.end, zone, { on: day })}: ${needWords(f.pack, n)}`).join('; '),
    };
  });

  const base = `/centers/${center.id}`;
  const shifts = input.people
    .flatMap((p) => p.shifts.map((s) => ({ s, p })))
    .sort((a, b) => a.s.startsAt.localeCompare(b.s.startsAt))
    .map(({ s, p }) => ({
      name: p.person.displayName,
      role: PERSON_ROLE_WORDS[p.person.role] ?? p.person.role,
      times: rangeText(s.startsAt, s.endsAt, zone),
      breaks: s.breaks.map((b) => rangeText(b.startsAt, b.endsAt, zone)).join(', '),
      source: SOURCE_WORDS[s.source] ?? s.source,
    }));

  return {
    title: `${room.name}: plan for ${dayTitle(day)}`,
    room: { id: room.id, name: room.name, href: `${base}/rooms/${room.id}` },
    day,
    dayTitle: dayTitle(day),
    dayError,
    zone,
    action: `${base}/rooms/${room.id}/plan`,
    dayLinks: dayLinks(`${base}/rooms/${room.id}/plan`, dayOf(center, now), day),
    centerPlan: `${dayHref(`${base}/plan`, day, dayOf(center, now))}#room-${room.id}`,
    canEdit: can(member, 'plan.update'),
    boardLink: can(member, 'board.view') ? `${base}/board` : null,
    flag: view.flagText,
    next: view.nextChange,
    timeline,
    rows,
    shifts,
    naps: input.naps.map((n) => rangeText(n.start, n.end)),
  };
}
