import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendAudit, verifyAuditLog } from '../../src/db/audit.js';
import { createChild } from '../../src/db/children.js';
import type { Knex } from '../../src/db/knex.js';
import { listOpenPresences, openPresence, type Presence, type Subject } from '../../src/db/presences.js';
import { createRoom } from '../../src/db/rooms.js';
import type { Child, Room } from '../../src/db/rows.js';
import type { Deps } from '../../src/web/app.js';
import { commitChange } from '../../src/services/presence-writes.js';
import { publishCards } from '../../src/web/board/publish.js';
import { createEventHub, type BoardEvent } from '../../src/web/events/hub.js';
import type { Agent } from '../support/agent.js';
import { seedCenter, type SeededCenter } from '../support/builders.js';
import type { SeededDay } from '../support/day.js';
import { testEngine } from '../support/db.js';
import { seededApp, type App } from '../support/seeded-app.js';

/**
 * Group commit of presence writes (web/board/changes.ts): writes that arrive while a
 * group is being committed are committed together, yet what is stored, audited and
 * shown is what each write would have left alone.
 */

// 06:45 in Chicago.
const MORNING = '2026-03-02T12:45:00Z';
const MORNING_DATE = new Date(MORNING);
const minutesAfter = (n: number) => new Date(Date.parse(MORNING) + n * 60_000);
/** How many extra infant rooms (one infant each) the tests check into at once. */
const ROOMS = 8;

let deps: Deps;
let app: App;
let seeded: SeededCenter;
let day: SeededDay;
let rooms: Room[];
let infants: Child[];
let staff: Agent;
let close: () => Promise<void>;
/** Transaction boundaries and the writes run, in order: 'BEGIN', 'COMMIT', 'ROLLBACK' and each write's name. */
let log: string[];
const events: BoardEvent[] = [];

const onQuery = (q: { sql?: string }) => {
  const word = /^\s*(begin|commit|rollback)\b/i.exec(q.sql ?? '')?.[1];
  if (word) log.push(word.toUpperCase());
};

beforeEach(async () => {
  const world = await seededApp({ at: MORNING, deps: { events: createEventHub() }, day: true });
  ({ deps, app, seeded, day, close } = world);
  const at = new Date('2026-03-01T12:00:00Z');
  rooms = [];
  infants = [];
  for (let i = 1; i <= ROOMS; i++) {
    const room = await createRoom(deps.db, { centerId: seeded.center.id, name: `Room ${i}`, ageCategories: ['infant'], licensedCapacity: 8, at });
    rooms.push(room);
    infants.push(await createChild(deps.db, { centerId: seeded.center.id, displayName: `Infant ${i}`, birthDate: '2025-09-01', homeRoomId: room.id, at }));
  }
  staff = await world.signIn('staff');
  events.length = 0;
  log = [];
  deps.db.on('query', onQuery);
});
afterEach(async () => {
  deps.db.removeListener('query', onQuery);
  await close();
});

const count = async (table: string, where: Record<string, unknown> = {}) => Number(((await deps.db(table).where(where).count({ n: '*' }).first()) as { n: number | string }).n);
const openHistory = (roomId: string) => deps.db('room_status_history').where({ room_id: roomId }).whereNull('ended_at').first();
const history = (roomId: string) => deps.db('room_status_history').where({ room_id: roomId }).orderBy('started_at').select('status', 'started_at', 'ended_at', 'cause');
const openChildrenIn = (roomId: string) => listOpenPresences(deps.db, 'child', roomId);

/** A JSON check-in, as a tablet's script sends it. */
async function checkIn(room: Room, child: Child, csrf: string) {
  return staff.post(`/centers/${seeded.center.id}/rooms/${room.id}/check-ins`).set('Accept', 'application/json').set('X-CSRF-Token', csrf).send({ childId: child.id });
}

type Outcome = { ok: true; value: Presence; cause: string } | { ok: false; error: Presence | undefined };

/** The write the check-in and arrival routes hand to commitChange: open the presence, audit it, answer the cause. */
function opening(name: string, subject: Subject, roomId: string, subjectId: string, at: Date, cause: string) {
  return async (trx: Knex.Transaction): Promise<Outcome> => {
    log.push(name);
    const opened = await openPresence(trx, subject, { centerId: seeded.center.id, roomId, subjectId, at, userId: seeded.users.staff.id });
    if (!opened.ok) return { ok: false, error: opened.current };
    await audit(trx, at, `${subject}_presence.opened`, opened.presence.id);
    return { ok: true, value: opened.presence, cause };
  };
}

