import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unverifiedItems } from '../../src/domain/rule-pack.js';
import { PACKS } from '../../src/domain/rules/index.js';
import { MN } from '../../src/domain/rules/mn.js';
import { WA } from '../../src/domain/rules/wa.js';
import { createChild } from '../../src/db/children.js';
import type { Knex } from '../../src/db/knex.js';
import { openPresence } from '../../src/db/presences.js';
import { signInAs, type Agent } from '../support/agent.js';
import type { SeededCenter } from '../support/builders.js';
import { seededApp, type App } from '../support/seeded-app.js';

let app: App;
let db: Knex;
let close: () => Promise<void>;
let staff: Agent;
let seeded: SeededCenter;
beforeAll(async () => {
  ({ app, db, close, seeded, agents: { staff } } = await seededApp({ agents: ['staff'] }));
});
afterAll(() => close());

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

  it('lists the centers of the signed-in user and links the rule packs', async () => {
    const res = await staff.get('/').expect(200);
    expect(res.text).toContain(`href="/centers/${seeded.center.id}"`);
    expect(res.text).toContain('href="/rules"');
  });
});

describe('GET / at a glance, by role', () => {
  const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

  it('shows a director and staff the rooms judged now, the flags and the way to the board', async () => {
    for (const user of [seeded.users.director, seeded.users.staff]) {
      const res = await (await signInAs(app, user)).get('/').expect(200);
      expect(text(res.text)).toContain('✓ every room compliant');
      expect(text(res.text)).toContain('Flags within 60 minutes');
      expect(res.text).toContain(`<a class="button-link" href="/centers/${seeded.center.id}/board">Open the board</a>`);
    }
  });

  it('names the room that is not compliant, with its children and staff counted', async () => {
    const child = await createChild(db, { centerId: seeded.center.id, displayName: 'Ada', birthDate: '2025-09-01', homeRoomId: seeded.rooms.infants.id, at: new Date('2026-03-01T12:00:00Z') });
    const opened = await db.transaction((trx) => openPresence(trx, 'child', { centerId: seeded.center.id, roomId: seeded.rooms.infants.id, subjectId: child.id, at: new Date('2026-03-02T12:40:00Z'), userId: seeded.users.staff.id }));
    try {
      const res = await (await signInAs(app, seeded.users.director)).get('/').expect(200);
      expect(res.text).toContain('needs-attention');
      expect(text(res.text)).toContain('✕ 1 not compliant');
      expect(text(res.text)).toMatch(/Infants ✕ [^<]*1 child, 0 of 1 staff counted/);
    } finally {
      if (opened.ok) await db('child_presences').where({ id: opened.presence.id }).delete();
    }
  });

  it('shows a volunteer the way to the cover they can take (none open here), and nothing of the rooms or children', async () => {
    const res = await (await signInAs(app, seeded.users.volunteer)).get('/').expect(200);
    expect(res.text).toContain(`<p>No cover you can take right now. <a href="/centers/${seeded.center.id}/cover">Your covers</a></p>`);
    expect(text(res.text)).not.toContain('compliant');
    expect(res.text).not.toContain(`/centers/${seeded.center.id}/board`);
    expect(text(res.text)).not.toMatch(/\d+ child(ren)?\b/);
    expect(text(res.text)).not.toContain('staff counted');
  });

  it('shows an owner the network page and each board, without judging each center here', async () => {
    const res = await (await signInAs(app, seeded.users.owner)).get('/').expect(200);
    expect(res.text).toContain(`href="/organizations/${seeded.organization.id}/network"`);
    expect(res.text).toContain(`<a href="/centers/${seeded.center.id}/board">Open the board</a>`);
    expect(text(res.text)).not.toContain('compliant');
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

  it('says per pack what changed on 2026-12-07, and how many items remain unverified', async () => {
    const res = await staff.get('/rules').expect(200);
    const wa = res.text.slice(res.text.indexOf('id="pack-wa"'), res.text.indexOf('id="pack-ny"'));
    expect(wa).toContain('<h4>What changed</h4>');
    expect(wa).toContain('Safe sleep training must be renewed every year');
    expect(wa).toContain('Mixed group of children from birth to 36 months: up to 8 at 1:4, with at least 2 staff, one a lead teacher.');
    expect(wa).toContain(`Still unverified: ${unverifiedItems(WA).length} items not confirmed in rule text`);
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
