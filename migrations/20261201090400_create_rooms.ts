import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('rooms', (t) => {
    t.string('id', 36).primary();
    t.string('center_id', 36).notNullable().references('id').inTable('centers');
    t.string('name').notNullable();
    // Comma-separated coarse categories: infant, toddler, preschooler, school_age.
    t.string('age_categories').notNullable();
    t.integer('licensed_capacity').notNullable();
    // A stricter limit than the pack's group size, when the center sets one.
    t.integer('max_group_size').nullable();
    t.string('archived_at').nullable();
    t.string('created_at').notNullable();
    t.index(['center_id']);
  });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
