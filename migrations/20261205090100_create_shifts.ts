import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // A planned shift of one person in one room on one day, [starts_at, ends_at) as UTC instants.
  await knex.schema.createTable('shifts', (t) => {
    t.string('id', 36).primary();
    t.string('center_id', 36).notNullable().references('id').inTable('centers');
    t.string('room_id', 36).notNullable().references('id').inTable('rooms');
    t.string('person_id', 36).notNullable().references('id').inTable('people');
    // 'YYYY-MM-DD' on the center's calendar: the day whose plan this shift belongs to.
    t.string('day', 10).notNullable();
    t.string('starts_at').notNullable();
    t.string('ends_at').notNullable();
    // 'template' (made from the week), 'plan' (added or edited for the day), 'cover' (an accepted cover).
    t.string('source', 16).notNullable();
    // The cover request this shift fills, for source 'cover'.
    t.string('cover_request_id', 36).nullable();
    t.string('created_at').notNullable();
    t.string('created_by_user_id', 36).nullable().references('id').inTable('users');
    // A cancelled shift is kept (history), and no longer planned.
    t.string('cancelled_at').nullable();
    t.string('cancelled_by_user_id', 36).nullable().references('id').inTable('users');
    t.index(['center_id', 'day']);
    t.index(['person_id', 'day']);
    t.index(['cover_request_id']);
  });
  // Out of the room for a while inside a shift.
  await knex.schema.createTable('shift_breaks', (t) => {
    t.string('id', 36).primary();
    t.string('shift_id', 36).notNullable().references('id').inTable('shifts');
    t.string('starts_at').notNullable();
    t.string('ends_at').notNullable();
    t.index(['shift_id']);
  });
  // A day whose plan exists: made from the templates once, at `made_at`. Edits after that
  // change the day's shifts, never the templates.
  await knex.schema.createTable('day_plans', (t) => {
    t.string('center_id', 36).notNullable().references('id').inTable('centers');
    t.string('day', 10).notNullable();
    t.string('made_at').notNullable();
    t.primary(['center_id', 'day']);
  });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
