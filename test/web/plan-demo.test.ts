/**
 * The demo's day, whenever it starts: the board flags Infants `needs cover by` within
 * the hour (Ruth Olson's shift ends while the infants stay) and no other room, its
 * status stays as the board browser test expects, and every demo room's day plan draws.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listDemoCenters } from '../../src/db/centers.js';
import { DEMO_PASSWORD, seedDemo } from '../../src/db/seed-demo.js';
import { seedDemoDay } from '../../src/db/seed-demo-day.js';
import { hashPassword } from '../../src/passwords.js';
import { createApp, type Deps } from '../../src/web/app.js';
import { statusesFrom } from '../../src/services/center-state.js';
import { signInAs } from '../support/agent.js';
import { TEST_SCRYPT, testDeps, type TestClock } from '../support/deps.js';

let deps: Deps;
let clock: TestClock;
let destroy: () => Promise<void>;

beforeEach(async () => {
  const t = await testDeps('2026-03-02T12:00:00Z');
  ({ deps, clock, destroy } = t);
});
afterEach(() => destroy());

async function demoStartedAt(iso: string) {
  clock.set(iso);
  await seedDemo(deps.db, { at: clock.now(), hashPassword: (p) => hashPassword(p, TEST_SCRYPT) });
  const [center] = await listDemoCenters(deps.db);
  expect((await seedDemoDay(deps.db, center!, clock.now(), statusesFrom(center!))).seeded).toBe(true);
  const app = createApp(deps);
  const director = await signInAs(app, { email: 'director@demo.ratiowatch.test', password: DEMO_PASSWORD });
  return { center: center!, director };
}

const cards = (html: string) =>
  [...html.matchAll(/<article class="room-card[\s\S]*?<\/article>/g)].map((m) => ({
    name: /<h2 class="room-card-name"[^>]*><a [^>]*>([^<]+)<\/a>/.exec(m[0])![1]!,
    status: /<strong>([^<]+)<\/strong><\/p>/.exec(m[0])![1]!,
    flag: /<strong>((?:needs cover by|over group size at) \d\d:\d\d)<\/strong>/.exec(m[0])?.[1] ?? null,
    html: m[0],
  }));

describe('the demo day', () => {
  // Chicago, Monday 2 March 2026: before opening, mid-morning, mid-afternoon, just before and after the infants leave, late evening.
  for (const [iso, local] of [
    ['2026-03-02T09:00:00Z', '03:00'],
    ['2026-03-02T15:07:00Z', '09:07'],
    ['2026-03-02T20:50:00Z', '14:50'],
    ['2026-03-02T23:10:00Z', '17:10'],
    ['2026-03-02T23:25:00Z', '17:25'],
    ['2026-03-03T02:00:00Z', '20:00'],
    ['2026-03-03T05:50:00Z', '23:50'],
  ] as const) {
    it(`started at ${local}, flags Infants and no other room within the hour`, async () => {
      const { center, director } = await demoStartedAt(iso);
      clock.advance(60_000);
      const res = await director.get(`/centers/${center.id}/board`);
      expect(res.status).toBe(200);
      const byName = new Map(cards(res.text).map((c) => [c.name, c]));
      const infants = byName.get('Infants')!;
      expect(infants.status).toBe('ok');
      expect(infants.flag, infants.html).toMatch(/^needs cover by \d\d:\d\d$/);
      const [h, m] = infants.flag!.slice(-5).split(':').map(Number) as [number, number];
      const [nh, nm] = local.split(':').map(Number) as [number, number];
      const ahead = h * 60 + m - (nh * 60 + nm);
      expect(ahead).toBeGreaterThanOrEqual(0);
      expect(ahead).toBeLessThanOrEqual(60);
      expect(infants.html).toContain('Request cover');
      expect(byName.get('Toddlers')!.status).toBe('at limit');
      for (const name of ['Toddlers', 'Preschool', 'School-age']) expect(byName.get(name)!.flag, name).toBeNull();
      // Every room shows its next planned change.
      for (const c of byName.values()) expect(c.html).toContain('Next:');
    });
  }

  it('draws the day plan of every demo room, the Infants breach labelled', async () => {
    const { center, director } = await demoStartedAt('2026-03-02T15:00:00Z');
    const board = await director.get(`/centers/${center.id}/board`);
    const links = [...board.text.matchAll(/href="(\/centers\/[^"]+\/rooms\/[^"]+\/plan)">Day plan<\/a>/g)].map((m) => m[1]!);
    expect(links).toHaveLength(4);
    const pages = new Map<string, string>();
    for (const link of links) {
      const res = await director.get(link);
      expect(res.status, link).toBe(200);
      expect(res.text).toContain('<svg class="timeline-svg"');
      pages.set(/<h1>([^:<]+):/.exec(res.text)![1]!, res.text);
    }
    expect([...pages.keys()].sort()).toEqual(['Infants', 'Preschool', 'School-age', 'Toddlers']);
    // Started at 09:00: Ruth leaves at 09:30, the infants at 17:30.
    expect(pages.get('Infants')).toContain('✕ Breach 09:30–17:30');
    expect(pages.get('Toddlers')).toContain('Nap 12:30–14:30');
  });
});
