import type { Knex } from 'knex';

/**
 * How a user wants to be reached about one center: email on or off, push to their
 * devices on or off (in-app notices always), and quiet hours in the center's zone during which only urgent messages go
 * out. No row is the default: email and push on, no quiet hours.
 */

export type AlertPreferences = {
  readonly email: boolean;
  /** Web Push to the person's devices (nothing goes while they have none). */
  readonly push: boolean;
  /** `HH:mm` in the center's zone, both set or both null; a start after the end runs over midnight. */
  readonly quietStart: string | null;
  readonly quietEnd: string | null;
};

export const DEFAULT_PREFERENCES: AlertPreferences = { email: true, push: true, quietStart: null, quietEnd: null };

type Row = { user_id: string; email: boolean | number; push: boolean | number; quiet_start: string | null; quiet_end: string | null };
const fromRow = (r: Row): AlertPreferences => ({ email: r.email === true || r.email === 1, push: r.push === true || r.push === 1, quietStart: r.quiet_start, quietEnd: r.quiet_end });

export async function findAlertPreferences(db: Knex, userId: string, centerId: string): Promise<AlertPreferences> {
  const row = (await db('alert_preferences').where({ user_id: userId, center_id: centerId }).first()) as Row | undefined;
  return row ? fromRow(row) : DEFAULT_PREFERENCES;
}

/** The preferences of each of `userIds` about the center (the default for those with no row). */
export async function listAlertPreferences(db: Knex, centerId: string, userIds: readonly string[]): Promise<Map<string, AlertPreferences>> {
  const out = new Map<string, AlertPreferences>();
  const ids = [...new Set(userIds)];
  for (let i = 0; i < ids.length; i += 500) {
    const rows = (await db('alert_preferences').where({ center_id: centerId }).whereIn('user_id', ids.slice(i, i + 500))) as Row[];
    for (const r of rows) out.set(r.user_id, fromRow(r));
  }
  for (const id of ids) if (!out.has(id)) out.set(id, DEFAULT_PREFERENCES);
  return out;
}

export async function saveAlertPreferences(db: Knex, userId: string, centerId: string, prefs: AlertPreferences, at: Date): Promise<void> {
  await db('alert_preferences')
    .insert({ user_id: userId, center_id: centerId, email: prefs.email, push: prefs.push, quiet_start: prefs.quietStart, quiet_end: prefs.quietEnd, updated_at: at.toISOString() })
    .onConflict(['user_id', 'center_id'])
    .merge(['email', 'push', 'quiet_start', 'quiet_end', 'updated_at']);
}
