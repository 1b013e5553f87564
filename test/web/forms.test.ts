/**
 * Every form: bad input re-renders it with 422, what the person typed kept (never a
 * password), a message next to each bad field, and nothing written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvitation } from '../../src/db/invitations.js';
import type { Deps } from '../../src/web/app.js';
import { anAgent, type Agent } from '../support/agent.js';
import { seedCenter, type SeededCenter } from '../support/builders.js';
import { seededApp, type App } from '../support/seeded-app.js';
import { snapshot } from '../support/tables.js';

let deps: Deps;
let app: App;
let seeded: SeededCenter;
let director: Agent;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ deps, app, seeded, close, agents: { director } } = await seededApp({ agents: ['director'] }));
});
afterAll(() => close());

/** The field's error paragraph, and the field pointing at it. */
function expectFieldError(html: string, field: string, message: string | RegExp) {
  const p = new RegExp(`<p class="error" id="${field}-error">([^<]*)</p>`).exec(html);
  expect(p, `no error next to ${field}`).not.toBeNull();
  expect(p![1]).toMatch(message);
  expect(html).toMatch(new RegExp(`id="${field}"[^>]*aria-describedby="${field}-error"`));
}

async function expectNothingWritten(act: () => Promise<void>) {
  const before = await snapshot(deps.db);
  await act();
  expect(await snapshot(deps.db)).toEqual(before);
}

describe('the sign-in form', () => {
  it('keeps the email and names each bad field', async () => {
    await expectNothingWritten(async () => {
      const res = await anAgent(app).submit('/sign-in', { email: 'not an email', password: '' });
      expect(res.status).toBe(422);
      expect(res.text).toContain('value="not an email"');
      expectFieldError(res.text, 'email', /email address/);
      expectFieldError(res.text, 'password', /Enter your password/);
    });
  });
});

describe('the invitation form', () => {
  it('keeps the choice and names each bad field', async () => {
    await expectNothingWritten(async () => {
      const res = await director.submit(`/centers/${seeded.center.id}/invitations`, { role: 'captain', personId: 'someone-else' });
      expect(res.status).toBe(422);
      expectFieldError(res.text, 'role', /Choose a role/);
      expectFieldError(res.text, 'personId', /Choose someone from the list/);
    });
  });

  it('refuses a person of another center', async () => {
    const other = await seedCenter(deps.db);
    await expectNothingWritten(async () => {
      const res = await director.submit(`/centers/${seeded.center.id}/invitations`, { role: 'staff', personId: other.people.teacher.id });
      expect(res.status).toBe(422);
      expect(res.text).toContain('<option value="staff" selected>');
      expectFieldError(res.text, 'personId', /Choose someone from the list/);
    });
  });
});

describe('the join form of an invitation link', () => {
  it('keeps name and email, never the password, and names each bad field', async () => {
    const { token } = await createInvitation(deps.db, { purpose: 'invite', organizationId: seeded.organization.id, centerId: seeded.center.id, role: 'volunteer', createdByUserId: seeded.users.director.id, at: deps.clock.now() });
    await expectNothingWritten(async () => {
      const res = await anAgent(app).submit(`/invitations/${token}`, { displayName: 'Rosa', email: 'rosa@', password: 'short', passwordConfirmation: 'other' });
      expect(res.status).toBe(422);
      expect(res.text).toContain('value="Rosa"');
      expect(res.text).toContain('value="rosa@"');
      expect(res.text).not.toContain('value="short"');
      expectFieldError(res.text, 'email', /email address/);
      expectFieldError(res.text, 'password', /at least 12 characters/);
      expectFieldError(res.text, 'passwordConfirmation', /not the same/);
    });
    await expectNothingWritten(async () => {
      const res = await anAgent(app).submit(`/invitations/${token}`, { displayName: '  ', email: 'rosa@example.test', password: 'long enough password', passwordConfirmation: 'long enough password' });
      expect(res.status).toBe(422);
      expectFieldError(res.text, 'displayName', /Enter a name/);
    });
  });
});

describe('the password form of a reset link', () => {
  it('names each bad field and changes nothing', async () => {
    const { token } = await createInvitation(deps.db, { purpose: 'reset', organizationId: seeded.organization.id, centerId: seeded.center.id, userId: seeded.users.staff.id, createdByUserId: seeded.users.director.id, at: deps.clock.now() });
    await expectNothingWritten(async () => {
      const res = await anAgent(app).submit(`/password-resets/${token}`, { password: 'short', passwordConfirmation: '' });
      expect(res.status).toBe(422);
      expectFieldError(res.text, 'password', /at least 12 characters/);
      expectFieldError(res.text, 'passwordConfirmation', /Type the password again/);
    });
  });
});

describe('the role form on the members page', () => {
  it("shows the error next to that member's role and changes nothing", async () => {
    const id = seeded.memberships.staff.id;
    await expectNothingWritten(async () => {
      const res = await director.submit(`/centers/${seeded.center.id}/memberships/${id}/role`, { role: 'owner' });
      expect(res.status).toBe(422);
      expectFieldError(res.text, `role-${id}`, /Choose one of the roles listed/);
    });
  });
});

describe('the audit filter form', () => {
  it('keeps the filter and names each bad field', async () => {
    const res = await director.get(`/centers/${seeded.center.id}/audit?person=nobody&record=${encodeURIComponent('x; drop')}`);
    expect(res.status).toBe(422);
    expect(res.text).toContain('value="x; drop"');
    expectFieldError(res.text, 'person', /Choose someone from the list/);
    expectFieldError(res.text, 'record', /letters, digits and dashes/);
  });
});
