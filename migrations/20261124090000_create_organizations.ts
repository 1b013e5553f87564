import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('organizations', (t) => {
    t.string('id', 36).primary();
    t.string('name').notNullable();
    // Instants are UTC ISO strings written by the app: both engines store and sort them alike.
    t.string('created_at').notNullable();
  });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
