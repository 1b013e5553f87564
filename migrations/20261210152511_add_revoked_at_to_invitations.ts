import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // A one-time link ends when it is used, when it expires, or when it is revoked: by a director
  // (invitations), when its maker loses the membership it was made under, or when another reset
  // link for the same account is used. Null while the link stands; rows written before never were.
  await knex.schema.alterTable('invitations', (t) => {
    t.string('revoked_at').nullable();
  });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
