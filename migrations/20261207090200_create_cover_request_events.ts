import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // A cover request's history: created, claimed, assigned, approved, declined, withdrawn, cancelled, expired.
  await knex.schema.createTable('cover_request_events', (t) => {
    // In the order written: several events of one request may share an instant.
    t.increments('id');
    t.string('cover_request_id', 36).notNullable().references('id').inTable('cover_requests');
    t.string('center_id', 36).notNullable().references('id').inTable('centers');
    t.string('kind', 16).notNullable();
    // Who acted; null for what the system did (expiry).
    t.string('actor_user_id', 36).nullable().references('id').inTable('users');
    // The person claimed, assigned or withdrawn, and the part, where the event has one.
    t.string('person_id', 36).nullable().references('id').inTable('people');
    t.string('starts_at').nullable();
    t.string('ends_at').nullable();
    t.string('at').notNullable();
    t.index(['cover_request_id']);
  });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
