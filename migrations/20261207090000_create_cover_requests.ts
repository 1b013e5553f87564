import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // A request to fill a window in a room with N people: [starts_at, ends_at) as UTC instants.
  await knex.schema.createTable('cover_requests', (t) => {
    t.string('id', 36).primary();
    t.string('center_id', 36).notNullable().references('id').inTable('centers');
    t.string('room_id', 36).notNullable().references('id').inTable('rooms');
    // 'YYYY-MM-DD' on the center's calendar: the day the window starts.
    t.string('day', 10).notNullable();
    t.string('starts_at').notNullable();
    t.string('ends_at').notNullable();
    t.integer('people_needed').notNullable();
    // The level each person must hold, in order ('teacher,aide'); a person past the list: any level that counts.
    t.string('needs', 200).notNullable().defaultTo('');
    // Training ids the children's ages call for ('aht,suid'), as the forecast named them.
    t.string('trainings', 200).notNullable().defaultTo('');
    // Optional and short; no names of children or health details (the form says so).
    t.string('reason', 200).nullable();
    // Raised with "Need help now" on the room page: shown at the top of the board.
    t.boolean('urgent').notNullable().defaultTo(false);
    // 'open', 'filled', 'cancelled' or 'expired'.
    t.string('status', 16).notNullable();
    // Bumped by every claim, assignment, approval, withdrawal and cancellation: the conditional
    // update on it decides which of two concurrent writes wins (never read-then-write).
    t.integer('version').notNullable().defaultTo(0);
    t.string('created_at').notNullable();
    t.string('created_by_user_id', 36).nullable().references('id').inTable('users');
    t.string('closed_at').nullable();
    t.index(['center_id', 'status']);
    t.index(['center_id', 'day']);
  });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
