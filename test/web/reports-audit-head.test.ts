import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readAuditHead } from '../../src/db/audit.js';
import { createApp, type Deps } from '../../src/web/app.js';
import { signInAs } from '../support/agent.js';
import { seedCenter, type SeededCenter } from '../support/builders.js';
import { testDeps } from '../support/deps.js';

let deps: Deps;
let seeded: SeededCenter;
let destroy: () => Promise<void>;
beforeEach(async () => {
  ({ deps, destroy } = await testDeps('2026-03-03T13:00:00Z'));
  seeded = await seedCenter(deps.db, { name: 'Maple Test Center' });
});
afterEach(() => destroy());

describe('GET /centers/:centerId/reports', () => {
  it('M3: shows the audit log head (entry and whole hash) to print as an anchor outside the database', async () => {
    const director = await signInAs(createApp(deps), seeded.users.director);
    // Read after signing in: the sign-in is an audited write too.
    const head = await readAuditHead(deps.db);
    expect(head.entry).toBeGreaterThan(0);
    const res = await director.get(`/centers/${seeded.center.id}/reports`);
    expect(res.status).toBe(200);
    expect(res.text).toContain(`<dt>Audit log head</dt><dd>entry ${head.entry}, hash <code class="audit-hash">${head.hash}</code>`);
  });
});
