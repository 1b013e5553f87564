import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Append-only. Each entry's hash covers its content and the previous entry's hash.
  await knex.schema.createTable('audit_log', (t) => {
    t.increments('id');
    t.string('at').notNullable();
    t.string('organization_id', 36).notNullable();
    t.string('center_id', 36).nullable();
    t.string('actor_user_id', 36).nullable();
    t.string('action').notNullable();
    t.string('record_type').notNullable();
    t.string('record_id', 36).nullable();
    // JSON {before, after} with secrets redacted.
    t.text('changes').notNullable();
    t.string('prev_hash', 64).notNullable();
    t.string('hash', 64).notNullable();
    t.index(['center_id', 'id']);
    t.index(['actor_user_id']);
    t.index(['record_id']);
  });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
