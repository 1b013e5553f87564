import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('centers', (t) => {
    // Marks the seeded demo so every page can say the data is not real.
    t.boolean('is_demo').notNullable().defaultTo(false);
  });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
