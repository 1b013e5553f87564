import type { PersonLabel } from './types.js';
import { sliceAt, withoutPerson, type SearchContext } from './judging.js';

/**
 * What is true of a person now, for the panel (the first that holds):
 * - in a room now: `needed_in` that room when it would breach without them now,
 *   else `in_room_now` (the need's own room included);
 * - on a planned break now: `on_break_until` its end;
 * - a shift in another room overlapping the need's window: `scheduled_elsewhere`;
 * - `pending` when given (a training awaiting review keeps them from counting);
 * - else `free`.
 */
export function labelOf(ctx: SearchContext, personId: string, now: number, pending: PersonLabel | null = null): PersonLabel {
  const places = ctx.places.get(personId) ?? [];
  const { need } = ctx.input;
  for (const place of places) {
    const slice = sliceAt(place.room, now);
    if (!slice || !slice.group.people.includes(place.day)) continue;
    const room = place.room.room.id;
    if (room !== need.room && !ctx.judge(withoutPerson(slice.group, place.day), now).compliant) return { code: 'needed_in', params: { room } };
    return { code: 'in_room_now', params: { room } };
  }
  for (const place of places) {
    const onShift = place.day.shifts.some((s) => s.start <= now && now < s.end);
    const onBreak = (place.day.breaks ?? []).find((b) => b.start <= now && now < b.end);
    if (onShift && onBreak) return { code: 'on_break_until', params: { room: place.room.room.id, until: onBreak.end } };
  }
  for (const place of places) {
    if (place.room.room.id === need.room) continue;
    const clash = place.day.shifts.find((s) => s.start < need.end && need.start < s.end);
    if (clash) return { code: 'scheduled_elsewhere', params: { room: place.room.room.id, start: clash.start, end: clash.end } };
  }
  return pending ?? { code: 'free', params: {} };
}

/** The instant labels describe: the input's `now`, else the need room's `asOf`, else the need's start. */
export function nowOf(ctx: SearchContext): number {
  const { input } = ctx;
  return input.now ?? ctx.rooms.get(input.need.room)?.room.day.asOf ?? input.need.start;
}
