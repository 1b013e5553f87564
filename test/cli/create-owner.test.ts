/**
 * `npm run create-owner -- --email a@b.c [--name …] [--organization …]`: creates the
 * organization and its owner and prints a one-time link to set the password.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliProcess } from '../support/cli.js';
import { parseConfig } from '../../src/config.js';
import { verifyAuditLog } from '../../src/db/audit.js';
import { listDemoCenters } from '../../src/db/centers.js';
import { isPostgres, type Knex } from '../../src/db/knex.js';
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemo } from '../../src/db/seed-demo.js';
import { seedDemoDay } from '../../src/db/seed-demo-day.js';
import { createLogger } from '../../src/log.js';
import { hashPassword } from '../../src/passwords.js';
import { createApp } from '../../src/web/app.js';
import { statusesFrom } from '../../src/services/center-state.js';
import { anAgent, signInAs } from '../support/agent.js';
import { seedCenter } from '../support/builders.js';
import { createTestDb, type TestDb } from '../support/db.js';
import { TEST_SCRYPT } from '../support/deps.js';

let t: TestDb;
beforeEach(async () => (t = await createTestDb()));
afterEach(() => t.destroy());

function createOwner(...args: string[]) {
  return runCliProcess('create-owner', { args, env: { ...t.env, NODE_ENV: 'test', PORT: '4321' } });
}

describe('create-owner', () => {
  it('creates an owner with no password and prints a link where they set one', async () => {
    const { status, stdout, stderr } = createOwner('--email', 'Boss@Example.org', '--name', 'Boss Person', '--organization', 'Northside Care');
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const link = /http:\/\/localhost:4321(\/password-resets\/[A-Za-z0-9_-]{43})/.exec(stdout);
    expect(link).not.toBeNull();

    const config = parseConfig({ NODE_ENV: 'test', ...t.env });
    const db = t.db;
    expect(await db('users').where({ email: 'boss@example.org' }).first()).toMatchObject({ display_name: 'Boss Person', password_hash: null });
    expect(await db('organizations').first()).toMatchObject({ name: 'Northside Care' });
    expect(await db('memberships').first()).toMatchObject({ role: 'owner', center_id: null });

    const app = createApp({ db, config, log: createLogger(config), clock: { now: () => new Date() }, passwordParams: TEST_SCRYPT });
    const owner = anAgent(app);
    expect((await owner.get(link![1]!)).text).toContain('Set your password');
    expect((await owner.submit(link![1]!, { password: 'the owner passphrase', passwordConfirmation: 'the owner passphrase' })).status).toBe(303);
    expect((await owner.get('/')).status).toBe(200);
    expect((await anAgent(app).submit('/sign-in', { email: 'boss@example.org', password: 'the owner passphrase' })).status).toBe(303);
  });

  it('answers a missing or bad argument with one line on stderr and exit 2', () => {
    for (const args of [[], ['--email'], ['--email', 'not-an-email'], ['--mail', 'a@b.co'], ['--email', 'a@b.co', 'extra']]) {
      const { status, stdout, stderr } = createOwner(...args);
      expect(status, args.join(' ')).toBe(2);
      expect(stdout).toBe('');
      expect(stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
    // Five node processes one after another: on a busy machine (both engines' runs at once) that is more than 20 s.
  }, 60_000);

  it('answers a bad setting in the environment with one line on stderr and exit 2, as the server does', () => {
    const { status, stdout, stderr } = runCliProcess('create-owner', { args: ['--email', 'a@b.co'], env: { ...t.env, NODE_ENV: 'test', PORT: 'eighty' } });
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^Invalid configuration: PORT: /);
  });

  it('refuses an email that already has an account, with exit 1', () => {
    expect(createOwner('--email', 'a@b.co').status).toBe(0);
    const again = createOwner('--email', 'A@b.co');
    expect(again.status).toBe(1);
    expect(again.stderr.trim()).toBe('a@b.co already has an account');
  });
});

/** Every table of the database, the migrations' own left out. */
async function tables(db: Knex): Promise<string[]> {
  const rows = isPostgres(db)
    ? ((await db('information_schema.tables').where({ table_schema: db.raw('current_schema()'), table_type: 'BASE TABLE' }).select({ name: 'table_name' })) as { name: string }[])
    : ((await db('sqlite_master').where({ type: 'table' }).whereNot('name', 'like', 'sqlite_%').select('name')) as { name: string }[]);
  return rows.map((r) => r.name).filter((n) => !n.startsWith('knex_'));
}

/** The ids in `ids` that any id column (`id`, `…_id`) of any table but the audit log still holds, as `table.column: id`. */
async function stillThere(db: Knex, ids: ReadonlySet<string>): Promise<string[]> {
  const found: string[] = [];
  for (const table of await tables(db)) {
    if (table === 'audit_log') continue;
    for (const column of Object.keys(await db(table).columnInfo())) {
      if (column !== 'id' && !column.endsWith('_id')) continue;
      const values = (await db(table).whereNotNull(column).distinct({ v: column })) as { v: unknown }[];
      for (const { v } of values) if (ids.has(String(v))) found.push(`${table}.${column}: ${String(v)}`);
    }
  }
  return found;
}

