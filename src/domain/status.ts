import type { CoarseCategory, RulePack } from './rule-pack.js';
import type { RoomEvaluation, ViolationCode } from './ratio/types.js';

/**
 * A room's status in the one vocabulary of domain.md, shown on the board, kept
 * in the compliance history and used by forecasts: the worst violation wins.
 */
export type RoomStatus = 'ok' | 'at_limit' | 'out_of_ratio' | 'over_group_size' | 'needs_lead' | 'needs_supervision' | 'too_young';

export const STATUS_WORDS: Readonly<Record<RoomStatus, string>> = {
  ok: 'ok',
  at_limit: 'at limit',
  out_of_ratio: 'out of ratio',
  over_group_size: 'over group size',
  needs_lead: 'needs lead',
  needs_supervision: 'needs supervision',
  too_young: 'child under minimum age',
};

/** Worst first. */
const BY_VIOLATION: readonly (readonly [ViolationCode, RoomStatus])[] = [
  ['over_ratio', 'out_of_ratio'],
  ['over_group_size', 'over_group_size'],
  ['staff_distribution', 'needs_lead'],
  ['unsupervised_staff', 'needs_supervision'],
  ['below_minimum_age', 'too_young'],
];

/**
 * The status of an evaluated room. A compliant room is `at_limit` when it has
 * children and not one more child of any category it serves could join
 * without a ratio or group-size violation (margin zero), else `ok`.
 */
export function roomStatus(pack: RulePack, evaluation: RoomEvaluation, serves: readonly CoarseCategory[]): RoomStatus {
  // Plain loops: the forecast asks this of every slice of every room.
  const violations = evaluation.violations;
  for (const [code, status] of BY_VIOLATION) {
    for (let i = 0; i < violations.length; i++) if (violations[i]!.code === code) return status;
  }
  if (evaluation.children === 0) return 'ok';
  for (const b of pack.bands) {
    const counted = serves.length === 0 || serves.includes(b.coarse) || (evaluation.byCategory[b.id] ?? 0) > 0;
    if (counted && (evaluation.margin.children[b.id] ?? 0) !== 0) return 'ok';
  }
  return 'at_limit';
}

/** Whether a stored status is one of these (the compliance history keeps what the board showed, and may hold one since retired). */
export function isRoomStatus(status: string): status is RoomStatus {
  return Object.hasOwn(STATUS_WORDS, status);
}

export function isBreach(status: RoomStatus): boolean {
  return status !== 'ok' && status !== 'at_limit';
}
