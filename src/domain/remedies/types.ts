/**
 * The remedy search's plain data: what it reads (the center's rooms' day inputs as
 * the forecast takes them, the people, the pack, the need) and what it answers
 * (ranked remedies, each a code with numbers and ids; words are `src/words/remedies.ts`).
 * Instants are epoch milliseconds, windows half-open [start, end).
 */
import type { RulePack, Verification } from '../rule-pack.js';
import type { RoomDay } from '../forecast.js';
import type { Window } from '../windows.js';
import type { PersonInRoom, PersonReason, TrainingRecord, ViolationCode } from '../ratio/types.js';

/** One room of the center, its day as `forecastRoomDay` takes it, and who its people are. */
export interface RemedyRoom {
  readonly id: string;
  readonly day: RoomDay;
  /** Parallel to `day.people`: the id of each (the same id in two rooms is the same person). */
  readonly personIds: readonly string[];
  /** Licensed capacity (children); null: not known, not checked. */
  readonly capacity: number | null;
}

/** Someone who might be called in (and, for labels, anyone with a shift in a room). */
export interface RemedyPerson {
  readonly id: string;
  /** For ties in the ranking only. */
  readonly name?: string;
  /** As the engine takes them: verified trainings only. */
  readonly person: PersonInRoom;
  /** Training records submitted and awaiting review: they do not count (`pending_review`). */
  readonly pending?: readonly TrainingRecord[];
  /** When they said they can come in that day (weekly windows, "I can come in today"). */
  readonly available: readonly Window[];
  /** Planned and worked hours in the week of the need (fewer ranks first). */
  readonly hoursThisWeek?: number;
  /** Room ids they have worked in before. */
  readonly knowsRooms?: readonly string[];
}

/** A room short of counted people for a window. */
export interface RemedyNeed {
  readonly room: string;
  readonly start: number;
  readonly end: number;
}

export interface RemedyInput {
  readonly pack: RulePack;
  readonly zone: string;
  /** `YYYY-MM-DD`, the local day of every room's day. */
  readonly date: string;
  readonly rooms: readonly RemedyRoom[];
  readonly people: readonly RemedyPerson[];
  readonly need: RemedyNeed;
  /** The instant the labels describe ("in Infants now"); default the need room's `asOf`, else the need's start. */
  readonly now?: number | null;
}

// ---------------------------------------------------------------- what is true now

/** What is true of a person now, as the panel labels them. */
export type PersonLabel =
  | { readonly code: 'in_room_now'; readonly params: { readonly room: string } }
  | { readonly code: 'on_break_until'; readonly params: { readonly room: string; readonly until: number } }
  /** In another room now, which would breach without them. */
  | { readonly code: 'needed_in'; readonly params: { readonly room: string } }
  | { readonly code: 'scheduled_elsewhere'; readonly params: { readonly room: string; readonly start: number; readonly end: number } }
  /** Would count but for a training submitted and not yet verified. */
  | { readonly code: 'pending_review'; readonly params: { readonly training: string; readonly label: string } }
  | { readonly code: 'free'; readonly params: Record<string, never> };

// ---------------------------------------------------------------- why a remedy ranks where it does

export type RankReason =
  /** Nobody new is needed; the margin left where it is tightest (counted people who could still leave). */
  | { readonly code: 'nobody_new'; readonly params: { readonly margin: number } }
  | { readonly code: 'free_whole_window'; readonly params: Record<string, never> }
  | { readonly code: 'pair_covers_window'; readonly params: { readonly handoff: number } }
  | { readonly code: 'available_today'; readonly params: { readonly start: number; readonly end: number } | Record<string, never> }
  | { readonly code: 'knows_room'; readonly params: Record<string, never> }
  | { readonly code: 'hours_this_week'; readonly params: { readonly hours: number } }
  | { readonly code: 'needs_supervision'; readonly params: Record<string, never> };

// ---------------------------------------------------------------- remedies

/** How a room stands through the window after a remedy, where it is tightest. */
export interface RoomAfter {
  readonly room: string;
  /** Counted people who could still leave (the engine's margin), the least over the window. */
  readonly margin: number;
  /** Counted people still missing where most are missing (0: the room holds through the window). */
  readonly stillShort: number;
}

