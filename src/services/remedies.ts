import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { appendAudit } from '../db/audit.js';
import type { CenterMember } from '../db/memberships.js';
import { endRoomMerge, findMergeInCenter, insertRoomMerge, mergeEnd, type RoomMerge } from '../db/room-merges.js';
import { closePresence, findOpenPresence, openPresence } from '../db/presences.js';
import type { Center } from '../db/rows.js';
import { addShiftBreak, changeShift, deleteShiftBreak, insertShift, listShiftsOfPersonBetween, type Shift } from '../db/shifts.js';
import { toPersonInRoom } from '../domain/eligibility.js';
import {
  findRemedies,
  recheckRemedy,
  thinHours,
  type CallInRemedy,
  type MergeRemedy,
  type MoveRemedy,
  type NotOffered,
  type Refusal,
  type Remedy,
  type RemedyInput,
  type RemedyPanel,
  type RemedyPerson,
  type RemedyRoom,
  type ThinHourCombination,
} from '../domain/remedies/index.js';
import type { RemedyNames } from '../words/remedies.js';
import { loadCenterDay, type CenterDay } from './center-forecast.js';
import { loadCandidatePool } from './cover/candidates.js';
import { dayOf, ensureDayPlan, instantOnDay } from './day-plan.js';
import { commitChange, type ChangedState } from './presence-writes.js';
import type { CoverRequest } from '../db/cover-requests.js';
import { windowOf, type CoverScene } from './cover/flow.js';
import { openingAlert } from './cover/openings.js';
import { notify } from './notify.js';

/**
 * What could fix one cover need, from the center's day as the forecast loads it
 * (`loadCenterDay`: reality before plan) and the people who might be called in
 * (`loadCandidatePool`: availability, hours, who knows the room), searched by the
 * domain (`findRemedies`), and the move a director takes from it (`takeMove`), checked
 * again on the day as it is then (`recheckRemedy`) before anything is written.
 */

/** A room short of counted people for a window (epoch ms, half-open). */
export type NeedWindow = { readonly roomId: string; readonly start: number; readonly end: number };

/** How many of each kind the panel shows. */
export const PANEL_LIMITS = { nobodyNew: 3, callIns: 5, notOffered: 12 } as const;

export type RemediesView = {
  readonly input: RemedyInput;
  readonly panel: RemedyPanel;
  /** Moves and merges (nobody new), best first, at most PANEL_LIMITS.nobodyNew. */
  readonly nobodyNew: readonly Remedy[];
  readonly callIns: readonly CallInRemedy[];
  readonly notOffered: readonly NotOffered[];
  readonly names: RemedyNames;
  readonly loaded: CenterDay;
};

/** The remedy search's input for `need` on the center's day of its start, as of `now`. */
export async function remedyInputFor(db: Knex, center: Center, need: NeedWindow, now: Date): Promise<{ input: RemedyInput; names: RemedyNames; loaded: CenterDay }> {
  const day = dayOf(center, new Date(need.start));
  const loaded = await loadCenterDay(db, center, now, { day });
  const zone = center.timeZone;
  const window = { start: DateTime.fromMillis(need.start, { zone }), end: DateTime.fromMillis(need.end, { zone }) };
  const pool = await loadCandidatePool(db, center, need.roomId, window, now);

  const rooms: RemedyRoom[] = loaded.rooms.map((room) => {
    const input = loaded.inputs.get(room.id)!;
    return { id: room.id, day: input.roomDay, personIds: input.people.map((p) => p.person.id), capacity: room.licensedCapacity ?? null };
  });
  const people: RemedyPerson[] = pool.candidates
    .filter((c) => pool.people.get(c.id)?.archivedAt == null)
    .map((c) => ({
      id: c.id,
      name: c.name,
      person: toPersonInRoom(c.person),
      pending: c.person.trainings.filter((t) => t.status === 'submitted').map((t) => ({ id: t.trainingId, completedOn: t.completedOn })),
      available: c.available.map((s) => ({ start: s.start.toMillis(), end: s.end.toMillis() })),
      hoursThisWeek: Math.round(c.hoursThisWeek * 10) / 10,
      knowsRooms: c.knowsRoom ? [need.roomId] : [],
    }));
  const roomNames = new Map(loaded.rooms.map((r) => [r.id, r.name]));
  const personNames = new Map<string, string>();
  for (const [id, p] of loaded.people) personNames.set(id, p.displayName);
  for (const [id, p] of pool.people) personNames.set(id, p.displayName);
  const names: RemedyNames = {
    room: (id) => roomNames.get(id) ?? 'another room',
    person: (id) => personNames.get(id) ?? 'someone',
    day,
    zone,
  };
  const input: RemedyInput = { pack: loaded.pack, zone, date: day, rooms, people, need: { room: need.roomId, start: need.start, end: need.end }, now: now.getTime() };
  return { input, names, loaded };
}

