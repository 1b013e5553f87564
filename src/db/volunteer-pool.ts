import type { Knex } from 'knex';
import { PersonRow, parseRows, type Person } from './rows.js';

/** The center's volunteers (people whose role is volunteer), not archived, by name. */
export async function listVolunteersInCenter(db: Knex, centerId: string): Promise<Person[]> {
  return parseRows(PersonRow, await db('people').where({ center_id: centerId, role: 'volunteer' }).whereNull('archived_at').orderBy('display_name').orderBy('id'));
}

export type BackgroundStudy = {
  status: string;
  /** 'YYYY-MM-DD', for a cleared study. */
  clearedOn: string | null;
  /** 'YYYY-MM-DD' from which it no longer holds, when the state or the center sets one. */
  expiresOn: string | null;
};

/** Records a person's background study as the director keeps it; false when there is no such person in the center. */
export async function updateBackgroundStudy(db: Knex, centerId: string, personId: string, study: BackgroundStudy): Promise<boolean> {
  const n = await db('people').where({ id: personId, center_id: centerId }).update({
    background_study: study.status,
    background_cleared_on: study.clearedOn,
    background_expires_on: study.expiresOn,
  });
  return n === 1;
}

/** The center's people among `ids` (archived ones too: a record's owner is named even after archiving). */
export async function listPeopleByIdsInCenter(db: Knex, centerId: string, ids: readonly string[]): Promise<Person[]> {
  const out: Person[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    out.push(...parseRows(PersonRow, await db('people').where({ center_id: centerId }).whereIn('id', ids.slice(i, i + 500))));
  }
  return out;
}
