import type { DateTime } from 'luxon';
import type { BackgroundStudyStatus, CoarseCategory, Level, RecordStatus, Role, RulePack, Training } from './rule-pack.js';
import { evaluatePerson } from './ratio/counting.js';
import { expiresOn, trainingAppliesTo } from './ratio/trainings.js';
import { addNote, isSameReason, type NoteReason, type PersonInRoom, type PersonReason } from './ratio/types.js';
import { addDays, compareCivil, formatCivilDate, parseCivilDate, type CivilDate } from './calendar.js';

/**
 * Who may be counted where, explained: a person's trainings in one vocabulary
 * and their eligibility for a room's age categories through a window of time.
 * The counting itself is the ratio engine's (`evaluatePerson`), never redone here.
 */

export type { RecordStatus } from './rule-pack.js';

/** A completed training as the engine reads it (services/person-on-file.ts makes it from a record). */
export interface TrainingOnFile {
  readonly trainingId: string;
  /** `YYYY-MM-DD`. */
  readonly completedOn: string;
  readonly status: RecordStatus;
  readonly rejectionReason?: string | null;
}

/** A person as the center keeps them on file. */
export interface PersonOnFile {
  readonly role: Role;
  readonly qualifiesAs?: Level | null;
  /** `YYYY-MM-DD`, or null with `adultAttested` ("18 or older"). */
  readonly birthDate?: string | null;
  readonly adultAttested?: boolean;
  readonly backgroundStudy: BackgroundStudyStatus;
  /** `YYYY-MM-DD` from which a cleared study no longer holds, when the center entered one. */
  readonly backgroundExpiresOn?: string | null;
  /** `YYYY-MM-DD` of the first day of direct contact. */
  readonly startedOn?: string | null;
  readonly trainings: readonly TrainingOnFile[];
}

/** One vocabulary everywhere for a training's standing. */
export type TrainingStanding = 'not_started' | 'pending_review' | 'current' | 'expiring_soon' | 'expired' | 'rejected';

export const STANDING_WORDS: Readonly<Record<TrainingStanding, string>> = {
  not_started: 'not started',
  pending_review: 'pending review',
  current: 'current',
  expiring_soon: 'expiring soon',
  expired: 'expired',
  rejected: 'rejected',
};

export interface TrainingStatus {
  readonly training: Training;
  readonly standing: TrainingStanding;
  /** Completion of the record that decides the standing, if any. */
  readonly completedOn: string | null;
  /** First day on which it no longer counts, for a verified completion that renews. */
  readonly expiresOn: string | null;
  readonly rejectionReason: string | null;
}

/**
 * The standing of one training on the local date `on`. Only verified records
 * count; a current verified record wins, then one awaiting review, then an
 * expired one, then a rejection. "Expiring soon" still counts: within
 * `leadDays` of the expiry date.
 */
export function trainingStatus(training: Training, records: readonly TrainingOnFile[], on: CivilDate, leadDays: number): TrainingStatus {
  let verified: CivilDate | null = null;
  let pending: TrainingOnFile | null = null;
  let rejected: TrainingOnFile | null = null;
  for (const record of records) {
    if (record.trainingId !== training.id) continue;
    const done = parseCivilDate(record.completedOn);
    if (!done || compareCivil(done, on) > 0) continue;
    if (record.status === 'verified') {
      if (!verified || compareCivil(done, verified) > 0) verified = done;
    } else if (record.status === 'submitted') {
      pending = record;
    } else if (!rejected || record.completedOn > rejected.completedOn) {
      rejected = record;
    }
  }
  const base = { training, rejectionReason: null };
  if (verified) {
    const expiry = expiresOn(training, verified);
    const completedOn = formatCivilDate(verified);
    if (!expiry || compareCivil(on, expiry) < 0) {
      const soon = expiry !== null && compareCivil(on, addDays(expiry, -leadDays)) >= 0;
      return { ...base, standing: soon ? 'expiring_soon' : 'current', completedOn, expiresOn: expiry ? formatCivilDate(expiry) : null };
    }
    if (!pending) return { ...base, standing: 'expired', completedOn, expiresOn: formatCivilDate(expiry) };
  }
  if (pending) return { ...base, standing: 'pending_review', completedOn: pending.completedOn, expiresOn: null };
  if (rejected) {
    return { ...base, standing: 'rejected', completedOn: rejected.completedOn, expiresOn: null, rejectionReason: rejected.rejectionReason ?? null };
  }
  return { ...base, standing: 'not_started', completedOn: null, expiresOn: null };
}

/** The standing of every training the pack asks of this person's role or level, in pack order. */
export function trainingStatuses(pack: RulePack, person: PersonOnFile, on: CivilDate, leadDays: number): TrainingStatus[] {
  const level = person.qualifiesAs ?? null;
  return pack.trainings
    .filter((t) => trainingAppliesTo(pack, t, person.role, level))
    .map((t) => trainingStatus(t, person.trainings, on, leadDays));
}

