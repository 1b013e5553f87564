import type { Person, TrainingRecord } from '../../db/rows.js';
import type { PersonOnFile } from '../../domain/eligibility.js';
import { BACKGROUND_STUDY_STATUSES, ROLES, type BackgroundStudyStatus, type Role } from '../../domain/rule-pack.js';

const isRole = (x: string): x is Role => (ROLES as readonly string[]).includes(x);
export const isStudyStatus = (x: string): x is BackgroundStudyStatus => (BACKGROUND_STUDY_STATUSES as readonly string[]).includes(x);

/** A person and their records as the eligibility engine takes them. */
export function personOnFile(person: Person, records: readonly TrainingRecord[]): PersonOnFile {
  // Stored values come from validated forms; anything else is a bug, not a person to judge leniently.
  if (!isRole(person.role)) throw new Error(`person ${person.id} has unknown role`);
  if (!isStudyStatus(person.backgroundStudy)) throw new Error(`person ${person.id} has unknown background study status`);
  return {
    role: person.role,
    qualifiesAs: person.qualifiesAs,
    birthDate: person.birthDate,
    adultAttested: person.adultAttested,
    backgroundStudy: person.backgroundStudy,
    backgroundExpiresOn: person.backgroundStudy === 'cleared' ? person.backgroundExpiresOn : null,
    startedOn: person.startedOn,
    trainings: records
      .filter((r) => r.personId === person.id)
      .map((r) => ({ trainingId: r.trainingId, completedOn: r.completedOn, status: r.status, rejectionReason: r.rejectionReason })),
  };
}
