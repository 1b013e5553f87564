import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { auditKeyOf, cutOverSeal, headSeal, keyedHash, sameDigest } from './audit-key.js';
import { AuditRow, parseRows, type AuditEntry } from './rows.js';
import { KIND_COLUMNS, kindsOfEntry, type AuditHeads, type AuditKind } from './freshness.js';
import { isPostgres, together } from './knex.js';

/**
 * The audit trail: append-only, one row per change, each carrying a hash over its
 * content and the previous row's hash, so editing or deleting a row breaks the chain
 * from there on. `audit_head` holds the last id and hash; appends lock it first.
 *
 * The hash is an HMAC-SHA256 under a key kept outside the database (audit-key.ts), so
 * whoever can write the database but not read the key cannot recompute the chain after
 * an edit, nor move the head back after cutting the tail (the head carries a seal under
 * the same key). Entries written before the chain was keyed keep their plain SHA-256
 * hashes: `audit_cut_over` (sealed with the key) says up to which id. Someone holding
 * the key can still rewrite or cut the log consistently; an anchor kept elsewhere
 * (the last id and hash, `npm run audit:anchor`) catches that for what it covers.
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

type Hashed = Omit<AuditEntry, 'hash'>;

/** What an entry's hash covers: its stored fields, in a fixed order, and the previous hash. */
function entryContent(e: Hashed): string {
  return JSON.stringify([e.id, e.at, e.organizationId, e.centerId, e.actorUserId, e.action, e.recordType, e.recordId, e.changes, e.prevHash]);
}

/** The unkeyed hash of entries written before the chain was keyed (up to the cut-over): plain SHA-256. */
export function entryHash(e: Hashed): string {
  return createHash('sha256').update(entryContent(e)).digest('hex');
}

/** The hash of every entry written since: HMAC-SHA256 under the audit key. */
export function keyedEntryHash(key: Buffer, e: Hashed): string {
  return keyedHash(key, entryContent(e));
}

type Head = { readonly lastId: number; readonly lastHash: string };

/**
 * The locked head, with the key and whether its seal holds. An append extends an
 * unsealed head (moved back by hand, or sealed under another key) but leaves it
 * unsealed: the app never blesses a head it did not write, so verification keeps
 * reporting it instead of the next append hiding it. `heads` are the heads of each
 * kind as locked (db/freshness.ts).
 */
type LockedHead = Head & { readonly key: Buffer; readonly sealed: boolean; readonly heads: AuditHeads };

/** The head's new columns after appending up to `last` entries of `inputs`: the last id, its hash and seal, and the head of each kind they belong to (freshness.ts). */
function headAfter(locked: LockedHead, last: Head, inputs: readonly AuditInput[]) {
  const kinds = new Set<AuditKind>(inputs.flatMap(kindsOfEntry));
  return {
    last_id: last.lastId,
    last_hash: last.lastHash,
    ...(locked.sealed && { seal: headSeal(locked.key, last.lastId, last.lastHash) }),
    ...Object.fromEntries([...kinds].map((kind) => [KIND_COLUMNS[kind], last.lastId])),
  };
}

/** The heads of each kind once the head is moved to `last` by `inputs` (what headAfter writes). */
function headsAfter(locked: LockedHead, last: Head, inputs: readonly AuditInput[]): AuditHeads {
  const kinds = new Set<AuditKind>(inputs.flatMap(kindsOfEntry));
  const { heads } = locked;
  return {
    last: last.lastId,
    setup: kinds.has('setup') ? last.lastId : heads.setup,
    standing: kinds.has('standing') ? last.lastId : heads.standing,
    cover: kinds.has('cover') ? last.lastId : heads.cover,
  };
}

/** Transactions whose appends are kept, in call order, for deferAuditAppends' flush to write. */
const deferred = new WeakMap<Knex.Transaction, AuditInput[]>();

/**
 * From now until the returned `flush`, appends inside `trx` are kept in memory, and
 * `flush` writes them all: one head lock, one insert, one head update. A group of
 * changes committed together (services/presence-writes.ts) pays three statements for its
 * whole trail, not three per change. The entries are chained in the order of their
 * instants (call order among equal ones), so ids follow time even when the group's
 * changes ran side by side. The caller flushes once its appends are done and before
 * its transaction commits; a rollback leaves nothing behind.
 *
 * `flush` answers the audit log's heads as `trx` sees them once the trail is written
 * (the head stays locked by `trx` until it ends, so they stand for the rest of it unless
 * `trx` appends again), or undefined when there was nothing to write: what a kept value
 * is checked against inside the transaction without reading the heads again
 * (db/freshness.ts).
 */
