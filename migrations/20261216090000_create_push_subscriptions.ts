import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // A phone's (or a browser's) Web Push subscription, one per device: where its push service takes
  // our messages, and the keys they are encrypted to. Removed when the push service says it is gone.
  await knex.schema.createTable('push_subscriptions', (t) => {
    t.string('id', 36).primary();
    t.string('user_id', 36).notNullable().references('id').inTable('users');
    // The push service's URL for this device (https); a device subscribing again replaces its row.
    t.string('endpoint', 1000).notNullable().unique('push_subscriptions_endpoint');
    // The browser's P-256 public key and auth secret (base64url): messages are encrypted to them.
    t.string('p256dh', 100).notNullable();
    t.string('auth', 40).notNullable();
    // A short label the person recognizes ("Chrome on Android"), or null.
    t.string('label', 60).nullable();
    t.string('created_at').notNullable();
    // When a push last reached it.
    t.string('last_ok_at').nullable();
    t.index(['user_id'], 'push_subscriptions_of_user');
  });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
