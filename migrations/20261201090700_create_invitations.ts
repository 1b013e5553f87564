import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // One-time links: invitations to join a center and password resets.
  await knex.schema.createTable('invitations', (t) => {
    t.string('id', 36).primary();
    // sha256 of the token in the link; the token itself is never stored.
    t.string('token_hash', 64).notNullable().unique();
    t.string('purpose').notNullable();
    t.string('organization_id', 36).notNullable().references('id').inTable('organizations');
    t.string('center_id', 36).nullable().references('id').inTable('centers');
    t.string('role').nullable();
    t.string('user_id', 36).nullable().references('id').inTable('users');
    t.string('person_id', 36).nullable().references('id').inTable('people');
    t.string('created_by_user_id', 36).nullable().references('id').inTable('users');
    t.string('created_at').notNullable();
    t.string('expires_at').notNullable();
    t.string('used_at').nullable();
    t.index(['center_id']);
  });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
