/**
 * Same-day cover in a real browser, across three devices, on the demo center at
 * 14:30 in Chicago: Ruth Olson's Infants shift ends at 15:00 and the board flags the
 * room. The teacher (staff login) asks for cover for Infants from 15:00 from the
 * board's "Request cover" link; the fully trained demo volunteer, on her phone, sees
 * the notice, opens the cover openings and takes it; the director's board drops the
 * room's flag without a reload, and the room's day plan shows her shift. Last, the
 * teacher presses "Need help now" on the room page and the director's open board
 * shows the banner at once.
 *
 * The server runs in this process with the demo seeded and a clock set to 14:30 of
 * today in Chicago (moving on with real time), so the story holds at any hour.
 */
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { listDemoCenters } from '../../src/db/centers.js';
import { createDb, migrateLatest, type Knex } from '../../src/db/knex.js';
import { seedDemo } from '../../src/db/seed-demo.js';
import { seedDemoDay } from '../../src/db/seed-demo-day.js';
import { createLogger } from '../../src/log.js';
import { hashPassword } from '../../src/passwords.js';
import { createApp } from '../../src/web/app.js';
import { statusesFrom } from '../../src/services/center-state.js';
import { createEventHub } from '../../src/web/events/hub.js';
import { DESKTOP, PHONE, launchChromium, screenshot, signedInPage } from '../support/browser.js';
import { tabUntil } from '../support/keyboard.js';

