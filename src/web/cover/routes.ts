import { Router, type Request, type Response } from 'express';
import { DateTime } from 'luxon';
import { z } from 'zod';
import {
  findCoverClaimInCenter,
  findCoverRequestInCenter,
  listClaimsOfRequests,
  listCoverRequestsInCenter,
  listOpenCoverRequestsOverlapping,
  listUserNames,
  type CoverRequest,
} from '../../db/cover-requests.js';
import type { CenterMember } from '../../db/memberships.js';
import { listRoomsInCenter } from '../../db/rooms.js';
import type { Room } from '../../db/rows.js';
import { findOpenRoomInCenter } from '../../db/center-state.js';
import { seatLevels } from '../../domain/matching.js';
import type { Deps } from '../deps.js';
import { memberOf } from '../auth/current.js';
import { guard } from '../auth/guard.js';
import { NotFound } from '../errors.js';
import type { EventHub } from '../events/hub.js';
import type { FieldErrors } from '../forms.js';
import { forecastCenter, nextCompliantAt } from '../../services/center-forecast.js';
import { centerPack } from '../../services/center-pack.js';
import { askForCover, askForHelp, raiseRequest, widenedWindow, widenRequest } from '../../services/cover/asking.js';
import { approveClaim, cancelRequest, checkTaker, declineClaim, expireEndedRequests, sceneOf, takeCover, windowOf, type CoverRefusal, type CoverScene } from '../../services/cover/flow.js';
import { parsePart, parseRequestForm, prefillFrom, requestValues, MAX_PEOPLE, type ParsedRequest, type RequestValues } from './form.js';
import { overlapView, requestPage, summarize } from './request-view.js';
import { eligibleTakers, noticeBreaches } from '../../services/cover/takers.js';
import { publishHelp, refreshBoards } from './boards.js';
import { clockTime, rangeText } from '../../words/format.js';
import { idField, idIn } from '../ids.js';

const wantsJson = (req: Request) => req.accepts(['html', 'json']) === 'json';

/** Without a known end to the breach, "help now" asks for this long. */
export const HELP_MINUTES = 60;

/**
 * Cover requests as staff and directors handle them: the center's list, the form
 * (prefilled from the board's "Request cover" link), one request's page with its
 * candidates, and the state changes (cancel; assign, approve and decline for
 * directors; "need help now" from a room page). Each answers a 303 to a page with a
 * message, or, asked for JSON, the outcome as JSON; a refusal is 409 with its words.
 */
