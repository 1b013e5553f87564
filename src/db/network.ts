import type { Knex } from 'knex';
import { CenterRow, PersonRow, TRAINING_COMPLETION_COLUMNS, TrainingCompletionRow, parseRows, type Center, type Person, type TrainingCompletion } from './rows.js';

/**
 * Read-only queries behind an owner's network page: the organization's centers, and
 * the people of all of them with their verified training records, one query per
 * table for the whole organization (never one per center).
 */

/** Every center of the organization, by name. */
export async function listCentersOfOrganization(db: Knex, organizationId: string): Promise<Center[]> {
  return parseRows(CenterRow, await db('centers').where({ organization_id: organizationId }).orderBy('name').orderBy('id').select('*'));
}

/** The people of the centers who are not archived, by name, and their verified training records. */
export async function listPeopleWithVerifiedTrainings(
  db: Knex,
  centerIds: readonly string[],
): Promise<{ people: Person[]; trainings: TrainingCompletion[] }> {
  if (centerIds.length === 0) return { people: [], trainings: [] };
  const [people, trainings] = await Promise.all([
    db('people').whereIn('center_id', centerIds).whereNull('archived_at').orderBy('display_name').orderBy('id'),
    db('training_records as t')
      .join('people as p', 'p.id', 't.person_id')
      .whereIn('t.center_id', centerIds)
      .where('t.status', 'verified')
      .whereNull('p.archived_at')
      .select(TRAINING_COMPLETION_COLUMNS.map((c) => `t.${c}`)),
  ]);
  return { people: parseRows(PersonRow, people), trainings: parseRows(TrainingCompletionRow, trainings) };
}
