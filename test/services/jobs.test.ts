/**
 * The job runner (services/jobs.ts), driven by calling its tick with the instant a
 * minute's timer would give it: with nobody looking, each center's day plan appears
 * at its own midnight, and a breach within the forecast horizon becomes a directors'
 * notice; a failing job or center is logged and the rest go on; on PostgreSQL one of
 * two app processes runs the jobs, the one holding the advisory lock.
 */
import type { Knex } from 'knex';
import { pino, type Logger } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasDayPlan } from '../../src/db/day-plans.js';
import { newId } from '../../src/db/rows.js';
import { insertShiftTemplate } from '../../src/db/shift-templates.js';
import { createJobRunner, JOBS, type Job, type JobRunner } from '../../src/services/jobs.js';
import { seedCenter, type SeededCenter } from '../support/builders.js';
import { createTestDb, testEngine, type TestDb } from '../support/db.js';
import { seedRoomDay } from '../support/day.js';
import { testClock } from '../support/deps.js';

// Monday 2 March 2026 and Tuesday 3 March, in Chicago (UTC-6).
const MONDAY = '2026-03-02';
const TUESDAY = '2026-03-03';

let t: TestDb;
let db: Knex;
let home: SeededCenter;
let lines: { level: number; msg: string; job?: string; centerId?: string }[];
let log: Logger;
const runners: JobRunner[] = [];

beforeEach(async () => {
  t = await createTestDb();
  db = t.db;
  home = await seedCenter(db, { name: 'Home Center' });
  lines = [];
  log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
});
afterEach(async () => {
  for (const r of runners.splice(0)) await r.stop();
  await t.destroy();
});

const runner = (opts: { db?: Knex; jobs?: readonly Job[]; at?: string } = {}) => {
  const r = createJobRunner({ db: opts.db ?? db, log, clock: testClock(opts.at ?? '2026-03-02T12:00:00Z'), jobs: opts.jobs });
  runners.push(r);
  return r;
};

const count = async (table: string, where: Record<string, unknown>) => Number(((await db(table).where(where).count({ n: '*' }).first()) as { n: number | string }).n);
const plansMade = (centerId: string) => count('audit_log', { center_id: centerId, action: 'day_plan.made' });

/** The teacher every weekday in Infants from 07:00 to 15:00, with a break 11:30–12:00. */
async function weeklyTeacher(center: SeededCenter) {
  for (const weekday of [1, 2, 3, 4, 5]) {
    await insertShiftTemplate(db, { centerId: center.center.id, personId: center.people.teacher.id, roomId: center.rooms.infants.id, weekday, start: '07:00', end: '15:00', breakStart: '11:30', breakEnd: '12:00' }, new Date('2026-03-01T12:00:00Z'));
  }
}

