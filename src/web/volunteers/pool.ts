import type { Response } from 'express';
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { listAvailabilityOfPeople, type AvailabilityToday, type AvailabilityWindow } from '../../db/availability.js';
import type { CenterTraining } from '../../db/center-trainings.js';
import type { CenterMember } from '../../db/memberships.js';
import { listRoomsInCenter } from '../../db/rooms.js';
import type { Center, Person, Room, TrainingRecord } from '../../db/rows.js';
import { parseCivilDate } from '../../domain/calendar.js';
import { listSubmittedTrainingRecords, listTrainingRecordsOfPeople } from '../../db/trainings.js';
import { listPeopleByIdsInCenter, listVolunteersInCenter } from '../../db/volunteer-pool.js';
import { listReachOfPeople, type Reach } from '../../db/push-subscriptions.js';
import { eligibilityFor, type PersonOnFile, type TrainingStatus } from '../../domain/eligibility.js';
import type { RulePack } from '../../domain/rule-pack.js';
import { can } from '../auth/policy.js';
import type { FieldErrors } from '../forms.js';
import { STUDY_LABELS } from '../labels.js';
import { centerPack, trainingLabel } from '../../services/center-pack.js';
import { personOnFile } from '../../services/person-on-file.js';
import { chipFor, civil, ratioStatuses, roomsToCover, standingChip, type Chip } from '../trainings/standing.js';
import { clockTime, rangeText } from '../../words/format.js';
import { groupBy } from '../../domain/group-by.js';

/**
 * The volunteer pool as one computation for the page and the CSV: every
 * volunteer's standing, where they could count, and whether they can come in,
 * judged now or through a chosen day's opening hours (validity is judged at
 * the time in question, not only today). One query per table for the whole center.
 */

/** When the pool is judged: now, or a day's opening hours. */
export type PoolWhen = {
  readonly window: { readonly start: DateTime; readonly end: DateTime };
  /** 'YYYY-MM-DD' on the center's calendar. */
  readonly day: string;
  readonly isToday: boolean;
  /** "now", or "on 2026-03-10 (06:30–18:00)". */
  readonly words: string;
};

export function poolWhen(center: Pick<Center, 'timeZone' | 'opensAt' | 'closesAt'>, now: Date, on: unknown): PoolWhen {
  const here = DateTime.fromJSDate(now).setZone(center.timeZone);
  const today = here.toISODate()!;
  const day = typeof on === 'string' && parseCivilDate(on) !== null && on >= '1900-01-01' ? on : today;
  if (day === today && on !== today) return { window: { start: here, end: here }, day, isToday: true, words: 'now' };
  const at = (hhmm: string) => {
    const [h, m] = hhmm.split(':').map(Number);
    return DateTime.fromISO(day, { zone: center.timeZone }).set({ hour: h ?? 0, minute: m ?? 0 });
  };
  return { window: { start: at(center.opensAt), end: at(center.closesAt) }, day, isToday: day === today, words: `on ${day} (${rangeText(center.opensAt, center.closesAt)})` };
}

export type PoolFilter = { readonly kind: 'all' } | { readonly kind: 'eligible'; readonly room: Room } | { readonly kind: 'expiring' } | { readonly kind: 'awaiting' };

export type PoolRow = {
  readonly person: Person;
  readonly onFile: PersonOnFile;
  readonly statuses: readonly TrainingStatus[];
  readonly background: Chip;
  readonly backgroundExpiring: boolean;
  readonly awaiting: number;
  readonly canCoverNow: readonly Room[];
  readonly availableToday: string | null;
  /** How alerts reach them beyond the app: by their account's email, push to their phones, both, or nothing. */
  readonly reach: Reach;
};

export type Pool = {
  readonly pack: RulePack;
  readonly extras: readonly CenterTraining[];
  readonly rooms: readonly Room[];
  readonly rows: readonly PoolRow[];
  readonly leadDays: number;
  readonly when: PoolWhen;
};

