import type { Knex } from 'knex';
import { OrganizationRow, newId, parseRow, type Organization } from './rows.js';

export async function createOrganization(db: Knex, input: { name: string; at: Date }): Promise<Organization> {
  const row = { id: newId(), name: input.name, created_at: input.at.toISOString() };
  await db('organizations').insert(row);
  return OrganizationRow.parse(row);
}

export async function findOrganization(db: Knex, id: string): Promise<Organization | undefined> {
  return parseRow(OrganizationRow, await db('organizations').where({ id }).first());
}

/** First run: true until any organization exists. */
export async function hasAnyOrganization(db: Knex): Promise<boolean> {
  return (await db('organizations').first('id')) !== undefined;
}
