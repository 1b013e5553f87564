import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // A new request, a widening and "need help now" look for the room's open requests, under the room's lock.
  await knex.schema.alterTable('cover_requests', (t) => {
    t.index(['room_id', 'status'], 'cover_requests_room_status');
  });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
