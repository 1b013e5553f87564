/**
 * The center's day as the pack's arrival/departure stand-ins see it: whether
 * its hours and arrival and departure windows may be used at all
 * (`judgeDayHours`), and whether an instant falls inside a window.
 */
import type { DateTime } from 'luxon';
import type { ArrivalDepartureWindowsRule, RulePack, TimeOfDayRatio } from '../rule-pack.js';
import type { DayHours, DayHoursProblem, NoteReason } from './types.js';

export interface DayHoursJudgement {
  readonly ok: boolean;
  /** Why the windows cannot be used; empty when `ok`. */
  readonly problems: readonly DayHoursProblem[];
  /** Minutes from opening to closing, and the windows' total; null where a time is not readable. */
  readonly dayMinutes: number | null;
  readonly windowMinutes: number | null;
  /** The most the windows may take under the pack's cap; null when the pack sets none. */
  readonly maxWindowMinutes: number | null;
}

/**
 * Whether a center's arrival and departure windows may be used for the
 * pack's arrival/departure stand-ins: readable times inside the hours of
 * operation, one window for arrival and one for departure at most, not
 * overlapping, and together no more than the pack's share of the day.
 */
export function judgeDayHours(pack: RulePack, hours: DayHours): DayHoursJudgement {
  const rule = pack.distribution?.arrivalDepartureWindows ?? null;
  const problems: DayHoursProblem[] = [];
  const opens = minutesOf(hours.opens);
  const closes = minutesOf(hours.closes, true);
  if (opens === null) problems.push({ code: 'opening_time_unreadable', params: { time: hours.opens } });
  if (closes === null) problems.push({ code: 'closing_time_unreadable', params: { time: hours.closes } });
  const day = opens !== null && closes !== null ? closes - opens : null;
  if (day !== null && day <= 0) problems.push({ code: 'closes_before_opening', params: { opens: hours.opens, closes: hours.closes } });
  if (hours.arrivalDeparture.length > 2) problems.push({ code: 'too_many_windows', params: {} });
  let total = 0;
  const spans: [number, number][] = [];
  for (const w of hours.arrivalDeparture) {
    const from = minutesOf(w.from);
    const to = minutesOf(w.to, true);
    const window = { from: w.from, to: w.to };
    if (from === null || to === null) {
      problems.push({ code: 'window_unreadable', params: window });
      continue;
    }
    if (to <= from) {
      problems.push({ code: 'window_ends_before_start', params: window });
      continue;
    }
    if (opens !== null && closes !== null && (from < opens || to > closes)) {
      problems.push({ code: 'window_outside_hours', params: { ...window, opens: hours.opens, closes: hours.closes } });
    }
    for (const [a, b] of spans) if (from < b && a < to) problems.push({ code: 'windows_overlap', params: { first: { from: hhmm(a), to: hhmm(b) }, second: window } });
    spans.push([from, to]);
    total += to - from;
  }
  const cap = rule !== null && day !== null && day > 0 ? rule.maxShareOfDailyHours * day : null;
  if (rule !== null && cap !== null && total > cap) {
    problems.push({ code: 'windows_too_long', params: { minutes: total, share: rule.maxShareOfDailyHours, dayMinutes: day!, capMinutes: cap, cite: rule.cite } });
  }
  return { ok: problems.length === 0, problems, dayMinutes: day, windowMinutes: total, maxWindowMinutes: cap };
}

/** Why no one may stand in for the lead at `at` under these hours, or null when the windows allow it now. */
export function windowsRefusal(pack: RulePack, rule: ArrivalDepartureWindowsRule, hours: DayHours, at: DateTime): NoteReason | null {
  const judged = judgeDayHours(pack, hours);
  if (!judged.ok) return { code: 'windows_not_accepted', params: { problems: judged.problems } };
  const local = at.setZone(pack.timeZone ?? at.zoneName ?? 'UTC');
  const now = local.hour * 60 + local.minute;
  const inside = hours.arrivalDeparture.some((w) => minutesOf(w.from)! <= now && now < minutesOf(w.to, true)!);
  if (inside) return null;
  return { code: 'outside_windows', params: { at: hhmm(now), windows: hours.arrivalDeparture.map((w) => ({ from: w.from, to: w.to })), cite: rule.cite } };
}

/**
 * The time-of-day ratio of the pack in force at `at` under these hours
 * (within its minutes after opening or before closing, with enough children
 * in care), or null. Unreadable hours give none (the table's ratio, stricter).
 */
export function timeOfDayRatioAt(pack: RulePack, hours: DayHours, at: DateTime, childrenInCare: number): TimeOfDayRatio | null {
  const rules = pack.timeOfDayRatios;
  if (!rules || rules.length === 0) return null;
  const opens = minutesOf(hours.opens);
  const closes = minutesOf(hours.closes, true);
  if (opens === null || closes === null || closes <= opens) return null;
  const local = at.setZone(pack.timeZone ?? at.zoneName ?? 'UTC');
  const now = local.hour * 60 + local.minute;
  if (now < opens || now >= closes) return null;
  for (const r of rules) {
    if (childrenInCare < r.minChildrenInCare) continue;
    if (now < opens + r.afterOpeningMinutes || now >= closes - r.beforeClosingMinutes) return r;
  }
  return null;
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes after midnight of `HH:MM` (24:00 allowed for a closing time), or null. */
function minutesOf(text: string, closing = false): number | null {
  if (closing && text === '24:00') return 24 * 60;
  const m = HHMM.exec(text);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
