import type { Knex } from 'knex';
import { findCenterForMembershipCheck } from './centers.js';
import { constraintViolation } from './errors.js';
import { revokeLinksMadeBy } from './invitations.js';
import type { Err } from '../domain/result.js';
import { MembershipRow, newId, parseRow, parseRows, type Center, type Invitation, type Membership, type MembershipRole } from './rows.js';

export type NewMembership = {
  userId: string;
  organizationId: string;
  centerId: string | null;
  role: MembershipRole;
  personId?: string | null;
  at: Date;
};

export async function createMembership(db: Knex, input: NewMembership): Promise<Membership> {
  const row = {
    id: newId(),
    user_id: input.userId,
    organization_id: input.organizationId,
    center_id: input.centerId,
    role: input.role,
    person_id: input.personId ?? null,
    created_at: input.at.toISOString(),
    deactivated_at: null,
  };
  await db('memberships').insert(row);
  return MembershipRow.parse(row);
}

/**
 * Gives the user a membership of the center, or answers why not: 'already_member' (the user
 * holds a membership of the center, active or not) or 'person_taken' (another active account
 * already acts as the person on file). Unique indexes decide, so two invitations for one
 * person accepted at once cannot both link an account to them.
 */
export async function joinCenter(
  db: Knex,
  input: NewMembership & { centerId: string },
): Promise<{ ok: true; membership: Membership } | Err<'already_member' | 'person_taken'>> {
  try {
    // In a savepoint when `db` is a transaction: PostgreSQL aborts a transaction on a failed statement.
    const membership = await db.transaction((sp) => createMembership(sp, input));
    return { ok: true, membership };
  } catch (err) {
    if (constraintViolation(err) !== 'unique') throw err;
  }
  // Which of the two indexes said no: asked again, now that the winner's row is there to see.
  const member = await db('memberships').where({ user_id: input.userId, center_id: input.centerId }).first('id');
  return { ok: false, error: member ? 'already_member' : 'person_taken' };
}

/** The active membership acting as the person on file, if any (at most one: a unique index). */
export async function findActiveMembershipOfPerson(db: Knex, personId: string): Promise<Membership | undefined> {
  return parseRow(MembershipRow, await db('memberships').where({ person_id: personId }).whereNull('deactivated_at').first());
}

/** Whether the user holds a membership of the center, active or not. */
export async function hasMembershipInCenter(db: Knex, userId: string, centerId: string): Promise<boolean> {
  return (await db('memberships').where({ user_id: userId, center_id: centerId }).first('id')) !== undefined;
}

/** Whether any membership of the user (active or not) acts as the person on file: is this person the user? */
export async function isUserThePerson(db: Knex, userId: string, personId: string): Promise<boolean> {
  return (await db('memberships').where({ user_id: userId, person_id: personId }).first('id')) !== undefined;
}

/** Someone acting in one center: a member of it, or an owner of its organization. */
export type CenterMember = {
  readonly userId: string;
  readonly membershipId: string;
  readonly role: MembershipRole;
  readonly personId: string | null;
  readonly center: Center;
};

/**
 * The user's active standing in the center, or undefined (which callers answer with 404).
 * An owner of the center's organization acts as owner there even with no membership of its own.
 */
export async function findActiveMemberInCenter(db: Knex, userId: string, centerId: string): Promise<CenterMember | undefined> {
  const center = await findCenterForMembershipCheck(db, centerId);
  if (!center) return undefined;
  const rows = parseRows(
    MembershipRow,
    await db('memberships')
      .where({ user_id: userId })
      .whereNull('deactivated_at')
      .andWhere((q) => q.where({ center_id: centerId }).orWhere({ center_id: null, role: 'owner', organization_id: center.organizationId })),
  );
  const chosen = rows.find((m) => m.role === 'owner') ?? rows[0];
  if (!chosen) return undefined;
  return { userId, membershipId: chosen.id, role: chosen.role, personId: chosen.personId, center };
}

