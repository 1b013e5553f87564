import type { RequestHandler } from 'express';
import { findActiveOwnerOfOrganization } from '../../db/memberships.js';
import type { Deps } from '../deps.js';
import { Forbidden, NotFound } from '../errors.js';
import { can, policyOf, type Action } from './policy.js';
import { standingCache, standingStampOf } from './current.js';
import { idIn } from '../ids.js';

/** The guard middleware, marked with its action so the authorization test can find unguarded routes. */
export type Guard = RequestHandler & { readonly action: Action };

/**
 * The first handler of every route. Signed out: 303 to /sign-in (unless the action is
 * for anyone). Center actions: the center comes from the path, never the query; a
 * user with no active standing there gets 404 (the center's existence is not
 * confirmed), one whose role may not take the action gets 403. Organization actions:
 * the organization comes from the path too, and only its active owners get past (404
 * for anyone else: there is no role in an organization below owner to refuse with 403).
 */
export function guard({ db }: Pick<Deps, 'db'>, action: Action): Guard {
  const policy = policyOf(action);
  const handler: RequestHandler = async (req, res, next) => {
    if (policy.who === 'anyone') return next();
    const user = req.currentUser;
    if (!user) return res.redirect(303, '/sign-in');
    if (policy.who === 'signed_in') return next();

    if (policy.who === 'organization') {
      const organizationId = idIn(req.params.organizationId);
      if (!organizationId) throw new NotFound('organization');
      const owner = await findActiveOwnerOfOrganization(db, user.id, organizationId);
      if (!owner) throw new NotFound('organization');
      req.owner = owner;
      return next();
    }

    const centerId = idIn(req.params.centerId);
    if (!centerId) throw new NotFound('center');
    // Cached while nothing writes memberships, users or centers (see current.ts): a change bites on the next request.
    const member = await standingCache(db).member(await standingStampOf(db, req), user.id, centerId);
    if (!member) throw new NotFound('center');
    if (member.center.isDemo) res.locals.demo = true;
    if (!can(member, action)) throw new Forbidden(action);
    req.member = member;
    res.locals.center = { id: member.center.id, name: member.center.name };
    next();
  };
  return Object.assign(handler, { action });
}
