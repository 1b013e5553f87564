import { randomBytes } from 'node:crypto';
import type { Knex } from '../../db/knex.js';
import type { Logger } from '../../log.js';
import { createEventHub, type BoardEvent, type EventHub } from './hub.js';

/**
 * The board's event hub when the app runs on PostgreSQL: several app processes share
 * one database, and a board connected to one must see a check-in made on another.
 *
 * Every event is delivered to this process's streams at once (as the in-process hub
 * does) and sent to the others with NOTIFY on one channel; each process LISTENs on
 * its own connection, ignores what it sent itself, and hands the rest to its streams.
 *
 * The event carries the rendered card itself, not a notice to go and render it: the
 * card is the same partial the page renders, the sender has already judged the room
 * and rendered it, and a receiver then needs no database work, no view engine and no
 * forecast of its own (N processes would otherwise each judge every change again).
 * A NOTIFY payload must stay under 8000 bytes, so a larger card is cut into numbered
 * pieces, sent in one transaction, and put together again by the receivers.
 *
 * A session that ends (sign-out) closes its streams here at once and, through the same
 * channel, in every other process: a notice carrying only the session's key
 * (streamSessionKey, a digest), never the session id.
 *
 * A lost LISTEN connection is reopened (1 s, doubling to 30 s); once it is back, this
 * process's streams are closed so each board reconnects and asks for every card again
 * (what it may have missed meanwhile).
 */

export const BOARD_CHANNEL = 'ratiowatch_board';
/** The `e` of a notice that a session ended: not a board event, and never handed to a board. */
export const SESSION_ENDED = 'session-ended';

/** NOTIFY refuses a payload of 8000 bytes or more; the rest is kept for the header. */
const MAX_PAYLOAD_BYTES = 7999;
/** At most this many payloads (each under 8000 bytes) in one NOTIFY statement. */
const NOTIFY_BATCH = 64;
/** Pieces of an event whose other pieces never came (a sender that died mid-send) are dropped after this. */
const PARTIAL_TTL_MS = 30_000;
const RECONNECT_MIN_MS = 1_000;
const RECONNECT_MAX_MS = 30_000;

/** The header every piece carries: origin process, its event number, piece i of n, and the event minus its data. */
type Header = { o: string; m: number; i: number; n: number; c: string; e: string; id: string };

/** Cuts `text` into pieces of at most `maxBytes` UTF-8 bytes, never inside a character. */
export function splitUtf8(text: string, maxBytes: number): string[] {
  if (Buffer.byteLength(text) <= maxBytes) return [text];
  const pieces: string[] = [];
  let start = 0;
  let bytes = 0;
  let index = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    // A lone surrogate is sent as U+FFFD, 3 bytes.
    const size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (bytes + size > maxBytes) {
      pieces.push(text.slice(start, index));
      start = index;
      bytes = 0;
    }
    bytes += size;
    index += ch.length;
  }
  pieces.push(text.slice(start));
  return pieces;
}

/** The NOTIFY payloads of one event: `<header JSON>\n<piece of the card's HTML>`, each under the limit. */
export function encodeEvent(origin: string, seq: number, centerId: string, event: BoardEvent, maxBytes = MAX_PAYLOAD_BYTES): string[] {
  const header = (i: number, n: number) => JSON.stringify({ o: origin, m: seq, i, n, c: centerId, e: event.event, id: event.id } satisfies Header);
  // Room for the widest header this event could need (piece numbers of up to 9 digits).
  const room = maxBytes - Buffer.byteLength(header(999_999_999, 999_999_999)) - 1;
  if (room < 64) throw new Error('board event header too large for NOTIFY');
  const pieces = splitUtf8(event.data, room);
  return pieces.map((piece, i) => `${header(i, pieces.length)}\n${piece}`);
}

/** The one NOTIFY payload of a notice between processes (no center, no data): `id` is what it is about. */
export function encodeNotice(origin: string, seq: number, kind: string, id: string): string {
  return `${JSON.stringify({ o: origin, m: seq, i: 0, n: 1, c: '', e: kind, id } satisfies Header)}\n`;
}

