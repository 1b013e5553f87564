import type { Knex } from 'knex';
import { appendAudit } from '../../db/audit.js';
import {
  acceptCoverClaim,
  addCoverEvent,
  advanceCoverRequest,
  closeCoverClaim,
  findCoverRequestInCenter,
  insertCoverClaim,
  listClaimsOfRequests,
  listDirectorsOfCenter,
  listEndedOpenCoverRequests,
  listUsersOfPeople,
  listUsersToldOfRequest,
  type CoverClaim,
  type CoverRequest,
  type CoverStatus,
} from '../../db/cover-requests.js';
import type { CenterMember } from '../../db/memberships.js';
import type { NoticeKind } from '../../db/notices.js';
import { dropQueuedOpenings, listUsersSentOpening } from '../../db/outbox.js';
import { findPersonInCenter } from '../../db/people.js';
import { listRoomsInCenter } from '../../db/rooms.js';
import type { Center, Person, Room } from '../../db/rows.js';
import { cancelShift, insertShift, listShiftsOfPersonBetween } from '../../db/shifts.js';
import { listTrainingRecordsOfPerson } from '../../db/trainings.js';
import { eligibilityFor } from '../../domain/eligibility.js';
import { chooseSeat, levelLabel, meetsLevel, openNeeds, seatLevels, type Seat, type Span } from '../../domain/matching.js';
import { reasonText } from '../../domain/ratio/words.js';
import { isCoarseCategory, type CoarseCategory, type Level, type RulePack } from '../../domain/rule-pack.js';
import { err, ok, type Err, type Result } from '../../domain/result.js';
import { actedBy } from '../acted-by.js';
import { notify as alert } from '../notify.js';
import { centerPack } from '../center-pack.js';
import { personOnFile } from '../person-on-file.js';
import { attempt as inTransaction, Refusal } from '../refusal.js';
import { dateText, rangeText } from '../../words/format.js';
import { spanOf } from '../../words/times.js';

/**
 * Every state change of a cover request after it is asked for (asking, help now,
 * widening and raising are in asking.ts), each one transaction with its history
 * entry, its audit entry and its notices. The winner of a race is decided inside
 * the transaction by `advanceCoverRequest`, a conditional update on the request's
 * version (and the claims' own conditional updates), never by what was read before.
 * Refusals are values with the words a person reads; nothing is written for them.
 */

export type RefusalCode =
  | 'filled'
  | 'part_taken'
  | 'cancelled'
  | 'expired'
  | 'ended'
  | 'already_claimed'
  | 'not_eligible'
  | 'busy'
  | 'no_person'
  | 'bad_part'
  | 'gone'
  | 'covered'
  | 'overlaps'
  | 'not_more'
  | 'raced';

export type CoverRefusal = { readonly code: RefusalCode; readonly message: string; readonly field?: string };
export type Outcome<T> = Result<T, CoverRefusal>;

/** Refuses inside a cover write's transaction (see `attempt`); shared by the cover writes here and in asking.ts. */
export const refuse = (code: RefusalCode, message: string, field?: string): never => {
  throw new Refusal<CoverRefusal>({ code, message, field });
};

/** Runs `write` in one transaction (services/refusal.ts); a refusal thrown inside rolls everything back and is answered as a value. */
export async function attempt<T>(db: Knex, write: (trx: Knex.Transaction) => Promise<T>): Promise<Outcome<T>> {
  // A write that lost a race to another (the version moved) is tried again on what is now stored.
  for (let round = 0; ; round++) {
    const outcome = await inTransaction<T, CoverRefusal>(db, write);
    if (outcome.ok || outcome.error.code !== 'raced') return outcome;
    if (round >= 3) return err({ code: 'filled', message: 'This request is already filled.' });
  }
}

export const STATUS_REFUSALS: Record<Exclude<CoverStatus, 'open'>, CoverRefusal> = {
  filled: { code: 'filled', message: 'This request is already filled.' },
  cancelled: { code: 'cancelled', message: 'This request was cancelled.' },
  expired: { code: 'expired', message: 'This request has expired: its window ended.' },
};

