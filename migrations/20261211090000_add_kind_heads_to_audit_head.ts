import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // The id of the last audit entry of each kind of row that the app keeps in memory (db/freshness.ts):
  // setup (rooms, children, people, trainings, plans…), standing (users, memberships, centers,
  // organizations) and cover (cover requests). An append moves the kinds of its entries in the
  // same statement that moves last_id, so a kept read is used while its kind's head stands.
  // 0 where nothing of the kind was written since this column came: nothing is kept across a start.
  await knex.schema.alterTable('audit_head', (t) => {
    t.bigInteger('setup_id').notNullable().defaultTo(0);
    t.bigInteger('standing_id').notNullable().defaultTo(0);
    t.bigInteger('cover_id').notNullable().defaultTo(0);
  });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