export async function buildPool(db: Knex, member: CenterMember, now: Date, on?: unknown): Promise<Pool> {
  const center = member.center;
  const when = poolWhen(center, now, on);
  const lead = center.expiryLeadDays;
  const [{ pack, extras }, rooms, people] = await Promise.all([
    centerPack(db, center, { includeArchived: true }),
    listRoomsInCenter(db, center.id),
    listVolunteersInCenter(db, center.id),
  ]);
  const ids = people.map((p) => p.id);
  const [records, availability, reach] = await Promise.all([listTrainingRecordsOfPeople(db, center.id, ids), listAvailabilityOfPeople(db, ids, when.day), listReachOfPeople(db, center.id, ids)]);
  const byPerson = groupBy(records, (r) => r.personId);
  const windows = groupBy(availability.windows, (w) => w.personId);
  const todays = new Map(availability.today.map((t) => [t.personId, t]));
  const covered = roomsToCover(rooms);
  const rows = people.map((person): PoolRow => {
    const mine = byPerson.get(person.id) ?? [];
    const onFile = personOnFile(person, mine);
    const bg = backgroundChip(person, when.day, lead);
    return {
      person,
      onFile,
      statuses: ratioStatuses(pack, onFile, when.window.start, lead),
      background: bg.chip,
      backgroundExpiring: bg.expiring,
      awaiting: mine.filter((r) => r.status === 'submitted').length,
      canCoverNow: rooms.filter((r) => covered.some((c) => c.id === r.id && eligibilityFor(pack, onFile, c.categories, when.window).eligible)),
      availableToday: available(windows.get(person.id) ?? [], todays.get(person.id), when),
      reach: reach.get(person.id) ?? 'none',
    };
  });
  return { pack, extras, rooms, rows, leadDays: lead, when };
}

export function applyFilter(pool: Pool, filter: PoolFilter): readonly PoolRow[] {
  switch (filter.kind) {
    case 'all':
      return pool.rows;
    case 'eligible':
      return pool.rows.filter((r) => r.canCoverNow.some((room) => room.id === filter.room.id));
    case 'expiring':
      return pool.rows.filter((r) => r.backgroundExpiring || r.statuses.some((s) => s.standing === 'expiring_soon'));
    case 'awaiting':
      return pool.rows.filter((r) => r.awaiting > 0);
  }
}

/** Reads `?filter=eligible&room=<id>|expiring|awaiting`; anything else shows everyone. */
export function parseFilter(query: Record<string, unknown>, rooms: readonly Room[]): PoolFilter {
  const kind = typeof query.filter === 'string' ? query.filter : '';
  if (kind === 'expiring' || kind === 'awaiting') return { kind };
  if (kind === 'eligible') {
    const room = rooms.find((r) => r.id === query.room);
    if (room) return { kind, room };
  }
  return { kind: 'all' };
}

function backgroundChip(person: Person, today: string, leadDays: number): { chip: Chip; expiring: boolean } {
  const label = 'Background study';
  switch (person.backgroundStudy) {
    case 'cleared': {
      const expires = person.backgroundExpiresOn;
      if (expires && expires <= today) return { chip: chipFor(label, 'expired', 'bad', '✗', `expired on ${expires}`), expiring: false };
      const soon = expires !== null && DateTime.fromISO(expires).minus({ days: leadDays }).toISODate()! <= today;
      const detail = expires ? `expires ${expires}` : 'no expiry on file';
      return { chip: soon ? chipFor(label, 'cleared, expiring soon', 'warn', '!', detail) : chipFor(label, 'cleared', 'ok', '✓', detail), expiring: soon };
    }
    case 'submitted':
      return { chip: chipFor(label, 'submitted, not cleared', 'info', '…'), expiring: false };
    case 'disqualified':
      return { chip: chipFor(label, 'disqualified', 'bad', '✗'), expiring: false };
    default:
      return { chip: chipFor(label, (STUDY_LABELS[person.backgroundStudy] ?? person.backgroundStudy).toLowerCase(), 'none', '○'), expiring: false };
  }
}

/** "today until 15:00" when they said so, "09:00–12:00 (usual hours)" from that weekday's windows, or null. */
function available(windows: readonly AvailabilityWindow[], today: AvailabilityToday | undefined, when: PoolWhen): string | null {
  // Judged now: what is left of today; judged for a day: that whole day.
  const hhmm = when.words === 'now' ? clockTime(when.window.start) : '00:00';
  if (today && when.isToday && today.until > hhmm) return `today until ${today.until}`;
  const usual = windows.filter((w) => w.weekday === when.window.start.weekday && w.end > hhmm);
  if (usual.length > 0) return usual.map((w) => rangeText(w.start, w.end)).join(', ') + ' (usual hours)';
  return null;
}

