/**
 * The ratio engine's shared types: the group it judges (children, people, the
 * day's hours), what it answers (`RoomEvaluation`, `PersonEvaluation`,
 * `Violation`) and every reason it gives, as a code with its parameters
 * (`Reason`); `words.ts` turns a reason into English.
 */
import type { Activity, BackgroundStudyStatus, Level, Role, RulePack } from '../rule-pack.js';
import type { DayMemo } from './evaluate-room.js';

export interface TrainingRecord {
  readonly id: string;
  /** `YYYY-MM-DD`. Only verified records should be passed in. */
  readonly completedOn: string;
}

export interface ChildInRoom {
  /** `YYYY-MM-DD`. */
  readonly birthDate: string;
  /** Has attended the first day of kindergarten. */
  readonly attendsKindergarten?: boolean;
  /**
   * A category the center has designated the child into, on a record it keeps
   * (the pack's `designations` say which are recognized and on what basis).
   */
  readonly designation?: ChildDesignation | null;
  /** Counted staff this child needs beyond the ratio (e.g. 1 for 1:1 from an individual plan), entered by the center. */
  readonly dedicatedStaff?: number | null;
}

export interface ChildDesignation {
  /** Band id of the pack. */
  readonly band: string;
  readonly basis: 'age_flexibility' | 'kindergarten_eligible';
  /** `YYYY-MM-DD` the agreement was recorded (age flexibility). */
  readonly agreedOn?: string | null;
  /** `YYYY-MM-DD` the child is to start kindergarten, as the center entered it (kindergarten eligibility). */
  readonly kindergartenStartsOn?: string | null;
}

export interface PersonInRoom {
  readonly role: Role;
  /** The staff qualification level held on record. */
  readonly qualifiesAs?: Level | null;
  /** Meets every requirement of role and level (age, study, trainings), which are then not checked; a stated `backgroundStudy` still applies. */
  readonly qualified?: boolean;
  readonly ageYears?: number | null;
  /** `YYYY-MM-DD`; used for the age when `ageYears` is not given. */
  readonly birthDate?: string | null;
  readonly backgroundStudy?: BackgroundStudyStatus | null;
  /** `YYYY-MM-DD` from which a cleared study no longer holds, when the center entered one. */
  readonly backgroundExpiresOn?: string | null;
  readonly trainings?: readonly TrainingRecord[];
  /** `YYYY-MM-DD` of the first day of direct contact at this center (grace periods, days worked). */
  readonly startedOn?: string | null;
  /** What the level held rests on, where the pack limits it (e.g. 'nurse': a teacher through an RN or LPN license). */
  readonly qualifiedThrough?: string | null;
}

export interface Group {
  readonly activity: Activity;
  readonly children: readonly ChildInRoom[];
  readonly people: readonly PersonInRoom[];
  /** A room's own group-size limit; only ever makes the pack's limit stricter. */
  readonly maxGroupSize?: number | null;
  /** The group is part of a night program (the pack's `nightCare`); `asleep`: how many of the children present are asleep. */
  readonly night?: { readonly asleep?: number | null } | null;
  /** The center's hours and arrival/departure windows, when it has set them: checked against the pack's cap before anyone stands in for a lead. */
  readonly hours?: DayHours | null;
  /** Children in care in the whole center now, when the caller knows it (a time-of-day ratio's condition); the group's own count at least. */
  readonly childrenInCenter?: number | null;
}

/** A center's daily hours of operation and its arrival and departure windows, as `HH:MM` wall-clock times. */
export interface DayHours {
  readonly opens: string;
  readonly closes: string;
  readonly arrivalDeparture: readonly { readonly from: string; readonly to: string }[];
}

/** The rules a group can break, in the order an evaluation lists them. */
export type ViolationCode = 'over_ratio' | 'over_group_size' | 'staff_distribution' | 'unsupervised_staff' | 'below_minimum_age';

export interface Violation {
  readonly code: ViolationCode;
  /** What exactly is wrong, for the words (`reasonText`); null when judged with `explain: false`. */
  readonly reason: ViolationReason | null;
  /** Indexes into `group.people` the violation is about, where it is about people. */
  readonly people?: readonly number[];
}

