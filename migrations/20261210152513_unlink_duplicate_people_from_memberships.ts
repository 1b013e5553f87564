import type { Knex } from 'knex';

/**
 * Before the next migration makes "one active account per person on file" a unique index:
 * two invitations for the same person could each be accepted, leaving two active memberships
 * that both act as that person. The first to join keeps the link (earliest created_at, then
 * id); every later one keeps its account and role but no longer acts as the person, so a
 * director can see it on the members page and decide. Nothing is deleted.
 */
export async function up(knex: Knex): Promise<void> {
  const rows = (await knex('memberships')
    .whereNotNull('person_id')
    .whereNull('deactivated_at')
    .orderBy([{ column: 'person_id' }, { column: 'created_at' }, { column: 'id' }])
    .select('id', 'person_id')) as { id: string; person_id: string }[];
  const later: string[] = [];
  for (let i = 1; i < rows.length; i++) if (rows[i]!.person_id === rows[i - 1]!.person_id) later.push(rows[i]!.id);
  // Chunked: SQLite caps bound parameters per statement.
  for (let i = 0; i < later.length; i += 500) {
    await knex('memberships').whereIn('id', later.slice(i, i + 500)).update({ person_id: null });
  }
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