const audit = (trx: Knex.Transaction, at: Date, action: string, recordId: string) =>
  appendAudit(trx, { at, organizationId: seeded.organization.id, centerId: seeded.center.id, actorUserId: seeded.users.staff.id, action, recordType: 'child_presence', recordId, after: {} });

const checkingIn = (name: string, room: Room, child: Child, at: Date) => opening(name, 'child', room.id, child.id, at, 'child checked in');
const commit = <T, E>(at: Date, room: Room, write: (trx: Knex.Transaction) => Promise<{ ok: true; value: T; cause: string } | { ok: false; error: E }>) =>
  commitChange(deps.db, seeded.center, at, [room.id], write);

/**
 * Starts a write that holds its group's transaction open until `release`: writes
 * committed meanwhile wait, and then go together in the next group.
 */
async function holdGroup(room: Room, child: Child) {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let entered!: () => void;
  const inside = new Promise<void>((r) => (entered = r));
  const write = checkingIn('held', room, child, MORNING_DATE);
  const done = commit(MORNING_DATE, room, async (trx) => {
    entered();
    await released;
    return write(trx);
  });
  await inside;
  return { release, done };
}

type Transaction = { writes: string[]; end: 'COMMIT' | 'ROLLBACK' | undefined };

/**
 * The log as transactions, each with the writes run in it (sorted: on SQLite a
 * group's writes run side by side, on PostgreSQL one after another) and how it ended.
 */
function transactions(): Transaction[] {
  const list: Transaction[] = [];
  for (const entry of log) {
    if (entry === 'BEGIN') list.push({ writes: [], end: undefined });
    else if (entry === 'COMMIT' || entry === 'ROLLBACK') list.at(-1)!.end = entry;
    else list.at(-1)!.writes.push(entry);
  }
  return list.map((t) => ({ ...t, writes: [...t.writes].sort() }));
}
const tx = (end: Transaction['end'], ...writes: string[]): Transaction => ({ writes: [...writes].sort(), end });

/** Check-ins to rooms[1..] at one minute apart, queued behind a held group: they make the next group together. */
function queueCheckIns(from = 1) {
  return rooms.slice(from).map((room, i) => commit(minutesAfter(from + i), room, checkingIn(`write ${from + i}`, room, infants[from + i]!, minutesAfter(from + i))));
}