/** The panel for `need`: the ranked remedies, the first few of each kind, and who is not offered with why. */
export async function remediesFor(db: Knex, center: Center, need: NeedWindow, now: Date): Promise<RemediesView> {
  const { input, names, loaded } = await remedyInputFor(db, center, need, now);
  const panel = findRemedies(input);
  return {
    input,
    panel,
    nobodyNew: panel.remedies.filter((r) => r.kind !== 'call_in').slice(0, PANEL_LIMITS.nobodyNew),
    callIns: panel.remedies.filter((r): r is CallInRemedy => r.kind === 'call_in').slice(0, PANEL_LIMITS.callIns),
    notOffered: panel.notOffered.slice(0, PANEL_LIMITS.notOffered),
    names,
    loaded,
  };
}

/** The legal combinations that free staff at the center's opening and closing on `day`. */
export async function thinHoursOf(db: Knex, center: Center, day: string, now: Date): Promise<{ combinations: ThinHourCombination[]; names: RemedyNames }> {
  return thinHoursOfDay(center, await loadCenterDay(db, center, now, { day }));
}

/** `thinHoursOf` for a day already loaded (the day plan loads it once for its forecast too), reading nothing. */
export function thinHoursOfDay(center: Center, loaded: CenterDay): { combinations: ThinHourCombination[]; names: RemedyNames } {
  const { day } = loaded;
  const rooms: RemedyRoom[] = loaded.rooms.map((room) => {
    const input = loaded.inputs.get(room.id)!;
    return { id: room.id, day: input.roomDay, personIds: input.people.map((p) => p.person.id), capacity: room.licensedCapacity ?? null };
  });
  const opens = instantOnDay(day, center.opensAt, center.timeZone);
  const closes = instantOnDay(day, center.closesAt, center.timeZone);
  const roomNames = new Map(loaded.rooms.map((r) => [r.id, r.name]));
  const names: RemedyNames = { room: (id) => roomNames.get(id) ?? 'another room', person: (id) => loaded.people.get(id)?.displayName ?? 'someone', day, zone: center.timeZone };
  if (!(opens < closes)) return { combinations: [], names };
  return { combinations: thinHours({ pack: loaded.pack, zone: center.timeZone, date: day, rooms, opens, closes }), names };
}

// ---------------------------------------------------------------- keys

/** A remedy's key as the panel's forms send it back, read: who and where, never trusted beyond finding the remedy again. */
export type KeyOf =
  | { readonly kind: 'move'; readonly person: string; readonly from: string; readonly to: string; readonly start: number; readonly end: number }
  | { readonly kind: 'merge'; readonly from: string; readonly into: string; readonly start: number; readonly end: number }
  | { readonly kind: 'call_in'; readonly people: readonly { person: string; start: number; end: number }[] };

