/**
 * `npm run audit:verify`: `audit log OK: N entries` (exit 0) on an intact log,
 * `audit log broken at entry <id>: <why>` (exit 1) once a row was edited by hand;
 * `npm run audit:anchor -- <file>` and `audit:verify --anchor <file>`.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliProcess } from '../support/cli.js';
import { appendAudit, entryHash } from '../../src/db/audit.js';
import { AUDIT_KEY_FILE, auditKeyOf, headSeal } from '../../src/db/audit-key.js';
import type { Knex } from '../../src/db/knex.js';
import { seedDemo } from '../../src/db/seed-demo.js';
import { hashPassword } from '../../src/passwords.js';
import { createTestDb, type TestDb } from '../support/db.js';
import { TEST_SCRYPT } from '../support/deps.js';

let t: TestDb;
beforeEach(async () => (t = await createTestDb()));
afterEach(() => t.destroy());

function run(cli: string, args: string[] = []) {
  const { status, stdout, stderr } = runCliProcess(cli, { args, env: { ...t.env, NODE_ENV: 'test' } });
  return { status, stdout: stdout.trim(), stderr: stderr.trim() };
}
const auditVerify = (args: string[] = []) => run('audit-verify', args);
const auditAnchor = (args: string[]) => run('audit-anchor', args);
const anchorFile = () => join(dirname(t.env.DB_FILE), 'anchor.txt');

const at = new Date('2026-03-02T12:00:00Z');
async function append(n: number) {
  await t.db.transaction(async (trx) => {
    for (let i = 0; i < n; i++) await appendAudit(trx, { at, organizationId: 'o-1', action: 'thing.changed', recordType: 'thing', recordId: `r-${i}`, after: { n: i } });
  });
}

async function withDb(fn: (db: Knex) => Promise<void>) {
  await fn(t.db);
}

describe('audit:verify', () => {
  it('passes on the demo database, then reports the first broken link after a row is edited by hand', async () => {
    await withDb(async (db) => {
      await seedDemo(db, { at: new Date('2026-03-02T14:00:00Z'), hashPassword: (p) => hashPassword(p, TEST_SCRYPT) });
      // More history after the seed: a few sign-in-like entries.
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

// Each test runs the CLIs as processes several times (a few seconds each on a busy machine).
describe('audit:anchor and audit:verify --anchor (issue #17, M3)', { timeout: 120_000 }, () => {
  it('M3: detects a cut tail with the anchor written by audit:anchor, even one made with the key', async () => {
    await append(5);
    const written = auditAnchor([anchorFile()]);
    expect(written.status).toBe(0);
    const head = await t.db('audit_head').first();
    expect(written.stdout).toBe(`audit anchor written to ${anchorFile()}: entry 5, hash ${head.last_hash}`);
    expect(await readFile(anchorFile(), 'utf8')).toMatch(new RegExp(`^ratiowatch audit anchor\nentry: 5\nhash: ${head.last_hash}\nwritten: \\S+\n$`));
    expect(auditVerify(['--anchor', anchorFile()])).toEqual({ status: 0, stdout: 'audit log OK: 5 entries, anchor entry 5 holds', stderr: '' });

    // Someone holding the key cuts the last two entries and seals the moved head as the app would.
    const key = auditKeyOf(t.db, { mayCreate: false });
    await t.db('audit_log').where('id', '>', 3).del();
    const third = (await t.db('audit_log').where({ id: 3 }).first()).hash as string;
    await t.db('audit_head').where({ id: 1 }).update({ last_id: 3, last_hash: third, seal: headSeal(key, 3, third) });

    expect(auditVerify()).toEqual({ status: 0, stdout: 'audit log OK: 3 entries', stderr: '' });
    expect(auditVerify(['--anchor', anchorFile()])).toEqual({
      status: 1,
      stdout: '',
      stderr: "audit log broken at entry 4: the log ends at entry 3, before the anchor's entry 5: entries were cut from the end",
    });
    // Nor is the cut log re-anchored over the anchor it no longer reaches.
    expect(auditAnchor([anchorFile()])).toMatchObject({ status: 1, stderr: expect.stringContaining('before the anchor') });
    expect(await readFile(anchorFile(), 'utf8')).toContain('entry: 5\n');
  });

  it('M3: detects a rewrite re-hashed without the key (audit:verify exits 1)', async () => {
    await append(4);
    await t.db('audit_log').where({ id: 2 }).update({ record_id: 'r-forged' });
    let prev = (await t.db('audit_log').where({ id: 1 }).first()).hash as string;
    for (const row of await t.db('audit_log').where('id', '>=', 2).orderBy('id')) {
      const hash = entryHash({ id: row.id, at: row.at, organizationId: row.organization_id, centerId: row.center_id, actorUserId: row.actor_user_id, action: row.action, recordType: row.record_type, recordId: row.record_id, changes: row.changes, prevHash: prev });
      await t.db('audit_log').where({ id: row.id }).update({ prev_hash: prev, hash });
      prev = hash;
    }
    await t.db('audit_head').where({ id: 1 }).update({ last_hash: prev });
    expect(auditVerify()).toEqual({ status: 1, stdout: '', stderr: 'audit log broken at entry 2: its content does not match its hash' });
  });

  it('M3: reads an anchor typed in by hand from the printed head, and moves an anchor forward that still holds', async () => {
    await append(2);
    const head = await t.db('audit_head').first();
    await writeFile(anchorFile(), `entry: ${head.last_id}\nhash: ${String(head.last_hash).toUpperCase()}\n`);
    expect(auditVerify(['--anchor', anchorFile()])).toMatchObject({ status: 0, stdout: 'audit log OK: 2 entries, anchor entry 2 holds' });
    await append(1);
    expect(auditAnchor([anchorFile()])).toMatchObject({ status: 0, stdout: expect.stringContaining(': entry 3, hash ') });
  });

  it('M3: answers one line and exit 2 for a missing or malformed anchor, a bad argument, or no audit key', async () => {
    await append(1);
    const noFile = auditVerify(['--anchor', join(dirname(t.env.DB_FILE), 'nope.txt')]);
    expect(noFile).toMatchObject({ status: 2, stdout: '' });
    expect(noFile.stderr).toMatch(/^audit-verify: no anchor file at "[^\n]+nope\.txt"$/);
    await writeFile(anchorFile(), 'entry: five\nhash: abc\n');
    expect(auditVerify(['--anchor', anchorFile()])).toMatchObject({ status: 2, stderr: expect.stringMatching(/^audit-verify: "[^\n]+": "entry:" must be a whole number$/) });
    expect(auditAnchor([anchorFile()])).toMatchObject({ status: 2, stderr: expect.stringContaining('"entry:" must be a whole number') });
    expect(auditAnchor([])).toMatchObject({ status: 2, stderr: 'audit-anchor: name one file to write (usage: npm run audit:anchor -- <file>)' });
    expect(auditVerify(['--anchor'])).toMatchObject({ status: 2, stdout: '' });

    await rm(join(dirname(t.env.DB_FILE), AUDIT_KEY_FILE));
    const noKey = auditVerify();
    expect(noKey).toMatchObject({ status: 2, stdout: '' });
    expect(noKey.stderr).toMatch(/^audit-verify: no audit key: set AUDIT_KEY, or put the key file back at \S+audit\.key$/);
  });
});
