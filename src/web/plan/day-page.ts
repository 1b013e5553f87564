import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { listAbsencesOfDay } from '../../db/absences.js';
import { listChildrenInCenter } from '../../db/children.js';
import type { CenterMember } from '../../db/memberships.js';
import { listPeopleInCenter } from '../../db/people.js';
import { listPlanOverridesOfDay } from '../../db/plan-overrides.js';
import type { Shift } from '../../db/shifts.js';
import { can } from '../auth/policy.js';
import { PERSON_ROLE_WORDS } from '../board/card.js';
import type { FieldErrors } from '../forms.js';
import { thinHoursOfDay } from '../../services/remedies.js';
import { thinHourText } from '../../words/remedies.js';
import { forecastOfDay, loadCenterDay, type CenterForecast, type RoomForecastView } from '../../services/center-forecast.js';
import { dayOf } from '../../services/day-plan.js';
import { clockTime, dateText, rangeText } from '../../words/format.js';
import { breachWindows, missingWords } from '../../words/plan.js';

/**
 * The center's day plan page: every room's forecast in words (flag, breach windows,
 * next change), its shifts with their breaks (directors edit them here for this day
 * alone), the children expected with their known absences (staff mark them), and
 * the overrides directors gave that day.
 */

/** A form that came back: which one (`add`, `edit:<shiftId>`, `break:<shiftId>`, `absence`), what was typed, what is wrong. */
export type Failed = { readonly form: string; readonly values: Record<string, string>; readonly errors: FieldErrors };

/** A change that would breach: the windows in words, and the form to send again with an override. */
export type Warning = {
  readonly action: string;
  readonly fields: readonly { readonly name: string; readonly value: string }[];
  readonly change: string;
  readonly breaches: readonly string[];
  readonly reason: string;
  readonly error?: string;
};

export const SOURCE_WORDS: Record<string, string> = { template: 'from the weekly schedule', plan: 'added for this day', cover: 'accepted cover' };

export function dayTitle(day: string): string {
  // A calendar day: the same date in any zone.
  return dateText(day, 'UTC', { style: 'full' });
}

/** A day's page: today's without `?day=`, so each page has one address (and a crawler one page). */
export function dayHref(base: string, day: string, today: string): string {
  return day === today ? base : `${base}?day=${day}`;
}

/** Links to yesterday, today and tomorrow (from today, not from the day shown: a bounded set). */
export function dayLinks(base: string, today: string, shown: string) {
  const d = DateTime.fromISO(today);
  return [
    { label: 'Yesterday', day: d.minus({ days: 1 }).toISODate()! },
    { label: 'Today', day: today },
    { label: 'Tomorrow', day: d.plus({ days: 1 }).toISODate()! },
  ].map((l) => ({ ...l, href: dayHref(base, l.day, today), current: l.day === shown }));
}

