import { fileURLToPath } from 'node:url';
import express from 'express';
import helmet from 'helmet';
import { hasDemoCenter } from '../db/centers.js';
import type { Knex } from '../db/knex.js';
import { requestLogger, type Logger } from '../log.js';
import { auditRoutes } from './audit/routes.js';
import { boardRoutes } from './board/routes.js';
import { checkInRoutes } from './check-ins/routes.js';
import { createEventHub } from './events/hub.js';
import { historyRoutes } from './history/routes.js';
import { planRoutes } from './plan/routes.js';
import { scheduleRoutes } from './schedules/routes.js';
import { boardCoverExtras } from './cover/board-extras.js';
import { coverClaimRoutes } from './cover/claim-routes.js';
import { coverRequestRoutes } from './cover/routes.js';
import { remedyRoutes } from './remedies/routes.js';
import { importRoutes } from './import/routes.js';
import { noticeRoutes, unreadNoticeCount } from './notices/routes.js';
import { networkRoutes } from './network/routes.js';
import { reportRoutes } from './reports/routes.js';
import { availabilityRoutes } from './availability/routes.js';
import { alertRoutes } from './alerts/routes.js';
import { calendarRoutes } from './calendar/routes.js';
import { trainingRecordRoutes } from './training-records/routes.js';
import { trainingRoutes } from './trainings/routes.js';
import { closeAfterMultipart } from './uploads/multipart.js';
import { closeStreamsAtSessionEnd } from './events/session-end.js';
import { noStore } from './no-store.js';
import { volunteerRoutes } from './volunteers/routes.js';
import { csrfProtection } from './auth/csrf.js';
import { standingCache, standingStampOf } from './auth/current.js';
import { currentUser, sessions } from './auth/session.js';
import { centerRoutes } from './centers/routes.js';
import { centerSettingsRoutes } from './centers/settings-routes.js';
import { setupRoutes } from './setup/routes.js';
import { childRoutes } from './children/routes.js';
import { peopleRoutes } from './people/routes.js';
import { roomSetupRoutes } from './rooms/setup-routes.js';
import { errorHandler, notFoundHandler } from './errors.js';
import { homeRoutes } from './home/routes.js';
import { invitationRoutes } from './invitations/routes.js';
import { meRoutes } from './me/routes.js';
import { memberRoutes } from './members/routes.js';
import { passwordResetRoutes } from './password-resets/routes.js';
import { signInRoutes } from './sign-in/routes.js';
import { viewEngine } from './views.js';
import type { Deps } from './deps.js';
import { fixedHeaders } from './security-headers.js';

export type { Deps } from './deps.js';

const root = (dir: string) => fileURLToPath(new URL(`../../${dir}/`, import.meta.url));
const ASSET_PATH = /\.[A-Za-z0-9]+$/;

