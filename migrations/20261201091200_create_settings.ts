import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Installation-wide values the app makes itself, e.g. the session secret when SESSION_SECRET is unset.
  await knex.schema.createTable('settings', (t) => {
    t.string('key').primary();
    t.text('value').notNullable();
  });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