describe('the day_plans job', () => {
  it("makes a center's day plan at its midnight, with nobody looking, from the weekly templates", async () => {
    await weeklyTeacher(home);
    // At 23:59 on Monday the tick makes Monday's plan; Tuesday's waits until Tuesday begins in Chicago.
    const jobs = runner();
    expect(await jobs.runOnce(new Date('2026-03-03T05:59:00Z'))).toEqual({ ran: true, failures: [] }); // 23:59 Monday
    expect(await hasDayPlan(db, home.center.id, MONDAY)).toBe(true);
    expect(await hasDayPlan(db, home.center.id, TUESDAY)).toBe(false);

    expect(await jobs.runOnce(new Date('2026-03-03T06:00:30Z'))).toEqual({ ran: true, failures: [] }); // 00:00:30 Tuesday
    expect(await hasDayPlan(db, home.center.id, TUESDAY)).toBe(true);
    const shifts = await db('shifts').where({ center_id: home.center.id, day: TUESDAY });
    expect(shifts.map((s) => [s.person_id, s.room_id, s.starts_at, s.ends_at, s.source])).toEqual([
      [home.people.teacher.id, home.rooms.infants.id, '2026-03-03T13:00:00.000Z', '2026-03-03T21:00:00.000Z', 'template'],
    ]);
    expect(await db('shift_breaks').where({ shift_id: shifts[0]!.id }).select('starts_at', 'ends_at')).toEqual([{ starts_at: '2026-03-03T17:30:00.000Z', ends_at: '2026-03-03T18:00:00.000Z' }]);
    expect(await db('audit_log').where({ center_id: home.center.id, action: 'day_plan.made' }).orderBy('id').select('actor_user_id')).toEqual([{ actor_user_id: null }, { actor_user_id: null }]);
  });

  it("makes each center's plan at its own midnight, not the server's", async () => {
    const west = await seedCenter(db, { name: 'West Center' });
    await db('centers').where({ id: west.center.id }).update({ time_zone: 'America/Los_Angeles' });
    const jobs = runner();
    // 00:00:30 Tuesday in Chicago is 22:00:30 Monday in Los Angeles.
    await jobs.runOnce(new Date('2026-03-03T06:00:30Z'));
    expect(await hasDayPlan(db, home.center.id, TUESDAY)).toBe(true);
    expect(await hasDayPlan(db, west.center.id, MONDAY)).toBe(true);
    expect(await hasDayPlan(db, west.center.id, TUESDAY)).toBe(false);
    await jobs.runOnce(new Date('2026-03-03T08:00:30Z')); // 00:00:30 Tuesday in Los Angeles
    expect(await hasDayPlan(db, west.center.id, TUESDAY)).toBe(true);
  });

  it('makes a day plan once, however often it ticks', async () => {
    await weeklyTeacher(home);
    const jobs = runner();
    for (const at of ['2026-03-03T06:00:30Z', '2026-03-03T06:01:00Z', '2026-03-03T06:02:00Z']) await jobs.runOnce(new Date(at));
    expect(await plansMade(home.center.id)).toBe(1);
    expect(await count('shifts', { center_id: home.center.id, day: TUESDAY })).toBe(1);
  });
});

describe('the breach_notices job', () => {
  /**
   * Infants: two infants expected 07:00–17:00 on Mondays, the staff login's teacher in
   * the weekly schedule 07:00–15:00 and here since 07:00. No day plan is made, nobody
   * opens a page.
   */
  async function shortAtThree() {
    const day = await seedRoomDay(db, home);
    await weeklyTeacher(home);
    for (const child of [day.children.ada, day.children.ben]) await db('child_schedules').insert({ id: newId(), child_id: child.id, weekday: 1, arrive: '07:00', depart: '17:00' });
    await db('person_presences').insert({ id: newId(), center_id: home.center.id, room_id: home.rooms.infants.id, person_id: home.people.teacher.id, started_at: '2026-03-02T13:00:00.000Z', ended_at: null });
  }
  const breachNotices = (userId: string) => db('notices').where({ user_id: userId, kind: 'forecast_breach' }).select('body', 'link');

  it('tells the directors of a breach within the forecast horizon with nobody looking, once', async () => {
    await shortAtThree();
    const jobs = runner();
    // 13:59: the breach at 15:00 is beyond the hour's horizon.
    await jobs.runOnce(new Date('2026-03-02T19:59:00Z'));
    expect(await breachNotices(home.users.director.id)).toEqual([]);
    await jobs.runOnce(new Date('2026-03-02T20:00:00Z')); // 14:00
    expect(await breachNotices(home.users.director.id)).toEqual([
      {
        body: 'Infants will be short of staff at 15:00 (2026-03-02) and no one has asked for cover yet.',
        link: `/centers/${home.center.id}/cover-requests/new?roomId=${home.rooms.infants.id}&start=15%3A00&end=17%3A00&count=1&needs=teacher&trainings=aht%2Csuid`,
      },
    ]);
    expect(await breachNotices(home.users.staff.id)).toEqual([]);
    await jobs.runOnce(new Date('2026-03-02T20:01:00Z'));
    expect(await breachNotices(home.users.director.id)).toHaveLength(1);
  });
});

