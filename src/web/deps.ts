import type { Config } from '../config.js';
import type { Knex } from '../db/knex.js';
import type { Logger } from '../log.js';
import type { ScryptParams } from '../passwords.js';
import type { EventHub } from './events/hub.js';
import type { UploadLimits } from './uploads/limits.js';

/** What the web app is made from (createApp(deps)): the database, configuration, logger, clock and, for tests, cheaper or smaller settings. */
export type Deps = {
  readonly db: Knex;
  readonly config: Config;
  readonly log: Logger;
  /** The only source of "now" for the web layer, so tests can fix it. */
  readonly clock: { now(): Date };
  /** scrypt cost for new password hashes; strong unless a test passes cheaper ones. */
  readonly passwordParams?: ScryptParams;
  /** The board's event hub (SSE); one is made per app when not given. */
  readonly events?: EventHub;
  /** Where certificate files go; by default `uploads/` beside DB_FILE, outside the web root. */
  readonly uploadsDir?: string;
  /** Quotas, rate and free-space margin for certificate uploads; the defaults in uploads/limits.ts unless a test passes others. */
  readonly uploadLimits?: Partial<UploadLimits>;
};