export type Presence = 'allowed' | 'supervised_only' | 'not_allowed';

export interface PersonEvaluation {
  readonly counted: boolean;
  readonly countsAs: Level | null;
  readonly reasons: readonly PersonReason[];
  readonly presence: Presence;
  /** May be here only under direct supervision (and whether that holds now). */
  readonly needsSupervision: boolean;
  readonly supervised: boolean;
}

export interface RoomEvaluation {
  readonly state: RulePack['id'];
  readonly packStatus: 'draft' | 'verified';
  readonly activity: Activity;
  readonly compliant: boolean;
  readonly children: number;
  /** Children per band id of the pack, every band listed. */
  readonly byCategory: Readonly<Record<string, number>>;
  readonly requiredStaff: number;
  readonly countedStaff: number;
  /** The group-size limit that applies now; null when none does. */
  readonly maxGroupSize: number | null;
  readonly staff: readonly PersonEvaluation[];
  readonly violations: readonly Violation[];
  readonly margin: { readonly staff: number; readonly children: Readonly<Record<string, number>> };
  readonly notes: readonly NoteReason[];
}

export interface EvaluateOptions {
  /**
   * false: codes, counts and margins only; reasons, violations' reasons and
   * notes are left empty. For callers that judge a room many times and show
   * none of the words (the forecast's intervals, the cover search). Default true.
   */
  readonly explain?: boolean;
  /**
   * The caller's memo of one room's day (`newDayMemo`), for a caller that
   * judges the same children and people many times on a day; read only
   * without words (`explain: false`). Answers are the same with or without it.
   */
  readonly memo?: DayMemo;
}

/** What `evaluatePerson` says of one person, for eligibility and cover matching. */
export interface PersonStanding {
  readonly counted: boolean;
  readonly countsAs: Level | null;
  /** Every line about the person, as the board and ratio-check show them. */
  readonly reasons: readonly PersonReason[];
  /** Only what keeps the person from counting (not remarks such as a grace period or a supervision condition). */
  readonly missing: readonly PersonReason[];
  readonly presence: Presence;
  /** Would be present only under direct supervision (a pending study, an aide under 18, a supervised volunteer). */
  readonly needsSupervision: boolean;
  /** Stricter readings taken while judging this person. */
  readonly notes: readonly NoteReason[];
}

// ---------------------------------------------------------------- reasons
// Labels, cites and sentences in the parameters are the pack's own data, as the pack spells them.

/** A level as matching names it: its id and the pack's label for it (null when the pack has none). */
export type LevelName = { readonly id: Level; readonly label: string | null } | null;

/** Why a person does or does not count, or a condition on their counting. */
export type PersonReason =
  | { readonly code: 'role_never_counts'; readonly params: { readonly role: Role; readonly packReason: string | null } }
  | { readonly code: 'no_level_on_record'; readonly params: { readonly role: Role; readonly packReason: string | null } }
  | {
      readonly code: 'level_basis_limited';
      /** `held`: the label of the level held instead in this group, null for none. */
      readonly params: { readonly text: string; readonly cite: string; readonly held: string | null };
    }
  | { readonly code: 'not_a_level'; readonly params: { readonly level: string; readonly levels: readonly string[] } }
  | { readonly code: 'study_not_given'; readonly params: Record<string, never> }
  | { readonly code: 'background_study'; readonly params: { readonly status: BackgroundStudyStatus } }
  | { readonly code: 'study_expired'; readonly params: { readonly on: string } }
  | { readonly code: 'age_not_given'; readonly params: { readonly level: string; readonly minAge: number; readonly cite: string } }
  | { readonly code: 'under_age'; readonly params: { readonly role: Role; readonly level: string; readonly minAge: number; readonly cite: string } }
  | { readonly code: 'training_expired'; readonly params: { readonly training: string; readonly on: string } }
  | { readonly code: 'training_in_grace'; readonly params: { readonly training: string; readonly graceDays: number | undefined } }
  | { readonly code: 'training_missing'; readonly params: { readonly training: string; readonly deadline: string } }
  | {
      readonly code: 'supervised_below_age';
      readonly params: { readonly level: string; readonly age: number; readonly supervisor: string; readonly cite: string };
    }
  | { readonly code: 'supervised_when_not_counted'; readonly params: { readonly role: Role; readonly supervisor: string } }
  | { readonly code: 'not_supervised'; readonly params: { readonly supervisor: string } }
  /** Eligibility: not counted, with nothing more specific to say. */
  | { readonly code: 'does_not_count'; readonly params: Record<string, never> }
  /** Matching: counts, but below the level a cover asks for. */
  | { readonly code: 'below_cover_level'; readonly params: { readonly countsAs: LevelName; readonly needs: LevelName } };

