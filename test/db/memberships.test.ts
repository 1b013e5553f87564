import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Knex } from '../../src/db/knex.js';
import { createInvitation } from '../../src/db/invitations.js';
import { createMembership, deactivateMembership, findActiveMemberInCenter, joinCenter } from '../../src/db/memberships.js';
import { createUser } from '../../src/db/users.js';
import { up as unlinkDuplicates } from '../../migrations/20261210152513_unlink_duplicate_people_from_memberships.js';
import { up as addIndex } from '../../migrations/20261210152514_add_one_active_membership_per_person_index.js';
import { seedCenter } from '../support/builders.js';
import { createTestDb, type TestDb } from '../support/db.js';

let db: Knex;
let testDb: TestDb;
let destroy: () => Promise<void>;
beforeEach(async () => {
  testDb = await createTestDb();
  ({ db, destroy } = testDb);
});
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

describe('joinCenter', () => {
  const at = new Date('2026-03-02T12:00:00Z');
  const aUser = async (email: string) => {
    const made = await createUser(db, { email, displayName: email, passwordHash: null, at });
    if (!made.ok) throw new Error(email);
    return made.user;
  };

  it('L8: allows one active account per person on file, and answers which rule said no', async () => {
    const a = await seedCenter(db);
    const [one, two] = [await aUser('one@example.test'), await aUser('two@example.test')];
    const input = { organizationId: a.organization.id, centerId: a.center.id, role: 'staff' as const, personId: a.people.teacher.id, at };
    // The seeded staff member already acts as the teacher.
    expect(await db.transaction((trx) => joinCenter(trx, { ...input, userId: one.id }))).toEqual({ ok: false, error: 'person_taken' });
    expect(await joinCenter(db, { ...input, userId: a.users.staff.id, personId: null })).toEqual({ ok: false, error: 'already_member' });

    await db('memberships').where({ id: a.memberships.staff.id }).update({ deactivated_at: at.toISOString() });
    const joined = await db.transaction((trx) => joinCenter(trx, { ...input, userId: one.id }));
    expect(joined).toMatchObject({ ok: true, membership: { personId: a.people.teacher.id } });
    expect(await joinCenter(db, { ...input, userId: two.id })).toEqual({ ok: false, error: 'person_taken' });
    expect(await db('memberships').where({ person_id: a.people.teacher.id }).whereNull('deactivated_at')).toHaveLength(1);
  });

  it('L8: lets only one of two accounts joining as the same person at once win, on two connections', async () => {
    const a = await seedCenter(db);
    await db('memberships').where({ id: a.memberships.staff.id }).update({ deactivated_at: at.toISOString() });
    const users = [await aUser('one@example.test'), await aUser('two@example.test')];
    const other = testDb.connect();
    const results = await Promise.all(
      users.map((u, i) =>
        (i === 0 ? db : other).transaction((trx) =>
          joinCenter(trx, { userId: u.id, organizationId: a.organization.id, centerId: a.center.id, role: 'staff', personId: a.people.teacher.id, at }),
        ),
      ),
    );
    expect(results.map((r) => r.ok).sort()).toEqual([false, true]);
    expect(results.find((r) => !r.ok)).toEqual({ ok: false, error: 'person_taken' });
  });
});

describe('deactivateMembership', () => {
  it('H3: revokes the open links its holder made in the center, and no others', async () => {
    const a = await seedCenter(db);
    const b = await seedCenter(db);
    const at = new Date('2026-03-02T12:00:00Z');
    const made = (centerId: string, organizationId: string, createdByUserId: string, purpose: 'invite' | 'reset' = 'invite') =>
      createInvitation(db, { purpose, organizationId, centerId, role: purpose === 'invite' ? 'staff' : null, userId: purpose === 'reset' ? a.users.staff.id : null, createdByUserId, at });
    const invite = await made(a.center.id, a.organization.id, a.users.director.id);
    const reset = await made(a.center.id, a.organization.id, a.users.director.id, 'reset');
    const used = await made(a.center.id, a.organization.id, a.users.director.id);
    await db('invitations').where({ id: used.invitation.id }).update({ used_at: at.toISOString() });
    const someoneElses = await made(a.center.id, a.organization.id, a.users.owner.id);
    const elsewhere = await made(b.center.id, b.organization.id, a.users.director.id);

    const done = await db.transaction((trx) => deactivateMembership(trx, a.center.id, a.memberships.director.id, at));
    expect(done?.revokedLinks.map((l) => l.id).sort()).toEqual([invite.invitation.id, reset.invitation.id].sort());
    const revoked = (await db('invitations').whereNotNull('revoked_at').select('id')).map((r: { id: string }) => r.id);
    expect(revoked.sort()).toEqual([invite.invitation.id, reset.invitation.id].sort());
    expect(revoked).not.toContain(someoneElses.invitation.id);
    expect(revoked).not.toContain(elsewhere.invitation.id);
    // Already inactive: nothing more happens.
    expect(await deactivateMembership(db, a.center.id, a.memberships.director.id, at)).toBeUndefined();
  });
});

describe('20261210152513_unlink_duplicate_people_from_memberships', () => {
  it('L8: keeps the first account acting as a person and unlinks the later ones, before the index is made', async () => {
    const a = await seedCenter(db);
    // As a database from before the index: the seeded staff member and two later accounts all act as the teacher.
    await db.raw('DROP INDEX memberships_one_active_per_person');
    const later = async (email: string, createdAt: string) => {
      const made = await createUser(db, { email, displayName: email, passwordHash: null, at: new Date(createdAt) });
      if (!made.ok) throw new Error(email);
      const m = await createMembership(db, { userId: made.user.id, organizationId: a.organization.id, centerId: a.center.id, role: 'staff', personId: a.people.teacher.id, at: new Date(createdAt) });
      return m.id;
    };
    const second = await later('second@example.test', '2026-03-01T13:00:00Z');
    const third = await later('third@example.test', '2026-03-01T14:00:00Z');
    // A deactivated one keeps its link: the index is about active accounts only.
    await db('memberships').where({ id: third }).update({ deactivated_at: '2026-03-01T15:00:00Z' });
    const fourth = await later('fourth@example.test', '2026-03-01T16:00:00Z');

    await unlinkDuplicates(db);
    const linked = async (id: string) => (await db('memberships').where({ id }).first()).person_id;
    expect(await linked(a.memberships.staff.id)).toBe(a.people.teacher.id);
    expect(await linked(second)).toBeNull();
    expect(await linked(third)).toBe(a.people.teacher.id);
    expect(await linked(fourth)).toBeNull();
    await addIndex(db);
  });
});
