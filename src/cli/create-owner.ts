/**
 * `npm run create-owner -- --email a@b.c [--name "…"] [--organization "…"] [--remove-demo]`
 *
 * Creates an organization and its first owner, with no password, and prints a
 * one-time link (valid 7 days) where the owner sets it. Bad or missing arguments:
 * one line on stderr, exit 2. An email that already has an account: exit 1.
 *
 * The demo's logins are public, so a real organization never joins it on one
 * database: while the demo is there it refuses (exit 2, one line), unless
 * `--remove-demo` asks it to delete the demo first, in the same transaction.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { loadConfig, type Config } from '../config.js';
import { appendAudit } from '../db/audit.js';
import { listDemoOrganizations, removeDemoOrganization } from '../db/demo.js';
import { createInvitation } from '../db/invitations.js';
import { createDb, migrateLatest, withDbLock } from '../db/knex.js';
import { createMembership } from '../db/memberships.js';
import { createOrganization } from '../db/organizations.js';
import { createUser } from '../db/users.js';
import { uploadsDirOf } from '../web/uploads/certificates.js';

export class UsageError extends Error {}

const Args = z.object({
  email: z.string({ error: '--email is required' }).trim().toLowerCase().pipe(z.email('--email must be an email address')),
  name: z.string().trim().min(1, '--name must not be empty').max(100).optional(),
  organization: z.string().trim().min(1, '--organization must not be empty').max(200).optional(),
  'remove-demo': z.boolean().default(false),
});

export const HOLDS_DEMO =
  'This database holds the demo, whose logins are public: start on a fresh database with SEED_DEMO=false (a new DB_FILE, or an empty DATABASE_URL), or run again with --remove-demo to delete the demo first.';

export function parseCreateOwnerArgs(argv: readonly string[]): z.infer<typeof Args> {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { email: { type: 'string' }, name: { type: 'string' }, organization: { type: 'string' }, 'remove-demo': { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    // parseArgs quotes the option as typed: a line break in it must not split the one line.
    throw new UsageError((err as Error).message.replace(/\s+/g, ' '));
  }
  const parsed = Args.safeParse(values);
  if (!parsed.success) throw new UsageError(parsed.error.issues[0]!.message);
  return parsed.data;
}

export async function createOwner(config: Config, argv: readonly string[], at = new Date()): Promise<{ link: string; removedDemo: boolean }> {
  const args = parseCreateOwnerArgs(argv);
  const db = createDb(config);
  try {
    await migrateLatest(db);
    // Under the lock a starting server seeds the demo under (PostgreSQL): the demo cannot appear beside the new organization.
    const { token, demos } = await withDbLock(db, 'ratiowatch.startup', () =>
      db.transaction(async (trx) => {
        const demos = await listDemoOrganizations(trx);
        if (demos.length > 0 && !args['remove-demo']) throw new UsageError(HOLDS_DEMO);
        for (const demo of demos) await removeDemoOrganization(trx, demo, at);
        const org = await createOrganization(trx, { name: args.organization ?? 'My organization', at });
        const created = await createUser(trx, { email: args.email, displayName: args.name ?? args.email.split('@')[0]!, passwordHash: null, at });
        if (!created.ok) throw new Error(`${args.email} already has an account`);
        const membership = await createMembership(trx, { userId: created.user.id, organizationId: org.id, centerId: null, role: 'owner', at });
        const { invitation, token } = await createInvitation(trx, { purpose: 'reset', organizationId: org.id, centerId: null, userId: created.user.id, createdByUserId: null, at });
        const entry = { at, organizationId: org.id };
        await appendAudit(trx, { ...entry, action: 'organization.created', recordType: 'organization', recordId: org.id, after: { name: org.name } });
        await appendAudit(trx, { ...entry, action: 'user.created', recordType: 'user', recordId: created.user.id, after: { email: created.user.email, displayName: created.user.displayName } });
        await appendAudit(trx, { ...entry, action: 'membership.created', recordType: 'membership', recordId: membership.id, after: { role: 'owner' } });
        await appendAudit(trx, { ...entry, action: 'password_reset_link.created', recordType: 'user', recordId: created.user.id, after: { invitationId: invitation.id, expiresAt: invitation.expiresAt } });
        return { token, demos };
      }),
    );
    // Certificates visitors may have uploaded to the demo: files beside the database, one folder per center.
    const uploads = uploadsDirOf({ config });
    for (const centerId of demos.flatMap((d) => d.centerIds)) await rm(join(uploads, centerId), { recursive: true, force: true });
    return { link: `http://localhost:${config.port}/password-resets/${token}`, removedDemo: demos.length > 0 };
  } finally {
    await db.destroy();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  createOwner(loadConfig(), process.argv.slice(2)).then(
    ({ link, removedDemo }) => {
      if (removedDemo) console.log('Demo removed.');
      console.log(`Owner created. Open this link within 7 days to set the password (it works once):\n${link}`);
    },
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exit(err instanceof UsageError ? 2 : 1);
    },
  );
}
