import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // "I can come in today": one row per person and day, until a local wall-clock time.
  await knex.schema.createTable('availability_today', (t) => {
    t.string('person_id', 36).notNullable().references('id').inTable('people');
    // 'YYYY-MM-DD' on the center's calendar.
    t.string('day', 10).notNullable();
    t.string('until', 5).notNullable();
    t.string('created_at').notNullable();
    t.primary(['person_id', 'day']);
  });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
