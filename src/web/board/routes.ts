import { Router, type Application, type Request, type Response } from 'express';
import type { SessionData } from 'express-session';
import { findActiveMemberInCenter } from '../../db/memberships.js';
import type { Center } from '../../db/rows.js';
import { findUserById } from '../../db/users.js';
import type { Deps } from '../deps.js';
import { memberOf, standingStampOf } from '../auth/current.js';
import { guard } from '../auth/guard.js';
import { can } from '../auth/policy.js';
import { sseMessage, streamSessionKey, type EventHub } from '../events/hub.js';
import { createBoardSnapshots, type BoardSnapshot } from './snapshot.js';
import { clockTime } from '../../words/format.js';

/** Board pages kept, one per viewer and center, the oldest dropped first (each a page's bytes: 40 kB for 20 rooms). */
const MAX_PAGES = 1000;

/**
 * The board: every room of the center as a card, a complete page on every load, and
 * a per-center event stream that swaps one card when a room changes.
 */
export function boardRoutes(deps: Deps, hub: EventHub): Router {
  const { db, clock, log } = deps;
  const router = Router();
  const snapshots = createBoardSnapshots();

  // The page's body is the same for every viewer of a snapshot (what cover adds to it aside): rendered once per snapshot.
  const bodies = new WeakMap<BoardSnapshot, { readonly key: string; readonly html: Promise<string> }>();
  const bodyOf = (app: Application, center: Center, snapshot: BoardSnapshot, cover: { coverHelpHtml?: string; coverRequestsLink?: string }) => {
    const key = `${cover.coverRequestsLink ?? ''}\n${cover.coverHelpHtml ?? ''}`;
    const kept = bodies.get(snapshot);
    if (kept && kept.key === key) return kept.html;
    const html = new Promise<string>((resolve, reject) =>
      app.render(
        'board/show',
        {
          layout: false,
          // Rooms needing attention first; live updates swap cards in place.
          cards: snapshot.ordered,
          summary: snapshot.summary,
          asOf: snapshot.asOf,
          eventsUrl: `/centers/${center.id}/board/events`,
          planLink: `/centers/${center.id}/plan`,
          wallLink: `/centers/${center.id}/board/wall`,
          ...cover,
        },
        (err, out) => (err ? reject(err) : resolve(out)),
      ),
    );
    bodies.set(snapshot, { key, html });
    html.catch(() => bodies.get(snapshot)?.html === html && bodies.delete(snapshot));
    return html;
  };

  // Each viewer's whole page of a center's board (a wall display reloads it; a director keeps it open in two tabs):
  // its bytes and ETag, while the body and what the layout shows of the viewer (name, unread count, token) stand.
  const pages = new Map<string, { readonly body: Promise<string>; readonly key: string; readonly bytes: Buffer; readonly etag: string | undefined }>();

  router.get('/centers/:centerId/board', guard(deps, 'board.view'), async (req, res, next) => {
    const member = memberOf(req);
    const { center } = member;
    const snapshot = await snapshots.get(req.app, db, center, clock.now(), (await standingStampOf(db, req)).heads);
    const locals = res.locals as { coverHelpHtml?: string; coverRequestsLink?: string; currentUser?: { displayName: string }; unreadNotices?: number; csrfToken?: string; demo?: boolean };
    const body = bodyOf(req.app, center, snapshot, { coverHelpHtml: locals.coverHelpHtml, coverRequestsLink: locals.coverRequestsLink });
    const html = await body;
    const key = JSON.stringify([locals.currentUser?.displayName, locals.unreadNotices, locals.csrfToken, locals.demo, center.name]);
    const viewer = `${member.userId}|${center.id}`;
    const kept = pages.get(viewer);
    res.type('html');
    if (kept && kept.body === body && kept.key === key) {
      if (kept.etag) res.set('ETag', kept.etag);
      res.send(kept.bytes);
      return;
    }
    // The layout (header, the viewer's name and token) around the shared body.
    res.render('board/page', { title: 'Board', board: html }, (err: Error | null, page: string) => {
      if (err) return next(err);
      const bytes = Buffer.from(page);
      const etagOf = req.app.get('etag fn') as ((body: Buffer, encoding?: string) => string) | undefined;
      const etag = etagOf?.(bytes);
      pages.delete(viewer);
      pages.set(viewer, { body, key, bytes, etag });
      if (pages.size > MAX_PAGES) pages.delete(pages.keys().next().value!);
      if (etag) res.set('ETag', etag);
      res.send(bytes);
    });
  });

  // The wall display: the same live cards, large, with the time and no navigation, for a screen in the office.
  router.get('/centers/:centerId/board/wall', guard(deps, 'board.view'), async (req, res) => {
    const { center } = memberOf(req);
    const at = clock.now();
    const snapshot = await snapshots.get(req.app, db, center, at, (await standingStampOf(db, req)).heads);
    const locals = res.locals as { coverHelpHtml?: string };
    const board = await bodyOf(req.app, center, snapshot, { coverHelpHtml: locals.coverHelpHtml });
    res.render('board/page', { layout: 'wall', title: `${center.name}: wall display`, board, centerName: center.name, time: clockTime(at, center.timeZone), zone: center.timeZone });
  });

  // Authorized at connect by the same guard, the center from the path; re-checked on every heartbeat,
  // and closed at once when its session ends (events/session-end.ts).
  router.get('/centers/:centerId/board/events', guard(deps, 'board.view'), async (req: Request, res: Response) => {
    const member = memberOf(req);
    const centerId = member.center.id;
    const sessionVersion = req.session.sessionVersion;
    const sessionId = req.sessionID;
    const store = req.sessionStore;
    // The stream never writes its session back. express-session saves a session the request changed
    // (currentUser moves seenAt once a minute) when the response ends: hours later for a stream, perhaps
    // after a sign-out, which would write the destroyed session back, signed in, under its old id.
    // The page's own requests keep seenAt current.
    const session = req.session;
    session.save = ((done?: (err?: unknown) => void) => {
      done?.();
      return session;
    }) as typeof session.save;
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
    const unsubscribe = hub.stream(centerId, (chunk) => res.write(chunk), close, streamSessionKey(sessionId));
    const beat = setInterval(() => {
      res.write(': heartbeat\n\n');
      // A deactivated membership or an ended session closes the stream (Campfire's lesson: no side door stays open).
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
      if (user === undefined || user.sessionVersion !== sessionVersion) return false;
      // The session itself: signed out in another process (whose notice did not arrive), or expired.
      const stored = await new Promise<SessionData | null | undefined>((resolve, reject) => store.get(sessionId, (err, s) => (err ? reject(err) : resolve(s))));
      return stored?.userId === member.userId && stored.sessionVersion === sessionVersion;
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
