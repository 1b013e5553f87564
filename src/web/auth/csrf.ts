import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { CookieOptions, Request, RequestHandler, Response } from 'express';
import { FormExpired } from '../errors.js';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The signed-out visitor's token, in a cookie instead of a stored session (see csrfProtection). */
export const CSRF_COOKIE = 'rw.csrf';
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

const newToken = () => randomBytes(32).toString('base64url');

/**
 * Every state-changing request carries a token (`_csrf` in the form, or the X-CSRF-Token
 * header) that a page of ours put there; views read it as `csrfToken`. Otherwise 403.
 *
 * - In a session (signed in, or one that already holds a token): one random token per
 *   session, kept in it. Sign-in starts a new session, so a new token.
 * - Signed out (the sign-in form, an invitation, a password reset): a double-submit
 *   cookie, `rw.csrf`, HttpOnly and SameSite=Lax, whose value the form repeats. No session
 *   is stored for a visitor who has not signed in: every anonymous page view would
 *   otherwise write a session row, kept for 12 hours. Another site's form cannot send the
 *   cookie (SameSite) nor read it to repeat it.
 *
 * Either token is made on first use, so a page without a form sets nothing.
 */
export function csrfProtection(options: { readonly secureCookie?: boolean } = {}): RequestHandler {
  const cookie: CookieOptions = { httpOnly: true, sameSite: 'lax', secure: options.secureCookie ?? false, path: '/' };
  return (req, res, next) => {
    // A plain value once the session has one, as every signed-in session does: an accessor slows every later read of res.locals.
    if (req.session.csrfToken) res.locals.csrfToken = req.session.csrfToken;
    else
      Object.defineProperty(res.locals, 'csrfToken', {
        enumerable: true,
        configurable: true,
        // Judged when read: a handler may have signed the visitor in meanwhile.
        get: () => (inSession(req) ? (req.session.csrfToken ??= newToken()) : visitorToken(req, res, cookie)),
      });
    if (SAFE.has(req.method)) return next();
    // A multipart body (a file upload) is read only after the route's guard (uploads/multipart.ts), so its
    // form sends the token in its action's query string; only there (the request log drops query strings).
    const sent = (req.body as Record<string, unknown> | undefined)?._csrf ?? req.get('x-csrf-token') ?? (req.is('multipart/form-data') ? req.query._csrf : undefined);
    const expected = inSession(req) ? req.session.csrfToken : cookieToken(req);
    if (typeof sent === 'string' && expected && sameText(sent, expected)) return next();
    next(new FormExpired());
  };
}

/** Signed in, or a session that already holds a token: the session's token is the one. */
const inSession = (req: Request) => req.session.csrfToken !== undefined || req.session.userId !== undefined;

// Tokens made for a response (a page may read csrfToken more than once), so the cookie is set once.
const madeFor = new WeakMap<Response, string>();

/** The visitor's cookie token, set on the response when they have none yet. */
function visitorToken(req: Request, res: Response, options: CookieOptions): string {
  const kept = madeFor.get(res) ?? cookieToken(req);
  if (kept) return kept;
  const token = newToken();
  madeFor.set(res, token);
  res.cookie(CSRF_COOKIE, token, options);
  return token;
}

function cookieToken(req: Request): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === CSRF_COOKIE) {
      const value = part.slice(eq + 1).trim();
      return TOKEN.test(value) ? value : undefined;
    }
  }
  return undefined;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
