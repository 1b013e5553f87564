import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Short notes staff keep per room for the day (naps in progress, bottles, allergies to watch).
  await knex.schema.createTable('handoff_notes', (t) => {
    t.string('id', 36).primary();
    t.string('center_id', 36).notNullable().references('id').inTable('centers');
    t.string('room_id', 36).notNullable().references('id').inTable('rooms');
    // YYYY-MM-DD in the center's time zone.
    t.string('day', 10).notNullable();
    t.string('body', 280).notNullable();
    t.string('author_user_id', 36).notNullable().references('id').inTable('users');
    t.string('created_at').notNullable();
    t.index(['room_id', 'day']);
  });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
