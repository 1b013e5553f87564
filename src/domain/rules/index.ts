import type { PackId, RulePack } from '../rule-pack.js';
import { PACK_IDS } from '../rule-pack.js';
import { CA } from './ca.js';
import { CFOC } from './cfoc.js';
import { MN } from './mn.js';
import { NY } from './ny.js';
import { TX } from './tx.js';
import { WA } from './wa.js';
import { WI } from './wi.js';

/** Every supported jurisdiction, Minnesota first. */
export const PACKS: readonly RulePack[] = [MN, WI, CA, TX, WA, NY, CFOC];

export function getPack(id: string): RulePack | undefined {
  return PACKS.find((p) => p.id === id);
}

export function isPackId(id: string): id is PackId {
  return (PACK_IDS as readonly string[]).includes(id) && getPack(id) !== undefined;
}