/** Builds the express app without listening, so tests drive it in-process. */
export function createApp(deps: Deps): express.Express {
  const app = express();
  app.set('trust proxy', deps.config.trustProxy);
  app.engine('hbs', viewEngine({ layoutsDir: root('views/layouts'), partialsDir: root('views/partials') }));
  app.set('view engine', 'hbs');
  app.set('views', root('views'));

  app.use(requestLogger(deps.log));
  app.disable('x-powered-by');
  app.use(
    fixedHeaders(
      helmet({
        contentSecurityPolicy: {
          // Not helmet's defaults: they allow inline styles and add upgrade-insecure-requests,
          // which breaks plain-http use on a center's local network.
          useDefaults: false,
          directives: {
            defaultSrc: ["'self'"],
            scriptSrc: ["'self'"],
            styleSrc: ["'self'"],
            imgSrc: ["'self'", 'data:'],
            objectSrc: ["'none'"],
            // base-uri does not fall back to default-src; without it an injected <base> could redirect relative URLs.
            baseUri: ["'self'"],
            frameAncestors: ["'none'"],
            formAction: ["'self'"],
          },
        },
      }),
    ),
  );
  // Asked only for paths that name a file (/css/app.css): a page request would otherwise cost a stat of public/.
  const assets = express.static(root('public'));
  app.use((req, res, next) => (ASSET_PATH.test(req.path) ? assets(req, res, next) : next()));
  // Everything past the static files is kept by no cache (pages name children and staff).
  app.use(noStore);
  app.use(closeAfterMultipart);
  app.use(express.urlencoded({ extended: false, limit: '100kb' }));
  app.use(express.json({ limit: '100kb' }));

  app.use(sessions(deps));
  // The board's event hub, here so that a request ending its session (below) closes the session's streams.
  const events = deps.events ?? createEventHub();
  app.use(closeStreamsAtSessionEnd(events));
  app.use(currentUser(deps));
  // A multipart body (the one form that sends a file) is not read here: its route reads it after the guard.
  // Every form and JSON endpoint takes named fields of text. A JSON list, or a NUL character (nobody types
  // one, and PostgreSQL cannot store it: a 500 there), is refused like unreadable JSON: 400, nothing stored.
  app.use((req, _res, next) => next(unreadableBody(req.body) ? Object.assign(new Error('unreadable body'), { status: 400, expose: true }) : undefined));
  // Before every route: no state-changing request reaches a handler without this session's token.
  app.use(csrfProtection({ secureCookie: deps.config.trustProxy !== false }));
  app.use(async (req, res, next) => {
    const user = req.currentUser;
    res.locals.currentUser = user && { displayName: user.displayName };
    // "Demo data" on every page while the viewed center (the guard adds it) or any of the user's centers is the demo.
    res.locals.demo = user ? await standingCache(deps.db).seesDemo(await standingStampOf(deps.db, req), user.id) : await hasDemoCenter(deps.db);
    next();
  });
  // The unread notices in the header of every page.
  app.use(unreadNoticeCount(deps));

  // Every route's first handler is guard(deps, action): see auth/policy.ts and test/web/authorization.test.ts.
  // The busiest paths first, so their requests do not walk every other router: the board
  // (with what cover adds to it) and the room page's check-ins. Room set-up comes before
  // check-ins, whose /rooms/:roomId would otherwise catch /rooms/new.
  app.use('/centers/:centerId/board', boardCoverExtras(deps));
  app.use(boardRoutes(deps, events));
  app.use(roomSetupRoutes(deps));
  app.use(checkInRoutes(deps, events));
  app.use(signInRoutes(deps));
  app.use(homeRoutes(deps));
  app.use(meRoutes(deps));
  app.use(centerRoutes(deps));
  app.use(invitationRoutes(deps));
  app.use(memberRoutes(deps));
  app.use(passwordResetRoutes(deps));
  app.use(auditRoutes(deps));
  // Center set-up (children, people, center settings; rooms are above).
  app.use(centerSettingsRoutes(deps));
  app.use(setupRoutes(deps));
  app.use(importRoutes(deps));
  app.use(childRoutes(deps));
  app.use(peopleRoutes(deps));
  app.use(trainingRoutes(deps));
  app.use(trainingRecordRoutes(deps));
  app.use(volunteerRoutes(deps));
  app.use(availabilityRoutes(deps));
  app.use(alertRoutes(deps));
  app.use(calendarRoutes(deps));
  app.use(reportRoutes(deps));
  app.use(networkRoutes(deps));

  // Cover and notices (the board's help banner and breach notices are added above, before the board renders).
  app.use(noticeRoutes(deps));
  app.use(coverRequestRoutes(deps, events));
  app.use(remedyRoutes(deps, events));
  app.use(coverClaimRoutes(deps, events));
  app.use(historyRoutes(deps));
  // Schedules and the day plan (the board's forecast reads them).
  app.use(planRoutes(deps, events));
  app.use(scheduleRoutes(deps, events));

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}

/** A body no form sends: a list at the top, or a NUL character in any key or value (walked without recursion: JSON nests deep). */
function unreadableBody(body: unknown): boolean {
  if (Array.isArray(body)) return true;
  const stack: unknown[] = [body];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return true;
    } else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k.includes('\u0000')) return true;
        stack.push(x);
      }
    }
  }
  return false;
}
