import type { Request, RequestHandler, Response } from 'express';
import session from 'express-session';
import { ConnectSessionKnexStore } from 'connect-session-knex';
import { findUserById } from '../../db/users.js';
import { ensureSessionSecret } from '../../db/settings.js';
import type { User } from '../../db/rows.js';
import type { Deps } from '../app.js';
import './current.js';

declare module 'express-session' {
  interface SessionData {
    userId: string;
    /** users.session_version when the session began; a bump ends it. */
    sessionVersion: number;
    /** Epoch ms of the last request, by the app's clock, for the idle limit. */
    seenAt: number;
    csrfToken: string;
  }
}

export const SESSION_COOKIE = 'rw.sid';
/** A session ends after this long without a request. */
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
// Writing seenAt on every request would write the session row on every request.
const SEEN_AT_RESOLUTION_MS = 60 * 1000;

function cookieOptions(deps: Pick<Deps, 'config'>) {
  return {
    httpOnly: true,
    sameSite: 'lax' as const,
    // Behind an HTTPS proxy (TRUST_PROXY) the cookie never travels in clear text.
    secure: deps.config.trustProxy !== false,
    path: '/',
  };
}

/**
 * express-session on the `sessions` table. The secret is SESSION_SECRET, or one kept
 * in the database; reading it needs the database, so the middleware is built on the
 * first request and createApp stays synchronous.
 */
export function sessions(deps: Pick<Deps, 'db' | 'config' | 'log'>): RequestHandler {
  let ready: Promise<RequestHandler> | undefined;
  const build = async (): Promise<RequestHandler> => {
    const secret = deps.config.sessionSecret ?? (await ensureSessionSecret(deps.db));
    const store = new ConnectSessionKnexStore({
      knex: deps.db,
      tableName: 'sessions',
      createTable: false,
      // Tests open and close many databases; a timer outliving one would only log noise.
      cleanupInterval: deps.config.nodeEnv === 'test' ? 0 : 15 * 60 * 1000,
      onDbCleanupError: (err) => deps.log.warn({ err }, 'session.cleanup_failed'),
    });
    return session({
      name: SESSION_COOKIE,
      secret,
      store,
      resave: false,
      saveUninitialized: false,
      // Every response pushes the expiry 12 hours out, in the cookie and in the store.
      rolling: true,
      cookie: { ...cookieOptions(deps), maxAge: SESSION_IDLE_MS },
    });
  };
  return (req, res, next) => {
    ready ??= build().catch((err: unknown) => {
      ready = undefined;
      throw err;
    });
    ready.then((mw) => mw(req, res, next), next);
  };
}

const promisify = (fn: (cb: (err?: unknown) => void) => void) =>
  new Promise<void>((resolve, reject) => fn((err) => (err ? reject(err) : resolve())));

/**
 * Re-reads the signed-in user on every request. A session whose user is gone, whose
 * session_version was bumped (deactivation, password reset) or that sat idle past
 * 12 hours is replaced by an empty one: the request goes on signed out.
 */
export function currentUser(deps: Pick<Deps, 'db' | 'clock'>): RequestHandler {
  return async (req, _res, next) => {
    const { userId, sessionVersion, seenAt } = req.session;
    if (!userId) return next();
    const now = deps.clock.now().getTime();
    const user = await findUserById(deps.db, userId);
    const idle = seenAt === undefined || now - seenAt > SESSION_IDLE_MS;
    if (!user || user.sessionVersion !== sessionVersion || idle) {
      await promisify((cb) => req.session.regenerate(cb));
      return next();
    }
    req.currentUser = user;
    if (now - seenAt >= SEEN_AT_RESOLUTION_MS) req.session.seenAt = now;
    next();
  };
}

/** Signs in with a fresh session id, so an id planted before sign-in is worthless after it. */
export async function startSession(req: Request, user: User, at: Date): Promise<void> {
  await promisify((cb) => req.session.regenerate(cb));
  req.session.userId = user.id;
  req.session.sessionVersion = user.sessionVersion;
  req.session.seenAt = at.getTime();
  req.currentUser = user;
}

export async function endSession(req: Request, res: Response, deps: Pick<Deps, 'config'>): Promise<void> {
  await promisify((cb) => req.session.destroy(cb));
  res.clearCookie(SESSION_COOKIE, cookieOptions(deps));
}
