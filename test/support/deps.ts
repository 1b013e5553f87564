import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import type { Deps } from '../../src/web/app.js';
import { createTestDb } from './db.js';

/** Deps for createApp on a fresh database, with the clock fixed at `at`. */
export async function testDeps(at = '2026-03-02T12:45:00Z'): Promise<{ deps: Deps; destroy(): Promise<void> }> {
  const { db, destroy } = await createTestDb();
  const config = parseConfig({ NODE_ENV: 'test' });
  const now = new Date(at);
  return { deps: { db, config, log: createLogger(config), clock: { now: () => now } }, destroy };
}
