import type { Person, TrainingCompletion } from '../db/rows.js';
import type { PersonOnFile, TrainingOnFile } from '../domain/eligibility.js';

/**
 * The one place a person and their training records, as the database keeps them
 * (db/rows.ts: a `TrainingRecord`, or the `TrainingCompletion` part of it), become
 * what the eligibility engine reads (domain/eligibility.ts: `PersonOnFile`, its
 * `TrainingOnFile`s). Rows arrive typed: a role or study status outside the domain's
 * lists fails where the row is parsed.
 */

/** A training record as the engine reads it; its rejection reason when the record carries one (a whole `TrainingRecord`). */
export function trainingOnFile(record: TrainingCompletion & { readonly rejectionReason?: string | null }): TrainingOnFile {
  const base = { trainingId: record.trainingId, completedOn: record.completedOn, status: record.status };
  return 'rejectionReason' in record ? { ...base, rejectionReason: record.rejectionReason } : base;
}

/** A person and their records as the eligibility engine takes them (records of other people in `records` are left out). */
export function personOnFile(person: Person, records: readonly (TrainingCompletion & { readonly rejectionReason?: string | null })[]): PersonOnFile {
  return {
    role: person.role,
    qualifiesAs: person.qualifiesAs,
    birthDate: person.birthDate,
    adultAttested: person.adultAttested,
    backgroundStudy: person.backgroundStudy,
    // An expiry counts only for a cleared study (the form drops it for any other status, and only a cleared one counts).
    backgroundExpiresOn: person.backgroundStudy === 'cleared' ? person.backgroundExpiresOn : null,
    startedOn: person.startedOn,
    trainings: records.filter((r) => r.personId === person.id).map(trainingOnFile),
  };
}

/**
 * `personOnFile` for many people sharing one read of their records (only verified ones
 * count): the board, the room page, the day forecast and the network page read people
 * through this.
 */
export function onFileOf(records: readonly TrainingCompletion[]): (person: Person) => PersonOnFile {
  const recordsOf = new Map<string, TrainingCompletion[]>();
  for (const r of records) {
    let list = recordsOf.get(r.personId);
    if (!list) recordsOf.set(r.personId, (list = []));
    list.push(r);
  }
  return (person: Person): PersonOnFile => personOnFile(person, recordsOf.get(person.id) ?? []);
}
