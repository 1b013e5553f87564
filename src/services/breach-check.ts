import type { CenterForecast } from './center-forecast.js';
import { breachLine, breachWindows } from '../words/plan.js';

/**
 * The check a day's plan change passes before it is saved: the forecast of the rooms
 * it touches, before and after the change (in the same transaction), compared from
 * now on. A change that adds breach time anywhere (a new window, or a longer one)
 * needs the director's explicit override; one that leaves a breach as it was, or
 * shortens it, does not (adding half the cover a room lacks is an improvement).
 * Without the override the change refuses with these lines (services/refusal.ts).
 */

type Span = { start: number; end: number };

/**
 * The breach windows of `after` (from `now` on, room by room) that hold breach time
 * `before` did not have, in words: "15:00–17:30 Infants: out of ratio: needs …".
 */
export function newBreaches(before: CenterForecast, after: CenterForecast): string[] {
  const now = after.now;
  const lines: string[] = [];
  for (const [roomId, view] of after.rooms) {
    const old: Span[] = [];
    const was = before.rooms.get(roomId);
    if (was) for (const w of breachWindows(was.forecast)) old.push({ start: w.start, end: w.end });
    for (const w of breachWindows(view.forecast)) {
      const from = Math.max(w.start, now);
      if (from >= w.end) continue; // over already: no plan change can undo it
      if (uncovered({ start: from, end: w.end }, old) > 0) lines.push(breachLine(after.pack, view.room.name, w, after.day, after.zone));
    }
  }
  return lines;
}

/** How much of `span` no window of `by` covers (ms). */
function uncovered(span: Span, by: readonly Span[]): number {
  let left = span.end - span.start;
  for (const w of by) {
    const start = Math.max(span.start, w.start);
    const end = Math.min(span.end, w.end);
    if (start < end) left -= end - start;
  }
  return left;
}