/** Children of one band present, for the words of a violation. */
export interface BandCount {
  readonly band: string;
  readonly count: number;
}

/** The ratio used for a group: children per staff of the governing band, or null for pro rata across bands. */
export interface RatioUsed {
  readonly childrenPerStaff: number | null;
  readonly band: string;
  readonly napTime: boolean;
  readonly mixed: boolean;
  /** The rule the ratio comes from when it is not the band's first row (an alternative, a listed mix, a time of day, pairs), in the pack's words with its cite. */
  readonly basis?: string;
}

export interface OverRatio {
  readonly children: readonly BandCount[];
  /** Staff the ratio and children's own plans ask for. */
  readonly required: number;
  readonly counted: number;
  readonly ratio: RatioUsed;
  /** Staff dedicated to children's individual plans, within `required`. */
  readonly dedicated: number;
}

/** A person of the group by index, as a violation names them. */
export interface StaffRef {
  readonly index: number;
  readonly role: Role;
}

export type ViolationReason =
  | { readonly code: 'over_ratio'; readonly params: OverRatio }
  | {
      readonly code: 'over_night_minimum';
      readonly params: OverRatio & { readonly minStaff: number; readonly lead: string; readonly cite: string };
    }
  | {
      /** The ratio asked fewer staff than a minimum the pack sets for this group (an activity, a listed mix). */
      readonly code: 'over_staff_minimum';
      readonly params: OverRatio & { readonly minStaff: number; readonly lead: string | null; readonly rule: string; readonly cite: string };
    }
  | { readonly code: 'over_room_group_size'; readonly params: { readonly children: number; readonly max: number | null } }
  | {
      readonly code: 'over_mixed_group_cap';
      readonly params: { readonly children: number; readonly max: number | null; readonly underMonths: number; readonly cite: string };
    }
  | { readonly code: 'over_pro_rata_load'; readonly params: { readonly children: number; readonly staff: number; readonly cite: string } }
  | {
      readonly code: 'over_group_size';
      readonly params: { readonly children: number; readonly max: number | null; readonly band: string; readonly mixed: boolean; readonly cite: string };
    }
  | {
      readonly code: 'staff_distribution';
      readonly params: {
        /** The first slot (1-based) of the pattern no one can fill, and the level it needs. */
        readonly slot: number;
        readonly level: string;
        /** The level is the pack's highest. */
        readonly highest: boolean;
        readonly night: 'awake' | 'asleep' | null;
        readonly activity: Activity;
        /** Who may stand in for the slot now; `meeting`: the cite of the conditions they must meet, null for none. */
        readonly standIns: readonly { readonly level: string; readonly meeting: string | null }[];
        /** The counted staff by level, highest first; `level` null: a level the pack does not rank. */
        readonly staff: readonly { readonly level: string | null; readonly count: number }[];
        readonly cite: string;
        readonly nightCite: string | null;
      };
    }
  | { readonly code: 'unsupervised_staff'; readonly params: { readonly staff: readonly StaffRef[]; readonly supervisor: string; readonly cite: string } }
  | { readonly code: 'below_minimum_age'; readonly params: { readonly children: number; readonly age: string; readonly cite: string } };

/** A window as `HH:MM` wall-clock times. */
export interface WindowText {
  readonly from: string;
  readonly to: string;
}