/** What every write about one request needs to know. */
export type CoverScene = {
  readonly db: Knex;
  readonly center: Center;
  readonly pack: RulePack;
  readonly room: Room;
  readonly categories: readonly CoarseCategory[];
  readonly zone: string;
};

export async function sceneOf(db: Knex, center: Center, room: Room): Promise<CoverScene> {
  const { pack } = await centerPack(db, center);
  return { db, center, pack, room, categories: room.ageCategories.filter(isCoarseCategory), zone: center.timeZone };
}

export const windowOf = (request: CoverRequest, zone: string): Span => spanOf(request.startsAt, request.endsAt, zone);

/** The request's seats: the level each person needs and the parts accepted claims took. */
export function seatsOf(request: CoverRequest, claims: readonly CoverClaim[], zone: string): Seat[] {
  return seatLevels(request.peopleNeeded, request.needs).map((level, i) => ({
    level,
    taken: claims.filter((c) => c.coverRequestId === request.id && c.status === 'accepted' && c.seat === i).map((c) => spanOf(c.startsAt, c.endsAt, zone)),
  }));
}

/** The lowest level any seat asks for (null when some seat takes any level that counts). */
export function lowestLevel(pack: RulePack, levels: readonly (Level | null)[]): Level | null {
  if (levels.length === 0 || levels.some((l) => l === null)) return null;
  return [...(levels as Level[])].sort((a, b) => pack.levels.findIndex((x) => x.level === a) - pack.levels.findIndex((x) => x.level === b))[0] ?? null;
}

/** The status a request shows at `at`: an open one whose window has ended is expired, stored so or not yet. */
export function shownStatus(request: CoverRequest, at: Date): CoverStatus {
  return request.status === 'open' && Date.parse(request.endsAt) <= at.getTime() ? 'expired' : request.status;
}

export const dayAndSpan = (span: Span) => `${dateText(span.start)} ${rangeText(span)}`;

// ------------------------------------------------------------------ who may take it

export type Taker = { readonly person: Person; readonly level: Level | null };

/**
 * Whether `personId` may take `part` of the request: a person of the center, counted
 * in this room through the whole part at a level some seat takes, and not planned
 * anywhere else in it. The part must lie in the window and not be over.
 */
export async function checkTaker(scene: CoverScene, request: CoverRequest, personId: string, part: Span, at: Date, self: boolean): Promise<Outcome<Taker>> {
  const { db, center, pack, categories, zone } = scene;
  const window = windowOf(request, zone);
  const you = (yes: string, no: string) => (self ? yes : no);
  if (scene.room.archivedAt !== null) return no('gone', `${scene.room.name} is archived: nobody can be planned there.`);
  if (!(part.start < part.end)) return no('bad_part', 'The end must be after the start.', 'end');
  if (part.start < window.start || part.end > window.end) return no('bad_part', `Choose a part within ${rangeText(window)}.`, 'start');
  if (part.end.toMillis() <= at.getTime()) return no('bad_part', 'That part is already over. Choose a later end.', 'end');
  const person = await findPersonInCenter(db, center.id, personId);
  if (!person || person.archivedAt !== null) return no('no_person', self ? 'Your account is not linked to a person on file here. Ask a director to link it.' : 'Choose a person from the list.', 'personId');
  const onFile = personOnFile(person, await listTrainingRecordsOfPerson(db, center.id, person.id));
  const judged = eligibilityFor(pack, onFile, categories, part);
  if (!judged.eligible) {
    return no('not_eligible', `${you('You are', `${person.displayName} is`)} not counted in ${scene.room.name} through ${rangeText(part)}: ${judged.missing.map(reasonText).join('; ')}.`, 'personId');
  }
  const levels = seatLevels(request.peopleNeeded, request.needs);
  if (!levels.some((l) => meetsLevel(pack, judged.countsAs, l))) {
    const need = lowestLevel(pack, levels);
    return no('not_eligible', `This cover needs at least ${levelLabel(pack, need)}; ${you('you count', `${person.displayName} counts`)} as ${levelLabel(pack, judged.countsAs)}.`, 'personId');
  }
  const clash = (await listShiftsOfPersonBetween(db, person.id, part.start.toJSDate(), part.end.toJSDate()))[0];
  if (clash) {
    const rooms = await listRoomsInCenter(db, center.id, { includeArchived: true });
    const where = rooms.find((r) => r.id === clash.roomId)?.name ?? 'another room';
    const what = clash.coverRequestId === request.id ? `already ${you('have', 'has')} part of this cover` : `${you('are', 'is')} planned in ${where}`;
    return no('busy', `${you('You', person.displayName)} ${what} ${rangeText(spanOf(clash.startsAt, clash.endsAt, zone))}.`, 'start');
  }
  return ok({ person, level: judged.countsAs });
}

