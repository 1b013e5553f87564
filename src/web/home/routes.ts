import { Router } from 'express';
import { listCentersForUser } from '../../db/centers.js';
import { listOrganizationsOwnedBy } from '../../db/organizations.js';
import { PACKS, getPack } from '../../domain/rules/index.js';
import type { Deps } from '../app.js';
import { userOf } from '../auth/current.js';
import { guard } from '../auth/guard.js';
import { packView } from './pack-view.js';

export function homeRoutes(deps: Deps): Router {
  const router = Router();
  // Packs are static data: build their views once.
  const packs = PACKS.map(packView);
  const summary = packs.map((p) => ({ id: p.id, name: p.name, anchor: p.anchor, draft: p.draft }));

  router.get('/', guard(deps, 'home.view'), async (req, res) => {
    const user = userOf(req);
    const [centers, owned] = await Promise.all([listCentersForUser(deps.db, user.id), listOrganizationsOwnedBy(deps.db, user.id)]);
    res.render('home/index', {
      title: 'Home',
      // An owner adds centers to their organization (the first one after `npm run create-owner`).
      organizations: owned.map((o) => ({ id: o.id, name: o.name })),
      centers: centers.map((c) => ({ id: c.id, name: c.name, packName: getPack(c.packId)?.name ?? c.packId, isDemo: c.isDemo })),
      packs: summary,
    });
  });

  router.get('/rules', guard(deps, 'rules.view'), (_req, res) => {
    res.render('rules/index', { title: 'Rule packs', packs });
  });
  return router;
}
