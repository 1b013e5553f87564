import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // A cover opening is sent first to the best-ranked `wave_size` people, widened every `wave_minutes`.
  await knex.schema.alterTable('centers', (t) => {
    t.integer('wave_size').notNullable().defaultTo(5);
    t.integer('wave_minutes').notNullable().defaultTo(10);
  });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
