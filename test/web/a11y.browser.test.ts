/**
 * The accessibility sweep: every page each demo login can reach by following links
 * (one page per route shape: ids are alike), at 390 px and at 1280 px, checked by
 * axe-core for WCAG 2.0, 2.1 and 2.2 A and AA. A page that scrolls sideways at 390 px
 * is reported too. GET never writes, so the crawl changes nothing.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAPTOP, PHONE, launchChromium, signedInPage, startDemoServer, type DemoServer } from '../support/browser.js';
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

const ID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
/** Links not to follow: leaving, files, feeds. */
const SKIP = /^\/(sign-out|uploads)|\.(csv|ics|pdf|png|jpg)(\?|$)|\/files?\b|\/calendar\//;
const MAX_PAGES = 80;

/** The route shape of a path: ids and numbers replaced, the query's keys kept. */
function shapeOf(href: string): string {
  const url = new URL(href, 'http://x');
  return `${url.pathname.replace(ID, ':id').replace(/\/\d{4}-\d{2}-\d{2}\b/g, '/:day')}?${[...url.searchParams.keys()].sort().join('&')}`;
}

async function sweep(page: Page): Promise<{ pages: number; problems: string[] }> {
  const queue = ['/'];
  const seen = new Set<string>([shapeOf('/')]);
  const problems: string[] = [];
  let pages = 0;
  while (queue.length > 0 && pages < MAX_PAGES) {
    const path = queue.shift()!;
    const res = await page.goto(path);
    pages += 1;
    if (!res || res.status() >= 400) {
      problems.push(`${path}: HTTP ${res?.status()}`);
      continue;
    }
    for (const v of await axeViolations(page)) problems.push(`${shapeOf(page.url())} ${v}`);
    const width = page.viewportSize()!.width;
    if (width <= PHONE.width) {
      const wide = await page.evaluate(() => document.documentElement.scrollWidth);
      if (wide > width) problems.push(`${shapeOf(page.url())} scrolls sideways: ${wide} px wide at ${width} px`);
    }
    const links = await page.$$eval('a[href^="/"]:not([download])', (as) => as.map((a) => a.getAttribute('href')!));
    for (const href of links) {
      if (SKIP.test(href)) continue;
      const shape = shapeOf(href);
      if (seen.has(shape)) continue;
      seen.add(shape);
      queue.push(href);
    }
  }
  return { pages, problems };
}

describe('every page each role reaches', () => {
  for (const role of ['owner', 'director', 'staff', 'volunteer'] as const) {
    for (const viewport of [PHONE, LAPTOP]) {
      it(`has no WCAG 2.2 A/AA violations for the ${role} at ${viewport.width} px`, { timeout: 300_000 }, async () => {
        const { context, page } = await signedInPage(browser, server.url, `${role}@demo.ratiowatch.test`, viewport);
        try {
          const { pages, problems } = await sweep(page);
          expect(pages).toBeGreaterThan(3);
          expect(problems).toEqual([]);
        } finally {
          await context.close();
        }
      });
    }
  }
});