const no = (code: RefusalCode, message: string, field?: string): Err<CoverRefusal> => err({ code, message, field });

// ------------------------------------------------------------------ claim and assign

export type Taken = { readonly claim: CoverClaim; readonly request: CoverRequest; readonly status: CoverStatus };

/**
 * A claim (the person takes it themselves) or an assignment (a director names them).
 * An assignment, and a claim where the first claim fills, is accepted at once and
 * becomes a planned shift in the room in the same transaction; a claim where a
 * director approves stays pending. The first valid one wins: the version's
 * conditional update refuses a second that read the same state.
 */
export async function takeCover(
  scene: CoverScene,
  member: CenterMember,
  request: CoverRequest,
  taker: Taker,
  part: Span,
  kind: 'claim' | 'assignment',
  at: Date,
): Promise<Outcome<Taken>> {
  const { db, center, pack, room, zone } = scene;
  const accepted = kind === 'assignment' || center.claimMode === 'first_claim';
  const [directors, users] = await Promise.all([listDirectorsOfCenter(db, center.id), listUsersOfPeople(db, center.id, [taker.person.id])]);
  const takerUser = users.get(taker.person.id) ?? null;
  const window = windowOf(request, zone);
  return attempt(db, async (trx) => {
    const fresh = await findCoverRequestInCenter(trx, center.id, request.id);
    if (!fresh) return refuse('gone', 'This request no longer exists.');
    if (fresh.status !== 'open') throw new Refusal(STATUS_REFUSALS[fresh.status]);
    if (Date.parse(fresh.endsAt) <= at.getTime()) return refuse('ended', STATUS_REFUSALS.expired.message);
    const claims = await listClaimsOfRequests(trx, [fresh.id]);
    const seats = seatsOf(fresh, claims, zone);
    const seat = chooseSeat(pack, window, seats, part, taker.level);
    if (seat === null) {
      if (openNeeds(window, seats).length === 0) return refuse('filled', STATUS_REFUSALS.filled.message);
      return refuse('part_taken', `${rangeText(part)} is no longer open. Still open: ${openNeeds(window, seats).map((n) => rangeText(n)).join(', ')}.`, 'start');
    }
    const shiftId = accepted
      ? await insertShift(
          trx,
          {
            centerId: center.id,
            roomId: room.id,
            personId: taker.person.id,
            day: part.start.toISODate()!,
            startsAt: part.start.toJSDate(),
            endsAt: part.end.toJSDate(),
            source: 'cover',
            coverRequestId: fresh.id,
            createdByUserId: member.userId,
          },
          at,
        )
      : null;
    const inserted = await insertCoverClaim(
      trx,
      { coverRequestId: fresh.id, centerId: center.id, personId: taker.person.id, seat, startsAt: part.start.toJSDate(), endsAt: part.end.toJSDate(), kind, status: accepted ? 'accepted' : 'pending', shiftId, userId: member.userId },
      at,
    );
    if (!inserted.ok) return refuse('already_claimed', kind === 'claim' ? 'You already claimed this request.' : `${taker.person.displayName} already holds part of this request.`);
    let status: CoverStatus = 'open';
    if (accepted) {
      const after = seats.map((s, i) => (i === seat ? { ...s, taken: [...s.taken, part] } : s));
      status = openNeeds(window, after).length === 0 ? 'filled' : 'open';
      if (!(await advanceCoverRequest(trx, fresh.id, fresh.version, { status, at }))) return refuse('raced', 'raced');
      if (status === 'filled') {
        const declined = await declinePending(trx, scene, member.userId, claims, at);
        await tellNoLongerNeeded(trx, scene, fresh, 'filled', [member.userId, takerUser, fresh.createdByUserId, ...directors, ...declined], at);
      }
    }
    const event = kind === 'assignment' ? 'assigned' : 'claimed';
    await addCoverEvent(trx, { coverRequestId: fresh.id, centerId: center.id, kind: event, actorUserId: member.userId, personId: taker.person.id, startsAt: inserted.claim.startsAt, endsAt: inserted.claim.endsAt }, at);
    await appendAudit(trx, {
      ...actedBy(member, at),
      action: `cover_request.${event}`,
      recordType: 'cover_request',
      recordId: fresh.id,
      before: { status: fresh.status },
      after: { status, claimId: inserted.claim.id, personId: taker.person.id, seat, startsAt: inserted.claim.startsAt, endsAt: inserted.claim.endsAt, claimStatus: inserted.claim.status, shiftId },
    });
    const words = `${room.name}, ${dayAndSpan(part)}`;
    const name = taker.person.displayName;
    const link = `/centers/${center.id}/cover-requests/${fresh.id}`;
    const watchers = [fresh.createdByUserId, ...directors].filter((u): u is string => u !== null && u !== member.userId && u !== takerUser);
    const body =
      kind === 'assignment'
        ? `${name} was assigned to cover ${words}.`
        : accepted
          ? `${name} took the cover in ${words}.${status === 'filled' ? ' The request is filled.' : ''}`
          : `${name} asks to take the cover in ${words}. Approve or decline it.`;
    await notify(trx, watchers, center.id, kind === 'assignment' ? 'cover_assigned' : 'cover_claimed', body, link, fresh.id, at);
    if (kind === 'assignment' && takerUser && takerUser !== member.userId) {
      await notify(trx, [takerUser], center.id, 'cover_assigned', `You are assigned to cover ${words}.`, `/centers/${center.id}/cover`, fresh.id, at);
    }
    return { claim: inserted.claim, request: { ...fresh, status, version: accepted ? fresh.version + 1 : fresh.version }, status };
  });
}

