import { Router, type Request, type Response } from 'express';
import { DateTime } from 'luxon';
import { findCoverClaimInCenter, findCoverRequestInCenter, listClaimsOfRequests, type CoverRequest } from '../../db/cover-requests.js';
import type { CenterMember } from '../../db/memberships.js';
import { findPersonOfMember } from '../../db/people.js';
import { listRoomsInCenter } from '../../db/rooms.js';
import type { Room } from '../../db/rows.js';
import { listShiftsOfPersonBetween } from '../../db/shifts.js';
import { longestAvailableStretch, openNeeds, type Span } from '../../domain/matching.js';
import type { Deps } from '../deps.js';
import { memberOf } from '../auth/current.js';
import { guard } from '../auth/guard.js';
import { NotFound } from '../errors.js';
import type { EventHub } from '../events/hub.js';
import { loadCandidatePool } from '../../services/cover/candidates.js';
import { checkTaker, expireEndedRequests, sceneOf, seatsOf, STATUS_REFUSALS, takeCover, windowOf, withdrawClaim, type CoverRefusal } from '../../services/cover/flow.js';
import { parsePart } from './form.js';
import { calendar } from './ics.js';
import { openingsFor } from './openings.js';
import { needsWords, trainingWords } from './request-view.js';
import { noticeBreaches } from '../../services/cover/takers.js';
import { refreshBoards } from './boards.js';
import { clockTime, rangeText } from '../../words/format.js';
import { spanOf, windowWords } from '../../words/times.js';
import { idIn } from '../ids.js';

const wantsJson = (req: Request) => req.accepts(['html', 'json']) === 'json';

type Problem = { readonly requestId?: string; readonly message: string; readonly start?: string; readonly end?: string };

/**
 * Taking cover, phone first: the open requests the member's person may take (counted
 * in the room through an open part, at a level it needs), a claim for the whole of
 * an open part or the part they can do, their own covers with a way to withdraw, and
 * those covers as a calendar file.
 */
