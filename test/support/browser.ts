import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DateTime } from 'luxon';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { parseConfig, type Config } from '../../src/config.js';
import { startServer, type RunningServer } from '../../src/web/server.js';

/**
 * Browser tests drive Debian's Chromium (installed by .ci/run) through
 * playwright-core against a real server on a fresh, demo-seeded database.
 */

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
export const PHONE = { width: 390, height: 844 } as const;
export const DESKTOP = { width: 1366, height: 900 } as const;
export const LAPTOP = { width: 1280, height: 800 } as const;
export const DEMO_PASSWORD = 'ratiowatch-demo';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    // Our sandbox has no network beyond localhost: background networking only makes Chromium hang on lookups.
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

export interface DemoServer {
  readonly url: string;
  /** The server's clock. */
  now(): Date;
  close(): Promise<void>;
}

/**
 * A real server on a free port with a fresh demo-seeded SQLite database in a temp folder,
 * its clock at 14:30 of today in Chicago (the demo's zone) and moving on with real time: the
 * demo's day (Ruth Olson leaving Infants soon, the breach it makes) then reads the same at
 * any hour the tests run, not only before the evening runs out of day.
 */
export async function startDemoServer(): Promise<DemoServer> {
  const dir = mkdtempSync(join(tmpdir(), 'ratiowatch-browser-'));
  const config = parseConfig({ ...process.env, PORT: '0', DB_FILE: join(dir, 'db.sqlite'), SEED_DEMO: 'true', LOG_LEVEL: 'silent' });
  const startedAt = DateTime.now().setZone('America/Chicago').set({ hour: 14, minute: 30, second: 0, millisecond: 0 }).toMillis();
  const realStart = Date.now();
  const clock = { now: () => new Date(startedAt + (Date.now() - realStart)) };
  const server: RunningServer = await startServer(config, { clock });
  return {
    url: server.url,
    now: () => clock.now(),
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface EmptyServer extends DemoServer {
  /** The server's configuration (its DB_FILE), for running a CLI such as create-owner in-process against it. */
  readonly config: Config;
}

/** A real server on a free port with a fresh, empty SQLite database (SEED_DEMO=false), as a real owner starts. */
export async function startEmptyServer(): Promise<EmptyServer> {
  const dir = mkdtempSync(join(tmpdir(), 'ratiowatch-browser-'));
  const config = parseConfig({ ...process.env, PORT: '0', DB_FILE: join(dir, 'db.sqlite'), SEED_DEMO: 'false', LOG_LEVEL: 'silent' });
  const server: RunningServer = await startServer(config);
  return {
    url: server.url,
    now: () => new Date(),
    config,
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A new browser context (its own cookies) at `viewport`, signed in as a demo login. */
export async function signedInPage(
  browser: Browser,
  baseUrl: string,
  email: string,
  viewport: { width: number; height: number } = DESKTOP,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, baseURL: baseUrl });
  const page = await context.newPage();
  await page.goto('/sign-in');
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', DEMO_PASSWORD);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/sign-in')), page.click('button[type="submit"]')]);
  return { context, page };
}

/** Saves a screenshot under test/artifacts/ (git-ignored) and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
