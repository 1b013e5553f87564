import { personRealityAt, workingWindows, type RoomDay } from '../domain/forecast.js';
import { clockTime } from './format.js';
import type { CategoryLabel } from './plan.js';

/** A room's day with the names behind it: `people` and `children` parallel to the engine's lists. */
export type NamedRoomDay = {
  readonly roomDay: RoomDay;
  readonly people: readonly { readonly person: { readonly displayName: string } }[];
  readonly children: readonly { readonly category: CategoryLabel }[];
};

type Change = { readonly at: number; readonly order: number; readonly key: string; readonly text: (count: number) => string };

/**
 * The next two moments after `at` when someone is expected to come or go, in words:
 * people by name, children only counted by age category (the board never names a
 * child). Null when nothing more is planned that day.
 */
export function nextChangeWords(input: NamedRoomDay, at: number, dayEnd: number, day: string, zone: string, graceMinutes: number): string | null {
  const changes: Change[] = [];
  input.roomDay.people.forEach((p, i) => {
    const name = input.people[i]!.person.displayName;
    const breakStarts = new Set((p.breaks ?? []).map((b) => b.start));
    const breakEnds = new Set((p.breaks ?? []).map((b) => b.end));
    // Who is expected when, as reality allows the plan: someone who left or did not come is not "leaving at 12:10".
    const expected = input.roomDay.asOf == null ? workingWindows(p.shifts, p.breaks ?? []) : personRealityAt(p, at, graceMinutes, dayEnd).ahead;
    for (const w of expected) {
      if (w.start > at) changes.push({ at: w.start, order: 1, key: `p${i}s${w.start}`, text: () => `${name} ${breakEnds.has(w.start) ? 'is back from break' : 'arrives'}` });
      if (w.end > at && w.end < dayEnd) changes.push({ at: w.end, order: 0, key: `p${i}e${w.end}`, text: () => `${name} ${breakStarts.has(w.end) ? 'goes on break' : 'leaves'}` });
    }
  });
  input.roomDay.children.forEach((c, i) => {
    const label = input.children[i]!.category;
    const arrived = (c.checkedInAt ?? null) !== null;
    if ((c.checkedOutAt ?? null) !== null) return;
    if (!arrived && c.arrive > at) {
      changes.push({ at: c.arrive, order: 3, key: `arrive|${label.one}`, text: (n) => `${n} ${n === 1 ? label.one : label.many} ${n === 1 ? 'arrives' : 'arrive'}` });
    }
    const from = arrived ? c.checkedInAt! : Math.max(c.arrive, at);
    if (c.depart > at && c.depart > from && c.depart < dayEnd) {
      changes.push({ at: c.depart, order: 2, key: `leave|${label.one}`, text: (n) => `${n} ${n === 1 ? label.one : label.many} ${n === 1 ? 'leaves' : 'leave'}` });
    }
  });
  if (changes.length === 0) return null;
  changes.sort((a, b) => a.at - b.at || a.order - b.order);
  const moments = [...new Set(changes.map((c) => c.at))].slice(0, 2);
  const parts: string[] = [];
  for (const moment of moments) {
    const here = changes.filter((c) => c.at === moment);
    const grouped = new Map<string, { change: Change; count: number }>();
    for (const c of here) {
      const g = grouped.get(c.key);
      if (g) g.count += 1;
      else grouped.set(c.key, { change: c, count: 1 });
    }
    for (const { change, count } of grouped.values()) parts.push(`${change.text(count)} ${clockTime(moment, zone, { on: day })}`);
  }
  return parts.join('; ');
}