export interface MoveRemedy {
  readonly kind: 'move';
  /** Stable across recomputations of the same day (the web's action names it). */
  readonly key: string;
  readonly person: string;
  readonly from: string;
  readonly to: string;
  readonly start: number;
  readonly end: number;
  /** The room they leave, with them gone for the window: compliant, and this margin. */
  readonly source: RoomAfter;
  /** The room they join, with them there for the window. */
  readonly target: RoomAfter;
  readonly label: PersonLabel;
  readonly rank: readonly RankReason[];
}

/** A combined group at its fullest moment of the window. */
export interface CombinedFigures {
  readonly children: number;
  /** Per band id of the pack. */
  readonly byCategory: Readonly<Record<string, number>>;
  readonly requiredStaff: number;
  readonly countedStaff: number;
  /** The group-size limit that applies then; null: none. */
  readonly maxGroupSize: number | null;
}

/** The pack's mixed-age rule is not confirmed in rule text: the suggestion says so. */
export interface Unverified {
  readonly cite: string;
  readonly verified: Verification;
}

export interface MergeRemedy {
  readonly kind: 'merge';
  readonly key: string;
  /** The room that takes the combined group (its capacity holds all). */
  readonly into: string;
  /** The room whose children and staff move into `into`. */
  readonly from: string;
  readonly start: number;
  readonly end: number;
  readonly combined: CombinedFigures;
  /** Counted people who could leave the combined group for the whole window, one after another (ids). */
  readonly freed: readonly string[];
  /** Margin of the combined group with everyone staying, where it is tightest. */
  readonly margin: number;
  /** Children of more than one band are combined under a mixed-age rule the pack marks unverified. */
  readonly unverified: Unverified | null;
  readonly rank: readonly RankReason[];
}

/** One person called in for part (or all) of the window. */
export interface CallInPart {
  readonly person: string;
  readonly start: number;
  readonly end: number;
  readonly label: PersonLabel;
}

export interface CallInRemedy {
  readonly kind: 'call_in';
  readonly key: string;
  /** `whole`: one person free for the whole window; `pair`: two partial windows in turn; `today`: available today, to ask. */
  readonly coverage: 'whole' | 'pair' | 'today';
  readonly people: readonly CallInPart[];
  /** The need room with them there (for `today`: as if they came for the whole window). */
  readonly target: RoomAfter;
  readonly rank: readonly RankReason[];
}

export type Remedy = MoveRemedy | MergeRemedy | CallInRemedy;

/** Why someone is not offered, with what is true of them now. */
export interface NotOffered {
  readonly person: string;
  readonly label: PersonLabel;
  readonly why: Refusal;
}

/** Why a remedy is not offered (or, rechecked, refused). */
export type Refusal =
  | { readonly code: 'not_in_room'; readonly params: { readonly room: string } }
  | { readonly code: 'already_in_room'; readonly params: { readonly room: string } }
  | { readonly code: 'source_would_breach'; readonly params: { readonly room: string; readonly at: number; readonly violations: readonly ViolationCode[] } }
  | { readonly code: 'need_not_met'; readonly params: { readonly room: string; readonly at: number; readonly violations: readonly ViolationCode[] } }
  | { readonly code: 'not_counted'; readonly params: { readonly room: string; readonly missing: readonly PersonReason[] } }
  | { readonly code: 'over_capacity'; readonly params: { readonly room: string; readonly capacity: number; readonly children: number } }
  | { readonly code: 'combined_not_compliant'; readonly params: { readonly at: number; readonly violations: readonly ViolationCode[] } }
  | { readonly code: 'scheduled_elsewhere'; readonly params: { readonly room: string; readonly start: number; readonly end: number } }
  | { readonly code: 'not_available'; readonly params: Record<string, never> }
  | { readonly code: 'unknown_room'; readonly params: { readonly room: string } }
  /** The room is already merged with another for part of the window. */
  | { readonly code: 'already_merged'; readonly params: { readonly room: string } };

/** What the panel shows for one need. */
export interface RemedyPanel {
  readonly need: RemedyNeed;
  /** Ranked: moves and merges (nobody new) by margin left, then call-ins (whole, pairs, today). */
  readonly remedies: readonly Remedy[];
  /** People not offered, with what is true of them now and why. */
  readonly notOffered: readonly NotOffered[];
}
