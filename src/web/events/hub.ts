import { EventEmitter } from 'node:events';

/**
 * Board events, per center. In-process for now; publish/subscribe stay behind this
 * small interface so a later hub can carry them between processes (PostgreSQL
 * LISTEN/NOTIFY) without the routes changing. Subscribers are authorized by the
 * caller when the stream connects; the hub only routes by center.
 */

/** One SSE message: `event: room-card`, `id` the room id, `data` the card's HTML. */
export type BoardEvent = { readonly event: 'room-card'; readonly id: string; readonly data: string };

export interface EventHub {
  publish(centerId: string, event: BoardEvent): void;
  /** Answers the unsubscribe function. `onClose` runs if the hub closes every stream (server shutdown). */
  subscribe(centerId: string, listener: (event: BoardEvent) => void, onClose?: () => void): () => void;
  /** Ends every stream, so a shutdown does not wait for boards that never hang up. */
  closeAll(): void;
  /** How many streams listen to the center (for tests and the bench). */
  listenerCount(centerId: string): number;
  /** Comment lines keep proxies from closing idle streams; each beat re-checks the viewer's access. */
  readonly heartbeatMs: number;
}

export function createEventHub(opts: { heartbeatMs?: number } = {}): EventHub {
  const emitter = new EventEmitter();
  // One listener per open board; hundreds per center are expected.
  emitter.setMaxListeners(0);
  const closers = new Set<() => void>();
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
    closeAll() {
      for (const close of [...closers]) close();
      closers.clear();
    },
    listenerCount: (centerId) => emitter.listenerCount(centerId),
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
