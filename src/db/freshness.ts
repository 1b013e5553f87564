import type { Knex } from 'knex';

/**
 * The one freshness rule for everything the app keeps in memory:
 *
 *   what is kept was read under the audit log's heads, and is used only while the
 *   head of its kind still stands.
 *
 * Every write is audited in its own transaction, and an append moves, in the same
 * statement, the head of every kind its entries belong to (`kindsOfEntry`). A kept
 * value records the head of its kind read *before* its rows were read, so a write
 * landing during the read leaves it already stale; a request compares that against
 * the head it reads now (one primary-key read, `auditHeads`). The same on SQLite and
 * PostgreSQL, whatever process wrote: nobody has to remember to move a counter, and
 * no statement's text is looked at. A row changed by hand, outside the app, is seen
 * at the next audited write of its kind or restart (docs/architecture.md).
 *
 * The caches and their bounds are listed in docs/architecture.md ("What is kept in
 * memory").
 */

/** The kinds of rows something is kept of; every other entry moves only `last`. */
export type AuditKind = 'setup' | 'standing' | 'cover';

export type AuditHeads = {
  /** The last entry of any kind: every audited write. */
  readonly last: number;
  /** Rooms, children, schedules, people, trainings, shifts, plans, naps, absences, activities, headcounts, the center itself. */
  readonly setup: number;
  /** Users, memberships, centers and organizations: who someone is and what they may do. */
  readonly standing: number;
  /** Cover requests and their claims. */
  readonly cover: number;
};

export const NO_HEADS: AuditHeads = { last: 0, setup: 0, standing: 0, cover: 0 };

/** The head columns of each kind in `audit_head`. */
export const KIND_COLUMNS: Readonly<Record<AuditKind, string>> = { setup: 'setup_id', standing: 'standing_id', cover: 'cover_id' };

/** Entries about rows nothing keeps: presences (the board reads them each time), notes, invitations, a sign-in. */
const NOT_SETUP = new Set(['child_presence', 'person_presence', 'handoff_note', 'invitation', 'user', 'membership', 'organization', 'alert_preferences', 'calendar_feed', 'push_subscription']);
const STANDING = new Set(['user', 'membership', 'center', 'organization']);

/**
 * The kinds an entry's change belongs to, by its record type. Setup is everything not
 * known to be something else, so a new record type is kept fresh without a thought
 * (a cover claim that adds a shift is cover and setup; a person's check-in that adds
 * a shift appends a `shift` entry of its own).
 */
export function kindsOfEntry(entry: { readonly recordType: string; readonly action: string }): AuditKind[] {
  const kinds: AuditKind[] = [];
  if (!NOT_SETUP.has(entry.recordType)) kinds.push('setup');
  if (STANDING.has(entry.recordType) && entry.action !== 'user.signed_in') kinds.push('standing');
  if (entry.recordType === 'cover_request') kinds.push('cover');
  return kinds;
}

type HeadRow = { last_id: number | string; setup_id: number | string; standing_id: number | string; cover_id: number | string };

/** The heads as `db` sees them now (inside a transaction: with its own appends). One primary-key read. */
export async function readAuditHeads(db: Knex): Promise<AuditHeads> {
  const row = (await db('audit_head').where({ id: 1 }).first('last_id', 'setup_id', 'standing_id', 'cover_id')) as HeadRow | undefined;
  return row ? { last: Number(row.last_id), setup: Number(row.setup_id), standing: Number(row.standing_id), cover: Number(row.cover_id) } : NO_HEADS;
}

type Reader = { reading?: Promise<AuditHeads>; next?: Promise<AuditHeads> };
const readers = new WeakMap<object, Reader>();

/**
 * The heads, read after this call began. Requests arriving together share one read,
 * but never one already sent: a request that just committed a write waits for the
 * next read, which sees it. Inside a transaction, read there.
 */
export function auditHeads(db: Knex): Promise<AuditHeads> {
  if (db.isTransaction) return readAuditHeads(db);
  let reader = readers.get(db.client.config);
  if (!reader) readers.set(db.client.config, (reader = {}));
  const r = reader;
  const start = (): Promise<AuditHeads> => {
    const reading = readAuditHeads(db).finally(() => {
      if (r.reading === reading) r.reading = undefined;
    });
    r.reading = reading;
    return reading;
  };
  if (!r.reading) return start();
  r.next ??= r.reading.then(
    () => ((r.next = undefined), r.reading ?? start()),
    () => ((r.next = undefined), r.reading ?? start()),
  );
  return r.next;
}

/** True on PostgreSQL, where other processes may write the same rows (SQLite: one process owns the file). */
export function sharedByProcesses(db: Knex): boolean {
  return db.client.config.client === 'pg';
}

type Entry<V> = { readonly head: number; readonly value: Promise<V> };

/**
 * Values kept under a kind's head, most recently used last, at most `max` of them.
 * `get` answers the kept value while its head is the one given, else reads, keeps and
 * answers the new one (a failed read is not kept). Inside a transaction, `peek` takes
 * only a value whose read has finished (a read still under way waits for a connection
 * the transaction may hold: on SQLite the only one).
 */
export class Kept<V> {
  readonly #entries = new Map<string, Entry<V>>();
  readonly #finished = new WeakSet<Promise<V>>();

  constructor(readonly max: number) {}

  get(key: string, head: number, read: () => Promise<V>, keep: (value: V) => boolean = () => true): Promise<V> {
    const hit = this.#entries.get(key);
    if (hit && hit.head === head) {
      this.#entries.delete(key);
      this.#entries.set(key, hit);
      return hit.value;
    }
    const value = read();
    const entry: Entry<V> = { head, value };
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    if (this.#entries.size > this.max) this.#entries.delete(this.#entries.keys().next().value!);
    const drop = () => {
      if (this.#entries.get(key) === entry) this.#entries.delete(key);
    };
    value.then((v) => (keep(v) ? this.#finished.add(value) : drop()), drop);
    return value;
  }

  /** The kept value under `head` whose read has finished, or undefined. */
  peek(key: string, head: number): Promise<V> | undefined {
    const hit = this.#entries.get(key);
    return hit && hit.head === head && this.#finished.has(hit.value) ? hit.value : undefined;
  }

  get size(): number {
    return this.#entries.size;
  }
}