describe('group commit of presence writes', () => {
  it('commits check-ins to different rooms sent together in fewer transactions, each stored, audited and recorded as if alone', async () => {
    const csrf = await staff.csrf();
    log.length = 0;
    const answers = await Promise.all(rooms.map((room, i) => checkIn(room, infants[i]!, csrf)));
    expect(answers.map((a) => a.status)).toEqual(rooms.map(() => 201));
    expect(answers.map((a) => a.body)).toEqual(rooms.map((room, i) => ({ message: `Infant ${i + 1} checked in to ${room.name}.` })));
    expect(log.filter((w) => w === 'BEGIN').length).toBeLessThan(rooms.length);

    for (const [i, room] of rooms.entries()) {
      const open = await openChildrenIn(room.id);
      expect(open.map((p) => p.subjectId)).toEqual([infants[i]!.id]);
      expect(await count('audit_log', { action: 'child_presence.opened', record_id: open[0]!.id })).toBe(1);
      // One infant and nobody counted: the history says so from the check-in's instant, with its cause.
      expect(await openHistory(room.id)).toMatchObject({ status: 'out_of_ratio', cause: 'child checked in', started_at: '2026-03-02T12:45:00.000Z', children: 1 });
    }
    expect(await count('audit_log', { action: 'child_presence.opened' })).toBe(rooms.length);
    expect(await verifyAuditLog(deps.db)).toMatchObject({ ok: true });
  });

  it('records each room of a group with the instant and cause of the write that touched it', async () => {
    const held = await holdGroup(rooms[0]!, infants[0]!);
    const queued = queueCheckIns();
    held.release();
    const outcomes = await Promise.all([held.done, ...queued]);

    expect(outcomes.map((o) => o.ok)).toEqual(rooms.map(() => true));
    // The held write's group, then all the others together: two transactions for all the check-ins.
    expect(transactions()).toEqual([tx('COMMIT', 'held'), tx('COMMIT', ...rooms.slice(1).map((_, i) => `write ${i + 1}`))]);
    for (const [i, room] of rooms.entries()) {
      expect(await openChildrenIn(room.id)).toHaveLength(1);
      expect(await history(room.id)).toEqual([{ status: 'out_of_ratio', started_at: minutesAfter(i).toISOString(), ended_at: null, cause: 'child checked in' }]);
    }
    // One entry per check-in, for its presence at its instant, and the chain holds.
    const trail = (await deps.db('audit_log').where({ action: 'child_presence.opened' }).select('record_id', 'at')) as { record_id: string; at: string }[];
    expect(Object.fromEntries(trail.map((e) => [e.record_id, e.at]))).toEqual(Object.fromEntries(outcomes.map((o, i) => [o.ok ? o.value.id : '', minutesAfter(i).toISOString()])));
    expect(trail).toHaveLength(rooms.length);
    // Ids follow time, as the audit page lists them, though the group's writes ran side by side.
    const byId = (await deps.db('audit_log').where({ action: 'child_presence.opened' }).orderBy('id').select('at')) as { at: string }[];
    expect(byId.map((e) => e.at)).toEqual(rooms.map((_, i) => minutesAfter(i).toISOString()));
    expect(await verifyAuditLog(deps.db)).toMatchObject({ ok: true });
  });

  it('never puts two writes to the same room in one group, and records both changes in order', async () => {
    const room = seeded.rooms.infants;
    const maya = day.maya;
    const held = await holdGroup(rooms[0]!, infants[0]!);
    const checkedIn = commit(minutesAfter(1), room, checkingIn('ada in', room, day.children.ada, minutesAfter(1)));
    const arrived = commit(minutesAfter(2), room, opening('maya arrives', 'person', room.id, maya.id, minutesAfter(2), `Teacher ${maya.displayName} arrived`));
    const other = commit(minutesAfter(3), rooms[1]!, checkingIn('other room', rooms[1]!, infants[1]!, minutesAfter(3)));
    held.release();
    const outcomes = await Promise.all([held.done, checkedIn, arrived, other]);

    expect(outcomes.map((o) => o.ok)).toEqual([true, true, true, true]);
    // The arrival waits for the next group; the check-in to another room, sent after it, does not.
    expect(transactions()).toEqual([tx('COMMIT', 'held'), tx('COMMIT', 'ada in', 'other room'), tx('COMMIT', 'maya arrives')]);
    expect(await openChildrenIn(room.id)).toHaveLength(1);
    expect(await listOpenPresences(deps.db, 'person', room.id)).toHaveLength(1);
    // Out of ratio from the check-in until the teacher arrived, ok from then on.
    expect(await history(room.id)).toEqual([
      { status: 'out_of_ratio', started_at: minutesAfter(1).toISOString(), ended_at: minutesAfter(2).toISOString(), cause: 'child checked in' },
      { status: 'ok', started_at: minutesAfter(2).toISOString(), ended_at: null, cause: `Teacher ${maya.displayName} arrived` },
    ]);
    expect(await history(rooms[1]!.id)).toEqual([{ status: 'out_of_ratio', started_at: minutesAfter(3).toISOString(), ended_at: null, cause: 'child checked in' }]);
    expect(await verifyAuditLog(deps.db)).toEqual({ ok: true, entries: await count('audit_log') });
  });
});

