import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { AuditRow, parseRows, type AuditEntry } from './rows.js';
import { auditedRows } from './generations.js';
import { together } from './knex.js';
import { authRowsChanged } from './users.js';

/**
 * The audit trail: append-only, one row per change, each carrying a hash over its
 * content and the previous row's hash, so editing or deleting a row breaks the chain
 * from there on. `audit_head` holds the last id and hash; appends lock it first.
 */

export const GENESIS_HASH = '0'.repeat(64);

export type AuditInput = {
  readonly at: Date;
  readonly organizationId: string;
  readonly centerId?: string | null;
  readonly actorUserId?: string | null;
  /** noun.past_verb, e.g. membership.deactivated */
  readonly action: string;
  readonly recordType: string;
  readonly recordId?: string | null;
  readonly before?: Record<string, unknown> | null;
  readonly after?: Record<string, unknown> | null;
};

// Field names whose values never reach the audit log.
const SECRET_KEYS = new Set(['password', 'password_hash', 'passwordHash', 'token', 'token_hash', 'tokenHash', 'secret', 'session_secret']);
const REDACTED = '[redacted]';

/** A copy with every secret-named field's value replaced, at any depth. */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, SECRET_KEYS.has(k) ? REDACTED : redact(v)]),
  );
}

/**
 * Entries of these record types change who someone is or what they may do where
 * (users, memberships, centers, organizations); a sign-in changes nothing of the kind.
 * The web layer's cache of those rows (web/auth/current.ts) is dropped on each.
 */
const STANDING_RECORD_TYPES = ['user', 'membership', 'center', 'organization'];
const NOT_A_STANDING_CHANGE = 'user.signed_in';

function changesStanding(input: Pick<AuditInput, 'recordType' | 'action'>): boolean {
  return STANDING_RECORD_TYPES.includes(input.recordType) && input.action !== NOT_A_STANDING_CHANGE;
}

/**
 * The id of the last entry in (after, upTo] that changed someone's standing, or 0.
 * A range of the primary key: other processes' writes are found this way (PostgreSQL).
 */
export async function lastStandingChangeBetween(db: Knex, after: number, upTo: number): Promise<number> {
  const row = (await db('audit_log')
    .where('id', '>', after)
    .andWhere('id', '<=', upTo)
    .whereIn('record_type', STANDING_RECORD_TYPES)
    .whereNot({ action: NOT_A_STANDING_CHANGE })
    .max({ id: 'id' })
    .first()) as { id: number | string | null } | undefined;
  return row?.id == null ? 0 : Number(row.id);
}

type Hashed = Omit<AuditEntry, 'hash'>;

/** The hash of an entry: its stored fields, in a fixed order, and the previous hash. */
export function entryHash(e: Hashed): string {
  const content = JSON.stringify([e.id, e.at, e.organizationId, e.centerId, e.actorUserId, e.action, e.recordType, e.recordId, e.changes, e.prevHash]);
  return createHash('sha256').update(content).digest('hex');
}

type Head = { readonly lastId: number; readonly lastHash: string };

/** Transactions whose appends are kept, in call order, for deferAuditAppends' flush to write. */
const deferred = new WeakMap<Knex.Transaction, AuditInput[]>();

/**
 * From now until the returned `flush`, appends inside `trx` are kept in memory, and
 * `flush` writes them all: one head lock, one insert, one head update. A group of
 * changes committed together (web/board/changes.ts) pays three statements for its
 * whole trail, not three per change. The entries are chained in the order of their
 * instants (call order among equal ones), so ids follow time even when the group's
 * changes ran side by side. The caller flushes once its appends are done and before
 * its transaction commits; a rollback leaves nothing behind.
 */
export function deferAuditAppends(trx: Knex.Transaction): () => Promise<void> {
  const inputs: AuditInput[] = [];
  deferred.set(trx, inputs);
  return async () => {
    deferred.delete(trx);
    if (inputs.length === 0) return;
    // A stable sort: appends with the same instant keep their call order.
    const ordered = [...inputs].sort((a, b) => a.at.getTime() - b.at.getTime());
    let head = await lockHead(trx);
    const rows = ordered.map((input) => {
      const row = entryRow(head, input);
      head = { lastId: row.id, lastHash: row.hash };
      return row;
    });
    const last = head;
    await together(trx, [() => trx('audit_log').insert(rows), () => trx('audit_head').where({ id: 1 }).update({ last_id: last.lastId, last_hash: last.lastHash })]);
  };
}

/**
 * Locks the head and reads it. Writing the head before reading it takes PostgreSQL's
 * row lock (SQLite's write lock), so a concurrent append waits here instead of reading
 * the same head and forking the chain. One statement (RETURNING) locks and reads; the
 * row is made on the very first append only.
 */
