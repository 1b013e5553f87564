import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Knex } from '../../src/db/knex.js';
import { findActiveMemberInCenter } from '../../src/db/memberships.js';
import { createUser } from '../../src/db/users.js';
import { seedCenter } from '../support/builders.js';
import { createTestDb } from '../support/db.js';

let db: Knex;
let destroy: () => Promise<void>;
beforeEach(async () => ({ db, destroy } = await createTestDb()));
afterEach(() => destroy());

describe('findActiveMemberInCenter', () => {
  it('finds a member in their own center only', async () => {
    const a = await seedCenter(db);
    const b = await seedCenter(db);
    expect(await findActiveMemberInCenter(db, a.users.staff.id, a.center.id)).toMatchObject({ role: 'staff', personId: a.people.teacher.id, center: { id: a.center.id } });
    expect(await findActiveMemberInCenter(db, a.users.staff.id, b.center.id)).toBeUndefined();
  });

  it("makes an owner the owner of every center of their organization, and of no other organization's", async () => {
    const a = await seedCenter(db);
    const sibling = await seedCenter(db, { organization: a.organization });
    const b = await seedCenter(db);
    expect(await findActiveMemberInCenter(db, a.users.owner.id, sibling.center.id)).toMatchObject({ role: 'owner' });
    expect(await findActiveMemberInCenter(db, a.users.owner.id, b.center.id)).toBeUndefined();
  });

  it('ignores a deactivated membership', async () => {
    const a = await seedCenter(db);
    await db('memberships').where({ id: a.memberships.director.id }).update({ deactivated_at: '2026-03-01T00:00:00.000Z' });
    expect(await findActiveMemberInCenter(db, a.users.director.id, a.center.id)).toBeUndefined();
  });
});

describe('createUser', () => {
  it('stores the email lower-cased and refuses it twice, whatever the case', async () => {
    const at = new Date('2026-03-02T12:00:00Z');
    const first = await createUser(db, { email: 'Ana@Example.test', displayName: 'Ana', passwordHash: null, at });
    expect(first.ok && first.user.email).toBe('ana@example.test');
    expect(await createUser(db, { email: 'ANA@example.test', displayName: 'Ana 2', passwordHash: null, at })).toEqual({ ok: false, error: 'email_taken' });
  });
});
