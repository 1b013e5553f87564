import type { CoverNeed, ForecastInterval, RoomForecast } from '../domain/forecast.js';
import type { ViolationCode } from '../domain/ratio/types.js';
import type { RulePack } from '../domain/rule-pack.js';
import { STATUS_WORDS, type RoomStatus } from '../domain/status.js';
import { rangeText } from './format.js';

/**
 * The forecast in words, one vocabulary for the board, the day plan and the
 * breach warning: windows as `HH:mm–HH:mm` in the center's zone, what a window
 * lacks ("1 more counted person: aide or above, with Safe sleep (SUID) and Abusive
 * head trauma (AHT) training current"), and the flag.
 */

/** A window of the plan read on `day` in `zone` ("09:00–24:00"): `rangeText(start, end, zone, { on: day })`. */
export const windowWords = (start: number, end: number, day: string, zone: string): string => rangeText(start, end, zone, { on: day });

function levelLabel(pack: RulePack, level: string): string {
  return pack.levels.find((l) => l.level === level)?.label ?? level.replaceAll('_', ' ');
}

/** "aide or above"; the pack's highest level alone ("teacher"). */
function levelWords(pack: RulePack, level: string): string {
  const rank = pack.levels.findIndex((l) => l.level === level);
  return rank >= 0 && rank < pack.levels.length - 1 ? `${levelLabel(pack, level)} or above` : levelLabel(pack, level);
}

export function trainingLabels(pack: RulePack, ids: readonly string[]): string[] {
  return ids.map((id) => pack.trainings.find((t) => t.id === id)?.label ?? id);
}

function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** What a cover need asks for: how many, which levels, which trainings. */
export function needWords(pack: RulePack, need: Pick<CoverNeed, 'additionalStaff' | 'needs' | 'trainings'>): string {
  const n = need.additionalStaff;
  const levels = need.needs.map((l) => levelWords(pack, l));
  const who = `${n} more counted ${n === 1 ? 'person' : 'people'}${levels.length > 0 ? `: ${list(levels)}` : ''}`;
  const trainings = trainingLabels(pack, need.trainings);
  return trainings.length > 0 ? `${who}, with ${list(trainings)} training current` : who;
}

const VIOLATION_STATUS: Record<ViolationCode, RoomStatus> = {
  over_ratio: 'out_of_ratio',
  over_group_size: 'over_group_size',
  staff_distribution: 'needs_lead',
  unsupervised_staff: 'needs_supervision',
  below_minimum_age: 'too_young',
};

/** A run of non-compliant intervals: one breach window, with the cover needs inside it. */
export type BreachWindow = {
  readonly start: number;
  readonly end: number;
  /** Statuses met in the window, worst first, in words. */
  readonly statuses: readonly string[];
  readonly needs: readonly CoverNeed[];
};

export function breachWindows(forecast: RoomForecast): BreachWindow[] {
  const out: BreachWindow[] = [];
  let run: ForecastInterval[] = [];
  const flush = () => {
    if (run.length === 0) return;
    const start = run[0]!.start;
    const end = run.at(-1)!.end;
    const codes = new Set<ViolationCode>();
    for (const i of run) for (const v of i.violations) codes.add(v);
    const statuses = (Object.keys(VIOLATION_STATUS) as ViolationCode[]).filter((c) => codes.has(c)).map((c) => STATUS_WORDS[VIOLATION_STATUS[c]]);
    out.push({ start, end, statuses, needs: forecast.coverNeeds.filter((n) => n.start < end && n.end > start) });
    run = [];
  };
  for (const interval of forecast.intervals) {
    if (interval.compliant) {
      flush();
      continue;
    }
    if (run.length > 0 && run.at(-1)!.end !== interval.start) flush();
    run.push(interval);
  }
  flush();
  return out;
}

/** What a breach window lacks, in words: its cover needs, or what people cannot fix. */
export function missingWords(pack: RulePack, w: BreachWindow, day: string, zone: string): string {
  if (w.needs.length === 0) return `${w.statuses.join(', ')}: more staff cannot fix this, the group must change`;
  if (w.needs.length === 1 && w.needs[0]!.start <= w.start && w.needs[0]!.end >= w.end) return `${w.statuses.join(', ')}: needs ${needWords(pack, w.needs[0]!)}`;
  const parts = w.needs.map((n) => `${needWords(pack, n)} (${windowWords(n.start, n.end, day, zone)})`);
  return `${w.statuses.join(', ')}: needs ${parts.join('; ')}`;
}

/** "15:00–17:30 Infants: out of ratio: needs 1 more counted person: …". */
export function breachLine(pack: RulePack, roomName: string, w: BreachWindow, day: string, zone: string): string {
  return `${windowWords(w.start, w.end, day, zone)} ${roomName}: ${missingWords(pack, w, day, zone)}`;
}

/** An age category's label, singular and plural ("infant", "infants"). */
export type CategoryLabel = { readonly one: string; readonly many: string };
