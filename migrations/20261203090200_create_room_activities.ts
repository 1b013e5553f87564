import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // What a room is doing, when not `normal` (no open row means normal): group-size exemptions depend on it.
  await knex.schema.createTable('room_activities', (t) => {
    t.string('id', 36).primary();
    t.string('center_id', 36).notNullable().references('id').inTable('centers');
    t.string('room_id', 36).notNullable().references('id').inTable('rooms');
    // One of the rule packs' activities: arrival_departure, nap, meal, outdoor, field_trip, special.
    t.string('activity').notNullable();
    t.string('started_at').notNullable();
    t.string('ended_at').nullable();
    t.string('started_by_user_id', 36).nullable().references('id').inTable('users');
    t.unique(['room_id'], { indexName: 'room_activities_one_open_per_room', predicate: knex.whereNull('ended_at') });
    t.index(['center_id', 'ended_at']);
  });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