export function coverRequestRoutes(deps: Deps, hub: EventHub): Router {
  const { db, clock: now, log } = deps;
  const router = Router();
  const BASE = '/centers/:centerId/cover-requests';

  const requestOf = async (req: Request): Promise<CoverRequest> => {
    const id = idIn(req.params.requestId);
    const request = id ? await findCoverRequestInCenter(db, memberOf(req).center.id, id) : undefined;
    if (!request) throw new NotFound('cover request');
    return request;
  };
  const roomOfRequest = async (member: CenterMember, request: CoverRequest): Promise<Room> => {
    const room = (await listRoomsInCenter(db, member.center.id, { includeArchived: true })).find((r) => r.id === request.roomId);
    if (!room) throw new Error(`cover request ${request.id} has no room`);
    return room;
  };
  const pageOf = (member: CenterMember, request: CoverRequest) => `/centers/${member.center.id}/cover-requests/${request.id}`;

  const flash = (req: Request, message: string, tone: 'ok' | 'error' = 'ok') => {
    req.session.flash = { message, tone };
  };
  const takeFlash = (req: Request) => {
    const f = req.session.flash;
    if (f) delete req.session.flash;
    return f;
  };

  /** A refusal: 409 and the request page with the message (or JSON). */
  const refused = async (req: Request, res: Response, request: CoverRequest, refusal: CoverRefusal, status = 409) => {
    if (wantsJson(req)) return res.status(status).json({ error: refusal.message, code: refusal.code });
    return renderRequest(req, res, status, request, { problem: refusal.message });
  };

  const renderRequest = async (req: Request, res: Response, status: number, request: CoverRequest, extra: { problem?: string; assign?: { personId: string; errors: FieldErrors } } = {}) => {
    const member = memberOf(req);
    const { pack } = await centerPack(db, member.center);
    const room = await roomOfRequest(member, request);
    const model = await requestPage(db, member, pack, request, room, now.now());
    res.status(status).render('cover/show', {
      title: `Cover for ${room.name}`,
      request: model,
      flash: takeFlash(req),
      problem: extra.problem,
      assignError: extra.assign ? Object.values(extra.assign.errors)[0] : undefined,
      listLink: `/centers/${member.center.id}/cover-requests`,
    });
  };

  // ---------------------------------------------------------------- the list

  router.get(BASE, guard(deps, 'cover_requests.list'), async (req, res) => {
    const member = memberOf(req);
    const at = now.now();
    await expireEndedRequests(db, member.center, at);
    const [{ pack }, rooms, requests] = await Promise.all([
      centerPack(db, member.center),
      listRoomsInCenter(db, member.center.id, { includeArchived: true }),
      listCoverRequestsInCenter(db, member.center.id, new Date(at.getTime() - 24 * 3_600_000)),
    ]);
    const claims = await listClaimsOfRequests(db, requests.map((r) => r.id));
    const roomById = new Map(rooms.map((r) => [r.id, r]));
    const lines = requests.map((r) => summarize(pack, r, claims.filter((c) => c.coverRequestId === r.id), roomById.get(r.roomId), member.center.timeZone, at, member.center.id));
    res.render('cover/index', {
      title: 'Cover requests',
      open: lines.filter((l) => l.isOpen).sort((a, b) => Number(b.urgent) - Number(a.urgent)),
      closed: lines.filter((l) => !l.isOpen).reverse(),
      newLink: `${BASE.replace(':centerId', member.center.id)}/new`,
      coverLink: member.personId ? `/centers/${member.center.id}/cover` : null,
      flash: takeFlash(req),
    });
  });

  // ---------------------------------------------------------------- the form

  /** The open requests of the room the form's window would double, as the form shows them with their offers; none while it does not parse. */
  const overlapOf = async (member: CenterMember, parsed: ParsedRequest, open?: readonly CoverRequest[]) => {
    const at = now.now();
    const found = open ?? (await listOpenCoverRequestsOverlapping(db, parsed.room.id, parsed.window.start.toJSDate(), parsed.window.end.toJSDate(), at));
    if (found.length === 0) return null;
    const { pack } = await centerPack(db, member.center);
    return { room: parsed.room.name, asked: rangeText(parsed.window), requests: await overlapView(db, member, pack, found, { window: parsed.window, count: parsed.count }, at) };
  };

  const renderForm = async (req: Request, res: Response, status: number, values: RequestValues, errors: FieldErrors = {}, overlap: Awaited<ReturnType<typeof overlapOf>> = null) => {
    const member = memberOf(req);
    const [{ pack }, rooms] = await Promise.all([centerPack(db, member.center), listRoomsInCenter(db, member.center.id)]);
    const count = Math.min(MAX_PEOPLE, Math.max(1, Number(values.count) || 1, values.needs.length));
    const trainings = values.trainings.split(',').map((t) => t.trim()).filter(Boolean);
    res.status(status).render('cover/new', {
      title: 'Ask for cover',
      approves: member.center.claimMode === 'director_approves',
      action: `/centers/${member.center.id}/cover-requests`,
      values,
      errors,
      rooms: rooms.map((r) => ({ value: r.id, label: r.name, selected: r.id === values.roomId })),
      people: Array.from({ length: count }, (_, i) => ({
        n: i + 1,
        options: [
          { value: '', label: 'Anyone who counts in the room', selected: !values.needs[i] },
          ...pack.levels.map((l) => ({ value: l.level, label: `${l.label[0]!.toUpperCase()}${l.label.slice(1)} or above`, selected: values.needs[i] === l.level })),
        ],
      })),
      trainingWords: trainings.map((id) => pack.trainings.find((t) => t.id === id)?.label ?? id).join(', '),
      today: DateTime.fromJSDate(now.now(), { zone: member.center.timeZone }).toISODate(),
      overlap,
    });
  };

  router.get(`${BASE}/new`, guard(deps, 'cover_request.create'), async (req, res) => {
    const member = memberOf(req);
    const at = now.now();
    const today = DateTime.fromJSDate(at, { zone: member.center.timeZone }).toISODate()!;
    const values = prefillFrom(req.query as Record<string, unknown>, today);
    // A prefilled window the room already has an open request for (the board's card links here for more cover): say so up front.
    const [{ pack }, rooms] = await Promise.all([centerPack(db, member.center), listRoomsInCenter(db, member.center.id)]);
    const parsed = values.start && values.end ? parseRequestForm(values, { rooms, pack, zone: member.center.timeZone, now: at }) : null;
    await renderForm(req, res, 200, values, {}, parsed?.ok ? await overlapOf(member, parsed.value) : null);
  });

  router.post(BASE, guard(deps, 'cover_request.create'), async (req, res) => {
    const member = memberOf(req);
    const at = now.now();
    const values = requestValues(req.body);
    const [{ pack }, rooms] = await Promise.all([centerPack(db, member.center), listRoomsInCenter(db, member.center.id)]);
    const parsed = parseRequestForm(values, { rooms, pack, zone: member.center.timeZone, now: at });
    if (!parsed.ok) {
      if (wantsJson(req)) return res.status(422).json({ error: Object.values(parsed.error)[0], fields: parsed.error });
      return renderForm(req, res, 422, values, parsed.error);
    }
    const { room, window, count, needs, trainings, reason } = parsed.value;
    const scene = await sceneOf(db, member.center, room);
    const takers = await eligibleTakers(scene, window, seatLevels(count, needs), at);
    const asked = await askForCover(scene, member, { window, peopleNeeded: count, needs, trainings, reason, urgent: false }, takers, at);
    if (asked.kind === 'overlaps') {
      // Nothing stored: the form again, with the open request and the offers to widen or raise it instead.
      const first = asked.open[0]!;
      req.log.info({ coverRequestId: first.id, roomId: room.id }, 'cover_request.already_open');
      const message = `${room.name} already has an open cover request for ${rangeText(windowOf(first, scene.zone))}. Widen or raise it instead of asking twice.`;
      if (wantsJson(req)) {
        const open = asked.open.map((r) => ({ id: r.id, start: clockTime(windowOf(r, scene.zone).start), end: clockTime(windowOf(r, scene.zone).end), peopleNeeded: r.peopleNeeded, href: pageOf(member, r) }));
        return res.status(409).json({ error: message, code: 'already_open', id: first.id, open });
      }
      return renderForm(req, res, 409, values, {}, await overlapOf(member, parsed.value, asked.open));
    }
    const request = asked.request;
    req.log.info({ coverRequestId: request.id, roomId: room.id }, 'cover_request.created');
    // The room's card now says "Cover requested" instead of offering another request.
    await refreshBoards(req.app, hub, log, db, member.center, room.id, at);
    if (wantsJson(req)) return res.status(201).json({ id: request.id, status: request.status });
    const told = asked.told;
    const later = takers.length - told > 0 ? ` ${takers.length - told} more will be told in waves while nobody takes it.` : '';
    flash(req, `Cover asked for ${room.name}, ${rangeText(window)}. ${takers.length === 0 ? 'Nobody with an account is eligible yet: see the candidates below.' : `${told} eligible ${told === 1 ? 'person was' : 'people were'} told.${later}`}`);
    res.redirect(303, pageOf(member, request));
  });

  // ---------------------------------------------------------------- one request

  router.get(`${BASE}/:requestId`, guard(deps, 'cover_request.view'), async (req, res) => {
    const member = memberOf(req);
    await expireEndedRequests(db, member.center, now.now());
    await renderRequest(req, res, 200, await requestOf(req));
  });

  router.post(`${BASE}/:requestId/cancellation`, guard(deps, 'cover_request.cancel'), async (req, res) => {
    const member = memberOf(req);
    const request = await requestOf(req);
    const room = await roomOfRequest(member, request);
    const at = now.now();
    const outcome = await cancelRequest(await sceneOf(db, member.center, room), member, request, at);
    if (!outcome.ok) return refused(req, res, request, outcome.error);
    req.log.info({ coverRequestId: request.id }, 'cover_request.cancelled');
    await afterWrite(req, member, room.id, at);
    if (wantsJson(req)) return res.json({ id: request.id, status: 'cancelled' });
    flash(req, `The cover request for ${room.name} is cancelled.`);
    res.redirect(303, pageOf(member, request));
  });

  // ---------------------------------------------------------------- widen and raise an open request

  /** A request the member may change, in a room still open (an archived room's requests are only cancelled). */
  const changeable = async (req: Request, res: Response) => {
    const member = memberOf(req);
    const request = await requestOf(req);
    const room = await roomOfRequest(member, request);
    if (room.archivedAt !== null) {
      await refused(req, res, request, { code: 'gone', message: `${room.name} is archived: its requests can only be cancelled.` });
      return null;
    }
    return { member, request, room, scene: await sceneOf(db, member.center, room) };
  };

  router.post(`${BASE}/:requestId/widening`, guard(deps, 'cover_request.create'), async (req, res) => {
    const found = await changeable(req, res);
    if (!found) return;
    const { member, request, room, scene } = found;
    const at = now.now();
    const part = parsePart(req.body, windowOf(request, scene.zone), scene.zone);
    if (!part.ok) return refused(req, res, request, { code: 'bad_part', message: Object.values(part.error)[0]! }, 422);
    // Those eligible through the wider window (as it stands now; the write checks it again under the room's lock).
    const wider = widenedWindow(request, part.value, scene.zone) ?? windowOf(request, scene.zone);
    const takers = await eligibleTakers(scene, wider, seatLevels(request.peopleNeeded, request.needs), at);
    const outcome = await widenRequest(scene, member, request, part.value, takers, at);
    if (!outcome.ok) return refused(req, res, request, outcome.error);
    const window = windowOf(outcome.value, scene.zone);
    req.log.info({ coverRequestId: request.id, roomId: room.id }, 'cover_request.widened');
    await afterWrite(req, member, room.id, at);
    if (wantsJson(req)) return res.json({ id: request.id, status: outcome.value.status, start: clockTime(window.start), end: clockTime(window.end), peopleNeeded: outcome.value.peopleNeeded });
    flash(req, `The cover request for ${room.name} now runs ${rangeText(window)}. Those already told heard of the change; anyone newly eligible was told.`);
    res.redirect(303, pageOf(member, request));
  });

  const RaiseForm = z.object({
    count: z
      .string({ error: `Enter how many people, from 1 to ${MAX_PEOPLE}.` })
      .trim()
      .regex(/^\d{1,2}$/, `Enter how many people, from 1 to ${MAX_PEOPLE}.`)
      .transform(Number)
      .pipe(z.number().min(1, `Enter how many people, from 1 to ${MAX_PEOPLE}.`).max(MAX_PEOPLE, `Enter how many people, from 1 to ${MAX_PEOPLE}.`)),
  });

  router.post(`${BASE}/:requestId/raising`, guard(deps, 'cover_request.create'), async (req, res) => {
    const found = await changeable(req, res);
    if (!found) return;
    const { member, request, room, scene } = found;
    const at = now.now();
    const form = RaiseForm.safeParse(req.body ?? {});
    if (!form.success) return refused(req, res, request, { code: 'bad_part', message: form.error.issues[0]!.message, field: 'count' }, 422);
    const count = form.data.count;
    const takers = await eligibleTakers(scene, windowOf(request, scene.zone), seatLevels(count, request.needs), at);
    const outcome = await raiseRequest(scene, member, request, count, takers, at);
    if (!outcome.ok) return refused(req, res, request, outcome.error);
    req.log.info({ coverRequestId: request.id, roomId: room.id }, 'cover_request.raised');
    await afterWrite(req, member, room.id, at);
    const window = windowOf(outcome.value, scene.zone);
    if (wantsJson(req)) return res.json({ id: request.id, status: outcome.value.status, start: clockTime(window.start), end: clockTime(window.end), peopleNeeded: outcome.value.peopleNeeded });
    flash(req, `The cover request for ${room.name}, ${rangeText(window)} now asks for ${count} people. Those already told heard of the change; anyone newly eligible was told.`);
    res.redirect(303, pageOf(member, request));
  });

  /** After a write that changes the room's plan: the boards' card, and a breach no request covers any more. */
  const afterWrite = async (req: Request, member: CenterMember, roomId: string, at: Date) => {
    await refreshBoards(req.app, hub, log, db, member.center, roomId, at);
    try {
      await noticeBreaches(db, member.center, at, [roomId]);
    } catch (err) {
      log.error({ err, roomId }, 'cover.breach_notice_failed');
    }
  };

  const AssignForm = z.object({ personId: idField('Choose a person from the list.') });

  router.post(`${BASE}/:requestId/assignments`, guard(deps, 'cover_request.assign'), async (req, res) => {
    const member = memberOf(req);
    const request = await requestOf(req);
    const room = await roomOfRequest(member, request);
    const scene = await sceneOf(db, member.center, room);
    const at = now.now();
    const form = AssignForm.safeParse(req.body ?? {});
    const part = parsePart(req.body, windowOf(request, scene.zone), scene.zone);
    if (!form.success || !part.ok) {
      const message = !form.success ? form.error.issues[0]!.message : Object.values(part.ok ? {} : part.error)[0]!;
      return refused(req, res, request, { code: 'bad_part', message }, 422);
    }
    const taker = await checkTaker(scene, request, form.data.personId, part.value, at, false);
    if (!taker.ok) return refused(req, res, request, taker.error, taker.error.code === 'bad_part' || taker.error.code === 'no_person' ? 422 : 409);
    const outcome = await takeCover(scene, member, request, taker.value, part.value, 'assignment', at);
    if (!outcome.ok) return refused(req, res, request, outcome.error);
    req.log.info({ coverRequestId: request.id, claimId: outcome.value.claim.id }, 'cover_request.assigned');
    await afterWrite(req, member, room.id, at);
    if (wantsJson(req)) return res.status(201).json({ claimId: outcome.value.claim.id, status: outcome.value.status });
    flash(req, `${taker.value.person.displayName} is assigned to ${room.name}, ${rangeText(part.value)}.${outcome.value.status === 'filled' ? ' The request is filled.' : ''}`);
    res.redirect(303, pageOf(member, request));
  });

  // ---------------------------------------------------------------- claims a director decides

  const claimOf = async (req: Request) => {
    const member = memberOf(req);
    const id = idIn(req.params.claimId);
    const claim = id ? await findCoverClaimInCenter(db, member.center.id, id) : undefined;
    if (!claim) throw new NotFound('claim');
    const request = await findCoverRequestInCenter(db, member.center.id, claim.coverRequestId);
    if (!request) throw new NotFound('cover request');
    return { claim, request };
  };

  router.post('/centers/:centerId/cover-claims/:claimId/approval', guard(deps, 'cover_claim.approve'), async (req, res) => {
    const member = memberOf(req);
    const { claim, request } = await claimOf(req);
    const room = await roomOfRequest(member, request);
    const at = now.now();
    if (claim.status !== 'pending') return refused(req, res, request, { code: 'gone', message: 'This claim is no longer waiting for approval.' });
    const outcome = await approveClaim(await sceneOf(db, member.center, room), member, request, claim, at);
    if (!outcome.ok) return refused(req, res, request, outcome.error);
    req.log.info({ coverRequestId: request.id, claimId: claim.id }, 'cover_request.approved');
    await afterWrite(req, member, room.id, at);
    if (wantsJson(req)) return res.json({ claimId: claim.id, status: outcome.value.status });
    flash(req, `Approved: the claim for ${room.name}, ${rangeText(windowOf({ ...request, startsAt: claim.startsAt, endsAt: claim.endsAt }, member.center.timeZone))}.`);
    res.redirect(303, pageOf(member, request));
  });

  router.post('/centers/:centerId/cover-claims/:claimId/declination', guard(deps, 'cover_claim.decline'), async (req, res) => {
    const member = memberOf(req);
    const { claim, request } = await claimOf(req);
    const room = await roomOfRequest(member, request);
    const at = now.now();
    const outcome = await declineClaim(await sceneOf(db, member.center, room), member, claim, at);
    if (!outcome.ok) return refused(req, res, request, outcome.error);
    req.log.info({ coverRequestId: request.id, claimId: claim.id }, 'cover_request.declined');
    if (wantsJson(req)) return res.json({ claimId: claim.id, status: 'declined' });
    flash(req, 'The claim is declined.');
    res.redirect(303, pageOf(member, request));
  });

  // ---------------------------------------------------------------- need help now

  router.post('/centers/:centerId/rooms/:roomId/help-requests', guard(deps, 'help_request.create'), async (req, res) => {
    const member = memberOf(req);
    const roomId = idIn(req.params.roomId);
    const room = roomId ? await findOpenRoomInCenter(db, member.center.id, roomId) : undefined;
    if (!room) throw new NotFound('room');
    const at = now.now();
    const scene = await sceneOf(db, member.center, room);
    const help = await helpWindow(scene, at);
    const takers = await eligibleTakers(scene, help.window, seatLevels(help.count, help.needs), at);
    const asked = await askForHelp(scene, member, { window: help.window, peopleNeeded: help.count, needs: help.needs, trainings: help.trainings, reason: null, urgent: true }, takers, at, { endKnown: help.endKnown });
    const request = asked.request;
    const w = windowOf(request, scene.zone);
    req.log.info({ coverRequestId: request.id, roomId: room.id }, asked.kind === 'created' ? 'cover_request.help_requested' : asked.kind === 'same' ? 'cover_request.help_repeated' : 'cover_request.help_joined');
    // The boards hear at once of a request that is newly urgent: a banner at the top, a sound, a notification where allowed.
    // A second tap, or one joining help already asked, shows nothing new.
    if ((asked.kind === 'created' || (asked.kind === 'joined' && asked.becameUrgent)) && hub.hasAudience(member.center.id)) {
      try {
        const asker = asked.kind === 'created' ? req.currentUser?.displayName : request.createdByUserId ? (await listUserNames(db, [request.createdByUserId])).get(request.createdByUserId) : undefined;
        const html = await renderHelpItem(req.app, { ...helpItem(member, request, room), requestedBy: asker ?? 'staff' });
        publishHelp(hub, member.center.id, request.id, html);
      } catch (err) {
        log.error({ err, coverRequestId: request.id }, 'cover.help_publish_failed');
      }
    }
    // The room's card says "Cover requested" for it.
    if (asked.kind === 'created' || (asked.kind === 'joined' && asked.changed)) await refreshBoards(req.app, hub, log, db, member.center, room.id, at);
    if (wantsJson(req)) {
      const body = { id: request.id, start: clockTime(w.start), end: clockTime(w.end), existing: asked.kind !== 'created' };
      return res.status(asked.kind === 'created' ? 201 : 200).json(body);
    }
    let message: string;
    if (asked.kind === 'created') {
      message = `Help asked for ${room.name} until ${clockTime(help.window.end)}. Directors see it at the top of the board; ${takers.length} eligible ${takers.length === 1 ? 'person was' : 'people were'} told.`;
    } else {
      const by = request.createdByUserId === member.userId ? 'you' : ((request.createdByUserId && (await listUserNames(db, [request.createdByUserId])).get(request.createdByUserId)) ?? 'someone');
      const since = clockTime(request.createdAt, scene.zone);
      message =
        asked.kind === 'joined' && asked.changed
          ? `${room.name} already had an open cover request (by ${by} at ${since}); your help request joined it: help now, ${rangeText(w)}, ${request.peopleNeeded} ${request.peopleNeeded === 1 ? 'person' : 'people'}. Everyone it concerns was told.`
          : `Help is already asked for ${room.name} until ${clockTime(w.end)} (by ${by} at ${since}). Nothing more was sent.`;
    }
    req.session.flash = { message, tone: 'ok' };
    res.redirect(303, `/centers/${member.center.id}/rooms/${room.id}`);
  });

  return router;
}

