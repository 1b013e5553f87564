import type { Knex } from 'knex';
import { appendAudit } from '../../src/db/audit.js';

/**
 * A test's own write of rows the app keeps in memory (a person disqualified, a shift
 * added, a room renamed), made as the app makes every write: in a transaction with
 * its audit entry, which moves the audit log's heads (src/db/freshness.ts). Without
 * the entry the app would, by design, go on answering what it read before, as it
 * would after someone edited the database by hand.
 */
export async function writeAudited<T>(db: Knex, by: { readonly organizationId: string; readonly recordType: string }, write: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  return db.transaction(async (trx) => {
    const done = await write(trx);
    await appendAudit(trx, { at: new Date(), organizationId: by.organizationId, action: `${by.recordType}.changed_by_test`, recordType: by.recordType });
    return done;
  });
}
