import { fileURLToPath } from 'node:url';
import express from 'express';
import { engine } from 'express-handlebars';
import helmet from 'helmet';
import type { Config } from '../config.js';
import type { Knex } from '../db/knex.js';
import { requestLogger, type Logger } from '../log.js';
import { errorHandler, notFoundHandler } from './errors.js';
import { homeRoutes } from './home/routes.js';

export type Deps = {
  readonly db: Knex;
  readonly config: Config;
  readonly log: Logger;
  /** The only source of "now" for the web layer, so tests can fix it. */
  readonly clock: { now(): Date };
};

const root = (dir: string) => fileURLToPath(new URL(`../../${dir}/`, import.meta.url));

/** Builds the express app without listening, so tests drive it in-process. */
export function createApp(deps: Deps): express.Express {
  const app = express();
  app.set('trust proxy', deps.config.trustProxy);
  app.engine(
    'hbs',
    engine({ extname: '.hbs', defaultLayout: 'main', layoutsDir: root('views/layouts'), partialsDir: root('views/partials') }),
  );
  app.set('view engine', 'hbs');
  app.set('views', root('views'));

  app.use(requestLogger(deps.log));
  app.use(
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
  );
  app.use(express.static(root('public')));
  app.use(express.urlencoded({ extended: false, limit: '100kb' }));
  app.use(express.json({ limit: '100kb' }));

  app.use(homeRoutes());

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