const ID = '[0-9A-Za-z-]{1,64}';
const MOVE_KEY = new RegExp(`^move:(${ID}):(${ID})>(${ID})@(\\d{1,15})-(\\d{1,15})$`);
const MERGE_KEY = new RegExp(`^merge:(${ID})>(${ID})@(\\d{1,15})-(\\d{1,15})$`);
const PART = new RegExp(`^(${ID})@(\\d{1,15})-(\\d{1,15})$`);

export function readKey(key: string): KeyOf | null {
  if (key.length > 400) return null;
  const m = MOVE_KEY.exec(key);
  if (m) return { kind: 'move', person: m[1]!, from: m[2]!, to: m[3]!, start: Number(m[4]), end: Number(m[5]) };
  const g = MERGE_KEY.exec(key);
  if (g) return { kind: 'merge', from: g[1]!, into: g[2]!, start: Number(g[3]), end: Number(g[4]) };
  if (key.startsWith('call_in:')) {
    const parts = key.slice('call_in:'.length).split('+').map((p) => PART.exec(p));
    if (parts.length === 0 || parts.length > 2 || parts.some((p) => !p)) return null;
    return { kind: 'call_in', people: parts.map((p) => ({ person: p![1]!, start: Number(p![2]), end: Number(p![3]) })) };
  }
  return null;
}

/** The same remedy found again on a fresh panel: by key, else by who (a need shown a minute ago starts a minute later now). */
export function findAgain(panel: RemedyPanel, key: string, read: KeyOf): Remedy | undefined {
  const exact = panel.remedies.find((r) => r.key === key);
  if (exact) return exact;
  if (read.kind === 'move') return panel.remedies.find((r) => r.kind === 'move' && r.person === read.person && r.from === read.from);
  if (read.kind === 'merge') return panel.remedies.find((r) => r.kind === 'merge' && r.from === read.from && r.into === read.into);
  const who = read.people.map((p) => p.person).join('+');
  return panel.remedies.find((r) => r.kind === 'call_in' && r.coverage !== 'today' && r.people.map((p) => p.person).join('+') === who);
}

// ---------------------------------------------------------------- the move

export type MoveRefused = { readonly code: 'refused'; readonly why: Refusal | null } | { readonly code: 'gone' };

export type Moved = {
  readonly remedy: MoveRemedy;
  /** Whether their presence moved too (present in the source room, the window starting now). */
  readonly presenceMoved: boolean;
  readonly shiftIds: readonly string[];
  readonly state: ChangedState;
};

/** Within this much of now, a window "starts now" (the panel's need starts at the minute it was shown). */
const STARTS_NOW_MS = 2 * 60_000;


/**
 * A remedy checked again inside the write's transaction, on the day as it is now (nothing
 * can change it between the check and the write): found again by its key in a fresh
 * search, else `probe` (what the key names, judged as it stands).
 */
async function recheckInside<R extends MoveRemedy | MergeRemedy>(
  trx: Knex.Transaction,
  center: Center,
  need: NeedWindow,
  now: Date,
  key: string,
  read: KeyOf,
  probe: R,
): Promise<{ fresh: Awaited<ReturnType<typeof remedyInputFor>>; checked: ReturnType<typeof recheckRemedy> }> {
  const fresh = await remedyInputFor(trx, center, need, now);
  const found = findAgain(findRemedies(fresh.input), key, read);
  return { fresh, checked: recheckRemedy(fresh.input, found?.kind === probe.kind ? found : probe) };
}
/**
 * Takes the move `key` names for `need`: checked again on the day as it is now (a move
 * that became illegal is refused with the reason, nothing stored), then, in one
 * transaction with its audit entry, the person's planned shifts in the room they leave
 * are cut around the window and a shift in the need room added for it; if they are in
 * the source room now and the window starts now, their presence moves too (through the
 * group commit, so status history and the boards' cards stay right).
 */
