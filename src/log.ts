import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pino, type DestinationStream, type Logger } from 'pino';
import type { Config } from './config.js';

export type { Logger };

/** Lines are written in batches of about this many bytes, or once a second, whichever comes first. */
const BATCH_BYTES = 4096;
const BATCH_MS = 1000;

/**
 * The app's logger, writing to stdout (or `dest`, a path or file descriptor: the
 * benchmark's /dev/null) asynchronously and in batches: a write per request line
 * cost a tenth of a light request's time, and a slow terminal or pipe must not hold
 * requests up. A line waits at most a second; pino flushes what is left at exit (a
 * kill -9 may lose the last second of lines, never data).
 */
export function createLogger(config: Pick<Config, 'logLevel'>, options: { readonly dest?: string | number } = {}): Logger {
  let destination: DestinationStream | undefined;
  if (config.logLevel !== 'silent') {
    const batched = pino.destination({ dest: options.dest ?? 1, sync: false, minLength: BATCH_BYTES });
    setInterval(() => {
      try {
        batched.flush();
      } catch {
        // Ended at exit: nothing left to write.
      }
    }, BATCH_MS).unref();
    destination = batched;
  }
  return pino({
    level: config.logLevel,
    // A visible censor shows a field was there without showing what it held.
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        'res.headers["set-cookie"]',
        'req.body',
        '*.password',
      ],
      censor: '[redacted]',
    },
  }, destination);
}

/** One-time links and calendar feeds carry their credential in the path; it must not end up in the logs. */
export function withoutTokens(path: string): string {
  return path.replace(/^\/(invitations|password-resets)\/[^/]+/, '/$1/[redacted]').replace(/^\/calendar\/[^/]+/, '/calendar/[redacted]');
}

declare module 'http' {
  interface IncomingMessage {
    /** This request's id: in its log lines, its X-Request-Id header and a 500 page. */
    id: string;
    /** Logs with this request's id, method and path. */
    log: Logger;
  }
  interface ServerResponse {
    /** The error behind a 500, logged with the request line (errors.ts sets it). */
    err?: Error | undefined;
  }
}

/**
 * One line per request when its response ends: id, method, path, status and time
 * (`request.completed`; `request.failed`, at error level, with the error, for a 500
 * or a broken response). Query strings, headers and bodies stay out, since they can
 * carry names and other personal data. The same line pino-http wrote, without its
 * per-request child logger: `req.log` is made on first use, by the few routes that
 * log an event of their own.
 */
export function requestLogger(log: Logger): (req: IncomingMessage, res: ServerResponse, next: () => void) => void {
  return (req, res, next) => {
    const started = Date.now();
    const id = randomUUID();
    res.setHeader('X-Request-Id', id);
    req.id = id;
    // Taken before routing: a mounted router shortens req.url while it runs.
    const summary = { id, method: req.method, path: withoutTokens((req.url ?? '').split('?')[0] ?? '') };
    let child: Logger | undefined;
    Object.defineProperty(req, 'log', {
      configurable: true,
      enumerable: false,
      get: () => (child ??= log.child({ req: summary })),
      set: (value: Logger) => {
        child = value;
      },
    });
    const done = (err?: Error) => {
      res.off('close', done);
      res.off('finish', done);
      res.off('error', done);
      const line = { req: summary, res: { status: res.statusCode }, responseTime: Date.now() - started };
      const failure = err ?? res.err ?? (res.statusCode >= 500 ? new Error(`failed with status code ${res.statusCode}`) : undefined);
      if (failure) log.error({ ...line, err: failure }, 'request.failed');
      else log.info(line, 'request.completed');
    };
    res.on('close', done);
    res.on('finish', done);
    res.on('error', done);
    next();
  };
}
