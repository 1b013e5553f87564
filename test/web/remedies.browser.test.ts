/**
 * "What can fix this", in a real browser: the director has the demo board open on a
 * desktop; on a 390 px phone a director opens the Infants room page from the card's
 * flag, sees at least one move or merge and the call-in list, and takes the move.
 * Without a reload the desktop board's Infants card loses its flag. An axe-core sweep
 * runs on the panel's page.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, PHONE, launchChromium, screenshot, signedInPage, startDemoServer, type DemoServer } from '../support/browser.js';
import { axeViolations } from '../support/axe.js';

let browser: Browser;
let server: DemoServer;

beforeAll(async () => {
  [browser, server] = await Promise.all([launchChromium(), startDemoServer()]);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const card = (page: Page, room: string) => page.locator(`article.room-card:has(h2 a:text-is("${room}"))`);

describe('What can fix this', () => {
  it('offers a move for the demo\'s Infants need, and taking it turns the flag off on the open board', { timeout: 120_000 }, async () => {
    const director = await signedInPage(browser, server.url, 'director@demo.ratiowatch.test', DESKTOP);
    const d = director.page;
    await d.goto('/');
    const centerPath = (await d.locator('.center-list a').first().getAttribute('href'))!;
    await d.goto(`${centerPath}/board`);
    await d.locator('[data-live-state="open"]').waitFor({ timeout: 10_000 });
    expect(await card(d, 'Infants').innerText()).toMatch(/needs cover/);
    await d.evaluate(() => ((globalThis as unknown as { stillThisPage: boolean }).stillThisPage = true));

    const phone = await signedInPage(browser, server.url, 'director@demo.ratiowatch.test', PHONE);
    const p = phone.page;
    await p.goto(`${centerPath}/board`);
    await Promise.all([p.waitForURL(/#what-can-fix-this$/), card(p, 'Infants').locator('a:text-is("What can fix this")').click()]);
    const panel = p.locator('#what-can-fix-this');
    await panel.waitFor();
    expect(await panel.locator('li.remedy-move, li.remedy-merge').count()).toBeGreaterThan(0);
    // The call-in list: those who could be called in, or those not offered with why.
    expect(await panel.locator('h3:text-is("Call someone in"), details summary:has-text("Not offered")').count()).toBeGreaterThan(0);
    expect(await axeViolations(p)).toEqual([]);
    // Nothing wider than the phone.
    expect(await p.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(p, 'remedies-phone');

    const move = panel.locator('li.remedy-move button').first();
    const label = await move.innerText();
    expect(label).toMatch(/^Move .+ here$/);
    await Promise.all([p.waitForURL(/\/rooms\/[0-9a-f-]{36}(#[\w-]+)?$/), move.click()]);
    expect(await p.locator('.flash').innerText()).toContain('moves to Infants');

    await expect.poll(async () => card(d, 'Infants').innerText(), { timeout: 5_000 }).not.toMatch(/needs cover/);
    expect(await d.evaluate(() => (globalThis as unknown as { stillThisPage?: boolean }).stillThisPage)).toBe(true);
  });
});
