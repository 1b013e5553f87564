import type { Request, RequestHandler, Response } from 'express';
import session, { type SessionData } from 'express-session';
import { ConnectSessionKnexStore } from 'connect-session-knex';
import type { Knex } from '../../db/knex.js';
import { ensureSessionSecret } from '../../db/settings.js';
import type { User } from '../../db/rows.js';
import type { Deps } from '../deps.js';
import { stampOf, standingCache } from './current.js';
import { NO_HEADS, type AuditHeads } from '../../db/freshness.js';
import { unreadNoticesCount } from '../../db/notices.js';
import { dateAsISO, expiredCondition } from 'connect-session-knex/dist/utils.js';

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
 * connect-session-knex without `touch`: express-session would touch the store on
 * every response that did not save, holding the response's last byte back until it
 * answered; here a session in use is saved anyway whenever seenAt moves (at most once
 * a minute), which writes its new expiry, and the 12-hour idle limit is judged on
 * seenAt by currentUser. A session that never signs in lapses 12 hours after its last
 * save. Every request reads its row (one primary-key read), so a sign-out in one app
 * process ends the session in all.
 */
class SessionStore extends ConnectSessionKnexStore {
  private unread: Knex.Sql | undefined;

  constructor(options: ConstructorParameters<typeof ConnectSessionKnexStore>[0] & { knex: Knex }) {
    super(options);
    // express-session touches only a store that has `touch` (see above).
    Object.defineProperty(this, 'touch', { value: undefined });
  }

  /**
   * The session row and, in the same statement, the audit log's heads (db/freshness.ts)
   * and the user's unread notices: every signed-in request needs the row and the heads its
   * standing and other kept values are checked against, every page the count, and gets
   * them in one round trip. The heads and count ride
   * on the session data under a symbol (never stored: a session is saved as JSON) until
   * createSession hands them to the request.
   */
  override async get(sid: string, callback: (err: unknown, session?: SessionData | null) => void): Promise<SessionData | null> {
    try {
      await this.ready;
      const { knex, tableName, sidFieldName } = this.options;
      // The signed-in user's unread notices, counted in the same statement (the header of every page shows it);
      // 0 for a session that is not signed in. Its SQL is the same on every request: compiled once.
      this.unread ??= unreadNoticesCount(
        knex,
        knex.raw(knex.client.config.client === 'pg' ? `s.sess->>'userId'` : `json_extract(s.sess, '$.userId')`),
      ).toSQL();
      // One row whether or not either is there; the expiry test is connect-session-knex's own (its `expired` column).
      const answer = (await knex.raw(
        `select s.sess, h.last_id, h.setup_id, h.standing_id, h.cover_id, (${this.unread.sql}) as unread from (select 1 as one) o
         left join ?? s on s.?? = ? and ${expiredCondition(knex)}
         left join audit_head h on h.id = 1`,
        [...this.unread.bindings, tableName, sidFieldName, sid, dateAsISO(knex)],
      )) as HeadsAndSession[] | { rows: HeadsAndSession[] };
      const row = (Array.isArray(answer) ? answer : answer.rows)[0];
      const raw = row?.sess ?? null;
      const session = (typeof raw === 'string' ? JSON.parse(raw) : raw) as (SessionData & { [HEADS]?: ReadWithSession }) | null;
      if (session && row) {
        session[HEADS] = {
          heads: row.last_id === null ? NO_HEADS : { last: Number(row.last_id), setup: Number(row.setup_id), standing: Number(row.standing_id), cover: Number(row.cover_id) },
          unread: Number(row.unread ?? 0),
        };
      }
      callback(null, session);
      return session;
    } catch (err) {
      callback(err);
      throw err;
    }
  }

  /** express-session makes req.session from what get answered: the heads and count read with it go to the request. */
  override createSession(req: Request, session: SessionData & { [HEADS]?: ReadWithSession }) {
    const read = session[HEADS];
    if (read) {
      delete session[HEADS];
      req.headsWithSession = read.heads;
      req.unreadWithSession = read.unread;
    }
    return super.createSession(req, session);
  }
}

/** What a session's read brings besides the session: the audit log's heads and the user's unread notices. */
type ReadWithSession = { readonly heads: AuditHeads; readonly unread: number };

type HeadsAndSession = {
  sess: unknown;
  last_id: number | string | null;
  setup_id: number | string | null;
  standing_id: number | string | null;
  cover_id: number | string | null;
  unread: number | string | null;
};

/** Where the heads read with a session row wait for createSession. */
const HEADS = Symbol('audit heads and unread count read with the session');

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
    // The heads read with this request's session row (SessionStore.get), else a read of their own.
    const stamp = req.headsWithSession ? stampOf(req.headsWithSession) : await standing.stamp();
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