describe('writes of two centers', () => {
  it('on PostgreSQL commit side by side, each center in its own group; on SQLite (one connection) one group after the other', async () => {
    const second = await seedCenter(deps.db);
    const child = await createChild(deps.db, { centerId: second.center.id, displayName: 'Elsewhere', birthDate: '2025-09-01', homeRoomId: second.rooms.infants.id, at: MORNING_DATE });
    const room = second.rooms.infants;
    log.length = 0;
    const held = await holdGroup(rooms[0]!, infants[0]!);
    const elsewhere = commitChange(deps.db, second.center, minutesAfter(1), [room.id], async (trx) => {
      log.push('elsewhere');
      const opened = await openPresence(trx, 'child', { centerId: second.center.id, roomId: room.id, subjectId: child.id, at: minutesAfter(1), userId: second.users.staff.id });
      if (!opened.ok) return { ok: false as const, error: opened.current };
      await appendAudit(trx, { at: minutesAfter(1), organizationId: second.organization.id, centerId: second.center.id, actorUserId: second.users.staff.id, action: 'child_presence.opened', recordType: 'child_presence', recordId: opened.presence.id, after: {} });
      return { ok: true as const, value: opened.presence, cause: 'child checked in' };
    });
    const settledWhileHeld = await Promise.race([elsewhere.then(() => 'committed'), new Promise((r) => setTimeout(() => r('waiting'), 300))]);
    held.release();
    const outcomes = await Promise.all([held.done, elsewhere]);

    expect(outcomes.map((o) => o.ok)).toEqual([true, true]);
    if (testEngine() === 'pg') expect(settledWhileHeld).toBe('committed');
    else {
      expect(settledWhileHeld).toBe('waiting');
      expect(transactions()).toEqual([tx('COMMIT', 'held'), tx('COMMIT', 'elsewhere')]);
    }
    expect(await openChildrenIn(room.id)).toHaveLength(1);
    expect(await history(room.id)).toEqual([{ status: 'out_of_ratio', started_at: minutesAfter(1).toISOString(), ended_at: null, cause: 'child checked in' }]);
    expect(await history(rooms[0]!.id)).toEqual([{ status: 'out_of_ratio', started_at: MORNING_DATE.toISOString(), ended_at: null, cause: 'child checked in' }]);
    // Both trails in the one chain, which holds.
    expect(await verifyAuditLog(deps.db)).toEqual({ ok: true, entries: await count('audit_log') });
  });
});

describe('a refusal inside a group', () => {
  it('answers 409 to one of two check-ins of the same child sent at once, and stores the other rooms’ check-ins', async () => {
    const csrf = await staff.csrf();
    const [first, second, ...others] = await Promise.all([
      checkIn(rooms[0]!, infants[0]!, csrf),
      checkIn(rooms[1]!, infants[0]!, csrf),
      ...rooms.slice(2).map((room, i) => checkIn(room, infants[i + 2]!, csrf)),
    ]);
    expect([first!.status, second!.status].sort()).toEqual([201, 409]);
    const [won, lost] = first!.status === 201 ? [rooms[0]!, rooms[1]!] : [rooms[1]!, rooms[0]!];
    const refused = first!.status === 409 ? first! : second!;
    expect(refused.body).toEqual({ error: `Infant 1 is already in ${won.name} since 06:45. Move them here instead?`, offer: expect.objectContaining({ label: `Move Infant 1 to ${lost.name}` }) });
    expect(others.map((r) => r.status)).toEqual(rooms.slice(2).map(() => 201));

    for (const [i, room] of rooms.slice(2).entries()) expect((await openChildrenIn(room.id)).map((p) => p.subjectId)).toEqual([infants[i + 2]!.id]);
    // Nothing of the refused check-in: one presence for the child, one audit entry for it, no history for the room it was refused in.
    const presences = await deps.db('child_presences').where({ child_id: infants[0]!.id });
    expect(presences.map((p) => p.room_id)).toEqual([won.id]);
    expect(await count('audit_log', { action: 'child_presence.opened', record_id: presences[0]!.id })).toBe(1);
    expect(await history(lost.id)).toEqual([]);
    expect(await count('audit_log', { action: 'child_presence.opened' })).toBe(rooms.length - 1);
    expect(await verifyAuditLog(deps.db)).toMatchObject({ ok: true });
  });

  it('undoes the group, commits the others together again and answers the refusal of the one that refused', async () => {
    const child = infants[1]!;
    // Read before the hold: on SQLite the held transaction has the one connection until released.
    const auditBefore = await count('audit_log');
    const held = await holdGroup(rooms[0]!, infants[0]!);
    const first = commit(minutesAfter(1), rooms[1]!, checkingIn('first', rooms[1]!, child, minutesAfter(1)));
    const again = commit(minutesAfter(2), rooms[2]!, checkingIn('again', rooms[2]!, child, minutesAfter(2)));
    const other = commit(minutesAfter(3), rooms[3]!, checkingIn('other', rooms[3]!, infants[3]!, minutesAfter(3)));
    held.release();
    await held.done;
    const [a, b, c] = await Promise.all([first, again, other]);

    // The two check-ins of one child ran side by side: either may have come first, and the other is refused.
    const [won, lost, wonName, lostName, wonRoom] = a.ok ? [a, b, 'first', 'again', rooms[1]!] : [b, a, 'again', 'first', rooms[2]!];
    expect(won).toMatchObject({ ok: true, cause: 'child checked in' });
    expect(c).toMatchObject({ ok: true, cause: 'child checked in' });
    // The refusal says where the child already is, as the route tells the teacher.
    expect(lost).toEqual({ ok: false, error: expect.objectContaining({ roomId: wonRoom.id, subjectId: child.id, endedAt: null }) });
    // Tried together and undone; then the ones that went through together again, and the refused one alone.
    const [heldTx, together, ...then] = transactions();
    expect(heldTx).toEqual(tx('COMMIT', 'held'));
    expect(together!.end).toBe('ROLLBACK');
    expect(together!.writes).toEqual(expect.arrayContaining(['again', 'first']));
    expect(then).toEqual([tx('COMMIT', wonName, 'other'), tx('ROLLBACK', lostName)]);

    const lostRoom = wonRoom === rooms[1] ? rooms[2]! : rooms[1]!;
    expect((await deps.db('child_presences').where({ child_id: child.id })).map((p) => p.room_id)).toEqual([wonRoom.id]);
    expect(await openChildrenIn(lostRoom.id)).toEqual([]);
    expect(await history(lostRoom.id)).toEqual([]);
    expect(await openChildrenIn(rooms[3]!.id)).toHaveLength(1);
    expect(await openHistory(rooms[3]!.id)).toMatchObject({ cause: 'child checked in', started_at: minutesAfter(3).toISOString() });
    expect(await count('audit_log')).toBe(auditBefore + 3); // the held check-in and the two others
    expect(await verifyAuditLog(deps.db)).toMatchObject({ ok: true });
  });
});

