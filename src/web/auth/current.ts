import type { Request } from 'express';
import { auditHeads, Kept, type AuditHeads } from '../../db/freshness.js';
import { listCentersForUser } from '../../db/centers.js';
import type { Knex } from '../../db/knex.js';
import { findActiveMemberInCenter, type CenterMember, type OrganizationOwner } from '../../db/memberships.js';
import type { User } from '../../db/rows.js';
import { findUserById } from '../../db/users.js';

declare global {
  namespace Express {
    interface Request {
      /** The signed-in user, checked on every request (session.ts). */
      currentUser?: User;
      /** What the signed-in user's cached standing was checked against (session.ts); the guard reuses it. */
      standingStamp?: StandingStamp;
      /** The audit log's heads read in the same statement as this request's session row (session.ts). */
      headsWithSession?: AuditHeads;
      /** The session's user's unread notices, counted in the same statement (session.ts); the page header shows it. */
      unreadWithSession?: number;
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
 * Where the standing rows stood when a request began: the audit log's standing head read
 * for it (db/freshness.ts), with every head of that one read, against which the request's
 * other kept values may be checked too (the center's setup rows of a check-in).
 */
export type StandingStamp = { readonly head: number; readonly heads: AuditHeads };

const MAX_ENTRIES = 5000;

export { sharedByProcesses } from '../../db/freshness.js';

/**
 * Every signed-in request needs its user, its standing in the center it opens and
 * whether it sees demo data; read from the database each time, those were most of a
 * board request's cost. They are kept here, per database, under the audit log's
 * standing head (db/freshness.ts): every write to users, memberships, centers and
 * organizations is audited in its own transaction, which moves that head, so a
 * deactivation, a password reset or a role change, by this process or another, bites
 * on the next request. Each request reads the head once (one primary-key read, shared
 * by requests arriving together).
 *
 * Only found rows are kept: a user with no standing in a center is asked again, so a
 * new membership shows at once.
 */
export class StandingCache {
  readonly #db: Knex;
  readonly #users = new Kept<User | undefined>(MAX_ENTRIES);
  readonly #members = new Kept<CenterMember | undefined>(MAX_ENTRIES);
  readonly #demo = new Kept<boolean>(MAX_ENTRIES);

  constructor(db: Knex) {
    this.#db = db;
  }

  /** Reads what this request's lookups are checked against. */
  async stamp(): Promise<StandingStamp> {
    const heads = await auditHeads(this.#db);
    return { head: heads.standing, heads };
  }

  user(stamp: StandingStamp, userId: string): Promise<User | undefined> {
    return this.#users.get(userId, stamp.head, () => findUserById(this.#db, userId), (u) => u !== undefined);
  }

  member(stamp: StandingStamp, userId: string, centerId: string): Promise<CenterMember | undefined> {
    return this.#members.get(`${userId}|${centerId}`, stamp.head, () => findActiveMemberInCenter(this.#db, userId, centerId), (m) => m !== undefined);
  }

  /** Whether any center the user may open is the demo (the "Demo data" banner). */
  seesDemo(stamp: StandingStamp, userId: string): Promise<boolean> {
    return this.#demo.get(userId, stamp.head, async () => (await listCentersForUser(this.#db, userId)).some((c) => c.isDemo));
  }
}

/** A request's stamp from heads it read after it began (with its session row, session.ts). */
export function stampOf(heads: AuditHeads): StandingStamp {
  return { head: heads.standing, heads };
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
