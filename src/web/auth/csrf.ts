import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { FormExpired } from '../errors.js';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Synchronizer tokens: one random token per session, put in every form as `_csrf`
 * (views read `csrfToken`) and required on every other method, in the body or the
 * X-CSRF-Token header. A new session (sign-in rotates it) gets a new token.
 */
export function csrfProtection(): RequestHandler {
  return (req, res, next) => {
    // Made on first use, so a page without a form does not create a session. (A plain value once the
    // session has one, as every signed-in session does: an accessor slows every later read of res.locals.)
    if (req.session.csrfToken) res.locals.csrfToken = req.session.csrfToken;
    else
      Object.defineProperty(res.locals, 'csrfToken', {
        enumerable: true,
        configurable: true,
        get: () => (req.session.csrfToken ??= randomBytes(32).toString('base64url')),
      });
    if (SAFE.has(req.method)) return next();
    const sent = (req.body as Record<string, unknown> | undefined)?._csrf ?? req.get('x-csrf-token');
    const expected = req.session.csrfToken;
    if (typeof sent === 'string' && expected && sameText(sent, expected)) return next();
    next(new FormExpired());
  };
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
