import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anAgent, type Agent } from '../support/agent.js';
import type { SeededCenter } from '../support/builders.js';
import { seededApp, type App } from '../support/seeded-app.js';

let app: App;
let seeded: SeededCenter;
let director: Agent;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ app, seeded, close, agents: { director } } = await seededApp({ day: true, agents: ['director'] }));
});
afterAll(() => close());

// The files of public/ (stylesheets, scripts, icons, the web app manifest, the favicon): no data of anyone.
const ASSET = /^\/(css|js|icons)\/|^\/(manifest\.webmanifest|favicon\.ico|sw\.js)$/;

/** Same-origin link targets and stylesheets/scripts of a page. */
function targets(html: string, from: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(/<(?:a|link)\s[^>]*href="([^"]+)"/g)) out.push(m[1]!.replaceAll('&amp;', '&').replaceAll('&#x3D;', '='));
  for (const m of html.matchAll(/<script\s[^>]*src="([^"]+)"/g)) out.push(m[1]!);
  return out
    .map((href) => new URL(href, `http://app.test${from}`))
    .filter((u) => u.origin === 'http://app.test')
    .map((u) => `${u.pathname}${u.search}`);
}

describe('Cache-Control', () => {
  it('L3: every page a signed-in director reaches, children and staff pages included, says no-store and Pragma no-cache', async () => {
    const seen = new Set<string>(['/', `/centers/${seeded.center.id}`]);
    const queue = [...seen];
    const pages: string[] = [];
    while (queue.length > 0 && pages.length < 150) {
      const path = queue.shift()!;
      if (ASSET.test(path)) continue;
      const res = await director.get(path);
      pages.push(path);
      expect(res.headers['cache-control'], `${path} (${res.status})`).toMatch(/(^|,\s*)no-store(\s*,|$)/);
      expect(res.headers.pragma, path).toBe('no-cache');
      if (res.status === 200 && /html/.test(res.headers['content-type'] ?? '')) {
        for (const next of targets(res.text, path)) {
          // The event stream is a page of its own kind (it also says no-store), and never ends.
          if (!seen.has(next) && !next.endsWith('/board/events')) {
            seen.add(next);
            queue.push(next);
          }
        }
      }
    }
    // The pages with children's and people's data are among them.
    for (const part of ['/board', '/children', '/people', `/rooms/${seeded.rooms.infants.id}`]) {
      expect(pages.some((p) => p.includes(part)), part).toBe(true);
    }
  });

  it('L3: error pages and redirects say no-store too, signed in or not', async () => {
    for (const path of ['/no-such-page', `/centers/${seeded.center.id}/no-such-page`]) {
      const res = await director.get(path);
      expect(res.status).toBe(404);
      expect(res.headers['cache-control']).toBe('no-store');
    }
    const signedOut = anAgent(app);
    const board = await signedOut.get(`/centers/${seeded.center.id}/board`);
    expect(board.status).toBe(303);
    expect(board.headers['cache-control']).toBe('no-store');
    expect((await signedOut.get('/sign-in')).headers['cache-control']).toBe('no-store');
  });

  it('L3: static assets keep their caching (no no-store, no Pragma)', async () => {
    const home = await director.get(`/centers/${seeded.center.id}/board`);
    const assets = targets(home.text, '/').filter((p) => ASSET.test(p));
    expect(assets.length).toBeGreaterThan(0);
    for (const path of assets) {
      const res = await director.get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers['cache-control'] ?? '', path).not.toContain('no-store');
      expect(res.headers.pragma, path).toBeUndefined();
      expect(res.headers.etag ?? res.headers['last-modified'], path).toBeDefined();
    }
  });
});
