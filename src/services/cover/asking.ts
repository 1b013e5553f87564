import type { Knex } from 'knex';
import { appendAudit } from '../../db/audit.js';
import {
  addCoverEvent,
  findCoverRequestInCenter,
  findRecentHelpRequest,
  insertCoverRequest,
  listDirectorsOfCenter,
  listOpenCoverRequestsOverlapping,
  listUsersToldOfRequest,
  lockRoomForCover,
  reviseCoverRequest,
  type CoverRequest,
} from '../../db/cover-requests.js';
import type { CenterMember } from '../../db/memberships.js';
import type { Span } from '../../domain/matching.js';
import type { Level } from '../../domain/rule-pack.js';
import { actedBy } from '../acted-by.js';
import { notify, urgentFrom } from '../notify.js';
import { helpAlert, openingAlert, peopleWords, recordWave, waveAt } from './openings.js';
import { dateText, rangeText } from '../../words/format.js';
import { attempt, dayAndSpan, refuse, STATUS_REFUSALS, windowOf, type CoverScene, type Outcome } from './flow.js';

/**
 * Asking for cover: a request, "need help now", and widening or raising an open
 * request instead of asking twice. One open request per room and overlapping
 * window, decided under a lock on the room inside the transaction. Each write is
 * one transaction with its history, audit entry and notices, as in flow.ts.
 */

// ------------------------------------------------------------------ create

export type NewRequest = {
  readonly window: Span;
  readonly peopleNeeded: number;
  readonly needs: readonly Level[];
  readonly trainings: readonly string[];
  readonly reason: string | null;
  readonly urgent: boolean;
};

/** What asking for cover came to: a new request, or the open ones of the room it would have doubled (nothing stored). */
export type Asked = { readonly kind: 'created'; readonly request: CoverRequest; /** How many were told now (the first wave). */ readonly told: number } | { readonly kind: 'overlaps'; readonly open: readonly CoverRequest[] };

/**
 * Opens a request, unless the room already has an open one whose window overlaps
 * this one: then nothing is stored, and the caller offers to widen or raise that one.
 * The check and the insert run under the room's lock (lockRoomForCover), so two
 * people asking at the same moment make one request, never two. Those eligible for
 * it (staff and volunteers with an account, `takers`, worked out by the caller) are
 * told, and for "need help now" the directors too.
 */
export async function askForCover(scene: CoverScene, member: CenterMember, input: NewRequest, takers: readonly string[], at: Date): Promise<Asked> {
  const { db, room } = scene;
  const directors = input.urgent ? await listDirectorsOfCenter(db, scene.center.id) : [];
  return db.transaction(async (trx): Promise<Asked> => {
    await lockRoomForCover(trx, room.id);
    const open = await listOpenCoverRequestsOverlapping(trx, room.id, input.window.start.toJSDate(), input.window.end.toJSDate(), at);
    if (open.length > 0) return { kind: 'overlaps', open };
    return { kind: 'created', ...(await openRequest(trx, scene, member, input, takers, directors, at)) };
  });
}

/** The request stored, with its history, audit entry and notices, inside the caller's transaction (which holds the room's lock). */
async function openRequest(
  trx: Knex.Transaction,
  scene: CoverScene,
  member: CenterMember,
  input: NewRequest,
  takers: readonly string[],
  directors: readonly string[],
  at: Date,
): Promise<{ request: CoverRequest; told: number }> {
  const { center, room } = scene;
  const request = await insertCoverRequest(
    trx,
    {
      centerId: center.id,
      roomId: room.id,
      day: input.window.start.toISODate()!,
      startsAt: input.window.start.toJSDate(),
      endsAt: input.window.end.toJSDate(),
      peopleNeeded: input.peopleNeeded,
      needs: input.needs,
      trainings: input.trainings,
      reason: input.reason,
      urgent: input.urgent,
      createdByUserId: member.userId,
    },
    at,
  );
  await addCoverEvent(trx, { coverRequestId: request.id, centerId: center.id, kind: 'created', actorUserId: member.userId }, at);
  await appendAudit(trx, {
    ...actedBy(member, at),
    action: input.urgent ? 'cover_request.help_requested' : 'cover_request.created',
    recordType: 'cover_request',
    recordId: request.id,
    after: { roomId: room.id, startsAt: request.startsAt, endsAt: request.endsAt, peopleNeeded: request.peopleNeeded, needs: request.needs, urgent: request.urgent },
  });
  const others = (ids: readonly string[]) => ids.filter((id) => id !== member.userId);
  // The first wave: the best-ranked few, or everyone for help now and cover starting within 2 hours (openings.ts).
  const { wave, reach } = waveAt(center, request, at);
  const told = await notify(trx, others(takers).slice(0, reach), openingAlert(scene, request, input.window), at);
  await recordWave(trx, request.id, wave, told, at);
  if (input.urgent) await notify(trx, others(directors), helpAlert(scene, request, input.window), at);
  return { request, told };
}

