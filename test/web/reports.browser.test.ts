/**
 * The report prints for an inspector: the demo director opens the report page for
 * a range, the printed layout carries a header with the center's name, its license
 * number and the range on every page, and a PDF of it is saved under
 * test/artifacts/ and read back (its text decoded through the fonts' ToUnicode
 * maps) to check each page has that header. The owner's network page is
 * screenshotted beside it.
 */
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { DateTime } from 'luxon';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, DESKTOP, launchChromium, screenshot, signedInPage, startDemoServer, type DemoServer } from '../support/browser.js';

let browser: Browser;
let server: DemoServer;

beforeAll(async () => {
  [browser, server] = await Promise.all([launchChromium(), startDemoServer()]);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const CENTER = 'Maple Street Early Learning (demo)';
const LICENSE = 'DEMO-0000';

// ---------------------------------------------------------------- reading a PDF back

type PdfObject = { readonly dict: string; readonly stream: Buffer | null };

/** The PDF's indirect objects by number, streams inflated (Chromium writes plain objects, no object streams). */
function pdfObjects(pdf: Buffer): Map<number, PdfObject> {
  const text = pdf.toString('latin1');
  const out = new Map<number, PdfObject>();
  for (const m of text.matchAll(/(\d+) 0 obj([\s\S]*?)endobj/g)) {
    const body = m[2]!;
    const s = /stream\r?\n/.exec(body);
    if (!s) {
      out.set(Number(m[1]), { dict: body, stream: null });
      continue;
    }
    const dict = body.slice(0, s.index);
    const start = m.index! + m[0].indexOf(body) + s.index + s[0].length;
    const length = Number(/\/Length (\d+)/.exec(dict)?.[1]);
    const raw = pdf.subarray(start, start + length);
    out.set(Number(m[1]), { dict, stream: dict.includes('/FlateDecode') ? inflateSync(raw) : raw });
  }
  return out;
}

/** A font's glyph id → text, from its ToUnicode CMap (bfchar and bfrange entries). */
function toUnicode(cmap: string): Map<number, string> {
  const out = new Map<number, string>();
  const utf16 = (hex: string) => Buffer.from(hex, 'hex').swap16().toString('utf16le');
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const [, glyph, text] of block[1]!.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) out.set(parseInt(glyph!, 16), utf16(text!));
  }
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const [, from, to, first] of block[1]!.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) {
      const base = parseInt(first!, 16);
      for (let g = parseInt(from!, 16); g <= parseInt(to!, 16); g++) out.set(g, String.fromCodePoint(base + g - parseInt(from!, 16)));
    }
  }
  return out;
}

/** The text shown on each page, in content order, with no spaces (a PDF places words; it need not write the spaces). */
function pdfPageTexts(pdf: Buffer): string[] {
  const objects = pdfObjects(pdf);
  const pages = [...objects.entries()].filter(([, o]) => /\/Type\s*\/Page\b/.test(o.dict)).sort(([a], [b]) => a - b);
  return pages.map(([, page]) => {
    const fonts = new Map<string, Map<number, string>>();
    for (const [, name, ref] of page.dict.matchAll(/\/(F\d+)\s+(\d+) 0 R/g)) {
      const cmapRef = /\/ToUnicode\s+(\d+) 0 R/.exec(objects.get(Number(ref))?.dict ?? '')?.[1];
      const cmap = cmapRef ? objects.get(Number(cmapRef))?.stream : null;
      if (cmap) fonts.set(name!, toUnicode(cmap.toString('latin1')));
    }
    const contents = [...(/\/Contents\s+(?:\[([^\]]*)\]|(\d+) 0 R)/.exec(page.dict) ?? [])].slice(1).join(' ');
    let text = '';
    for (const [, ref] of contents.matchAll(/(\d+)(?: 0 R)?/g)) {
      const content = objects.get(Number(ref))?.stream?.toString('latin1') ?? '';
      let font: Map<number, string> | undefined;
      for (const op of content.matchAll(/\/(F\d+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f]*)>\s*Tj|\[([^\]]*)\]\s*TJ/g)) {
        if (op[1]) font = fonts.get(op[1]);
        const hexes = op[2] !== undefined ? [op[2]] : op[3] !== undefined ? [...op[3].matchAll(/<([0-9A-Fa-f]*)>/g)].map((h) => h[1]!) : [];
        for (const hex of hexes) for (let i = 0; i < hex.length; i += 4) text += font?.get(parseInt(hex.slice(i, i + 4), 16)) ?? '\uFFFD';
      }
    }
    return squash(text);
  });
}

/** Without whitespace, ligatures unfolded (ﬀ → ff): how a page's text and a phrase are compared. */
const squash = (s: string) => s.normalize('NFKC').replace(/\s+/g, '');

// ---------------------------------------------------------------- the journey

