import type { Knex } from 'knex';
import type { CenterMember } from '../../db/memberships.js';
import { findPersonInCenter } from '../../db/people.js';
import { listRoomsInCenter } from '../../db/rooms.js';
import { listTrainingRecordsOfPerson } from '../../db/trainings.js';
import { centerPack } from '../../services/center-pack.js';
import { personOnFile } from '../../services/person-on-file.js';
import { coverLine, restOfDay, type CoverLine } from './standing.js';

/** The member's own cover line for the rest of today, or null when their account has no person on file. */
export async function myCoverLine(db: Knex, member: CenterMember, now: Date): Promise<CoverLine | null> {
  const person = member.personId ? await findPersonInCenter(db, member.center.id, member.personId) : undefined;
  if (!person) return null;
  const [{ pack }, records, rooms] = await Promise.all([
    centerPack(db, member.center),
    listTrainingRecordsOfPerson(db, member.center.id, person.id),
    listRoomsInCenter(db, member.center.id),
  ]);
  return coverLine(pack, personOnFile(person, records), rooms, restOfDay(member.center, now));
}
