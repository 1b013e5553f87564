import { DateTime } from 'luxon';
import type { Center, Room } from '../../db/rows.js';
import {
  STANDING_WORDS,
  coverSummary,
  trainingStatus,
  trainingStatuses,
  type PersonOnFile,
  type RoomToCover,
  type TrainingStanding,
  type TrainingStatus,
} from '../../domain/eligibility.js';
import { trainingsToCount } from '../../domain/ratio/trainings.js';
import type { PersonReason } from '../../domain/ratio/types.js';
import { reasonText } from '../../domain/ratio/words.js';
import { COARSE_CATEGORIES, isCoarseCategory, type RulePack, type Training } from '../../domain/rule-pack.js';
import { rangeText } from '../../words/format.js';

/**
 * Words, icons and classes for the one vocabulary of training standings, and
 * the plain sentences a volunteer reads about where they can cover. Colour is
 * never the only signal: every chip carries an icon and the word.
 */

const ICONS: Readonly<Record<TrainingStanding, string>> = {
  not_started: '○',
  pending_review: '…',
  current: '✓',
  expiring_soon: '!',
  expired: '✗',
  rejected: '✗',
};

export type Chip = { readonly label: string; readonly word: string; readonly icon: string; readonly tone: string; readonly detail: string | null };

const TONES: Readonly<Record<TrainingStanding, string>> = {
  not_started: 'none',
  pending_review: 'info',
  current: 'ok',
  expiring_soon: 'warn',
  expired: 'bad',
  rejected: 'bad',
};

export function standingChip(s: TrainingStatus): Chip {
  const detail =
    s.standing === 'current' || s.standing === 'expiring_soon'
      ? s.expiresOn
        ? `expires ${s.expiresOn}`
        : 'does not expire'
      : s.standing === 'expired'
        ? `expired on ${s.expiresOn}`
        : s.standing === 'pending_review'
          ? `completed ${s.completedOn}`
          : s.standing === 'rejected'
            ? s.rejectionReason
            : null;
  return { label: s.training.label, word: STANDING_WORDS[s.standing], icon: ICONS[s.standing], tone: TONES[s.standing], detail };
}

/** Word, icon and tone of a standing, for a chip or a table cell. */
export function standingLook(standing: TrainingStanding): { word: string; icon: string; tone: string } {
  return { word: STANDING_WORDS[standing], icon: ICONS[standing], tone: TONES[standing] };
}

export function chipFor(label: string, word: string, tone: string, icon: string, detail: string | null = null): Chip {
  return { label, word, icon, tone, detail };
}

/** The trainings that decide whether this person counts toward ratio in some room, by the engine's own list. */
export function ratioTrainings(pack: RulePack, person: PersonOnFile): readonly Training[] {
  return trainingsToCount(pack, person.role, person.qualifiesAs ?? person.role, new Set(COARSE_CATEGORIES));
}

/** The standing of each training that counts for ratio, on the local date of `at`. */
export function ratioStatuses(pack: RulePack, person: PersonOnFile, on: DateTime, leadDays: number): TrainingStatus[] {
  const ids = new Set(ratioTrainings(pack, person).map((t) => t.id));
  return trainingStatuses(pack, person, civil(on), leadDays).filter((s) => ids.has(s.training.id));
}

export const civil = (d: DateTime) => ({ year: d.year, month: d.month, day: d.day });

export function roomsToCover(rooms: readonly Room[]): RoomToCover[] {
  return rooms
    .map((r) => ({ id: r.id, name: r.name, categories: r.ageCategories.filter(isCoarseCategory) }))
    .filter((r) => r.categories.length > 0);
}

export type Window = { readonly start: DateTime; readonly end: DateTime; readonly words: string };