describe('the printable report', () => {
  it('prints the center, its license number and the range at the top of every page, and saves a PDF', { timeout: 120_000 }, async () => {
    const { context, page } = await signedInPage(browser, server.url, 'director@demo.ratiowatch.test', DESKTOP);
    await page.goto('/');
    const centerPath = (await page.locator('.center-list a').first().getAttribute('href'))!;
    // The center page links to the reports.
    await page.goto(centerPath);
    await Promise.all([page.waitForURL(/\/reports$/), page.click('nav.center-nav a:text-is("Reports")')]);

    // A range through the form: the week up to today in the center's zone.
    const today = DateTime.now().setZone('America/Chicago');
    const from = today.minus({ days: 6 }).toISODate()!;
    const to = today.toISODate()!;
    const range = `${DateTime.fromISO(from).toFormat('d LLLL yyyy')} to ${DateTime.fromISO(to).toFormat('d LLLL yyyy')}`;
    await page.fill('input#from', from);
    await page.fill('input#to', to);
    await Promise.all([page.waitForURL(/\/reports\?from=/), page.click('form.report-range button[type="submit"]')]);
    expect(page.url()).toContain(`from=${from}&to=${to}`);
    expect(await page.locator('h1').innerText()).toBe(`Report: ${CENTER}`);
    // On screen the repeated print header is hidden; the forms are there.
    expect(await page.locator('.report-page-header').isVisible()).toBe(false);
    expect(await page.locator('form.report-question').isVisible()).toBe(true);
    // The demo day is checked in: the ratio history and the presences have rows.
    expect(await page.locator('#history-heading ~ .table-wrap tbody tr').count()).toBeGreaterThan(0);
    expect(await page.locator('#presence-heading ~ .table-wrap tbody tr').count()).toBeGreaterThan(0);
    await screenshot(page, 'report-desktop');

    // Printed: the header shows, the forms and the site's navigation do not.
    await page.emulateMedia({ media: 'print' });
    const header = page.locator('.report-page-header');
    expect(await header.isVisible()).toBe(true);
    const headerText = (await header.innerText()).replace(/\s+/g, ' ');
    expect(headerText).toContain(CENTER);
    expect(headerText).toContain(`License ${LICENSE}`);
    expect(headerText).toContain(range);
    expect(await page.locator('form.report-range').isVisible()).toBe(false);
    expect(await page.locator('.site-header').isVisible()).toBe(false);
    await screenshot(page, 'report-print');
    // The frame is a table in print, so its header row repeats on each page.
    expect(await page.locator('.report-frame > thead').evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { display: string } }).getComputedStyle(el).display)).toBe('table-header-group');

    mkdirSync(ARTIFACTS, { recursive: true });
    const path = join(ARTIFACTS, 'report.pdf');
    const pdf = await page.pdf({ path, format: 'Letter', printBackground: true });
    await context.close();

    expect(statSync(path).size).toBeGreaterThan(1024);
    const bytes = readFileSync(path);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(bytes.equals(pdf)).toBe(true);
    const pages = pdfPageTexts(bytes);
    expect(pages.length).toBeGreaterThanOrEqual(1);
    // Every page starts with the header: the center, its license number and the range.
    const printedHeader = squash(`${CENTER}License ${LICENSE}${range}TimesinAmerica/Chicago`);
    for (const [i, text] of pages.entries()) {
      const at = text.indexOf(printedHeader);
      // First thing on the page (after the demo banner, on the first page only).
      expect(at, `page ${i + 1} of ${pages.length}: ${text.slice(0, 300)}`).toBeGreaterThanOrEqual(0);
      expect(at, `page ${i + 1} of ${pages.length}: ${text.slice(0, 300)}`).toBeLessThanOrEqual(i === 0 ? squash('Demo data. The people, children and records here are made up, for trying Ratiowatch.').length : 0);
    }
    // The sections are printed, with their column headings.
    const all = pages.join('');
    expect(all).toContain(squash('Ratio history'));
    expect(all).toContain(squash('Staff and volunteer presence'));
    expect(all).toContain(squash('Counted of required staff'));
    // The document's title names the center and the range too (a PDF reader shows it).
    const title = /\/Title <FEFF([0-9A-F]+)>/.exec(bytes.toString('latin1'))?.[1];
    expect(title && Buffer.from(title, 'hex').swap16().toString('utf16le')).toContain(`Report: ${CENTER}, ${range}`);
    writeFileSync(join(ARTIFACTS, 'report-pdf-text.txt'), pages.map((p, i) => `--- page ${i + 1}\n${p}`).join('\n'));
  });

  it('refuses a range longer than 366 days with a message next to the field', { timeout: 60_000 }, async () => {
    const { context, page } = await signedInPage(browser, server.url, 'director@demo.ratiowatch.test', DESKTOP);
    await page.goto('/');
    const centerPath = (await page.locator('.center-list a').first().getAttribute('href'))!;
    const res = await page.goto(`${centerPath}/reports?from=2020-01-01&to=2026-01-01`);
    expect(res?.status()).toBe(422);
    expect(await page.locator('#to-error').innerText()).toBe('Choose at most 366 days: this range has 2193.');
    expect(await page.locator('input#to').getAttribute('aria-invalid')).toBe('true');
    await context.close();
  });
});

describe('the owner’s network page', () => {
  it('shows the demo center with its rooms in words and icons, linked to its board', { timeout: 60_000 }, async () => {
    const { context, page } = await signedInPage(browser, server.url, 'owner@demo.ratiowatch.test', DESKTOP);
    await page.goto('/');
    await Promise.all([page.waitForURL(/\/network$/), page.click('a:has-text("on one screen")')]);
    const center = page.locator('section.network-center').first();
    expect(await center.locator('h2').innerText()).toBe(CENTER);
    const rooms = (await center.locator('.network-rooms').innerText()).replace(/\s+/g, ' ');
    expect(rooms).toMatch(/Toddlers ▲ at limit/);
    expect(rooms).toMatch(/Infants ✓ ok/);
    await screenshot(page, 'network-desktop');
    await Promise.all([page.waitForURL(/\/board$/), center.locator('h2 a').click()]);
    await context.close();
  });
});
