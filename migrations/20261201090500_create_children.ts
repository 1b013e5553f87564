import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Children by display name and birth date only.
  await knex.schema.createTable('children', (t) => {
    t.string('id', 36).primary();
    t.string('center_id', 36).notNullable().references('id').inTable('centers');
    t.string('display_name').notNullable();
    t.string('birth_date', 10).notNullable();
    t.boolean('attends_kindergarten').notNullable().defaultTo(false);
    t.string('home_room_id', 36).nullable().references('id').inTable('rooms');
    t.string('archived_at').nullable();
    t.string('created_at').notNullable();
    t.index(['center_id']);
  });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
