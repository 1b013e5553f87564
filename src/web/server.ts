import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { loadConfig, type Config } from '../config.js';
import { createDb, migrateLatest } from '../db/knex.js';
import { createLogger } from '../log.js';
import { createApp } from './app.js';

// In-flight requests get this long to finish before their connections are cut.
const SHUTDOWN_GRACE_MS = 10_000;

export type RunningServer = { readonly url: string; close(): Promise<void> };

/** Migrates the database and listens; `close()` drains requests, then releases the database. */
export async function startServer(config: Config): Promise<RunningServer> {
  const log = createLogger(config);
  const db = createDb(config);
  const server = createServer();
  try {
    await migrateLatest(db);
    server.on('request', createApp({ db, config, log, clock: { now: () => new Date() } }));
    server.listen(config.port, config.host);
    await once(server, 'listening');
  } catch (err) {
    await db.destroy();
    throw err;
  }
  const { port } = server.address() as AddressInfo;
  log.info({ port }, 'server.started');

  let closing: Promise<void> | undefined;
  const shutdown = async () => {
    const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
    // close() drops idle keep-alive connections only once; a connection whose response ends
    // afterwards would otherwise hold the shutdown open until its keep-alive timeout.
    const sweep = setInterval(() => server.closeIdleConnections(), 100).unref();
    // Stops accepting at once; resolves when the last in-flight response has ended.
    await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    clearTimeout(force);
    clearInterval(sweep);
    await db.destroy();
    log.info('server.stopped');
  };
  return {
    url: `http://localhost:${port}`,
    // A second signal during shutdown waits for the same shutdown.
    close: () => (closing ??= shutdown()),
  };
}

async function main() {
  const server = await startServer(loadConfig());
  console.log(`Ratiowatch is running at ${server.url}`);
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
