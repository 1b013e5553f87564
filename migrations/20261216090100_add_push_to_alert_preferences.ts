import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Push to the person's phones about this center, on or off (on: nothing goes until a phone is added).
  await knex.schema.alterTable('alert_preferences', (t) => {
    t.boolean('push').notNullable().defaultTo(true);
  });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
