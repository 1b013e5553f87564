import type { Knex } from 'knex';
import type { Center } from '../db/rows.js';
import type { Err, Ok } from '../domain/result.js';
import { centerSetup, type CenterSetup } from '../db/center-setup.js';
import { deferAuditAppends } from '../db/audit.js';
import { auditHeads, type AuditHeads } from '../db/freshness.js';
import { isPostgres, together } from '../db/knex.js';
import { deferPresenceOpens } from '../db/presences.js';
import { openStatusRows, recordStatuses } from '../db/status-history.js';
import { forecastCenter, forecastOfDay, loadCenterDay, type CenterDay } from './center-forecast.js';
import { loadOpenCover, type OpenCover } from './cover/on-card.js';
import { loadCenterState, statusesOf, type CenterState } from './center-state.js';
import { Refusal } from './refusal.js';

/**
 * The tail of every presence write (domain.md, "Flow of one check-in"): in the
 * write's own transaction, judge the rooms it touched and close/open their status
 * history rows; after commit, send their new cards to the center's boards.
 *
 * Writes that arrive while one is being committed wait and are then committed
 * together (group commit): one transaction, one audit append for the group's whole
 * trail, one judgement of the rooms they touched, one forecast and one card per
 * room after commit. In a morning rush that is what lets SQLite's one connection
 * keep up, since every statement is a round trip to it. A group never holds two
 * writes to the same room, so each room's status change is caused by one write and
 * is recorded with that write's instant and cause, as if it had been alone. On
 * PostgreSQL each center has its own queue, so centers commit side by side.
 */

export type Written<T> = Ok<T> & { readonly cause: string };
export type Refused<E> = Err<E>;

/** A judged state whose rooms' forecast is loaded only if a board is listening (see publishCards). */
export type ChangedState = CenterState & { readonly forecastLater?: () => ReturnType<typeof forecastCenter>; readonly coverLater?: () => Promise<OpenCover> };

type Write<T, E> = (trx: Knex.Transaction) => Promise<Written<T> | Refused<E>>;
type Committed<T, E> = (Written<T> & { readonly state: ChangedState }) | Refused<E>;

/**
 * Thrown inside a group's transaction when writes refused or failed (their indexes
 * in `failed`): the group is undone, those run alone, and the others together again.
 */
class Ungroup extends Error {
  constructor(readonly failed: ReadonlySet<number>) {
    super('ungroup');
  }
}

/** At most this many writes in one transaction, so a group holds the database only briefly. */
const MAX_GROUP = 64;

type Pending = {
  readonly center: Center;
  readonly at: Date;
  readonly roomIds: readonly string[];
  /** Whether the rooms' forecast is wanted (a board listens): see commitChange. */
  readonly forecast: boolean;
  readonly write: Write<unknown, unknown>;
  readonly resolve: (committed: Committed<unknown, unknown>) => void;
  readonly reject: (err: unknown) => void;
};

type Queue = { waiting: Pending[]; running: boolean };

/**
 * The writes waiting for the group being committed. On SQLite one queue per database:
 * its one connection takes one transaction at a time, so a group may hold writes of
 * several centers. On PostgreSQL one per center: groups of different centers commit
 * side by side on the pool (a network's morning rushes overlap), and still one at a
 * time within a center, whose rooms and trail they share.
 */
const queues = new WeakMap<Knex, Map<string, Queue>>();

function queueOf(db: Knex, center: Center): { queue: Queue; done: () => void } {
  let byKey = queues.get(db);
  if (!byKey) queues.set(db, (byKey = new Map()));
  const key = isPostgres(db) ? center.id : '';
  let queue = byKey.get(key);
  if (!queue) byKey.set(key, (queue = { waiting: [], running: false }));
  const q = queue;
  // An idle queue is dropped, so a network's centers leave nothing behind between rushes.
  return { queue: q, done: () => void (q.waiting.length === 0 && byKey.get(key) === q && byKey.delete(key)) };
}

/**
 * Runs `write` and the recompute of `roomIds` (every room the write may touch) in
 * one transaction, possibly shared with other writes (see above). `write` answers
 * the cause in words (never a child's name), or a refusal; a refusal rolls back
 * anything the write had done (a move that ended the old presence but could not
 * start the new one keeps neither) and nothing of the others'. A write may run twice
 * (in a group that is then undone, and again alone), so it does nothing outside the
 * transaction.
 *
 * With `forecast` (a board is listening, so the cards will carry their forecast
 * lines), on SQLite the rooms' day is read for the forecast inside the transaction,
 * while it holds the one connection anyway: read after commit, it would wait for the
 * next group's transaction. On PostgreSQL it is read after commit, on the pool.
 */
