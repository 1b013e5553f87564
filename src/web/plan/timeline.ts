import { DateTime } from 'luxon';
import type { ForecastInterval, RoomForecast, Window } from '../../domain/forecast.js';
import type { RulePack } from '../../domain/rule-pack.js';
import { clockTime, rangeText } from '../../words/format.js';
import { breachWindows, missingWords } from '../../words/plan.js';

/**
 * The geometry of a room's day as an inline SVG (drawn by views/plan/room.hbs):
 * counted staff against required staff as step lines over the hours of the day,
 * planned (the day's shifts and breaks alone) against actual (recorded presence up
 * to now), breach windows hatched and labelled, naps dotted and labelled, and the
 * current time marked. Readable without colour: each series has its own line
 * (thick, dashed, solid), each window its own pattern and a label, and a legend.
 * Time runs in real minutes, so a DST day is 23 or 25 hours wide.
 */

export const WIDTH = 960;
const LEFT = 48;
const RIGHT = 16;
const TOP = 56;
const PLOT_HEIGHT = 220;
const BOTTOM_AXIS = 28;
const LEGEND = 70;

export type TimelineInput = {
  readonly pack: RulePack;
  readonly roomName: string;
  readonly day: string;
  readonly dayLabel: string;
  readonly zone: string;
  /** Epoch ms. */
  readonly now: number;
  readonly dayStart: number;
  readonly dayEnd: number;
  /** The center's opening and closing on this day (epoch ms): the chart spans at least these. */
  readonly opens: number;
  readonly closes: number;
  /** What happened merged with the plan (asOf now). */
  readonly forecast: RoomForecast;
  /** The plan alone: shifts and breaks, no recorded presence of staff. */
  readonly planned: RoomForecast;
  readonly naps: readonly Window[];
};

export type Timeline = ReturnType<typeof timelineOf>;

export function timelineOf(input: TimelineInput) {
  const { forecast, planned, zone, day } = input;
  const starts = [input.opens, ...forecast.intervals.map((i) => i.start), ...planned.intervals.map((i) => i.start)];
  const ends = [input.closes, ...forecast.intervals.map((i) => i.end), ...planned.intervals.map((i) => i.end)];
  const from = Math.max(input.dayStart, floorHour(Math.min(...starts), zone));
  const to = Math.min(input.dayEnd, ceilHour(Math.max(...ends), zone));
  const span = Math.max(to - from, 60_000);
  const plotWidth = WIDTH - LEFT - RIGHT;
  const x = (t: number) => round(LEFT + ((Math.min(Math.max(t, from), to) - from) / span) * plotWidth);

  const values = [...forecast.intervals, ...planned.intervals].flatMap((i) => [i.requiredStaff, i.countedStaff]);
  const top = Math.max(2, ...values) + 1;
  const plotBottom = TOP + PLOT_HEIGHT;
  const y = (v: number) => round(plotBottom - (v / top) * PLOT_HEIGHT);

  const hours: { x: number; label: string }[] = [];
  for (let t = DateTime.fromMillis(from, { zone }).startOf('hour'); t.toMillis() <= to; t = t.plus({ hours: 1 })) {
    if (t.toMillis() >= from) hours.push({ x: x(t.toMillis()), label: clockTime(t, zone, { on: day }) });
  }
  const yTicks = Array.from({ length: top + 1 }, (_, v) => ({ y: y(v), label: String(v) }));

  const nowShown = input.now >= from && input.now <= to;
  const actualTo = Math.min(input.now, to);
  const breaches = breachWindows(forecast).map((w, i) => {
    const left = x(w.start);
    const width = round(Math.max(2, x(w.end) - left));
    return {
      x: left,
      width,
      // Labels alternate between two rows above the plot, so neighbours do not cover each other.
      labelY: TOP - 30 + (i % 2) * 14,
      label: `✕ Breach ${rangeText(w.start, w.end, zone, { on: day })}`,
      words: `${rangeText(w.start, w.end, zone, { on: day })}: ${missingWords(input.pack, w, day, zone)}`,
    };
  });
  const naps = input.naps
    .filter((n) => n.end > from && n.start < to)
    .map((n) => ({ x: x(n.start), width: round(Math.max(2, x(n.end) - x(n.start))), label: `Nap ${rangeText(n.start, n.end, zone, { on: day })}` }));

  const required = stepPath(forecast.intervals, (i) => i.requiredStaff, from, to, x, y);
  const plannedPath = stepPath(planned.intervals, (i) => i.countedStaff, from, to, x, y);
  const actual = actualTo > from ? stepPath(forecast.intervals, (i) => i.countedStaff, from, actualTo, x, y) : null;
  const nowLabel = `Now ${clockTime(input.now, zone, { on: day })}`;

  const legendTop = plotBottom + BOTTOM_AXIS + 12;
  return {
    width: WIDTH,
    height: legendTop + LEGEND,
    plot: { left: LEFT, right: WIDTH - RIGHT, top: TOP, bottom: plotBottom, width: plotWidth, height: PLOT_HEIGHT },
    axisLabelY: plotBottom + 18,
    hours,
    yTicks,
    required,
    planned: plannedPath,
    actual,
    breaches,
    naps,
    napLabelY: plotBottom - 8,
    now: nowShown ? { x: x(input.now), label: nowLabel, labelX: Math.min(x(input.now) + 4, WIDTH - RIGHT - 70) } : null,
    legend: legendOf(legendTop),
    title: `${input.roomName}, ${input.dayLabel}: counted staff against required staff`,
    desc: describe(input, breaches.map((b) => b.words), naps.map((n) => n.label), nowShown ? nowLabel : null),
  };
}

