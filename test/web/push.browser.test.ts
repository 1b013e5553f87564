/**
 * "Turn on alerts on this phone" in a real browser (Chromium), on the demo: the demo
 * volunteer opens Alert settings on a phone, presses the button, allows notifications,
 * and the page registers the service worker (scope /), subscribes with the app's VAPID
 * key and lists the phone among her devices. The browser's push service is Google's,
 * which this sandbox cannot reach, so PushManager.subscribe answers a stand-in
 * subscription; everything else (the worker, the permission, the POST with the CSRF
 * header, the list) is the real thing. Without JavaScript the page says what is needed.
 */
import { createECDH, randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, PHONE, launchChromium, startDemoServer, type DemoServer } from '../support/browser.js';

let browser: Browser;
let server: DemoServer;

beforeAll(async () => {
  server = await startDemoServer();
  browser = await launchChromium();
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function signIn(page: Page): Promise<string> {
  await page.goto('/sign-in');
  await page.fill('input[name="email"]', 'volunteer@demo.ratiowatch.test');
  await page.fill('input[name="password"]', DEMO_PASSWORD);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/sign-in')), page.click('button[type="submit"]')]);
  const href = await page.locator('a[href^="/centers/"]').first().getAttribute('href');
  return /^\/centers\/[0-9a-f-]{36}/.exec(href ?? '')![0];
}

describe('alerts on this phone', () => {
  it('registers the service worker, subscribes with the VAPID key and lists the phone', async () => {
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    const keys = { p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') };
    const context = await browser.newContext({ viewport: PHONE, baseURL: server.url });
    await context.grantPermissions(['notifications'], { origin: server.url });
    // In the page (a string: these tests compile without the DOM's types).
    await context.addInitScript(`
      if (window.PushManager) {
        PushManager.prototype.getSubscription = async () => null;
        PushManager.prototype.subscribe = async (o) => {
          // Kept across the page's reload after the POST.
          sessionStorage.setItem('vapidKeyBytes', String(new Uint8Array(o.applicationServerKey).length));
          return { toJSON: () => ({ endpoint: 'https://push.example.test/wpush/demo-phone', expirationTime: null, keys: ${JSON.stringify(keys)} }) };
        };
      }
    `);
    const page = await context.newPage();
    const center = await signIn(page);
    await page.goto(`${center}/my/alerts`);
    expect(await page.locator('[data-no-devices]').textContent()).toContain('No device gets your alerts yet.');
    const button = page.getByRole('button', { name: 'Turn on alerts on this phone' });
    await button.click();
    await page.waitForURL(/device=added/);
    expect(await page.locator('.devices li').allTextContents()).toEqual([expect.stringMatching(/Chrome on (Linux|Android), added/)]);
    expect(await page.locator('[role=status].flash').textContent()).toContain('Alerts are on on this phone.');
    expect(await page.evaluate("sessionStorage.getItem('vapidKeyBytes')")).toBe('65');
    const scope = await page.evaluate("navigator.serviceWorker.getRegistration('/').then((r) => r && r.scope)");
    expect(scope).toBe(`${server.url}/`);
    await context.close();
  }, 60_000);

  it('says plainly what is needed without JavaScript, and hides the button', async () => {
    const context = await browser.newContext({ viewport: PHONE, baseURL: server.url, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto('/sign-in');
    await page.fill('input[name="email"]', 'volunteer@demo.ratiowatch.test');
    await page.fill('input[name="password"]', DEMO_PASSWORD);
    await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/sign-in')), page.click('button[type="submit"]')]);
    const href = await page.locator('a[href^="/centers/"]').first().getAttribute('href');
    await page.goto(`${/^\/centers\/[0-9a-f-]{36}/.exec(href ?? '')![0]}/my/alerts`);
    expect(await page.locator('[data-push-status]').textContent()).toContain('needs JavaScript and a browser that supports Web Push');
    expect(await page.getByRole('button', { name: 'Turn on alerts on this phone' }).isVisible()).toBe(false);
    await context.close();
  }, 60_000);
});
