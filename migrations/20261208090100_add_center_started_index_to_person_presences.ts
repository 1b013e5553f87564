import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Reports list a center's staff and volunteer presences over a range of time: by center, then start.
  await knex.schema.alterTable('person_presences', (t) => {
    t.index(['center_id', 'started_at'], 'person_presences_center_started');
  });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