export async function takeMove(
  db: Knex,
  center: Center,
  member: CenterMember,
  need: NeedWindow,
  key: string,
  read: Extract<KeyOf, { kind: 'move' }>,
  now: Date,
): Promise<({ ok: true; value: Moved } | { ok: false; error: MoveRefused }) & { readonly names: RemedyNames }> {
  // The day's plan is made before its shifts are cut (a day not made yet has no rows to cut).
  await ensureDayPlan(db, center, dayOf(center, new Date(need.start)), now);
  const at = now;
  let names: RemedyNames | undefined;
  let remedy!: MoveRemedy;
  const outcome = await commitChange(db, center, at, [read.from, read.to], async (trx) => {
    // Checked again inside the transaction, on the day as it is now: nothing can change it between the check and the write.
    const { fresh, checked } = await recheckInside(trx, center, need, now, key, read, {
      kind: 'move', key, person: read.person, from: read.from, to: read.to, start: need.start, end: need.end,
      source: { room: read.from, margin: 0, stillShort: 0 }, target: { room: read.to, margin: 0, stillShort: 0 }, label: { code: 'free', params: {} }, rank: [],
    });
    names = fresh.names;
    if (!checked.ok || checked.remedy.kind !== 'move') return { ok: false as const, error: { code: 'refused', why: checked.ok ? null : checked.why } as MoveRefused };
    remedy = checked.remedy;
    if (!fresh.loaded.people.has(remedy.person)) return { ok: false as const, error: { code: 'gone' } as MoveRefused };
    const loaded = fresh.loaded;
    const startsNow = remedy.start <= now.getTime() + STARTS_NOW_MS;
    const shifts = (await listShiftsOfPersonBetween(trx, remedy.person, new Date(remedy.start), new Date(remedy.end))).filter((s) => s.centerId === center.id && s.roomId === remedy.from);
    const written: string[] = [];
    const before: unknown[] = [];
    for (const s of shifts) {
      before.push({ id: s.id, roomId: s.roomId, startsAt: s.startsAt, endsAt: s.endsAt });
      written.push(...(await cutShift(trx, center, member, s, remedy, at)));
    }
    let presenceMoved = false;
    if (startsNow) {
      const open = await findOpenPresence(trx, 'person', center.id, remedy.person);
      if (open && open.roomId === remedy.from) {
        await closePresence(trx, 'person', { centerId: center.id, roomId: remedy.from, subjectId: remedy.person, at, userId: member.userId });
        const opened = await openPresence(trx, 'person', { centerId: center.id, roomId: remedy.to, subjectId: remedy.person, at, userId: member.userId });
        if (!opened.ok) return { ok: false as const, error: { code: 'refused', why: { code: 'already_in_room', params: { room: remedy.to } } } as MoveRefused };
        presenceMoved = true;
      }
    }
    if (shifts.length === 0 && !presenceMoved) return { ok: false as const, error: { code: 'refused', why: { code: 'not_in_room', params: { room: remedy.from } } } as MoveRefused };
    if (shifts.length === 0) {
      // Present with no planned shift in the window: the time they join for is planned in the need room.
      written.push(await insertShift(trx, { centerId: center.id, roomId: remedy.to, personId: remedy.person, day: loaded.day, startsAt: new Date(Math.max(remedy.start, at.getTime())), endsAt: new Date(remedy.end), source: 'plan', createdByUserId: member.userId }, at));
    }
    await appendAudit(trx, {
      at,
      organizationId: center.organizationId,
      centerId: center.id,
      actorUserId: member.userId,
      action: 'remedy.move_taken',
      recordType: 'shift',
      recordId: written[0] ?? remedy.person,
      before: { shifts: before },
      after: { personId: remedy.person, fromRoomId: remedy.from, toRoomId: remedy.to, startsAt: new Date(remedy.start).toISOString(), endsAt: new Date(remedy.end).toISOString(), shiftIds: written, presenceMoved },
    });
    return { ok: true as const, value: { presenceMoved, shiftIds: written }, cause: 'staff moved to cover' };
  });
  names ??= (await remedyInputFor(db, center, need, now)).names;
  if (!outcome.ok) return { ok: false, error: outcome.error, names };
  return { ok: true, value: { remedy, presenceMoved: outcome.value.presenceMoved, shiftIds: outcome.value.shiftIds, state: outcome.state }, names };
}

