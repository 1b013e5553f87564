/**
 * `npm run audit:verify`: `audit log OK: N entries` (exit 0) on an intact log,
 * `audit log broken at entry <id>: <why>` (exit 1) once a row was edited by hand.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliProcess } from '../support/cli.js';
import type { Knex } from '../../src/db/knex.js';
import { seedDemo } from '../../src/db/seed-demo.js';
import { hashPassword } from '../../src/passwords.js';
import { createTestDb, type TestDb } from '../support/db.js';
import { TEST_SCRYPT } from '../support/deps.js';

let t: TestDb;
beforeEach(async () => (t = await createTestDb()));
afterEach(() => t.destroy());

function auditVerify() {
  const { status, stdout, stderr } = runCliProcess('audit-verify', { env: { ...t.env, NODE_ENV: 'test' } });
  return { status, stdout: stdout.trim(), stderr: stderr.trim() };
}

async function withDb(fn: (db: Knex) => Promise<void>) {
  await fn(t.db);
}

describe('audit:verify', () => {
  it('passes on the demo database, then reports the first broken link after a row is edited by hand', async () => {
    await withDb(async (db) => {
      await seedDemo(db, { at: new Date('2026-03-02T14:00:00Z'), hashPassword: (p) => hashPassword(p, TEST_SCRYPT) });
      // More history after the seed: a few sign-in-like entries.
      const { appendAudit } = await import('../../src/db/audit.js');
      const org = await db('organizations').first();
      await db.transaction(async (trx) => {
        for (let i = 0; i < 3; i++) await appendAudit(trx, { at: new Date(), organizationId: org.id, action: 'user.signed_in', recordType: 'user', recordId: `u-${i}` });
      });
    });
    expect(auditVerify()).toEqual({ status: 0, stdout: 'audit log OK: 4 entries', stderr: '' });

    await withDb(async (db) => {
      await db('audit_log').where({ id: 2 }).update({ action: 'user.signed_out' });
    });
    const broken = auditVerify();
    expect(broken.status).toBe(1);
    expect(broken.stderr).toBe('audit log broken at entry 2: its content does not match its hash');
  });
});