// ------------------------------------------------------------------ need help now

/** Within this long of a room's "need help now", another tap is the same request (a double tap, or two people at once). */
export const SAME_TAP_MS = 60_000;

/**
 * What "need help now" came to: a new urgent request; the same one as a tap within
 * the last minute (nothing stored); or an open request of the room overlapping the
 * help window, joined: made urgent, widened or raised where this tap asks for more
 * (`changed`), else left as it is.
 */
export type HelpAsked =
  | { readonly kind: 'created'; readonly request: CoverRequest }
  | { readonly kind: 'same'; readonly request: CoverRequest }
  | { readonly kind: 'joined'; readonly request: CoverRequest; readonly changed: boolean; readonly becameUrgent: boolean };

/**
 * "Need help now" in the scene's room, one request per room and moment (see askForCover);
 * `input.urgent` is true. Without `endKnown` (the forecast knows no end, so the window is
 * the default hour) a joined request keeps its end: a tap a few minutes later would
 * otherwise move it by those minutes and tell everyone again.
 */
export async function askForHelp(scene: CoverScene, member: CenterMember, input: NewRequest, takers: readonly string[], at: Date, opts: { readonly endKnown: boolean } = { endKnown: true }): Promise<HelpAsked> {
  const { db, room, zone } = scene;
  const directors = await listDirectorsOfCenter(db, scene.center.id);
  const outcome = await attempt(db, async (trx): Promise<HelpAsked> => {
    await lockRoomForCover(trx, room.id);
    const recent = await findRecentHelpRequest(trx, room.id, new Date(at.getTime() - SAME_TAP_MS));
    if (recent) return { kind: 'same', request: recent };
    const open = await listOpenCoverRequestsOverlapping(trx, room.id, input.window.start.toJSDate(), input.window.end.toJSDate(), at);
    if (open.length === 0) return { kind: 'created', request: (await openRequest(trx, scene, member, input, takers, directors, at)).request };
    // Help is for now: the request under way now, else the soonest.
    const target = open.find((r) => Date.parse(r.startsAt) <= at.getTime()) ?? open[0]!;
    const window = windowOf(target, zone);
    // Widened, it must not meet another open request of the room (any such one overlaps the help window, so is in `open`).
    const wanted = opts.endKnown ? input.window : { start: input.window.start, end: window.end };
    let wider = hull(window, wanted);
    if (open.some((r) => r.id !== target.id && overlaps(windowOf(r, zone), wider))) wider = window;
    const count = Math.max(target.peopleNeeded, input.peopleNeeded);
    if (target.urgent && count === target.peopleNeeded && sameSpan(wider, window)) return { kind: 'joined', request: target, changed: false, becameUrgent: false };
    const revised = await revise(trx, scene, member, target, { window: wider, peopleNeeded: count, urgent: true }, takers, directors, 'cover_request.help_joined', at);
    return { kind: 'joined', request: revised, changed: true, becameUrgent: !target.urgent };
  });
  // Only a race lost four times in a row refuses; a bug otherwise.
  if (!outcome.ok) throw new Error(`need help now in room ${room.id}: ${outcome.error.code}`);
  return outcome.value;
}

// ------------------------------------------------------------------ widen and raise

const sameSpan = (a: Span, b: Span) => a.start.toMillis() === b.start.toMillis() && a.end.toMillis() === b.end.toMillis();
const overlaps = (a: Span, b: Span) => a.start < b.end && b.start < a.end;
/** The smallest span holding both (they overlap or touch). */
const hull = (a: Span, b: Span): Span => ({ start: a.start <= b.start ? a.start : b.start, end: a.end >= b.end ? a.end : b.end });

