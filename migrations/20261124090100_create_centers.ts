import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('centers', (t) => {
    t.string('id', 36).primary();
    t.string('organization_id', 36).notNullable().references('id').inTable('organizations');
    t.string('name').notNullable();
    t.string('license_number').nullable();
    t.string('pack_id').notNullable();
    t.string('time_zone').notNullable().defaultTo('America/Chicago');
    // Local wall-clock times (HH:mm) in the center's time zone.
    t.string('opens_at', 5).notNullable().defaultTo('06:30');
    t.string('closes_at', 5).notNullable().defaultTo('18:00');
    t.integer('forecast_horizon_minutes').notNullable().defaultTo(60);
    t.integer('expiry_lead_days').notNullable().defaultTo(30);
    t.string('claim_mode').notNullable().defaultTo('first_claim');
    t.string('created_at').notNullable();
    // PostgreSQL does not index foreign keys by itself; every center lookup goes through its organization.
    t.index(['organization_id']);
  });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