describe('a write that throws inside a group', () => {
  it('rejects with its error, leaves nothing of it, and commits the writes queued with it', async () => {
    const auditBefore = await count('audit_log');
    const held = await holdGroup(rooms[0]!, infants[0]!);
    const before = commit(minutesAfter(1), rooms[1]!, checkingIn('before', rooms[1]!, infants[1]!, minutesAfter(1)));
    const failing = commit(minutesAfter(1), rooms[2]!, async (trx) => {
      await checkingIn('failing', rooms[2]!, infants[2]!, minutesAfter(1))(trx);
      await audit(trx, minutesAfter(1), 'test.half_done', infants[2]!.id);
      throw new Error('the label printer is on fire');
    });
    const after = commit(minutesAfter(1), rooms[3]!, checkingIn('after', rooms[3]!, infants[3]!, minutesAfter(1)));
    held.release();
    await held.done;

    await expect(failing).rejects.toThrow('the label printer is on fire');
    expect(await before).toMatchObject({ ok: true });
    expect(await after).toMatchObject({ ok: true });
    // Undone; then the others together again, and the failing one alone.
    const [, together, ...then] = transactions();
    expect(together!.end).toBe('ROLLBACK');
    expect(together!.writes).toEqual(expect.arrayContaining(['before', 'failing']));
    expect(then).toEqual([tx('COMMIT', 'before', 'after'), tx('ROLLBACK', 'failing')]);

    expect(await openChildrenIn(rooms[1]!.id)).toHaveLength(1);
    expect(await openChildrenIn(rooms[2]!.id)).toEqual([]);
    expect(await openChildrenIn(rooms[3]!.id)).toHaveLength(1);
    expect(await history(rooms[2]!.id)).toEqual([]);
    expect(await openHistory(rooms[3]!.id)).toMatchObject({ cause: 'child checked in' });
    expect(await count('audit_log', { action: 'test.half_done' })).toBe(0);
    expect(await count('audit_log')).toBe(auditBefore + 3); // the held check-in and the two others
    expect(await verifyAuditLog(deps.db)).toMatchObject({ ok: true });
  });
});

