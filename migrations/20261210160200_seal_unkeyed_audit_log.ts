import type { Knex } from 'knex';
import { auditKeyOf, cutOverSeal, headSeal } from '../src/db/audit-key.js';

/**
 * Keys a log that already has entries, without rewriting them: records (and seals
 * with the audit key, made now in its file when AUDIT_KEY is unset) that entries up
 * to the current head keep their plain SHA-256 hashes, and seals the head. Every
 * entry appended afterwards is an HMAC whose chain covers the last unkeyed hash, so
 * the old entries stay as protected as the first keyed one after them. An empty log
 * (a new database) needs nothing: all of its entries will be keyed.
 */
export async function up(knex: Knex): Promise<void> {
  const head = (await knex('audit_head').where({ id: 1 }).first('last_id', 'last_hash')) as { last_id: number | string; last_hash: string } | undefined;
  if (!head) return;
  const key = auditKeyOf(knex, { mayCreate: true });
  const keyedAfter = Number(head.last_id);
  // A plain insert: a second run (this migration's row removed from knex_migrations) fails instead of re-sealing.
  await knex('audit_cut_over').insert({ id: 1, keyed_after: keyedAfter, seal: cutOverSeal(key, keyedAfter) });
  await knex('audit_head').where({ id: 1 }).update({ seal: headSeal(key, keyedAfter, head.last_hash) });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
