import type { Application, RequestHandler } from 'express';
import { auditVersion } from '../../db/center-state.js';
import { listUrgentCoverRequests, listUserNames } from '../../db/cover-requests.js';
import { listRoomsInCenter } from '../../db/rooms.js';
import type { Deps } from '../app.js';
import { standingCache, standingStampOf } from '../auth/current.js';
import { can } from '../auth/policy.js';
import { helpItem, renderHelpItem } from './routes.js';
import { noticeBreaches } from './takers.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** How often the board's forecast is checked for breaches nobody asked cover for, per center, when nothing changed. */
const BREACH_CHECK_MS = 60_000;

/**
 * What cover adds to the board page, before the board's own route renders it: the
 * open "need help now" requests at the top (`coverHelpHtml`, the same item the
 * stream's `help-request` event carries), a link to the cover requests, and, at
 * most once a minute per center unless the data changed, notices to directors of
 * a forecast breach within the horizon that no open request covers. Only for a
 * member the board's own policy lets in; the board's guard still decides the page.
 */
export function boardCoverExtras(deps: Deps): RequestHandler {
  const { db, clock, log } = deps;
  const checked = new Map<string, { version: number; at: number }>();
  return async (req, res, next) => {
    const user = req.currentUser;
    const centerId = String(req.params.centerId ?? '');
    if (req.method !== 'GET' || (req.path !== '/' && req.path !== '') || !user || !UUID.test(centerId)) return next();
    try {
      await addExtras(req, res, user.id, centerId.toLowerCase());
    } catch (err) {
      // The board is complete without these; its own route still answers.
      log.error({ err }, 'cover.board_extras_failed');
    }
    next();
  };

  async function addExtras(req: Parameters<RequestHandler>[0], res: Parameters<RequestHandler>[1], userId: string, centerId: string) {
    // The same cached standing the board's guard reads next.
    const member = await standingCache(db).member(await standingStampOf(db, req), userId, centerId);
    if (!member || !can(member, 'board.view')) return;
    const center = member.center;
    const at = clock.now();
    const urgent = await listUrgentCoverRequests(db, center.id, at);
    if (urgent.length > 0) {
      const [rooms, names] = await Promise.all([
        listRoomsInCenter(db, center.id, { includeArchived: true }),
        listUserNames(db, urgent.map((r) => r.createdByUserId).filter((u): u is string => u !== null)),
      ]);
      const items = await Promise.all(
        urgent.map((r) => {
          const room = rooms.find((x) => x.id === r.roomId);
          if (!room) return '';
          return renderHelpItem(req.app as Application, { ...helpItem(member, r, room), requestedBy: (r.createdByUserId && names.get(r.createdByUserId)) || 'staff' });
        }),
      );
      res.locals.coverHelpHtml = items.join('\n');
    }
    res.locals.coverRequestsLink = `/centers/${center.id}/cover-requests`;

    const version = await auditVersion(db);
    const last = checked.get(center.id);
    if (!last || last.version !== version || at.getTime() - last.at >= BREACH_CHECK_MS || at.getTime() < last.at) {
      checked.set(center.id, { version, at: at.getTime() });
      await noticeBreaches(db, center, at);
    }
  }
}
