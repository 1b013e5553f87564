import type { Knex } from 'knex';
import { z } from 'zod';
import { CenterRow, PersonRow, parseRows, type Center, type Person } from './rows.js';

/**
 * Read-only queries behind an owner's network page: the organization's centers, and
 * the people of all of them with their verified training records, one query per
 * table for the whole organization (never one per center).
 */

/** Every center of the organization, by name. */
export async function listCentersOfOrganization(db: Knex, organizationId: string): Promise<Center[]> {
  return parseRows(CenterRow, await db('centers').where({ organization_id: organizationId }).orderBy('name').orderBy('id').select('*'));
}

const VerifiedTraining = z
  .object({ center_id: z.string(), person_id: z.string(), training_id: z.string(), completed_on: z.string() })
  .transform((r) => ({ centerId: r.center_id, personId: r.person_id, trainingId: r.training_id, completedOn: r.completed_on }));
export type VerifiedTraining = z.output<typeof VerifiedTraining>;

/** The people of the centers who are not archived, by name, and their verified training records. */
export async function listPeopleWithVerifiedTrainings(
  db: Knex,
  centerIds: readonly string[],
): Promise<{ people: Person[]; trainings: VerifiedTraining[] }> {
  if (centerIds.length === 0) return { people: [], trainings: [] };
  const [people, trainings] = await Promise.all([
    db('people').whereIn('center_id', centerIds).whereNull('archived_at').orderBy('display_name').orderBy('id'),
    db('training_records as t')
      .join('people as p', 'p.id', 't.person_id')
      .whereIn('t.center_id', centerIds)
      .where('t.status', 'verified')
      .whereNull('p.archived_at')
      .select('t.center_id', 't.person_id', 't.training_id', 't.completed_on'),
  ]);
  return { people: parseRows(PersonRow, people), trainings: parseRows(VerifiedTraining, trainings) };
}
