import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Knex } from 'knex';
import type { MembershipRole } from '../../src/db/rows.js';
import { createApp, type Deps } from '../../src/web/app.js';
import { signInAs, type Agent } from './agent.js';
import { seedCenter, type SeededCenter } from './builders.js';
import { testEngine, type TestEngine } from './db.js';
import { seedRoomDay, type SeededDay } from './day.js';
import { testDeps, type TestClock } from './deps.js';

/** The express app createApp makes. */
export type App = ReturnType<typeof createApp>;

export type SeededAppOptions = {
  /** Where the clock starts (testDeps' default: Monday 2 March 2026, 06:45 in Chicago). */
  readonly at?: string;
  /** Configuration on top of the test database's (e.g. TRUST_PROXY). */
  readonly env?: Readonly<Record<string, string>>;
  /** Added to the deps before the app is made: an event hub of the test's own, upload limits… */
  readonly deps?: Partial<Omit<Deps, 'db' | 'config' | 'log' | 'clock'>>;
  /** seedCenter's options: the center's name, an organization to add it to… */
  readonly center?: Parameters<typeof seedCenter>[1];
  /** Also seed a day in the rooms (seedRoomDay): trainings, Maya, four children. */
  readonly day?: boolean;
  /** A temporary uploads folder for certificates (deps.uploadsDir), removed by close(). */
  readonly uploads?: boolean;
  /** Roles whose seeded users sign in, in this order, once everything else is seeded; their agents are in `agents`. */
  readonly agents?: readonly MembershipRole[];
};

type RolesOf<O> = O extends { readonly agents: readonly (infer R extends MembershipRole)[] } ? R : never;

export type SeededApp<O extends SeededAppOptions = SeededAppOptions> = {
  readonly engine: TestEngine;
  readonly db: Knex;
  readonly deps: Deps;
  readonly clock: TestClock;
  readonly app: App;
  /** The organization, its center, rooms, people, and a user and membership for each role. */
  readonly seeded: SeededCenter;
  readonly day: O extends { readonly day: true } ? SeededDay : undefined;
  readonly uploadsDir: O extends { readonly uploads: true } ? string : undefined;
  /** A signed-in agent for each role in `options.agents`. */
  readonly agents: Readonly<Record<RolesOf<O>, Agent>>;
  /** Signs the seeded user of `role` in (another session, each call). */
  signIn(role: MembershipRole): Promise<Agent>;
  /** Closes and deletes the database, and removes the uploads folder if there is one. */
  close(): Promise<void>;
};

/**
 * A fresh, migrated database on the file's engine (SQLite, or PostgreSQL in the pg
 * project: see db.ts), the app made on it, one seeded center (seedCenter) and, as asked,
 * its day (seedRoomDay) and signed-in agents. Seed more before signing in by leaving
 * `agents` out and calling `signIn(role)` afterwards. Call `close()` in afterEach/afterAll.
 */
export async function seededApp<const O extends SeededAppOptions = {}>(options?: O): Promise<SeededApp<O>> {
  const opts: SeededAppOptions = options ?? {};
  const t = await testDeps(opts.at, opts.env ? { ...opts.env } : undefined);
  const uploadsDir = opts.uploads ? mkdtempSync(join(tmpdir(), 'ratiowatch-uploads-')) : undefined;
  const close = async () => {
    await t.destroy();
    if (uploadsDir) rmSync(uploadsDir, { recursive: true, force: true });
  };
  try {
    const deps: Deps = { ...t.deps, ...opts.deps, ...(uploadsDir ? { uploadsDir } : {}) };
    const app = createApp(deps);
    const seeded = await seedCenter(deps.db, opts.center);
    const day = opts.day ? await seedRoomDay(deps.db, seeded) : undefined;
    const signIn = (role: MembershipRole) => signInAs(app, seeded.users[role]);
    const agents: Partial<Record<MembershipRole, Agent>> = {};
    for (const role of opts.agents ?? []) agents[role] = await signIn(role);
    return { engine: testEngine(), db: deps.db, deps, clock: t.clock, app, seeded, day, uploadsDir, agents, signIn, close } as SeededApp<O>;
  } catch (err) {
    await close();
    throw err;
  }
}
