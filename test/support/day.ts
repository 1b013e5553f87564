import type { Knex } from 'knex';
import { appendAudit } from '../../src/db/audit.js';
import { createChild } from '../../src/db/children.js';
import { createPerson } from '../../src/db/people.js';
import type { Child, Person } from '../../src/db/rows.js';
import { createTrainingRecord } from '../../src/db/trainings.js';
import type { SeededCenter } from './builders.js';

const MN_TRAININGS = ['orientation', 'suid', 'aht', 'first_aid', 'cpr', 'child_development'];

export type SeededDay = {
  /** Three infants and a toddler, with their home rooms. */
  children: { ada: Child; ben: Child; cai: Child; dot: Child };
  /** A second teacher, fully trained, with no account. */
  maya: Person;
};

/**
 * Adds what a day in the rooms needs to a seeded center: every Minnesota training
 * (verified, recent) for the staff login's teacher, the volunteer and a second
 * teacher, Maya; three infants at home in Infants and a toddler at home in Toddlers.
 * Birth dates suit a day in early March 2026.
 */
export async function seedRoomDay(db: Knex, seeded: SeededCenter, at = new Date('2026-03-01T12:00:00Z')): Promise<SeededDay> {
  return db.transaction(async (trx) => {
    const c = seeded.center.id;
    const maya = await createPerson(trx, { centerId: c, displayName: `Maya Lopez ${seeded.center.name}`, role: 'teacher', adultAttested: true, backgroundStudy: 'cleared', startedOn: '2025-01-06', at });
    for (const p of [seeded.people.teacher, seeded.people.volunteer, maya]) {
      for (const trainingId of MN_TRAININGS) {
        await createTrainingRecord(trx, { centerId: c, personId: p.id, trainingId, completedOn: '2026-01-15', status: 'verified', at });
      }
    }
    await trx('people').where({ id: seeded.people.volunteer.id }).update({ background_study: 'cleared', started_on: '2025-06-01' });
    await trx('people').where({ id: seeded.people.teacher.id }).update({ started_on: '2025-01-06' });
    const child = (displayName: string, birthDate: string, room: 'infants' | 'toddlers') => createChild(trx, { centerId: c, displayName, birthDate, homeRoomId: seeded.rooms[room].id, at });
    const children = {
      ada: await child('Ada A.', '2025-09-01', 'infants'),
      ben: await child('Ben B.', '2025-07-15', 'infants'),
      cai: await child('Cai C.', '2025-11-20', 'infants'),
      dot: await child('Dot D.', '2024-08-01', 'toddlers'),
    };
    await appendAudit(trx, { at, organizationId: seeded.organization.id, centerId: c, action: 'test.day_seeded', recordType: 'center', recordId: c });
    return { children, maya };
  });
}
