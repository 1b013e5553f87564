import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Two rooms combined into one group for a window (the remedy panel's "Combine"): while in force
  // (starts_at ≤ t < ends_at, and before ended_at when ended early) the children and people of
  // from_room are judged with into_room's. Presences are not rewritten: ending it moves nothing back.
  await knex.schema.createTable('room_merges', (t) => {
    t.string('id', 36).primary();
    t.string('center_id', 36).notNullable().references('id').inTable('centers');
    t.string('from_room_id', 36).notNullable().references('id').inTable('rooms');
    t.string('into_room_id', 36).notNullable().references('id').inTable('rooms');
    t.string('starts_at').notNullable();
    t.string('ends_at').notNullable();
    t.string('ended_at').nullable();
    t.string('created_by_user_id', 36).notNullable().references('id').inTable('users');
    t.string('created_at').notNullable();
    t.index(['center_id', 'starts_at']);
  });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
