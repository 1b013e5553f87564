import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // A member's secret calendar link in one center (a webcal:// feed of their covers and shifts).
  // Only a SHA-256 of the link's token is kept: the token itself is shown once, when made.
  await knex.schema.createTable('calendar_feeds', (t) => {
    t.string('id', 36).primary();
    t.string('user_id', 36).notNullable().references('id').inTable('users');
    t.string('center_id', 36).notNullable().references('id').inTable('centers');
    // Hex SHA-256 of the token in the link.
    t.string('token_hash', 64).notNullable();
    t.string('created_at').notNullable();
    // Set when a new link replaces it or it is turned off; a revoked link answers 404.
    t.string('revoked_at').nullable();
    t.unique(['token_hash'], { indexName: 'calendar_feeds_token_hash' });
    t.index(['user_id', 'center_id'], 'calendar_feeds_of_member');
  });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