/** The rest of today (now → closing time); after closing, tomorrow's opening hours. */
export function restOfDay(center: Pick<Center, 'timeZone' | 'opensAt' | 'closesAt'>, now: Date): Window {
  const here = DateTime.fromJSDate(now).setZone(center.timeZone);
  const at = (day: DateTime, hhmm: string) => {
    const [h, m] = hhmm.split(':').map(Number);
    return day.startOf('day').set({ hour: h ?? 0, minute: m ?? 0 });
  };
  const closes = at(here, center.closesAt);
  if (here < closes) return { start: here, end: closes, words: `for the rest of today (until ${center.closesAt})` };
  const tomorrow = here.plus({ days: 1 });
  return { start: at(tomorrow, center.opensAt), end: at(tomorrow, center.closesAt), words: `tomorrow (${rangeText(center.opensAt, center.closesAt)})` };
}

export type ChecklistItem = { readonly what: string; readonly how: string | null };

export type CoverLine = {
  readonly when: string;
  /** Room names joined: "Toddlers, Preschool", or null for none. */
  readonly canCover: string | null;
  /** Rooms needing the same things share one list: "Infants or Toddlers". */
  readonly stillNeed: readonly { readonly rooms: string; readonly items: readonly ChecklistItem[] }[];
};

/**
 * "You can cover: Toddlers, Preschool. To count in Infants you still need: a cleared
 * background study; Safe sleep (SUID) …", judged through `window`, each item with how
 * to get it.
 */
export function coverLine(pack: RulePack, person: PersonOnFile, rooms: readonly Room[], window: Window): CoverLine {
  const summary = coverSummary(pack, person, roomsToCover(rooms), window);
  const on = civil(window.start);
  const groups = new Map<string, { rooms: string[]; items: ChecklistItem[] }>();
  for (const c of summary.cannotCover) {
    const items = c.missing.map((r) => checklistItem(pack, person, r, on));
    const key = JSON.stringify(items);
    const group = groups.get(key);
    if (group) group.rooms.push(c.room.name);
    else groups.set(key, { rooms: [c.room.name], items });
  }
  return {
    when: window.words,
    canCover: summary.canCover.length > 0 ? summary.canCover.map((r) => r.name).join(', ') : null,
    stillNeed: [...groups.values()].map((g) => ({ rooms: orList(g.rooms), items: g.items })),
  };
}

/** "Infants", "Infants or Toddlers", "Infants, Toddlers or Preschool". */
function orList(names: readonly string[]): string {
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}

/** One thing still needed, in plain words, with how to get it. */
export function checklistItem(pack: RulePack, person: PersonOnFile, r: PersonReason, on: ReturnType<typeof civil>): ChecklistItem {
  switch (r.code) {
    case 'no_level_on_record':
      return { what: 'a qualification level on record', how: 'your director sets it' };
    case 'study_not_given':
      return { what: 'a cleared background study', how: 'your director records it' };
    case 'background_study':
      if (r.params.status === 'submitted') return { what: 'a cleared background study (yours is submitted, awaiting the result)', how: 'your director records it when it clears' };
      if (r.params.status === 'not_started') return { what: 'a cleared background study', how: 'ask your director to start it' };
      return { what: reasonText(r), how: null };
    case 'study_expired':
      return { what: `a renewed background study (the last one ran out on ${r.params.on})`, how: 'ask your director' };
    case 'training_expired':
      return { what: `${r.params.training} (expired on ${r.params.on})`, how: 'record the renewal' };
    case 'training_missing': {
      const training = pack.trainings.find((t) => t.label === r.params.training);
      const status = training ? trainingStatus(training, person.trainings, on, 0) : null;
      if (status?.standing === 'pending_review') return { what: `${r.params.training} (recorded, pending review)`, how: 'your director verifies it' };
      if (status?.standing === 'rejected') {
        return { what: `${r.params.training} (not accepted${status.rejectionReason ? `: ${status.rejectionReason}` : ''})`, how: 'record it again' };
      }
      return { what: r.params.training, how: 'record it' };
    }
    default:
      return { what: reasonText(r), how: null };
  }
}
