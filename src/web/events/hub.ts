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
  /** Ends every stream, so a shutdown does not wait for boards that never hang up. */
  closeAll(): void;
  /** How many streams of this process listen to the center (for tests and the bench). */
  listenerCount(centerId: string): number;
  /** Whether an event for the center may reach anyone, here or (PostgreSQL) in another process: worth rendering. */
  hasAudience(centerId: string): boolean;
  /** Ends every stream and releases what the hub holds (pg-hub.ts: its LISTEN connection, after sending what is queued). */
  close(): Promise<void>;
  /** Comment lines keep proxies from closing idle streams; each beat re-checks the viewer's access. */
  readonly heartbeatMs: number;
}

export function createEventHub(opts: { heartbeatMs?: number } = {}): EventHub {
  const emitter = new EventEmitter();
  // One listener per open board; hundreds per center are expected.
  emitter.setMaxListeners(0);
  const closers = new Set<() => void>();
  const closeAll = () => {
    for (const close of [...closers]) close();
    closers.clear();
  };
  return {
    heartbeatMs: opts.heartbeatMs ?? 15_000,
    publish(centerId, event) {
      emitter.emit(centerId, event);
    },
    subscribe(centerId, listener, onClose) {
      emitter.on(centerId, listener);
      if (onClose) closers.add(onClose);
      return () => {
        emitter.off(centerId, listener);
        if (onClose) closers.delete(onClose);
      };
    },
    closeAll,
    listenerCount: (centerId) => emitter.listenerCount(centerId),
    hasAudience: (centerId) => emitter.listenerCount(centerId) > 0,
    close: async () => closeAll(),
  };
}

/** The SSE wire form of an event: one logical message, the HTML split over `data:` lines. */
export function sseMessage(event: BoardEvent): string {
  const data = event.data
    .split(/\r?\n/)
    .map((line) => `data: ${line}`)
    .join('\n');
  return `event: ${event.event}\nid: ${event.id}\n${data}\n\n`;
}
