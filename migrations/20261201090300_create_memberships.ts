import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('memberships', (t) => {
    t.string('id', 36).primary();
    t.string('user_id', 36).notNullable().references('id').inTable('users');
    t.string('organization_id', 36).notNullable().references('id').inTable('organizations');
    // Null for the organization-level owner role, which sees every center of its organization.
    t.string('center_id', 36).nullable().references('id').inTable('centers');
    t.string('role').notNullable();
    t.string('person_id', 36).nullable().references('id').inTable('people');
    t.string('created_at').notNullable();
    t.string('deactivated_at').nullable();
    t.unique(['user_id', 'center_id']);
    t.index(['center_id']);
    t.index(['organization_id']);
  });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
