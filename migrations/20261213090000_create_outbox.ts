import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Messages to send outside the app, one row per recipient, channel and event, written in the
  // transaction of the event that causes them (with its in-app notice); the job runner sends them.
  await knex.schema.createTable('outbox', (t) => {
    t.string('id', 36).primary();
    t.string('center_id', 36).notNullable().references('id').inTable('centers');
    t.string('user_id', 36).notNullable().references('id').inTable('users');
    // 'email' (more channels later).
    t.string('channel', 16).notNullable();
    // What the message is about: the notice's dedupe key, or `notice:<id>`; once per user and channel.
    t.string('event_key', 200).notNullable();
    // The in-app notice it goes with (no foreign key: notices may be cleared without touching what was sent).
    t.string('notice_id', 36).nullable();
    t.string('kind', 32).notNullable();
    // The notice's words: room and time words and staff names only, never children's names or health details.
    t.string('body', 300).notNullable();
    t.string('link', 300).nullable();
    t.string('cover_request_id', 36).nullable().references('id').inTable('cover_requests');
    // Urgent messages go through quiet hours; `urgent_from` makes one urgent from that instant on (cover starting within 2 hours).
    t.boolean('urgent').notNullable().defaultTo(false);
    t.string('urgent_from').nullable();
    // queued → sending → sent; or back to queued (a temporary failure, quiet hours), failed (permanent), dropped (no longer wanted).
    t.string('status', 16).notNullable();
    t.integer('attempts').notNullable().defaultTo(0);
    t.string('due_at').notNullable();
    // While `sending`: until when the claim holds; past it, a crashed send is tried again.
    t.string('lease_until').nullable();
    t.string('sent_at').nullable();
    t.string('last_error', 300).nullable();
    t.string('created_at').notNullable();
    t.string('updated_at').notNullable();
    t.unique(['user_id', 'channel', 'event_key'], { indexName: 'outbox_once_per_event' });
    t.index(['status', 'due_at'], 'outbox_due');
    t.index(['cover_request_id', 'status'], 'outbox_of_request');
  });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
