import type { Knex } from 'knex';
import { newId } from './rows.js';

/** Failed sign-ins by key ('email:…' or 'ip:…'), for limits that hold across processes. */

export async function recordSignInFailure(db: Knex, keys: readonly string[], at: Date): Promise<void> {
  await db('sign_in_failures').insert(keys.map((key) => ({ id: newId(), key, failed_at: at.toISOString() })));
}

export async function countSignInFailuresSince(db: Knex, key: string, since: Date): Promise<number> {
  const row = (await db('sign_in_failures').where({ key }).andWhere('failed_at', '>', since.toISOString()).count({ n: '*' }).first()) as { n: number | string };
  return Number(row.n);
}

export async function clearSignInFailures(db: Knex, key: string): Promise<void> {
  await db('sign_in_failures').where({ key }).del();
}

/** Drops what no limit looks at any more, so the table stays small. */
export async function pruneSignInFailures(db: Knex, before: Date): Promise<void> {
  await db('sign_in_failures').where('failed_at', '<=', before.toISOString()).del();
}
