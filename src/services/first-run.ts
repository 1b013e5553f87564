import type { Knex } from 'knex';
import { listCentersForUser } from '../db/centers.js';
import { listOrganizationsOwnedBy } from '../db/organizations.js';
import { listRoomsInCenter } from '../db/rooms.js';

/**
 * Where an owner's first run stands: an organization they own with no center yet (the set-up
 * starts with the center), or a center of theirs with no rooms (it goes on with the rooms).
 * Undefined when neither: the owner goes to the home page as anyone does. Read only.
 */
export type FirstRunStep = { readonly step: 'center'; readonly organizationId: string } | { readonly step: 'rooms'; readonly centerId: string };

export async function firstRunStepOf(db: Knex, userId: string): Promise<FirstRunStep | undefined> {
  const owned = await listOrganizationsOwnedBy(db, userId);
  if (owned.length === 0) return undefined;
  const centers = (await listCentersForUser(db, userId)).filter((c) => owned.some((o) => o.id === c.organizationId));
  const bare = owned.find((o) => !centers.some((c) => c.organizationId === o.id));
  if (bare) return { step: 'center', organizationId: bare.id };
  for (const center of centers) {
    if ((await listRoomsInCenter(db, center.id)).length === 0) return { step: 'rooms', centerId: center.id };
  }
  return undefined;
}
