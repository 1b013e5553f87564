import { Router, type Request, type Response } from 'express';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { findOpenRoomInCenter } from '../../db/center-state.js';
import { findCoverRequestInCenter, listCoverTakers, listOpenCoverRequestsOverlapping, type CoverRequest } from '../../db/cover-requests.js';
import type { Room } from '../../db/rows.js';
import { seatLevels, type Span } from '../../domain/matching.js';
import type { Level } from '../../domain/rule-pack.js';
import { findRemedies, recheckRemedy, type CallInRemedy, type Remedy } from '../../domain/remedies/index.js';
import { forecastOfDay } from '../../services/center-forecast.js';
import { askForCover } from '../../services/cover/asking.js';
import { checkTaker, sceneOf, takeCover } from '../../services/cover/flow.js';
import { eligibleTakers } from '../../services/cover/takers.js';
import { endMerge, findAgain, readKey, remedyInputFor, takeMerge, takeMove, tellOfRequest, type NeedWindow } from '../../services/remedies.js';
import { refusalText, remedyText } from '../../words/remedies.js';
import { clockTime, rangeText } from '../../words/format.js';
import { memberOf } from '../auth/current.js';
import { guard } from '../auth/guard.js';
import { publishRooms } from '../board/publish.js';
import { roomPageModel } from '../check-ins/room-page.js';
import type { Deps } from '../deps.js';
import { NotFound } from '../errors.js';
import type { EventHub } from '../events/hub.js';
import { idIn } from '../ids.js';
import { PANEL_ANCHOR } from './panel.js';

/**
 * The "What can fix this" panel's actions (panel.ts draws it): move someone over,
 * assign the people a call-in names, or ask everyone eligible (a cover request). Each
 * form sends the remedy's key and the need's window; the remedy is found again on the
 * day as it is now, and one that is no longer legal is refused (409) with the reason,
 * nothing stored. A forged or stale key is a 409 with a message, never a 500.
 */

const wantsJson = (req: Request) => req.accepts(['html', 'json']) === 'json';

const Millis = z.string().regex(/^\d{1,15}$/, 'Open the panel again: this form is out of date.').transform(Number);
const NeedForm = z.object({
  start: Millis,
  end: Millis,
  requestId: z.string().max(64).optional(),
});
const KeyForm = NeedForm.extend({ key: z.string().min(1, 'Open the panel again: this form is out of date.').max(400) });

const DAY_MS = 24 * 3_600_000;