/** Why a center's arrival and departure windows cannot be used. */
export type DayHoursProblem =
  | { readonly code: 'opening_time_unreadable'; readonly params: { readonly time: string } }
  | { readonly code: 'closing_time_unreadable'; readonly params: { readonly time: string } }
  | { readonly code: 'closes_before_opening'; readonly params: { readonly opens: string; readonly closes: string } }
  | { readonly code: 'too_many_windows'; readonly params: Record<string, never> }
  | { readonly code: 'window_unreadable'; readonly params: WindowText }
  | { readonly code: 'window_ends_before_start'; readonly params: WindowText }
  | { readonly code: 'window_outside_hours'; readonly params: WindowText & { readonly opens: string; readonly closes: string } }
  | { readonly code: 'windows_overlap'; readonly params: { readonly first: WindowText; readonly second: WindowText } }
  | {
      readonly code: 'windows_too_long';
      readonly params: { readonly minutes: number; readonly share: number; readonly dayMinutes: number; readonly capMinutes: number; readonly cite: string };
    };

/** What a designation asked for, and the band the child's age gives. */
export interface DesignationAsked {
  /** The band designated: its label, or its id as given when the pack has no such band (`known` false). */
  readonly band: string;
  readonly known: boolean;
  readonly basis: ChildDesignation['basis'];
  /** The label of the band the child's age gives. */
  readonly ageBand: string;
}

/** A stricter reading taken, or something the engine cannot see, about the group judged. */
export type NoteReason =
  /** One of the pack's own sentences (a `{band}` in it already filled with the band's label, lower-cased). */
  | { readonly code: 'pack_note'; readonly params: { readonly text: string } }
  | { readonly code: 'above_maximum_age'; readonly params: { readonly age: string; readonly cite: string } }
  | { readonly code: 'below_minimum_counted_youngest'; readonly params: { readonly age: string } }
  | { readonly code: 'renewal_unconfirmed'; readonly params: { readonly training: string; readonly months: number | null; readonly cite: string } }
  | { readonly code: 'not_allowed_present'; readonly params: StaffRef & { readonly study: BackgroundStudyStatus | null; readonly cite: string } }
  | { readonly code: 'windows_not_accepted'; readonly params: { readonly problems: readonly DayHoursProblem[] } }
  | { readonly code: 'outside_windows'; readonly params: { readonly at: string; readonly windows: readonly WindowText[]; readonly cite: string } }
  | { readonly code: 'designation_unrecognized'; readonly params: DesignationAsked }
  | { readonly code: 'designation_wrong_age'; readonly params: DesignationAsked & { readonly fromBands: readonly string[]; readonly cite: string } }
  | { readonly code: 'designation_younger_only'; readonly params: DesignationAsked & { readonly cite: string } }
  | { readonly code: 'designation_no_agreement'; readonly params: DesignationAsked & { readonly on: string; readonly requires: string } }
  | { readonly code: 'designation_no_kindergarten_date'; readonly params: DesignationAsked & { readonly requires: string } }
  | {
      readonly code: 'designation_kindergarten_too_far';
      readonly params: DesignationAsked & { readonly starts: string; readonly withinMonths: number; readonly on: string; readonly cite: string };
    };

/** Every reason the engine gives, as a code (snake_case) and its parameters; `reasonText` words it. */
export type Reason = PersonReason | ViolationReason | NoteReason | DayHoursProblem;

/** Whether two reasons say the same thing: the same code and equal parameters. */
export function isSameReason(a: Reason, b: Reason): boolean {
  return a === b || (a.code === b.code && sameValue(a.params, b.params));
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  // The own enumerable keys Object.keys would list, walked without making the lists (notes are compared on every add).
  let keys = 0;
  for (const k in a) {
    if (!Object.hasOwn(a, k)) continue;
    keys += 1;
    if (!sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  for (const k in b) if (Object.hasOwn(b, k)) keys -= 1;
  return keys === 0;
}

/** Adds `note` to `notes` once (notes keep the order they were first given in). */
export function addNote(notes: NoteReason[], note: NoteReason): void {
  for (let i = 0; i < notes.length; i++) if (isSameReason(notes[i]!, note)) return;
  notes.push(note);
}
