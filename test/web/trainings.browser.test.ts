/**
 * The volunteer's journey in a real browser, on a phone: a new volunteer
 * (joined through the director's invitation for Ivy Larson, who has no
 * safe-sleep training in the demo) records her SUID training with a
 * certificate, sees it pending, the director verifies it, and her home page
 * then says she can cover the Infants room too.
 */
import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, PHONE, launchChromium, screenshot, signedInPage, startDemoServer, type DemoServer } from '../support/browser.js';

let browser: Browser;
let server: DemoServer;

beforeAll(async () => {
  [browser, server] = await Promise.all([launchChromium(), startDemoServer()]);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const coverText = async (page: Page) => (await page.locator('.cover-line').innerText()).replace(/\s+/g, ' ');
/** The rooms after "You can cover:", in any order. */
const canCover = (text: string) => (/You can cover: ([^.]*)\./.exec(text)?.[1] ?? '').split(', ').sort();

describe('recording a training on a phone', () => {
  it('shows it pending, then, once the director verifies it, the volunteer can cover the Infants room', { timeout: 90_000 }, async () => {
    const director = await signedInPage(browser, server.url, 'director@demo.ratiowatch.test');
    const d = director.page;
    await d.goto('/');
    const centerPath = (await d.locator('.center-list a').first().getAttribute('href'))!;

    // The director invites Ivy Larson, on file as a volunteer.
    await d.goto(`${centerPath}/invitations`);
    await d.selectOption('#role', 'volunteer');
    await d.selectOption('#personId', { label: 'Ivy Larson' });
    await Promise.all([d.waitForURL(/\/invitations\/[0-9a-f-]+\/link$/), d.click('button:has-text("Create invitation link")')]);
    const link = await d.inputValue('#link');

    const joining = await browser.newContext({ viewport: PHONE });
    const j = await joining.newPage();
    await j.goto(link);
    await j.fill('#displayName', 'Ivy Larson');
    await j.fill('#email', 'ivy@example.test');
    await j.fill('#password', DEMO_PASSWORD);
    await j.fill('#passwordConfirmation', DEMO_PASSWORD);
    await Promise.all([j.waitForURL((u) => !u.pathname.startsWith('/invitations/')), j.click('button:has-text("Join")')]);
    await joining.close();

    // She signs in on her phone: her home page says what the Infants room still needs.
    const ivy = await signedInPage(browser, server.url, 'ivy@example.test', PHONE);
    const v = ivy.page;
    await v.goto(centerPath);
    const before = await coverText(v);
    expect(canCover(before)).toEqual(['Preschool', 'School-age', 'Toddlers']);
    expect(before).toContain('To count in Infants you still need: Safe sleep (SUID) (record it)');

    await v.click('a:has-text("Record a training")');
    await v.waitForURL(/\/my\/trainings$/);
    const today = DateTime.now().setZone('America/Chicago').toISODate()!;
    await v.selectOption('#trainingId', { label: 'Safe sleep (SUID)' });
    await v.fill('#completedOn', today);
    await v.fill('#provider', 'Minnesota safe sleep course');
    // First the wrong file: refused next to the field, which takes the focus.
    await v.setInputFiles('#certificate', { name: 'suid.pdf', mimeType: 'application/pdf', buffer: Buffer.from('<html>not a pdf</html>') });
    await Promise.all([v.waitForURL(/\/my\/trainings$/), v.click('button:has-text("Send for review")')]);
    const refused = (await v.locator('#certificate-error').innerText()).trim();
    expect(refused.length).toBeGreaterThan(0);
    expect(await v.evaluate<string | undefined>('document.activeElement?.id')).toBe('certificate');
    // Then the right one: saved, and said so.
    await v.setInputFiles('#certificate', { name: 'suid.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
    await Promise.all([v.waitForURL(/\/my\/trainings$/), v.click('button:has-text("Send for review")')]);
    expect(await v.locator('.flash').innerText()).toBe('Safe sleep (SUID) recorded. Your director verifies it; until then it does not count.');
    const card = v.locator('.record', { hasText: 'Safe sleep (SUID)' });
    await expect.poll(() => card.innerText()).toContain('pending review');
    // Back does not bring the old error back: the page as it is now.
    await v.goBack();
    await v.waitForLoadState('load');
    expect(await v.locator('#certificate-error').count()).toBe(0);
    expect(await v.locator('body').innerText()).not.toContain(refused);
    await v.goForward().catch(() => undefined);
    await v.goto(`${centerPath}/my/trainings`);
    expect(await card.locator('a:has-text("Download your certificate")').count()).toBe(1);
    // Phone-first: nothing wider than the screen.
    expect(await v.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
    await screenshot(v, 'volunteer-trainings-phone');

    // The director verifies it from the queue on the pool page.
    await d.goto(`${centerPath}/volunteers`);
    const item = d.locator('.queue li', { hasText: 'Ivy Larson' });
    expect(await item.innerText()).toContain('Safe sleep (SUID)');
    await screenshot(d, 'volunteer-pool');
    await Promise.all([d.waitForURL(/\/volunteers/), item.locator('button:has-text("Verify")').click()]);
    expect(await d.locator('.queue li', { hasText: 'Ivy Larson' }).count()).toBe(0);
    await director.context.close();

    // Her eligibility line changes.
    await v.goto(centerPath);
    const after = await coverText(v);
    expect(canCover(after)).toEqual(['Infants', 'Preschool', 'School-age', 'Toddlers']);
    expect(after).not.toContain('you still need');
    await screenshot(v, 'volunteer-phone');
    await ivy.context.close();
  });
});
