import { reasonText } from '../../domain/ratio/words.js';
import type { Activity, RulePack } from '../../domain/rule-pack.js';
import { isBreach, STATUS_WORDS, type RoomStatus } from '../../domain/status.js';
import type { CoverNeed } from '../../domain/forecast.js';
import type { CenterForecast, RoomForecastView } from '../../services/center-forecast.js';
import { clockTime, rangeText } from '../../words/format.js';
import { needWords } from '../../words/plan.js';
import { windowInForceText } from '../../words/day-hours.js';
import { centerHoursOf, windowAt } from '../../services/day-hours.js';
import { coverRequestedFor } from '../../services/cover/on-card.js';
import type { CenterState, RoomState } from '../../services/center-state.js';

/**
 * A room's card as plain strings for `views/partials/room-card.hbs`: the same
 * partial on the board page, on the room page and in the SSE stream. No names of
 * children (counts by age category only), no forms (a card is shared by every
 * viewer of the stream, and a form would need each viewer's CSRF token).
 */

/** Icon and colour class per status; the words come from STATUS_WORDS, so status never relies on colour alone. */
const LOOK: Record<RoomStatus, { icon: string; tone: 'ok' | 'limit' | 'breach' }> = {
  ok: { icon: '✓', tone: 'ok' },
  at_limit: { icon: '▲', tone: 'limit' },
  out_of_ratio: { icon: '✕', tone: 'breach' },
  over_group_size: { icon: '✕', tone: 'breach' },
  needs_lead: { icon: '!', tone: 'breach' },
  needs_supervision: { icon: '!', tone: 'breach' },
  too_young: { icon: '✕', tone: 'breach' },
};

export const ACTIVITY_WORDS: Record<Activity, string> = {
  normal: 'normal',
  arrival_departure: 'arrival and departure',
  nap: 'nap',
  meal: 'meal',
  outdoor: 'outdoors',
  field_trip: 'field trip',
  special: 'special activity',
};

export const PERSON_ROLE_WORDS: Record<string, string> = {
  director: 'Director',
  teacher: 'Teacher',
  assistant_teacher: 'Assistant teacher',
  aide: 'Aide',
  substitute: 'Substitute',
  volunteer: 'Volunteer',
  student: 'Student',
};

export function statusLook(status: RoomStatus) {
  const look = LOOK[status];
  return { code: status, words: STATUS_WORDS[status], icon: look.icon, tone: look.tone, breach: isBreach(status) };
}

/** "infant" → "infants", "School-age" → "school-age children". */
function plural(label: string, n: number): string {
  const word = label.toLowerCase();
  if (n === 1) return word.endsWith('age') ? `${word} child` : word;
  return word.endsWith('age') ? `${word} children` : `${word}s`;
}


function levelLabel(pack: RulePack, level: string): string {
  return pack.levels.find((l) => l.level === level)?.label ?? level.replaceAll('_', ' ');
}

export type Card = ReturnType<typeof cardOf>;

