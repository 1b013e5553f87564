import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Minutes after a shift starts during which a person not yet arrived is "late" and still
  // counted by the forecast; past it they are a "no show" for the rest of that shift.
  await knex.schema.alterTable('centers', (t) => {
    t.integer('grace_minutes').notNullable().defaultTo(10);
  });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