// ---------------------------------------------------------------- ask one person

/**
 * Tells one person of a cover request (the call-in list's "Ask Jo Nguyen"): the same
 * opening notice the request's waves send, to them only, with its outbox rows in one
 * transaction. Answers 0 when they had already been told of it (once per person and request).
 */
export async function tellOfRequest(db: Knex, scene: CoverScene, request: CoverRequest, userId: string, at: Date): Promise<number> {
  return db.transaction((trx) => notify(trx, [userId], openingAlert(scene, request, windowOf(request, scene.zone)), at));
}

// ---------------------------------------------------------------- combine rooms

export type Merged = {
  readonly remedy: MergeRemedy;
  readonly merge: RoomMerge;
  readonly state: ChangedState;
};

/**
 * Takes the merge `key` names for `need`: checked again inside the transaction on the
 * day as it is then (a combination that became illegal — a child checked in, staff
 * gone — is refused with the reason, nothing stored), then the merge is recorded for
 * the window with its audit entry. Nothing else is written: the rooms are judged
 * through the merge wherever they are loaded (`domain/merges.ts`), and the two rooms'
 * status history is recorded by the group commit.
 */
export async function takeMerge(
  db: Knex,
  center: Center,
  member: CenterMember,
  need: NeedWindow,
  key: string,
  read: Extract<KeyOf, { kind: 'merge' }>,
  now: Date,
): Promise<({ ok: true; value: Merged } | { ok: false; error: MoveRefused }) & { readonly names: RemedyNames }> {
  let names: RemedyNames | undefined;
  let remedy!: MergeRemedy;
  const outcome = await commitChange(db, center, now, [read.from, read.into], async (trx) => {
    const { fresh, checked } = await recheckInside(trx, center, need, now, key, read, {
      kind: 'merge', key, from: read.from, into: read.into, start: need.start, end: need.end,
      combined: { children: 0, byCategory: {}, requiredStaff: 0, countedStaff: 0, maxGroupSize: null }, freed: [], margin: 0, unverified: null, rank: [],
    });
    names = fresh.names;
    if (!checked.ok || checked.remedy.kind !== 'merge') return { ok: false as const, error: { code: 'refused', why: checked.ok ? null : checked.why } as MoveRefused };
    remedy = checked.remedy;
    const merge = await insertRoomMerge(trx, { centerId: center.id, fromRoomId: remedy.from, intoRoomId: remedy.into, startsAt: new Date(remedy.start), endsAt: new Date(remedy.end), userId: member.userId }, now);
    await appendAudit(trx, {
      at: now,
      organizationId: center.organizationId,
      centerId: center.id,
      actorUserId: member.userId,
      action: 'room_merge.created',
      recordType: 'room_merge',
      recordId: merge.id,
      before: null,
      after: { fromRoomId: merge.fromRoomId, intoRoomId: merge.intoRoomId, startsAt: merge.startsAt, endsAt: merge.endsAt, children: remedy.combined.children, requiredStaff: remedy.combined.requiredStaff, freed: remedy.freed },
    });
    return { ok: true as const, value: merge, cause: 'rooms combined' };
  });
  names ??= (await remedyInputFor(db, center, need, now)).names;
  if (!outcome.ok) return { ok: false, error: outcome.error, names };
  return { ok: true, value: { remedy, merge: outcome.value, state: outcome.state }, names };
}

export type EndMergeRefused = { readonly code: 'not_found' } | { readonly code: 'ended'; readonly merge: RoomMerge };

/**
 * Ends a merge now (un-merge): from now on each room is judged alone again. Nothing is
 * moved back (presences were never moved). A merge of another center is not found; one
 * already ended or over is refused.
 */
