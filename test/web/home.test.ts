import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unverifiedItems } from '../../src/domain/rule-pack.js';
import { PACKS } from '../../src/domain/rules/index.js';
import { MN } from '../../src/domain/rules/mn.js';
import { createApp } from '../../src/web/app.js';
import { signInAs, type Agent } from '../support/agent.js';
import { seedCenter, type SeededCenter } from '../support/builders.js';
import { testDeps } from '../support/deps.js';

let app: ReturnType<typeof createApp>;
let destroy: () => Promise<void>;
let staff: Agent;
let seeded: SeededCenter;
beforeAll(async () => {
  const t = await testDeps();
  app = createApp(t.deps);
  destroy = t.destroy;
  seeded = await seedCenter(t.deps.db);
  staff = await signInAs(app, seeded.users.staff);
});
afterAll(() => destroy());

/** The text of each body row's cells in the table with this caption. */
function tableRows(html: string, caption: string): string[][] {
  const table = html.split('<table').find((t) => t.includes(`<caption>${caption}</caption>`));
  if (!table) throw new Error(`no table captioned ${caption}`);
  const body = table.slice(table.indexOf('<tbody>'), table.indexOf('</tbody>'));
  return [...body.matchAll(/<tr>(.*?)<\/tr>/gs)].map((row) =>
    [...row[1]!.matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/gs)].map((cell) => cell[1]!.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim()),
  );
}

describe('GET /', () => {
  it('sends a signed-out visitor to the sign-in page', async () => {
    const res = await request(app).get('/').expect(303);
    expect(res.headers.location).toBe('/sign-in');
  });

  it('lists the centers of the signed-in user and links every rule pack', async () => {
    const res = await staff.get('/').expect(200);
    expect(res.text).toContain(`href="/centers/${seeded.center.id}"`);
    for (const pack of PACKS) expect(res.text).toContain(`href="/rules#pack-${pack.id.toLowerCase()}"`);
  });
});

describe('GET /sign-in', () => {
  it('says in a short paragraph what Ratiowatch is', async () => {
    const res = await request(app).get('/sign-in').expect(200);
    expect(res.text).toContain('staff-to-child ratio');
  });
});

describe('GET /rules', () => {
  it('is for signed-in users only', async () => {
    const res = await request(app).get('/rules').expect(303);
    expect(res.headers.location).toBe('/sign-in');
  });

  it('shows a section for every rule pack', async () => {
    const res = await staff.get('/rules').expect(200);
    for (const pack of PACKS) expect(res.text).toContain(`id="pack-${pack.id.toLowerCase()}"`);
  });

  it('shows the Minnesota infant ratio with its group size and citation', async () => {
    const res = await staff.get('/rules').expect(200);
    expect(res.text).toContain('Minnesota licensed child care centers');
    expect(tableRows(res.text, 'Staff-to-child ratios and group sizes')).toContainEqual(['Infant', '1:4', '8', 'Minn. R. 9503.0040 subp. 1']);
  });

  it('says a pack with unconfirmed items is a draft and lists them', async () => {
    const res = await staff.get('/rules').expect(200);
    const items = unverifiedItems(MN);
    expect(res.text).toContain(`Draft — ${items.length} items not confirmed in rule text; verify before relying`);
    expect(res.text).toContain(`<li>${items[0]}</li>`);
  });

  it('sends a Content-Security-Policy that forbids inline scripts', async () => {
    const res = await staff.get('/rules').expect(200);
    const directives = String(res.headers['content-security-policy']).split(';').map((d) => d.trim());
    const scriptSrc = directives.find((d) => d.startsWith('script-src '));
    expect(scriptSrc).toBe("script-src 'self'");
    expect(res.text).not.toMatch(/<script(?![^>]*\ssrc=)/);
  });
});

describe('unknown paths and bad requests', () => {
  it('answers 404 with an error page', async () => {
    const res = await request(app).get('/no-such-page').expect(404);
    expect(res.type).toBe('text/html');
    expect(res.text).toContain('Page not found');
  });

  it('answers 404 with JSON to a client that accepts only JSON', async () => {
    const res = await request(app).get('/no-such-page').set('Accept', 'application/json').expect(404);
    expect(res.body).toEqual({ error: 'There is no page at this address.' });
  });

  it('answers 413 to a body over 100kb', async () => {
    await request(app).post('/').type('form').send(`note=${'x'.repeat(101 * 1024)}`).expect(413);
  });

  it('answers 400 to malformed JSON', async () => {
    await request(app).post('/').type('json').send('{"broken":').expect(400);
  });
});
