import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';

/**
 * The session secret: SESSION_SECRET when set, otherwise one made at first start and
 * kept in the database, so restarts keep everyone signed in with nothing to configure.
 */
export async function ensureSessionSecret(db: Knex): Promise<string> {
  const fresh = randomBytes(48).toString('base64url');
  // Insert-if-absent then read: two processes starting together end up with the same secret.
  await db('settings').insert({ key: 'session_secret', value: fresh }).onConflict('key').ignore();
  const row = (await db('settings').where({ key: 'session_secret' }).first('value')) as { value: string };
  return row.value;
}
