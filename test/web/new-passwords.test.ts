/**
 * Everywhere a password is chosen (accepting an invitation, a password-reset link, which
 * is also how create-owner's first owner sets theirs), the obvious ones are refused with
 * a message next to the field.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createInvitation } from '../../src/db/invitations.js';
import type { Deps } from '../../src/web/app.js';
import { anAgent } from '../support/agent.js';
import type { SeededCenter } from '../support/builders.js';
import type { TestClock } from '../support/deps.js';
import { decodeEntities } from '../support/forms.js';
import { seededApp, type App } from '../support/seeded-app.js';

let deps: Deps;
let clock: TestClock;
let app: App;
let seeded: SeededCenter;
let close: () => Promise<void>;
beforeEach(async () => {
  ({ deps, clock, app, seeded, close } = await seededApp());
});
afterEach(() => close());

const COMMON = 'That password is on the lists attackers try first.';
const REPEAT = 'That password is a repeat or a sequence';

/** The message in the password field's error paragraph, or undefined. */
const passwordError = (html: string) => /<p class="error" id="password-error">([^<]*)<\/p>/.exec(html)?.[1];

async function invitationPath() {
  const { token } = await createInvitation(deps.db, { purpose: 'invite', organizationId: seeded.organization.id, centerId: seeded.center.id, role: 'staff', createdByUserId: seeded.users.director.id, at: clock.now() });
  return `/invitations/${token}`;
}

async function resetPath() {
  const { token } = await createInvitation(deps.db, { purpose: 'reset', organizationId: seeded.organization.id, centerId: seeded.center.id, userId: seeded.users.staff.id, createdByUserId: seeded.users.director.id, at: clock.now() });
  return `/password-resets/${token}`;
}

const forms = {
  'accepting an invitation': async (password: string) =>
    anAgent(app).submit(await invitationPath(), { displayName: 'Rosa Diaz', email: 'rosa@example.test', password, passwordConfirmation: password }),
  'a password reset': async (password: string) => anAgent(app).submit(await resetPath(), { password, passwordConfirmation: password }),
};

describe('choosing a password', () => {
  for (const [where, submit] of Object.entries(forms)) {
    it(`L5: refuses aaaaaaaaaaaa and password1234 at ${where}, with a message next to the field`, async () => {
      const before = { users: await deps.db('users').count({ n: '*' }).first(), hash: (await deps.db('users').where({ id: seeded.users.staff.id }).first()).password_hash };
      for (const [password, message] of [
        ['aaaaaaaaaaaa', REPEAT],
        ['password1234', COMMON],
        ['Password1234', COMMON],
        ['iloveyou2024', COMMON],
        ['abcdefghijklm', REPEAT],
        ['123456789012', COMMON],
        ['abcabcabcabc', REPEAT],
      ] as const) {
        const res = await submit(password);
        expect(res.status, password).toBe(422);
        expect(decodeEntities(passwordError(res.text) ?? ''), password).toContain(message);
      }
      // Nothing was written: no account, the old password kept.
      expect(await deps.db('users').count({ n: '*' }).first()).toEqual(before.users);
      expect((await deps.db('users').where({ id: seeded.users.staff.id }).first()).password_hash).toBe(before.hash);
    });

    it(`takes a passphrase at ${where}`, async () => {
      expect((await submit('maple syrup on a tuesday')).status).toBe(303);
    });
  }
});
