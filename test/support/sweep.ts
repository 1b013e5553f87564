import type { Page } from 'playwright-core';
import { axeViolations } from './axe.js';

// In the browser (page.evaluate): the little of the DOM these callbacks use, typed here (the project compiles without the DOM library).
declare const document: { documentElement: { scrollWidth: number }; querySelectorAll(s: string): ArrayLike<DomElement> & Iterable<DomElement> };
type DomElement = { tagName: string; className: string; textContent: string | null; children: ArrayLike<DomElement> & Iterable<DomElement>; getBoundingClientRect(): { right: number; width: number } };

/**
 * Follows the links of the signed-in page from `/`, one page per route shape (ids and
 * days alike), and reports what is wrong with each: its axe-core violations (with
 * `axe`) and, at a phone's width (`narrowUpTo`), whether it scrolls sideways. GET never
 * writes, so a crawl changes nothing.
 */
export type SweepOptions = { readonly axe: boolean; readonly narrowUpTo: number; readonly maxPages?: number };

const ID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
/** Links not to follow: leaving, files, feeds. */
const SKIP = /^\/(sign-out|uploads)|\.(csv|ics|pdf|png|jpg)(\?|$)|\/files?\b|\/calendar\//;

/** The route shape of a path: ids and days replaced, the query's keys kept. */
export function shapeOf(href: string): string {
  const url = new URL(href, 'http://x');
  return `${url.pathname.replace(ID, ':id').replace(/\/\d{4}-\d{2}-\d{2}\b/g, '/:day')}?${[...url.searchParams.keys()].sort().join('&')}`;
}

export async function sweep(page: Page, opts: SweepOptions): Promise<{ pages: number; problems: string[] }> {
  const queue = ['/'];
  const seen = new Set<string>([shapeOf('/')]);
  const problems: string[] = [];
  let pages = 0;
  while (queue.length > 0 && pages < (opts.maxPages ?? 80)) {
    const path = queue.shift()!;
    const res = await page.goto(path);
    pages += 1;
    if (!res || res.status() >= 400) {
      problems.push(`${path}: HTTP ${res?.status()}`);
      continue;
    }
    if (opts.axe) for (const v of await axeViolations(page)) problems.push(`${shapeOf(page.url())} ${v}`);
    const width = page.viewportSize()!.width;
    if (width <= opts.narrowUpTo) {
      const wide = await page.evaluate(() => document.documentElement.scrollWidth);
      if (wide > width) {
        problems.push(`${shapeOf(page.url())} scrolls sideways: ${wide} px wide at ${width} px`);
        if (process.env.SWEEP_DEBUG) {
          const culprits = await page.evaluate((w) => [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > w + 1 && ![...e.children].some((c) => c.getBoundingClientRect().right > w + 1)).slice(0, 4).map((e) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().width)}: ${(e.textContent ?? '').trim().slice(0, 50)}`), width);
          problems.push(...culprits.map((c) => `  ${c}`));
        }
      }
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
