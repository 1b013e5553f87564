import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pino, type Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { Config } from './config.js';

export type { Logger };

export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
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
  });
}

/** One-time links carry their credential in the path; it must not end up in the logs. */
export function withoutTokens(path: string): string {
  return path.replace(/^\/(invitations|password-resets)\/[^/]+/, '/$1/[redacted]');
}

/**
 * One line per request: id, method, path, status and time. Query strings, headers
 * and bodies stay out, since they can carry names and other personal data.
 */
export function requestLogger(log: Logger) {
  return pinoHttp({
    logger: log,
    genReqId: (_req: IncomingMessage, res: ServerResponse) => {
      const id = randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        path: withoutTokens(req.url.split('?')[0] ?? ''),
      }),
      res: (res: { statusCode: number }) => ({ status: res.statusCode }),
    },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    customSuccessMessage: () => 'request.completed',
    customErrorMessage: () => 'request.failed',
  });
}
