import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDb, testEngine, type TestDb } from '../support/db.js';

describe('createDb', () => {
  let t: TestDb;
  beforeEach(async () => (t = await createTestDb()));
  afterEach(() => t.destroy());

  it.runIf(testEngine() === 'sqlite')('Durability: commits on SQLite with synchronous=FULL, so an answered write survives a power cut', async () => {
    // 2 is FULL (1 NORMAL): the WAL is synced at every commit, not only at checkpoints.
    expect(await t.db.raw('PRAGMA synchronous')).toEqual([{ synchronous: 2 }]);
    await t.db.transaction(async (trx) => {
      expect(await trx.raw('PRAGMA synchronous')).toEqual([{ synchronous: 2 }]);
    });
  });
});
