import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isPostgres, together, type Knex } from '../../src/db/knex.js';
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

describe('together', () => {
  it('answers every read, in order, and starts them together outside a transaction', async () => {
    const { events, read } = tracked();
    const [one, two] = await together(db, [read('a', () => db.raw('select 1 as n')), read('b', () => db('audit_head').count({ n: '*' }))] as const);
    expect(one).toBeDefined();
    expect(two).toBeDefined();
    expect(events.slice(0, 2)).toEqual(['a start', 'b start']);
  });

  it('on a PostgreSQL transaction, asks its one connection for the next read only after the last answered', async () => {
    const { events, read } = tracked();
    await db.transaction((trx) => together(trx, [read('a', () => trx.raw('select 1 as n')), read('b', () => trx.raw('select 2 as n'))] as const));
    // Elsewhere both start before either ends (which ends first is the connection's business).
    if (isPostgres(db)) expect(events).toEqual(['a start', 'a end', 'b start', 'b end']);
    else expect(events.slice(0, 2)).toEqual(['a start', 'b start']);
  });

  it('answers a failure only once every other statement has ended, so a rollback leaves none of them behind', async () => {
    await db.schema.createTable('together_probe', (t) => t.integer('n'));
    const events: string[] = [];
    const failed = db.transaction(async (trx) => {
      try {
        await together(trx, [
          async () => {
            throw new Error('refused');
          },
          async () => {
            await new Promise((r) => setTimeout(r, 30));
            await trx('together_probe').insert({ n: 1 });
            events.push('inserted');
          },
        ] as const);
      } finally {
        events.push('answered');
      }
    });
    await expect(failed).rejects.toThrow('refused');
    // (On a PostgreSQL transaction they run one after another, and nothing after the failure starts.)
    expect(events).toEqual(isPostgres(db) ? ['answered'] : ['inserted', 'answered']);
    // The insert ran inside the transaction, before its rollback: nothing stored.
    expect(Number(((await db('together_probe').count({ n: '*' }).first()) as { n: number | string }).n)).toBe(0);
  });
});
