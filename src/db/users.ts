import type { Knex } from 'knex';
import { constraintViolation } from './errors.js';
import { UserRow, newId, parseRow, type User } from './rows.js';

/**
 * A number this process bumps on every write to the rows that decide who someone is
 * and what they may do: users, memberships, and (through appendAudit) centers and
 * organizations. The web layer caches those rows per request path and keeps an entry
 * only while this number is unchanged, so a deactivation, a password reset or a role
 * change bites on the very next request in this process. Another process's writes
 * are not seen here: see web/auth/current.ts for how PostgreSQL deployments catch them.
 */
let authGeneration = 0;

export function currentAuthGeneration(): number {
  return authGeneration;
}

/**
 * Marks the cached standing stale: now, and again when the caller's transaction ends,
 * so a request that read the old rows while it was open cannot keep them under the
 * new number.
 */
export function authRowsChanged(db: Knex): void {
  authGeneration++;
  if (db.isTransaction) {
    const bump = () => {
      authGeneration++;
    };
    (db as Knex.Transaction).executionPromise.then(bump, bump);
  }
}

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
export async function createUser(db: Knex, input: NewUser): Promise<{ ok: true; user: User } | { ok: false; error: 'email_taken' }> {
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
    authRowsChanged(db);
  } catch (err) {
    if (constraintViolation(err) === 'unique') return { ok: false, error: 'email_taken' };
    throw err;
  }
  return { ok: true, user: UserRow.parse(row) };
}

/** Sets a new password and ends every session the user had. */
export async function setPassword(db: Knex, userId: string, passwordHash: string): Promise<void> {
  await db('users').where({ id: userId }).update({ password_hash: passwordHash, session_version: db.raw('session_version + 1') });
  authRowsChanged(db);
}

/** Ends every session of the user at their next request. */
export async function endSessions(db: Knex, userId: string): Promise<void> {
  await db('users').where({ id: userId }).update({ session_version: db.raw('session_version + 1') });
  authRowsChanged(db);
}
