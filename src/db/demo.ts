import type { Knex } from 'knex';
import { appendAudit } from './audit.js';

/**
 * The demo organization: the one holding a center marked is_demo (seed-demo.ts). Its
 * logins are published, so it may stand only on an installation of its own: the sign-in
 * page lists them only while the demo is the only organization, and create-owner refuses
 * a database that holds it unless asked to remove it first.
 */

export type DemoOrganization = { readonly id: string; readonly name: string; readonly centerIds: readonly string[] };

/** Organizations with a demo center (one, as seeded), with all their centers. */
export async function listDemoOrganizations(db: Knex): Promise<DemoOrganization[]> {
  const orgs = (await db('organizations')
    .whereIn('id', db('centers').where({ is_demo: true }).select('organization_id'))
    .orderBy('id')
    .select('id', 'name')) as { id: string; name: string }[];
  const centers = (await db('centers')
    .whereIn('organization_id', orgs.map((o) => o.id))
    .orderBy('id')
    .select('id', 'organization_id')) as { id: string; organization_id: string }[];
  return orgs.map((o) => ({ id: o.id, name: o.name, centerIds: centers.filter((c) => c.organization_id === o.id).map((c) => c.id) }));
}

/** True while the demo's organization is the only one: then, and only then, its public logins may be shown. */
export async function isDemoOnly(db: Knex): Promise<boolean> {
  const orgs = (await db('organizations').limit(2).select('id')) as { id: string }[];
  if (orgs.length !== 1) return false;
  return (await db('centers').where({ organization_id: orgs[0]!.id, is_demo: true }).first('id')) !== undefined;
}

// Everything a center holds, children before the rows they point at (foreign keys are enforced on both
// engines, so a table added later and not listed here makes the removal fail whole, not leave orphans).
const BY_CENTER = [
  'outbox',
  'alert_preferences',
  'notices',
  'cover_request_events',
  'cover_claims',
  'plan_overrides',
  'cover_requests',
] as const;
const BY_CENTER_AFTER_SHIFTS = [
  'shift_templates',
  'day_plans',
  'child_absences',
] as const;
const BY_CENTER_AFTER_SCHEDULES = [
  'child_presences',
  'person_presences',
  'room_activities',
  'room_merges',
  'handoff_notes',
  'headcount_checks',
  'room_status_history',
  'room_naps',
] as const;
const BY_CENTER_LAST = ['training_records', 'center_trainings'] as const;

/**
 * Deletes a demo organization and everything of it, inside the caller's transaction: its
 * centers and all they hold, its invitations and memberships, and the users who belonged to
 * it and to nothing else (with their sessions). One audit entry says so. The audit log's
 * own entries about the demo stay: the log is append-only, and deleting them would break
 * its hash chain. Returns the rows deleted per table.
 */
export async function removeDemoOrganization(trx: Knex.Transaction, demo: DemoOrganization, at: Date): Promise<Record<string, number>> {
  const deleted: Record<string, number> = {};
  const del = async (table: string, q: Knex.QueryBuilder) => {
    const n = (await q.del()) as number;
    if (n > 0) deleted[table] = (deleted[table] ?? 0) + n;
  };
  const centers = demo.centerIds;
  const ofCenters = (table: string) => trx(table).whereIn('center_id', centers);

  // Users of the demo who belong to no other organization: theirs only, so they go too.
  const memberIds = ((await trx('memberships').where({ organization_id: demo.id }).distinct('user_id')) as { user_id: string }[]).map((r) => r.user_id);
  const elsewhere = new Set(
    ((await trx('memberships').whereIn('user_id', memberIds).whereNot({ organization_id: demo.id }).distinct('user_id')) as { user_id: string }[]).map((r) => r.user_id),
  );
  const users = memberIds.filter((id) => !elsewhere.has(id));

  await del('cover_waves', trx('cover_waves').whereIn('cover_request_id', ofCenters('cover_requests').select('id')));
  for (const t of BY_CENTER) await del(t, ofCenters(t));
  await del('shift_breaks', trx('shift_breaks').whereIn('shift_id', ofCenters('shifts').select('id')));
  await del('shifts', ofCenters('shifts'));
  for (const t of BY_CENTER_AFTER_SHIFTS) await del(t, ofCenters(t));
  await del('child_schedules', trx('child_schedules').whereIn('child_id', ofCenters('children').select('id')));
  for (const t of BY_CENTER_AFTER_SCHEDULES) await del(t, ofCenters(t));
  for (const t of ['availability_windows', 'availability_today']) await del(t, trx(t).whereIn('person_id', ofCenters('people').select('id')));
  for (const t of BY_CENTER_LAST) await del(t, ofCenters(t));
  await del('invitations', trx('invitations').where({ organization_id: demo.id }));
  await del('memberships', trx('memberships').where({ organization_id: demo.id }));
  for (const t of ['children', 'rooms', 'people']) await del(t, ofCenters(t));
  await del('centers', trx('centers').where({ organization_id: demo.id }));
  await del('organizations', trx('organizations').where({ id: demo.id }));
  if (users.length > 0) {
    // Invitations elsewhere they made or were for: none, as they belong nowhere else; the foreign keys would say so.
    await del('push_subscriptions', trx('push_subscriptions').whereIn('user_id', users));
    await del('users', trx('users').whereIn('id', users));
    const gone = new Set(users);
    const sessions = (await trx('sessions').select('sid', 'sess')) as { sid: string; sess: unknown }[];
    const theirs = sessions.filter((s) => {
      const sess = (typeof s.sess === 'string' ? JSON.parse(s.sess) : s.sess) as { userId?: unknown } | null;
      return typeof sess?.userId === 'string' && gone.has(sess.userId);
    });
    for (let i = 0; i < theirs.length; i += 500) await del('sessions', trx('sessions').whereIn('sid', theirs.slice(i, i + 500).map((s) => s.sid)));
  }

  await appendAudit(trx, {
    at,
    organizationId: demo.id,
    action: 'organization.removed',
    recordType: 'organization',
    recordId: demo.id,
    before: { name: demo.name, demo: true, centers: centers.length, rowsDeleted: deleted },
    after: null,
  });
  return deleted;
}
