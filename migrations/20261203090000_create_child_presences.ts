import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // A child's time in a room, [started_at, ended_at); an open presence has no end yet.
  await knex.schema.createTable('child_presences', (t) => {
    t.string('id', 36).primary();
    t.string('center_id', 36).notNullable().references('id').inTable('centers');
    t.string('room_id', 36).notNullable().references('id').inTable('rooms');
    t.string('child_id', 36).notNullable().references('id').inTable('children');
    t.string('started_at').notNullable();
    t.string('ended_at').nullable();
    t.string('started_by_user_id', 36).nullable().references('id').inTable('users');
    t.string('ended_by_user_id', 36).nullable().references('id').inTable('users');
    // The race guard: two tablets checking the same child in at once cannot both win.
    t.unique(['child_id'], { indexName: 'child_presences_one_open_per_child', predicate: knex.whereNull('ended_at') });
    // The board reads a center's open presences; history reads a room's day.
    t.index(['center_id', 'ended_at']);
    t.index(['room_id', 'started_at']);
  });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
