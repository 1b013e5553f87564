import type { Knex } from 'knex';

// Every table a form could write to; `sessions` is left out (a signed-in visit writes its CSRF token there).
const TABLES = ['organizations', 'centers', 'users', 'memberships', 'people', 'rooms', 'children', 'child_schedules', 'training_records', 'invitations', 'sign_in_attempts', 'audit_log', 'settings'];

/** Each table's rows as JSON, to show that nothing was written. */
export async function snapshot(db: Knex): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of TABLES) out[t] = JSON.stringify(await db(t).select().orderBy(t === 'audit_log' ? 'id' : t === 'settings' || t === 'sign_in_attempts' ? 'key' : 'id'));
  return out;
}