async function notify(trx: Knex.Transaction, to: readonly string[], centerId: string, kind: NoticeKind, body: string, link: string, coverRequestId: string, at: Date) {
  await alert(trx, to, { centerId, kind, body, link, coverRequestId }, at);
}

const OPENING_KINDS = ['cover_request_new', 'help_request'] as const;

/**
 * A request filled or cancelled: those told of it as an opening hear it is no longer
 * needed (but `except`, who hear of it in their own words). An opening's email that has
 * not gone out yet (held by quiet hours, waiting for a retry) is dropped, and its
 * person gets the notice in the app only: no email about what they never received.
 */
async function tellNoLongerNeeded(trx: Knex.Transaction, scene: CoverScene, request: CoverRequest, how: 'filled' | 'cancelled', except: Iterable<string | null>, at: Date) {
  const skip = new Set(except);
  const told = [...(await listUsersToldOfRequest(trx, request.id))].filter((u) => !skip.has(u));
  await dropQueuedOpenings(trx, request.id, OPENING_KINDS, at);
  if (told.length === 0) return;
  const emailed = await listUsersSentOpening(trx, request.id, OPENING_KINDS);
  const window = windowOf(request, scene.zone);
  await alert(
    trx,
    told,
    {
      centerId: scene.center.id,
      kind: 'cover_not_needed',
      body: `The cover in ${scene.room.name}, ${dayAndSpan(window)} is no longer needed: it was ${how}.`,
      link: `/centers/${scene.center.id}/cover`,
      coverRequestId: request.id,
      dedupeKey: `cover_closed:${request.id}:${request.version}`,
    },
    at,
    { noEmail: new Set(told.filter((u) => !emailed.has(u))) },
  );
}