/** The person as the ratio engine takes them: verified trainings only; "18 or older" as 18. */
export function toPersonInRoom(person: PersonOnFile): PersonInRoom {
  return {
    role: person.role,
    qualifiesAs: person.qualifiesAs ?? null,
    birthDate: person.birthDate ?? null,
    ageYears: person.birthDate ? null : person.adultAttested ? 18 : null,
    backgroundStudy: person.backgroundStudy,
    backgroundExpiresOn: person.backgroundExpiresOn ?? null,
    startedOn: person.startedOn ?? null,
    trainings: person.trainings.filter((t) => t.status === 'verified').map((t) => ({ id: t.trainingId, completedOn: t.completedOn })),
  };
}

export interface Eligibility {
  /** May be counted in a group with these categories from the window's start to its end. */
  readonly eligible: boolean;
  readonly countsAs: Level | null;
  /** Every missing item, as reasons (in words: "Safe sleep (SUID) training missing: …", "CPR: expired on 2026-10-01"). */
  readonly missing: readonly PersonReason[];
  /** Would count, but only with a teacher or assistant teacher in the room (e.g. an aide under 18). */
  readonly needsSupervision: boolean;
  readonly notes: readonly NoteReason[];
}

/**
 * Eligibility for a room's age categories through the half-open window
 * [start, end): judged at its start and at its last moment, so a training or
 * study expiring inside the window rules the person out.
 */
export function eligibilityFor(
  pack: RulePack,
  person: PersonOnFile,
  categories: readonly CoarseCategory[],
  window: { readonly start: DateTime; readonly end: DateTime },
): Eligibility {
  const inRoom = toPersonInRoom(person);
  const last = window.end.minus({ milliseconds: 1 }) < window.start ? window.start : window.end.minus({ milliseconds: 1 });
  const atStart = evaluatePerson(pack, inRoom, categories, window.start);
  const atEnd = evaluatePerson(pack, inRoom, categories, last);
  const missing: PersonReason[] = [];
  for (const standing of [atStart, atEnd]) {
    if (standing.counted) continue;
    for (const r of standing.missing) if (!missing.some((m) => isSameReason(m, r))) missing.push(r);
  }

  if (missing.length === 0 && (!atStart.counted || !atEnd.counted)) missing.push({ code: 'does_not_count', params: {} });
  const notes: NoteReason[] = [];
  for (const note of [...atStart.notes, ...atEnd.notes]) addNote(notes, note);
  const eligible = atStart.counted && atEnd.counted;
  return {
    eligible,
    countsAs: eligible ? atStart.countsAs : null,
    missing: eligible ? [] : missing,
    needsSupervision: atStart.needsSupervision || atEnd.needsSupervision,
    notes,
  };
}

export interface RoomToCover {
  readonly id: string;
  readonly name: string;
  readonly categories: readonly CoarseCategory[];
}

export interface CoverSummary {
  readonly canCover: readonly RoomToCover[];
  readonly cannotCover: readonly { readonly room: RoomToCover; readonly missing: readonly PersonReason[] }[];
}

/**
 * What a person still needs to count in a group with these categories through the
 * window, as a checklist: the engine's reasons (`eligibilityFor`), and, when no
 * qualification level is on record, also what the pack asks at its lowest level, so a
 * new volunteer reads the study and trainings they need and not only "no level on
 * record" (the trainings and study are asked whatever level a director sets). Empty
 * when the person counts.
 */
export function stillNeeded(
  pack: RulePack,
  person: PersonOnFile,
  categories: readonly CoarseCategory[],
  window: { readonly start: DateTime; readonly end: DateTime },
): readonly PersonReason[] {
  const e = eligibilityFor(pack, person, categories, window);
  if (e.eligible) return [];
  const lowest = pack.levels[0]?.level;
  if (!lowest || !e.missing.some((r) => r.code === 'no_level_on_record')) return e.missing;
  const asIf = eligibilityFor(pack, { ...person, qualifiesAs: lowest }, categories, window);
  const missing = e.missing.filter((r) => r.code !== 'does_not_count');
  for (const r of asIf.missing) if (r.code !== 'does_not_count' && !missing.some((m) => isSameReason(m, r))) missing.push(r);
  return missing;
}

/** For the volunteer's home page: "You can cover: …. For the Infant room you still need: …". */
export function coverSummary(
  pack: RulePack,
  person: PersonOnFile,
  rooms: readonly RoomToCover[],
  window: { readonly start: DateTime; readonly end: DateTime },
): CoverSummary {
  const canCover: RoomToCover[] = [];
  const cannotCover: { room: RoomToCover; missing: readonly PersonReason[] }[] = [];
  for (const room of rooms) {
    const missing = stillNeeded(pack, person, room.categories, window);
    if (missing.length === 0) canCover.push(room);
    else cannotCover.push({ room, missing });
  }
  return { canCover, cannotCover };
}
