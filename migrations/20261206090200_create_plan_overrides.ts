import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // A director saving a day's plan change that the forecast shows breaching: what was changed,
  // the breach windows they were shown (as words), and their reason. Listed on the day's plan.
  await knex.schema.createTable('plan_overrides', (t) => {
    t.string('id', 36).primary();
    t.string('center_id', 36).notNullable().references('id').inTable('centers');
    // 'YYYY-MM-DD' on the center's calendar: the day whose plan was changed.
    t.string('day', 10).notNullable();
    // What was saved, in words ("Shift added: Sam Rivera, Infants 07:00–12:00").
    t.string('change', 300).notNullable();
    t.string('shift_id', 36).nullable().references('id').inTable('shifts');
    // JSON list of the breach windows in words ("15:00–17:30 Infants: needs 1 more …").
    t.text('breaches').notNullable();
    t.string('reason', 200).notNullable();
    t.string('created_at').notNullable();
    t.string('created_by_user_id', 36).nullable().references('id').inTable('users');
    t.index(['center_id', 'day']);
  });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
