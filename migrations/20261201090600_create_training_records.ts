import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('training_records', (t) => {
    t.string('id', 36).primary();
    t.string('center_id', 36).notNullable().references('id').inTable('centers');
    t.string('person_id', 36).notNullable().references('id').inTable('people');
    // A training id of the center's rule pack.
    t.string('training_id').notNullable();
    t.string('completed_on', 10).notNullable();
    t.string('provider').nullable();
    t.string('certificate_number').nullable();
    // submitted | verified | rejected: only verified records count.
    t.string('status').notNullable();
    t.string('reviewed_by_user_id', 36).nullable().references('id').inTable('users');
    t.string('reviewed_at').nullable();
    t.string('rejection_reason').nullable();
    t.string('created_at').notNullable();
    t.index(['center_id']);
    t.index(['person_id']);
  });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
