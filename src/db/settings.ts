import type { Knex } from 'knex';
import { createSecretFile, randomSecret, readSecretFile, secretFilePath } from '../secret-files.js';

export const SESSION_SECRET_FILE = 'session.secret';

// Earlier versions kept the secret here, where anyone who could read the database file could sign a cookie.
const STORED_KEY = 'session_secret';

/**
 * The session secret: SESSION_SECRET when set, otherwise the file `session.secret`
 * beside the database (0600), made at first start. A secret an earlier version kept
 * in the database (`settings`) is moved out once: written to that file when it has
 * none (so everyone stays signed in), then deleted from the database, also when
 * SESSION_SECRET is set. An in-memory database gets a secret that dies with it.
 */
export async function ensureSessionSecret(db: Knex, config: { readonly sessionSecret?: string | undefined; readonly dbFile: string }): Promise<string> {
  const stored = (await db('settings').where({ key: STORED_KEY }).first('value')) as { value: string } | undefined;
  const file = secretFilePath(config.dbFile, SESSION_SECRET_FILE);
  let fromFile: string | null = null;
  if (file !== null) {
    // The file first, then the delete: a crash between them leaves the secret in both places, never in neither.
    fromFile = stored ? createSecretFile(file, stored.value) : readSecretFile(file);
  }
  if (stored) await db('settings').where({ key: STORED_KEY }).del();
  if (config.sessionSecret !== undefined) return config.sessionSecret;
  if (file === null) return (memorySecrets.get(db.client.config as object) ?? remember(db, stored?.value ?? randomSecret()));
  return fromFile ?? createSecretFile(file, randomSecret());
}

const memorySecrets = new WeakMap<object, string>();
function remember(db: Knex, secret: string): string {
  memorySecrets.set(db.client.config as object, secret);
  return secret;
}
