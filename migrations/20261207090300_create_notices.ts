import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // In-app notices, one row per recipient: short words and a link, read or not.
  await knex.schema.createTable('notices', (t) => {
    t.string('id', 36).primary();
    t.string('center_id', 36).notNullable().references('id').inTable('centers');
    t.string('user_id', 36).notNullable().references('id').inTable('users');
    t.string('kind', 32).notNullable();
    // Room and time words and staff names only: never children's names or health details.
    t.string('body', 300).notNullable();
    t.string('link', 300).nullable();
    t.string('cover_request_id', 36).nullable().references('id').inTable('cover_requests');
    // Set for notices that must be sent once (a room's breach starting at an instant); null otherwise.
    t.string('dedupe_key', 200).nullable();
    t.string('created_at').notNullable();
    t.string('read_at').nullable();
    // NULLs are distinct in unique indexes on both engines: only keyed notices are de-duplicated.
    t.unique(['user_id', 'dedupe_key'], { indexName: 'notices_once_per_key' });
    t.index(['user_id', 'read_at']);
  });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
