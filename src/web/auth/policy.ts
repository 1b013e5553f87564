import type { CenterMember } from '../../db/memberships.js';
import type { CenterRole, MembershipRole } from '../../db/rows.js';

/**
 * Authorization as data: every route names one of these actions (see guard.ts), and
 * the guard checks who may take it before the handler runs. A route's own lookups
 * are scoped to `req.member.center`, so an id from another center is simply not found.
 *
 * - anyone: signed out too (sign-in, and the one-time links, which carry their own token)
 * - signed_in: any signed-in user, about themselves only
 * - center: a member of the center in the path holding one of `roles`; with `subject`,
 *   the handler also asks `can(member, action, subject)` about the record it found.
 */

export type Subject = { readonly role: MembershipRole; readonly userId?: string };

type Policy =
  | { readonly who: 'anyone' }
  | { readonly who: 'signed_in' }
  | { readonly who: 'center'; readonly roles: readonly MembershipRole[]; readonly subject?: (member: CenterMember, subject: Subject) => boolean };

const EVERYONE: readonly MembershipRole[] = ['owner', 'director', 'staff', 'volunteer'];
const MANAGERS: readonly MembershipRole[] = ['owner', 'director'];

/** Roles a member may grant, and whose memberships they may manage: owners any center role, directors staff and volunteers. */
export function manageableRoles(member: CenterMember): readonly CenterRole[] {
  if (member.role === 'owner') return ['director', 'staff', 'volunteer'];
  if (member.role === 'director') return ['staff', 'volunteer'];
  return [];
}

// Nobody manages their own membership: a director cannot lock themselves out or promote themselves.
const manages = (member: CenterMember, subject: Subject) =>
  (manageableRoles(member) as readonly string[]).includes(subject.role) && subject.userId !== member.userId;

export const POLICIES = {
  'sign_in.view': { who: 'anyone' },
  'sign_in.create': { who: 'anyone' },
  'sign_out.create': { who: 'signed_in' },
  'invitation.view': { who: 'anyone' },
  'invitation.accept': { who: 'anyone' },
  'password_reset.view': { who: 'anyone' },
  'password_reset.accept': { who: 'anyone' },
  'home.view': { who: 'signed_in' },
  'rules.view': { who: 'signed_in' },
  'profile.view': { who: 'signed_in' },
  'center.view': { who: 'center', roles: EVERYONE },
  'invitations.list': { who: 'center', roles: MANAGERS },
  'invitation.create': { who: 'center', roles: MANAGERS, subject: (m, s) => (manageableRoles(m) as readonly string[]).includes(s.role) },
  'members.list': { who: 'center', roles: MANAGERS },
  'membership.deactivate': { who: 'center', roles: MANAGERS, subject: manages },
  'membership.change_role': { who: 'center', roles: MANAGERS, subject: manages },
  'password_reset_link.create': { who: 'center', roles: MANAGERS, subject: manages },
  'audit.view': { who: 'center', roles: MANAGERS },
} as const satisfies Record<string, Policy>;

export type Action = keyof typeof POLICIES;

export function policyOf(action: Action): Policy {
  return POLICIES[action];
}

/**
 * Whether the member may take the action in their center, and on `subject` when given.
 * The one place role checks are written; routes and views ask it.
 */
export function can(member: CenterMember, action: Action, subject?: Subject): boolean {
  const policy = policyOf(action);
  if (policy.who !== 'center') return true;
  if (!policy.roles.includes(member.role)) return false;
  if (subject && policy.subject) return policy.subject(member, subject);
  return true;
}
