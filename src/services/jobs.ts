import type { Knex } from 'knex';
import { listCenters } from '../db/centers.js';
import { isPostgres } from '../db/knex.js';
import type { Center } from '../db/rows.js';
import type { Logger } from '../log.js';
import { deliverDue, type DeliveryOptions } from './alerts/deliver.js';
import { deliverDuePush } from './alerts/push.js';
import { noticeBreaches } from './cover/takers.js';
import { sendDueWaves } from './cover/waves.js';
import { dayOf, ensureDayPlan } from './day-plan.js';
import { trainingDigestJob, trainingExpiryJob } from './training-alerts.js';

/**
 * The job runner: what the app does with nobody looking. Once a minute, on the
 * minute, each job in turn visits every center: `day_plans` makes the day's plan of
 * each center whose local day has none yet (so at the center's midnight, or at the
 * first tick after a restart), and `breach_notices` tells directors of a forecast
 * breach within the horizon that no open request covers, and of a no show,
 * `cover_waves` widens each open cover request's circle of people told when its next
 * wave is due (cover/openings.ts), `outbox` sends the email due
 * (alerts/deliver.ts) and `push` the phone pushes due (alerts/push.ts). Each is idempotent (the day plan's primary key, the notices'
 * dedupe key, the waves sent, the outbox rows' states), so a tick that runs twice
 * stores and sends nothing twice.
 *
 * A center or a job that fails is logged and the others go on. On PostgreSQL one
 * app process at a time runs the jobs: the one holding the session-level advisory
 * lock `ratiowatch.jobs` on a connection of its own, kept open while it is the
 * runner; the others try to take it at each tick and skip while they cannot (the
 * lock goes with the connection if its process dies). On SQLite the one process
 * runs them.
 *
 * Started by the app process (web/server.ts), not by createApp: tests call
 * `runOnce(at)` themselves.
 */

export type JobContext = {
  readonly db: Knex;
  readonly log: Logger;
  /** The tick's instant, on the minute. */
  readonly at: Date;
  /** Every center, read once per tick. */
  readonly centers: readonly Center[];
  /** Runs `fn` for each center in turn; a center that fails is logged (with the job's name) and the next goes on. */
  forEachCenter(fn: (center: Center) => Promise<unknown>): Promise<void>;
  /** How email goes out; without it the outbox waits (a test's runner that sends nothing). */
  readonly delivery?: DeliveryOptions;
};

export type Job = { readonly name: string; readonly run: (ctx: JobContext) => Promise<void> };

/** The jobs, in order: a center's plan is made before its breaches are looked for. */
export const JOBS: readonly Job[] = [
  { name: 'day_plans', run: (ctx) => ctx.forEachCenter((center) => ensureDayPlan(ctx.db, center, dayOf(center, ctx.at), ctx.at)) },
  { name: 'breach_notices', run: (ctx) => ctx.forEachCenter((center) => noticeBreaches(ctx.db, center, ctx.at)) },
  { name: 'cover_waves', run: (ctx) => ctx.forEachCenter((center) => sendDueWaves(ctx.db, center, ctx.at)) },
  // From 07:00 in the center's zone: trainings running out in 30 and 7 days (daily), the directors' digest (weekly).
  { name: 'training_expiry', run: (ctx) => ctx.forEachCenter((center) => trainingExpiryJob(ctx.db, center, ctx.at)) },
  { name: 'training_digest', run: (ctx) => ctx.forEachCenter((center) => trainingDigestJob(ctx.db, center, ctx.at)) },
  {
    name: 'outbox',
    run: async (ctx) => {
      if (!ctx.delivery) return;
      const done = await deliverDue(ctx.db, ctx.centers, ctx.delivery, ctx.log, ctx.at);
      if (done.sent + done.failed + done.retried > 0) ctx.log.info(done, 'outbox.delivered');
    },
  },
  {
    // The outbox's push messages, to each of the person's phones (alerts/push.ts).
    name: 'push',
    run: async (ctx) => {
      if (!ctx.delivery?.push) return;
      const done = await deliverDuePush(ctx.db, ctx.centers, { ...ctx.delivery, transport: ctx.delivery.push }, ctx.log, ctx.at);
      if (done.sent + done.failed + done.retried + done.gone > 0) ctx.log.info(done, 'push.delivered');
    },
  },
];

/** A job, or one center of a job, that failed in a tick. */
export type JobFailure = { readonly job: string; readonly centerId?: string };

export type TickOutcome =
  | { readonly ran: true; readonly failures: readonly JobFailure[] }
  /** `not_runner`: another process holds the lock (PostgreSQL); `busy`: the last tick has not ended. */
  | { readonly ran: false; readonly reason: 'not_runner' | 'busy' };

export type JobRunner = {
  /** One tick at `at` (now by default): the jobs, if this process is the runner. */
  runOnce(at?: Date): Promise<TickOutcome>;
  /** Ticks now, then on every minute of the clock. */
  start(): void;
  /** No more ticks; waits for the one under way, then lets the lock go. */
  stop(): Promise<void>;
  /** Whether this process holds the runner's lock (always, on SQLite). */
  isRunner(): boolean;
};