export function cardOf(state: CenterState, r: RoomState) {
  const { pack, center } = state;
  const zone = center.timeZone;
  const e = r.evaluation;
  const serves = r.room.ageCategories;
  const bands = pack.bands.filter((b) => serves.length === 0 || serves.includes(b.coarse) || (e.byCategory[b.id] ?? 0) > 0);

  const categories = pack.bands
    .filter((b) => (e.byCategory[b.id] ?? 0) > 0)
    .map((b) => ({ label: b.label, count: e.byCategory[b.id]!, words: `${e.byCategory[b.id]} ${plural(b.label, e.byCategory[b.id]!)}` }));

  const margin: string[] = [];
  if (e.countedStaff < e.requiredStaff) {
    const short = e.requiredStaff - e.countedStaff;
    margin.push(`Needs ${short} more counted ${short === 1 ? 'person' : 'people'} now`);
  } else if (!isBreach(r.status) || r.status === 'needs_lead' || r.status === 'needs_supervision') {
    if (e.margin.staff > 0) margin.push(`${e.margin.staff} counted ${e.margin.staff === 1 ? 'person' : 'people'} could leave`);
    const joins = bands.filter((b) => (e.margin.children[b.id] ?? 0) > 0).map((b) => `${e.margin.children[b.id]} more ${plural(b.label, e.margin.children[b.id]!)}`);
    if (joins.length > 0) margin.push(`${joins.join(' or ')} may join`);
    else if (e.children > 0) margin.push('No more children may join without more staff');
  }

  const people = r.people.map(({ person, presence, evaluation: pe }) => {
    const role = PERSON_ROLE_WORDS[person.role] ?? person.role;
    const mustNotBeHere = pe.presence === 'not_allowed';
    let line: string;
    const reasons = pe.reasons.map(reasonText).join('; ');
    if (mustNotBeHere) line = `must not be here: ${reasons || 'background study does not allow presence with children'}`;
    else if (pe.counted) line = `counts as ${levelLabel(pack, pe.countsAs ?? '')}`;
    else line = `does not count: ${reasons || 'not a staff level under this pack'}`;
    const extra = pe.counted && pe.reasons.length > 0 ? reasons : null;
    return {
      id: person.id,
      name: person.displayName,
      role,
      since: clockTime(presence.startedAt, zone),
      counted: pe.counted,
      line,
      extra,
      mustNotBeHere,
      unsupervised: pe.needsSupervision && !pe.supervised,
      supervised: pe.needsSupervision && pe.supervised && !mustNotBeHere,
    };
  });

  const headcount = r.headcounts.at(-1);
  const view = state.forecast?.rooms.get(r.room.id);
  return {
    id: r.room.id,
    domId: `room-${r.room.id}`,
    name: r.room.name,
    href: `/centers/${center.id}/rooms/${r.room.id}`,
    status: statusLook(r.status),
    /** "since 11:44": when the breach under way began, from the record (the board and its stream load the forecast). */
    since: view && isBreach(r.status) && view.breachSince !== null && state.forecast ? `since ${clockTime(view.breachSince, state.forecast.zone, { on: state.forecast.day })}` : null,
    activity: r.activity === 'normal' ? null : ACTIVITY_WORDS[r.activity],
    /** The center's arrival or departure window in force and what it allows ("07:00–08:00 arrival: an assistant teacher may stand in for the teacher"). */
    dayWindow: dayWindowOf(state, r),
    children: e.children,
    childrenWords: e.children === 0 ? 'No children checked in' : `${e.children} ${e.children === 1 ? 'child' : 'children'}`,
    categories,
    requiredStaff: e.requiredStaff,
    countedStaff: e.countedStaff,
    groupSize: e.maxGroupSize === null ? `${e.children} (no group-size limit${r.activity === 'normal' ? '' : ` during ${ACTIVITY_WORDS[r.activity]}`})` : `${e.children} of ${e.maxGroupSize}`,
    overGroupSize: e.maxGroupSize !== null && e.children > e.maxGroupSize,
    margin: margin.join('; '),
    violations: e.violations.map((v) => reasonText(v.reason)),
    people,
    nobody: people.length === 0,
    mustNotBeHere: people.filter((p) => p.mustNotBeHere).map((p) => p.name),
    headcount: headcount
      ? {
          words: `Headcount at ${clockTime(headcount.at, zone)}: ${headcount.counted} counted, ${headcount.expected} on the list`,
          more: r.headcounts.length > 1 ? `${r.headcounts.length - 1} earlier mismatch${r.headcounts.length > 2 ? 'es' : ''} open` : null,
        }
      : null,
    planHref: `/centers/${center.id}/rooms/${r.room.id}/plan`,
    /** Rooms merged now (domain/merges.ts): "Preschool merged in until 07:30 — 11 children, 2 staff", or "Merged into Toddlers until 07:30". */
    merges: mergeLinesOf(state, r),
    forecast: view && state.forecast ? forecastOf(state.forecast, view, center.id) : null,
    /** The open cover requests meeting the flagged cover need: shown in place of another "Request cover" (web/cover/on-card.ts). */
    coverRequested: view?.flag && view.coverNeed && state.forecast ? coverRequestedFor(state.openCover?.get(r.room.id), view.coverNeed, Math.floor(state.forecast.now / 60_000) * 60_000) : null,
  };
}

