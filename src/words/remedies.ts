import type {
  CallInRemedy,
  MergeRemedy,
  MoveRemedy,
  PersonLabel,
  RankReason,
  Refusal,
  Remedy,
  RoomAfter,
  ThinHourCombination,
} from '../domain/remedies/index.js';
import { reasonText } from '../domain/ratio/words.js';
import { clockTime } from './format.js';

/**
 * English for the remedy search's codes (`src/domain/remedies/`): what is true of a
 * person now, why a remedy ranks where it does, why one is not offered, and one line
 * per remedy ("Ben Carter from Preschool, 12:10–13:00; Preschool stays ok, 1 counted
 * person could still leave"). The web panel and the CLI call these.
 */

/** How to name things: room and person ids to names, the day and zone for clock times. */
export interface RemedyNames {
  readonly room: (id: string) => string;
  readonly person: (id: string) => string;
  readonly day: string;
  readonly zone: string;
}

const clock = (n: RemedyNames, at: number) => clockTime(at, n.zone, { on: n.day });
const range = (n: RemedyNames, start: number, end: number) => `${clock(n, start)}–${clock(n, end)}`;
const people = (k: number) => `${k} counted ${k === 1 ? 'person' : 'people'}`;

/** "in Infants now", "on a break until 12:30", "in Preschool (needed there)", "pending review: Safe sleep (SUID)". */
export function labelText(label: PersonLabel, n: RemedyNames): string {
  switch (label.code) {
    case 'in_room_now':
      return `in ${n.room(label.params.room)} now`;
    case 'on_break_until':
      return `on a break until ${clock(n, label.params.until)}`;
    case 'needed_in':
      return `in ${n.room(label.params.room)} (needed there)`;
    case 'scheduled_elsewhere':
      return `scheduled in ${n.room(label.params.room)} ${range(n, label.params.start, label.params.end)}`;
    case 'pending_review':
      return `pending review: ${label.params.label}`;
    case 'free':
      return 'free';
  }
}

/** Why a remedy stands where it does, one reason. */
export function rankText(reason: RankReason, n: RemedyNames): string {
  switch (reason.code) {
    case 'nobody_new':
      return `nobody new needed; ${marginWords(reason.params.margin)}`;
    case 'free_whole_window':
      return 'free for the whole window';
    case 'pair_covers_window':
      return `two people in turn, handing over at ${clock(n, reason.params.handoff)}`;
    case 'available_today': {
      const p = reason.params;
      return 'start' in p ? `available ${range(n, p.start, p.end)} only` : 'available today, not in this window';
    }
    case 'knows_room':
      return 'has worked in this room before';
    case 'hours_this_week': {
      const h = reason.params.hours;
      return `${h} ${h === 1 ? 'hour' : 'hours'} this week`;
    }
    case 'needs_supervision':
      return 'counts only with a teacher or assistant teacher in the room';
  }
}

function marginWords(margin: number): string {
  return margin === 0 ? 'no counted person could leave' : `${people(margin)} could still leave`;
}

function afterWords(after: RoomAfter, n: RemedyNames): string {
  if (after.stillShort > 0) return `${n.room(after.room)} still needs ${after.stillShort} more`;
  return `${n.room(after.room)} stays ok, ${marginWords(after.margin)}`;
}

/** Why a remedy is not offered (or was refused when taken). */
export function refusalText(refusal: Refusal, n: RemedyNames): string {
  const p = refusal.params as Record<string, unknown>;
  switch (refusal.code) {
    case 'not_in_room':
      return `not in ${n.room(refusal.params.room)} then`;
    case 'already_in_room':
      return `already planned in ${n.room(refusal.params.room)}`;
    case 'source_would_breach':
      return `${n.room(refusal.params.room)} would breach at ${clock(n, refusal.params.at)} without them (${refusal.params.violations.join(', ').replaceAll('_', ' ')})`;
    case 'need_not_met':
      return `${n.room(refusal.params.room)} would still breach at ${clock(n, refusal.params.at)} (${refusal.params.violations.join(', ').replaceAll('_', ' ')})`;
    case 'not_counted':
      return `would not count in ${n.room(refusal.params.room)}: ${refusal.params.missing.map((m) => reasonText(m)).join('; ')}`;
    case 'over_capacity':
      return `${n.room(refusal.params.room)} is licensed for ${refusal.params.capacity}, the combined group would be ${refusal.params.children}`;
    case 'combined_not_compliant':
      return `the combined group would breach at ${clock(n, refusal.params.at)} (${refusal.params.violations.join(', ').replaceAll('_', ' ')})`;
    case 'scheduled_elsewhere':
      return `scheduled in ${n.room(refusal.params.room)} ${range(n, refusal.params.start, refusal.params.end)}`;
    case 'not_available':
      return 'has not said they can come in today';
    case 'unknown_room':
      return `no room ${String(p.room)}`;
    case 'already_merged':
      return `${n.room(refusal.params.room)} is already combined with another room then`;
  }
}

/** One line for a remedy, as the panel lists it. */
export function remedyText(remedy: Remedy, n: RemedyNames): string {
  switch (remedy.kind) {
    case 'move':
      return moveText(remedy, n);
    case 'merge':
      return mergeText(remedy, n);
    case 'call_in':
      return callInText(remedy, n);
  }
}

/** "Ben Carter from Preschool, 12:10–13:00; Preschool stays ok, 1 counted person could still leave". */
function moveText(r: MoveRemedy, n: RemedyNames): string {
  return `${n.person(r.person)} from ${n.room(r.from)}, ${range(n, r.start, r.end)}; ${afterWords(r.source, n)}`;
}

/** "Toddlers into Infants, 12:00–13:00: one group of 7, 2 staff needed, 3 counted; frees Sam Rivera (mixed ages: rule unverified, …)". */
function mergeText(r: MergeRemedy, n: RemedyNames): string {
  const c = r.combined;
  const freed = r.freed.length > 0 ? `; frees ${r.freed.map(n.person).join(', ')}` : '';
  const unverified = r.unverified ? ` (mixed-age rule not verified: ${r.unverified.cite})` : '';
  return `${n.room(r.from)} into ${n.room(r.into)}, ${range(n, r.start, r.end)}: one group of ${c.children}, ${c.requiredStaff} staff needed, ${c.countedStaff} counted${freed}${unverified}`;
}

/** "Jo Nguyen 12:10–15:00 + Amir Haddad 15:00–17:30". */
function callInText(r: CallInRemedy, n: RemedyNames): string {
  const parts = r.people.map((p) => `${n.person(p.person)} ${range(n, p.start, p.end)} (${labelText(p.label, n)})`).join(' + ');
  return `${parts}; ${r.rank.map((x) => rankText(x, n)).join(', ')}`;
}

/** "06:30–08:00: Toddlers + Preschool as one group of 11, 2 staff; frees 1". */
export function thinHourText(c: ThinHourCombination, n: RemedyNames): string {
  const unverified = c.unverified ? ' (mixed-age rule not verified)' : '';
  return `${range(n, c.start, c.end)}: ${n.room(c.into)} + ${n.room(c.from)} as one group of ${c.children}, ${c.staff} staff; frees ${c.frees}${unverified}`;
}
