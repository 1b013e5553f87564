import type { Knex } from 'knex';
import { appendAudit } from '../db/audit.js';
import { lockUntilCommit } from '../db/knex.js';
import { createInvitation, listOpenInvitationsInCenter } from '../db/invitations.js';
import type { CenterMember } from '../db/memberships.js';
import { listPeopleWithoutAccount } from '../db/people.js';
import type { CenterRole, Invitation, Person } from '../db/rows.js';
import type { Role } from '../domain/rule-pack.js';
import { actedBy } from './acted-by.js';

/**
 * Invitations in bulk: one for each person on file with an email and no account, for a
 * director to hand out at once (a sheet of QR codes at an evening training). Each is an
 * ordinary invitation (same table, one-time, seven days, revocable one by one).
 *
 * Re-running never makes a second open link for anyone: a person who still has an open
 * invitation (unused, unrevoked, unexpired) is skipped; revoking it first makes them due again.
 */

/** The membership an invitation for this person grants: staff roles join as staff, volunteers and students as volunteers. */
export function invitationRoleFor(role: Role): CenterRole {
  if (role === 'director') return 'director';
  if (role === 'volunteer' || role === 'student') return 'volunteer';
  return 'staff';
}

export type BulkSkip =
  | { readonly person: Person; readonly reason: 'open_invitation'; readonly until: Date }
  | { readonly person: Person; readonly reason: 'role_not_granted'; readonly role: CenterRole };

export type BulkPlan = {
  /** Who gets a link, and as what. */
  readonly invite: readonly { readonly person: Person; readonly role: CenterRole }[];
  readonly skipped: readonly BulkSkip[];
  /** People without an account and without an email on file: nobody to send a link to. */
  readonly withoutEmail: number;
};

/** Who a bulk invitation would reach now; `mayGrant` is the member's authority (the policy's, asked by the caller). */
export async function planBulkInvitations(db: Knex, centerId: string, mayGrant: (role: CenterRole) => boolean, at: Date): Promise<BulkPlan> {
  const [people, open] = await Promise.all([listPeopleWithoutAccount(db, centerId), listOpenInvitationsInCenter(db, centerId, at)]);
  const openFor = new Map<string, Invitation>();
  for (const i of open) if (i.personId && !openFor.has(i.personId)) openFor.set(i.personId, i);
  const invite: { person: Person; role: CenterRole }[] = [];
  const skipped: BulkSkip[] = [];
  let withoutEmail = 0;
  for (const person of people) {
    if (!person.email) {
      withoutEmail += 1;
      continue;
    }
    const role = invitationRoleFor(person.role);
    const existing = openFor.get(person.id);
    if (existing) skipped.push({ person, reason: 'open_invitation', until: new Date(existing.expiresAt) });
    else if (!mayGrant(role)) skipped.push({ person, reason: 'role_not_granted', role });
    else invite.push({ person, role });
  }
  return { invite, skipped, withoutEmail };
}

export type MadeInvitation = { readonly person: Person; readonly role: CenterRole; readonly invitation: Invitation; readonly token: string };

/**
 * Makes the invitations the plan names, planned again inside one transaction with an audit
 * entry each: all or none. The tokens are returned to be shown once; only their hashes are kept.
 */
export async function makeBulkInvitations(
  db: Knex,
  member: CenterMember,
  mayGrant: (role: CenterRole) => boolean,
  at: Date,
): Promise<{ made: MadeInvitation[]; skipped: readonly BulkSkip[]; withoutEmail: number }> {
  return db.transaction(async (trx) => {
    // Two bulk runs side by side take turns, so the second sees the first's open links and skips those people.
    await lockUntilCommit(trx, `bulk-invitations:${member.center.id}`);
    const plan = await planBulkInvitations(trx, member.center.id, mayGrant, at);
    const made: MadeInvitation[] = [];
    for (const { person, role } of plan.invite) {
      const { invitation, token } = await createInvitation(trx, {
        purpose: 'invite',
        organizationId: member.center.organizationId,
        centerId: member.center.id,
        role,
        personId: person.id,
        createdByUserId: member.userId,
        at,
      });
      await appendAudit(trx, {
        ...actedBy(member, at),
        action: 'invitation.created',
        recordType: 'invitation',
        recordId: invitation.id,
        after: { role, personId: person.id, expiresAt: invitation.expiresAt, bulk: true },
      });
      made.push({ person, role, invitation, token });
    }
    return { made, skipped: plan.skipped, withoutEmail: plan.withoutEmail };
  });
}
