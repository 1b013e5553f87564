import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // A person's time in a room, [started_at, ended_at); an open presence has no end yet.
  await knex.schema.createTable('person_presences', (t) => {
    t.string('id', 36).primary();
    t.string('center_id', 36).notNullable().references('id').inTable('centers');
    t.string('room_id', 36).notNullable().references('id').inTable('rooms');
    t.string('person_id', 36).notNullable().references('id').inTable('people');
    t.string('started_at').notNullable();
    t.string('ended_at').nullable();
    t.string('started_by_user_id', 36).nullable().references('id').inTable('users');
    t.string('ended_by_user_id', 36).nullable().references('id').inTable('users');
    // Nobody is in two rooms at once: one open presence per person, enforced where the race happens.
    t.unique(['person_id'], { indexName: 'person_presences_one_open_per_person', predicate: knex.whereNull('ended_at') });
    t.index(['center_id', 'ended_at']);
    t.index(['room_id', 'started_at']);
  });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