async function lockHead(trx: Knex.Transaction): Promise<Head> {
  const read = async () =>
    ((await trx('audit_head').where({ id: 1 }).update({ last_id: trx.ref('last_id') }).returning(['last_id', 'last_hash'])) as { last_id: number | string; last_hash: string }[])[0];
  let head = await read();
  if (!head) {
    await trx('audit_head').insert({ id: 1, last_id: 0, last_hash: GENESIS_HASH }).onConflict('id').ignore();
    head = await read();
    if (!head) throw new Error('audit_head: no head row after creating it');
  }
  return { lastId: Number(head.last_id), lastHash: head.last_hash };
}

/** Appends one entry inside the caller's transaction (the same one that made the change). */
export async function appendAudit(trx: Knex.Transaction, input: AuditInput): Promise<void> {
  const kept = deferred.get(trx);
  if (kept) kept.push(input);
  else {
    const row = entryRow(await lockHead(trx), input);
    await trx('audit_log').insert(row);
    await trx('audit_head').where({ id: 1 }).update({ last_id: row.id, last_hash: row.hash });
  }
  // Board snapshots, cover banners and the like are kept in memory while no audited write comes.
  auditedRows.changed(trx);
  // Center settings and organizations have no repository hook of their own: their audit entry is it.
  if (changesStanding(input)) authRowsChanged(trx);
}

/** The stored row of the entry after `head`, with its hash. */
function entryRow(head: Head, input: AuditInput) {
  const entry: Hashed = {
    id: head.lastId + 1,
    at: input.at.toISOString(),
    organizationId: input.organizationId,
    centerId: input.centerId ?? null,
    actorUserId: input.actorUserId ?? null,
    action: input.action,
    recordType: input.recordType,
    recordId: input.recordId ?? null,
    changes: JSON.stringify(redact({ before: input.before ?? null, after: input.after ?? null })),
    prevHash: head.lastHash,
  };
  return {
    id: entry.id,
    at: entry.at,
    organization_id: entry.organizationId,
    center_id: entry.centerId,
    actor_user_id: entry.actorUserId,
    action: entry.action,
    record_type: entry.recordType,
    record_id: entry.recordId,
    changes: entry.changes,
    prev_hash: entry.prevHash,
    hash: entryHash(entry),
  };
}

export type AuditFilter = { readonly actorUserId?: string; readonly recordId?: string };

/** A center's entries, newest first; one more than `limit` is fetched to tell whether there is a next page. */
export async function listAuditInCenter(
  db: Knex,
  centerId: string,
  filter: AuditFilter,
  page: { readonly limit: number; readonly offset: number },
): Promise<{ entries: AuditEntry[]; hasMore: boolean }> {
  const q = db('audit_log').where({ center_id: centerId });
  if (filter.actorUserId) q.andWhere({ actor_user_id: filter.actorUserId });
  if (filter.recordId) q.andWhere({ record_id: filter.recordId });
  const rows = await q.orderBy('id', 'desc').limit(page.limit + 1).offset(page.offset);
  const entries = parseRows(AuditRow, rows);
  return { entries: entries.slice(0, page.limit), hasMore: entries.length > page.limit };
}

export type AuditVerification = { ok: true; entries: number } | { ok: false; entries: number; brokenAt: number; reason: string };

/** Walks the whole chain in id order and reports the first entry that does not hold. */
export async function verifyAuditLog(db: Knex, batchSize = 500): Promise<AuditVerification> {
  let prevHash = GENESIS_HASH;
  let prevId = 0;
  for (;;) {
    const batch = parseRows(AuditRow, await db('audit_log').where('id', '>', prevId).orderBy('id').limit(batchSize));
    for (const e of batch) {
      const broken = (reason: string): AuditVerification => ({ ok: false, entries: prevId, brokenAt: e.id, reason });
      if (e.id !== prevId + 1) return { ok: false, entries: prevId, brokenAt: prevId + 1, reason: `entry ${prevId + 1} is missing` };
      if (e.prevHash !== prevHash) return broken(`its previous hash does not match entry ${prevId}`);
      if (entryHash(e) !== e.hash) return broken('its content does not match its hash');
      prevHash = e.hash;
      prevId = e.id;
    }
    if (batch.length < batchSize) break;
  }
  const head = (await db('audit_head').where({ id: 1 }).first()) as { last_id: number | string; last_hash: string } | undefined;
  const headId = head ? Number(head.last_id) : 0;
  if (headId > prevId) return { ok: false, entries: prevId, brokenAt: prevId + 1, reason: `entries ${prevId + 1} to ${headId} are missing` };
  if (head && (headId !== prevId || head.last_hash !== prevHash)) {
    return { ok: false, entries: prevId, brokenAt: prevId, reason: 'it does not match the recorded head of the log' };
  }
  return { ok: true, entries: prevId };
}

/** Who appears as actor in a center's log, for the filter. */
export async function listAuditActorsInCenter(db: Knex, centerId: string): Promise<{ id: string; displayName: string }[]> {
  const rows = (await db('users')
    .whereIn('id', db('audit_log').where({ center_id: centerId }).whereNotNull('actor_user_id').distinct('actor_user_id'))
    .orderBy('display_name')
    .select('id', 'display_name')) as { id: string; display_name: string }[];
  return rows.map((r) => ({ id: r.id, displayName: r.display_name }));
}
