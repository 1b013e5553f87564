import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';

/**
 * Board events, per center, behind one small interface: this in-process hub (SQLite,
 * one process), and pg-hub.ts, which also carries every event to the other app
 * processes on the same PostgreSQL database (LISTEN/NOTIFY). Subscribers are
 * authorized by the caller when the stream connects; the hub only routes by center.
 */

/**
 * One SSE message: `event: room-card` (`id` the room id, `data` the card's HTML) or
 * `event: help-request` (`id` the request id, `data` the board banner's HTML).
 */
export type BoardEvent = { readonly event: 'room-card' | 'help-request'; readonly id: string; readonly data: string };

export interface EventHub {
  publish(centerId: string, event: BoardEvent): void;
  /** Answers the unsubscribe function. `onClose` runs if the hub closes every stream (server shutdown). */
  subscribe(centerId: string, listener: (event: BoardEvent) => void, onClose?: () => void): () => void;
  /**
   * An open event stream (a board): `write` gets the events' SSE wire form, encoded
   * once for every stream, and events that come close together in one chunk (see
   * createEventHub). Answers the unsubscribe function; `onClose` as for subscribe,
   * and also run by closeSession for the stream's `session` (streamSessionKey).
   */
  stream(centerId: string, write: (chunk: Buffer) => void, onClose?: () => void, session?: string): () => void;
  /** Ends every stream, so a shutdown does not wait for boards that never hang up. */
  closeAll(): void;
  /**
   * Ends the streams opened by one session (its streamSessionKey), at once: the
   * session was signed out or replaced. pg-hub.ts also tells the other processes.
   */
  closeSession(session: string): void;
  /** How many streams of this process listen to the center (for tests and the bench). */
  listenerCount(centerId: string): number;
  /** Whether an event for the center may reach anyone, here or (PostgreSQL) in another process: worth rendering. */
  hasAudience(centerId: string): boolean;
  /** Ends every stream and releases what the hub holds (pg-hub.ts: its LISTEN connection, after sending what is queued). */
  close(): Promise<void>;
  /** Comment lines keep proxies from closing idle streams; each beat re-checks the viewer's access. */
  readonly heartbeatMs: number;
}

/**
 * Events that come within `batchMs` of the last delivery to a center's streams wait
 * for the rest of that window and go together, one chunk per stream: in a morning
 * rush of hundreds of check-ins a second, each of 200 boards then gets a write every
 * few milliseconds rather than one per check-in (a system call and a chunk each). An
 * event after a quiet spell goes at once (on the next turn of the event loop, with
 * anything published in the same turn, such as the two rooms of a move).
 */
export function createEventHub(opts: { heartbeatMs?: number; batchMs?: number } = {}): EventHub {
  const emitter = new EventEmitter();
  // One listener per open board; hundreds per center are expected.
  emitter.setMaxListeners(0);
  const batchMs = opts.batchMs ?? 10;
  const streams = new Map<string, Set<(chunk: Buffer) => void>>();
  const queued = new Map<string, string[]>();
  let scheduled = false;
  let lastFlush = -Infinity;
  const closers = new Set<() => void>();
  // The closers of each session's streams (only streams that name their session).
  const bySession = new Map<string, Set<() => void>>();
  const closeAll = () => {
    for (const close of [...closers]) close();
    closers.clear();
    bySession.clear();
  };

  const flush = () => {
    scheduled = false;
    lastFlush = performance.now();
    const batches = [...queued];
    queued.clear();
    for (const [centerId, messages] of batches) {
      const sinks = streams.get(centerId);
      if (!sinks) continue;
      const chunk = Buffer.from(messages.length === 1 ? messages[0]! : messages.join(''));
      for (const write of [...sinks]) write(chunk);
    }
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    const wait = lastFlush + batchMs - performance.now();
    if (wait > 0) setTimeout(flush, wait);
    else setImmediate(flush);
  };

  const track = (onClose: (() => void) | undefined, off: () => void) => {
    if (onClose) closers.add(onClose);
    return () => {
      off();
      if (onClose) closers.delete(onClose);
    };
  };

  return {
    heartbeatMs: opts.heartbeatMs ?? 15_000,
    publish(centerId, event) {
      emitter.emit(centerId, event);
      if (!streams.has(centerId)) return;
      const message = sseMessage(event);
      const waiting = queued.get(centerId);
      if (waiting) waiting.push(message);
      else queued.set(centerId, [message]);
      schedule();
    },
    subscribe(centerId, listener, onClose) {
      emitter.on(centerId, listener);
      return track(onClose, () => emitter.off(centerId, listener));
    },
    stream(centerId, write, onClose, session) {
      let sinks = streams.get(centerId);
      if (!sinks) streams.set(centerId, (sinks = new Set()));
      sinks.add(write);
      let mine: Set<() => void> | undefined;
      if (session !== undefined && onClose) {
        mine = bySession.get(session);
        if (!mine) bySession.set(session, (mine = new Set()));
        mine.add(onClose);
      }
      return track(onClose, () => {
        sinks.delete(write);
        if (sinks.size === 0 && streams.get(centerId) === sinks) streams.delete(centerId);
        if (mine && onClose) {
          mine.delete(onClose);
          if (mine.size === 0 && bySession.get(session!) === mine) bySession.delete(session!);
        }
      });
    },
    closeAll,
    closeSession(session) {
      const mine = bySession.get(session);
      if (!mine) return;
      bySession.delete(session);
      for (const close of [...mine]) close();
    },
    listenerCount: (centerId) => emitter.listenerCount(centerId) + (streams.get(centerId)?.size ?? 0),
    hasAudience: (centerId) => emitter.listenerCount(centerId) > 0 || streams.has(centerId),
    close: async () => closeAll(),
  };
}

/**
 * What a stream is filed under for closeSession: a digest of the session id, so the id
 * itself (a bearer credential) is never kept beside the stream nor sent to other
 * processes.
 */
export function streamSessionKey(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('base64url');
}

/** The SSE wire form of an event: one logical message, the HTML split over `data:` lines. */
export function sseMessage(event: BoardEvent): string {
  const data = event.data
    .split(/\r?\n/)
    .map((line) => `data: ${line}`)
    .join('\n');
  return `event: ${event.event}\nid: ${event.id}\n${data}\n\n`;
}
