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
 * - organization: an active owner of the organization in the path (`:organizationId`);
 *   anyone else gets 404, as for a center they have no standing in.
 */

export type Subject = { readonly role: MembershipRole; readonly userId?: string };
/**
 * What a presence action is about: the person whose time in a room changes (null for a
 * child), whether the member is present in that room themselves (with a presence the
 * pack allows), and, for starting a person's time, whether that person has an accepted
 * shift or cover of the room around now (from 15 minutes before it starts to its end).
 */
export type PresenceSubject = { readonly personId: string | null; readonly memberPresentInRoom?: boolean; readonly withinOwnShift?: boolean };

type Policy =
  | { readonly who: 'anyone' }
  | { readonly who: 'signed_in' }
  | {
      readonly who: 'center';
      readonly roles: readonly MembershipRole[];
      readonly subject?: (member: CenterMember, subject: Subject) => boolean;
      readonly presence?: (member: CenterMember, subject: PresenceSubject) => boolean;
    }
  | { readonly who: 'organization' };

const EVERYONE: readonly MembershipRole[] = ['owner', 'director', 'staff', 'volunteer'];
const MANAGERS: readonly MembershipRole[] = ['owner', 'director'];
// Staff need the rooms and children for check-in; volunteers see rooms, never the children list or other people.
const CARE_STAFF: readonly MembershipRole[] = ['owner', 'director', 'staff'];
const OWNERS: readonly MembershipRole[] = ['owner'];

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
  // The page after creating a link, showing it once to the session that made it.
  'invitation_link.view': { who: 'center', roles: MANAGERS },
  // One invitation for each person on file with an email and no account; the handler asks
  // 'invitation.create' about each person's role and skips those the member may not grant.
  'invitations.bulk_create': { who: 'center', roles: MANAGERS },
  // An open invitation, by whoever may grant its role (a director revokes any director's staff invitation).
  'invitation.revoke': { who: 'center', roles: MANAGERS, subject: (m, s) => (manageableRoles(m) as readonly string[]).includes(s.role) },
  'members.list': { who: 'center', roles: MANAGERS },
  'membership.deactivate': { who: 'center', roles: MANAGERS, subject: manages },
  'membership.change_role': { who: 'center', roles: MANAGERS, subject: manages },
  'password_reset_link.create': { who: 'center', roles: MANAGERS, subject: manages },
  'password_reset_link.view': { who: 'center', roles: MANAGERS },
  'audit.view': { who: 'center', roles: MANAGERS },
  // The volunteer pool. "My" pages are about the member's own person on file (owners hold none in a center).
  'trainings.view': { who: 'center', roles: EVERYONE },
  'center_training.create': { who: 'center', roles: MANAGERS },
  'center_training.archive': { who: 'center', roles: MANAGERS },
  'my_trainings.view': { who: 'center', roles: ['director', 'staff', 'volunteer'] },
  'training_record.create': { who: 'center', roles: ['director', 'staff', 'volunteer'] },
  'training_record.verify': { who: 'center', roles: MANAGERS },
  'training_record.reject': { who: 'center', roles: MANAGERS },
  // Anyone may ask; the handler finds only the member's own records unless they may verify (others get 404).
  'training_record_file.view': { who: 'center', roles: EVERYONE },
  'volunteers.list': { who: 'center', roles: MANAGERS },
  'background_study.view': { who: 'center', roles: MANAGERS },
  'background_study.update': { who: 'center', roles: MANAGERS },
  'my_availability.view': { who: 'center', roles: ['director', 'staff', 'volunteer'] },
  'availability.update': { who: 'center', roles: ['director', 'staff', 'volunteer'] },
  // One's own alert settings in a center (channels, quiet hours): about the signed-in account, so owners too.
  'my_alerts.view': { who: 'center', roles: EVERYONE },
  'my_alerts.update': { who: 'center', roles: EVERYONE },
  // One's own calendar link in a center (made, remade, turned off from the alert settings page); the feed
  // itself needs no session: its secret token is the credential (web/calendar/routes.ts).
  'my_calendar_feed.create': { who: 'center', roles: EVERYONE },
  'my_calendar_feed.revoke': { who: 'center', roles: EVERYONE },
  'calendar_feed.view': { who: 'anyone' },
  'center.create': { who: 'organization' },
  // The guided first run: an organization's set-up page before it has a center, then each
  // center's checklist of steps and what is still missing for the board to be right.
  'organization_setup.view': { who: 'organization' },
  'setup.view': { who: 'center', roles: MANAGERS },
  // Roster import (web/import): children and people in bulk from CSV, the templates, and both lists as CSV.
  'roster.import': { who: 'center', roles: MANAGERS },
  'roster.export': { who: 'center', roles: MANAGERS },
  'center_settings.update': { who: 'center', roles: OWNERS },
  'rooms.list': { who: 'center', roles: EVERYONE },
  'room.create': { who: 'center', roles: MANAGERS },
  'room.update': { who: 'center', roles: MANAGERS },
  'room.archive': { who: 'center', roles: MANAGERS },
  'room.unarchive': { who: 'center', roles: MANAGERS },
  'children.list': { who: 'center', roles: CARE_STAFF },
  'child.create': { who: 'center', roles: MANAGERS },
  'child.update': { who: 'center', roles: MANAGERS },
  'child.archive': { who: 'center', roles: MANAGERS },
  'child.unarchive': { who: 'center', roles: MANAGERS },
  'people.list': { who: 'center', roles: MANAGERS },
  'person.create': { who: 'center', roles: MANAGERS },
  'person.update': { who: 'center', roles: MANAGERS },
  'person.archive': { who: 'center', roles: MANAGERS },
  'person.unarchive': { who: 'center', roles: MANAGERS },
  // Check-in and the board. Volunteers start and end only their own time in a room, and see
  // a room's children and notes only while present in it; the board is for staff.
  'room.view': { who: 'center', roles: EVERYONE },
  'room_group.view': { who: 'center', roles: EVERYONE, presence: (m, s) => m.role !== 'volunteer' || s.memberPresentInRoom === true },
  'child_presence.change': { who: 'center', roles: CARE_STAFF },
  'person_presence.change': { who: 'center', roles: EVERYONE, presence: (m, s) => m.role !== 'volunteer' || (s.personId !== null && s.personId === m.personId) },
  // Starting time (an arrival, a move into a room) is a presence change and more: a volunteer starts their own
  // only within an accepted shift or cover of that room; staff and directors start anyone's at any time (the
  // pack's background-study rule still applies to everyone: see src/domain/room-entry.ts).
  'person_presence.start': {
    who: 'center',
    roles: EVERYONE,
    presence: (m, s) => m.role !== 'volunteer' || (s.personId !== null && s.personId === m.personId && s.withinOwnShift === true),
  },
  'handoff_note.create': { who: 'center', roles: CARE_STAFF },
  'headcount.create': { who: 'center', roles: CARE_STAFF },
  'headcount.resolve': { who: 'center', roles: CARE_STAFF },
  'room_activity.change': { who: 'center', roles: CARE_STAFF },
  'board.view': { who: 'center', roles: CARE_STAFF },
  'room_history.view': { who: 'center', roles: CARE_STAFF },
  // Schedules and the day plan: directors edit the week and each day; staff see the plans and
  // mark a child absent for a day; volunteers see nothing of children.
  'plan.view': { who: 'center', roles: CARE_STAFF },
  'plan.update': { who: 'center', roles: MANAGERS },
  'absence.change': { who: 'center', roles: CARE_STAFF },
  'schedules.view': { who: 'center', roles: MANAGERS },
  'schedule.update': { who: 'center', roles: MANAGERS },
  // Cover: staff and directors ask; people with a person on file take it (the handler finds only
  // their own claims); directors assign, approve and decline, and see the ranked candidates.
  'cover_requests.list': { who: 'center', roles: CARE_STAFF },
  'cover_request.view': { who: 'center', roles: CARE_STAFF },
  'cover_request.create': { who: 'center', roles: CARE_STAFF },
  'cover_request.cancel': { who: 'center', roles: CARE_STAFF },
  'cover_request.assign': { who: 'center', roles: MANAGERS },
  // "What can fix this": directors move someone over or assign a call-in from the panel (staff ask for cover as before).
  'remedy.move': { who: 'center', roles: MANAGERS },
  'remedy.assign': { who: 'center', roles: MANAGERS },
  // Combine two rooms into one group for a window, and end the merge early.
  'remedy.merge': { who: 'center', roles: MANAGERS },
  'cover_claim.approve': { who: 'center', roles: MANAGERS },
  'cover_claim.decline': { who: 'center', roles: MANAGERS },
  'help_request.create': { who: 'center', roles: CARE_STAFF },
  'cover.view': { who: 'center', roles: ['director', 'staff', 'volunteer'] },
  'cover_claim.create': { who: 'center', roles: ['director', 'staff', 'volunteer'] },
  'cover_claim.withdraw': { who: 'center', roles: ['director', 'staff', 'volunteer'] },
  'my_shifts.download': { who: 'center', roles: ['director', 'staff', 'volunteer'] },
  // Notices are the signed-in user's own, from the centers they still belong to.
  'notices.view': { who: 'signed_in' },
  'notice.read': { who: 'signed_in' },
  'notices.read_all': { who: 'signed_in' },
  // Reports for inspectors (page and CSV files) and the owner's view of every center.
  'reports.view': { who: 'center', roles: MANAGERS },
  'network.view': { who: 'organization' },
} as const satisfies Record<string, Policy>;

export type Action = keyof typeof POLICIES;

export function policyOf(action: Action): Policy {
  return POLICIES[action];
}

/**
 * Whether the member may take the action in their center, and on `subject` when given.
 * The one place role checks are written; routes and views ask it.
 */
export function can(member: CenterMember, action: Action, subject?: Subject | PresenceSubject): boolean {
  const policy = policyOf(action);
  // In a center, an organization action is open to the owner of the center's organization.
  if (policy.who === 'organization') return member.role === 'owner';
  if (policy.who !== 'center') return true;
  if (!policy.roles.includes(member.role)) return false;
  if (subject && 'personId' in subject) return 'presence' in policy && policy.presence ? policy.presence(member, subject) : true;
  if (subject && policy.subject) return policy.subject(member, subject);
  return true;
}
