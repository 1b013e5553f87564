import { Router, type RequestHandler } from 'express';
import { listCentersForUser } from '../../db/centers.js';
import { countUnreadNotices, findNoticeOfUser, listNoticesOfUser, markAllNoticesRead, markNoticeRead } from '../../db/notices.js';
import type { Deps } from '../deps.js';
import { userOf } from '../auth/current.js';
import { guard } from '../auth/guard.js';
import { NotFound } from '../errors.js';
import { isId } from '../ids.js';
import { dateText } from '../../words/format.js';

/**
 * The signed-in user's notices: the list (unread first), "open" (marks it read and
 * goes where it points), "mark read", "mark all read". Notices of a center the
 * user no longer belongs to are not shown. `unreadNotices` puts the count in the
 * header of every page a signed-in user opens.
 */
export function noticeRoutes(deps: Deps): Router {
  const { db, clock } = deps;
  const router = Router();

  router.get('/notices', guard(deps, 'notices.view'), async (req, res) => {
    const user = userOf(req);
    const [notices, centers] = await Promise.all([listNoticesOfUser(db, user.id), listCentersForUser(db, user.id)]);
    const centerName = new Map(centers.map((c) => [c.id, { name: c.name, zone: c.timeZone }]));
    const many = centers.length > 1;
    const view = notices.map((n) => {
      const c = centerName.get(n.centerId);
      return {
        id: n.id,
        body: n.body,
        center: many ? c?.name : null,
        at: dateText(n.createdAt, c?.zone ?? 'utc', { time: true }),
        unread: n.readAt === null,
        hasLink: n.link !== null,
        action: `/notices/${n.id}/read`,
      };
    });
    const flash = req.session.flash;
    if (flash) delete req.session.flash;
    res.render('notices/index', {
      title: 'Notices',
      flash,
      unread: view.filter((n) => n.unread),
      read: view.filter((n) => !n.unread),
    });
  });

  // `open=1`: go where the notice points (its own stored link, never one from the form).
  router.post('/notices/:noticeId/read', guard(deps, 'notice.read'), async (req, res) => {
    const user = userOf(req);
    const id = String(req.params.noticeId);
    if (!isId(id)) throw new NotFound('notice');
    const noticeId = id.toLowerCase();
    const notice = await findNoticeOfUser(db, user.id, noticeId);
    if (!notice) throw new NotFound('notice');
    await markNoticeRead(db, user.id, noticeId, clock.now());
    const body = (req.body ?? {}) as Record<string, unknown>;
    // Only a path of this site, as stored when the notice was made.
    if (body.open === '1' && notice.link && /^\/[^/\\]/.test(notice.link)) return res.redirect(303, notice.link);
    res.redirect(303, '/notices');
  });

  router.post('/notices/read', guard(deps, 'notices.read_all'), async (req, res) => {
    const user = userOf(req);
    const n = await markAllNoticesRead(db, user.id, clock.now());
    req.session.flash = { message: n === 0 ? 'Nothing was unread.' : `${n} ${n === 1 ? 'notice' : 'notices'} marked read.`, tone: 'ok' };
    res.redirect(303, '/notices');
  });

  return router;
}

/**
 * The unread count for the header, on pages (GETs that render HTML) of a signed-in
 * user; nothing for the event stream, files and form posts. Read each time, in the
 * same statement as the session's row: notices are not audited, so nothing keeps a
 * count fresh (db/freshness.ts).
 */
export function unreadNoticeCount({ db }: Pick<Deps, 'db'>): RequestHandler {
  const countOf = (userId: string): Promise<number> => countUnreadNotices(db, userId);
  return async (req, res, next) => {
    if (req.method !== 'GET' || !req.currentUser || req.path.endsWith('/events') || /\.[a-z]+$/i.test(req.path)) return next();
    // Counted with the session's row when the session was read (web/auth/session.ts); else here.
    res.locals.unreadNotices = req.unreadWithSession ?? (await countOf(req.currentUser.id));
    next();
  };
}
