import { Router } from 'express';
import type { Knex } from 'knex';
import type { CenterMember } from '../../db/memberships.js';
import { calendarFeedOf, feedOfToken, hashFeedToken, makeCalendarFeed, turnOffCalendarFeed } from '../../services/calendar-feed.js';
import { dateText } from '../../words/format.js';
import type { Deps } from '../deps.js';
import { memberOf } from '../auth/current.js';
import { guard } from '../auth/guard.js';
import { calendar } from '../cover/ics.js';
import { NotFound } from '../errors.js';
import { createUploadRate } from '../uploads/limits.js';

/** Fetches of one link within 10 minutes (a phone's calendar asks every 15 minutes to a few hours). */
const FEED_RATE = { ratePerUser: 30, rateWindowMs: 10 * 60_000 };

/** The links to a feed: webcal:// (a phone's calendar subscribes) and PUBLIC_URL's own scheme. */
export function feedLinks(publicUrl: string, token: string): { webcal: string; https: string } {
  const url = new URL(`${publicUrl}/calendar/${token}.ics`);
  return { webcal: `webcal://${url.host}${url.pathname}`, https: url.href };
}

/** What the alert settings page says of the member's calendar link (views/partials/calendar-feed.hbs). */
export async function calendarSection(db: Knex, member: CenterMember) {
  const feed = await calendarFeedOf(db, member);
  return {
    on: feed !== undefined,
    since: feed ? dateText(feed.createdAt, member.center.timeZone, { year: true }) : null,
    makeAction: `/centers/${member.center.id}/my/calendar-feed`,
    offAction: `/centers/${member.center.id}/my/calendar-feed/revocation`,
  };
}

/**
 * The calendar feed (services/calendar-feed.ts): making a member's link and turning it
 * off, from their alert settings page; and the feed itself, `GET /calendar/<token>.ics`,
 * which needs no session (the token is the credential): an unknown or revoked token is
 * 404, the answer is kept by no cache, and each link is fetched at most 30 times in
 * 10 minutes (per process; more is 429).
 */
export function calendarRoutes(deps: Deps): Router {
  const { db, clock, config } = deps;
  const router = Router();
  const rate = createUploadRate(FEED_RATE);

  router.get('/calendar/:feedToken.ics', guard(deps, 'calendar_feed.view'), async (req, res) => {
    const token = String(req.params.feedToken ?? '');
    const at = clock.now();
    const taken = rate.take(hashFeedToken(token), at.getTime());
    if (!taken.ok) {
      res.set('Retry-After', String(Math.ceil(taken.error.retryAfterMs / 1000)));
      return res.status(429).type('text/plain').send('Too many requests for this calendar: try again later.');
    }
    const feed = await feedOfToken(db, token, at);
    if (!feed) throw new NotFound('calendar');
    const body = calendar(
      feed.events.map((e) => ({
        uid: `shift-${e.shiftId}@ratiowatch`,
        start: e.start,
        end: e.end,
        summary: `${e.kind === 'cover' ? 'Cover' : 'Shift'}: ${e.roomName}`,
        location: feed.center.name,
      })),
      { name: `Ratiowatch: ${feed.center.name}`, stamp: at },
    );
    res.set({ 'Content-Type': 'text/calendar; charset=utf-8', 'Cache-Control': 'private, no-store', 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' });
    res.send(body);
  });

  router.post('/centers/:centerId/my/calendar-feed', guard(deps, 'my_calendar_feed.create'), async (req, res) => {
    const member = memberOf(req);
    const token = await makeCalendarFeed(db, member, clock.now());
    res.status(201).render('calendar/made', {
      title: 'Your calendar link',
      center: { id: member.center.id, name: member.center.name },
      links: feedLinks(config.publicUrl, token),
      back: `/centers/${member.center.id}/my/alerts#calendar`,
    });
  });

  router.post('/centers/:centerId/my/calendar-feed/revocation', guard(deps, 'my_calendar_feed.revoke'), async (req, res) => {
    const member = memberOf(req);
    await turnOffCalendarFeed(db, member, clock.now());
    res.redirect(303, `/centers/${member.center.id}/my/alerts#calendar`);
  });

  return router;
}
