import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // A person's usual week: which room, which weekday, local wall-clock times in the center's zone.
  // A day's plan is made from these once (see day_plans), then edited for that day alone.
  await knex.schema.createTable('shift_templates', (t) => {
    t.string('id', 36).primary();
    t.string('center_id', 36).notNullable().references('id').inTable('centers');
    t.string('person_id', 36).notNullable().references('id').inTable('people');
    t.string('room_id', 36).notNullable().references('id').inTable('rooms');
    // ISO weekday: 1 Monday … 7 Sunday.
    t.integer('weekday').notNullable();
    // 'HH:mm', end after start; the break (both or neither) lies inside.
    t.string('start', 5).notNullable();
    t.string('end', 5).notNullable();
    t.string('break_start', 5).nullable();
    t.string('break_end', 5).nullable();
    t.string('created_at').notNullable();
    t.index(['center_id', 'weekday']);
    t.index(['person_id']);
  });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
