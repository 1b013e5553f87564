import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // The columns connect-session-knex reads and writes. 'expired' is a real timestamp, not an ISO string
  // like our own instants, because the store compares it with CAST(? AS timestamp) on PostgreSQL.
  await knex.schema.createTable('sessions', (t) => {
    t.string('sid').primary();
    t.json('sess').notNullable();
    t.timestamp('expired', { useTz: true }).notNullable().index();
  });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
