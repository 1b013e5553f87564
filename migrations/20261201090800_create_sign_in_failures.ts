import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Failed sign-ins kept in the database so the limits hold across processes.
  await knex.schema.createTable('sign_in_failures', (t) => {
    t.string('id', 36).primary();
    // 'email:<address>' or 'ip:<address>'.
    t.string('key').notNullable();
    t.string('failed_at').notNullable();
    t.index(['key', 'failed_at']);
  });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
