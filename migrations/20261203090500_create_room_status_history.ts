import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // A log of the status the board showed for a room, [started_at, ended_at), and what changed it.
  // Nothing reads it back to decide anything; it answers "was the room in ratio at 10:40?".
  await knex.schema.createTable('room_status_history', (t) => {
    t.string('id', 36).primary();
    t.string('center_id', 36).notNullable().references('id').inTable('centers');
    t.string('room_id', 36).notNullable().references('id').inTable('rooms');
    t.string('status').notNullable();
    t.string('started_at').notNullable();
    t.string('ended_at').nullable();
    // In words, without children's names: "Teacher Sam Rivera left", "child checked in", "activity: outdoor".
    t.string('cause', 200).notNullable();
    t.integer('required_staff').notNullable();
    t.integer('counted_staff').notNullable();
    t.integer('children').notNullable();
    // One open row per room: two writers recording a change at once cannot both open one.
    t.unique(['room_id'], { indexName: 'room_status_history_one_open_per_room', predicate: knex.whereNull('ended_at') });
    t.index(['room_id', 'started_at']);
  });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