export function commitChange<T, E>(
  db: Knex,
  center: Center,
  at: Date,
  roomIds: readonly string[],
  write: Write<T, E>,
  opts: { readonly forecast?: boolean } = {},
): Promise<Committed<T, E>> {
  const { queue: q, done } = queueOf(db, center);
  return new Promise<Committed<T, E>>((resolve, reject) => {
    q.waiting.push({ center, at, roomIds, forecast: opts.forecast === true, write: write as Write<unknown, unknown>, resolve: resolve as Pending['resolve'], reject });
    if (q.running) return;
    q.running = true;
    void (async () => {
      try {
        while (q.waiting.length > 0) await commitGroup(db, nextGroup(q));
      } finally {
        q.running = false;
        done();
      }
    })();
  });
}

/** The waiting writes to commit next, in arrival order, none touching a room another touches (those wait for the next group). */
function nextGroup(queue: { waiting: Pending[] }): Pending[] {
  const group: Pending[] = [];
  const later: Pending[] = [];
  const taken = new Set<string>();
  for (const p of queue.waiting) {
    const free = group.length < MAX_GROUP && p.roomIds.every((id) => !taken.has(id));
    // A write left for later still claims its rooms, so a later write to them cannot overtake it.
    for (const id of p.roomIds) taken.add(id);
    (free ? group : later).push(p);
  }
  queue.waiting = later;
  return group;
}

/** Commits a group and settles each write's promise; never throws. */
async function commitGroup(db: Knex, group: Pending[]): Promise<void> {
  let alone = group;
  if (group.length > 1) {
    try {
      const committed = await commitTogether(db, group);
      group.forEach((p, i) => p.resolve(committed[i]!));
      return;
    } catch (err) {
      // Rolled back. Writes that refused or failed are tried alone, after the others are committed together
      // again (one double tap in a rush costs one more transaction, not one per write of its group); if the
      // transaction failed as a whole, every write is tried alone.
      if (err instanceof Ungroup) {
        await commitGroup(db, group.filter((_, i) => !err.failed.has(i)));
        alone = group.filter((_, i) => err.failed.has(i));
      }
    }
  }
  // Alone: a refusal is that write's answer, an error is that write's error.
  for (const p of alone) {
    try {
      p.resolve((await commitTogether(db, [p]))[0]!);
    } catch (err) {
      if (err instanceof Refusal) p.resolve({ ok: false, error: err.error });
      else p.reject(err);
    }
  }
}

/** A center's part of a group: the latest instant of its writes (the one its rooms are judged at) and every room they touch. */
type CenterPart = { readonly center: Center; at: Date; readonly roomIds: string[]; forecast: boolean };

/**
 * One transaction: every write of `group` (side by side on SQLite, see runWrites),
 * their audit trail in one append, then per center the rooms they touched judged
 * once and their status history recorded, each room with the instant and cause of
 * the write that touched it.
 */
