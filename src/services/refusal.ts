import type { Knex } from 'knex';
import { err, ok, type Result } from '../domain/result.js';

/**
 * The one way to refuse inside a write's transaction: throw a `Refusal` (or call
 * `refuse`) anywhere inside `attempt`'s transaction; everything the write did rolls
 * back and the caller gets the refusal as a value. Any other error still throws.
 */
export class Refusal<E> extends Error {
  constructor(readonly error: E) {
    super('refused');
  }
}

/** Refuses the write whose transaction this runs in (see `attempt`). */
export const refuse = <E>(error: E): never => {
  throw new Refusal(error);
};

/** Runs `write` in one transaction; a `Refusal` thrown inside rolls it back and is answered as a value. */
export async function attempt<T, E>(db: Knex, write: (trx: Knex.Transaction) => Promise<T>): Promise<Result<T, E>> {
  try {
    return ok(await db.transaction(write));
  } catch (e) {
    if (!(e instanceof Refusal)) throw e;
    return err(e.error as E);
  }
}
