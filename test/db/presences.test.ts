import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { constraintViolation } from '../../src/db/errors.js';
import type { Knex } from '../../src/db/knex.js';
import { closePresence, openPresence } from '../../src/db/presences.js';
import { recordStatuses } from '../../src/db/status-history.js';
import { seedCenter, type SeededCenter } from '../support/builders.js';
import { createTestDb } from '../support/db.js';
import { seedRoomDay, type SeededDay } from '../support/day.js';

let db: Knex;
let second: Knex;
let destroy: () => Promise<void>;
let seeded: SeededCenter;
let day: SeededDay;

beforeEach(async () => {
  const t = await createTestDb();
  ({ db, destroy } = t);
  // A second pool on the same database: two writers, as two server processes would be.
  second = t.connect();
  seeded = await seedCenter(db);
  day = await seedRoomDay(db, seeded);
});
afterEach(() => destroy());

const at = new Date('2026-03-02T12:45:00Z');
const row = (childId: string, roomId: string, startedAt = at) => ({
  id: crypto.randomUUID(),
  center_id: seeded.center.id,
  room_id: roomId,
  child_id: childId,
  started_at: startedAt.toISOString(),
  ended_at: null,
});

describe('child_presences and person_presences', () => {
  it('allows only one open presence per child, even for inserts racing on two connections', async () => {
    const results = await Promise.allSettled([
      db('child_presences').insert(row(day.children.ada.id, seeded.rooms.infants.id)),
      second('child_presences').insert(row(day.children.ada.id, seeded.rooms.toddlers.id)),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(constraintViolation(refused.reason)).toBe('unique');
    expect(await db('child_presences').whereNull('ended_at')).toHaveLength(1);
  });

  it('allows only one open presence per person: the repository answers already_present with the open one', async () => {
    const input = { centerId: seeded.center.id, subjectId: day.maya.id, at, userId: null };
    const [a, b] = await Promise.all([
      db.transaction((trx) => openPresence(trx, 'person', { ...input, roomId: seeded.rooms.infants.id })),
      second.transaction((trx) => openPresence(trx, 'person', { ...input, roomId: seeded.rooms.toddlers.id })),
    ]);
    const outcomes = [a, b];
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
    const lost = outcomes.find((o) => !o.ok);
    expect(lost).toMatchObject({ ok: false, error: 'already_present', current: { subjectId: day.maya.id, endedAt: null } });
  });

  it('allows a new presence once the open one has ended, and keeps both intervals', async () => {
    await db('child_presences').insert(row(day.children.ada.id, seeded.rooms.infants.id));
    const closed = await closePresence(db, 'child', { centerId: seeded.center.id, roomId: seeded.rooms.infants.id, subjectId: day.children.ada.id, at: new Date('2026-03-02T15:00:00Z'), userId: null });
    expect(closed).toMatchObject({ endedAt: '2026-03-02T15:00:00.000Z' });
    await db('child_presences').insert(row(day.children.ada.id, seeded.rooms.toddlers.id, new Date('2026-03-02T15:00:00Z')));
    expect(await db('child_presences').orderBy('started_at').select('room_id', 'ended_at')).toEqual([
      { room_id: seeded.rooms.infants.id, ended_at: '2026-03-02T15:00:00.000Z' },
      { room_id: seeded.rooms.toddlers.id, ended_at: null },
    ]);
  });

  it('ends an open presence once: a second close finds nothing open', async () => {
    await db('child_presences').insert(row(day.children.ada.id, seeded.rooms.infants.id));
    const input = { centerId: seeded.center.id, roomId: seeded.rooms.infants.id, subjectId: day.children.ada.id, at, userId: null };
    expect(await closePresence(db, 'child', input)).toBeDefined();
    expect(await closePresence(db, 'child', input)).toBeUndefined();
  });
});

describe('room_status_history', () => {
  it('keeps one open row per room: a changed status closes it and opens the next at the same instant', async () => {
    const figures = { roomId: seeded.rooms.infants.id, requiredStaff: 1, countedStaff: 1, presentStaff: 1, children: 1, childrenByCategory: { infant: 1 }, maxGroupSize: 8 };
    await db.transaction((trx) => recordStatuses(trx, seeded.center.id, [{ ...figures, status: 'ok' }], at, 'child checked in'));
    // The same figures again write nothing.
    expect(await db.transaction((trx) => recordStatuses(trx, seeded.center.id, [{ ...figures, status: 'ok' }], at, 'child checked in'))).toEqual([]);
    const later = new Date('2026-03-02T13:00:00Z');
    await db.transaction((trx) => recordStatuses(trx, seeded.center.id, [{ ...figures, status: 'out_of_ratio', countedStaff: 0 }], later, 'Teacher left'));
    expect(await db('room_status_history').orderBy('started_at').select('status', 'started_at', 'ended_at', 'cause')).toEqual([
      { status: 'ok', started_at: at.toISOString(), ended_at: later.toISOString(), cause: 'child checked in' },
      { status: 'out_of_ratio', started_at: later.toISOString(), ended_at: null, cause: 'Teacher left' },
    ]);
    const second = { id: crypto.randomUUID(), center_id: seeded.center.id, room_id: seeded.rooms.infants.id, status: 'ok', started_at: later.toISOString(), ended_at: null, cause: 'x', required_staff: 0, counted_staff: 0, children: 0 };
    await expect(db('room_status_history').insert(second)).rejects.toSatisfy((err) => constraintViolation(err) === 'unique');
  });
});
