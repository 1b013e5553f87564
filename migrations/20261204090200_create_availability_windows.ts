import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // When a person can usually come in, week by week: local wall-clock times in the center's zone.
  await knex.schema.createTable('availability_windows', (t) => {
    t.string('id', 36).primary();
    t.string('person_id', 36).notNullable().references('id').inTable('people');
    // ISO weekday: 1 Monday … 7 Sunday.
    t.integer('weekday').notNullable();
    t.string('start', 5).notNullable();
    t.string('end', 5).notNullable();
    t.string('created_at').notNullable();
    t.index(['person_id']);
  });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
