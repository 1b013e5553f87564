import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { loadConfig, type Config } from '../config.js';
import { listDemoCenters } from '../db/centers.js';
import { createDb, migrateLatest, withDbLock } from '../db/knex.js';
import { hasAnyOrganization } from '../db/organizations.js';
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemo } from '../db/seed-demo.js';
import { seedDemoDay } from '../db/seed-demo-day.js';
import { createLogger } from '../log.js';
import { hashPassword } from '../passwords.js';
import { createApp } from './app.js';
import { recordCenterStatuses } from './board/changes.js';
import { createEventHub, type EventHub } from './events/hub.js';
import { createPgEventHub } from './events/pg-hub.js';

// In-flight requests get this long to finish before their connections are cut.
const SHUTDOWN_GRACE_MS = 10_000;

export type RunningServer = {
  readonly url: string;
  /** True while the demo center exists: its logins are worth printing. */
  readonly demo: boolean;
  close(): Promise<void>;
};

/**
 * Migrates the database, seeds the demo on an empty one (unless SEED_DEMO=false) and
 * listens; `close()` drains requests, then releases the database.
 */
export async function startServer(config: Config): Promise<RunningServer> {
  const log = createLogger(config);
  const db = createDb(config);
  const server = createServer();
  let events: EventHub | undefined;
  let demo = false;
  try {
    await migrateLatest(db);
    // On PostgreSQL other app processes may share the database: board events go through it (LISTEN/NOTIFY).
    events = config.databaseUrl ? await createPgEventHub({ db, log }) : createEventHub();
    // One process at a time (PostgreSQL): two starting together would both seed an empty database.
    await withDbLock(db, 'ratiowatch.startup', async () => {
      if (config.seedDemo && !(await hasAnyOrganization(db))) {
        await seedDemo(db, { at: new Date(), hashPassword: (p) => hashPassword(p) });
        log.info('demo.seeded');
      }
      const demoCenters = await listDemoCenters(db);
      demo = demoCenters.length > 0;
      // Each day the demo starts with its rooms checked in, so the board shows something true.
      for (const center of demoCenters) {
        const at = new Date();
        if ((await seedDemoDay(db, center, at)).seeded) {
          await recordCenterStatuses(db, center, at, 'demo day checked in');
          log.info({ centerId: center.id }, 'demo.day_started');
        }
      }
    });
    server.on('request', createApp({ db, config, log, clock: { now: () => new Date() }, events }));
    server.listen(config.port, config.host);
    await once(server, 'listening');
  } catch (err) {
    await events?.close();
    await db.destroy();
    throw err;
  }
  const hub = events;
  const { port } = server.address() as AddressInfo;
  log.info({ port }, 'server.started');

  let closing: Promise<void> | undefined;
  const shutdown = async () => {
    const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
    // close() drops idle keep-alive connections only once; a connection whose response ends
    // afterwards would otherwise hold the shutdown open until its keep-alive timeout.
    const sweep = setInterval(() => server.closeIdleConnections(), 100).unref();
    // Open board streams never end by themselves.
    hub.closeAll();
    // Stops accepting at once; resolves when the last in-flight response has ended.
    await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    clearTimeout(force);
    clearInterval(sweep);
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

async function main() {
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
    console.error(err);
    process.exit(1);
  });
}
