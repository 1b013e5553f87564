import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit } from '../../src/db/audit.js';
import type { Deps } from '../../src/web/app.js';
import type { Agent } from '../support/agent.js';
import { seedCenter, type SeededCenter } from '../support/builders.js';
import { seededApp } from '../support/seeded-app.js';

let deps: Deps;
let home: SeededCenter;
let other: SeededCenter;
let director: Agent;
let close: () => Promise<void>;

beforeAll(async () => {
  const world = await seededApp();
  ({ deps, seeded: home, close } = world);
  other = await seedCenter(deps.db);
  await deps.db.transaction(async (trx) => {
    for (let i = 1; i <= 60; i++) {
      await appendAudit(trx, {
        at: new Date(Date.UTC(2026, 2, 2, 12, i)),
        organizationId: home.organization.id,
        centerId: home.center.id,
        actorUserId: i % 2 ? home.users.director.id : home.users.staff.id,
        action: 'thing.changed',
        recordType: 'thing',
        recordId: `thing-${i}`,
        after: { n: i },
      });
    }
    await appendAudit(trx, { at: new Date(), organizationId: other.organization.id, centerId: other.center.id, action: 'secret.changed', recordType: 'thing', recordId: 'other-thing' });
  });
  director = await world.signIn('director');
});
afterAll(() => close());

const ids = (html: string) => [...html.matchAll(/<td class="num">(\d+)<\/td>/g)].map((m) => Number(m[1]));

describe('GET /centers/:centerId/audit', () => {
  it("shows the center's log newest first, 50 to a page, with a link to older entries", async () => {
    const res = await director.get(`/centers/${home.center.id}/audit`).expect(200);
    const shown = ids(res.text);
    expect(shown).toHaveLength(50);
    expect(shown).toEqual([...shown].sort((a, b) => b - a));
    expect(res.text).not.toContain('secret.changed');
    // Handlebars writes = as &#x3D; in attributes; the browser reads it back.
    expect(res.text.replaceAll('&#x3D;', '=')).toContain(`href="/centers/${home.center.id}/audit?page=2" rel="next"`);
    const older = await director.get(`/centers/${home.center.id}/audit?page=2`).expect(200);
    expect(Math.max(...ids(older.text))).toBeLessThan(Math.min(...shown));
    expect(older.text).not.toContain('rel="next"');
  });

  it('shows the times in the center’s zone', async () => {
    const res = await director.get(`/centers/${home.center.id}/audit?record=thing-1`).expect(200);
    // 12:01 UTC on 2 March 2026 is 06:01 in Chicago.
    expect(res.text).toContain('Mon 2 Mar 2026, 06:01');
  });

  it('filters by person and by record', async () => {
    const byStaff = await director.get(`/centers/${home.center.id}/audit?person=${home.users.staff.id}`).expect(200);
    expect(byStaff.text).toContain('thing-2');
    expect(byStaff.text).not.toContain('>thing-1<');
    const byRecord = await director.get(`/centers/${home.center.id}/audit?record=thing-7`).expect(200);
    expect(ids(byRecord.text)).toHaveLength(1);
  });

  it("does not show another center's entries even when asked for their record", async () => {
    const res = await director.get(`/centers/${home.center.id}/audit?record=other-thing`).expect(200);
    expect(ids(res.text)).toHaveLength(0);
  });
});