/** A filled request needs no more claims: those still pending are declined, and their people told. Answers those told. */
async function declinePending(trx: Knex.Transaction, scene: CoverScene, userId: string | null, claims: readonly CoverClaim[], at: Date, except?: string): Promise<string[]> {
  const pending = claims.filter((c) => c.status === 'pending' && c.id !== except);
  const declined: string[] = [];
  if (pending.length === 0) return declined;
  const users = await listUsersOfPeople(trx, scene.center.id, pending.map((c) => c.personId));
  for (const c of pending) {
    if (!(await closeCoverClaim(trx, c.id, 'declined', ['pending'], userId, at))) continue;
    await addCoverEvent(trx, { coverRequestId: c.coverRequestId, centerId: scene.center.id, kind: 'declined', actorUserId: userId, personId: c.personId, startsAt: c.startsAt, endsAt: c.endsAt }, at);
    const user = users.get(c.personId);
    if (user) {
      declined.push(user);
      await notify(trx, [user], scene.center.id, 'cover_declined', `The cover in ${scene.room.name}, ${dayAndSpan(spanOf(c.startsAt, c.endsAt, scene.zone))} was filled by someone else.`, `/centers/${scene.center.id}/cover`, c.coverRequestId, at);
    }
  }
  return declined;
}

// ------------------------------------------------------------------ approve and decline

/** A director accepts a pending claim: it becomes a shift, if its part is still open. */
export async function approveClaim(scene: CoverScene, member: CenterMember, request: CoverRequest, claim: CoverClaim, at: Date): Promise<Outcome<Taken>> {
  const { db, center, pack, room, zone } = scene;
  const part = spanOf(claim.startsAt, claim.endsAt, zone);
  const check = await checkTaker(scene, request, claim.personId, part, at, false);
  if (!check.ok) return check;
  const users = await listUsersOfPeople(db, center.id, [claim.personId]);
  const window = windowOf(request, zone);
  return attempt(db, async (trx) => {
    const fresh = await findCoverRequestInCenter(trx, center.id, request.id);
    if (!fresh) return refuse('gone', 'This request no longer exists.');
    if (fresh.status !== 'open') throw new Refusal(STATUS_REFUSALS[fresh.status]);
    const claims = await listClaimsOfRequests(trx, [fresh.id]);
    const seats = seatsOf(fresh, claims, zone);
    const seat = chooseSeat(pack, window, seats, part, check.value.level);
    if (seat === null) return refuse('part_taken', `${rangeText(part)} is no longer open: someone else took it.`);
    const shiftId = await insertShift(
      trx,
      { centerId: center.id, roomId: room.id, personId: claim.personId, day: part.start.toISODate()!, startsAt: part.start.toJSDate(), endsAt: part.end.toJSDate(), source: 'cover', coverRequestId: fresh.id, createdByUserId: member.userId },
      at,
    );
    if (!(await acceptCoverClaim(trx, claim.id, seat, shiftId, member.userId, at))) return refuse('gone', 'This claim is no longer waiting for approval.');
    const after = seats.map((s, i) => (i === seat ? { ...s, taken: [...s.taken, part] } : s));
    const status: CoverStatus = openNeeds(window, after).length === 0 ? 'filled' : 'open';
    if (!(await advanceCoverRequest(trx, fresh.id, fresh.version, { status, at }))) return refuse('raced', 'raced');
    if (status === 'filled') {
      const declined = await declinePending(trx, scene, member.userId, claims, at, claim.id);
      await tellNoLongerNeeded(trx, scene, fresh, 'filled', [member.userId, users.get(claim.personId) ?? null, fresh.createdByUserId, ...declined], at);
    }
    await addCoverEvent(trx, { coverRequestId: fresh.id, centerId: center.id, kind: 'approved', actorUserId: member.userId, personId: claim.personId, startsAt: claim.startsAt, endsAt: claim.endsAt }, at);
    await appendAudit(trx, {
      ...actedBy(member, at),
      action: 'cover_request.approved',
      recordType: 'cover_request',
      recordId: fresh.id,
      before: { status: fresh.status, claimStatus: 'pending' },
      after: { status, claimId: claim.id, personId: claim.personId, seat, claimStatus: 'accepted', shiftId },
    });
    const user = users.get(claim.personId);
    const words = `${room.name}, ${dayAndSpan(part)}`;
    if (user && user !== member.userId) await notify(trx, [user], center.id, 'cover_approved', `Your cover in ${words} is approved.`, `/centers/${center.id}/cover`, fresh.id, at);
    const requester = fresh.createdByUserId;
    if (requester && requester !== member.userId && requester !== user) {
      await notify(trx, [requester], center.id, 'cover_approved', `${check.value.person.displayName} will cover ${words}.`, `/centers/${center.id}/cover-requests/${fresh.id}`, fresh.id, at);
    }
    return { claim: { ...claim, status: 'accepted' as const, seat, shiftId }, request: { ...fresh, status }, status };
  });
}