export async function dayPageModel(
  db: Knex,
  member: CenterMember,
  now: Date,
  day: string,
  extra: { failed?: Failed; warning?: Warning; dayError?: string } = {},
) {
  const { center } = member;
  const zone = center.timeZone;
  const today = dayOf(center, now);
  const loaded = await loadCenterDay(db, center, now, { day });
  const forecast = forecastOfDay(center, now, loaded);
  const thin = thinHoursOfDay(center, loaded);
  const [people, overrides, absences, allChildren] = await Promise.all([
    listPeopleInCenter(db, center.id),
    listPlanOverridesOfDay(db, center.id, day),
    listAbsencesOfDay(db, center.id, day),
    listChildrenInCenter(db, center.id, { includeArchived: true }),
  ]);
  const editable = can(member, 'plan.update') && day >= today;
  const canMarkAbsent = can(member, 'absence.change') && day >= today;
  const base = `/centers/${center.id}`;
  const failed = extra.failed;
  const valuesFor = (form: string, defaults: Record<string, string>) => (failed?.form === form ? { ...defaults, ...failed.values } : defaults);
  const errorsFor = (form: string): FieldErrors => (failed?.form === form ? failed.errors : {});

  const roomOptions = (selected: string) => forecast.rooms.size === 0 ? [] : [...forecast.rooms.values()].map((v) => ({ value: v.room.id, label: v.room.name, selected: v.room.id === selected }));
  const addValues = valuesFor('add', { personId: '', roomId: '', start: '', end: '', breakStart: '', breakEnd: '' });

  // Children marked away that day, under their home room, with the way to undo a mistake.
  const childById = new Map(allChildren.map((c) => [c.id, c]));
  const absentIn = new Map<string, { name: string; removeAction: string | null }[]>();
  for (const a of absences) {
    const child = childById.get(a.childId);
    if (!child) continue;
    const key = child.homeRoomId ?? '';
    let list = absentIn.get(key);
    if (!list) absentIn.set(key, (list = []));
    list.push({ name: child.displayName, removeAction: canMarkAbsent ? `${base}/absences/${a.id}/removal` : null });
  }
  const rooms = [...forecast.rooms.values()].map((view) => ({
    ...roomSection(forecast, view, { base, today, day, zone, editable, canMarkAbsent, now, valuesFor, errorsFor, roomOptions }),
    absent: absentIn.get(view.room.id) ?? [],
  }));

  return {
    title: `Day plan, ${dayTitle(day)}`,
    center: { id: center.id, name: center.name },
    day,
    dayTitle: dayTitle(day),
    isToday: day === today,
    isPast: day < today,
    zone,
    action: `${base}/plan`,
    selfHref: dayHref(`${base}/plan`, day, today),
    dayLinks: dayLinks(`${base}/plan`, today, day),
    dayError: extra.dayError,
    links: { board: can(member, 'board.view') ? `${base}/board` : null, schedules: can(member, 'schedules.view') ? `${base}/schedules` : null },
    horizon: forecast.horizonMinutes,
    editable,
    canMarkAbsent,
    rooms,
    /** Thin hours: the legal combinations that free the most staff at opening and closing (planned ahead, not an action). */
    thinHours: {
      opening: thin.combinations.filter((c) => c.period === 'opening').slice(0, 3).map((c) => ({ text: thinHourText(c, thin.names), asPlanned: c.compliantAsPlanned })),
      closing: thin.combinations.filter((c) => c.period === 'closing').slice(0, 3).map((c) => ({ text: thinHourText(c, thin.names), asPlanned: c.compliantAsPlanned })),
      any: thin.combinations.length > 0,
    },
    warning: extra.warning,
    add: {
      action: `${base}/plan/shifts`,
      values: addValues,
      errors: errorsFor('add'),
      people: people.map((p) => ({ value: p.id, label: `${p.displayName} (${PERSON_ROLE_WORDS[p.role] ?? p.role})`, selected: p.id === addValues.personId })),
      rooms: roomOptions(addValues.roomId ?? ''),
    },
    // A hidden field's error (the day of a form, or a child who cannot be marked absent): shown at the top.
    problem: failed?.errors.day,
    overrides: overrides.map((o) => ({
      at: dateText(o.createdAt, zone, { year: true, time: true }),
      by: o.createdByName ?? 'someone no longer here',
      change: o.change,
      breaches: o.breaches,
      reason: o.reason,
    })),
  };
}

type SectionContext = {
  base: string;
  today: string;
  day: string;
  zone: string;
  editable: boolean;
  canMarkAbsent: boolean;
  now: Date;
  valuesFor: (form: string, defaults: Record<string, string>) => Record<string, string>;
  errorsFor: (form: string) => FieldErrors;
  roomOptions: (selected: string) => { value: string; label: string; selected: boolean }[];
};

