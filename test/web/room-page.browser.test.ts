/**
 * The room page in one hand, on a 390 px touch phone: a staff member checks three
 * children in, one after another, and the page never moves (the scroll position and
 * the focus stay on each child's row, asserted after every tap); a double tap is
 * answered as done. The page is kept as a screenshot (test/artifacts/room-390.png).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, PHONE, launchChromium, screenshot, startDemoServer, type DemoServer } from '../support/browser.js';
import { axeViolations } from '../support/axe.js';
import { tabUntil } from '../support/keyboard.js';

// In the browser (page.evaluate): the little of the DOM these callbacks use, typed here (the project compiles without the DOM library).
declare const window: { scrollY: number; scrollTo(x: number, y: number): void };
declare const document: { activeElement: { textContent: string | null } | null };

let browser: Browser;
let server: DemoServer;

beforeAll(async () => {
  [browser, server] = await Promise.all([launchChromium(), startDemoServer()]);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function staffOnPhone(): Promise<Page> {
  const context = await browser.newContext({ viewport: PHONE, baseURL: server.url, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  await page.goto('/sign-in');
  await page.fill('input[name="email"]', 'staff@demo.ratiowatch.test');
  await page.fill('input[name="password"]', DEMO_PASSWORD);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/sign-in')), page.click('button[type="submit"]')]);
  return page;
}

const rowOf = (page: Page, name: string) => page.locator(`li.tap-row:has(strong:text-is("${name}"))`);

describe('the room page on a phone', () => {
  it('checks three children in a row without the page moving, and answers a double tap as done', { timeout: 120_000 }, async () => {
    const page = await staffOnPhone();
    await page.goto('/');
    const centerPath = (await page.locator('.center-list a').first().getAttribute('href'))!;
    await page.goto(centerPath);
    await Promise.all([page.waitForURL(/\/rooms\/[0-9a-f-]{36}$/), page.click('table a:text-is("Preschool")')]);
    // The children come first: their list starts within the first screen.
    expect(await page.locator('#children-heading').evaluate((h) => h.getBoundingClientRect().top)).toBeLessThan(PHONE.height);

    // Three children here are checked out first (each tap swaps its row in place), to be checked in again.
    const names = (await page.locator('li.tap-row:has(button:has-text("Check out")) .tap-who strong').allInnerTexts()).slice(0, 3);
    expect(names).toHaveLength(3);
    for (const name of names) {
      await rowOf(page, name).locator('button:has-text("Check out")').tap();
      await expect.poll(() => rowOf(page, name).locator('button:has-text("Check in")').count()).toBe(1);
    }

    await rowOf(page, names[0]!).scrollIntoViewIfNeeded();
    const scrolled = await page.evaluate(() => window.scrollY);
    for (const name of names) {
      await rowOf(page, name).locator('button:has-text("Check in")').tap();
      await expect.poll(() => rowOf(page, name).locator('button:has-text("Check out")').count()).toBe(1);
      expect(await page.evaluate(() => window.scrollY)).toBe(scrolled);
      // Focus stays on the child's row (its first button), and the button says whose it is.
      expect(await rowOf(page, name).evaluate((row) => row.contains(document.activeElement))).toBe(true);
      expect(await page.evaluate(() => document.activeElement?.textContent?.replace(/\s+/g, ' ').trim())).toBe(`Check out ${name}`);
      expect(await page.locator('.room-page > .flash').innerText()).toBe(`${name} checked in to Preschool.`);
    }
    expect(await page.locator('.problem').count()).toBe(0);

    // A double tap: the second arrives while the first is answered, or just after; either way, no error.
    const last = names[2]!;
    const checkOut = rowOf(page, last).locator('button:has-text("Check out")');
    await Promise.all([checkOut.tap(), checkOut.tap({ force: true }).catch(() => undefined)]);
    await expect.poll(() => rowOf(page, last).locator('button:has-text("Check in")').count()).toBe(1);
    expect(await page.locator('.problem').count()).toBe(0);

    // By keyboard alone, from the top of a fresh page: past the header by the skip link, Tab to that
    // child's "Check in" (the children come first), then Enter.
    await page.reload();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Skip to content');
    await page.keyboard.press('Enter');
    const presses = await tabUntil(page, `Check in ${last}`);
    expect(presses).toBeLessThanOrEqual(30); // the status line, your own time, then three controls a row before it
    await page.keyboard.press('Enter');
    await expect.poll(() => rowOf(page, last).locator('button:has-text("Check out")').count()).toBe(1);
    expect(await page.evaluate(() => document.activeElement?.textContent?.replace(/\s+/g, ' ').trim())).toBe(`Check out ${last}`);

    expect(await axeViolations(page)).toEqual([]);
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'room-390');
    await page.context().close();
  });
});
