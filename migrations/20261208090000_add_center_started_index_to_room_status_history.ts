import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Reports read a center's whole history over a range of time: by center, then start.
  await knex.schema.alterTable('room_status_history', (t) => {
    t.index(['center_id', 'started_at'], 'room_status_history_center_started');
  });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