/** One NOTIFY payload read back, or null when it is not one of ours. */
export function decodePiece(payload: string): { header: Header; piece: string } | null {
  const cut = payload.indexOf('\n');
  if (cut < 0) return null;
  let header: unknown;
  try {
    header = JSON.parse(payload.slice(0, cut));
  } catch {
    return null;
  }
  const h = header as Partial<Header> | null;
  const ok =
    h !== null &&
    typeof h === 'object' &&
    typeof h.o === 'string' &&
    Number.isInteger(h.m) &&
    Number.isInteger(h.n) &&
    Number.isInteger(h.i) &&
    h.n! >= 1 &&
    h.i! >= 0 &&
    h.i! < h.n! &&
    typeof h.c === 'string' &&
    typeof h.e === 'string' &&
    typeof h.id === 'string';
  return ok ? { header: h as Header, piece: payload.slice(cut + 1) } : null;
}

/** The part of pg's Client this hub uses. */
type ListenClient = {
  query(sql: string): Promise<unknown>;
  on(event: 'notification', listener: (msg: { channel: string; payload?: string }) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
};

export type PgEventHubOptions = {
  /** A knex pool on PostgreSQL: NOTIFY goes through it, LISTEN through a connection of its own. */
  readonly db: Knex;
  readonly log: Logger;
  readonly heartbeatMs?: number;
  /** The NOTIFY channel; every process of one deployment must use the same. */
  readonly channel?: string;
};

/** Starts listening, then answers the hub; fails when the database cannot be reached. */
export async function createPgEventHub(opts: PgEventHubOptions): Promise<EventHub> {
  const { db, log } = opts;
  const channel = opts.channel ?? BOARD_CHANNEL;
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`not a plain channel name: ${channel}`);
  const local = createEventHub(opts.heartbeatMs === undefined ? {} : { heartbeatMs: opts.heartbeatMs });
  const origin = randomBytes(8).toString('hex');
  let seq = 0;
  let sending: Promise<void> = Promise.resolve();
  let closing = false;
  let listener: ListenClient | undefined;
  let retry: NodeJS.Timeout | undefined;
  let retryMs = RECONNECT_MIN_MS;
  const partial = new Map<string, { parts: (string | undefined)[]; got: number; at: number }>();

  const receive = (payload: string) => {
    const decoded = decodePiece(payload);
    if (!decoded) {
      log.warn({ channel }, 'board.notification_unreadable');
      return;
    }
    const { header: h, piece } = decoded;
    if (h.o === origin) return;
    if (h.e === SESSION_ENDED) {
      local.closeSession(h.id);
      return;
    }
    const event = { event: h.e, id: h.id } as Omit<BoardEvent, 'data'>;
    if (h.n === 1) {
      if (local.listenerCount(h.c) > 0) local.publish(h.c, { ...event, data: piece });
      return;
    }
    const now = Date.now();
    for (const [key, p] of partial) if (now - p.at > PARTIAL_TTL_MS) partial.delete(key);
    const key = `${h.o}:${h.m}`;
    const entry = partial.get(key) ?? { parts: new Array<string | undefined>(h.n), got: 0, at: now };
    partial.set(key, entry);
    if (entry.parts.length !== h.n || entry.parts[h.i] !== undefined) return;
    entry.parts[h.i] = piece;
    entry.got += 1;
    if (entry.got < h.n) return;
    partial.delete(key);
    if (local.listenerCount(h.c) > 0) local.publish(h.c, { ...event, data: entry.parts.join('') });
  };

  const listen = async (): Promise<ListenClient> => {
    const client = (await db.client.acquireRawConnection()) as ListenClient;
    client.on('notification', (msg) => {
      if (msg.channel === channel && msg.payload !== undefined) receive(msg.payload);
    });
    // Without an 'error' listener, a dropped connection would end the process.
    client.on('error', (err) => lost(client, err));
    client.on('end', () => lost(client));
    try {
      await client.query(`LISTEN ${channel}`);
    } catch (err) {
      await db.client.destroyRawConnection(client).catch(() => undefined);
      throw err;
    }
    return client;
  };

  const lost = (client: ListenClient, err?: Error) => {
    if (closing || client !== listener) return;
    listener = undefined;
    log.warn({ err }, 'board.listen_lost');
    void db.client.destroyRawConnection(client).catch(() => undefined);
    reconnect();
  };

  const reconnect = () => {
    retry = setTimeout(() => {
      retry = undefined;
      listen().then(
        (client) => {
          if (closing) {
            void db.client.destroyRawConnection(client).catch(() => undefined);
            return;
          }
          listener = client;
          retryMs = RECONNECT_MIN_MS;
          log.info('board.listen_restored');
          // Events sent while we were not listening are gone: every board here reconnects and asks for every card.
          local.closeAll();
        },
        (err: unknown) => {
          log.warn({ err }, 'board.listen_retry_failed');
          retryMs = Math.min(retryMs * 2, RECONNECT_MAX_MS);
          if (!closing) reconnect();
        },
      );
    }, retryMs);
    retry.unref();
  };

  /**
   * One statement for all of `payloads`: one round trip, and one transaction, so all of
   * them or none (a receiver never waits for a piece that was not sent), delivered in
   * the order written (a transaction's notifications keep the order they were sent in,
   * and a select list is worked out left to right).
   */
  const notify = async (payloads: readonly string[]) => {
    await db.raw(`SELECT ${payloads.map(() => 'pg_notify(?, ?)').join(', ')}`, payloads.flatMap((payload) => [channel, payload]));
  };

  listener = await listen();

  // Events waiting for the NOTIFY being sent; each is every piece of one event (or one notice).
  type Waiting = { readonly payloads: readonly string[]; readonly what: Record<string, unknown>; readonly failed: string };
  let waiting: Waiting[] = [];
  let draining = false;
  const enqueue = (payloads: readonly string[], what: Record<string, unknown>, failed: string) => {
    waiting.push({ payloads, what, failed });
    if (draining) return;
    draining = true;
    // One statement at a time, in publish order: a room's later card never overtakes its earlier one. What was
    // published while one was being sent goes together in the next (a group commit's cards, a rush's next ones),
    // whole events only, at most NOTIFY_BATCH payloads unless one event alone has more.
    sending = (async () => {
      while (waiting.length > 0) {
        let count = 0;
        let take = 0;
        while (take < waiting.length && (take === 0 || count + waiting[take]!.payloads.length <= NOTIFY_BATCH)) count += waiting[take++]!.payloads.length;
        const batch = waiting.slice(0, take);
        waiting = waiting.slice(take);
        try {
          await notify(batch.flatMap((w) => w.payloads));
        } catch (err) {
          for (const w of batch) log.error({ err, ...w.what }, w.failed);
        }
      }
      draining = false;
    })();
  };

  return {
    heartbeatMs: local.heartbeatMs,
    publish(centerId, event) {
      local.publish(centerId, event);
      if (closing) return;
      // The write is committed; should the NOTIFY fail, a board elsewhere is right again on its next load or reconnect.
      enqueue(encodeEvent(origin, ++seq, centerId, event), { centerId, id: event.id }, 'board.notify_failed');
    },
    subscribe: (centerId, onEvent, onClose) => local.subscribe(centerId, onEvent, onClose),
    stream: (centerId, write, onClose, session) => local.stream(centerId, write, onClose, session),
    closeAll: () => local.closeAll(),
    closeSession(session) {
      local.closeSession(session);
      if (closing) return;
      // Should this NOTIFY fail, the other processes' heartbeats find the session gone (board/routes.ts).
      enqueue([encodeNotice(origin, ++seq, SESSION_ENDED, session)], {}, 'board.session_notify_failed');
    },
    listenerCount: (centerId) => local.listenerCount(centerId),
    // Boards on other processes are not counted here: every change is worth sending.
    hasAudience: () => true,
    async close() {
      closing = true;
      if (retry) clearTimeout(retry);
      local.closeAll();
      await sending;
      const client = listener;
      listener = undefined;
      if (client) await db.client.destroyRawConnection(client).catch(() => undefined);
    },
  };
}
