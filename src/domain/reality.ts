import { clip, normalize, subtract, type Window } from './windows.js';

/** A presence as recorded: `end` is null while it is open (not checked out yet). */
export interface RecordedPresence {
  readonly start: number;
  readonly end: number | null;
}

/** What reality is judged from: a person's planned shifts and breaks in a room, and their presences recorded there. */
export interface PlannedAndRecorded {
  readonly shifts: readonly Window[];
  readonly breaks?: readonly Window[];
  readonly presences?: readonly RecordedPresence[];
}

/**
 * Reality before plan: where a person of a room's day stands at an instant, from
 * their shifts, breaks and recorded presences (see `personRealityAt`).
 */

/** The default grace period after a shift's start (minutes). */
export const DEFAULT_GRACE_MINUTES = 10;

/**
 * Where a person stands at `asOf` (reality before plan):
 * - `present`: open presence inside a planned shift (or one starting within the grace period);
 * - `present_unplanned`: open presence with no shift around now, also after their shift ended;
 * - `late`: a shift under way that they have not arrived in, within the grace period after its start;
 * - `no_show`: the same past the grace period (for the shift under way, even if a later one follows);
 * - `left`: was present in the shift under way, gone now;
 * - `due`: not present, no shift under way (or on a planned break), a later shift today;
 * - `done`: not present, nothing more today.
 */
export type PersonStatus = 'present' | 'present_unplanned' | 'late' | 'no_show' | 'left' | 'due' | 'done';

export interface PersonReality {
  readonly status: PersonStatus;
  /**
   * The planned shift the status is about: the one under way (present, late,
   * no_show, left, a break in it), the next one (due, or an early arrival), the
   * last one that ended (present_unplanned after a shift), else null.
   */
  readonly shift: Window | null;
  /** The windows in which the person is expected in the room from `asOf` on. */
  readonly ahead: readonly Window[];
}

/** The person's recorded presences up to `asOf`, an open one ending there. */
export function recordedBefore(person: PlannedAndRecorded, asOf: number): Window[] {
  const recorded: Window[] = [];
  for (const p of person.presences ?? []) {
    const end = Math.min(p.end ?? asOf, asOf);
    if (p.start < end) recorded.push({ start: p.start, end });
  }
  return recorded;
}

/**
 * Reality before plan, for one person in one room at `asOf` (see `PersonStatus`):
 * - present now inside a planned shift: expected until that shift ends, later
 *   breaks and shifts as planned (an open presence up to `graceMinutes` before a
 *   shift starts is an early arrival for it);
 * - present now with no shift around now: expected until `dayEnd` (they are
 *   there; nobody knows when they go);
 * - a shift under way they were present in and are gone from now: `left`, not
 *   expected for the rest of it; coming back late from a planned break is `late`
 *   within the grace period after the break, `left` after it;
 * - a shift under way they never arrived in: `late` (expected as planned) while
 *   `asOf` is less than `graceMinutes` after its start, else `no_show` (not
 *   expected for the rest of it);
 * - later shifts as planned; on a planned break, back at its end (`due`).
 * A presence is open when its end is null or after `asOf`.
 */
export function personRealityAt(person: PlannedAndRecorded, asOf: number, graceMinutes: number, dayEnd: number): PersonReality {
  const shifts = normalize(person.shifts);
  const breaks = normalize(person.breaks ?? []);
  const grace = Math.max(0, graceMinutes) * 60_000;
  const planFrom = (from: number) => clip(subtract(shifts, breaks), from, Infinity);
  const presences = person.presences ?? [];
  const presentNow = presences.some((p) => p.start <= asOf && (p.end === null || p.end > asOf));
  const wasIn = (from: number) => presences.some((p) => p.start < asOf && (p.end ?? asOf) > from && p.start < (p.end ?? asOf));
  const current = shifts.find((s) => s.start <= asOf && asOf < s.end) ?? null;

  if (presentNow) {
    const around = current ?? shifts.find((s) => s.start > asOf && s.start <= asOf + grace) ?? null;
    if (around) {
      // Here now: counted to the shift's end, minus breaks still to start; later shifts as planned.
      const rest = subtract([{ start: asOf, end: around.end }], breaks.filter((b) => b.start > asOf));
      return { status: 'present', shift: around, ahead: normalize([...rest, ...planFrom(around.end)]) };
    }
    const ended = [...shifts].reverse().find((s) => s.end <= asOf) ?? null;
    return { status: 'present_unplanned', shift: ended, ahead: [{ start: asOf, end: Math.max(dayEnd, asOf + 1) }] };
  }

  if (current) {
    const working = subtract([current], breaks).find((w) => w.start <= asOf && asOf < w.end) ?? null;
    const inShift = wasIn(current.start);
    let status: PersonStatus;
    if (!inShift) status = asOf < current.start + grace ? 'late' : 'no_show';
    else if (working === null) status = 'due'; // on a planned break, back at its end
    else if (wasIn(working.start)) status = 'left';
    else status = asOf < working.start + grace ? 'late' : 'left';
    const ahead = status === 'late' || status === 'due' ? planFrom(asOf) : planFrom(current.end);
    return { status, shift: current, ahead };
  }

  const ahead = planFrom(asOf);
  if (ahead.length === 0) return { status: 'done', shift: null, ahead };
  return { status: 'due', shift: shifts.find((s) => s.end > asOf) ?? null, ahead };
}