/** The window `part` would widen the request to, or null when its window already holds it. */
export function widenedWindow(request: CoverRequest, part: Span, zone: string): Span | null {
  const window = windowOf(request, zone);
  const wider = hull(window, part);
  return sameSpan(wider, window) ? null : wider;
}

/**
 * Widens an open request's window to hold `part` too (the window someone asked for
 * when this request was already open), in one transaction under the room's lock: a
 * widening that would meet another open request of the room is refused. Those
 * already told hear of the change; `takers` (eligible through the wider window) who
 * were not told hear of the request.
 */
export async function widenRequest(scene: CoverScene, member: CenterMember, request: CoverRequest, part: Span, takers: readonly string[], at: Date): Promise<Outcome<CoverRequest>> {
  const { db, room, zone } = scene;
  const directors = await listDirectorsOfCenter(db, scene.center.id);
  return attempt(db, async (trx) => {
    await lockRoomForCover(trx, room.id);
    const fresh = await stillOpen(trx, scene, request, at);
    const wider = widenedWindow(fresh, part, zone);
    if (!wider) return refuse('covered', `It already runs ${rangeText(windowOf(fresh, zone))}, which holds ${rangeText(part)}.`, 'start');
    const others = (await listOpenCoverRequestsOverlapping(trx, room.id, wider.start.toJSDate(), wider.end.toJSDate(), at)).filter((r) => r.id !== fresh.id);
    if (others.length > 0) {
      return refuse('overlaps', `Widened to ${rangeText(wider)}, it would meet the open request for ${rangeText(windowOf(others[0]!, zone))} in ${room.name}. Widen that one, or choose a part that does not meet it.`, 'start');
    }
    return revise(trx, scene, member, fresh, { window: wider, peopleNeeded: fresh.peopleNeeded, urgent: fresh.urgent }, takers, directors, 'cover_request.widened', at);
  });
}

/** Raises an open request's count to `count` people (more than it asks for now), as widenRequest does its window. */
export async function raiseRequest(scene: CoverScene, member: CenterMember, request: CoverRequest, count: number, takers: readonly string[], at: Date): Promise<Outcome<CoverRequest>> {
  const { db, room, zone } = scene;
  const directors = await listDirectorsOfCenter(db, scene.center.id);
  return attempt(db, async (trx) => {
    await lockRoomForCover(trx, room.id);
    const fresh = await stillOpen(trx, scene, request, at);
    if (count <= fresh.peopleNeeded) return refuse('not_more', `It already asks for ${peopleWords(fresh.peopleNeeded)}. Enter a larger number.`, 'count');
    return revise(trx, scene, member, fresh, { window: windowOf(fresh, zone), peopleNeeded: count, urgent: fresh.urgent }, takers, directors, 'cover_request.raised', at);
  });
}

/** The request as stored now, refused unless it is open and its window has not ended. */
async function stillOpen(trx: Knex.Transaction, scene: CoverScene, request: CoverRequest, at: Date): Promise<CoverRequest> {
  const fresh = await findCoverRequestInCenter(trx, scene.center.id, request.id);
  if (!fresh) return refuse('gone', 'This request no longer exists.');
  if (fresh.status !== 'open') return refuse(STATUS_REFUSALS[fresh.status].code, STATUS_REFUSALS[fresh.status].message);
  if (Date.parse(fresh.endsAt) <= at.getTime()) return refuse('ended', STATUS_REFUSALS.expired.message);
  return fresh;
}

/**
 * Changes an open request to `to` (its window, count, urgency), inside the caller's
 * transaction under the room's lock: a conditional update on its version, one history
 * entry per kind of change, one audit entry (`action`), and notices. Those already told
 * of the request (and its requester) hear what changed; takers and, once it is urgent,
 * directors who were not told hear of it as of a new request.
 */
