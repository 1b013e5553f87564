import type { Request, RequestHandler, Response } from 'express';
import session, { type SessionData } from 'express-session';
import { ConnectSessionKnexStore } from 'connect-session-knex';
import type { Knex } from '../../db/knex.js';
import { ensureSessionSecret } from '../../db/settings.js';
import type { User } from '../../db/rows.js';
import type { Deps } from '../deps.js';
import { sharedByProcesses, standingCache } from './current.js';

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

type CachedSession = { readonly json: string; readonly expires: number };
const MAX_CACHED_SESSIONS = 10_000;
const sessionCaches = new WeakMap<Knex, Map<string, CachedSession>>();

/**
 * connect-session-knex, with two changes that take the database off a signed-in
 * request's path:
 *
 * - No `touch`. express-session would touch the store on every response that did not
 *   save, holding the response's last byte back until it answered; here a session in
 *   use is saved anyway whenever seenAt moves (at most once a minute), which writes its
 *   new expiry, and the 12-hour idle limit is judged on seenAt by currentUser. A
 *   session that never signs in lapses 12 hours after its last save.
 * - On SQLite, which one process owns, sessions are also kept in memory (per
 *   database): every write and every destroy goes through this store, so the copy is
 *   the row. On PostgreSQL several processes may share the table, and a sign-out in
 *   one must end the session in all: every request reads the row.
 */
class SessionStore extends ConnectSessionKnexStore {
  readonly #cache: Map<string, CachedSession> | undefined;

  constructor(options: ConstructorParameters<typeof ConnectSessionKnexStore>[0] & { knex: Knex }) {
    super(options);
    // express-session touches only a store that has `touch` (see above).
    Object.defineProperty(this, 'touch', { value: undefined });
    if (!sharedByProcesses(options.knex)) {
      let cache = sessionCaches.get(options.knex);
      if (!cache) sessionCaches.set(options.knex, (cache = new Map()));
      this.#cache = cache;
    }
  }

  override async get(sid: string, callback?: (err: unknown, session?: SessionData | null) => void): Promise<SessionData | null> {
    const cache = this.#cache;
    const hit = cache?.get(sid);
    if (hit) {
      const session = hit.expires > Date.now() ? (JSON.parse(hit.json) as SessionData) : null;
      if (!session) cache!.delete(sid);
      callback?.(null, session);
      return session;
    }
    try {
      // The callback is optional in the implementation, not in its declared type.
      const session = await super.get(sid, () => undefined);
      if (session && cache) this.#remember(cache, sid, session);
      callback?.(null, session);
      return session;
    } catch (err) {
      // express-session passes a callback and ignores the promise: answer through one, never both.
      if (!callback) throw err;
      callback(err);
      return null;
    }
  }

  override async set(sid: string, session: SessionData, callback?: (err?: unknown) => void): Promise<void> {
    // Forgotten first: should the write fail, the next read asks the table.
    this.#cache?.delete(sid);
    try {
      await super.set(sid, session);
    } catch (err) {
      if (!callback) throw err;
      return callback(err);
    }
    if (this.#cache) this.#remember(this.#cache, sid, session);
    callback?.();
  }

  override async destroy(sid: string, callback?: (err?: unknown) => void): Promise<number> {
    this.#cache?.delete(sid);
    try {
      const n = await super.destroy(sid);
      callback?.();
      return n;
    } catch (err) {
      if (!callback) throw err;
      callback(err);
      return 0;
    }
  }

  #remember(cache: Map<string, CachedSession>, sid: string, session: SessionData): void {
    const expires = session.cookie?.expires ? new Date(session.cookie.expires).getTime() : Date.now() + SESSION_IDLE_MS;
    cache.delete(sid);
    cache.set(sid, { json: JSON.stringify(session), expires });
    if (cache.size > MAX_CACHED_SESSIONS) cache.delete(cache.keys().next().value!);
  }
}

/**
 * express-session on the `sessions` table. The secret is SESSION_SECRET, or one kept
 * in a file beside the database (db/settings.ts); moving an old one out of the
 * database needs the database, so the middleware is built on the first request and
 * createApp stays synchronous.
 */
export function sessions(deps: Pick<Deps, 'db' | 'config' | 'log'>): RequestHandler {
  let ready: Promise<RequestHandler> | undefined;
  const build = async (): Promise<RequestHandler> => {
    const secret = await ensureSessionSecret(deps.db, deps.config);
    const store = new SessionStore({
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
      // Not on every response: the cookie and the row are written again when the session
      // changes, and currentUser changes it (seenAt) at most once a minute while in use.
      rolling: false,
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
 * Checks the signed-in user on every request (through the standing cache, which
 * drops the row as soon as anything writes it). A session whose user is gone, whose
 * session_version was bumped (deactivation, password reset) or that sat idle past
 * 12 hours is replaced by an empty one: the request goes on signed out.
 */
export function currentUser(deps: Pick<Deps, 'db' | 'clock'>): RequestHandler {
  return async (req, _res, next) => {
    const { userId, sessionVersion, seenAt } = req.session;
    if (!userId) return next();
    const now = deps.clock.now().getTime();
    const standing = standingCache(deps.db);
    const stamp = await standing.stamp();
    req.standingStamp = stamp;
    const user = await standing.user(stamp, userId);
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

/**
 * Signs in with a fresh session id, so an id planted before sign-in is worthless after
 * it. Saved here, not when the response ends: express-session sends a response's
 * headers before its closing save, and a browser follows the redirect on the headers,
 * so the next request could otherwise find no session (PostgreSQL, another connection).
 */
export async function startSession(req: Request, user: User, at: Date): Promise<void> {
  await promisify((cb) => req.session.regenerate(cb));
  req.session.userId = user.id;
  req.session.sessionVersion = user.sessionVersion;
  req.session.seenAt = at.getTime();
  await promisify((cb) => req.session.save(cb));
  req.currentUser = user;
}

export async function endSession(req: Request, res: Response, deps: Pick<Deps, 'config'>): Promise<void> {
  await promisify((cb) => req.session.destroy(cb));
  res.clearCookie(SESSION_COOKIE, cookieOptions(deps));
}
