import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Links are found by their maker: to revoke them when the maker's membership ends, and to
  // count a director's invitations for the rate limit.
  await knex.schema.alterTable('invitations', (t) => {
    t.index(['created_by_user_id', 'created_at'], 'invitations_creator_created');
  });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
