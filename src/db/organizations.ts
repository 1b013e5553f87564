import type { Knex } from 'knex';
import { OrganizationRow, newId, parseRow, parseRows, type Organization } from './rows.js';

export async function createOrganization(db: Knex, input: { name: string; at: Date }): Promise<Organization> {
  const row = { id: newId(), name: input.name, created_at: input.at.toISOString() };
  await db('organizations').insert(row);
  return OrganizationRow.parse(row);
}

export async function findOrganization(db: Knex, id: string): Promise<Organization | undefined> {
  return parseRow(OrganizationRow, await db('organizations').where({ id }).first());
}

/** The organizations the user actively owns, by name. */
export async function listOrganizationsOwnedBy(db: Knex, userId: string): Promise<Organization[]> {
  const owned = db('memberships').where({ user_id: userId, role: 'owner' }).whereNull('center_id').whereNull('deactivated_at').select('organization_id');
  return parseRows(OrganizationRow, await db('organizations').whereIn('id', owned).orderBy('name').select('id', 'name', 'created_at'));
}

/** First run: true until any organization exists. */
export async function hasAnyOrganization(db: Knex): Promise<boolean> {
  return (await db('organizations').first('id')) !== undefined;
}
