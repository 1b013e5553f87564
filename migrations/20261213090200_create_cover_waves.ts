import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // The waves of an open cover request already sent: wave 0 at asking, one more every few minutes,
  // and the last one (everyone eligible) when the window is near; once per request and wave.
  await knex.schema.createTable('cover_waves', (t) => {
    t.string('cover_request_id', 36).notNullable().references('id').inTable('cover_requests');
    t.integer('wave').notNullable();
    t.integer('told').notNullable();
    t.string('at').notNullable();
    t.primary(['cover_request_id', 'wave']);
  });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
