import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isPostgres, readTogether, type Knex } from '../../src/db/knex.js';
import { createTestDb } from '../support/db.js';

let db: Knex;
let destroy: () => Promise<void>;
beforeEach(async () => ({ db, destroy } = await createTestDb()));
afterEach(() => destroy());

/** Two reads that record when each starts and ends. */
function tracked() {
  const events: string[] = [];
  const read = (name: string, q: () => Promise<unknown>) => async () => {
    events.push(`${name} start`);
    const out = await q();
    events.push(`${name} end`);
    return out;
  };
  return { events, read };
}

describe('readTogether', () => {
  it('answers every read, in order, and starts them together outside a transaction', async () => {
    const { events, read } = tracked();
    const [one, two] = await readTogether(db, [read('a', () => db.raw('select 1 as n')), read('b', () => db('audit_head').count({ n: '*' }))] as const);
    expect(one).toBeDefined();
    expect(two).toBeDefined();
    expect(events.slice(0, 2)).toEqual(['a start', 'b start']);
  });

  it('on a PostgreSQL transaction, asks its one connection for the next read only after the last answered', async () => {
    const { events, read } = tracked();
    await db.transaction((trx) => readTogether(trx, [read('a', () => trx.raw('select 1 as n')), read('b', () => trx.raw('select 2 as n'))] as const));
    expect(events).toEqual(isPostgres(db) ? ['a start', 'a end', 'b start', 'b end'] : ['a start', 'b start', 'a end', 'b end']);
  });
});
