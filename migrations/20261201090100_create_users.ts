import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    t.string('id', 36).primary();
    // Stored lower-cased by the app, so the unique index is case-insensitive in effect on both engines.
    t.string('email').notNullable().unique();
    // scrypt$N$r$p$salt$hash; null until the person sets a password from a one-time link.
    t.string('password_hash').nullable();
    t.string('display_name').notNullable();
    // Sessions remember the version they were made under; bumping it ends every session of the user at once.
    t.integer('session_version').notNullable().defaultTo(0);
    t.string('created_at').notNullable();
  });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
