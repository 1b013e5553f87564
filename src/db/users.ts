import type { Knex } from 'knex';
import { constraintViolation } from './errors.js';
import type { Err } from '../domain/result.js';
import { UserRow, newId, parseRow, type User } from './rows.js';

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function findUserById(db: Knex, id: string): Promise<User | undefined> {
  return parseRow(UserRow, await db('users').where({ id }).first());
}

export async function findUserByEmail(db: Knex, email: string): Promise<User | undefined> {
  return parseRow(UserRow, await db('users').where({ email: normalizeEmail(email) }).first());
}

export type NewUser = { email: string; displayName: string; passwordHash: string | null; at: Date };

/** Creates a user, or answers 'email_taken' (the unique index decides, so two concurrent sign-ups cannot both win). */
export async function createUser(db: Knex, input: NewUser): Promise<{ ok: true; user: User } | Err<'email_taken'>> {
  const row = {
    id: newId(),
    email: normalizeEmail(input.email),
    password_hash: input.passwordHash,
    display_name: input.displayName,
    session_version: 0,
    created_at: input.at.toISOString(),
  };
  try {
    // In a savepoint when `db` is a transaction: PostgreSQL aborts a transaction on a failed statement.
    await db.transaction(async (sp) => {
      await sp('users').insert(row);
    });
  } catch (err) {
    if (constraintViolation(err) === 'unique') return { ok: false, error: 'email_taken' };
    throw err;
  }
  return { ok: true, user: UserRow.parse(row) };
}

/** Sets a new password and ends every session the user had. */
export async function setPassword(db: Knex, userId: string, passwordHash: string): Promise<void> {
  await db('users').where({ id: userId }).update({ password_hash: passwordHash, session_version: db.raw('session_version + 1') });
}

/** Ends every session of the user at their next request. */
export async function endSessions(db: Knex, userId: string): Promise<void> {
  await db('users').where({ id: userId }).update({ session_version: db.raw('session_version + 1') });
}
