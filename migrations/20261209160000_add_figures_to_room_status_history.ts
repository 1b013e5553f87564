import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // The figures an interval holds besides its status, so "was Infants in ratio at 11:45, and with how many
  // children?" is answered from one interval: a new one starts whenever any of them changes.
  // Nullable: rows written before kept only their status, counted and required staff and children.
  await knex.schema.alterTable('room_status_history', (t) => {
    // Children present per age category: a small JSON object, band id of the center's pack to count, bands
    // with none left out ({"infant":3,"toddler":1}). Text, which both engines store and compare alike.
    t.text('children_by_category').nullable();
    // Everyone present in the room, counted toward ratio or not.
    t.integer('present_staff').nullable();
    // The group-size limit in force; null when none applies (and on rows written before).
    t.integer('max_group_size').nullable();
  });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
