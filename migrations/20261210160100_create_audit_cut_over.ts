import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // At most one row, written once (20261210160200) when a log that already has entries is first keyed:
  // entries up to keyed_after keep their plain SHA-256 hashes, later ones are HMACs. The seal (HMAC of
  // keyed_after under the audit key) keeps anyone without the key from moving the cut-over up.
  await knex.schema.createTable('audit_cut_over', (t) => {
    t.integer('id').primary();
    t.integer('keyed_after').notNullable();
    t.string('seal', 64).notNullable();
  });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
