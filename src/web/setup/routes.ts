import { Router } from 'express';
import { listCentersForUser } from '../../db/centers.js';
import { findOrganization } from '../../db/organizations.js';
import { getPack } from '../../domain/rules/index.js';
import { loadSetupProgress } from '../../services/setup-gaps.js';
import type { Deps } from '../deps.js';
import { memberOf, ownerOf } from '../auth/current.js';
import { guard } from '../auth/guard.js';
import { can } from '../auth/policy.js';
import { NotFound } from '../errors.js';
import { CATEGORY_LABELS } from '../labels.js';
import { gapLine, weekdaysShort } from './words.js';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * The guided first run. Before an organization has a center, its set-up page leads to the
 * center form; then each center's checklist shows the four steps (the center, its rooms,
 * children and people, the usual week) with what is done and a link to each, and what is
 * still missing for the board to be right. Each step is an ordinary page of the app opened
 * with `?next=setup`, which brings the director back here after saving. Read only.
 */
export function setupRoutes(deps: Deps): Router {
  const { db } = deps;
  const router = Router();

  router.get('/organizations/:organizationId/setup', guard(deps, 'organization_setup.view'), async (req, res) => {
    const owner = ownerOf(req);
    const organization = await findOrganization(db, owner.organizationId);
    if (!organization) throw new NotFound('organization');
    const centers = (await listCentersForUser(db, owner.userId)).filter((c) => c.organizationId === organization.id);
    res.render('setup/organization', {
      title: 'Set up your center',
      organization: { id: organization.id, name: organization.name },
      newCenterHref: `/organizations/${organization.id}/centers/new?next=setup`,
      centers: centers.map((c) => ({ name: c.name, href: `/centers/${c.id}/setup` })),
    });
  });

  router.get('/centers/:centerId/setup', guard(deps, 'setup.view'), async (req, res) => {
    const member = memberOf(req);
    const { center } = member;
    const progress = await loadSetupProgress(db, center, deps.clock.now());
    const base = `/centers/${center.id}`;
    const rooms = progress.rooms.length;
    const staffedWords = `${progress.roomsStaffedEveryOpenDay} of ${rooms} ${rooms === 1 ? 'room has' : 'rooms have'} staff planned ${weekdaysShort(progress.openWeekdays)}`;
    res.render('setup/show', {
      title: 'Set-up checklist',
      center: { id: center.id, name: center.name },
      steps: {
        center: {
          done: true,
          summary: `${center.name}${center.licenseNumber ? `, license ${center.licenseNumber}` : ''} · ${getPack(center.packId)?.name ?? center.packId} · ${center.timeZone} · open ${center.opensAt}–${center.closesAt}`,
          href: can(member, 'center_settings.update') ? `${base}/settings?next=setup` : undefined,
        },
        rooms: {
          done: rooms > 0,
          summary: rooms === 0 ? 'No rooms yet.' : `${plural(rooms, 'room', 'rooms')}.`,
          list: progress.rooms.map((r) => ({
            name: r.name,
            categories: r.ageCategories.map((c) => CATEGORY_LABELS[c] ?? c).join(', '),
            capacity: r.licensedCapacity,
            editHref: `${base}/rooms/${r.id}/edit?next=setup`,
          })),
          addHref: `${base}/rooms/new?next=setup`,
        },
        roster: {
          done: progress.children > 0 && progress.people > 0,
          summary: `${plural(progress.children, 'child', 'children')}, ${plural(progress.people, 'person', 'people')}.`,
          importHref: `${base}/import`,
          childrenHref: `${base}/children/new`,
          peopleHref: `${base}/people/new`,
          inviteHref: `${base}/people#invite-everyone`,
        },
        week: {
          done: rooms > 0 && progress.roomsStaffedEveryOpenDay === rooms,
          summary: rooms === 0 ? 'Add rooms first.' : `Usual week: ${staffedWords}.`,
          href: `${base}/schedules?next=setup`,
        },
      },
      gaps: progress.gaps.map((g) => gapLine(g, center.id)),
      centerHref: base,
    });
  });

  return router;
}
