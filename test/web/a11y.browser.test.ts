/**
 * The accessibility sweep: every page each demo login can reach by following links
 * (one page per route shape: ids are alike), at 390 px and at 1280 px, checked by
 * axe-core for WCAG 2.0, 2.1 and 2.2 A and AA. A page that scrolls sideways at 390 px
 * is reported too. GET never writes, so the crawl changes nothing.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAPTOP, PHONE, launchChromium, signedInPage, startDemoServer, type DemoServer } from '../support/browser.js';
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

describe('every page each role reaches', () => {
  for (const role of ['owner', 'director', 'staff', 'volunteer'] as const) {
    for (const viewport of [PHONE, LAPTOP]) {
      it(`has no WCAG 2.2 A/AA violations for the ${role} at ${viewport.width} px`, { timeout: 300_000 }, async () => {
        const { context, page } = await signedInPage(browser, server.url, `${role}@demo.ratiowatch.test`, viewport);
        try {
          const { pages, problems } = await sweep(page, { axe: true, narrowUpTo: PHONE.width });
          expect(pages).toBeGreaterThan(3);
          expect(problems).toEqual([]);
        } finally {
          await context.close();
        }
      });
    }
  }
});
