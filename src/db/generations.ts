import type { Knex } from 'knex';

/**
 * A number this process moves on every write to one kind of row, so that what was
 * read from those rows can be kept in memory and used only while the number stands.
 *
 * It moves when the write is made, and again when the writer's transaction ends: a
 * request that read the old rows while the transaction was open cannot keep them
 * under the new number. (On SQLite the one connection is held by the transaction, so
 * nothing reads between the write and its commit; on PostgreSQL the second move
 * covers a read that did.)
 *
 * Another process's writes are not seen: these numbers serve SQLite, which one
 * process owns. Where several processes share a PostgreSQL database, callers read the
 * database instead (see `dataVersion` and web/auth/current.ts).
 */
export class Generation {
  #value = 0;

  get current(): number {
    return this.#value;
  }

  /** Moves it now (a caller that knows when its write lands). */
  bump(): void {
    this.#value++;
  }

  changed(db: Knex): void {
    this.#value++;
    if (db.isTransaction) {
      const bump = () => {
        this.#value++;
      };
      (db as Knex.Transaction).executionPromise.then(bump, bump);
    }
  }
}

/** Every audited write: the rows the board and the forecast read (presences, rooms, children, people, trainings, plans, cover). */
export const auditedRows = new Generation();

/** Users, memberships, centers and organizations: who someone is and what they may do. */
export const standingRows = new Generation();

/** Notices: sent, read, all read. */
export const noticeRows = new Generation();

/** True on PostgreSQL, where other processes may write the same rows (SQLite: one process owns the file). */
export function sharedByProcesses(db: Knex): boolean {
  return db.client.config.client === 'pg';
}

/**
 * The version of the audited rows: the audit log's head on PostgreSQL (one
 * primary-key read, which sees every process's writes), this process's count of
 * audited writes on SQLite (no read at all). Equal versions mean equal rows.
 */
export async function dataVersion(db: Knex): Promise<number> {
  return sharedByProcesses(db) ? auditVersion(db) : auditedRows.current;
}

/**
 * The audit log's head: a number that changes with every audited write anywhere, by
 * any process. Every write the board depends on is audited in its own transaction,
 * so an unchanged number means unchanged rows. One primary-key read.
 */
export async function auditVersion(db: Knex): Promise<number> {
  const head = (await db('audit_head').where({ id: 1 }).first('last_id')) as { last_id: number | string } | undefined;
  return head ? Number(head.last_id) : 0;
}
