import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import type { ScryptParams } from '../../src/passwords.js';
import type { Deps } from '../../src/web/deps.js';
import { createTestDb } from './db.js';

/** Cheap enough for hundreds of sign-ins per test file; the app's default stays strong. */
export const TEST_SCRYPT: ScryptParams = { N: 2 ** 10, r: 8, p: 1 };

/** A clock tests can move: `set` jumps to an instant, `advance` moves forward. */
export type TestClock = { now(): Date; set(at: string | Date): void; advance(ms: number): void };

export function testClock(at: string | Date): TestClock {
  let current = new Date(at);
  return {
    now: () => current,
    set: (next) => {
      current = new Date(next);
    },
    advance: (ms) => {
      current = new Date(current.getTime() + ms);
    },
  };
}

/** Deps for createApp on a fresh database, with the clock fixed at `at`. */
export async function testDeps(
  at = '2026-03-02T12:45:00Z',
  env: Record<string, string> = {},
): Promise<{ deps: Deps; clock: TestClock; destroy(): Promise<void> }> {
  const { db, destroy, env: dbEnv } = await createTestDb();
  const config = parseConfig({ NODE_ENV: 'test', ...dbEnv, ...env });
  const clock = testClock(at);
  return { deps: { db, config, log: createLogger(config), clock, passwordParams: TEST_SCRYPT }, clock, destroy };
}
