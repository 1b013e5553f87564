import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // "Name to face": the children a person counted against the checked-in list at that moment. Every check is kept.
  await knex.schema.createTable('headcount_checks', (t) => {
    t.string('id', 36).primary();
    t.string('center_id', 36).notNullable().references('id').inTable('centers');
    t.string('room_id', 36).notNullable().references('id').inTable('rooms');
    t.integer('counted').notNullable();
    t.integer('expected').notNullable();
    t.string('recorded_by_user_id', 36).notNullable().references('id').inTable('users');
    t.string('at').notNullable();
    // A mismatch stays flagged on the board until resolved; a matching count is resolved when recorded.
    t.string('resolved_at').nullable();
    t.string('resolved_by_user_id', 36).nullable().references('id').inTable('users');
    t.index(['center_id', 'resolved_at']);
    t.index(['room_id', 'at']);
  });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