/** Someone acting for a whole organization: an active owner of it. */
export type OrganizationOwner = { readonly userId: string; readonly membershipId: string; readonly organizationId: string };

/** The user's active owner membership of the organization, or undefined (which callers answer with 404). */
export async function findActiveOwnerOfOrganization(db: Knex, userId: string, organizationId: string): Promise<OrganizationOwner | undefined> {
  const row = parseRow(
    MembershipRow,
    await db('memberships').where({ user_id: userId, organization_id: organizationId, role: 'owner', center_id: null }).whereNull('deactivated_at').first(),
  );
  return row && { userId, membershipId: row.id, organizationId: row.organizationId };
}

export async function hasActiveMembership(db: Knex, userId: string): Promise<boolean> {
  return (await db('memberships').where({ user_id: userId }).whereNull('deactivated_at').first('id')) !== undefined;
}

export async function listActiveMembershipsOfUser(db: Knex, userId: string): Promise<Membership[]> {
  return parseRows(MembershipRow, await db('memberships').where({ user_id: userId }).whereNull('deactivated_at').orderBy('created_at'));
}

export async function findMembershipInCenter(db: Knex, centerId: string, id: string): Promise<Membership | undefined> {
  return parseRow(MembershipRow, await db('memberships').where({ id, center_id: centerId }).first());
}

export type MemberListing = Membership & { displayName: string; email: string; personName: string | null };

/** Everyone holding a membership in the center, active first, then by name. */
export async function listMembershipsInCenter(db: Knex, centerId: string): Promise<MemberListing[]> {
  const rows = await db('memberships as m')
    .join('users as u', 'u.id', 'm.user_id')
    .leftJoin('people as p', 'p.id', 'm.person_id')
    .where('m.center_id', centerId)
    .select('m.*', 'u.display_name as user_display_name', 'u.email as user_email', 'p.display_name as person_display_name')
    .orderBy('u.display_name');
  const listed = rows.map((r: Record<string, unknown>) => ({
    ...MembershipRow.parse(r),
    displayName: String(r.user_display_name),
    email: String(r.user_email),
    personName: r.person_display_name == null ? null : String(r.person_display_name),
  }));
  return listed.sort((a, b) => Number(a.deactivatedAt !== null) - Number(b.deactivatedAt !== null));
}

/** What ending or changing a membership also did: the open links its holder had made in the center, now revoked. */
export type MembershipChange = { readonly revokedLinks: readonly Invitation[] };

/**
 * Deactivates if still active, and revokes the open invitations and reset links its holder made
 * in the center (they were made on this membership's authority: an ex-director's reset link must
 * not let them in as someone else). Undefined when it already was inactive (the row count
 * decides). Call it in a transaction, and audit the deactivation and each revoked link there.
 */
export async function deactivateMembership(db: Knex, centerId: string, id: string, at: Date): Promise<MembershipChange | undefined> {
  const n = await db('memberships').where({ id, center_id: centerId }).whereNull('deactivated_at').update({ deactivated_at: at.toISOString() });
  if (n !== 1) return undefined;
  return { revokedLinks: await revokeLinksOfMembership(db, centerId, id, at) };
}

/**
 * Changes the role of an active membership, and revokes the open links its holder made in the
 * center under the old role (a director made staff keeps no director's links). Undefined when
 * the membership is not active. Call it in a transaction, and audit what it answers there.
 */
export async function changeMembershipRole(db: Knex, centerId: string, id: string, role: MembershipRole, at: Date): Promise<MembershipChange | undefined> {
  const n = await db('memberships').where({ id, center_id: centerId }).whereNull('deactivated_at').update({ role });
  if (n !== 1) return undefined;
  return { revokedLinks: await revokeLinksOfMembership(db, centerId, id, at) };
}

async function revokeLinksOfMembership(db: Knex, centerId: string, membershipId: string, at: Date): Promise<Invitation[]> {
  const { user_id: userId } = (await db('memberships').where({ id: membershipId }).first('user_id')) as { user_id: string };
  return revokeLinksMadeBy(db, { centerId, userId, at });
}
