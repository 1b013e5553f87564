import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // A person taking a part of a cover request: claimed by themselves or assigned by a director.
  await knex.schema.createTable('cover_claims', (t) => {
    t.string('id', 36).primary();
    t.string('cover_request_id', 36).notNullable().references('id').inTable('cover_requests');
    t.string('center_id', 36).notNullable().references('id').inTable('centers');
    t.string('person_id', 36).notNullable().references('id').inTable('people');
    // Which of the request's N people this claim stands for (0-based).
    t.integer('seat').notNullable();
    // The part of the window taken, [starts_at, ends_at) as UTC instants.
    t.string('starts_at').notNullable();
    t.string('ends_at').notNullable();
    // 'claim' or 'assignment'.
    t.string('kind', 16).notNullable();
    // 'pending' (waiting for a director), 'accepted', 'withdrawn', 'declined' or 'cancelled'.
    t.string('status', 16).notNullable();
    // The planned shift an accepted claim became.
    t.string('shift_id', 36).nullable().references('id').inTable('shifts');
    t.string('created_at').notNullable();
    t.string('created_by_user_id', 36).nullable().references('id').inTable('users');
    t.string('decided_at').nullable();
    t.string('decided_by_user_id', 36).nullable().references('id').inTable('users');
    // Set when the claim stops being pending or accepted.
    t.string('closed_at').nullable();
    // One live claim per person and request, enforced where the race happens.
    t.unique(['cover_request_id', 'person_id'], { indexName: 'cover_claims_one_live_per_person', predicate: knex.whereNull('closed_at') });
    t.index(['person_id']);
  });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
