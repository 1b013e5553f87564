import type { Request } from 'express';
import type { CenterMember, OrganizationOwner } from '../../db/memberships.js';
import type { User } from '../../db/rows.js';

declare global {
  namespace Express {
    interface Request {
      /** The signed-in user, re-read on every request (session.ts). */
      currentUser?: User;
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
