import { DateTime } from 'luxon';
import type { Activity, RulePack } from '../../domain/rule-pack.js';
import { isBreach, STATUS_WORDS, type RoomStatus } from '../../domain/status.js';
import type { CenterState, RoomState } from './center-state.js';

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

const hhmm = (iso: string, zone: string) => DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone).toFormat('HH:mm');

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
    if (mustNotBeHere) line = `must not be here: ${pe.reasons.join('; ') || 'background study does not allow presence with children'}`;
    else if (pe.counted) line = `counts as ${levelLabel(pack, pe.countsAs ?? '')}`;
    else line = `does not count: ${pe.reasons.join('; ') || 'not a staff level under this pack'}`;
    const extra = pe.counted && pe.reasons.length > 0 ? pe.reasons.join('; ') : null;
    return {
      id: person.id,
      name: person.displayName,
      role,
      since: hhmm(presence.startedAt, zone),
      counted: pe.counted,
      line,
      extra,
      mustNotBeHere,
      unsupervised: pe.needsSupervision && !pe.supervised,
    };
  });

  const headcount = r.headcounts.at(-1);
  return {
    id: r.room.id,
    domId: `room-${r.room.id}`,
    name: r.room.name,
    href: `/centers/${center.id}/rooms/${r.room.id}`,
    status: statusLook(r.status),
    activity: r.activity === 'normal' ? null : ACTIVITY_WORDS[r.activity],
    children: e.children,
    childrenWords: e.children === 0 ? 'No children checked in' : `${e.children} ${e.children === 1 ? 'child' : 'children'}`,
    categories,
    requiredStaff: e.requiredStaff,
    countedStaff: e.countedStaff,
    groupSize: e.maxGroupSize === null ? `${e.children} (no group-size limit${r.activity === 'normal' ? '' : ` during ${ACTIVITY_WORDS[r.activity]}`})` : `${e.children} of ${e.maxGroupSize}`,
    overGroupSize: e.maxGroupSize !== null && e.children > e.maxGroupSize,
    margin: margin.join('; '),
    violations: e.violations.map((v) => v.message),
    people,
    nobody: people.length === 0,
    mustNotBeHere: people.filter((p) => p.mustNotBeHere).map((p) => p.name),
    headcount: headcount
      ? {
          words: `Headcount at ${hhmm(headcount.at, zone)}: ${headcount.counted} counted, ${headcount.expected} on the list`,
          more: r.headcounts.length > 1 ? `${r.headcounts.length - 1} earlier mismatch${r.headcounts.length > 2 ? 'es' : ''} open` : null,
        }
      : null,
  };
}
