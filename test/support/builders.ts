import type { Knex } from 'knex';
import { appendAudit } from '../../src/db/audit.js';
import { createCenter } from '../../src/db/centers.js';
import { createMembership } from '../../src/db/memberships.js';
import { createOrganization } from '../../src/db/organizations.js';
import { createPerson } from '../../src/db/people.js';
import { createRoom } from '../../src/db/rooms.js';
import type { Center, Membership, MembershipRole, Organization, Person, Room } from '../../src/db/rows.js';
import { createTrainingRecord } from '../../src/db/trainings.js';
import { createUser } from '../../src/db/users.js';
import { hashPassword } from '../../src/passwords.js';
import { TEST_SCRYPT } from './deps.js';

export const TEST_PASSWORD = 'correct horse battery staple';

export type TestUser = { readonly id: string; readonly email: string; readonly password: string };

export type SeededCenter = {
  organization: Organization;
  center: Center;
  rooms: { infants: Room; toddlers: Room };
  users: Record<MembershipRole, TestUser>;
  memberships: Record<MembershipRole, Membership>;
  people: { teacher: Person; volunteer: Person };
};

let counter = 0;

/**
 * An organization with one center, two rooms, and a user for each role: an owner
 * (organization level), a director, a staff member linked to a teacher and a
 * volunteer linked to a volunteer person with one verified training. Pass
 * `organization` to add a center to an existing organization (a new owner is
 * still made, so every role exists for the new center).
 */
export async function seedCenter(
  db: Knex,
  opts: { name?: string; at?: Date; organization?: Organization; password?: string; isDemo?: boolean } = {},
): Promise<SeededCenter> {
  const at = opts.at ?? new Date('2026-03-01T12:00:00Z');
  const n = ++counter;
  const tag = `${n}-${Math.random().toString(36).slice(2, 8)}`;
  const password = opts.password ?? TEST_PASSWORD;
  const passwordHash = await hashPassword(password, TEST_SCRYPT);
  return db.transaction(async (trx) => {
    const organization = opts.organization ?? (await createOrganization(trx, { name: `Org ${tag}`, at }));
    const center = await createCenter(trx, { organizationId: organization.id, name: opts.name ?? `Center ${tag}`, packId: 'MN', isDemo: opts.isDemo ?? false, at });
    const rooms = {
      infants: await createRoom(trx, { centerId: center.id, name: 'Infants', ageCategories: ['infant'], licensedCapacity: 8, at }),
      toddlers: await createRoom(trx, { centerId: center.id, name: 'Toddlers', ageCategories: ['toddler'], licensedCapacity: 14, at }),
    };
    const teacher = await createPerson(trx, { centerId: center.id, displayName: `Teacher ${tag}`, role: 'teacher', adultAttested: true, backgroundStudy: 'cleared', at });
    const volunteer = await createPerson(trx, { centerId: center.id, displayName: `Volunteer ${tag}`, role: 'volunteer', qualifiesAs: 'aide', adultAttested: true, at });
    await createTrainingRecord(trx, { centerId: center.id, personId: volunteer.id, trainingId: 'cpr', completedOn: '2026-01-10', status: 'verified', at });

    const users = {} as Record<MembershipRole, TestUser>;
    const memberships = {} as Record<MembershipRole, Membership>;
    for (const role of ['owner', 'director', 'staff', 'volunteer'] as const) {
      const email = `${role}-${tag}@example.test`;
      const created = await createUser(trx, { email, displayName: `${role[0]!.toUpperCase()}${role.slice(1)} ${tag}`, passwordHash, at });
      if (!created.ok) throw new Error('duplicate test user');
      users[role] = { id: created.user.id, email, password };
      memberships[role] = await createMembership(trx, {
        userId: created.user.id,
        organizationId: organization.id,
        centerId: role === 'owner' ? null : center.id,
        role,
        personId: role === 'staff' ? teacher.id : role === 'volunteer' ? volunteer.id : null,
        at,
      });
    }
    await appendAudit(trx, { at, organizationId: organization.id, centerId: center.id, action: 'center.created', recordType: 'center', recordId: center.id });
    return { organization, center, rooms, users, memberships, people: { teacher, volunteer } };
  });
}
