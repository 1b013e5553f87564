import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Replaced by sign_in_attempts. What it held were failures of the last 15 minutes: dropping them resets no
  // limit for longer than that.
  await knex.schema.dropTableIfExists('sign_in_failures');
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
