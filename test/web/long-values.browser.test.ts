/**
 * Nothing overflows: with the longest values the forms allow, unbroken (a 100-letter
 * name for a child, a person, a room and the center; a 280-character note that is one
 * pasted link), no page either login reaches scrolls sideways on a 320 px phone. The
 * values are entered through the pages' own forms.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAPTOP, launchChromium, screenshot, signedInPage, startDemoServer, type DemoServer } from '../support/browser.js';
import { sweep } from '../support/sweep.js';

let browser: Browser;
let server: DemoServer;

beforeAll(async () => {
  [browser, server] = await Promise.all([launchChromium(), startDemoServer()]);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const NARROW = { width: 320, height: 640 } as const;
const longName = (start: string) => (start + 'x'.repeat(100)).slice(0, 100);
const LINK_NOTE = `https://docs.example.org/${'a'.repeat(280)}`.slice(0, 280);

/** Opens the first edit link of a list page, fills `field` and saves; the save must be accepted. */
async function renameFirst(page: Page, list: string, field: string, value: string): Promise<void> {
  await page.goto(list);
  await page.locator('a[href$="/edit"]').first().click();
  await page.fill(`[name="${field}"]`, value);
  await Promise.all([page.waitForLoadState('load'), page.locator('form.form button[type="submit"]').first().click()]);
  expect(await page.locator('.error').count(), `${list}: ${await page.locator('.error').allInnerTexts()}`).toBe(0);
}

/** The first room page linked from the center's page. */
async function firstRoom(page: Page, centerPath: string): Promise<string> {
  await page.goto(centerPath);
  const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href')!));
  return hrefs.find((h) => /\/rooms\/[0-9a-f-]{36}$/.test(h))!;
}

describe('the longest values on a 320 px phone', () => {
  it('leaves no page wider than the screen', { timeout: 300_000 }, async () => {
    const director = await signedInPage(browser, server.url, 'director@demo.ratiowatch.test', LAPTOP);
    const d = director.page;
    await d.goto('/');
    const centerPath = (await d.locator('.center-list a').first().getAttribute('href'))!;
    await renameFirst(d, `${centerPath}/children`, 'displayName', longName('Child'));
    await renameFirst(d, `${centerPath}/people`, 'displayName', longName('Person'));
    await renameFirst(d, `${centerPath}/rooms`, 'name', longName('Room').slice(0, 80)); // a room name: at most 80
    // A note that is one long pasted link, on the first room's page.
    const roomPath = await firstRoom(d, centerPath);
    await d.goto(roomPath);
    await d.locator('summary:has(#notes-heading)').click();
    await d.fill('textarea[name="body"]', LINK_NOTE);
    await Promise.all([d.waitForURL(/#notes$/), d.locator('form[action$="/handoff-notes"] button[type="submit"]').click()]);
    expect(await d.locator('.flash').innerText()).toContain('Note added');
    await director.context.close();

    const problems: string[] = [];
    for (const role of ['director', 'staff'] as const) {
      const { page, context } = await signedInPage(browser, server.url, `${role}@demo.ratiowatch.test`, NARROW);
      const found = await sweep(page, { axe: false, narrowUpTo: NARROW.width });
      problems.push(...found.problems.map((p) => `${role}: ${p}`));
      if (role === 'staff') {
        await page.goto(roomPath);
        await screenshot(page, 'room-320-long-values');
      }
      await context.close();
    }
    expect(problems).toEqual([]);
  });
});