let browser: Browser;
let server: Server;
let db: Knex;
let dir: string;
let baseUrl: string;
const events = createEventHub();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ratiowatch-cover-browser-'));
  const config = parseConfig({ ...process.env, PORT: '0', DB_FILE: join(dir, 'db.sqlite'), SEED_DEMO: 'true', LOG_LEVEL: 'silent' });
  const startedAt = DateTime.now().setZone('America/Chicago').set({ hour: 14, minute: 30, second: 0, millisecond: 0 }).toMillis();
  const realStart = Date.now();
  const clock = { now: () => new Date(startedAt + (Date.now() - realStart)) };
  db = createDb(config);
  await migrateLatest(db);
  await seedDemo(db, { at: clock.now(), hashPassword: (p) => hashPassword(p) });
  for (const center of await listDemoCenters(db)) {
    await seedDemoDay(db, center, clock.now(), statusesFrom(center));
  }
  server = createServer(createApp({ db, config, log: createLogger(config), clock, events }));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
}, 90_000);
afterAll(async () => {
  await browser?.close();
  events.closeAll();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await db?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

const card = (page: Page, room: string) => page.locator(`article.room-card:has(h2 a:text-is("${room}"))`);
const flagOf = (page: Page, room: string) => card(page, room).locator('.room-forecast-flag');

async function centerPathOf(page: Page): Promise<string> {
  await page.goto('/');
  return (await page.locator('.center-list a').first().getAttribute('href'))!;
}

describe('same-day cover across three pages', () => {
  it('fills the Infants gap at 15:00 from a request, a claim on a phone, and the board and day plan show it', { timeout: 180_000 }, async () => {
    // The director watches the board, live, with alerts turned on.
    const director = await signedInPage(browser, baseUrl, 'director@demo.ratiowatch.test', DESKTOP);
    await director.context.grantPermissions(['notifications'], { origin: baseUrl });
    const d = director.page;
    const centerPath = await centerPathOf(d);
    await d.goto(`${centerPath}/board`);
    await d.locator('[data-live-state="open"]').waitFor({ timeout: 10_000 });
    await d.click('button[data-alerts="off"]');
    await expect.poll(() => d.locator('.board-alerts').innerText()).toBe('Alerts on: sound and notifications');
    expect(await flagOf(d, 'Infants').innerText()).toContain('needs cover by 15:00');
    await d.evaluate(() => ((globalThis as unknown as { stillThisPage: boolean }).stillThisPage = true));

    // The teacher asks for cover from the board's flag: the form is filled in from the forecast.
    const teacher = await signedInPage(browser, baseUrl, 'staff@demo.ratiowatch.test', { width: 820, height: 1180 });
    const t = teacher.page;
    await t.goto(`${centerPath}/board`);
    await Promise.all([t.waitForURL(/\/cover-requests\/new\?/), flagOf(t, 'Infants').locator('a:text-is("Request cover")').click()]);
    expect(await t.locator('#roomId option:checked').innerText()).toBe('Infants');
    expect(await t.inputValue('#start')).toBe('15:00');
    await t.fill('#reason', 'Ruth leaves at 15:00');
    await Promise.all([t.waitForURL(/\/cover-requests\/[0-9a-f-]{36}$/), t.click('button:text-is("Ask for cover")')]);
    expect(await t.locator('[data-request-status]').textContent()).toBe('open');
    expect(await t.locator('.flash').innerText()).toMatch(/Cover asked for Infants, 15:00–/);
    await screenshot(t, 'cover-request-tablet');

    // The volunteer, on her phone: a notice in the header, then the openings, and she takes it.
    const volunteer = await signedInPage(browser, baseUrl, 'volunteer@demo.ratiowatch.test', PHONE);
    const v = volunteer.page;
    await v.goto('/');
    expect(await v.locator('[data-unread-notices]').innerText()).toBe('(1 new)');
    await v.click('a[href="/notices"]');
    expect(await v.locator('.notice.is-unread').innerText()).toContain('Cover needed in Infants');
    await Promise.all([v.waitForURL(/\/cover$/), v.locator('.notice.is-unread button:text-is("Open")').click()]);
    const opening = v.locator('.opening:has-text("Infants")');
    expect(await opening.innerText()).toMatch(/Infants, today 15:00–/);
    expect(await opening.locator('input[name="start"]').inputValue()).toBe('15:00');
    await screenshot(v, 'cover-openings-phone');
    // By keyboard alone: from the top of the page, Tab to Infants' "Take it", then Enter.
    await v.reload();
    await tabUntil(v, 'Take it', { within: '.opening', withinText: 'Infants' });
    await Promise.all([v.waitForURL(/\/cover$/), v.keyboard.press('Enter')]);
    expect(await v.locator('.flash').innerText()).toMatch(/^It's yours: Infants, today 15:00–/);
    expect(await v.locator('.opening.is-mine').innerText()).toContain('Yours');
    await screenshot(v, 'cover-taken-phone');

    // The director's board drops the flag without a reload.
    await expect.poll(() => flagOf(d, 'Infants').count(), { timeout: 10_000 }).toBe(0);
    expect(await d.evaluate(() => (globalThis as unknown as { stillThisPage?: boolean }).stillThisPage)).toBe(true);
    await screenshot(d, 'cover-board-after');

    // And the room's day plan shows her shift from 15:00.
    const plan = await (await d.context().newPage());
    const infantsHref = (await card(d, 'Infants').locator('h2 a').getAttribute('href'))!;
    await plan.goto(`${infantsHref}/plan`);
    expect(await plan.locator('main').innerText()).toMatch(/Jo Nguyen[\s\S]*15:00/);
    await screenshot(plan, 'cover-day-plan');
    await plan.close();

    // "Need help now" on the room page: the director's open board shows it at once.
    await t.goto(infantsHref);
    await Promise.all([t.waitForURL(new RegExp(`${infantsHref}$`)), t.click('button:has-text("Need help now")')]);
    expect(await t.locator('.flash').innerText()).toMatch(/^Help asked for Infants until/);
    await expect.poll(() => d.locator('[data-help-requests]').innerText(), { timeout: 10_000 }).toContain('Help needed now in Infants');
    expect(await d.locator('.board').getAttribute('data-last-alert')).toMatch(/^Help needed now: /);
    expect(await d.evaluate(() => (globalThis as unknown as { stillThisPage?: boolean }).stillThisPage)).toBe(true);

    await Promise.all([director.context.close(), teacher.context.close(), volunteer.context.close()]);
  });
});
