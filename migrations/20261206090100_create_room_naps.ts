import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // A room's daily nap period, local wall-clock `HH:mm` in the center's zone; the forecast's `naps`.
  await knex.schema.createTable('room_naps', (t) => {
    t.string('id', 36).primary();
    t.string('center_id', 36).notNullable().references('id').inTable('centers');
    t.string('room_id', 36).notNullable().references('id').inTable('rooms');
    // 'HH:mm', end after start.
    t.string('start', 5).notNullable();
    t.string('end', 5).notNullable();
    t.string('created_at').notNullable();
    t.index(['center_id']);
  });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
