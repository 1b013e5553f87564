import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit } from '../../src/db/audit.js';
import { createChild } from '../../src/db/children.js';
import { createTrainingRecord } from '../../src/db/trainings.js';
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

  it('reads like a log: who did what to whom, the changes in words, the ids folded away', async () => {
    const record = await createTrainingRecord(deps.db, {
      centerId: home.center.id,
      personId: home.people.volunteer.id,
      trainingId: 'suid',
      completedOn: '2026-02-20',
      status: 'submitted',
      at: new Date('2026-03-01T12:00:00Z'),
    });
    const child = await createChild(deps.db, { centerId: home.center.id, displayName: 'Ruby W.', birthDate: '2025-06-01', homeRoomId: home.rooms.infants.id, at: new Date('2026-03-01T12:00:00Z') });
    expect((await director.submit(`/centers/${home.center.id}/training-records/${record.id}/verification`)).status).toBe(303);
    expect((await director.submit(`/centers/${home.center.id}/rooms/${home.rooms.infants.id}/check-ins`, { childId: child.id })).status).toBe(303);

    const res = await director.get(`/centers/${home.center.id}/audit`).expect(200);
    const text = res.text.replaceAll('&#x27;', "'").replace(/\s+/g, ' ');
    const director_ = `Director ${home.center.name.replace('Center ', '')}`;
    // "Safe sleep (SUID)": the Minnesota pack's label of the training id suid.
    const label = (await import('../../src/domain/rules/mn.js')).MN.trainings.find((t) => t.id === 'suid')!.label;
    expect(text).toContain(`${director_}</a> verified ${home.people.volunteer.displayName}'s ${label} training`);
    expect(text).toContain('Status: submitted → verified');
    expect(text).toContain(`${director_}</a> checked Ruby W. in to Infants`);
    // Ids are there on demand (folded), the room named in the changes rather than by its id.
    expect(text).toMatch(/<summary>Ids<span class="visually-hidden"> of entry \d+<\/span><\/summary>/);
    expect(text).toContain('Room: Infants');
  });
});

