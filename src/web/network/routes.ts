import { Router } from 'express';
import { findOrganization } from '../../db/organizations.js';
import type { Deps } from '../deps.js';
import { ownerOf } from '../auth/current.js';
import { guard } from '../auth/guard.js';
import { NotFound } from '../errors.js';
import { buildNetwork, EXPIRY_WINDOW_DAYS } from './network.js';

/**
 * The owner's network page: every center of the organization on one screen, each
 * judged now, each a link to its board. Only the organization's active owners find
 * it (the guard answers 404 to anyone else).
 */
export function networkRoutes(deps: Deps): Router {
  const { db, clock } = deps;
  const router = Router();

  router.get('/organizations/:organizationId/network', guard(deps, 'network.view'), async (req, res) => {
    const owner = ownerOf(req);
    const organization = await findOrganization(db, owner.organizationId);
    if (!organization) throw new NotFound('organization');
    const now = clock.now();
    const network = await buildNetwork(db, organization.id, now);
    res.render('network/show', {
      title: `${organization.name}: network`,
      organization: { id: organization.id, name: organization.name },
      network,
      expiryDays: EXPIRY_WINDOW_DAYS,
      addCenterHref: `/organizations/${organization.id}/centers/new`,
    });
  });

  return router;
}