describe('create-owner on a database holding the demo', () => {
  const at = new Date();
  const config = () => parseConfig({ NODE_ENV: 'test', ...t.env });
  const appOn = () => createApp({ db: t.db, config: config(), log: createLogger(config()), clock: { now: () => new Date() }, passwordParams: TEST_SCRYPT });

  /** The demo as a first start leaves it, with its day under way and a visitor signed in as its director. */
  async function seedTheDemo() {
    await seedDemo(t.db, { at, hashPassword: (p) => hashPassword(p, TEST_SCRYPT) });
    const [center] = await listDemoCenters(t.db);
    await seedDemoDay(t.db, center!, at, statusesFrom(center!));
    await signInAs(appOn(), { email: DEMO_LOGINS[1]!.email, password: DEMO_PASSWORD });
    return center!;
  }

  it('M7: refuses with one line and exit 2, saying how to start without the demo', async () => {
    await seedTheDemo();
    const { status, stdout, stderr } = createOwner('--email', 'boss@example.org');
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/SEED_DEMO=false/);
    expect(stderr).toMatch(/--remove-demo/);
    // Nothing made; the demo as it was.
    expect(await t.db('users').where({ email: 'boss@example.org' }).first()).toBeUndefined();
    expect(await t.db('organizations').count({ n: '*' }).first()).toMatchObject({ n: 1 });
  });

  it('M7: with --remove-demo removes the demo and everything of it, in one transaction with an audit entry', async () => {
    const center = await seedTheDemo();
    const demoOrg = center.organizationId;
    // Everything of the demo, by id: its organization, and every row that names one of its centers, and its users.
    const ids = new Set<string>([demoOrg, center.id]);
    for (const table of await tables(t.db)) {
      const columns = await t.db(table).columnInfo();
      if (table === 'audit_log' || !('center_id' in columns) || !('id' in columns)) continue;
      for (const r of (await t.db(table).where({ center_id: center.id }).select('id')) as { id: string }[]) ids.add(r.id);
    }
    for (const r of (await t.db('memberships').where({ organization_id: demoOrg }).select('id', 'user_id')) as { id: string; user_id: string }[]) ids.add(r.id).add(r.user_id);
    expect(ids.size).toBeGreaterThan(100);
    // A certificate a visitor uploaded to the demo.
    const uploaded = join(dirname(t.env.DB_FILE), 'uploads', center.id, 'a-certificate');
    await mkdir(dirname(uploaded), { recursive: true });
    await writeFile(uploaded, 'pdf');
    const auditBefore = (await verifyAuditLog(t.db)) as { entries: number };

    const { status, stdout, stderr } = createOwner('--email', 'boss@example.org', '--organization', 'Northside Care', '--remove-demo');
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toMatch(/^Demo removed\.\nOwner created\./);

    expect(await stillThere(t.db, ids)).toEqual([]);
    for (const { email } of DEMO_LOGINS) expect(await t.db('users').where({ email }).first()).toBeUndefined();
    expect(await t.db('centers').where({ is_demo: true }).first()).toBeUndefined();
    expect((await t.db('organizations').select('name')).map((o: { name: string }) => o.name)).toEqual(['Northside Care']);
    // The demo director's session is gone with the account.
    expect(await t.db('sessions').count({ n: '*' }).first()).toMatchObject({ n: 0 });
    expect(existsSync(dirname(uploaded))).toBe(false);
    // One entry says so; the log's chain holds (the demo's own entries stay: the log is append-only).
    const removed = await t.db('audit_log').where({ action: 'organization.removed' }).select();
    expect(removed).toHaveLength(1);
    expect(removed[0]).toMatchObject({ organization_id: demoOrg, record_type: 'organization', record_id: demoOrg });
    expect(JSON.parse(removed[0].changes).before).toMatchObject({ demo: true, rowsDeleted: expect.objectContaining({ centers: 1, organizations: 1, users: DEMO_LOGINS.length }) });
    const audit = await verifyAuditLog(t.db);
    expect(audit.ok).toBe(true);
    expect(audit.entries).toBe(auditBefore.entries + 5);

    // The sign-in page no longer offers the demo, and its logins do not work.
    const app = appOn();
    expect((await anAgent(app).get('/sign-in')).text).not.toContain('Try the demo');
    expect((await anAgent(app).submit('/sign-in', { email: DEMO_LOGINS[0]!.email, password: DEMO_PASSWORD })).status).toBe(401);
  }, 60_000);

  it('keeps the demo when the owner cannot be made: removal and owner are one transaction', async () => {
    await seedTheDemo();
    // A database from before this refusal: a real organization beside the demo, whose owner's email is given again.
    const real = await seedCenter(t.db);
    const before = await t.db('centers').count({ n: '*' }).first();
    const { status, stderr } = createOwner('--email', real.users.owner.email, '--remove-demo');
    expect(status).toBe(1);
    expect(stderr.trim()).toBe(`${real.users.owner.email} already has an account`);
    expect(await t.db('centers').count({ n: '*' }).first()).toEqual(before);
    expect(await t.db('centers').where({ is_demo: true }).first()).toBeDefined();
    expect(await t.db('audit_log').where({ action: 'organization.removed' }).first()).toBeUndefined();
  });
});
