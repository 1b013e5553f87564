import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // A center's own trainings, beside its rule pack's (e.g. its accident-reporting and headcount procedure).
  await knex.schema.createTable('center_trainings', (t) => {
    t.string('id', 36).primary();
    t.string('center_id', 36).notNullable().references('id').inTable('centers');
    // The training id used by training_records.training_id: a slug, never one of the pack's ids.
    t.string('code', 60).notNullable();
    t.string('label').notNullable();
    // Null: never needs renewing.
    t.integer('renewal_months').nullable();
    // Comma-separated domain roles (volunteer, teacher, …) and coarse age categories (infant, …).
    t.string('required_for_roles').notNullable();
    t.string('categories').notNullable();
    // 'before': must be done before the person counts toward ratio; 'none': tracked only.
    t.string('gate').notNullable();
    t.string('archived_at').nullable();
    t.string('created_at').notNullable();
    t.unique(['center_id', 'code']);
  });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