/** A director says no to a pending claim. */
export async function declineClaim(scene: CoverScene, member: CenterMember, claim: CoverClaim, at: Date): Promise<Outcome<CoverClaim>> {
  const { db, center, room, zone } = scene;
  const users = await listUsersOfPeople(db, center.id, [claim.personId]);
  return attempt(db, async (trx) => {
    if (!(await closeCoverClaim(trx, claim.id, 'declined', ['pending'], member.userId, at))) return refuse('gone', 'This claim is no longer waiting for approval.');
    await addCoverEvent(trx, { coverRequestId: claim.coverRequestId, centerId: center.id, kind: 'declined', actorUserId: member.userId, personId: claim.personId, startsAt: claim.startsAt, endsAt: claim.endsAt }, at);
    await appendAudit(trx, { ...actedBy(member, at), action: 'cover_request.declined', recordType: 'cover_request', recordId: claim.coverRequestId, before: { claimStatus: 'pending' }, after: { claimId: claim.id, personId: claim.personId, claimStatus: 'declined' } });
    const user = users.get(claim.personId);
    if (user && user !== member.userId) {
      await notify(trx, [user], center.id, 'cover_declined', `Your claim for ${room.name}, ${dayAndSpan(spanOf(claim.startsAt, claim.endsAt, zone))} was declined.`, `/centers/${center.id}/cover`, claim.coverRequestId, at);
    }
    return { ...claim, status: 'declined' as const };
  });
}

// ------------------------------------------------------------------ withdraw

/**
 * The person takes back their claim: an accepted one's shift is cancelled and the
 * request opens again (its part is open, the room's forecast short again); the
 * requester and the directors are told.
 */
export async function withdrawClaim(scene: CoverScene, member: CenterMember, request: CoverRequest, claim: CoverClaim, person: Person, at: Date): Promise<Outcome<CoverRequest>> {
  const { db, center, room, zone } = scene;
  if (claim.status === 'accepted' && Date.parse(claim.endsAt) <= at.getTime()) return no('ended', 'That cover is already over.');
  const directors = await listDirectorsOfCenter(db, center.id);
  return attempt(db, async (trx) => {
    const fresh = await findCoverRequestInCenter(trx, center.id, request.id);
    if (!fresh) return refuse('gone', 'This request no longer exists.');
    if (!(await closeCoverClaim(trx, claim.id, 'withdrawn', ['pending', 'accepted'], member.userId, at))) return refuse('gone', 'You no longer hold this cover.');
    let status = fresh.status;
    if (claim.status === 'accepted') {
      if (claim.shiftId) await cancelShift(trx, center.id, claim.shiftId, member.userId, at);
      const stillRunning = Date.parse(fresh.endsAt) > at.getTime();
      if ((fresh.status === 'filled' || fresh.status === 'open') && stillRunning) {
        status = 'open';
        if (!(await advanceCoverRequest(trx, fresh.id, fresh.version, { status, at }, ['open', 'filled']))) return refuse('raced', 'raced');
      }
    }
    await addCoverEvent(trx, { coverRequestId: fresh.id, centerId: center.id, kind: 'withdrawn', actorUserId: member.userId, personId: claim.personId, startsAt: claim.startsAt, endsAt: claim.endsAt }, at);
    await appendAudit(trx, {
      ...actedBy(member, at),
      action: 'cover_request.withdrawn',
      recordType: 'cover_request',
      recordId: fresh.id,
      before: { status: fresh.status, claimStatus: claim.status },
      after: { status, claimId: claim.id, personId: claim.personId, claimStatus: 'withdrawn', shiftCancelled: claim.shiftId },
    });
    const words = `${room.name}, ${dayAndSpan(spanOf(claim.startsAt, claim.endsAt, zone))}`;
    const watchers = [fresh.createdByUserId, ...directors].filter((u): u is string => u !== null && u !== member.userId);
    await notify(trx, watchers, center.id, 'cover_withdrawn', `${person.displayName} withdrew from the cover in ${words}.${status === 'open' ? ' It is open again.' : ''}`, `/centers/${center.id}/cover-requests/${fresh.id}`, fresh.id, at);
    return { ...fresh, status };
  });
}

