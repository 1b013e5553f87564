import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Sign-in tries counted per key in a fixed 15-minute window, one row per key, so that a try is counted by one
  // atomic upsert before its password is checked (sign_in_failures was read before and written after the check:
  // a burst of parallel guesses all read 0).
  await knex.schema.createTable('sign_in_attempts', (t) => {
    // 'account:<email>', 'address:<ip or IPv6 /64>' or 'pair:<email> <address>'.
    t.string('key', 400).primary();
    // The email of an account or pair key, so a password reset can clear them all; null for an address key.
    t.string('account', 254).nullable().index();
    t.integer('attempts').notNullable();
    // ISO instant the key's window began; a try after window_started_at + 15 minutes starts a new one.
    t.string('window_started_at').notNullable().index();
  });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
