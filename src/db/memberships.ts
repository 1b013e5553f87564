import type { Knex } from 'knex';
import { findCenterForMembershipCheck } from './centers.js';
import { authRowsChanged } from './users.js';
import { MembershipRow, newId, parseRow, parseRows, type Center, type Membership, type MembershipRole } from './rows.js';

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
  authRowsChanged(db);
  return MembershipRow.parse(row);
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

/** Deactivates if still active; false when it already was (the row count decides). */
export async function deactivateMembership(db: Knex, centerId: string, id: string, at: Date): Promise<boolean> {
  const n = await db('memberships').where({ id, center_id: centerId }).whereNull('deactivated_at').update({ deactivated_at: at.toISOString() });
  if (n === 1) authRowsChanged(db);
  return n === 1;
}

export async function changeMembershipRole(db: Knex, centerId: string, id: string, role: MembershipRole): Promise<boolean> {
  const n = await db('memberships').where({ id, center_id: centerId }).whereNull('deactivated_at').update({ role });
  if (n === 1) authRowsChanged(db);
  return n === 1;
}
