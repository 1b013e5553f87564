import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // One row: the last entry of audit_log. Appends lock it first, so they serialise on both engines,
  // and verification can tell a truncated tail from a complete log.
  await knex.schema.createTable('audit_head', (t) => {
    t.integer('id').primary();
    t.integer('last_id').notNullable();
    t.string('last_hash', 64).notNullable();
  });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
