import type { Knex } from 'knex';

/**
 * Sign-in tries counted per key ('account:…', 'address:…', 'pair:…') in a fixed window
 * that starts at a key's first try. Kept in the database, so the limits hold across
 * processes; counted by one upsert, so two tries at once can never read the same count.
 */

const TABLE = 'sign_in_attempts';

export type SignInKey = {
  readonly key: string;
  /** The email the key is about (account and pair keys), so a reset can clear them; null for an address. */
  readonly account: string | null;
};

/** A key's count in its window, this try included. */
export type CountedTry = { readonly key: string; readonly attempts: number; readonly windowStartedAt: string };

/**
 * Counts one try against every key in one statement, atomic on both engines (SQLite runs
 * it under its write lock; PostgreSQL's ON CONFLICT DO UPDATE locks each row and reads
 * its latest version): the n-th concurrent try of a key is answered n. A key whose
 * window began `windowMs` or longer ago starts a new window at 1.
 */
export async function countSignInTry(db: Knex, keys: readonly SignInKey[], at: Date, windowMs: number): Promise<CountedTry[]> {
  const now = at.toISOString();
  const since = new Date(at.getTime() - windowMs).toISOString();
  // Keys in one order for every statement: two tries locking shared rows (PostgreSQL) never wait on each other in a cycle.
  const rows = [...keys].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((k) => ({ key: k.key, account: k.account, attempts: 1, window_started_at: now }));
  const expired = db.raw('??.?? <= ?', [TABLE, 'window_started_at', since]);
  const returned = (await db(TABLE)
    .insert(rows)
    .onConflict('key')
    .merge({
      attempts: db.raw('CASE WHEN ? THEN 1 ELSE ??.?? + 1 END', [expired, TABLE, 'attempts']),
      window_started_at: db.raw('CASE WHEN ? THEN ? ELSE ??.?? END', [expired, now, TABLE, 'window_started_at']),
    })
    .returning(['key', 'attempts', 'window_started_at'])) as { key: string; attempts: number | string; window_started_at: string }[];
  return returned.map((r) => ({ key: r.key, attempts: Number(r.attempts), windowStartedAt: r.window_started_at }));
}

/** Takes one try back from each key, in the window it was counted in (a new window keeps its count). */
export async function uncountSignInTry(db: Knex, counted: readonly CountedTry[]): Promise<void> {
  if (counted.length === 0) return;
  await db(TABLE)
    .where((q) => {
      for (const c of counted) q.orWhere((w) => w.where({ key: c.key, window_started_at: c.windowStartedAt }));
    })
    .andWhere('attempts', '>', 0)
    .update({ attempts: db.raw('?? - 1', ['attempts']) });
}

export async function clearSignInKey(db: Knex, key: string): Promise<void> {
  await db(TABLE).where({ key }).del();
}

/** Clears an account's count and those of every pair it is in (a password reset lets the person in again). */
export async function clearSignInAccount(db: Knex, email: string): Promise<void> {
  await db(TABLE).where({ account: email }).del();
}

/** Drops keys whose window has ended, so the table stays small. */
export async function pruneSignInAttempts(db: Knex, at: Date, windowMs: number): Promise<void> {
  await db(TABLE).where('window_started_at', '<=', new Date(at.getTime() - windowMs).toISOString()).del();
}

/** A key's count in its current window, without counting a try (0 when its window has ended). */
export async function readSignInCount(db: Knex, key: string, at: Date, windowMs: number): Promise<number> {
  const row = (await db(TABLE)
    .where({ key })
    .andWhere('window_started_at', '>', new Date(at.getTime() - windowMs).toISOString())
    .first('attempts')) as { attempts: number | string } | undefined;
  return row ? Number(row.attempts) : 0;
}
