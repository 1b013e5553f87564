import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // A child known to be away for one day (marked by staff or a director): the forecast does not expect them.
  // Only the fact and who recorded it; never a reason (illness, custody) about the child.
  await knex.schema.createTable('child_absences', (t) => {
    t.string('id', 36).primary();
    t.string('center_id', 36).notNullable().references('id').inTable('centers');
    t.string('child_id', 36).notNullable().references('id').inTable('children');
    // 'YYYY-MM-DD' on the center's calendar.
    t.string('day', 10).notNullable();
    t.string('created_at').notNullable();
    t.string('created_by_user_id', 36).nullable().references('id').inTable('users');
    // Once per child and day: a second tablet marking the same child finds it already marked.
    t.unique(['child_id', 'day']);
    t.index(['center_id', 'day']);
  });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