async function revise(
  trx: Knex.Transaction,
  scene: CoverScene,
  member: CenterMember,
  fresh: CoverRequest,
  to: { readonly window: Span; readonly peopleNeeded: number; readonly urgent: boolean },
  takers: readonly string[],
  directors: readonly string[],
  action: string,
  at: Date,
): Promise<CoverRequest> {
  const { center, room, zone } = scene;
  const was = windowOf(fresh, zone);
  const widened = !sameSpan(was, to.window);
  const raised = to.peopleNeeded !== fresh.peopleNeeded;
  const becameUrgent = to.urgent && !fresh.urgent;
  const ok = await reviseCoverRequest(trx, fresh.id, fresh.version, {
    ...(widened && { startsAt: to.window.start.toJSDate(), endsAt: to.window.end.toJSDate() }),
    ...(raised && { peopleNeeded: to.peopleNeeded }),
    ...(becameUrgent && { urgent: true }),
  });
  if (!ok) return refuse('raced', 'raced');
  // The day column is the day the window starts; a window is widened on its own day, so it stays.
  const revised: CoverRequest = {
    ...fresh,
    startsAt: to.window.start.toJSDate().toISOString(),
    endsAt: to.window.end.toJSDate().toISOString(),
    peopleNeeded: to.peopleNeeded,
    urgent: fresh.urgent || to.urgent,
    version: fresh.version + 1,
  };
  const event = (kind: 'widened' | 'raised' | 'escalated') => ({ coverRequestId: fresh.id, centerId: center.id, kind, actorUserId: member.userId });
  if (becameUrgent) await addCoverEvent(trx, event('escalated'), at);
  if (widened) await addCoverEvent(trx, { ...event('widened'), startsAt: revised.startsAt, endsAt: revised.endsAt }, at);
  if (raised) await addCoverEvent(trx, { ...event('raised'), peopleNeeded: to.peopleNeeded }, at);
  const shape = (r: CoverRequest) => ({ startsAt: r.startsAt, endsAt: r.endsAt, peopleNeeded: r.peopleNeeded, urgent: r.urgent });
  await appendAudit(trx, { ...actedBy(member, at), action, recordType: 'cover_request', recordId: fresh.id, before: shape(fresh), after: shape(revised) });

  const changes = [
    ...(widened ? [`now runs ${rangeText(to.window)} (was ${rangeText(was)})`] : []),
    ...(raised ? [`now asks for ${peopleWords(to.peopleNeeded)} (was ${fresh.peopleNeeded})`] : []),
  ];
  const lead = becameUrgent ? 'Help needed now' : 'Cover changed';
  const what = changes.length > 0 ? `the request ${changes.join(' and ')}` : `the cover asked for ${rangeText(to.window)} is needed now`;
  const body = `${lead} in ${room.name}, ${dateText(to.window.start)}: ${what}.`;
  const told = await listUsersToldOfRequest(trx, fresh.id);
  const requester = fresh.createdByUserId;
  const isDirector = new Set(directors);
  // Directors and the one who asked follow the request's page; takers, their cover page.
  const follows = (id: string) => isDirector.has(id) || id === requester;
  const page = `/centers/${center.id}/cover-requests/${fresh.id}`;
  const kind = revised.urgent ? ('help_request' as const) : ('cover_request_new' as const);
  // Those already told, and the one who asked: what changed.
  const hearChange = [...new Set([...told, ...(requester ? [requester] : [])])].filter((id) => id !== member.userId);
  const changed = { centerId: center.id, kind, body, coverRequestId: fresh.id, dedupeKey: `cover_changed:${fresh.id}:${revised.version}`, urgent: revised.urgent, urgentFrom: urgentFrom(to.window.start.toJSDate()) };
  await notify(trx, hearChange.filter((id) => !follows(id)), { ...changed, link: `/centers/${center.id}/cover` }, at);
  await notify(trx, hearChange.filter(follows), { ...changed, link: page }, at);
  // Takers not told yet (the wider window or the new places let them in): the request as it now stands, as a new one,
  // up to the wave now due (openings.ts): everyone once it is urgent.
  const heard = new Set([...hearChange, member.userId]);
  const { wave, reach } = waveAt(center, revised, at);
  const fresher = takers.filter((id) => !heard.has(id)).slice(0, Math.max(0, reach - told.size));
  const n = await notify(trx, fresher, openingAlert(scene, revised, to.window), at);
  await recordWave(trx, fresh.id, wave, told.size + n, at);
  for (const id of fresher) heard.add(id);
  if (revised.urgent) await notify(trx, directors.filter((id) => !heard.has(id)), helpAlert(scene, revised, to.window), at);
  return revised;
}