describe('a refusal after the write had already written', () => {
  const refusing = (name: string, room: Room, child: Child, at: Date) => async (trx: Knex.Transaction) => {
    log.push(name);
    const opened = await openPresence(trx, 'child', { centerId: seeded.center.id, roomId: room.id, subjectId: child.id, at, userId: seeded.users.staff.id });
    if (opened.ok) await audit(trx, at, 'test.refused', opened.presence.id);
    return { ok: false as const, error: 'x' };
  };

  it('answers its refusal and stores nothing of it when alone', async () => {
    const auditBefore = await count('audit_log');
    expect(await commit(minutesAfter(1), rooms[0]!, refusing('alone', rooms[0]!, infants[0]!, minutesAfter(1)))).toEqual({ ok: false, error: 'x' });
    expect(transactions()).toEqual([tx('ROLLBACK', 'alone')]);
    expect(await count('child_presences')).toBe(0);
    expect(await history(rooms[0]!.id)).toEqual([]);
    expect(await verifyAuditLog(deps.db)).toEqual({ ok: true, entries: auditBefore });
  });

  it('answers its refusal and stores nothing of it within a group, and the others commit', async () => {
    const auditBefore = await count('audit_log');
    const held = await holdGroup(rooms[0]!, infants[0]!);
    const before = commit(minutesAfter(1), rooms[1]!, checkingIn('before', rooms[1]!, infants[1]!, minutesAfter(1)));
    const refused = commit(minutesAfter(1), rooms[2]!, refusing('refusing', rooms[2]!, infants[2]!, minutesAfter(1)));
    const after = commit(minutesAfter(1), rooms[3]!, checkingIn('after', rooms[3]!, infants[3]!, minutesAfter(1)));
    held.release();
    await held.done;

    expect(await refused).toEqual({ ok: false, error: 'x' });
    expect(await before).toMatchObject({ ok: true });
    expect(await after).toMatchObject({ ok: true });
    // Undone; then the others together again, and the refusing one alone.
    const [, together, ...then] = transactions();
    expect(together!.end).toBe('ROLLBACK');
    expect(together!.writes).toEqual(expect.arrayContaining(['before', 'refusing']));
    expect(then).toEqual([tx('COMMIT', 'before', 'after'), tx('ROLLBACK', 'refusing')]);

    expect(await count('audit_log', { action: 'test.refused' })).toBe(0);
    expect(await openChildrenIn(rooms[2]!.id)).toEqual([]);
    expect(await history(rooms[2]!.id)).toEqual([]);
    expect(await openChildrenIn(rooms[1]!.id)).toHaveLength(1);
    expect(await openChildrenIn(rooms[3]!.id)).toHaveLength(1);
    expect(await count('audit_log')).toBe(auditBefore + 3); // the held check-in and the two others
    expect(await verifyAuditLog(deps.db)).toMatchObject({ ok: true });
  });
});

describe('board cards after a group', () => {
  const cardsOf = (roomId: string) => events.filter((e) => e.event === 'room-card' && e.id === roomId);
  /** A board listening to the center, as an open board page is. */
  const watchBoard = () => deps.events!.subscribe(seeded.center.id, (e) => events.push(e));

  it('sends each room’s card once, with its new count of children, for check-ins sent together', async () => {
    watchBoard();
    const csrf = await staff.csrf();
    const answers = await Promise.all(rooms.map((room, i) => checkIn(room, infants[i]!, csrf)));
    expect(answers.map((a) => a.status)).toEqual(rooms.map(() => 201));
    expect(events.filter((e) => e.event === 'room-card')).toHaveLength(rooms.length);
    for (const room of rooms) {
      const cards = cardsOf(room.id);
      expect(cards).toHaveLength(1);
      expect(cards[0]!.data).toContain(`>${room.name}</a>`);
      expect(cards[0]!.data).toContain('<dt>Children</dt><dd>1 infant</dd>');
      expect(cards[0]!.data).toMatch(/✕<\/span> <strong>out of ratio<\/strong>/);
    }
  });

  it('shares one judged state among a group’s writes, so publishing it for each write sends each card once', async () => {
    watchBoard();
    const held = await holdGroup(rooms[0]!, infants[0]!);
    const queued = queueCheckIns();
    held.release();
    await held.done;
    const outcomes = await Promise.all(queued);
    const states = outcomes.map((o) => (o.ok ? o.state : undefined));
    expect(states[0]).toBeDefined();
    expect(new Set(states).size).toBe(1);

    // Each route publishes its own outcome's state, as check-ins/routes.ts does.
    await Promise.all(states.map((state) => publishCards(app, deps.events!, deps.log, state!)));
    expect(events.map((e) => `${e.event} ${e.id}`).sort()).toEqual(rooms.slice(1).map((r) => `room-card ${r.id}`).sort());
    for (const room of rooms.slice(1)) expect(cardsOf(room.id)[0]!.data).toContain('<dt>Children</dt><dd>1 infant</dd>');
  });
});
