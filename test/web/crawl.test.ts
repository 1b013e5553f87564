/**
 * Signs in as each demo role and follows every same-origin link and GET form from `/`:
 * no page answers 5xx, none names another center, and signed out nothing but the
 * sign-in page and the one-time links is reachable.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemo } from '../../src/db/seed-demo.js';
import { hashPassword } from '../../src/passwords.js';
import { createApp, type Deps } from '../../src/web/app.js';
import { anAgent, signInAs, type Agent } from '../support/agent.js';
import { seedCenter, type SeededCenter } from '../support/builders.js';
import { TEST_SCRYPT, testDeps } from '../support/deps.js';

const MAX_PAGES = 400;
// The static files every page links: stylesheets, the web app manifest and its icons, the favicon.
const PUBLIC = [/^\/sign-in(\?|$)/, /^\/invitations\/[^/]+$/, /^\/password-resets\/[^/]+$/, /^\/css\//, /^\/icons\//, /^\/(manifest\.webmanifest|favicon\.ico)$/];

let deps: Deps;
let app: ReturnType<typeof createApp>;
let other: SeededCenter;
let destroy: () => Promise<void>;
const reached = new Set<string>();

beforeAll(async () => {
  const t = await testDeps();
  ({ deps, destroy } = t);
  app = createApp(deps);
  await seedDemo(deps.db, { at: deps.clock.now(), hashPassword: (p) => hashPassword(p, TEST_SCRYPT) });
  // Another organization's center, which no demo login may ever see.
  other = await seedCenter(deps.db, { name: 'Elsewhere Child Care' });
});
afterAll(() => destroy());

const decode = (s: string) => s.replaceAll('&amp;', '&').replaceAll('&#x3D;', '=').replaceAll('&quot;', '"');

/** Same-origin targets on a page: link hrefs, and GET form actions with their fields' current values. */
function targets(html: string, from: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(/<a\s[^>]*href="([^"]+)"/g)) out.push(decode(m[1]!));
  for (const m of html.matchAll(/<link\s[^>]*href="([^"]+)"/g)) out.push(decode(m[1]!));
  for (const form of html.matchAll(/<form\s([^>]*)>([\s\S]*?)<\/form>/g)) {
    const attrs = form[1]!;
    if (!/method="get"/i.test(attrs)) continue;
    const action = decode(/action="([^"]*)"/.exec(attrs)?.[1] ?? from);
    const q = new URLSearchParams();
    for (const input of form[2]!.matchAll(/<input\s[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) q.set(input[1]!, decode(input[2]!));
    for (const select of form[2]!.matchAll(/<select\s[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) {
      const chosen = /<option value="([^"]*)" selected>/.exec(select[2]!) ?? /<option value="([^"]*)"/.exec(select[2]!);
      q.set(select[1]!, chosen?.[1] ?? '');
    }
    out.push(`${action}?${q}`);
  }
  return out
    .map((href) => new URL(href, `http://app.test${from}`))
    .filter((u) => u.origin === 'http://app.test')
    .map((u) => `${u.pathname}${u.search}`);
}

async function crawl(agent: Agent | ReturnType<typeof request.agent>, start: string) {
  const seen = new Set<string>([start]);
  const queue = [start];
  const pages: { url: string; status: number; text: string; location?: string }[] = [];
  while (queue.length > 0 && pages.length < MAX_PAGES) {
    const url = queue.shift()!;
    const res = await agent.get(url);
    pages.push({ url, status: res.status, text: res.text ?? '', location: res.headers.location });
    const next = res.status >= 300 && res.status < 400 && res.headers.location ? [res.headers.location] : res.type === 'text/html' ? targets(res.text, url) : [];
    for (const n of next) {
      if (!seen.has(n)) {
        seen.add(n);
        queue.push(n);
      }
    }
  }
  expect(queue, 'the crawl did not finish').toHaveLength(0);
  return pages;
}

describe('crawling the demo', () => {
  for (const { role, email } of DEMO_LOGINS) {
    it(`as the ${role}, finds no error and no page of another center`, async () => {
      const agent = await signInAs(app, { email, password: DEMO_PASSWORD });
      const pages = await crawl(agent, '/');
      expect(pages.length).toBeGreaterThan(3);
      for (const p of pages) {
        reached.add(p.url.split('?')[0]!);
        expect(p.status, p.url).toBeLessThan(500);
        expect(p.url).not.toContain(other.center.id);
        expect(p.text, p.url).not.toContain(other.center.id);
        expect(p.text, p.url).not.toContain(other.center.name);
        // Every page says the data is a demo.
        if (p.status === 200 && p.text.startsWith('<!doctype html>')) expect(p.text, p.url).toContain('Demo data.');
      }
      // Each role reaches its own center's home page.
      expect(pages.some((p) => /^\/centers\/[0-9a-f-]{36}$/.test(p.url) && p.status === 200)).toBe(true);
      if (role === 'director' || role === 'owner') {
        for (const page of ['members', 'invitations', 'audit']) expect(pages.some((p) => p.url.endsWith(`/${page}`) && p.status === 200), page).toBe(true);
      } else {
        for (const page of ['members', 'invitations', 'audit']) expect(pages.some((p) => p.url.endsWith(`/${page}`))).toBe(false);
      }
      // Center set-up, per role: everyone sees the rooms, staff the children too, managers the people, owners the settings.
      const opened = (page: string) => pages.some((p) => p.url.split('?')[0]!.endsWith(`/${page}`) && p.status === 200);
      expect(opened('rooms'), 'rooms').toBe(true);
      expect(opened('children'), 'children').toBe(role !== 'volunteer');
      expect(opened('people'), 'people').toBe(role === 'director' || role === 'owner');
      expect(opened('settings'), 'settings').toBe(role === 'owner');
      // The volunteer pool: managers the pool and its CSV; anyone with a person on file their own trainings and availability.
      expect(opened('volunteers'), 'volunteers').toBe(role === 'director' || role === 'owner');
      expect(opened('trainings'), 'trainings').toBe(true);
      expect(opened('my/trainings'), 'my/trainings').toBe(role !== 'owner');
      expect(opened('my/availability'), 'my/availability').toBe(role !== 'owner');
    });
  }

  it('signed out, reaches only the sign-in page, and every page the roles reached sends a stranger to sign in', async () => {
    const pages = await crawl(anAgent(app), '/');
    for (const p of pages) {
      expect(p.status, p.url).toBeLessThan(500);
      if (p.status === 200) expect(PUBLIC.some((re) => re.test(p.url)), p.url).toBe(true);
    }
    expect(reached.size).toBeGreaterThan(5);
    for (const url of reached) {
      if (PUBLIC.some((re) => re.test(url))) continue;
      const res = await request(app).get(url);
      expect([res.status, res.headers.location], url).toEqual([303, '/sign-in']);
    }
  });
});
