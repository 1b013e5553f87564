import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // The rejection form takes up to 300 characters (training-records/routes.ts) but the column was
  // knex's default varchar(255): on PostgreSQL a longer reason failed the update, a 500. The column
  // now holds what the form allows. (SQLite does not enforce a length; knex rebuilds the table there,
  // keeping its rows, keys and indexes.)
  await knex.schema.alterTable('training_records', (t) => {
    t.string('rejection_reason', 300).nullable().alter();
  });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
