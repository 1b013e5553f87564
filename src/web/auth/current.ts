import type { Request } from 'express';
import { lastStandingChangeBetween } from '../../db/audit.js';
import { auditVersion, sharedByProcesses } from '../../db/generations.js';
import { listCentersForUser } from '../../db/centers.js';
import type { Knex } from '../../db/knex.js';
import { findActiveMemberInCenter, type CenterMember, type OrganizationOwner } from '../../db/memberships.js';
import type { User } from '../../db/rows.js';
import { currentAuthGeneration, findUserById } from '../../db/users.js';

declare global {
  namespace Express {
    interface Request {
      /** The signed-in user, checked on every request (session.ts). */
      currentUser?: User;
      /** What the signed-in user's cached standing was checked against (session.ts); the guard reuses it. */
      standingStamp?: StandingStamp;
      /** Set by the guard on routes scoped to the center in the path. */
      member?: CenterMember;
      /** Set by the guard on routes scoped to the organization in the path. */
      owner?: OrganizationOwner;
    }
  }
}

/** The member the guard resolved; a route without a center guard calling this is a bug. */
export function memberOf(req: Request): CenterMember {
  if (!req.member) throw new Error('no member: route is not guarded by a center policy');
  return req.member;
}

/** The organization owner the guard resolved; a route without an organization guard calling this is a bug. */
export function ownerOf(req: Request): OrganizationOwner {
  if (!req.owner) throw new Error('no owner: route is not guarded by an organization policy');
  return req.owner;
}

export function userOf(req: Request): User {
  if (!req.currentUser) throw new Error('no user: route is not guarded by a signed-in policy');
  return req.currentUser;
}

/**
 * Where the standing rows stood when a request began: `head` is the audit log's head
 * read for it (PostgreSQL; 0 on SQLite, which one process owns).
 */
export type StandingStamp = { readonly head: number };

type Entry<T> = { readonly value: Promise<T>; readonly generation: number; readonly head: number };

const MAX_ENTRIES = 5000;

export { sharedByProcesses } from '../../db/generations.js';

/**
 * Every signed-in request needs its user, its standing in the center it opens and
 * whether it sees demo data; read from the database each time, those were most of a
 * board request's cost. They are kept here, per database, and an entry is used only
 * while nothing that could change it has been written:
 *
 * - in this process, `users.currentAuthGeneration()` moves on every write to users and
 *   memberships and every audited change of a center or organization, so a
 *   deactivation, a password reset or a role change bites on the very next request;
 * - on PostgreSQL, where several processes share the database, each request also
 *   reads the audit log's head (one primary-key read, shared by the requests that
 *   arrive while it is under way) and looks for standing changes among the entries
 *   since the last look (one range of the primary key, once per new head, for all
 *   requests): every such write is audited in its own transaction, so another
 *   process's deactivation bites on the next request here too.
 *
 * Only found rows are kept: a user with no standing in a center is asked again, so a
 * new membership shows at once.
 */
export class StandingCache {
  readonly #db: Knex;
  readonly #generation: () => number;
  readonly #crossProcess: boolean;
  readonly #users = new Map<string, Entry<User | undefined>>();
  readonly #members = new Map<string, Entry<CenterMember | undefined>>();
  readonly #demo = new Map<string, Entry<boolean>>();
  // Cross-process only: audit entries up to `#scannedTo` were looked at; `#lastChange` is the last that changed standing.
  #scannedTo = -1;
  #lastChange = 0;
  #scanning: Promise<void> = Promise.resolve();
  #reading: Promise<number> | undefined;
  #nextRead: Promise<number> | undefined;

  constructor(db: Knex, options: { readonly crossProcess?: boolean; readonly generation?: () => number } = {}) {
    this.#db = db;
    this.#crossProcess = options.crossProcess ?? sharedByProcesses(db);
    this.#generation = options.generation ?? currentAuthGeneration;
  }

  /** Reads what this request's lookups are checked against (nothing on SQLite). */
  async stamp(): Promise<StandingStamp> {
    if (!this.#crossProcess) return { head: 0 };
    const head = await this.#readHead();
    await this.#scanTo(head);
    return { head };
  }

  user(stamp: StandingStamp, userId: string): Promise<User | undefined> {
    return this.#get(this.#users, userId, stamp, () => findUserById(this.#db, userId), (u) => u !== undefined);
  }

  member(stamp: StandingStamp, userId: string, centerId: string): Promise<CenterMember | undefined> {
    return this.#get(this.#members, `${userId}|${centerId}`, stamp, () => findActiveMemberInCenter(this.#db, userId, centerId), (m) => m !== undefined);
  }

  /** Whether any center the user may open is the demo (the "Demo data" banner). */
  seesDemo(stamp: StandingStamp, userId: string): Promise<boolean> {
    return this.#get(this.#demo, userId, stamp, async () => (await listCentersForUser(this.#db, userId)).some((c) => c.isDemo), () => true);
  }

  #get<T>(map: Map<string, Entry<T>>, key: string, stamp: StandingStamp, load: () => Promise<T>, keep: (value: T) => boolean): Promise<T> {
    const hit = map.get(key);
    if (hit && hit.generation === this.#generation() && hit.head >= this.#lastChange) return hit.value;
    // Taken before the read: a write landing while it is under way leaves the entry already stale.
    const generation = this.#generation();
    const value = load();
    const entry: Entry<T> = { value, generation, head: stamp.head };
    map.delete(key);
    map.set(key, entry);
    if (map.size > MAX_ENTRIES) map.delete(map.keys().next().value!);
    const drop = () => {
      if (map.get(key) === entry) map.delete(key);
    };
    value.then((v) => keep(v) || drop(), drop);
    return value;
  }

  /** The audit head, read after this call: a read already under way may have been sent before a write this request must see. */
  #readHead(): Promise<number> {
    if (!this.#reading) {
      const reading = auditVersion(this.#db).finally(() => {
        if (this.#reading === reading) this.#reading = undefined;
      });
      this.#reading = reading;
      return reading;
    }
    this.#nextRead ??= this.#reading.then(
      () => this.#startNextRead(),
      () => this.#startNextRead(),
    );
    return this.#nextRead;
  }

  #startNextRead(): Promise<number> {
    this.#nextRead = undefined;
    return this.#readHead();
  }

  #scanTo(head: number): Promise<void> {
    if (head <= this.#scannedTo) return Promise.resolve();
    const scan = this.#scanning.then(async () => {
      if (head <= this.#scannedTo) return;
      if (this.#scannedTo < 0) {
        // Nothing is cached before the first look: start from here rather than read the whole log.
        this.#lastChange = head;
      } else {
        const last = await lastStandingChangeBetween(this.#db, this.#scannedTo, head);
        if (last > this.#lastChange) this.#lastChange = last;
      }
      this.#scannedTo = head;
    });
    this.#scanning = scan.catch(() => undefined);
    return scan;
  }
}

const caches = new WeakMap<Knex, StandingCache>();

/** The standing cache of this database (one per knex instance, shared by every app on it). */
export function standingCache(db: Knex): StandingCache {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new StandingCache(db)));
  return cache;
}

/** The stamp the session middleware read for this request, or a fresh one. */
export async function standingStampOf(db: Knex, req: Request): Promise<StandingStamp> {
  return (req.standingStamp ??= await standingCache(db).stamp());
}