export function deferAuditAppends(trx: Knex.Transaction): () => Promise<AuditHeads | undefined> {
  const inputs: AuditInput[] = [];
  deferred.set(trx, inputs);
  return async () => {
    deferred.delete(trx);
    if (inputs.length === 0) return undefined;
    // A stable sort: appends with the same instant keep their call order.
    const ordered = [...inputs].sort((a, b) => a.at.getTime() - b.at.getTime());
    const locked = await lockHead(trx);
    let head: Head = locked;
    const rows = ordered.map((input) => {
      const row = entryRow(locked.key, head, input);
      head = { lastId: row.id, lastHash: row.hash };
      return row;
    });
    const last = head;
    const moved = headAfter(locked, last, ordered);
    // On PostgreSQL one statement (the insert as a data-modifying WITH, always run to completion): a
    // transaction's statements go one after another there, each a round trip. SQLite has no such WITH.
    if (isPostgres(trx)) await trx.with('appended', trx('audit_log').insert(rows)).table('audit_head').where({ id: 1 }).update(moved);
    else await together(trx, [() => trx('audit_log').insert(rows), () => trx('audit_head').where({ id: 1 }).update(moved)]);
    return headsAfter(locked, last, ordered);
  };
}

/**
 * Locks the head and reads it. Writing the head before reading it takes PostgreSQL's
 * row lock (SQLite's write lock), so a concurrent append waits here instead of reading
 * the same head and forking the chain. One statement (RETURNING) locks and reads; the
 * row is made on the very first append only, which is also the one moment a missing
 * key may be made: once the log has a head, a missing key is an error, not a new key.
 */
async function lockHead(trx: Knex.Transaction): Promise<LockedHead> {
  const read = async () =>
    (
      (await trx('audit_head')
        .where({ id: 1 })
        .update({ last_id: trx.ref('last_id') })
        .returning(['last_id', 'last_hash', 'seal', 'setup_id', 'standing_id', 'cover_id'])) as {
        last_id: number | string;
        last_hash: string;
        seal: string | null;
        setup_id: number | string;
        standing_id: number | string;
        cover_id: number | string;
      }[]
    )[0];
  let head = await read();
  if (!head) {
    const key = auditKeyOf(trx, { mayCreate: true });
    await trx('audit_head').insert({ id: 1, last_id: 0, last_hash: GENESIS_HASH, seal: headSeal(key, 0, GENESIS_HASH) }).onConflict('id').ignore();
    head = await read();
    if (!head) throw new Error('audit_head: no head row after creating it');
  }
  const key = auditKeyOf(trx, { mayCreate: false });
  const lastId = Number(head.last_id);
  const heads = { last: lastId, setup: Number(head.setup_id), standing: Number(head.standing_id), cover: Number(head.cover_id) };
  return { lastId, lastHash: head.last_hash, key, sealed: sameDigest(head.seal, headSeal(key, lastId, head.last_hash)), heads };
}

/** Appends one entry inside the caller's transaction (the same one that made the change). */
export async function appendAudit(trx: Knex.Transaction, input: AuditInput): Promise<void> {
  const kept = deferred.get(trx);
  if (kept) kept.push(input);
  else {
    const locked = await lockHead(trx);
    const row = entryRow(locked.key, locked, input);
    await trx('audit_log').insert(row);
    await trx('audit_head').where({ id: 1 }).update(headAfter(locked, { lastId: row.id, lastHash: row.hash }, [input]));
  }
}

