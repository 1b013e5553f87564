/**
 * Ruth leaves early, in a real browser: the director has the demo board open on a
 * desktop; on a 390 px phone the staff teacher ends Ruth Olson's time in Infants before
 * her planned end. Without a reload the director's Infants card turns out of ratio, its
 * forecast flag says "needs cover now" (not "by" Ruth's planned end), and the cover
 * request it links to is filled in from now. An axe-core sweep runs on both pages.
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
const statusOf = async (page: Page, room: string) => (await card(page, room).locator('.room-status').innerText()).replace(/\s+/g, ' ').trim();
const hhmm = (d: Date) => new Intl.DateTimeFormat('en-GB', { timeZone: 'America/Chicago', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(d);

describe('Ruth leaves early', () => {
  it('turns the board out of ratio live, flags "needs cover now" and pre-fills the request from now', { timeout: 120_000 }, async () => {
    const director = await signedInPage(browser, server.url, 'director@demo.ratiowatch.test', DESKTOP);
    const d = director.page;
    await d.goto('/');
    const centerPath = (await d.locator('.center-list a').first().getAttribute('href'))!;
    await d.goto(`${centerPath}/board`);
    await d.locator('[data-live-state="open"]').waitFor({ timeout: 10_000 });
    expect(await statusOf(d, 'Infants')).toBe('✓ ok');
    // The demo plans Ruth to leave soon: the board looks ahead to it.
    expect(await card(d, 'Infants').innerText()).toMatch(/needs cover by \d\d:\d\d/);
    await d.evaluate(() => ((globalThis as unknown as { stillThisPage: boolean }).stillThisPage = true));

    // The staff teacher, on her phone, ends Ruth's time from the Infants room page.
    const staff = await signedInPage(browser, server.url, 'staff@demo.ratiowatch.test', PHONE);
    const s = staff.page;
    await s.goto(centerPath);
    await Promise.all([s.waitForURL(/\/rooms\/[0-9a-f-]{36}(#[\w-]+)?$/), s.click('table a:text-is("Infants")')]);
    const ruth = s.locator('li.tap-row:has(strong:text-is("Ruth Olson"))');
    // The row is swapped in place (room.js): the page stays; its message appears.
    await ruth.locator('button:has-text("End time here")').click();
    const leftAt = hhmm(server.now());
    await expect.poll(() => s.locator('.flash').innerText(), { timeout: 5_000 }).toContain('Ruth Olson left Infants');
    expect(await axeViolations(s)).toEqual([]);
    await screenshot(s, 'reality-staff-phone');

    // Live, without a reload: out of ratio now, and the flag says so.
    await expect.poll(() => statusOf(d, 'Infants'), { timeout: 5_000 }).toMatch(/^✕ out of ratio since \d\d:\d\d$/);
    await expect.poll(async () => card(d, 'Infants').innerText(), { timeout: 5_000 }).toContain('needs cover now');
    const words = await card(d, 'Infants').innerText();
    expect(words).toContain('Needs 1 more counted person now');
    expect(words).not.toMatch(/needs cover by/);
    expect(words).not.toContain('Ruth Olson leaves');
    expect(await d.evaluate(() => (globalThis as unknown as { stillThisPage?: boolean }).stillThisPage)).toBe(true);
    expect(await axeViolations(d)).toEqual([]);
    await screenshot(d, 'reality-board-desktop');

    // The request the flag links to starts now (the minute Ruth left, or the next if the clock turned).
    await Promise.all([d.waitForURL(/\/cover-requests\/new\?/), card(d, 'Infants').locator('a:has-text("Request cover")').click()]);
    const start = await d.locator('input[name="start"]').inputValue();
    const now = hhmm(server.now());
    expect([leftAt, now]).toContain(start);

    await Promise.all([director.context.close(), staff.context.close()]);
  });
});
