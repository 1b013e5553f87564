import { Router } from 'express';
import { listCentersForUser } from '../../db/centers.js';
import type { CenterMember } from '../../db/memberships.js';
import { findPersonOfMember } from '../../db/people.js';
import { listOrganizationsOwnedBy } from '../../db/organizations.js';
import { PACKS, getPack } from '../../domain/rules/index.js';
import type { Deps } from '../deps.js';
import { standingCache, standingStampOf, userOf } from '../auth/current.js';
import { guard } from '../auth/guard.js';
import { can } from '../auth/policy.js';
import { ROLE_LABELS } from '../labels.js';
import { openingsFor } from '../cover/openings.js';
import { centerNow } from '../network/network.js';
import { packView } from './pack-view.js';
import { loadSetupProgress } from '../../services/setup-gaps.js';
import { gapLine } from '../setup/words.js';

export function homeRoutes(deps: Deps): Router {
  const router = Router();
  // Packs are static data: build their views once.
  const packs = PACKS.map(packView);

  /**
   * The user's centers, each with what their role there comes for: a director or
   * staff member sees the rooms judged now, the forecast's flags and the open cover
   * requests, with the board one click away (an owner has the network page for all
   * of them); a volunteer, the way to the cover they can take.
   */
  router.get('/', guard(deps, 'home.view'), async (req, res) => {
    const user = userOf(req);
    const now = deps.clock.now();
    const [centers, owned] = await Promise.all([listCentersForUser(deps.db, user.id), listOrganizationsOwnedBy(deps.db, user.id)]);
    const stamp = await standingStampOf(deps.db, req);
    const views = [];
    // One center after another: on SQLite the queries share one connection anyway.
    for (const c of centers) {
      // The user's standing in the center, as the guard finds it (kept while nothing that could change it is written).
      const member = await standingCache(deps.db).member(stamp, user.id, c.id);
      if (!member) continue;
      const judged = member.role !== 'owner' && can(member, 'board.view') ? await centerNow(deps.db, c, now) : undefined;
      const glance = judged && { ...judged, breachRooms: judged.rooms.filter((r) => r.status.tone === 'breach') };
      const coverToTake = member.role === 'volunteer' && can(member, 'cover.view') ? await coverToTakeIn(member, now) : undefined;
      // For those who set the center up: what is still missing for the board to be right.
      const setup = can(member, 'setup.view') ? { href: `/centers/${c.id}/setup`, gaps: (await loadSetupProgress(deps.db, c, now)).gaps.map((g) => gapLine(g, c.id)) } : undefined;
      views.push({
        id: c.id,
        name: c.name,
        packName: getPack(c.packId)?.name ?? c.packId,
        role: ROLE_LABELS[member.role],
        glance,
        // An owner sees every center judged on the network page; here, the way to each board.
        boardHref: !glance && can(member, 'board.view') ? `/centers/${c.id}/board` : undefined,
        coverToTake,
        setup,
      });
    }
    res.render('home/index', {
      title: 'Home',
      // An owner adds centers to their organization (the first one after `npm run create-owner`).
      organizations: owned.map((o) => ({ id: o.id, name: o.name, noCenter: !centers.some((c) => c.organizationId === o.id) })),
      centers: views,
    });
  });

  /** A volunteer's way to the cover page, with how many openings they may take now (when their account is linked to a person on file). */
  const coverToTakeIn = async (member: CenterMember, now: Date) => {
    const center = member.center;
    const person = await findPersonOfMember(deps.db, member, { current: true });
    const count = person ? (await openingsFor(deps.db, center, person, now)).openings.length : undefined;
    const words = count === undefined ? 'See the cover you can take' : count === 0 ? 'Your covers' : `${count} ${count === 1 ? 'opening' : 'openings'} you can take`;
    return { href: `/centers/${center.id}/cover`, count, none: count === 0, words };
  };

  router.get('/rules', guard(deps, 'rules.view'), (_req, res) => {
    res.render('rules/index', { title: 'Rule packs', packs });
  });
  return router;
}
