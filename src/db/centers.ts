import type { Knex } from 'knex';
import { CenterRow, newId, parseRow, parseRows, type Center } from './rows.js';

const COLUMNS = ['id', 'organization_id', 'name', 'license_number', 'pack_id', 'time_zone', 'is_demo', 'created_at'];

export type NewCenter = {
  organizationId: string;
  name: string;
  packId: string;
  timeZone?: string;
  licenseNumber?: string | null;
  isDemo?: boolean;
  at: Date;
};

export async function createCenter(db: Knex, input: NewCenter): Promise<Center> {
  const row = {
    id: newId(),
    organization_id: input.organizationId,
    name: input.name,
    license_number: input.licenseNumber ?? null,
    pack_id: input.packId,
    time_zone: input.timeZone ?? 'America/Chicago',
    is_demo: input.isDemo ?? false,
    created_at: input.at.toISOString(),
  };
  await db('centers').insert(row);
  return CenterRow.parse(row);
}

/**
 * Unscoped by design: only for resolving the center named in a path before the
 * caller's membership in it is checked (see memberships.findActiveMemberInCenter).
 */
export async function findCenterForMembershipCheck(db: Knex, id: string): Promise<Center | undefined> {
  return parseRow(CenterRow, await db('centers').where({ id }).first(COLUMNS));
}

/** The centers a user may open: those of their active memberships, and every center of an organization they own. */
export async function listCentersForUser(db: Knex, userId: string): Promise<Center[]> {
  const active = db('memberships').where({ user_id: userId }).whereNull('deactivated_at');
  const rows = await db('centers')
    .whereIn('id', active.clone().whereNotNull('center_id').select('center_id'))
    .orWhereIn('organization_id', active.clone().where({ role: 'owner' }).select('organization_id'))
    .orderBy('name')
    .select(COLUMNS);
  return parseRows(CenterRow, rows);
}

export async function listDemoCenters(db: Knex): Promise<Center[]> {
  return parseRows(CenterRow, await db('centers').where({ is_demo: true }).select(COLUMNS));
}

/** Whether the signed-out pages should say this installation holds demo data. */
export async function hasDemoCenter(db: Knex): Promise<boolean> {
  return (await db('centers').where({ is_demo: true }).first('id')) !== undefined;
}