describe('a failure', () => {
  it('of one job is logged and the next job still runs', async () => {
    let ran = 0;
    const jobs = runner({
      jobs: [
        { name: 'broken', run: () => Promise.reject(new Error('boom')) },
        { name: 'counting', run: async () => void (ran += 1) },
      ],
    });
    expect(await jobs.runOnce(new Date('2026-03-02T20:00:00Z'))).toEqual({ ran: true, failures: [{ job: 'broken' }] });
    expect(ran).toBe(1);
    expect(lines.filter((l) => l.msg === 'job.failed')).toMatchObject([{ level: 50, job: 'broken' }]);
  });

  it('at one center is logged and the other centers and the next job still run', async () => {
    const other = await seedCenter(db, { name: 'Other Center' });
    const visited: string[] = [];
    const jobs = runner({
      jobs: [
        { name: 'picky', run: (ctx) => ctx.forEachCenter(async (c) => (c.id === home.center.id ? Promise.reject(new Error('boom')) : void visited.push(c.id))) },
        ...JOBS,
      ],
    });
    expect(await jobs.runOnce(new Date('2026-03-03T06:00:30Z'))).toEqual({ ran: true, failures: [{ job: 'picky', centerId: home.center.id }] });
    expect(visited).toEqual([other.center.id]);
    expect(lines.filter((l) => l.msg === 'job.center_failed')).toMatchObject([{ level: 50, job: 'picky', centerId: home.center.id }]);
    // The jobs after it made both centers' plans.
    expect(await hasDayPlan(db, home.center.id, TUESDAY)).toBe(true);
    expect(await hasDayPlan(db, other.center.id, TUESDAY)).toBe(true);
  });
});

describe.runIf(testEngine() === 'sqlite')('on SQLite', () => {
  it('runs the jobs in the one process', async () => {
    const jobs = runner();
    expect(await jobs.runOnce(new Date('2026-03-03T06:00:30Z'))).toEqual({ ran: true, failures: [] });
    expect(jobs.isRunner()).toBe(true);
  });
});

describe.runIf(testEngine() === 'pg')('on PostgreSQL, two app processes', () => {
  const advisoryLocks = async () => Number(((await db.raw("SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND granted")) as { rows: { n: number }[] }).rows[0]!.n);

  it('run each tick once: the one holding the lock runs the jobs, the other skips', async () => {
    await weeklyTeacher(home);
    let ran = 0;
    const counting: Job = { name: 'counting', run: async () => void (ran += 1) };
    const [a, b] = [runner({ jobs: [...JOBS, counting] }), runner({ db: t.connect(), jobs: [...JOBS, counting] })];
    const at = new Date('2026-03-03T06:00:30Z'); // 00:00:30 Tuesday in Chicago
    const outcomes = await Promise.all([a.runOnce(at), b.runOnce(at)]);
    expect(outcomes.filter((o) => o.ran)).toEqual([{ ran: true, failures: [] }]);
    expect(outcomes.filter((o) => !o.ran)).toEqual([{ ran: false, reason: 'not_runner' }]);
    expect(ran).toBe(1);
    expect([a.isRunner(), b.isRunner()].filter(Boolean)).toHaveLength(1);
    expect(await plansMade(home.center.id)).toBe(1);
    expect(await advisoryLocks()).toBe(1);

    // The runner stays the runner at the next tick.
    const [runnerNow, other] = a.isRunner() ? [a, b] : [b, a];
    expect(await Promise.all([runnerNow.runOnce(new Date('2026-03-03T06:01:00Z')), other.runOnce(new Date('2026-03-03T06:01:00Z'))])).toEqual([
      { ran: true, failures: [] },
      { ran: false, reason: 'not_runner' },
    ]);
    expect(ran).toBe(2);

    // Its process stops: the other takes the lock at its next tick.
    await runnerNow.stop();
    expect(await other.runOnce(new Date('2026-03-03T06:02:00Z'))).toEqual({ ran: true, failures: [] });
    expect(other.isRunner()).toBe(true);
    expect(ran).toBe(3);
    expect(await advisoryLocks()).toBe(1);
    expect(await plansMade(home.center.id)).toBe(1);
  });

  it('lets another take over when the runner’s lock connection is lost', async () => {
    const [a, b] = [runner(), runner({ db: t.connect() })];
    expect((await a.runOnce(new Date('2026-03-03T06:00:30Z'))).ran).toBe(true);
    // The server ends the runner's lock connection (a restart, a network cut).
    await db.raw("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted");
    expect(await b.runOnce(new Date('2026-03-03T06:01:00Z'))).toEqual({ ran: true, failures: [] });
    // The old runner finds its connection gone, and skips while the other holds the lock.
    expect(await a.runOnce(new Date('2026-03-03T06:02:00Z'))).toEqual({ ran: false, reason: 'not_runner' });
    expect(lines.some((l) => l.msg === 'jobs.lock_lost')).toBe(true);
  });
});