export function coverClaimRoutes(deps: Deps, hub: EventHub): Router {
  const { db, clock: now, log } = deps;
  const router = Router();

  const myPerson = (member: CenterMember) => findPersonOfMember(db, member, { current: true });
  const coverPage = (member: CenterMember) => `/centers/${member.center.id}/cover`;
  /** The request's room (archived ones too: a request outlives its room's archiving). */
  const roomOf = async (member: CenterMember, request: CoverRequest): Promise<Room> => {
    const room = (await listRoomsInCenter(db, member.center.id, { includeArchived: true })).find((r) => r.id === request.roomId);
    if (!room) throw new Error(`cover request ${request.id} has no room`);
    return room;
  };

  const render = async (req: Request, res: Response, status: number, problem?: Problem) => {
    const member = memberOf(req);
    const person = await myPerson(member);
    const at = now.now();
    const flash = req.session.flash;
    if (flash) delete req.session.flash;
    const base = { title: 'Cover openings', flash, problem, calendarLink: `/centers/${member.center.id}/my/shifts.ics` };
    if (!person) return res.status(status).render('cover/mine', { ...base, linked: false });
    const zone = member.center.timeZone;
    const here = DateTime.fromJSDate(at, { zone });
    const { pack, roomById, mine, openings: found } = await openingsFor(db, member.center, person, at);

    const openings = [];
    for (const { request, room, window, pieces, mayTake } of found) {
      const first = mayTake[0]!;
      const pool = await loadCandidatePool(db, member.center, room.id, first, at, { onlyPersonIds: [person.id] });
      const me = pool.candidates[0];
      const stretch = me ? longestAvailableStretch(me.available, first) : null;
      const suggested: Span = stretch ?? first;
      const kept = problem?.requestId === request.id ? problem : undefined;
      openings.push({
        id: request.id,
        room: room.name,
        when: windowWords(window, here),
        urgent: request.urgent,
        needs: needsWords(pack, request),
        trainings: trainingWords(pack, request.trainings),
        reason: request.reason,
        stillOpen: pieces.map((p) => `${rangeText(p)} (${p.people} more ${p.people === 1 ? 'person' : 'people'})`),
        partly: pieces.length > 0 && (pieces.length > 1 || !pieces[0]!.start.equals(window.start) || !pieces[0]!.end.equals(window.end)),
        start: kept?.start ?? clockTime(suggested.start),
        end: kept?.end ?? clockTime(suggested.end),
        fromAvailability: stretch !== null,
        busy: me?.busy.find((b) => b.start < suggested.end && suggested.start < b.end) ? 'You have a shift planned in this time.' : null,
        error: kept?.message,
        action: `/centers/${member.center.id}/cover-requests/${request.id}/claims`,
      });
    }

    const mineRequests = new Map<string, CoverRequest>();
    for (const c of mine) {
      const r = await findCoverRequestInCenter(db, member.center.id, c.coverRequestId);
      if (r) mineRequests.set(r.id, r);
    }
    const mineView = mine
      .filter((c) => Date.parse(c.endsAt) > at.getTime())
      .map((c) => {
        const r = mineRequests.get(c.coverRequestId);
        return {
          room: (r && roomById.get(r.roomId)?.name) ?? 'a room',
          when: windowWords(spanOf(c.startsAt, c.endsAt, zone), here),
          accepted: c.status === 'accepted',
          state: c.status === 'accepted' ? (c.kind === 'assignment' ? 'Assigned to you' : 'Yours') : 'Waiting for a director',
          withdrawAction: `/centers/${member.center.id}/cover-claims/${c.id}/withdrawal`,
          error: problem?.requestId === c.id ? problem.message : undefined,
        };
      });
    // A problem about a request or claim no longer listed here is said at the top.
    const placed = problem?.requestId !== undefined && (openings.some((o) => o.id === problem.requestId) || mine.some((c) => c.id === problem.requestId));
    res.status(status).render('cover/mine', {
      ...base,
      problem: problem && !placed ? { message: problem.message } : undefined,
      linked: true,
      approves: member.center.claimMode === 'director_approves',
      openings,
      mine: mineView,
    });
  };

  router.get('/centers/:centerId/cover', guard(deps, 'cover.view'), async (req, res) => {
    await expireEndedRequests(db, memberOf(req).center, now.now());
    await render(req, res, 200);
  });

  /** A refusal on the cover page (or JSON): 409 for the state of things, 422 for what was typed. */
  const refused = async (req: Request, res: Response, status: number, refusal: CoverRefusal, kept?: Omit<Problem, 'message'>) => {
    if (wantsJson(req)) return res.status(status).json({ error: refusal.message, code: refusal.code });
    return render(req, res, status, { ...kept, message: refusal.message });
  };

  router.post('/centers/:centerId/cover-requests/:requestId/claims', guard(deps, 'cover_claim.create'), async (req, res) => {
    const member = memberOf(req);
    const id = idIn(req.params.requestId);
    const request = id ? await findCoverRequestInCenter(db, member.center.id, id) : undefined;
    if (!request) throw new NotFound('cover request');
    const at = now.now();
    const body = (req.body ?? {}) as Record<string, unknown>;
    const kept = { requestId: request.id, start: typeof body.start === 'string' ? body.start : undefined, end: typeof body.end === 'string' ? body.end : undefined };
    const person = await myPerson(member);
    if (!person) return refused(req, res, 422, { code: 'no_person', message: 'Your account is not linked to a person on file here. Ask a director to link it.' });
    if (request.status !== 'open') return refused(req, res, 409, STATUS_REFUSALS[request.status]);
    const room = await roomOf(member, request);
    const scene = await sceneOf(db, member.center, room);
    const window = windowOf(request, scene.zone);
    // Without times the claim is for the first part still open.
    let part: Span;
    if (!body.start && !body.end) {
      const claims = await listClaimsOfRequests(db, [request.id]);
      const first = openNeeds(window, seatsOf(request, claims, scene.zone))[0];
      if (!first) return refused(req, res, 409, STATUS_REFUSALS.filled);
      part = first;
    } else {
      const parsed = parsePart(body, window, scene.zone);
      if (!parsed.ok) return refused(req, res, 422, { code: 'bad_part', message: Object.values(parsed.error)[0]! }, kept);
      part = parsed.value;
    }
    const taker = await checkTaker(scene, request, person.id, part, at, true);
    if (!taker.ok) return refused(req, res, taker.error.code === 'bad_part' ? 422 : 409, taker.error, kept);
    const outcome = await takeCover(scene, member, request, taker.value, part, 'claim', at);
    if (!outcome.ok) return refused(req, res, 409, outcome.error, kept);
    const { claim, status } = outcome.value;
    req.log.info({ coverRequestId: request.id, claimId: claim.id }, 'cover_request.claimed');
    if (claim.status === 'accepted') {
      await refreshBoards(req.app, hub, log, db, member.center, room.id, at);
    }
    const words = `${room.name}, ${windowWords(part, DateTime.fromJSDate(at, { zone: scene.zone }))}`;
    if (wantsJson(req)) return res.status(201).json({ claimId: claim.id, claimStatus: claim.status, requestStatus: status });
    req.session.flash = {
      message: claim.status === 'accepted' ? `It's yours: ${words}. Thank you!` : `Asked: ${words}. A director approves claims here; you will get a notice.`,
      tone: 'ok',
    };
    res.redirect(303, coverPage(member));
  });

  router.post('/centers/:centerId/cover-claims/:claimId/withdrawal', guard(deps, 'cover_claim.withdraw'), async (req, res) => {
    const member = memberOf(req);
    const id = idIn(req.params.claimId);
    const claim = id ? await findCoverClaimInCenter(db, member.center.id, id) : undefined;
    const notFound = () => {
      // Only one's own claims: anyone else's is told exactly what a stranger is told, nothing of the center either.
      res.locals.center = undefined;
      return new NotFound('claim');
    };
    if (!claim || !member.personId || claim.personId !== member.personId) throw notFound();
    const person = await myPerson(member);
    const request = await findCoverRequestInCenter(db, member.center.id, claim.coverRequestId);
    if (!person || !request) throw notFound();
    if (claim.closedAt !== null) return refused(req, res, 409, { code: 'gone', message: 'You no longer hold this cover.' }, { requestId: claim.id });
    const room = await roomOf(member, request);
    const at = now.now();
    const outcome = await withdrawClaim(await sceneOf(db, member.center, room), member, request, claim, person, at);
    if (!outcome.ok) return refused(req, res, 409, outcome.error, { requestId: claim.id });
    req.log.info({ coverRequestId: request.id, claimId: claim.id }, 'cover_request.withdrawn');
    if (claim.status === 'accepted') {
      await refreshBoards(req.app, hub, log, db, member.center, room.id, at);
      try {
        await noticeBreaches(db, member.center, at, [room.id]);
      } catch (err) {
        log.error({ err }, 'cover.breach_notice_failed');
      }
    }
    if (wantsJson(req)) return res.json({ claimId: claim.id, requestStatus: outcome.value.status });
    req.session.flash = {
      message: `You withdrew from ${room.name}, ${rangeText(spanOf(claim.startsAt, claim.endsAt, member.center.timeZone))}.${outcome.value.status === 'open' ? ' It is open again for others.' : ''}`,
      tone: 'ok',
    };
    res.redirect(303, coverPage(member));
  });

  router.get('/centers/:centerId/my/shifts.ics', guard(deps, 'my_shifts.download'), async (req, res) => {
    const member = memberOf(req);
    const person = await myPerson(member);
    const at = now.now();
    const from = new Date(at.getTime() - 30 * 86_400_000);
    const to = new Date(at.getTime() + 366 * 86_400_000);
    const shifts = person ? (await listShiftsOfPersonBetween(db, person.id, from, to)).filter((s) => s.source === 'cover' && s.centerId === member.center.id) : [];
    const rooms = new Map((await listRoomsInCenter(db, member.center.id, { includeArchived: true })).map((r) => [r.id, r.name]));
    const body = calendar(
      shifts.map((s) => ({
        uid: `shift-${s.id}@ratiowatch`,
        start: new Date(s.startsAt),
        end: new Date(s.endsAt),
        summary: `Cover: ${rooms.get(s.roomId) ?? 'a room'}`,
        location: member.center.name,
        description: 'Accepted cover in Ratiowatch. If you cannot come, withdraw in Ratiowatch so the room can be covered.',
      })),
      { name: `Cover at ${member.center.name}`, stamp: at },
    );
    res.set({
      'Content-Type': 'text/calendar; charset=utf-8',
      'Content-Disposition': 'attachment; filename="ratiowatch-cover.ics"',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    res.send(body);
  });

  return router;
}
