import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Knex } from 'knex';
import { createSecretFile, randomSecret, readSecretFile, secretFilePath } from '../secret-files.js';

/**
 * The key of the audit chain's HMAC. It never lives in the database: AUDIT_KEY, else
 * the file `audit.key` beside DB_FILE, made (0600) by the first append of an empty log
 * or by the upgrade of an unkeyed one. A database whose log is already keyed never
 * gets a new key: a lost key is reported, not silently replaced (a new one would make
 * every later entry unverifiable against the earlier ones).
 */

export const AUDIT_KEY_FILE = 'audit.key';

export class MissingAuditKey extends Error {
  constructor(readonly path: string | null) {
    super(`no audit key: set AUDIT_KEY, or put the key file back at ${path ?? '(no file: DB_FILE is :memory:)'}`);
  }
}

type KeySource = {
  /** The key, made when absent only if `mayCreate`; throws MissingAuditKey otherwise. */
  key(mayCreate: boolean): Buffer;
  /** True when a key exists (given or in its file), without making one. */
  exists(): boolean;
};

// Kept on the pool's knex config: a transaction's client shares that object (knex's makeTxClient), and the
// copies knex makes of it (withUserParams, which the migrator uses) copy an enumerable symbol too.
const SOURCE = Symbol('ratiowatch.auditKeySource');
type WithSource = { [SOURCE]?: KeySource };

/** Where `db` finds its audit key: `auditKey` (AUDIT_KEY) or the file beside `dbFile`. Called by createDb. */
export function registerAuditKey(db: Knex, config: { readonly auditKey?: string | undefined; readonly dbFile: string }): void {
  (db.client.config as WithSource)[SOURCE] = keySource(config);
}

function keySource(config: { readonly auditKey?: string | undefined; readonly dbFile: string }): KeySource {
  if (config.auditKey !== undefined) {
    const given = Buffer.from(config.auditKey, 'utf8');
    return { key: () => given, exists: () => true };
  }
  // Resolved now, against the working folder the process started in.
  let path: string | null | undefined;
  const pathOf = () => (path === undefined ? (path = secretFilePath(config.dbFile, AUDIT_KEY_FILE)) : path);
  let cached: Buffer | undefined;
  // An in-memory database (the benchmarks) keys with a secret that dies with it.
  const ephemeral = () => (cached ??= Buffer.from(randomSecret(), 'utf8'));
  return {
    key(mayCreate) {
      if (cached) return cached;
      const file = pathOf();
      if (file === null) return ephemeral();
      const text = readSecretFile(file) ?? (mayCreate ? createSecretFile(file, randomSecret()) : null);
      if (text === null) throw new MissingAuditKey(file);
      return (cached = Buffer.from(text, 'utf8'));
    },
    exists() {
      if (cached) return true;
      const file = pathOf();
      return file === null || readSecretFile(file) !== null;
    },
  };
}

function sourceOf(db: Knex): KeySource {
  const source = (db.client.config as WithSource)[SOURCE];
  if (!source) throw new Error('this database has no audit key source (it was not made by createDb)');
  return source;
}

/** `db`'s audit key; `mayCreate` only where no keyed entry can exist yet (see above). */
export function auditKeyOf(db: Knex, options: { readonly mayCreate: boolean }): Buffer {
  return sourceOf(db).key(options.mayCreate);
}

/** True when `db` has its audit key at hand (verification without it can say nothing about keyed entries). */
export function hasAuditKey(db: Knex): boolean {
  return sourceOf(db).exists();
}

/** HMAC-SHA256 of `content` (JSON of a list whose first item says what it is), hex. */
export function keyedHash(key: Buffer, content: string): string {
  return createHmac('sha256', key).update(content).digest('hex');
}

/**
 * The head's seal: the last id and hash, under the key. Someone without the key who
 * cuts the tail and moves the head back cannot make it; appends extend only a head
 * whose seal holds (db/audit.ts).
 */
export function headSeal(key: Buffer, lastId: number, lastHash: string): string {
  return keyedHash(key, JSON.stringify(['audit_head', lastId, lastHash]));
}

/**
 * The seal of the cut-over: entries up to `keyedAfter` were hashed before the chain
 * was keyed (plain SHA-256), those after it with the key. Made once, when a log that
 * has entries is first keyed (migration 20261210160200); without the key nobody can
 * move the cut-over up to pass rewritten keyed entries off as old ones.
 */
export function cutOverSeal(key: Buffer, keyedAfter: number): string {
  return keyedHash(key, JSON.stringify(['audit_keyed_after', keyedAfter]));
}

/** Compares two hex digests in constant time. */
export function sameDigest(a: string | null | undefined, b: string): boolean {
  if (typeof a !== 'string' || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
