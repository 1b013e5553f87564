import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // How a user wants to be reached about one center; no row means email on and no quiet hours.
  await knex.schema.createTable('alert_preferences', (t) => {
    t.string('user_id', 36).notNullable().references('id').inTable('users');
    t.string('center_id', 36).notNullable().references('id').inTable('centers');
    t.boolean('email').notNullable().defaultTo(true);
    // Wall-clock HH:mm in the center's zone; both set or both null. Start after end runs over midnight.
    t.string('quiet_start', 5).nullable();
    t.string('quiet_end', 5).nullable();
    t.string('updated_at').notNullable();
    t.primary(['user_id', 'center_id']);
  });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
