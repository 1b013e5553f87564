import type { Knex } from 'knex';
import { PersonRow, newId, parseRow, parseRows, type Person } from './rows.js';

export type NewPerson = {
  centerId: string;
  displayName: string;
  role: string;
  qualifiesAs?: string | null;
  birthDate?: string | null;
  adultAttested?: boolean;
  startedOn?: string | null;
  backgroundStudy?: string;
  backgroundClearedOn?: string | null;
  backgroundExpiresOn?: string | null;
  /** Until the person has an account: where a bulk invitation goes. */
  email?: string | null;
  at: Date;
};

export function personRow(input: NewPerson) {
  return {
    id: newId(),
    center_id: input.centerId,
    display_name: input.displayName,
    role: input.role,
    qualifies_as: input.qualifiesAs ?? null,
    birth_date: input.birthDate ?? null,
    adult_attested: input.adultAttested ?? false,
    started_on: input.startedOn ?? null,
    background_study: input.backgroundStudy ?? 'not_started',
    background_cleared_on: input.backgroundClearedOn ?? null,
    background_expires_on: input.backgroundExpiresOn ?? null,
    email: input.email ?? null,
    archived_at: null,
    created_at: input.at.toISOString(),
  };
}

export async function createPerson(db: Knex, input: NewPerson): Promise<Person> {
  const row = personRow(input);
  await db('people').insert(row);
  return PersonRow.parse(row);
}

export async function findPersonInCenter(db: Knex, centerId: string, id: string): Promise<Person | undefined> {
  return parseRow(PersonRow, await db('people').where({ id, center_id: centerId }).first());
}

/**
 * The person on file a member's account is linked to in their center ("my trainings",
 * "my availability", cover), or undefined when it is not linked; with `current`, also
 * undefined when that person is archived.
 */
export async function findPersonOfMember(
  db: Knex,
  member: { readonly center: { readonly id: string }; readonly personId: string | null },
  opts: { readonly current?: boolean } = {},
): Promise<Person | undefined> {
  const person = member.personId ? await findPersonInCenter(db, member.center.id, member.personId) : undefined;
  return person && (!opts.current || person.archivedAt === null) ? person : undefined;
}

/** The center's people by name; archived ones only with `includeArchived`. */
export async function listPeopleInCenter(db: Knex, centerId: string, opts: { includeArchived?: boolean } = {}): Promise<Person[]> {
  const q = db('people').where({ center_id: centerId });
  if (!opts.includeArchived) q.whereNull('archived_at');
  return parseRows(PersonRow, await q.orderBy('display_name').orderBy('id'));
}

/** What the center set-up form edits; the background study is edited with the volunteer pool. */
export type PersonChanges = {
  displayName: string;
  role: string;
  qualifiesAs: string | null;
  birthDate: string | null;
  adultAttested: boolean;
  startedOn: string | null;
  /** Left as it is when absent (undefined). */
  email?: string | null;
};

export async function updatePerson(db: Knex, centerId: string, id: string, c: PersonChanges): Promise<boolean> {
  const n = await db('people').where({ id, center_id: centerId }).update({
    display_name: c.displayName,
    role: c.role,
    qualifies_as: c.qualifiesAs,
    birth_date: c.birthDate,
    adult_attested: c.adultAttested,
    started_on: c.startedOn,
    ...(c.email === undefined ? {} : { email: c.email }),
  });
  return n === 1;
}

/**
 * Forgets the person's email once they have an account (the account's own email is used from
 * then on); true when there was one to forget. Call it in the transaction that links the account.
 */
export async function clearPersonEmail(db: Knex, centerId: string, id: string): Promise<boolean> {
  const n = await db('people').where({ id, center_id: centerId }).whereNotNull('email').update({ email: null });
  return n === 1;
}

/** People of the center not archived and not yet linked to an active membership: who an invitation may be for. */
export async function listPeopleWithoutAccount(db: Knex, centerId: string): Promise<Person[]> {
  const linked = db('memberships').whereNotNull('person_id').whereNull('deactivated_at').select('person_id');
  return parseRows(
    PersonRow,
    await db('people').where({ center_id: centerId }).whereNull('archived_at').whereNotIn('id', linked).orderBy('display_name'),
  );
}
