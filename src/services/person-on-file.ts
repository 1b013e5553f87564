import type { TrainingOnRecord } from '../db/center-state.js';
import type { Person, TrainingRecord } from '../db/rows.js';
import type { PersonOnFile } from '../domain/eligibility.js';
import { BACKGROUND_STUDY_STATUSES, ROLES, type BackgroundStudyStatus, type Level, type Role } from '../domain/rule-pack.js';

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

/**
 * A person as the engine takes them, with their training records (only verified ones
 * count): the board, the room page and the day forecast read people through this.
 */
export function onFileOf(trainings: readonly TrainingOnRecord[]): (person: Person) => PersonOnFile {
  const trainingsOf = new Map<string, PersonOnFile['trainings'][number][]>();
  for (const t of trainings) {
    let list = trainingsOf.get(t.personId);
    if (!list) trainingsOf.set(t.personId, (list = []));
    list.push({ trainingId: t.trainingId, completedOn: t.completedOn, status: t.status });
  }
  return (p: Person): PersonOnFile => ({
    role: p.role as Role,
    qualifiesAs: (p.qualifiesAs as Level | null) ?? null,
    birthDate: p.birthDate,
    adultAttested: p.adultAttested,
    backgroundStudy: p.backgroundStudy as BackgroundStudyStatus,
    backgroundExpiresOn: p.backgroundExpiresOn,
    startedOn: p.startedOn,
    trainings: trainingsOf.get(p.id) ?? [],
  });
}