/** The stored row of the entry after `head`, with its keyed hash. */
function entryRow(key: Buffer, head: Head, input: AuditInput) {
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
    hash: keyedEntryHash(key, entry),
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

/** The last entry's id and hash, as `audit:anchor` keeps them outside the database; entry 0 and the genesis hash for an empty log. */
export type AuditAnchor = { readonly entry: number; readonly hash: string };

/** The head as recorded (what the reports page prints and `audit:anchor` writes). */
export async function readAuditHead(db: Knex): Promise<AuditAnchor> {
  const head = (await db('audit_head').where({ id: 1 }).first('last_id', 'last_hash')) as { last_id: number | string; last_hash: string } | undefined;
  return head ? { entry: Number(head.last_id), hash: head.last_hash } : { entry: 0, hash: GENESIS_HASH };
}

/**
 * Walks the whole chain in id order and reports the first thing that does not hold:
 * an entry's link or hash (plain SHA-256 up to the sealed cut-over, HMAC after it),
 * the head (its id, hash and seal), and, for each anchor, that the chain still
 * reaches the anchor's entry with the anchor's hash. Needs the audit key (throws
 * MissingAuditKey without it) once the log has a head.
 */
export async function verifyAuditLog(
  db: Knex,
  options: { readonly batchSize?: number; readonly anchors?: readonly AuditAnchor[] } = {},
): Promise<AuditVerification> {
  return (await verifyAuditLogToHead(db, options)).result;
}

/** verifyAuditLog, also answering the head it verified up to (what `audit:anchor` writes). */
export async function verifyAuditLogToHead(
  db: Knex,
  options: { readonly batchSize?: number; readonly anchors?: readonly AuditAnchor[] } = {},
): Promise<{ result: AuditVerification; head: AuditAnchor }> {
  const { batchSize = 500, anchors = [] } = options;
  let key: Buffer | undefined;
  const keyNow = () => (key ??= auditKeyOf(db, { mayCreate: false }));
  let prevHash = GENESIS_HASH;
  let prevId = 0;
  const done = (result: AuditVerification) => ({ result, head: { entry: prevId, hash: prevHash } });

  const cutOver = (await db('audit_cut_over').where({ id: 1 }).first()) as { keyed_after: number | string; seal: string } | undefined;
  const keyedAfter = cutOver ? Number(cutOver.keyed_after) : 0;
  if (cutOver && !sameDigest(cutOver.seal, cutOverSeal(keyNow(), keyedAfter))) {
    // Moved up, it would pass rewritten keyed entries off as unkeyed ones.
    return done({ ok: false, entries: 0, brokenAt: 1, reason: `its record that entries up to ${keyedAfter} predate the audit key was changed (or the key is not the log's)` });
  }
  const anchorAt = new Map(anchors.map((a) => [a.entry, a.hash]));

  type HeadRow = { last_id: number | string; last_hash: string; seal: string | null };
  let head: HeadRow | undefined;
  for (;;) {
    const walkedFrom = prevId;
    for (;;) {
      const batch = parseRows(AuditRow, await db('audit_log').where('id', '>', prevId).orderBy('id').limit(batchSize));
      for (const e of batch) {
        const broken = (reason: string) => done({ ok: false, entries: prevId, brokenAt: e.id, reason });
        if (e.id !== prevId + 1) return done({ ok: false, entries: prevId, brokenAt: prevId + 1, reason: `entry ${prevId + 1} is missing` });
        if (e.prevHash !== prevHash) return broken(`its previous hash does not match entry ${prevId}`);
        const expected = e.id <= keyedAfter ? entryHash(e) : keyedEntryHash(keyNow(), e);
        if (!sameDigest(e.hash, expected)) return broken('its content does not match its hash');
        const anchored = anchorAt.get(e.id);
        if (anchored !== undefined && e.hash !== anchored) return broken(`its hash does not match the anchor's (${anchored})`);
        prevHash = e.hash;
        prevId = e.id;
      }
      if (batch.length < batchSize) break;
    }
    // Read after the walk: an entry and its head are committed together, so a head past the walk is either
    // an append made meanwhile by the running app (walk on to it) or entries cut off (the walk finds none).
    head = (await db('audit_head').where({ id: 1 }).first('last_id', 'last_hash', 'seal')) as HeadRow | undefined;
    if (!head || Number(head.last_id) <= prevId || prevId === walkedFrom) break;
  }

  if (!head && prevId > 0) return done({ ok: false, entries: prevId, brokenAt: prevId, reason: 'the head of the log is missing' });
  if (head) {
    const headId = Number(head.last_id);
    if (headId > prevId) return done({ ok: false, entries: prevId, brokenAt: prevId + 1, reason: `entries ${prevId + 1} to ${headId} are missing` });
    if (headId !== prevId || head.last_hash !== prevHash) {
      return done({ ok: false, entries: prevId, brokenAt: prevId, reason: 'it does not match the recorded head of the log' });
    }
    if (!sameDigest(head.seal, headSeal(keyNow(), headId, head.last_hash))) {
      return done({ ok: false, entries: prevId, brokenAt: headId, reason: "the head of the log is not sealed with the audit key (moved by hand, or the key is not the log's)" });
    }
  }
  for (const anchor of anchors) {
    if (anchor.entry > prevId) {
      return done({ ok: false, entries: prevId, brokenAt: prevId + 1, reason: `the log ends at entry ${prevId}, before the anchor's entry ${anchor.entry}: entries were cut from the end` });
    }
    if (anchor.entry === 0 && anchor.hash !== GENESIS_HASH) return done({ ok: false, entries: prevId, brokenAt: 0, reason: "the anchor's entry 0 does not have the genesis hash" });
  }
  return done({ ok: true, entries: prevId });
}

/**
 * At start: makes the key of a log that has no head yet, so the key file exists from
 * the first start on; for a log with a head, the key must be there (MissingAuditKey
 * otherwise: a new key would make every later entry fail against the earlier ones).
 * Answers whether the head's seal holds under this key.
 */
export async function checkAuditKey(db: Knex): Promise<{ sealed: boolean }> {
  const head = (await db('audit_head').where({ id: 1 }).first('last_id', 'last_hash', 'seal')) as
    | { last_id: number | string; last_hash: string; seal: string | null }
    | undefined;
  const key = auditKeyOf(db, { mayCreate: !head });
  return { sealed: !head || sameDigest(head.seal, headSeal(key, Number(head.last_id), head.last_hash)) };
}

/** Who appears as actor in a center's log, for the filter. */
export async function listAuditActorsInCenter(db: Knex, centerId: string): Promise<{ id: string; displayName: string }[]> {
  const rows = (await db('users')
    .whereIn('id', db('audit_log').where({ center_id: centerId }).whereNotNull('actor_user_id').distinct('actor_user_id'))
    .orderBy('display_name')
    .select('id', 'display_name')) as { id: string; display_name: string }[];
  return rows.map((r) => ({ id: r.id, displayName: r.display_name }));
}
