import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // The days a child is expected, for the forecast. Replaced as a whole when the child is edited.
  await knex.schema.createTable('child_schedules', (t) => {
    t.string('id', 36).primary();
    t.string('child_id', 36).notNullable().references('id').inTable('children');
    // ISO weekday: 1 Monday … 7 Sunday.
    t.integer('weekday').notNullable();
    // Local wall-clock times (HH:mm) in the center's time zone; depart is after arrive.
    t.string('arrive', 5).notNullable();
    t.string('depart', 5).notNullable();
    // One entry per child and weekday; also the index every lookup by child uses.
    t.unique(['child_id', 'weekday']);
  });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