export function remedyRoutes(deps: Deps, hub: EventHub): Router {
  const { db, clock, log } = deps;
  const router = Router();
  const BASE = '/centers/:centerId/rooms/:roomId/remedies';

  const roomOf = async (req: Request): Promise<Room> => {
    const id = idIn(req.params.roomId);
    const room = id ? await findOpenRoomInCenter(db, memberOf(req).center.id, id) : undefined;
    if (!room) throw new NotFound('room');
    return room;
  };

  /** A refusal: 409 and the room page with the message (or JSON); nothing was stored. */
  const refused = async (req: Request, res: Response, room: Room, message: string, status = 409) => {
    if (wantsJson(req)) return res.status(status).json({ error: message });
    const model = await roomPageModel(db, memberOf(req), room, clock.now(), { problem: { message } });
    return res.status(status).render('rooms/show', model);
  };

  const done = (req: Request, res: Response, href: string, message: string, json: Record<string, unknown>) => {
    if (wantsJson(req)) return res.status(201).json({ message, ...json });
    req.session.flash = { message, tone: 'ok' };
    res.redirect(303, href);
  };

  /** The need the form names, from now on: its window as shown, started at the current minute if that has passed. */
  const needOf = (room: Room, form: { start: number; end: number }, at: Date): NeedWindow | string => {
    const minute = Math.floor(at.getTime() / 60_000) * 60_000;
    const start = Math.max(form.start, minute);
    if (!(form.start < form.end) || form.end - form.start > DAY_MS) return 'Open the panel again: this form is out of date.';
    if (form.end <= at.getTime()) return 'That window is over: nothing was changed.';
    return { roomId: room.id, start, end: form.end };
  };

  /** The form and its need, or the refusal to answer: 422 for a form that does not parse, 409 for a window gone. */
  const formAndNeed = <F extends { start: number; end: number }>(schema: z.ZodType<F>, req: Request, room: Room, at: Date) => {
    const form = schema.safeParse(req.body ?? {});
    if (!form.success) return { refusal: { message: form.error.issues[0]!.message, status: 422 } } as const;
    const need = needOf(room, form.data, at);
    if (typeof need === 'string') return { refusal: { message: need, status: 409 } } as const;
    return { form: form.data, need } as const;
  };

  // ---------------------------------------------------------------- move someone over

  router.post(`${BASE}/moves`, guard(deps, 'remedy.move'), async (req, res) => {
    const member = memberOf(req);
    const room = await roomOf(req);
    const at = clock.now();
    const parsed = formAndNeed(KeyForm, req, room, at);
    if (parsed.refusal) return refused(req, res, room, parsed.refusal.message, parsed.refusal.status);
    const { form, need } = parsed;
    const read = readKey(form.key);
    if (!read || read.kind !== 'move' || read.to !== room.id) return refused(req, res, room, 'That move is not offered for this room. Open the panel again.');
    const outcome = await takeMove(db, member.center, member, need, form.key, read, at);
    const { names } = outcome;
    if (!outcome.ok) {
      const error = outcome.error;
      const why = error.code === 'refused' && error.why ? `: ${refusalText(error.why, names)}` : '';
      req.log.info({ roomId: room.id, code: error.code }, 'remedy.move_refused');
      return refused(req, res, room, `${names.person(read.person)} can no longer be moved here${why}. Nothing was changed.`);
    }
    const { remedy, presenceMoved } = outcome.value;
    req.log.info({ roomId: room.id, fromRoomId: remedy.from, shiftIds: outcome.value.shiftIds, presenceMoved }, 'remedy.move_taken');
    await publishRooms(req.app, db, hub, log, member.center, at, [remedy.from, remedy.to]);
    const message = `${names.person(remedy.person)} moves to ${room.name}${presenceMoved ? ' now' : ''}: ${remedyText(remedy, names)}.`;
    const back = form.requestId && idIn(form.requestId) ? `/centers/${member.center.id}/cover-requests/${idIn(form.requestId)}` : `/centers/${member.center.id}/rooms/${room.id}`;
    return done(req, res, back, message, { shiftIds: outcome.value.shiftIds, presenceMoved });
  });

  // ---------------------------------------------------------------- combine rooms

  router.post(`${BASE}/merges`, guard(deps, 'remedy.merge'), async (req, res) => {
    const member = memberOf(req);
    const room = await roomOf(req);
    const at = clock.now();
    const parsed = formAndNeed(KeyForm, req, room, at);
    if (parsed.refusal) return refused(req, res, room, parsed.refusal.message, parsed.refusal.status);
    const { form, need } = parsed;
    const read = readKey(form.key);
    if (!read || read.kind !== 'merge' || (read.from !== room.id && read.into !== room.id)) return refused(req, res, room, 'That combination is not offered for this room. Open the panel again.');
    const outcome = await takeMerge(db, member.center, member, need, form.key, read, at);
    const { names } = outcome;
    if (!outcome.ok) {
      const error = outcome.error;
      const why = error.code === 'refused' && error.why ? `: ${refusalText(error.why, names)}` : '';
      req.log.info({ roomId: room.id, code: error.code }, 'remedy.merge_refused');
      return refused(req, res, room, `${names.room(read.from)} can no longer be combined into ${names.room(read.into)}${why}. Nothing was changed.`);
    }
    const { remedy, merge } = outcome.value;
    req.log.info({ roomId: room.id, mergeId: merge.id, fromRoomId: merge.fromRoomId, intoRoomId: merge.intoRoomId }, 'remedy.merge_taken');
    await publishRooms(req.app, db, hub, log, member.center, at, [merge.fromRoomId, merge.intoRoomId]);
    const message = `${names.room(remedy.from)} is combined into ${names.room(remedy.into)} until ${clockTime(remedy.end, names.zone, { on: names.day })}: ${remedyText(remedy, names)}.`;
    const back = form.requestId && idIn(form.requestId) ? `/centers/${member.center.id}/cover-requests/${idIn(form.requestId)}` : `/centers/${member.center.id}/rooms/${room.id}`;
    return done(req, res, back, message, { mergeId: merge.id });
  });

  router.post('/centers/:centerId/room-merges/:mergeId/end', guard(deps, 'remedy.merge'), async (req, res) => {
    const member = memberOf(req);
    const id = idIn(req.params.mergeId);
    if (!id) throw new NotFound('room merge');
    const at = clock.now();
    const outcome = await endMerge(db, member.center, member, id, at);
    if (!outcome.ok) {
      if (outcome.error.code === 'not_found') throw new NotFound('room merge');
      const room = await findOpenRoomInCenter(db, member.center.id, outcome.error.merge.intoRoomId);
      if (!room) throw new NotFound('room');
      return refused(req, res, room, 'That merge has already ended: the rooms are judged apart. Nothing was changed.');
    }
    const { merge } = outcome;
    req.log.info({ mergeId: merge.id }, 'remedy.merge_ended');
    await publishRooms(req.app, db, hub, log, member.center, at, [merge.fromRoomId, merge.intoRoomId]);
    const [from, into] = await Promise.all([findOpenRoomInCenter(db, member.center.id, merge.fromRoomId), findOpenRoomInCenter(db, member.center.id, merge.intoRoomId)]);
    return done(req, res, `/centers/${member.center.id}/rooms/${merge.intoRoomId}`, `${from?.name ?? 'The room'} and ${into?.name ?? 'the other room'} are judged apart again.`, { mergeId: merge.id });
  });

  // ---------------------------------------------------------------- call someone in

  /** The call-in the key names, found again now, or the words of why not. */
  const callInOf = async (room: Room, member: ReturnType<typeof memberOf>, need: NeedWindow, key: string, at: Date) => {
    const read = readKey(key);
    const loaded = await remedyInputFor(db, member.center, need, at);
    const { input, names } = loaded;
    if (!read || read.kind !== 'call_in') return { error: 'That call-in is not offered for this room. Open the panel again.', loaded };
    const panel = findRemedies(input);
    const again = findAgain(panel, key, read);
    if (again?.kind === 'call_in' && again.coverage !== 'today') return { remedy: again, loaded };
    const probe: Remedy = { kind: 'call_in', key, coverage: read.people.length > 1 ? 'pair' : 'whole', people: read.people.map((p) => ({ ...p, label: { code: 'free', params: {} } })), target: { room: room.id, margin: 0, stillShort: 0 }, rank: [] };
    const checked = recheckRemedy(input, probe);
    const who = read.people.map((p) => names.person(p.person)).join(' and ');
    const why = !checked.ok && checked.why ? `: ${refusalText(checked.why, names)}` : '';
    return { error: `${who} can no longer be called in for this${why}. Nothing was changed.`, loaded };
  };

  /** What the room's forecast says it lacks in the window: how many, which levels, which trainings. */
  const shortfallOf = (member: ReturnType<typeof memberOf>, loaded: Awaited<ReturnType<typeof remedyInputFor>>['loaded'], need: NeedWindow, at: Date) => {
    const view = forecastOfDay(member.center, at, loaded).rooms.get(need.roomId);
    const cover = view?.forecast.coverNeeds.find((c) => c.start < need.end && need.start < c.end) ?? view?.coverNeed ?? null;
    return { count: Math.max(1, Math.min(10, cover?.additionalStaff ?? 1)), needs: (cover?.needs ?? []) as Level[], trainings: cover?.trainings ?? [] };
  };

  /**
   * The cover request people are assigned to or asked for: the one the page is about (404 when it is
   * not this room's), else the room's open one meeting the window, else none yet.
   */
  const requestOfWindow = async (member: ReturnType<typeof memberOf>, room: Room, need: NeedWindow, requestId: string | undefined, at: Date): Promise<CoverRequest | undefined> => {
    if (requestId) {
      const id = idIn(requestId);
      const request = id ? await findCoverRequestInCenter(db, member.center.id, id) : undefined;
      if (!request || request.roomId !== room.id) throw new NotFound('cover request');
      return request;
    }
    return (await listOpenCoverRequestsOverlapping(db, room.id, new Date(need.start), new Date(need.end), at))[0];
  };

  const spanOfMs = (start: number, end: number, zone: string): Span => ({ start: DateTime.fromMillis(start, { zone }), end: DateTime.fromMillis(end, { zone }) });

  router.post(`${BASE}/assignments`, guard(deps, 'remedy.assign'), async (req, res) => {
    const member = memberOf(req);
    const room = await roomOf(req);
    const at = clock.now();
    const parsed = formAndNeed(KeyForm, req, room, at);
    if (parsed.refusal) return refused(req, res, room, parsed.refusal.message, parsed.refusal.status);
    const { form, need } = parsed;
    const found = await callInOf(room, member, need, form.key, at);
    if ('error' in found) return refused(req, res, room, found.error!);
    const remedy = found.remedy as CallInRemedy;
    const zone = member.center.timeZone;
    const scene = await sceneOf(db, member.center, room);
    // The request the people are assigned to: the one the page is about, else the room's open one meeting the window, else a new one told to nobody (it is filled at once).
    let request = await requestOfWindow(member, room, need, form.requestId, at);
    if (!request) {
      const short = shortfallOf(member, found.loaded.loaded, need, at);
      const asked = await askForCover(scene, member, { window: spanOfMs(need.start, need.end, zone), peopleNeeded: short.count, needs: short.needs, trainings: short.trainings, reason: null, urgent: false }, [], at);
      request = asked.kind === 'created' ? asked.request : asked.open[0]!;
    }
    if (!request) return refused(req, res, room, 'No cover request could be opened for this window. Nothing was changed.');
    const names = found.loaded.names;
    const assigned: string[] = [];
    let current: CoverRequest = request;
    for (const p of remedy.people) {
      const start = Math.max(p.start, Date.parse(current.startsAt));
      const end = Math.min(p.end, Date.parse(current.endsAt));
      const part = spanOfMs(start, end, zone);
      const taker = await checkTaker(scene, current, p.person, part, at, false);
      const outcome: Awaited<ReturnType<typeof takeCover>> | typeof taker = taker.ok ? await takeCover(scene, member, current, taker.value, part, 'assignment', at) : taker;
      if (!outcome.ok) {
        const before = assigned.length > 0 ? ` ${assigned.join(' and ')} ${assigned.length === 1 ? 'is' : 'are'} assigned.` : ' Nothing was changed.';
        await publishRooms(req.app, db, hub, log, member.center, at, [room.id]);
        return refused(req, res, room, `${names.person(p.person)} could not be assigned: ${outcome.error.message}${before}`);
      }
      current = outcome.value.request;
      assigned.push(`${names.person(p.person)} (${rangeText(part)})`);
    }
    req.log.info({ roomId: room.id, coverRequestId: current.id }, 'remedy.call_in_assigned');
    await publishRooms(req.app, db, hub, log, member.center, at, [room.id]);
    return done(req, res, `/centers/${member.center.id}/cover-requests/${current.id}`, `${assigned.join(' and ')} ${assigned.length === 1 ? 'is' : 'are'} assigned to ${room.name}.`, { coverRequestId: current.id });
  });

  // "Ask Jo Nguyen": the room's cover request for the window (this page's, the open one meeting it, or a new one told
  // to nobody else now), and that one person told of it, through the same notice the request's waves send.
  router.post(`${BASE}/asks`, guard(deps, 'cover_request.create'), async (req, res) => {
    const member = memberOf(req);
    const room = await roomOf(req);
    const at = clock.now();
    const parsed = formAndNeed(KeyForm, req, room, at);
    if (parsed.refusal) return refused(req, res, room, parsed.refusal.message, parsed.refusal.status);
    const { form, need } = parsed;
    const read = readKey(form.key);
    if (!read || read.kind !== 'call_in' || read.people.length !== 1) return refused(req, res, room, 'That person is not offered for this room. Open the panel again.');
    const personId = read.people[0]!.person;
    const loaded = await remedyInputFor(db, member.center, need, at);
    const { names } = loaded;
    const panel = findRemedies(loaded.input);
    if (!panel.remedies.some((r) => r.kind === 'call_in' && r.people.some((p) => p.person === personId))) {
      const why = panel.notOffered.find((n) => n.person === personId)?.why;
      return refused(req, res, room, `${names.person(personId)} can no longer be asked for this${why ? `: ${refusalText(why, names)}` : ''}. Nothing was changed.`);
    }
    const taker = (await listCoverTakers(db, member.center.id)).find((t) => t.personId === personId);
    if (!taker) return refused(req, res, room, `${names.person(personId)} has no account here to be told: call them. Nothing was changed.`);
    const zone = member.center.timeZone;
    const scene = await sceneOf(db, member.center, room);
    let request = await requestOfWindow(member, room, need, form.requestId, at);
    let created = false;
    if (!request) {
      const short = shortfallOf(member, loaded.loaded, need, at);
      const asked = await askForCover(scene, member, { window: spanOfMs(need.start, need.end, zone), peopleNeeded: short.count, needs: short.needs, trainings: short.trainings, reason: null, urgent: false }, [], at);
      request = asked.kind === 'created' ? asked.request : asked.open[0]!;
      created = asked.kind === 'created';
    }
    if (request.status !== 'open') return refused(req, res, room, `That cover request is ${request.status}: nobody was asked.`);
    const told = await tellOfRequest(db, scene, request, taker.userId, at);
    req.log.info({ roomId: room.id, coverRequestId: request.id, told }, 'remedy.person_asked');
    if (created) await publishRooms(req.app, db, hub, log, member.center, at, [room.id]);
    const window = rangeText(spanOfMs(Date.parse(request.startsAt), Date.parse(request.endsAt), zone));
    const message = told > 0 ? `${names.person(personId)} was asked to cover ${room.name}, ${window}.` : `${names.person(personId)} had already been told of this request (${room.name}, ${window}).`;
    return done(req, res, `/centers/${member.center.id}/cover-requests/${request.id}`, message, { coverRequestId: request.id, told });
  });

  router.post(`${BASE}/cover-requests`, guard(deps, 'cover_request.create'), async (req, res) => {
    const member = memberOf(req);
    const room = await roomOf(req);
    const at = clock.now();
    const parsed = formAndNeed(NeedForm, req, room, at);
    if (parsed.refusal) return refused(req, res, room, parsed.refusal.message, parsed.refusal.status);
    const { need } = parsed;
    const zone = member.center.timeZone;
    const loaded = await remedyInputFor(db, member.center, need, at);
    const short = shortfallOf(member, loaded.loaded, need, at);
    const scene = await sceneOf(db, member.center, room);
    const window = spanOfMs(need.start, need.end, zone);
    const takers = await eligibleTakers(scene, window, seatLevels(short.count, short.needs), at);
    const asked = await askForCover(scene, member, { window, peopleNeeded: short.count, needs: short.needs, trainings: short.trainings, reason: null, urgent: false }, takers, at);
    const pageOf = (r: CoverRequest) => `/centers/${member.center.id}/cover-requests/${r.id}`;
    if (asked.kind === 'overlaps') {
      const first = asked.open[0]!;
      if (wantsJson(req)) return res.status(409).json({ error: `${room.name} already has an open cover request.`, id: first.id });
      req.session.flash = { message: `${room.name} already has an open cover request for this time: here it is.`, tone: 'ok' };
      return res.redirect(303, pageOf(first));
    }
    req.log.info({ roomId: room.id, coverRequestId: asked.request.id }, 'remedy.cover_requested');
    await publishRooms(req.app, db, hub, log, member.center, at, [room.id]);
    return done(req, res, pageOf(asked.request), `Cover asked for ${room.name}, ${rangeText(window)}. ${asked.told} eligible ${asked.told === 1 ? 'person was' : 'people were'} told.`, { coverRequestId: asked.request.id });
  });

  return router;
}

export { PANEL_ANCHOR };
