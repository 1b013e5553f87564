import type { PackId, RulePack } from '../rule-pack.js';
import { PACK_IDS } from '../rule-pack.js';
import { MN } from './mn.js';

/** Every supported jurisdiction, Minnesota first. */
export const PACKS: readonly RulePack[] = [MN];

export function getPack(id: string): RulePack | undefined {
  return PACKS.find((p) => p.id === id);
}

export function isPackId(id: string): id is PackId {
  return (PACK_IDS as readonly string[]).includes(id) && getPack(id) !== undefined;
}
