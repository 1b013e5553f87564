import type { Knex } from 'knex';
import { listCenterTrainings, type CenterTraining } from '../db/center-trainings.js';
import type { Center } from '../db/rows.js';
import { ROLES, type Role, type RulePack, type Training } from '../domain/rule-pack.js';
import { getPack } from '../domain/rules/index.js';

/**
 * A center's rule pack with its own trainings added: the pack object the
 * engine judges with, so a center training gated 'before' counts for ratio
 * exactly like a pack training. Its citation is "center policy".
 */

export const CENTER_POLICY = 'center policy';

export function centerTrainingAsTraining(t: CenterTraining): Training {
  return {
    id: t.code,
    label: t.label,
    roles: t.roles,
    categories: t.categories,
    gate: t.gate,
    deadline: t.gate === 'before' ? 'before counting toward ratio (center policy)' : 'tracked by the center, not a ratio gate',
    renewalMonths: t.renewalMonths,
    volunteersToCount: t.gate === 'before',
    cite: CENTER_POLICY,
    verified: true,
  };
}

/** `pack` itself when the center has no active trainings of its own (so the engine's per-pack memo holds). */
export function withCenterTrainings(pack: RulePack, extras: readonly CenterTraining[]): RulePack {
  const active = extras.filter((t) => t.archivedAt === null);
  if (active.length === 0) return pack;
  return { ...pack, trainings: [...pack.trainings, ...active.map(centerTrainingAsTraining)] };
}

/**
 * Roles a center training may name: those the pack's trainings already name. A role the
 * pack never names (a student, in Minnesota) is asked what its level is asked
 * (`trainingAppliesTo`); naming it in a center training would silently end that.
 */
export function rolesForCenterTrainings(pack: RulePack): Role[] {
  return ROLES.filter((r) => pack.trainings.some((t) => t.roles.includes(r)));
}

export type CenterPack = { readonly pack: RulePack; readonly extras: readonly CenterTraining[] };

/** The center's pack with its active trainings; throws for a center whose pack id is unknown (a bug in set-up). */
export async function centerPack(db: Knex, center: Pick<Center, 'id' | 'packId'>, opts: { includeArchived?: boolean } = {}): Promise<CenterPack> {
  const base = getPack(center.packId);
  if (!base) throw new Error(`center ${center.id} has unknown pack ${center.packId}`);
  const extras = await listCenterTrainings(db, center.id, opts);
  return { pack: withCenterTrainings(base, extras), extras };
}

/** The label of a training id in this pack or among the center's (archived ones too), for listing records. */
export function trainingLabel(pack: RulePack, extras: readonly CenterTraining[], id: string): string {
  return pack.trainings.find((t) => t.id === id)?.label ?? extras.find((t) => t.code === id)?.label ?? id;
}

/** The center's state rule pack (a center is created with a known pack id; an unknown one is a broken invariant). */
export function packOf(center: Center): RulePack {
  const pack = getPack(center.packId);
  // Centers are created with a known pack id; an unknown one is a broken invariant.
  if (!pack) throw new Error(`center ${center.id} has unknown pack ${center.packId}`);
  return pack;
}
