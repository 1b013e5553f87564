import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // One active account acts as a person on file: two invitations for the same person, accepted at
  // once, cannot both link an account to them (the index decides; the second is refused).
  // Null person ids are distinct to the index, so accounts with no person on file are unaffected.
  await knex.schema.alterTable('memberships', (t) => {
    t.unique(['person_id'], { indexName: 'memberships_one_active_per_person', predicate: knex.whereNull('deactivated_at') });
  });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
