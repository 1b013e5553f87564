import type { Unverified } from './types.js';
import { judgeCombination } from './merge.js';
import { searchContext } from './judging.js';
import type { RemedyInput } from './types.js';

/** The center's day, for planning its opening and closing. */
export interface ThinHoursInput extends Pick<RemedyInput, 'pack' | 'zone' | 'date' | 'rooms'> {
  /** The center's opening and closing instants that day. */
  readonly opens: number;
  readonly closes: number;
  /** How long the thin hours last after opening and before closing; default 90. */
  readonly minutes?: number;
}

/** Two rooms that may be one group through the thin hours: "06:30–07:30: Toddlers + Preschool as one group of 11, 2 staff; frees 1". */
export interface ThinHourCombination {
  readonly period: 'opening' | 'closing';
  readonly start: number;
  readonly end: number;
  readonly into: string;
  readonly from: string;
  /** The combined group at its fullest. */
  readonly children: number;
  /** The most staff the combined group needs at any moment of the period. */
  readonly staff: number;
  /** The most staff the two rooms need apart at any one moment, summed. */
  readonly separately: number;
  /** `separately` − `staff`. */
  readonly frees: number;
  /** Whether the staff planned in the two rooms already make the combined group compliant. */
  readonly compliantAsPlanned: boolean;
  readonly unverified: Unverified | null;
}

/**
 * For the first and last `minutes` of the center's day, every pair of rooms with
 * children in that period whose combined group is legal as a group (no group-size
 * or minimum-age breach at any moment, the receiving room's capacity holding all:
 * what staff cannot fix) and needs fewer staff than the two rooms apart; opening
 * first, then closing, each by staff freed (most first), then fewer children.
 */
export function thinHours(input: ThinHoursInput): ThinHourCombination[] {
  const minutes = input.minutes ?? 90;
  const ctx = searchContext({ ...input, people: [], need: { room: '', start: input.opens, end: input.opens } });
  const periods = [
    { period: 'opening' as const, start: input.opens, end: Math.min(input.closes, input.opens + minutes * 60_000) },
    { period: 'closing' as const, start: Math.max(input.opens, input.closes - minutes * 60_000), end: input.closes },
  ];
  const rooms = [...ctx.rooms.values()];
  const out: ThinHourCombination[] = [];
  for (const { period, start, end } of periods) {
    if (!(start < end)) continue;
    const found: ThinHourCombination[] = [];
    const hasChildren = rooms.map((r) => r.slices.some((s) => s.start < end && start < s.end && s.group.children.length > 0));
    for (let i = 0; i < rooms.length; i++) {
      if (!hasChildren[i]) continue;
      for (let j = i + 1; j < rooms.length; j++) {
        if (!hasChildren[j]) continue;
        const c = judgeCombination(ctx, rooms[i]!, rooms[j]!, { start, end }, false);
        if (!('into' in c)) continue;
        const frees = c.staffSeparately - c.staffCombined;
        if (frees <= 0) continue;
        found.push({
          period,
          start,
          end,
          into: c.into,
          from: c.from,
          children: c.combined.children,
          staff: c.staffCombined,
          separately: c.staffSeparately,
          frees,
          compliantAsPlanned: c.standing.compliant,
          unverified: c.unverified,
        });
      }
    }
    found.sort((a, b) => b.frees - a.frees || a.children - b.children || (a.into + a.from < b.into + b.from ? -1 : 1));
    out.push(...found);
  }
  return out;
}
