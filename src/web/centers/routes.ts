import { Router } from 'express';
import { listRoomsInCenter } from '../../db/rooms.js';
import { getPack } from '../../domain/rules/index.js';
import type { Deps } from '../app.js';
import { memberOf } from '../auth/current.js';
import { guard } from '../auth/guard.js';
import { can } from '../auth/policy.js';
import { CATEGORY_LABELS, ROLE_LABELS } from '../labels.js';

export function centerRoutes(deps: Deps): Router {
  const router = Router();

  router.get('/centers/:centerId', guard(deps, 'center.view'), async (req, res) => {
    const member = memberOf(req);
    const { center } = member;
    const rooms = await listRoomsInCenter(deps.db, center.id);
    res.render('centers/show', {
      title: center.name,
      center: {
        id: center.id,
        name: center.name,
        packName: getPack(center.packId)?.name ?? center.packId,
        timeZone: center.timeZone,
        licenseNumber: center.licenseNumber,
      },
      role: ROLE_LABELS[member.role],
      rooms: rooms.map((r) => ({
        name: r.name,
        categories: r.ageCategories.map((c) => CATEGORY_LABELS[c] ?? c).join(', '),
        capacity: r.licensedCapacity,
      })),
      links: {
        members: can(member, 'members.list'),
        invitations: can(member, 'invitations.list'),
        audit: can(member, 'audit.view'),
      },
    });
  });
  return router;
}