export async function endMerge(db: Knex, center: Center, member: CenterMember, mergeId: string, now: Date): Promise<{ ok: true; merge: RoomMerge; state: ChangedState } | { ok: false; error: EndMergeRefused }> {
  const merge = await findMergeInCenter(db, center.id, mergeId);
  if (!merge) return { ok: false, error: { code: 'not_found' } };
  if (mergeEnd(merge) <= now.getTime()) return { ok: false, error: { code: 'ended', merge } };
  const outcome = await commitChange(db, center, now, [merge.fromRoomId, merge.intoRoomId], async (trx) => {
    if (!(await endRoomMerge(trx, center.id, merge.id, now))) return { ok: false as const, error: { code: 'ended', merge } as EndMergeRefused };
    await appendAudit(trx, {
      at: now,
      organizationId: center.organizationId,
      centerId: center.id,
      actorUserId: member.userId,
      action: 'room_merge.ended',
      recordType: 'room_merge',
      recordId: merge.id,
      before: { endedAt: null },
      after: { endedAt: now.toISOString() },
    });
    return { ok: true as const, value: merge, cause: 'rooms separated' };
  });
  if (!outcome.ok) return { ok: false, error: outcome.error };
  return { ok: true, merge: { ...outcome.value, endedAt: now.toISOString() }, state: outcome.state };
}

/**
 * Cuts one planned shift of the source room around the move's window: the part before
 * stays (the same shift, re-timed), the part in the window goes to the need room, the
 * part after is a new shift in the source room. Each break goes with the part it starts
 * in, clipped to it. Answers the ids written.
 */
async function cutShift(trx: Knex.Transaction, center: Center, member: CenterMember, s: Shift, remedy: MoveRemedy, at: Date): Promise<string[]> {
  const start = Date.parse(s.startsAt);
  const end = Date.parse(s.endsAt);
  const pieces: { roomId: string; start: number; end: number }[] = [];
  if (start < remedy.start) pieces.push({ roomId: remedy.from, start, end: Math.min(end, remedy.start) });
  const inStart = Math.max(start, remedy.start);
  const inEnd = Math.min(end, remedy.end);
  if (inStart < inEnd) pieces.push({ roomId: remedy.to, start: inStart, end: inEnd });
  if (end > remedy.end) pieces.push({ roomId: remedy.from, start: Math.max(start, remedy.end), end });
  if (pieces.length === 0) return [];
  const [first, ...rest] = pieces;
  await changeShift(trx, center.id, s.id, { roomId: first!.roomId, startsAt: new Date(first!.start), endsAt: new Date(first!.end) });
  const ids = [s.id];
  const breaksOf = (p: { start: number; end: number }) =>
    s.breaks
      .map((b) => ({ b, start: Math.max(Date.parse(b.startsAt), p.start), end: Math.min(Date.parse(b.endsAt), p.end) }))
      .filter((x) => Date.parse(x.b.startsAt) >= p.start && Date.parse(x.b.startsAt) < p.end && x.start < x.end);
  // Breaks of the first piece stay (re-clipped); the others move with their piece.
  const kept = new Set(breaksOf(first!).map((x) => x.b.id));
  for (const b of s.breaks) {
    if (kept.has(b.id)) {
      const x = breaksOf(first!).find((y) => y.b.id === b.id)!;
      if (x.end !== Date.parse(b.endsAt)) {
        await deleteShiftBreak(trx, b.id);
        await addShiftBreak(trx, s.id, new Date(x.start), new Date(x.end));
      }
    } else await deleteShiftBreak(trx, b.id);
  }
  for (const p of rest) {
    ids.push(
      await insertShift(
        trx,
        {
          centerId: center.id,
          roomId: p.roomId,
          personId: s.personId,
          day: s.day,
          startsAt: new Date(p.start),
          endsAt: new Date(p.end),
          source: 'plan',
          breaks: breaksOf(p).map((x) => ({ startsAt: new Date(x.start), endsAt: new Date(x.end) })),
          createdByUserId: member.userId,
        },
        at,
      ),
    );
  }
  return ids;
}
