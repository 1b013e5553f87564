import { Router, type Request, type Response } from 'express';
import { DateTime } from 'luxon';
import { findActiveMemberInCenter } from '../../db/memberships.js';
import { findUserById } from '../../db/users.js';
import type { Deps } from '../app.js';
import { memberOf } from '../auth/current.js';
import { guard } from '../auth/guard.js';
import { can } from '../auth/policy.js';
import { sseMessage, type EventHub } from '../events/hub.js';
import { createBoardSnapshots } from './snapshot.js';

/**
 * The board: every room of the center as a card, a complete page on every load, and
 * a per-center event stream that swaps one card when a room changes.
 */
export function boardRoutes(deps: Deps, hub: EventHub): Router {
  const { db, clock, log } = deps;
  const router = Router();
  const snapshots = createBoardSnapshots();

  // Rooms out of compliance first, then those the forecast flags, then at limit, then ok.
  const order = (c: { tone: string; flagged: boolean }) => (c.tone === 'breach' ? 0 : c.flagged ? 1 : c.tone === 'limit' ? 2 : 3);
  router.get('/centers/:centerId/board', guard(deps, 'board.view'), async (req, res) => {
    const { center } = memberOf(req);
    const at = clock.now();
    const { cards } = await snapshots.get(req.app, db, center, at);
    const count = (tone: string) => cards.filter((c) => c.tone === tone).length;
    res.render('board/show', {
      title: 'Board',
      // Rooms needing attention first (the sort is stable: otherwise in room order); live updates swap cards in place.
      cards: [...cards].sort((a, b) => order(a) - order(b)),
      summary: { breach: count('breach'), limit: count('limit'), ok: count('ok') },
      asOf: DateTime.fromJSDate(at, { zone: center.timeZone }).toFormat('ccc d LLL, HH:mm'),
      eventsUrl: `/centers/${center.id}/board/events`,
      planLink: `/centers/${center.id}/plan`,
    });
  });

  // Authorized at connect by the same guard, the center from the path; re-checked on every heartbeat.
  router.get('/centers/:centerId/board/events', guard(deps, 'board.view'), async (req: Request, res: Response) => {
    const member = memberOf(req);
    const centerId = member.center.id;
    const sessionVersion = req.session.sessionVersion;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      // Proxies such as nginx would otherwise hold events back in their buffers.
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 3000\n\n');

    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      clearInterval(beat);
      unsubscribe();
      res.end();
    };
    const unsubscribe = hub.subscribe(centerId, (event) => res.write(sseMessage(event)), close);
    const beat = setInterval(() => {
      res.write(': heartbeat\n\n');
      // A deactivated membership or ended session closes the stream (Campfire's lesson: no side door stays open).
      void stillAllowed().then(
        (ok) => ok || close(),
        (err: unknown) => {
          log.warn({ err }, 'board.heartbeat_failed');
          close();
        },
      );
    }, hub.heartbeatMs);
    const stillAllowed = async () => {
      const again = await findActiveMemberInCenter(db, member.userId, centerId);
      if (!again || !can(again, 'board.view')) return false;
      const user = await findUserById(db, member.userId);
      return user !== undefined && user.sessionVersion === sessionVersion;
    };
    req.on('close', close);

    // A board connecting after its page loaded, or reconnecting after a drop, may have missed cards: send them all once.
    if (req.get('last-event-id') !== undefined || req.query.resume !== undefined) {
      try {
        const { cards } = await snapshots.get(req.app, db, member.center, clock.now());
        for (const card of cards) if (!closed) res.write(sseMessage({ event: 'room-card', id: card.id, data: card.html }));
      } catch (err) {
        log.warn({ err }, 'board.snapshot_failed');
        close();
      }
    }
  });

  return router;
}