/** How long and whom "help now" asks for: from now until the forecast says the room holds again (else an hour), as many people as it lacks now. */
async function helpWindow(scene: CoverScene, at: Date) {
  const here = DateTime.fromJSDate(at, { zone: scene.zone }).startOf('minute');
  let end = here.plus({ minutes: HELP_MINUTES });
  let endKnown = false;
  let count = 1;
  let needs: string[] = [];
  let trainings: string[] = [];
  try {
    const forecast = await forecastCenter(scene.db, scene.center, at, { roomIds: [scene.room.id] });
    const view = forecast.rooms.get(scene.room.id);
    if (view) {
      const next = nextCompliantAt(view.forecast, at.getTime());
      if (next !== null && next > at.getTime()) {
        end = DateTime.fromMillis(next, { zone: scene.zone });
        endKnown = true;
      }
      const need = view.forecast.coverNeeds.find((n) => n.start <= at.getTime() && at.getTime() < n.end) ?? view.coverNeed;
      if (need) {
        count = Math.min(10, Math.max(1, need.additionalStaff));
        needs = [...need.needs];
        trainings = [...need.trainings];
      }
    }
  } catch {
    // No forecast (a day without a plan yet): the hour stands, one person who counts.
  }
  return { window: { start: here, end }, endKnown, count, needs, trainings };
}

export type HelpItem = { id: string; room: string; until: string; since: string; href: string; requestedBy?: string };

export function helpItem(member: CenterMember, request: CoverRequest, room: Room): HelpItem {
  const w = windowOf(request, member.center.timeZone);
  return { id: request.id, room: room.name, since: clockTime(w.start), until: clockTime(w.end), href: `/centers/${member.center.id}/cover-requests/${request.id}` };
}

export function renderHelpItem(app: import('express').Application, item: HelpItem): Promise<string> {
  return new Promise((resolve, reject) => app.render('cover/help-item', { layout: false, item }, (err, html) => (err ? reject(err) : resolve(html))));
}

