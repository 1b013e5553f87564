import { Router } from 'express';
import { takeFlash } from '../forms.js';
import { listRoomsInCenter } from '../../db/rooms.js';
import { getPack } from '../../domain/rules/index.js';
import type { Deps } from '../deps.js';
import { memberOf } from '../auth/current.js';
import { guard } from '../auth/guard.js';
import { can } from '../auth/policy.js';
import { CATEGORY_LABELS, ROLE_LABELS } from '../labels.js';
import { myCoverLine } from '../trainings/my-cover.js';

export function centerRoutes(deps: Deps): Router {
  const router = Router();

  router.get('/centers/:centerId', guard(deps, 'center.view'), async (req, res) => {
    const member = memberOf(req);
    const { center } = member;
    const rooms = await listRoomsInCenter(deps.db, center.id);
    res.render('centers/show', {
      title: center.name,
      // What a save of the settings did, shown once (web/forms.ts).
      flash: takeFlash(req),
      center: {
        id: center.id,
        name: center.name,
        packName: getPack(center.packId)?.name ?? center.packId,
        timeZone: center.timeZone,
        licenseNumber: center.licenseNumber,
      },
      role: ROLE_LABELS[member.role],
      // Where the member's own person may count for the rest of today (the volunteer pool).
      cover: await myCoverLine(deps.db, member, deps.clock.now()),
      rooms: rooms.map((r) => ({
        name: r.name,
        // The room page: check-in and check-out for staff, a volunteer's own start and end.
        href: can(member, 'room.view') ? `/centers/${center.id}/rooms/${r.id}` : null,
        categories: r.ageCategories.map((c) => CATEGORY_LABELS[c] ?? c).join(', '),
        capacity: r.licensedCapacity,
      })),
      links: {
        members: can(member, 'members.list'),
        invitations: can(member, 'invitations.list'),
        audit: can(member, 'audit.view'),
        reports: can(member, 'reports.view'),
        plan: can(member, 'plan.view'),
        schedules: can(member, 'schedules.view'),
        coverRequests: can(member, 'cover_requests.list'),
        coverOpenings: can(member, 'cover.view'),
        board: can(member, 'board.view'),
        rooms: can(member, 'rooms.list'),
        addRoom: can(member, 'room.create'),
        children: can(member, 'children.list'),
        people: can(member, 'people.list'),
        settings: can(member, 'center_settings.update'),
        setup: can(member, 'setup.view'),
        volunteers: can(member, 'volunteers.list'),
        trainings: can(member, 'trainings.view'),
        myTrainings: can(member, 'my_trainings.view'),
        myAvailability: can(member, 'my_availability.view'),
      },
    });
  });
  return router;
}
