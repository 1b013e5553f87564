import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // A center's arrival and departure windows (HH:mm in its zone, within opens_at–closes_at, its hours of operation);
  // null: none set. Only packs with arrival/departure stand-ins read them (Minn. R. 9503.0040 subp. 2 B).
  await knex.schema.alterTable('centers', (t) => {
    t.string('arrival_from', 5).nullable();
    t.string('arrival_to', 5).nullable();
    t.string('departure_from', 5).nullable();
    t.string('departure_to', 5).nullable();
  });
  // A child's designation into another band of the pack (its basis and the date it rests on: the agreement,
  // or the kindergarten start), and counted staff the child's own plan asks for beyond the ratio.
  await knex.schema.alterTable('children', (t) => {
    t.string('designation_band', 40).nullable();
    t.string('designation_basis', 40).nullable();
    t.string('designation_on', 10).nullable();
    t.integer('dedicated_staff').nullable();
  });
  // A room run as a night program (the pack's night care rule).
  await knex.schema.alterTable('rooms', (t) => {
    t.boolean('night_program').notNullable().defaultTo(false);
  });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
