/**
 * The forecast in a real browser: the demo director sees `needs cover by` on the
 * Infants card of the board, opens the day plan of every demo room from the cards,
 * and each draws its timeline (the Infants one with its breach labelled); the
 * Infants plan is also checked as printed. Screenshots go to test/artifacts/.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, PHONE, launchChromium, screenshot, signedInPage, startDemoServer, type DemoServer } from '../support/browser.js';

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

describe('the day forecast and the day plan', () => {
  it('flags Infants on the board and draws the day plan of every demo room', { timeout: 120_000 }, async () => {
    const { context, page } = await signedInPage(browser, server.url, 'director@demo.ratiowatch.test', DESKTOP);
    await page.goto('/');
    const centerPath = (await page.locator('.center-list a').first().getAttribute('href'))!;
    await page.goto(`${centerPath}/board`);

    const infants = card(page, 'Infants');
    const flag = infants.locator('.room-forecast-flag');
    await flag.waitFor();
    expect(await flag.innerText()).toMatch(/needs cover by \d\d:\d\d: 1 more counted person/);
    const request = infants.locator('a:text-is("Request cover")');
    expect(await request.getAttribute('href')).toMatch(/\/cover-requests\/new\?roomId=[0-9a-f-]{36}&start=\d\d:\d\d&end=\d\d:\d\d&count=1&needs=[a-z_,]+&trainings=aht,suid$/);
    for (const room of ['Infants', 'Toddlers', 'Preschool', 'School-age']) expect(await card(page, room).locator('.room-next').innerText()).toMatch(/^→ Next: /);
    await screenshot(page, 'board-forecast');

    const links = await page.locator('article.room-card a:text-is("Day plan")').evaluateAll((as) => as.map((a) => ({ href: a.getAttribute('href')!, room: a.closest('article')!.querySelector('h2')!.textContent!.trim() })));
    expect(links.map((l) => l.room).sort()).toEqual(['Infants', 'Preschool', 'School-age', 'Toddlers']);
    for (const { href, room } of links) {
      await page.goto(href);
      const svg = page.locator('svg.timeline-svg');
      await svg.waitFor();
      const box = (await svg.boundingBox())!;
      expect(box.width, room).toBeGreaterThan(600);
      expect(box.height, room).toBeGreaterThan(200);
      // The step lines are drawn, and the table repeats the day in words.
      expect(await svg.locator('path.series.required').count()).toBe(1);
      expect(await page.locator('table.plan-intervals tbody tr').count(), room).toBeGreaterThan(0);
      if (room === 'Infants') {
        expect(await svg.locator('text.breach-label').first().textContent()).toMatch(/^✕ Breach \d\d:\d\d–\d\d:\d\d$/);
        expect(await svg.locator('rect.breach').first().getAttribute('fill')).toBe('url(#hatch-breach)');
        expect(await svg.locator('text.now-label').textContent()).toMatch(/^Now \d\d:\d\d$/);
        await screenshot(page, 'plan-infants');
        await page.emulateMedia({ media: 'print' });
        expect(await page.locator('.day-nav').isVisible()).toBe(false);
        expect(await svg.isVisible()).toBe(true);
        await screenshot(page, 'plan-infants-print');
        await page.emulateMedia({ media: 'screen' });
      }
      if (room === 'Toddlers') expect(await svg.locator('text.nap-label').first().textContent()).toBe('Nap 12:30–14:30');
    }

    // The center's day plan, where the director edits the day, on a phone.
    const phone = await signedInPage(browser, server.url, 'director@demo.ratiowatch.test', PHONE);
    await phone.page.goto(`${centerPath}/plan`);
    expect(await phone.page.locator('h1').innerText()).toMatch(/^Day plan: /);
    expect(await phone.page.locator('#add-shift form').count()).toBe(1);
    await screenshot(phone.page, 'plan-day-phone');
    await Promise.all([context.close(), phone.context.close()]);
  });
});
