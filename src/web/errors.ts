import type { ErrorRequestHandler, RequestHandler } from 'express';

/** Thrown by routes; the error handler renders it. */
export class NotFound extends Error {
  readonly status = 404;
  constructor(what = 'page') {
    super(`${what} not found`);
  }
}

export class Forbidden extends Error {
  readonly status = 403;
  constructor(action = 'this') {
    super(`not allowed: ${action}`);
  }
}

/** A one-time link that is unknown, expired or already used (all look the same). */
export class LinkGone extends Error {
  readonly status = 410;
  constructor() {
    super('link no longer valid');
  }
}

/** A state-changing request without this session's CSRF token: an old tab, or another site. */
export class FormExpired extends Error {
  readonly status = 403;
  readonly title = 'Form expired';
  constructor() {
    super('This form expired. Go back, reload and try again.');
  }
}

// What a visitor is told. Internal messages stay in the log.
const PUBLIC: Record<number, { title: string; message: string }> = {
  400: { title: 'Bad request', message: 'The request could not be read.' },
  403: { title: 'Not allowed', message: 'You do not have access to this page.' },
  404: { title: 'Page not found', message: 'There is no page at this address.' },
  410: { title: 'Link no longer valid', message: 'This link has expired or was already used. Ask your director for a new one.' },
  413: { title: 'Too large', message: 'What was sent is too large.' },
  500: { title: 'Something went wrong', message: 'Something went wrong on our side. Please try again.' },
};

export const notFoundHandler: RequestHandler = (_req, _res, next) => next(new NotFound());

export const errorHandler: ErrorRequestHandler = (err, req, res, next) => {
  // Too late for an error page; express closes the connection.
  if (res.headersSent) return next(err);
  const status = statusOf(err);
  // The request log (log.ts) logs the error with the request line (and its id) when the response ends.
  if (status === 500) res.err = err;
  const { title, message } = err instanceof FormExpired ? { title: err.title, message: err.message } : (PUBLIC[status] ?? PUBLIC[400]!);
  res.status(status);
  if (req.accepts(['html', 'json']) === 'json') {
    res.json({ error: message });
    return;
  }
  res.render('errors/show', { title, message, status, requestId: status === 500 ? req.id : undefined });
};

function statusOf(err: unknown): number {
  if (err instanceof NotFound || err instanceof Forbidden || err instanceof FormExpired || err instanceof LinkGone) return err.status;
  // body-parser raises http-errors marked `expose` for the client's own mistakes (bad JSON: 400, too large: 413).
  if (isExposedClientError(err)) return err.status;
  return 500;
}

function isExposedClientError(err: unknown): err is { status: number } {
  if (typeof err !== 'object' || err === null) return false;
  const { status, expose } = err as { status?: unknown; expose?: unknown };
  return expose === true && typeof status === 'number' && status >= 400 && status < 500;
}
