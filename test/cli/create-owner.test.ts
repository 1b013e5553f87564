/**
 * `npm run create-owner -- --email a@b.c [--name …] [--organization …]`: creates the
 * organization and its owner and prints a one-time link to set the password.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliProcess } from '../support/cli.js';
import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { createApp } from '../../src/web/app.js';
import { anAgent } from '../support/agent.js';
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
