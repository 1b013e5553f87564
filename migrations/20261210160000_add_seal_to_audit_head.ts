import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // The head's last id and hash under the audit key (HMAC, hex), so moving the head back after cutting the
  // tail needs the key. Nullable: a head written before the key gets its seal in 20261210160200.
  await knex.schema.alterTable('audit_head', (t) => {
    t.string('seal', 64).nullable();
  });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