export type JobRunnerOptions = {
  readonly db: Knex;
  readonly log: Logger;
  readonly clock: { now(): Date };
  readonly jobs?: readonly Job[];
  /** The advisory lock's name (PostgreSQL). */
  readonly lockName?: string;
  /** How the `outbox` job sends email; without it messages stay queued. */
  readonly delivery?: DeliveryOptions;
};

const MINUTE = 60_000;

/** A pg client of knex's driver, outside its pool (knex's acquireRawConnection). */
type RawConnection = { __knex__disposed?: unknown };
type RawClient = { acquireRawConnection(): Promise<RawConnection>; destroyRawConnection(c: RawConnection): Promise<void> };

export function createJobRunner({ db, log, clock, jobs = JOBS, lockName = 'ratiowatch.jobs', delivery }: JobRunnerOptions): JobRunner {
  const pg = isPostgres(db);
  const client = db.client as unknown as RawClient;
  let lockConn: RawConnection | undefined;
  let holding = false;
  let running: Promise<TickOutcome> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const dropLock = async () => {
    const conn = lockConn;
    lockConn = undefined;
    holding = false;
    if (conn) await client.destroyRawConnection(conn).catch(() => undefined);
  };

  /** Whether this process runs this tick: on PostgreSQL, whether it holds (or now takes) the lock. */
  const takeTurn = async (): Promise<boolean> => {
    if (!pg) return true;
    if (holding && lockConn) {
      // The lock lives as long as its connection: one that dropped (a restarted server) took it along.
      try {
        if (lockConn.__knex__disposed) throw new Error(String(lockConn.__knex__disposed));
        await db.raw('SELECT 1').connection(lockConn);
        return true;
      } catch (err) {
        log.warn({ err }, 'jobs.lock_lost');
        await dropLock();
      }
    }
    try {
      if (lockConn?.__knex__disposed) await dropLock();
      lockConn ??= await client.acquireRawConnection();
      const result = (await db.raw('SELECT pg_try_advisory_lock(hashtext(?)) AS got', [lockName]).connection(lockConn)) as { rows: { got: boolean }[] };
      holding = result.rows[0]?.got === true;
      if (holding) log.info({ lock: lockName }, 'jobs.lock_taken');
      return holding;
    } catch (err) {
      log.error({ err }, 'jobs.lock_failed');
      await dropLock();
      return false;
    }
  };

  const tick = async (at: Date): Promise<TickOutcome> => {
    if (!(await takeTurn())) return { ran: false, reason: 'not_runner' };
    const failures: JobFailure[] = [];
    let centers: Center[];
    try {
      centers = await listCenters(db);
    } catch (err) {
      log.error({ err }, 'jobs.centers_failed');
      return { ran: true, failures: [{ job: 'centers' }] };
    }
    for (const job of jobs) {
      const forEachCenter = async (fn: (center: Center) => Promise<unknown>) => {
        for (const center of centers) {
          try {
            await fn(center);
          } catch (err) {
            failures.push({ job: job.name, centerId: center.id });
            log.error({ err, job: job.name, centerId: center.id }, 'job.center_failed');
          }
        }
      };
      try {
        await job.run({ db, log, at, centers, forEachCenter, ...(delivery && { delivery }) });
      } catch (err) {
        failures.push({ job: job.name });
        log.error({ err, job: job.name }, 'job.failed');
      }
    }
    return { ran: true, failures };
  };

  const runOnce = async (at: Date = clock.now()): Promise<TickOutcome> => {
    if (running) {
      log.warn({ at }, 'jobs.tick_skipped');
      return { ran: false, reason: 'busy' };
    }
    const mine = tick(at);
    running = mine;
    try {
      return await mine;
    } finally {
      running = undefined;
    }
  };

  /** A tick, then the next one scheduled (a tick never throws: what fails is logged). */
  const loop = (at?: Date) => {
    void runOnce(at)
      .catch((err: unknown) => log.error({ err }, 'jobs.tick_failed'))
      .finally(schedule);
  };

  const schedule = () => {
    if (stopped) return;
    const now = clock.now().getTime();
    const next = (Math.floor(now / MINUTE) + 1) * MINUTE;
    timer = setTimeout(() => {
      timer = undefined;
      // A timer may fire a little early: the tick is on the minute all the same.
      loop(new Date(Math.max(clock.now().getTime(), next)));
    }, next - now);
    timer.unref();
  };

  return {
    runOnce,
    start() {
      if (stopped || timer || running) return;
      log.info('jobs.started');
      // A tick at once: a process starting (or restarting) after midnight makes the day's plans now.
      loop();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await running?.catch(() => undefined);
      if (lockConn && holding) await db.raw('SELECT pg_advisory_unlock(hashtext(?))', [lockName]).connection(lockConn).catch(() => undefined);
      await dropLock();
    },
    isRunner: () => !pg || holding,
  };
}