/** Where the legend's samples and words go: two rows under the axis. */
function legendOf(top: number) {
  const row1 = top;
  const row2 = top + 26;
  const col = (i: number) => LEFT + i * 240;
  const line = (i: number, y: number, cls: string, text: string) => ({ cls, x1: col(i), x2: col(i) + 36, y, textX: col(i) + 44, text });
  return {
    lines: [
      line(0, row1, 'required', 'Required staff'),
      line(1, row1, 'planned', 'Counted staff, as planned'),
      line(2, row1, 'actual', 'Counted staff, as recorded (up to now)'),
    ],
    boxes: [
      { cls: 'breach', fill: 'url(#hatch-breach)', x: col(0), y: row2 - 8, textX: col(0) + 44, textY: row2, text: 'Breach (hatched, labelled)' },
      { cls: 'nap', fill: 'url(#dots-nap)', x: col(1), y: row2 - 8, textX: col(1) + 44, textY: row2, text: 'Nap (dotted, labelled)' },
    ],
    now: { x: col(2) + 18, y1: row2 - 10, y2: row2 + 10, textX: col(2) + 44, textY: row2, text: 'Now' },
  };
}

function describe(input: TimelineInput, breaches: readonly string[], naps: readonly string[], now: string | null): string {
  const parts = [
    breaches.length === 0 ? 'No breach is planned.' : `Breaches: ${breaches.join('; ')}.`,
    naps.length === 0 ? 'No nap period.' : `${naps.join('; ')}.`,
  ];
  if (now) parts.push(`${now}.`);
  parts.push('The table under the chart lists every interval.');
  return `${input.roomName}, ${input.dayLabel}. ${parts.join(' ')}`;
}

/**
 * A step line: each interval's value from its start to its end, 0 where no interval
 * is (nobody planned), over [from, to).
 */
function stepPath(
  intervals: readonly ForecastInterval[],
  value: (i: ForecastInterval) => number,
  from: number,
  to: number,
  x: (t: number) => number,
  y: (v: number) => number,
): string {
  const inside = intervals.filter((i) => i.end > from && i.start < to);
  const cuts = [...new Set([from, to, ...inside.flatMap((i) => [i.start, i.end]).filter((t) => t > from && t < to)])].sort((a, b) => a - b);
  const at = (t: number) => {
    const hit = inside.find((i) => i.start <= t && t < i.end);
    return hit ? value(hit) : 0;
  };
  let v = at(from);
  let d = `M${x(from)} ${y(v)}`;
  for (const c of cuts.slice(1)) {
    d += ` H${x(c)}`;
    if (c >= to) break;
    const next = at(c);
    if (next !== v) d += ` V${y(next)}`;
    v = next;
  }
  return d;
}

function floorHour(t: number, zone: string): number {
  return DateTime.fromMillis(t, { zone }).startOf('hour').toMillis();
}

function ceilHour(t: number, zone: string): number {
  const start = DateTime.fromMillis(t, { zone }).startOf('hour');
  return start.toMillis() === t ? t : start.plus({ hours: 1 }).toMillis();
}

const round = (n: number) => Math.round(n * 10) / 10;