function roomSection(f: CenterForecast, view: RoomForecastView, c: SectionContext) {
  const { day, zone } = c;
  const windows = breachWindows(view.forecast).map((w) => ({
    words: `${rangeText(w.start, w.end, zone, { on: day })}: ${missingWords(f.pack, w, day, zone)}`,
    over: w.end <= f.now,
  }));
  const shifts: { shift: Shift; name: string; role: string }[] = [];
  for (const p of view.input.people) for (const s of p.shifts) shifts.push({ shift: s, name: p.person.displayName, role: PERSON_ROLE_WORDS[p.person.role] ?? p.person.role });
  shifts.sort((a, b) => a.shift.startsAt.localeCompare(b.shift.startsAt) || a.name.localeCompare(b.name));

  const children = view.input.children.map((c2, i) => {
    const d = view.input.roomDay.children[i]!;
    const inAt = d.checkedInAt ?? null;
    const outAt = d.checkedOutAt ?? null;
    const state = outAt !== null ? `checked in ${clockTime(inAt!, zone, { on: day })}, out ${clockTime(outAt, zone, { on: day })}` : inAt !== null ? `checked in ${clockTime(inAt, zone, { on: day })}` : 'expected';
    return {
      id: c2.child.id,
      name: c2.child.displayName,
      category: c2.category.one,
      // Once checked in, only the planned departure is still to come.
      expected: inAt !== null ? `until ${clockTime(d.depart, zone, { on: day })}` : rangeText(d.arrive, d.depart, zone, { on: day }),
      state,
      // A child not checked in may be marked away; once checked in, presence is the truth.
      markAbsent: c.canMarkAbsent && inAt === null ? `${c.base}/children/${c2.child.id}/absences` : null,
    };
  });

  return {
    id: view.room.id,
    domId: `room-${view.room.id}`,
    name: view.room.name,
    planHref: dayHref(`${c.base}/rooms/${view.room.id}/plan`, day, c.today),
    flag: view.flagText,
    next: view.nextChange,
    windows,
    clear: windows.length === 0,
    peak: peakWords(view),
    shifts: shifts.map(({ shift, name, role }) => {
      const editForm = `edit:${shift.id}`;
      const breakForm = `break:${shift.id}`;
      const start = clockTime(shift.startsAt, zone);
      const end = clockTime(shift.endsAt, zone);
      const editValues = c.valuesFor(editForm, { roomId: shift.roomId, start, end });
      const breakValues = c.valuesFor(breakForm, { start: '', end: '' });
      return {
        id: shift.id,
        name,
        role,
        times: rangeText(start, end),
        source: SOURCE_WORDS[shift.source] ?? shift.source,
        breaks: shift.breaks.map((b) => ({ id: b.id, times: rangeText(b.startsAt, b.endsAt, zone), removeAction: `${c.base}/plan/breaks/${b.id}/removal` })),
        editAction: `${c.base}/plan/shifts/${shift.id}/edit`,
        cancelAction: `${c.base}/plan/shifts/${shift.id}/cancellation`,
        breakAction: `${c.base}/plan/shifts/${shift.id}/breaks`,
        edit: { values: editValues, errors: c.errorsFor(editForm), open: Object.keys(c.errorsFor(editForm)).length > 0, rooms: c.roomOptions(editValues.roomId ?? '') },
        addBreak: { values: breakValues, errors: c.errorsFor(breakForm), open: Object.keys(c.errorsFor(breakForm)).length > 0 },
      };
    }),
    children,
    naps: view.input.naps.map((n) => rangeText(n.start, n.end)),
  };
}

/** The largest number of children the forecast expects at once, and the staff that takes. */
function peakWords(view: RoomForecastView): string | null {
  let peak: { children: number; required: number } | null = null;
  for (const i of view.forecast.intervals) if (!peak || i.children > peak.children) peak = { children: i.children, required: i.requiredStaff };
  if (!peak || peak.children === 0) return null;
  return `At most ${peak.children} ${peak.children === 1 ? 'child' : 'children'} at once, needing ${peak.required} counted staff.`;
}