// ------------------------------------------------------------------ cancel and expire

/** Cancels an open or filled request: its accepted claims' shifts are cancelled and their people told. */
export async function cancelRequest(scene: CoverScene, member: CenterMember, request: CoverRequest, at: Date): Promise<Outcome<CoverRequest>> {
  const { db, center, room, zone } = scene;
  const claims = await listClaimsOfRequests(db, [request.id]);
  const users = await listUsersOfPeople(db, center.id, [...new Set(claims.map((c) => c.personId))]);
  return attempt(db, async (trx) => {
    const fresh = await findCoverRequestInCenter(trx, center.id, request.id);
    if (!fresh) return refuse('gone', 'This request no longer exists.');
    if (fresh.status === 'cancelled' || fresh.status === 'expired') throw new Refusal(STATUS_REFUSALS[fresh.status]);
    if (Date.parse(fresh.endsAt) <= at.getTime()) return refuse('ended', 'Its window has ended: there is nothing left to cancel.');
    if (!(await advanceCoverRequest(trx, fresh.id, fresh.version, { status: 'cancelled', at }, ['open', 'filled']))) return refuse('raced', 'raced');
    const live = (await listClaimsOfRequests(trx, [fresh.id])).filter((c) => c.closedAt === null);
    const told: string[] = [];
    for (const c of live) {
      if (c.status === 'accepted' && c.shiftId) await cancelShift(trx, center.id, c.shiftId, member.userId, at);
      await closeCoverClaim(trx, c.id, c.status === 'accepted' ? 'cancelled' : 'declined', [c.status as 'pending' | 'accepted'], member.userId, at);
      const user = users.get(c.personId);
      if (user && user !== member.userId) told.push(user);
    }
    await addCoverEvent(trx, { coverRequestId: fresh.id, centerId: center.id, kind: 'cancelled', actorUserId: member.userId }, at);
    await appendAudit(trx, {
      ...actedBy(member, at),
      action: 'cover_request.cancelled',
      recordType: 'cover_request',
      recordId: fresh.id,
      before: { status: fresh.status },
      after: { status: 'cancelled', claimsEnded: live.map((c) => c.id) },
    });
    await notify(trx, told, center.id, 'cover_cancelled', `The cover in ${room.name}, ${dayAndSpan(windowOf(fresh, zone))} was cancelled. You are no longer needed for it.`, `/centers/${center.id}/cover`, fresh.id, at);
    await tellNoLongerNeeded(trx, scene, fresh, 'cancelled', [member.userId, ...told], at);
    return { ...fresh, status: 'cancelled' as const };
  });
}

/**
 * Stores "expired" on the center's open requests whose window has ended (each in its
 * own transaction, with its history and audit entries, by nobody); pending claims on
 * them are declined. Safe to run on every page: a request already moved is skipped.
 */
export async function expireEndedRequests(db: Knex, center: Center, at: Date): Promise<number> {
  const ended = await listEndedOpenCoverRequests(db, center.id, at);
  let n = 0;
  for (const request of ended) {
    const done = await db.transaction(async (trx) => {
      if (!(await advanceCoverRequest(trx, request.id, request.version, { status: 'expired', at }))) return false;
      const pending = (await listClaimsOfRequests(trx, [request.id])).filter((c) => c.status === 'pending');
      for (const c of pending) await closeCoverClaim(trx, c.id, 'declined', ['pending'], null, at);
      await addCoverEvent(trx, { coverRequestId: request.id, centerId: center.id, kind: 'expired', actorUserId: null }, at);
      await appendAudit(trx, {
        at,
        organizationId: center.organizationId,
        centerId: center.id,
        actorUserId: null,
        action: 'cover_request.expired',
        recordType: 'cover_request',
        recordId: request.id,
        before: { status: 'open' },
        after: { status: 'expired', endedAt: request.endsAt },
      });
      return true;
    });
    if (done) n++;
  }
  return n;
}
