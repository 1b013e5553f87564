import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // How many people a request asks for after a raise ("Dana raised it to 2 people"); null for other events.
  await knex.schema.alterTable('cover_request_events', (t) => {
    t.integer('people_needed').nullable();
  });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
