/**
 * The board live, in a real browser: the director watches the demo board; on a
 * second device the staff teacher ends her time in the Infants room, and the
 * director's board shows Infants out of ratio without reloading; the fully trained
 * demo volunteer comes in (with no shift there, her phone sends her to the staff,
 * who start her time from the room page), and it turns ok again.
 * Screenshots of the board at phone and desktop widths go to test/artifacts/.
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
const statusOf = async (page: Page, room: string) => (await card(page, room).locator('.room-status').innerText()).replace(/\s+/g, ' ').trim();

async function centerPathOf(page: Page): Promise<string> {
  await page.goto('/');
  return (await page.locator('.center-list a').first().getAttribute('href'))!;
}

describe('the live board', () => {
  it('turns Infants out of ratio when the teacher leaves and ok when a trained volunteer arrives, without a reload', { timeout: 120_000 }, async () => {
    const director = await signedInPage(browser, server.url, 'director@demo.ratiowatch.test', DESKTOP);
    const d = director.page;
    const centerPath = await centerPathOf(d);
    await d.goto(`${centerPath}/board`);
    await d.locator('[data-live-state="open"]').waitFor({ timeout: 10_000 });
    expect(await statusOf(d, 'Infants')).toBe('✓ ok');
    expect(await statusOf(d, 'Toddlers')).toBe('▲ at limit');
    expect(await card(d, 'Infants').innerText()).toContain('Sam Rivera');
    await screenshot(d, 'board-desktop');
    // Marks this page: a reload would lose it.
    await d.evaluate(() => ((globalThis as unknown as { stillThisPage: boolean }).stillThisPage = true));

    const phone = await signedInPage(browser, server.url, 'director@demo.ratiowatch.test', PHONE);
    await phone.page.goto(`${centerPath}/board`);
    await screenshot(phone.page, 'board-phone');
    await phone.context.close();

    // The staff teacher, on a tablet, ends her time in Infants from the room page.
    const staff = await signedInPage(browser, server.url, 'staff@demo.ratiowatch.test', { width: 820, height: 1180 });
    const s = staff.page;
    await s.goto(centerPath);
    await Promise.all([s.waitForURL(/\/rooms\/[0-9a-f-]{36}(#[\w-]+)?$/), s.click('table a:text-is("Infants")')]);
    await Promise.all([s.waitForURL(/\/rooms\/[0-9a-f-]{36}(#[\w-]+)?$/), s.click('button:has-text("End my time in Infants")')]);
    expect(await s.locator('.flash').innerText()).toContain('left Infants');

    await expect.poll(() => statusOf(d, 'Infants'), { timeout: 5_000 }).toMatch(/^✕ out of ratio since \d\d:\d\d$/);
    expect(await card(d, 'Infants').innerText()).toContain('Needs 1 more counted person now');
    expect(await d.evaluate(() => (globalThis as unknown as { stillThisPage?: boolean }).stillThisPage)).toBe(true);
    expect(await d.locator('[data-count="breach"]').innerText()).toBe('1');

    // The demo volunteer, fully trained for infants, comes in: with no shift or cover of hers in Infants, her phone
    // sends her to the staff there, and shows her nothing of the room's children or notes yet.
    const volunteer = await signedInPage(browser, server.url, 'volunteer@demo.ratiowatch.test', PHONE);
    const v = volunteer.page;
    await v.goto(centerPath);
    await Promise.all([v.waitForURL(/\/rooms\/[0-9a-f-]{36}(#[\w-]+)?$/), v.click('table a:text-is("Infants")')]);
    expect(await v.locator('.ask-staff').innerText()).toContain('Ask the staff in Infants to start your time.');
    expect(await v.locator('#children-heading').count()).toBe(0);
    // The staff teacher starts her time from the room page, until when she can stay (a shift is recorded for it).
    const jo = s.locator('li.tap-row:has(strong:text-is("Jo Nguyen"))');
    await jo.locator('input[name="until"]').fill('23:59');
    // The row is swapped in place (room.js): the page stays; its message appears.
    await jo.locator('button:has-text("Start here")').click();
    await expect.poll(() => s.locator('.flash').innerText(), { timeout: 5_000 }).toContain('Jo Nguyen started in Infants until 23:59.');
    // Now working in the room, she sees its children and handoff notes.
    await v.reload();
    expect(await v.locator('#notes-heading').innerText()).toBe('Handoff notes for today');
    expect(await v.locator('#children-heading').count()).toBe(1);
    await screenshot(v, 'room-volunteer-phone');

    await expect.poll(() => statusOf(d, 'Infants'), { timeout: 5_000 }).toBe('✓ ok');
    expect(await card(d, 'Infants').innerText()).toMatch(/Jo Nguyen[\s\S]*counts as aide/);
    expect(await d.evaluate(() => (globalThis as unknown as { stillThisPage?: boolean }).stillThisPage)).toBe(true);
    await screenshot(d, 'board-desktop-after');

    await Promise.all([director.context.close(), staff.context.close(), volunteer.context.close()]);
  });
});
