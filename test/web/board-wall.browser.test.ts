/**
 * The board fills the screen: on a 1280 px laptop the demo's four rooms sit side by
 * side, and the wall display (large type, the time, no navigation) passes the axe
 * sweep on a 1920 px office screen. Screenshots of both are kept under test/artifacts/.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAPTOP, launchChromium, screenshot, signedInPage, startDemoServer, type DemoServer } from '../support/browser.js';
import { axeViolations } from '../support/axe.js';

// In the browser (page.evaluate): the little of the DOM these callbacks use, typed here (the project compiles without the DOM library).
declare function getComputedStyle(element: unknown): { gridTemplateColumns: string; fontSize: string };

let browser: Browser;
let server: DemoServer;

beforeAll(async () => {
  [browser, server] = await Promise.all([launchChromium(), startDemoServer()]);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the board on a wide screen', () => {
  it('uses the width at 1280 px, and the wall display shows the time and every card, large', { timeout: 120_000 }, async () => {
    const { page, context } = await signedInPage(browser, server.url, 'director@demo.ratiowatch.test', LAPTOP);
    await page.goto('/');
    const centerPath = (await page.locator('.center-list a').first().getAttribute('href'))!;
    await page.goto(`${centerPath}/board`);
    const columns = await page.locator('.board-cards').evaluate((el) => getComputedStyle(el).gridTemplateColumns.split(' ').length);
    expect(columns).toBeGreaterThanOrEqual(4);
    // Four rooms, one row: every card's top on the first row, within the first screen.
    const tops = await page.locator('.board-cards > .room-card').evaluateAll((cards) => cards.map((c) => Math.round(c.getBoundingClientRect().top)));
    expect(tops).toHaveLength(4);
    expect(new Set(tops).size).toBe(1);
    expect(Math.max(...tops)).toBeLessThan(LAPTOP.height);
    await screenshot(page, 'board-1280');

    await page.setViewportSize({ width: 1920, height: 1080 });
    await Promise.all([page.waitForURL(/\/board\/wall$/), page.click('a:text-is("Wall display")')]);
    await page.locator('[data-live-state="open"]').waitFor({ timeout: 10_000 });
    expect(await page.locator('.site-nav').count()).toBe(0);
    expect(await page.locator('[data-wall-clock]').innerText()).toMatch(/^\d\d:\d\d$/);
    expect(await page.locator('.board-cards > .room-card').count()).toBe(4);
    expect(await page.locator('.wall-clock').evaluate((el) => parseFloat(getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(40);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'board-wall');
    await context.close();
  });
});
