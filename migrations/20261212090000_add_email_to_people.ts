import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Where an invitation for a person on file can be sent before they have an account (a roster
  // import's `email` column, the person form). Kept only until the person has an account: accepting
  // an invitation clears it, and from then on the account's own email is used.
  await knex.schema.alterTable('people', (t) => {
    t.string('email', 254).nullable();
  });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
