import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../../src/db/audit.js';
import type { Knex } from '../../src/db/knex.js';
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemo } from '../../src/db/seed-demo.js';
import { ageOn, placeInBand } from '../../src/domain/age.js';
import { localDate } from '../../src/domain/calendar.js';
import { parseCivilDate } from '../../src/domain/calendar.js';
import { MN } from '../../src/domain/rules/mn.js';
import { hashPassword, verifyPassword } from '../../src/passwords.js';
import { DateTime } from 'luxon';
import { createTestDb, dbBool } from '../support/db.js';
import { TEST_SCRYPT } from '../support/deps.js';

let db: Knex;
let destroy: () => Promise<void>;
beforeEach(async () => ({ db, destroy } = await createTestDb()));
afterEach(() => destroy());

const seed = (at: string) => seedDemo(db, { at: new Date(at), hashPassword: (p) => hashPassword(p, TEST_SCRYPT) });

describe('seedDemo', () => {
  it('seeds one Minnesota demo center with its four rooms, once', async () => {
    expect(await seed('2026-03-02T14:00:00Z')).toEqual({ created: true });
    expect(await seed('2026-03-02T14:00:00Z')).toEqual({ created: false });
    const centers = await db('centers').select();
    expect(centers).toHaveLength(1);
    expect(centers[0]).toMatchObject({ name: 'Maple Street Early Learning (demo)', pack_id: 'MN', time_zone: 'America/Chicago', license_number: 'DEMO-0000', is_demo: dbBool(true) });
    const rooms = await db('rooms').orderBy('created_at').select('name', 'age_categories', 'licensed_capacity');
    expect(rooms.map((r) => [r.name, r.age_categories, r.licensed_capacity])).toEqual([
      ['Infants', 'infant', 8],
      ['Toddlers', 'toddler', 14],
      ['Preschool', 'preschooler', 20],
      ['School-age', 'school_age', 30],
    ]);
    expect(await verifyAuditLog(db)).toEqual({ ok: true, entries: 1 });
  });

  it('makes the four fixed logins with the demo password, each in its role', async () => {
    await seed('2026-03-02T14:00:00Z');
    for (const { email, role } of DEMO_LOGINS) {
      const user = await db('users').where({ email }).first();
      expect(await verifyPassword(DEMO_PASSWORD, user.password_hash)).toBe(true);
      const m = await db('memberships').where({ user_id: user.id }).first();
      expect(m.role).toBe(role);
      expect(m.center_id === null).toBe(role === 'owner');
    }
    const staff = await db('memberships').where({ 'memberships.role': 'staff' }).join('people', 'people.id', 'memberships.person_id').first('people.role');
    expect(staff.role).toBe('teacher');
  });

  it('uses only training ids of the Minnesota pack', async () => {
    await seed('2026-03-02T14:00:00Z');
    const ids = (await db('training_records').distinct('training_id')).map((r) => r.training_id);
    expect(MN.trainings.map((t) => t.id)).toEqual(expect.arrayContaining(ids));
  });

  it('has staff all cleared, a 17-year-old aide, and volunteers in mixed states', async () => {
    await seed('2026-03-02T14:00:00Z');
    const people = await db('people').select();
    const staff = people.filter((p) => p.role !== 'volunteer');
    expect(staff.length).toBeGreaterThanOrEqual(8);
    expect(staff.every((p) => p.background_study === 'cleared')).toBe(true);
    expect(staff.some((p) => p.role === 'aide' && p.birth_date && DateTime.fromISO('2026-03-02').diff(DateTime.fromISO(p.birth_date), 'years').years < 18)).toBe(true);
    const volunteers = people.filter((p) => p.role === 'volunteer');
    expect(volunteers).toHaveLength(5);
    expect(volunteers.map((v) => v.background_study).sort()).toEqual(['cleared', 'cleared', 'cleared', 'cleared', 'submitted']);
    expect(await db('training_records').where({ status: 'submitted' }).count({ n: '*' }).first()).toEqual({ n: 1 });
  });

  for (const at of ['2026-03-02T14:00:00Z', '2026-03-31T20:00:00Z', '2026-01-01T05:30:00Z']) {
    it(`puts children on both sides of every Minnesota boundary when seeded at ${at}`, async () => {
      await seed(at);
      const today = localDate(DateTime.fromISO(at), 'America/Chicago');
      const rooms = new Map((await db('rooms').select()).map((r) => [r.id, r.age_categories]));
      const children = await db('children').select();
      expect(children.length).toBeGreaterThanOrEqual(20);
      const placed = children.map((c) => {
        const age = ageOn(parseCivilDate(c.birth_date)!, today);
        const p = placeInBand(MN, age, Boolean(c.attends_kindergarten));
        return { room: rooms.get(c.home_room_id), band: MN.bands[p.bandIndex]!.coarse, below: p.belowMinimum, age };
      });
      // Every child's home room serves the child's category today.
      for (const p of placed) expect(p.room).toBe(p.band);
      // Just under and at 6 weeks, 16 months and 33 months; a five-year-old in kindergarten.
      expect(placed.filter((p) => p.below)).toHaveLength(1);
      expect(placed.some((p) => p.age.days === 42)).toBe(true);
      expect(placed.some((p) => p.band === 'infant' && p.age.months === 15)).toBe(true);
      expect(placed.some((p) => p.band === 'toddler' && p.age.months === 16)).toBe(true);
      expect(placed.some((p) => p.band === 'toddler' && p.age.months === 32)).toBe(true);
      expect(placed.some((p) => p.band === 'preschooler' && p.age.months === 33)).toBe(true);
      expect(placed.some((p) => p.band === 'school_age' && p.age.months < 72)).toBe(true);
      expect(placed.some((p) => p.band === 'preschooler' && p.age.months >= 60)).toBe(true);
    });
  }
});