function dayWindowOf(state: CenterState, r: RoomState): string | null {
  if (r.activity !== 'arrival_departure') return null;
  const w = windowAt(centerHoursOf(state.center, state.pack), state.at);
  return w ? windowInForceText(state.pack, w) : null;
}

/** The card's merge lines; "End merge" opens the receiving room's page, where directors end it (a card has no forms). */
function mergeLinesOf(state: CenterState, r: RoomState) {
  const { center } = state;
  const until = (t: number) => clockTime(t, center.timeZone);
  const page = (roomId: string) => `/centers/${center.id}/rooms/${roomId}`;
  if (r.mergedInto) {
    const into = r.mergedInto.room;
    return [{ words: `Merged into ${into.name} until ${until(r.mergedInto.until)}: its children and staff are judged as one group there`, href: `${page(into.id)}#room-merges`, label: `See ${into.name}` }];
  }
  const e = r.evaluation;
  const staff = r.people.length + (r.mergedIn ?? []).reduce((n, m) => n + (state.rooms.find((x) => x.room.id === m.room.id)?.people.length ?? 0), 0);
  return (r.mergedIn ?? []).map((m) => ({
    words: `${m.room.name} merged in until ${until(m.until)} — ${e.children} ${e.children === 1 ? 'child' : 'children'}, ${e.countedStaff} counted staff${staff > e.countedStaff ? ` of ${staff}` : ''}`,
    href: `${page(r.room.id)}#room-merges`,
    label: 'End merge',
  }));
}

/**
 * The card's forecast lines: the flag (`needs cover by 15:00`) with the gap it is
 * about and a link that opens a cover request prefilled from it, and the room's
 * next planned change. Words and an icon, never colour alone.
 */
function forecastOf(f: CenterForecast, view: RoomForecastView, centerId: string) {
  const need = view.coverNeed;
  return {
    flag: view.flag
      ? {
          text: view.flagText!,
          icon: view.flag.kind === 'needs_cover' ? '◷' : '✕',
          gap: need
            ? `${needWords(f.pack, need)}, ${rangeText(need.start, need.end, f.zone, { on: f.day })}`
            : 'More staff cannot fix this: fewer children, or a second room, are needed.',
          requestHref: need ? coverRequestHref(centerId, view.room.id, need, f) : null,
          /** The room page's "What can fix this" panel for this need. */
          fixHref: need && view.flag.kind === 'needs_cover' ? `/centers/${centerId}/rooms/${view.room.id}#what-can-fix-this` : null,
        }
      : null,
    next: view.nextChange ?? 'Nothing more planned today',
    /** Late, no show, left, still here after their shift: what happened against the plan, with the way to act. */
    attention: view.staffNow
      .filter((s) => s.attention !== null)
      .map((s) => ({
        text: s.attention!,
        action: s.reality.status === 'present_unplanned' ? { href: `/centers/${centerId}/rooms/${view.room.id}#person-${s.person.id}`, label: `End ${s.person.displayName}'s time` } : null,
      })),
  };
}

// Safe in a query as they are: HH:mm, counts, level and training ids, commas between them.
const plain = (v: string) => v.replace(/[^A-Za-z0-9_.:,-]/g, (c) => encodeURIComponent(c));

/**
 * The cover request form prefilled from a cover need: from now (or the need's start,
 * if later) to its end; a window ending at midnight ends at 23:59 (times are `HH:mm`).
 */
export function coverRequestHref(centerId: string, roomId: string, need: CoverNeed, f: Pick<CenterForecast, 'day' | 'zone' | 'now'>): string {
  const nowMinute = Math.floor(f.now / 60_000) * 60_000;
  const start = clockTime(Math.max(need.start, nowMinute), f.zone, { on: f.day });
  const endText = clockTime(need.end, f.zone, { on: f.day });
  const end = endText === '24:00' ? '23:59' : endText;
  const q = [
    `roomId=${plain(roomId)}`,
    `start=${plain(start)}`,
    `end=${plain(end)}`,
    `count=${need.additionalStaff}`,
    `needs=${plain(need.needs.join(','))}`,
    `trainings=${plain(need.trainings.join(','))}`,
  ];
  return `/centers/${centerId}/cover-requests/new?${q.join('&')}`;
}
