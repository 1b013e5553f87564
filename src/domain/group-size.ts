import type { AgeBand, CoarseCategory, RulePack } from './rule-pack.js';

/** The pack's tightest group-size limit for a room, with the band that sets it and its citation. */
export interface GroupSizeLimit {
  readonly limit: number;
  readonly band: AgeBand;
  readonly cite: string;
}

/**
 * The smallest maximum group size the pack sets for any of its bands in the room's
 * coarse categories, or null when it sets none. A room's own limit may only be
 * stricter than this ("stricter wins"), since any of those bands may be present.
 * Of two bands with the same limit, the younger (first in pack order) is named.
 */
export function strictestGroupSize(pack: RulePack, categories: readonly CoarseCategory[]): GroupSizeLimit | null {
  let best: GroupSizeLimit | null = null;
  for (const band of pack.bands) {
    if (!categories.includes(band.coarse)) continue;
    const row = pack.ratios.find((r) => r.category === band.id);
    if (!row || row.maxGroupSize === null) continue;
    if (best === null || row.maxGroupSize < best.limit) best = { limit: row.maxGroupSize, band, cite: row.groupSizeCite ?? row.cite };
  }
  return best;
}
