import { once } from 'node:events';
import { chmod, mkdir, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { loadConfig, type Config } from '../config.js';
import { checkAuditKey } from '../db/audit.js';
import { MissingAuditKey } from '../db/audit-key.js';
import { listDemoCenters } from '../db/centers.js';
import { createDb, migrateLatest, withDbLock } from '../db/knex.js';
import { hasAnyOrganization } from '../db/organizations.js';
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemo } from '../db/seed-demo.js';
import { seedDemoDay } from '../db/seed-demo-day.js';
import { ensureSessionSecret } from '../db/settings.js';
import { createLogger } from '../log.js';
import { hashPassword } from '../passwords.js';
import { PRIVATE_DIR_MODE } from '../secret-files.js';
import { createApp } from './app.js';
import { statusesFrom } from '../services/center-state.js';
import { createJobRunner, type JobRunner } from '../services/jobs.js';
import { createMailTransport, type MailTransport } from '../services/alerts/mail.js';
import { createPushTransport } from '../services/alerts/push.js';
import { vapidKeys } from '../services/alerts/vapid.js';
import { createEventHub, type EventHub } from './events/hub.js';
import { createPgEventHub } from './events/pg-hub.js';
import { uploadsDirOf } from './uploads/certificates.js';

// In-flight requests get this long to finish before their connections are cut.
const SHUTDOWN_GRACE_MS = 10_000;

export type RunningServer = {
  readonly url: string;
  /** True while the demo center exists: its logins are worth printing. */
  readonly demo: boolean;
  close(): Promise<void>;
};

/**
 * Migrates the database, seeds the demo on an empty one (unless SEED_DEMO=false),
 * listens and starts the job runner (services/jobs.ts: day plans at each center's
 * midnight, breach and no-show notices, every minute); `close()` stops the jobs,
 * drains requests, then releases the database.
 */
export async function startServer(config: Config, opts: { readonly clock?: { now(): Date } } = {}): Promise<RunningServer> {
  // The app's clock: the system's, or a test's (a browser journey set at a fixed hour of today).
  const clock = opts.clock ?? { now: () => new Date() };
  const log = createLogger(config);
  const db = createDb(config);
  const server = createServer();
  let events: EventHub | undefined;
  let jobs: JobRunner | undefined;
  let mail: MailTransport | undefined;
  let demo = false;
  try {
    await migrateLatest(db);
    // Secrets live beside the database, never in it: made now on a first start (an old session secret is
    // moved out of the database); a log that has a head and no key stops the start here.
    await ensureSessionSecret(db, config);
    // Web Push's keys: from the environment, or made now and kept in vapid.json beside the database.
    const vapid = vapidKeys(config);
    if (!(await checkAuditKey(db)).sealed) log.error('audit.head_unsealed');
    await makeUploadsPrivate(uploadsDirOf({ config }));
    // On PostgreSQL other app processes may share the database: board events go through it (LISTEN/NOTIFY).
    events = config.databaseUrl ? await createPgEventHub({ db, log }) : createEventHub();
    // One process at a time (PostgreSQL): two starting together would both seed an empty database.
    await withDbLock(db, 'ratiowatch.startup', async () => {
      if (config.seedDemo && !(await hasAnyOrganization(db))) {
        await seedDemo(db, { at: clock.now(), hashPassword: (p) => hashPassword(p) });
        log.info('demo.seeded');
      }
      const demoCenters = await listDemoCenters(db);
      demo = demoCenters.length > 0;
      // Each day the demo starts with its rooms checked in, so the board shows something true; the seed writes
      // the rooms' history from its backdated presences, judged by the board's own judging (handed in: db/ may
      // not import web/).
      for (const center of demoCenters) {
        if ((await seedDemoDay(db, center, clock.now(), statusesFrom(center))).seeded) log.info({ centerId: center.id }, 'demo.day_started');
      }
    });
    server.on('request', createApp({ db, config, log, clock, events }));
    server.listen(config.port, config.host);
    await once(server, 'listening');
    // After the demo's day is seeded: its first tick tells the demo director of the breach the seed sets up.
    mail = createMailTransport(config);
    if (mail.kind === 'files') log.info({ folder: mail.folder }, 'mail.files');
    jobs = createJobRunner({ db, log, clock, delivery: { transport: mail, publicUrl: config.publicUrl, push: createPushTransport(vapid) } });
    jobs.start();
  } catch (err) {
    await jobs?.stop();
    await events?.close();
    await db.destroy();
    throw err;
  }
  const hub = events;
  const runner = jobs;
  const { port } = server.address() as AddressInfo;
  log.info({ port }, 'server.started');

  let closing: Promise<void> | undefined;
  const shutdown = async () => {
    const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
    // close() drops idle keep-alive connections only once; a connection whose response ends
    // afterwards would otherwise hold the shutdown open until its keep-alive timeout.
    const sweep = setInterval(() => server.closeIdleConnections(), 100).unref();
    // No new tick; the one under way ends before the database goes (and the lock is let go).
    const jobsStopped = runner.stop();
    // Open board streams never end by themselves.
    hub.closeAll();
    // Stops accepting at once; resolves when the last in-flight response has ended.
    await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    clearTimeout(force);
    clearInterval(sweep);
    await jobsStopped;
    mail?.close();
    await hub.close();
    await db.destroy();
    log.info('server.stopped');
  };
  return {
    url: `http://localhost:${port}`,
    demo,
    // A second signal during shutdown waits for the same shutdown.
    close: () => (closing ??= shutdown()),
  };
}

/** The certificates' folder: made 0700, or made so when an earlier version left it open to others. */
async function makeUploadsPrivate(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (((await stat(dir)).mode & 0o077) !== 0) await chmod(dir, PRIVATE_DIR_MODE);
}

async function main() {
  // First of all: every file and folder this process makes (the database, its WAL, uploads, secret files) is its user's alone.
  process.umask(0o077);
  const server = await startServer(loadConfig());
  console.log(`Ratiowatch is running at ${server.url}`);
  if (server.demo) {
    console.log(`Demo logins (password: ${DEMO_PASSWORD}):`);
    for (const { role, email } of DEMO_LOGINS) console.log(`  ${role.padEnd(9)} ${email}`);
  }
  const stop = () => {
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

// Run only as the entry point (`npm start`), not when a test imports startServer.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err instanceof MissingAuditKey ? err.message : err);
    process.exit(1);
  });
}