/** How alerts reach a volunteer beyond the app, as the pool says it. */
export const REACH_WORDS: Readonly<Record<Reach, string>> = {
  none: 'no channel (no account, or email and push turned off)',
  email: 'email only',
  push: 'push only',
  email_push: 'email and push',
};

/** A failed rejection, shown next to the reason field of its record in the queue. */
export type QueueFailure = { readonly recordId: string; readonly reason: string; readonly errors: FieldErrors };

/** Renders the pool page: filters, the volunteers' chips, and the queue of records awaiting verification. */
export async function renderPool(
  db: Knex,
  res: Response,
  member: CenterMember,
  now: Date,
  query: Record<string, unknown>,
  status: number,
  failed?: QueueFailure,
  /** What the last review did, shown above the queue ("Verified: …"). */
  flash?: { readonly message: string; readonly tone: 'ok' | 'error' },
) {
  const pool = await buildPool(db, member, now, query.on);
  const filter = parseFilter(query, pool.rooms);
  const rows = applyFilter(pool, filter);
  const submitted = await listSubmittedTrainingRecords(db, member.center.id);
  const owners = new Map((await listPeopleByIdsInCenter(db, member.center.id, [...new Set(submitted.map((r) => r.personId))])).map((p) => [p.id, p]));
  const centerId = member.center.id;
  const canReview = can(member, 'training_record.verify');
  const filterWords =
    filter.kind === 'eligible'
      ? `eligible for the ${filter.room.name} room ${pool.when.words}`
      : filter.kind === 'expiring'
        ? `with something expiring within ${pool.leadDays} days`
        : filter.kind === 'awaiting'
          ? 'with a training awaiting verification'
          : null;
  res.status(status).render('volunteers/index', {
    title: 'Volunteer pool',
    flash,
    center: { id: centerId, name: member.center.name },
    when: pool.when.words,
    day: pool.when.day,
    on: pool.when.words === 'now' ? '' : pool.when.day,
    leadDays: pool.leadDays,
    filterWords,
    filters: {
      options: [
        { value: '', label: 'Everyone', selected: filter.kind === 'all' },
        { value: 'eligible', label: 'Eligible for the room below', selected: filter.kind === 'eligible' },
        { value: 'expiring', label: `Expiring within ${pool.leadDays} days`, selected: filter.kind === 'expiring' },
        { value: 'awaiting', label: 'Awaiting verification', selected: filter.kind === 'awaiting' },
      ],
      rooms: pool.rooms.map((r) => ({ value: r.id, label: r.name, selected: filter.kind === 'eligible' && filter.room.id === r.id })),
      quick: pool.rooms.map((r) => ({ label: `Eligible for ${r.name} now`, href: `/centers/${centerId}/volunteers?filter=eligible&room=${r.id}` })),
    },
    count: rows.length,
    total: pool.rows.length,
    volunteers: rows.map((r) => ({
      id: r.person.id,
      name: r.person.displayName,
      level: r.person.qualifiesAs,
      chips: r.statuses.map(standingChip),
      background: r.background,
      backgroundUrl: `/centers/${centerId}/people/${r.person.id}/background-study`,
      awaiting: r.awaiting,
      canCoverNow: r.canCoverNow.map((room) => room.name).join(', '),
      availableToday: r.availableToday,
      reach: REACH_WORDS[r.reach],
      unreachable: r.reach === 'none',
    })),
    queue: submitted.map((r: TrainingRecord) => {
      const mine = failed?.recordId === r.id;
      const own = r.personId === member.personId;
      return {
        id: r.id,
        person: owners.get(r.personId)?.displayName ?? 'Unknown person',
        label: trainingLabel(pool.pack, pool.extras, r.trainingId),
        completedOn: r.completedOn,
        provider: r.provider,
        certificateNumber: r.certificateNumber,
        fileUrl: r.filePath ? `/centers/${centerId}/training-records/${r.id}/file` : null,
        canReview: canReview && !own,
        own,
        reason: mine ? failed.reason : '',
        reasonError: mine ? failed.errors.reason : undefined,
      };
    }),
  });
}
