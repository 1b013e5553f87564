import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Anyone who may be present with children. No addresses, no government or immigration data.
  await knex.schema.createTable('people', (t) => {
    t.string('id', 36).primary();
    t.string('center_id', 36).notNullable().references('id').inTable('centers');
    t.string('display_name').notNullable();
    // One of the domain's ROLES (director, teacher, assistant_teacher, aide, substitute, volunteer, student).
    t.string('role').notNullable();
    // The staff level held (teacher, assistant_teacher, aide), for roles that count at a level they hold.
    t.string('qualifies_as').nullable();
    // Dates are 'YYYY-MM-DD' on the center's calendar.
    t.string('birth_date', 10).nullable();
    // '18 or older' attested without keeping a birth date.
    t.boolean('adult_attested').notNullable().defaultTo(false);
    t.string('started_on', 10).nullable();
    t.string('background_study').notNullable().defaultTo('not_started');
    t.string('background_cleared_on', 10).nullable();
    t.string('background_expires_on', 10).nullable();
    t.string('archived_at').nullable();
    t.string('created_at').notNullable();
    t.index(['center_id']);
  });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
