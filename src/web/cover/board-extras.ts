import type { Application, RequestHandler } from 'express';
import { listUrgentCoverRequests, listUserNames, type CoverRequest } from '../../db/cover-requests.js';
import { listRoomsInCenter } from '../../db/rooms.js';
import type { Deps } from '../deps.js';
import { standingCache, standingStampOf } from '../auth/current.js';
import { can } from '../auth/policy.js';
import { helpItem, renderHelpItem } from './routes.js';
import { isId } from '../ids.js';

/**
 * What cover adds to the board page, before the board's own route renders it: the
 * open "need help now" requests at the top (`coverHelpHtml`, the same item the
 * stream's `help-request` event carries) and a link to the cover requests. Only for
 * a member the board's own policy lets in; the board's guard still decides the page.
 * It writes nothing: directors hear of a forecast breach from the job runner
 * (services/jobs.ts), whether or not anyone opens the board.
 */
export function boardCoverExtras(deps: Deps): RequestHandler {
  const { db, clock, log } = deps;
  // Per center: its urgent requests still open after `from`, read under the audit log's cover head (db/freshness.ts).
  const urgentRead = new Map<string, { version: number; from: number; rows: Promise<CoverRequest[]> }>();
  const urgentAt = async (centerId: string, version: number, at: Date): Promise<CoverRequest[]> => {
    let read = urgentRead.get(centerId);
    // A later instant needs a subset of what was read; an earlier one (a test's clock) reads again.
    if (!read || read.version !== version || at.getTime() < read.from) {
      read = { version, from: at.getTime(), rows: listUrgentCoverRequests(db, centerId, at) };
      urgentRead.set(centerId, read);
      const mine = read;
      mine.rows.catch(() => urgentRead.get(centerId) === mine && urgentRead.delete(centerId));
    }
    return (await read.rows).filter((r) => Date.parse(r.endsAt) > at.getTime());
  };
  return async (req, res, next) => {
    const user = req.currentUser;
    const centerId = String(req.params.centerId ?? '');
    if (req.method !== 'GET' || (req.path !== '/' && req.path !== '' && req.path !== '/wall') || !user || !isId(centerId)) return next();
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
    // The heads this request read with its standing (one read a request, db/freshness.ts).
    const version = (await standingStampOf(db, req)).heads.cover;
    const urgent = await urgentAt(center.id, version, at);
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
  }
}