async function commitTogether(db: Knex, group: readonly Pending[]): Promise<Committed<unknown, unknown>[]> {
  const centers = new Map<string, CenterPart>();
  for (const p of group) {
    const c = centers.get(p.center.id);
    if (!c) centers.set(p.center.id, { center: p.center, at: p.at, roomIds: [...p.roomIds], forecast: p.forecast });
    else {
      if (p.at > c.at) c.at = p.at;
      for (const id of p.roomIds) if (!c.roomIds.includes(id)) c.roomIds.push(id);
      c.forecast ||= p.forecast;
    }
  }
  // Read (or found kept) on the pool: inside the transaction they are used only if still current after the writes.
  // On PostgreSQL beside the transaction's first statements, which need not wait for them; on SQLite before it,
  // whose one connection the transaction holds.
  const setups = new Map<string, Promise<CenterSetup | undefined>>();
  for (const id of centers.keys()) {
    const reading = centerSetup(db, id);
    // Awaited below (a failure fails the group, as it would have before the transaction); never left unhandled.
    reading.catch(() => undefined);
    setups.set(id, reading);
  }
  if (!isPostgres(db)) for (const reading of setups.values()) await reading;
  const dayInside = !isPostgres(db);
  const { outcomes, states, days } = await db.transaction(async (trx) => {
    const flushAudit = deferAuditAppends(trx);
    // A group's presence opens go in one insert after its writes (db/presences.ts); alone, a write opens its own,
    // and a refusal answers with the presence in the way.
    const flushOpens = group.length > 1 ? deferPresenceOpens(trx) : undefined;
    const outcomes: Written<unknown>[] = [];
    const settled = await runWrites(trx, group);
    const failed = new Set(settled.flatMap((w, i) => (w.status === 'rejected' || !w.value.ok ? [i] : [])));
    if (group.length > 1 && failed.size > 0) throw new Ungroup(failed);
    for (const w of settled) {
      if (w.status === 'rejected') throw w.reason;
      if (!w.value.ok) throw new Refusal(w.value.error);
      outcomes.push(w.value);
    }
    if (flushOpens) {
      // A presence already open (a double tap, two tablets) refuses the write opening it as openPresence would have:
      // the write of the room it was to open in (a group never holds two writes to one room).
      const refusedIn = await flushOpens();
      if (refusedIn.size > 0) {
        const refused = new Set(group.flatMap((p, i) => (p.roomIds.some((id) => refusedIn.has(id)) ? [i] : [])));
        // A room no write named (a write opening outside its rooms: a bug) undoes every write of the group.
        throw new Ungroup(refused.size > 0 ? refused : new Set(group.keys()));
      }
    }
    // Each center's rooms judged and their history recorded: none needs another's result.
    const judge = async ([centerId, c]: [string, CenterPart]): Promise<[string, CenterState]> => {
      const setup = await setups.get(centerId);
      const [state, openOfRooms] = await together(trx, [
        () => loadCenterState(trx, c.center, c.at, { roomIds: c.roomIds, setup, heads }),
        () => openStatusRows(trx, c.roomIds),
      ] as const);
      // A room merged with one touched is judged with it (services/center-state.ts): its history too.
      const partners = state.rooms.map((r) => r.room.id).filter((id) => !c.roomIds.includes(id));
      const open = partners.length > 0 ? [...openOfRooms, ...(await openStatusRows(trx, partners))] : openOfRooms;
      const changeOf = new Map<string, { at: Date; cause: string }>();
      group.forEach((p, i) => {
        if (p.center.id === centerId) for (const id of p.roomIds) changeOf.set(id, { at: p.at, cause: outcomes[i]!.cause });
      });
      await recordStatuses(trx, centerId, statusesOf(state).map((s) => ({ ...s, ...changeOf.get(s.roomId) })), c.at, '', open);
      return [centerId, state];
    };
    // The trail first: its append moves the audit log's setup head if a write changed setup rows (a person's
    // check-in may add a shift), and the kept setup rows are used below only while that head stands. The flush
    // answers the heads as this transaction now sees them (it holds the head's lock): nothing reads them again.
    const heads = await flushAudit();
    const judged = await together(trx, [...centers].map((entry) => () => judge(entry)));
    // The day the cards' forecast lines are made from, read here on SQLite (see commitChange), after the trail
    // is flushed (a day's reads write nothing, so the flush's heads still stand), one center after another. A
    // failed read only costs the cards the read after commit, which logs it.
    const days = new Map<string, CenterDay | undefined>();
    if (dayInside) for (const [centerId, c] of centers) if (c.forecast) days.set(centerId, await loadCenterDay(trx, c.center, c.at, { roomIds: c.roomIds, heads }).catch(() => undefined));
    return { outcomes, states: new Map(judged as [string, CenterState][]), days };
  });
  // After commit: the cards' forecast lines (the flag and the next change), from the day read in the transaction or
  // else from the committed rows, once per center.
  const changed = new Map<string, ChangedState>();
  // One read of the audit log's heads, after commit and only if a card is sent, for what the cards read kept.
  let headsAfter: Promise<AuditHeads> | undefined;
  const headsNow = () => (headsAfter ??= auditHeads(db));
  for (const [centerId, c] of centers) {
    const state = states.get(centerId)!;
    const day = days.get(centerId);
    const forecastLater = day ? async () => forecastOfDay(c.center, c.at, day) : async () => forecastCenter(db, c.center, c.at, { roomIds: c.roomIds, heads: await headsNow() });
    // The cards' open cover requests too (kept until a cover write, so usually nothing is read).
    changed.set(centerId, { ...state, forecastLater, coverLater: async () => loadOpenCover(db, c.center, c.at, c.roomIds, { heads: await headsNow() }) });
  }
  return group.map((p, i) => ({ ...outcomes[i]!, state: changed.get(p.center.id)! }));
}

/**
 * Runs the group's writes: side by side on SQLite, whose one connection then takes
 * their statements back to back instead of waiting on this thread between them (the
 * writes touch different rooms; two that meet on one child or person come out as
 * they would one after the other, in either order, or one refuses and the group is
 * undone); one after another on a PostgreSQL transaction's connection, stopping at
 * the first refusal or failure (see together). Answers once every write it started
 * has ended, so that nothing is still being written when the transaction ends.
 */
async function runWrites(trx: Knex.Transaction, group: readonly Pending[]): Promise<PromiseSettledResult<Written<unknown> | Refused<unknown>>[]> {
  if (!isPostgres(trx)) return Promise.allSettled(group.map((p) => p.write(trx)));
  const settled: PromiseSettledResult<Written<unknown> | Refused<unknown>>[] = [];
  for (const p of group) {
    try {
      const value = await p.write(trx);
      settled.push({ status: 'fulfilled', value });
      if (!value.ok && group.length > 1) break;
    } catch (reason) {
      settled.push({ status: 'rejected', reason });
      break;
    }
  }
  return settled;
}
