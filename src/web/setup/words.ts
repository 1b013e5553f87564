import type { SetupGap } from '../../services/setup-gaps.js';
import { WEEKDAYS } from '../labels.js';

/** One line of "what is still missing": the sentence, and where it is fixed. */
export type GapLine = { readonly code: SetupGap['code']; readonly text: string; readonly href: string; readonly linkText: string };

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** "Toddlers", "Toddlers and Infants", "Toddlers, Infants and Preschool". */
export function listText(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** ISO weekdays as words: "Mondays", "Mondays to Fridays", "Mondays, Wednesdays and Saturdays". */
export function weekdaysText(weekdays: readonly number[]): string {
  const names = (d: number) => `${WEEKDAYS.find((w) => w.weekday === d)!.label}s`;
  const runs: number[][] = [];
  for (const d of [...weekdays].sort((a, b) => a - b)) {
    const last = runs[runs.length - 1];
    if (last && last[last.length - 1] === d - 1) last.push(d);
    else runs.push([d]);
  }
  const parts = runs.flatMap((run) => (run.length >= 3 ? [`${names(run[0]!)} to ${names(run[run.length - 1]!)}`] : run.map(names)));
  return listText(parts);
}

/** Short form for a summary: "Mon–Fri", "Mon–Sat", "Mon, Wed". */
export function weekdaysShort(weekdays: readonly number[]): string {
  const short = (d: number) => WEEKDAYS.find((w) => w.weekday === d)!.short;
  const sorted = [...weekdays].sort((a, b) => a - b);
  const consecutive = sorted.every((d, i) => i === 0 || d === sorted[i - 1]! + 1);
  if (sorted.length >= 3 && consecutive) return `${short(sorted[0]!)}–${short(sorted[sorted.length - 1]!)}`;
  return sorted.map(short).join(', ');
}

/** The sentence for a gap and the page that fixes it. */
export function gapLine(gap: SetupGap, centerId: string): GapLine {
  const base = `/centers/${centerId}`;
  const line = (text: string, href: string, linkText: string): GapLine => ({ code: gap.code, text, href, linkText });
  switch (gap.code) {
    case 'no_rooms':
      return line('No rooms yet: the board has nothing to judge.', `${base}/rooms/new?next=setup`, 'Add a room');
    case 'no_children':
      return line('No children on file yet.', `${base}/import`, 'Import children');
    case 'no_staff':
      return line('No staff on file yet: nobody can count toward ratio.', `${base}/import`, 'Import people');
    case 'rooms_without_children': {
      const n = gap.params.rooms.length;
      return line(`${plural(n, 'room has', 'rooms have')} no children: ${listText(gap.params.rooms.map((r) => r.name))}.`, `${base}/children`, 'Children');
    }
    case 'rooms_without_usual_staff': {
      const n = gap.params.rooms.length;
      return line(
        `${plural(n, 'room has', 'rooms have')} no usual staff on ${weekdaysText(gap.params.weekdays)}: ${listText(gap.params.rooms.map((r) => r.name))}.`,
        `${base}/schedules`,
        'The usual week',
      );
    }
    case 'children_without_days':
      return line(`${plural(gap.params.count, 'child has', 'children have')} no usual days: the forecast does not expect them.`, `${base}/children`, 'Children');
    case 'trainings_awaiting_review':
      return line(
        `${plural(gap.params.records, 'training record awaits', 'training records await')} review (${plural(gap.params.people, 'person', 'people')}): until verified, they do not count.`,
        `${base}/volunteers?filter=awaiting`,
        'Review them',
      );
    case 'plan_behind_usual_week': {
      const parts = [gap.params.add > 0 ? `${plural(gap.params.add, 'shift', 'shifts')} to add` : '', gap.params.cancel > 0 ? `${plural(gap.params.cancel, 'shift', 'shifts')} to cancel` : ''].filter(Boolean);
      return line(`Today's plan was made before these changes to the usual week (${parts.join(', ')}): the board does not expect them.`, `${base}/schedules#today`, 'Apply the usual week to today');
    }
    case 'staff_without_level':
      return line(
        `${plural(gap.params.count, 'staff member has', 'staff members have')} no qualification level: under ${gap.params.packName}'s rules they count toward ratio only at a level they hold.`,
        `${base}/people`,
        'People',
      );
  }
}
