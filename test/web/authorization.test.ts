/**
 * Walks every route in the app for every kind of visitor. A route added without a
 * guard, or without a row here, fails the first test; each row says who may use it.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChild } from '../../src/db/children.js';
import { createInvitation } from '../../src/db/invitations.js';
import { createCenterTraining } from '../../src/db/center-trainings.js';
import { createMembership, findActiveMemberInCenter } from '../../src/db/memberships.js';
import { makeCalendarFeed } from '../../src/services/calendar-feed.js';
import { createTrainingRecord } from '../../src/db/trainings.js';
import { newId } from '../../src/db/rows.js';
import { createUser } from '../../src/db/users.js';
import { hashPassword } from '../../src/passwords.js';
import { POLICIES } from '../../src/web/auth/policy.js';
import type { Deps } from '../../src/web/app.js';
import { storeCertificate } from '../../src/web/uploads/certificates.js';
import { anAgent, signInAs, type Agent } from '../support/agent.js';
import { seedCenter, type SeededCenter, type TestUser } from '../support/builders.js';
import { TEST_SCRYPT } from '../support/deps.js';
import { listRoutes } from '../support/routes.js';
import { seededApp, type App } from '../support/seeded-app.js';

const ACTORS = ['owner', 'director', 'staff', 'volunteer', 'signedOut', 'otherCenter'] as const;
type Actor = (typeof ACTORS)[number];
type Outcome = 'ok' | 403 | 404 | 'sign-in';

const ok = 'ok' as const;
const S = 'sign-in' as const;
const everyone: Outcome[] = [ok, ok, ok, ok, ok, ok];
const signedIn: Outcome[] = [ok, ok, ok, ok, S, ok];
const anyMember: Outcome[] = [ok, ok, ok, ok, S, 404];
const managers: Outcome[] = [ok, ok, 403, 403, S, 404];
// Staff read rooms and children for check-in; volunteers never see the children list.
const careStaff: Outcome[] = [ok, ok, ok, 403, S, 404];
const owners: Outcome[] = [ok, 403, 403, 403, S, 404];
// Organization actions: only its owners find them; there is no lesser organization role to refuse with 403.
const organizationOwners: Outcome[] = [ok, 404, 404, 404, S, 404];
// "My" pages: about the member's own person on file (owners hold none in a center; the seeded director is sent back to the page saying none is linked).
const ownPages: Outcome[] = [403, ok, ok, ok, S, 404];
// A certificate: its own volunteer and those who verify; anyone else is told it does not exist.
const ownFile: Outcome[] = [ok, ok, 404, ok, S, 404];
// A cover claim or a notice: only its own person or user finds it (the walk's are the volunteer's); owners hold no person.
const ownClaim: Outcome[] = [403, 404, 404, ok, S, 404];
const ownNotice: Outcome[] = [404, 404, 404, ok, S, 404];

//                                                                      owner director staff volunteer signedOut otherCenter
const EXPECTED: Record<string, Outcome[]> = {
  'GET /sign-in': everyone,
  'POST /sign-in': everyone,
  'POST /sign-out': signedIn,
  'GET /': signedIn,
  'GET /rules': signedIn,
  'GET /me': signedIn,
  'GET /centers/:centerId': anyMember,
  'GET /centers/:centerId/invitations': managers,
  'POST /centers/:centerId/invitations': managers,
  'GET /centers/:centerId/invitations/:invitationId/link': managers,
  'POST /centers/:centerId/invitations/bulk': managers,
  'POST /centers/:centerId/invitations/:invitationId/revocation': managers,
  'GET /invitations/:token': everyone,
  'POST /invitations/:token': everyone,
  'GET /welcome': everyone,
  'GET /centers/:centerId/members': managers,
  'POST /centers/:centerId/memberships/:membershipId/deactivation': managers,
  'POST /centers/:centerId/memberships/:membershipId/role': managers,
  'POST /centers/:centerId/memberships/:membershipId/password-reset-links': managers,
  'GET /centers/:centerId/password-reset-links/:invitationId': managers,
  'GET /password-resets/:token': everyone,
  'POST /password-resets/:token': everyone,
  'GET /centers/:centerId/audit': managers,
  'GET /centers/:centerId/trainings': anyMember,
  'POST /centers/:centerId/trainings': managers,
  'POST /centers/:centerId/trainings/:centerTrainingId/archival': managers,
  'GET /centers/:centerId/my/trainings': ownPages,
  'POST /centers/:centerId/my/trainings': ownPages,
  'POST /centers/:centerId/training-records/:recordId/verification': managers,
  'POST /centers/:centerId/training-records/:recordId/rejection': managers,
  'GET /centers/:centerId/training-records/:recordId/file': ownFile,
  'GET /centers/:centerId/volunteers': managers,
  'GET /centers/:centerId/volunteers.csv': managers,
  'GET /centers/:centerId/import': managers,
  'POST /centers/:centerId/import/preview': managers,
  'POST /centers/:centerId/import': managers,
  'GET /centers/:centerId/import/templates/:kind': managers,
  'GET /centers/:centerId/children.csv': managers,
  'GET /centers/:centerId/people.csv': managers,
  'GET /centers/:centerId/people/:personId/background-study': managers,
  'POST /centers/:centerId/people/:personId/background-study': managers,
  'GET /centers/:centerId/my/availability': ownPages,
  'POST /centers/:centerId/my/availability': ownPages,
  'GET /centers/:centerId/my/alerts': anyMember,
  'POST /centers/:centerId/my/alerts': anyMember,
  // This phone's push subscription, one's own; a device in the list is removed only by its own user (the walk's is the volunteer's).
  'POST /centers/:centerId/my/alerts/push-subscriptions': anyMember,
  'POST /centers/:centerId/my/alerts/push-subscriptions/:subscriptionId/removal': ownNotice,
  // One's own calendar link; the feed needs no session (its token is the credential: a wrong one is 404, below).
  'POST /centers/:centerId/my/calendar-feed': anyMember,
  'POST /centers/:centerId/my/calendar-feed/revocation': anyMember,
  'GET /calendar/:feedToken.ics': everyone,
  'GET /organizations/:organizationId/centers/new': organizationOwners,
  'POST /organizations/:organizationId/centers': organizationOwners,
  'GET /organizations/:organizationId/setup': organizationOwners,
  'GET /centers/:centerId/setup': managers,
  'GET /centers/:centerId/settings': owners,
  'POST /centers/:centerId/settings': owners,
  'GET /centers/:centerId/rooms': anyMember,
  'GET /centers/:centerId/rooms/new': managers,
  'POST /centers/:centerId/rooms': managers,
  'GET /centers/:centerId/rooms/:roomId/edit': managers,
  'POST /centers/:centerId/rooms/:roomId/edit': managers,
  'POST /centers/:centerId/rooms/:roomId/archive': managers,
  'POST /centers/:centerId/rooms/:roomId/unarchive': managers,
  'GET /centers/:centerId/children': careStaff,
  'GET /centers/:centerId/children/new': managers,
  'POST /centers/:centerId/children': managers,
  'GET /centers/:centerId/children/:childId/edit': managers,
  'POST /centers/:centerId/children/:childId/edit': managers,
  'POST /centers/:centerId/children/:childId/archive': managers,
  'POST /centers/:centerId/children/:childId/unarchive': managers,
  'GET /centers/:centerId/people': managers,
  'GET /centers/:centerId/people/new': managers,
  'POST /centers/:centerId/people': managers,
  'GET /centers/:centerId/people/:personId/edit': managers,
  'POST /centers/:centerId/people/:personId/edit': managers,
  'POST /centers/:centerId/people/:personId/archive': managers,
  'POST /centers/:centerId/people/:personId/unarchive': managers,
  // Check-in and the board: a volunteer opens a room page and starts or ends their own time (the body names their own person).
  'GET /centers/:centerId/rooms/:roomId': anyMember,
  'POST /centers/:centerId/rooms/:roomId/check-ins': careStaff,
  'POST /centers/:centerId/rooms/:roomId/check-outs': careStaff,
  'POST /centers/:centerId/rooms/:roomId/child-moves': careStaff,
  'POST /centers/:centerId/rooms/:roomId/arrivals': anyMember,
  'POST /centers/:centerId/rooms/:roomId/departures': anyMember,
  'POST /centers/:centerId/rooms/:roomId/person-moves': anyMember,
  'POST /centers/:centerId/rooms/:roomId/handoff-notes': careStaff,
  'POST /centers/:centerId/rooms/:roomId/headcounts': careStaff,
  'POST /centers/:centerId/headcounts/:checkId/resolution': careStaff,
  'POST /centers/:centerId/rooms/:roomId/activity': careStaff,
  'GET /centers/:centerId/rooms/:roomId/history': careStaff,
  'GET /centers/:centerId/board': careStaff,
  'GET /centers/:centerId/board/wall': careStaff,
  'GET /centers/:centerId/board/events': careStaff,
  // Schedules and the day plan: directors edit the week and each day; staff see plans and mark absences.
  'GET /centers/:centerId/plan': careStaff,
  'GET /centers/:centerId/rooms/:roomId/plan': careStaff,
  'POST /centers/:centerId/plan/shifts': managers,
  'POST /centers/:centerId/plan/shifts/:shiftId/edit': managers,
  'POST /centers/:centerId/plan/shifts/:shiftId/cancellation': managers,
  'POST /centers/:centerId/plan/shifts/:shiftId/breaks': managers,
  'POST /centers/:centerId/plan/breaks/:breakId/removal': managers,
  'POST /centers/:centerId/children/:childId/absences': careStaff,
  'POST /centers/:centerId/absences/:absenceId/removal': careStaff,
  'GET /centers/:centerId/schedules': managers,
  'POST /centers/:centerId/schedules/templates': managers,
  'POST /centers/:centerId/schedules/today': managers,
  'POST /centers/:centerId/schedules/templates/:templateId/removal': managers,
  'POST /centers/:centerId/rooms/:roomId/naps': managers,
  'POST /centers/:centerId/rooms/:roomId/naps/:napId/removal': managers,
  // Cover: staff ask, directors assign and decide claims, people with a person on file take it.
  'GET /centers/:centerId/cover-requests': careStaff,
  'GET /centers/:centerId/cover-requests/new': careStaff,
  'POST /centers/:centerId/cover-requests': careStaff,
  'GET /centers/:centerId/cover-requests/:requestId': careStaff,
  'POST /centers/:centerId/cover-requests/:requestId/cancellation': careStaff,
  // Widening and raising an open request: whoever may ask for cover (the walk's request is filled, so each is refused with 409).
  'POST /centers/:centerId/cover-requests/:requestId/widening': careStaff,
  'POST /centers/:centerId/cover-requests/:requestId/raising': careStaff,
  'POST /centers/:centerId/cover-requests/:requestId/assignments': managers,
  'POST /centers/:centerId/cover-claims/:claimId/approval': managers,
  'POST /centers/:centerId/cover-claims/:claimId/declination': managers,
  'POST /centers/:centerId/rooms/:roomId/help-requests': careStaff,
  // "What can fix this": directors move someone over or assign a call-in; whoever may ask for cover asks everyone eligible (the walk's window is over: 409, nothing stored).
  'POST /centers/:centerId/rooms/:roomId/remedies/moves': managers,
  'POST /centers/:centerId/rooms/:roomId/remedies/assignments': managers,
  'POST /centers/:centerId/rooms/:roomId/remedies/merges': managers,
  'POST /centers/:centerId/rooms/:roomId/remedies/asks': careStaff,
  'POST /centers/:centerId/room-merges/:mergeId/end': managers,
  'POST /centers/:centerId/rooms/:roomId/remedies/cover-requests': careStaff,
  'GET /centers/:centerId/cover': ownPages,
  'POST /centers/:centerId/cover-requests/:requestId/claims': ownPages,
  'POST /centers/:centerId/cover-claims/:claimId/withdrawal': ownClaim,
  'GET /centers/:centerId/my/shifts.ics': ownPages,
  'GET /notices': signedIn,
  'POST /notices/:noticeId/read': ownNotice,
  'POST /notices/read': signedIn,
  // Reports (page and one CSV per section) and the owner's network page.
  'GET /centers/:centerId/reports': managers,
  'GET /centers/:centerId/reports/ratio-history.csv': managers,
  'GET /centers/:centerId/reports/cover-requests.csv': managers,
  'GET /centers/:centerId/reports/presences.csv': managers,
  'GET /organizations/:organizationId/network': organizationOwners,
};

// Bodies that pass validation where that matters, so "allowed" means the handler ran to the end.
const BODIES: Record<string, Record<string, string>> = {
  'POST /sign-in': { email: 'nobody@example.test', password: 'wrong password' },
  'POST /centers/:centerId/invitations': { role: 'volunteer' },
  'POST /centers/:centerId/memberships/:membershipId/role': { role: 'volunteer' },
  // The one-time-link forms are sent empty (422): a valid one would use up the link.
  'POST /invitations/:token': {},
  'POST /password-resets/:token': {},
  'POST /centers/:centerId/trainings': { code: 'headcount', label: 'Headcount procedure', roles: 'volunteer', gate: 'none' },
  'POST /centers/:centerId/my/trainings': { trainingId: 'suid', completedOn: '2026-02-01', provider: 'Red Cross' },
  'POST /centers/:centerId/training-records/:recordId/rejection': { reason: 'The certificate is unreadable.' },
  'POST /centers/:centerId/people/:personId/background-study': { status: 'cleared', clearedOn: '2026-02-01' },
  'POST /centers/:centerId/my/availability': { form: 'weekly', start1: '09:00', end1: '12:00' },
  'POST /centers/:centerId/my/alerts': { email: 'on', quietStart: '21:00', quietEnd: '06:00' },
  'POST /centers/:centerId/my/alerts/push-subscriptions': { endpoint: 'https://push.example.test/walk', p256dh: 'BHDNaN2snK0PYsmNKIIuOU20HGbXN5Dk-Ag-NMNF46Fn0Lp979XhZkUpdZKFR4MHF1PZBp8h11AjUf3OC3Xqk00', auth: 'eDCvpm4rBDaum4xxn-zAXA' },
  'POST /organizations/:organizationId/centers': { name: 'Walk Center', packId: 'MN', timeZone: 'America/Chicago', opensAt: '06:30', closesAt: '18:00' },
  // The home center's own settings, unchanged: nothing is written, the name stays for the refusal check.
  'POST /centers/:centerId/settings': { name: 'Home Center', packId: 'MN', timeZone: 'America/Chicago', opensAt: '06:30', closesAt: '18:00', forecastHorizonMinutes: '60', graceMinutes: '10', expiryLeadDays: '30', claimMode: 'first_claim' },
  'POST /centers/:centerId/rooms': { name: 'Walk room', ageCategories: 'preschooler', licensedCapacity: '10' },
  'POST /centers/:centerId/rooms/:roomId/edit': { name: 'Toddlers', ageCategories: 'toddler', licensedCapacity: '14' },
  'POST /centers/:centerId/people': { displayName: 'Walk Person', role: 'aide', adultAttested: 'on' },
  'POST /centers/:centerId/people/:personId/edit': { displayName: 'Volunteer on file', role: 'volunteer', qualifiesAs: 'aide', adultAttested: 'on' },
  // The child forms name a home room: filled in once the center is seeded.
  'POST /centers/:centerId/rooms/:roomId/handoff-notes': { body: 'Walk note.' },
  'POST /centers/:centerId/rooms/:roomId/headcounts': { counted: '0' },
  'POST /centers/:centerId/rooms/:roomId/activity': { activity: 'outdoor' },
  'POST /centers/:centerId/plan/shifts/:shiftId/edit': { roomId: '', start: '07:00', end: '09:00' },
  'POST /centers/:centerId/plan/shifts/:shiftId/breaks': { start: '07:30', end: '07:45' },
  'POST /centers/:centerId/children/:childId/absences': { day: '2026-03-02' },
  'POST /centers/:centerId/rooms/:roomId/naps': { start: '12:30', end: '14:30' },
  'POST /centers/:centerId/cover-requests/:requestId/assignments': { personId: '00000000-0000-4000-8000-000000000000', start: '15:00', end: '17:00' },
  'POST /centers/:centerId/cover-requests/:requestId/widening': { start: '14:00', end: '17:00' },
  'POST /centers/:centerId/cover-requests/:requestId/raising': { count: '2' },
  'POST /centers/:centerId/rooms/:roomId/remedies/moves': { key: 'move:a:b>c@1-2', start: '1', end: '2' },
  'POST /centers/:centerId/rooms/:roomId/remedies/assignments': { key: 'call_in:a@1-2', start: '1', end: '2' },
  'POST /centers/:centerId/rooms/:roomId/remedies/merges': { key: 'merge:a>b@1-2', start: '1', end: '2' },
  'POST /centers/:centerId/rooms/:roomId/remedies/asks': { key: 'call_in:a@1-2', start: '1', end: '2' },
  'POST /centers/:centerId/rooms/:roomId/remedies/cover-requests': { start: '1', end: '2' },
};

let deps: Deps;
let app: App;
let home: SeededCenter;
let other: SeededCenter;
let victimMembershipId: string;
let inviteToken: string;
let resetToken: string;
let inviteId: string;
let resetId: string;
let recordId: string;
let centerTrainingId: string;
let childId: string;
let checkId: string;
// The day plan's records the walk acts on, put back after each actor (see the end of each row's walk).
let planRows: { shift: Record<string, unknown>; break: Record<string, unknown>; template: Record<string, unknown>; nap: Record<string, unknown>; absence: Record<string, unknown> };
let requestId: string;
let claimId: string;
let mergeId: string;
let noticeId: string;
let subscriptionRow: Record<string, unknown>;
let feedToken: string;
let uploadsDir: string;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ deps, app, seeded: home, uploadsDir, close } = await seededApp({ uploads: true, center: { name: 'Home Center' } }));
  other = await seedCenter(deps.db, { name: 'Other Center' });
  const at = deps.clock.now();
  // A volunteer the managers act on, so no actor loses their own access mid-walk.
  const victim = await createUser(deps.db, { email: 'victim@example.test', displayName: 'Victim', passwordHash: await hashPassword('x'.repeat(12), TEST_SCRYPT), at });
  if (!victim.ok) throw new Error('victim');
  victimMembershipId = (await createMembership(deps.db, { userId: victim.user.id, organizationId: home.organization.id, centerId: home.center.id, role: 'volunteer', at })).id;
  const invite = await createInvitation(deps.db, { purpose: 'invite', organizationId: home.organization.id, centerId: home.center.id, role: 'staff', createdByUserId: home.users.director.id, at });
  const reset = await createInvitation(deps.db, { purpose: 'reset', organizationId: home.organization.id, centerId: home.center.id, userId: victim.user.id, createdByUserId: home.users.director.id, at });
  ({ token: inviteToken, invitation: { id: inviteId } } = invite);
  ({ token: resetToken, invitation: { id: resetId } } = reset);
  // The home volunteer's record awaiting review, with a certificate; and a center training to archive.
  const file = { path: await storeCertificate(uploadsDir, home.center.id, Buffer.from('%PDF-1.4 test')), type: 'application/pdf', size: 13 };
  recordId = (await createTrainingRecord(deps.db, { centerId: home.center.id, personId: home.people.volunteer.id, trainingId: 'suid', completedOn: '2026-02-01', status: 'submitted', file, at })).id;
  const made = await createCenterTraining(deps.db, { centerId: home.center.id, code: 'accident-reporting', label: 'Accident reporting', renewalMonths: null, roles: ['volunteer'], categories: [], gate: 'none', at });
  if (!made.ok) throw new Error('center training');
  centerTrainingId = made.training.id;
  childId = (await createChild(deps.db, { centerId: home.center.id, displayName: 'Walk C.', birthDate: '2024-06-01', homeRoomId: home.rooms.toddlers.id, at })).id;
  const child = { displayName: 'Walk C.', birthDate: '2024-06-01', homeRoomId: home.rooms.toddlers.id, attends1: 'on', arrive1: '08:00', depart1: '15:00' };
  BODIES['POST /centers/:centerId/children'] = child;
  BODIES['POST /centers/:centerId/children/:childId/edit'] = child;
  // Presences: the walk's child and the volunteer's own person, moved to Infants; a headcount mismatch to resolve.
  for (const what of ['check-ins', 'check-outs', 'child-moves']) BODIES[`POST /centers/:centerId/rooms/:roomId/${what}`] = { childId, toRoomId: home.rooms.infants.id };
  for (const what of ['arrivals', 'departures', 'person-moves']) BODIES[`POST /centers/:centerId/rooms/:roomId/${what}`] = { personId: home.people.volunteer.id, toRoomId: home.rooms.infants.id };
  // Cover: a request for Infants 15:00-17:00 taken by the volunteer, and a notice for the volunteer.
  requestId = newId();
  await deps.db('cover_requests').insert({ id: requestId, center_id: home.center.id, room_id: home.rooms.infants.id, day: '2026-03-02', starts_at: '2026-03-02T21:00:00.000Z', ends_at: '2026-03-02T23:00:00.000Z', people_needed: 1, needs: '', trainings: '', reason: null, urgent: false, status: 'filled', version: 1, created_at: at.toISOString(), created_by_user_id: home.users.staff.id, closed_at: null });
  // A merge of Toddlers into Infants (far ahead, judged nowhere today) for the un-merge's row.
  mergeId = newId();
  await deps.db('room_merges').insert({ id: mergeId, center_id: home.center.id, from_room_id: home.rooms.toddlers.id, into_room_id: home.rooms.infants.id, starts_at: '2030-03-04T14:00:00.000Z', ends_at: '2030-03-04T15:00:00.000Z', ended_at: null, created_by_user_id: home.users.director.id, created_at: at.toISOString() });
  claimId = newId();
  await deps.db('cover_claims').insert({ id: claimId, cover_request_id: requestId, center_id: home.center.id, person_id: home.people.volunteer.id, seat: 0, starts_at: '2026-03-02T21:00:00.000Z', ends_at: '2026-03-02T23:00:00.000Z', kind: 'claim', status: 'accepted', shift_id: null, created_at: at.toISOString(), created_by_user_id: home.users.volunteer.id, decided_at: null, decided_by_user_id: null, closed_at: null });
  noticeId = newId();
  await deps.db('notices').insert({ id: noticeId, center_id: home.center.id, user_id: home.users.volunteer.id, kind: 'cover_request_new', body: 'Cover needed.', link: `/centers/${home.center.id}/cover`, cover_request_id: requestId, dedupe_key: null, created_at: at.toISOString(), read_at: null });
  BODIES['POST /centers/:centerId/cover-requests'] = { roomId: home.rooms.infants.id, day: '2026-03-02', start: '15:00', end: '17:00', count: '1' };
  // The day plan: a shift with a break in Toddlers, a template, a nap, and the walk child away tomorrow.
  planRows = {
    shift: { id: newId(), center_id: home.center.id, room_id: home.rooms.toddlers.id, person_id: home.people.teacher.id, day: '2026-03-02', starts_at: '2026-03-02T13:00:00.000Z', ends_at: '2026-03-02T15:00:00.000Z', source: 'plan', created_at: at.toISOString() },
    break: {},
    template: { id: newId(), center_id: home.center.id, person_id: home.people.teacher.id, room_id: home.rooms.toddlers.id, weekday: 3, start: '07:00', end: '09:00', created_at: at.toISOString() },
    nap: { id: newId(), center_id: home.center.id, room_id: home.rooms.toddlers.id, start: '09:30', end: '10:00', created_at: at.toISOString() },
    absence: { id: newId(), center_id: home.center.id, child_id: childId, day: '2026-03-03', created_at: at.toISOString() },
  };
  planRows.break = { id: newId(), shift_id: planRows.shift.id, starts_at: '2026-03-02T14:00:00.000Z', ends_at: '2026-03-02T14:10:00.000Z' };
  for (const [table, row] of [['shifts', planRows.shift], ['shift_breaks', planRows.break], ['shift_templates', planRows.template], ['room_naps', planRows.nap], ['child_absences', planRows.absence]] as const) await deps.db(table).insert(row);
  BODIES['POST /centers/:centerId/plan/shifts'] = { day: '2026-03-02', personId: home.people.teacher.id, roomId: home.rooms.toddlers.id, start: '09:00', end: '10:00' };
  BODIES['POST /centers/:centerId/plan/shifts/:shiftId/edit']!.roomId = home.rooms.toddlers.id;
  BODIES['POST /centers/:centerId/schedules/templates'] = { personId: home.people.teacher.id, roomId: home.rooms.toddlers.id, weekdays: '4', start: '07:00', end: '09:00' };
  // The victim's calendar link: no actor's "make a new link" replaces it.
  feedToken = await makeCalendarFeed(deps.db, (await findActiveMemberInCenter(deps.db, victim.user.id, home.center.id))!, at);
  // The volunteer's phone, for the removal's row.
  subscriptionRow = { id: newId(), user_id: home.users.volunteer.id, endpoint: 'https://push.example.test/volunteer', p256dh: BODIES['POST /centers/:centerId/my/alerts/push-subscriptions']!.p256dh, auth: 'eDCvpm4rBDaum4xxn-zAXA', label: null, created_at: at.toISOString(), last_ok_at: null };
  await deps.db('push_subscriptions').insert(subscriptionRow);
  checkId = newId();
  await deps.db('headcount_checks').insert({ id: checkId, center_id: home.center.id, room_id: home.rooms.toddlers.id, counted: 3, expected: 2, recorded_by_user_id: home.users.staff.id, at: at.toISOString() });
});
afterAll(() => close());

const userOf = (actor: Actor): TestUser | undefined => (actor === 'signedOut' ? undefined : actor === 'otherCenter' ? other.users.director : home.users[actor]);

const fill = (path: string, center: SeededCenter, membershipId: string, ids: { recordId?: string; centerTrainingId?: string } = {}) =>
  path
    .replace(':centerId', center.center.id)
    .replace(':membershipId', membershipId)
    .replace(':recordId', ids.recordId ?? recordId)
    .replace(':centerTrainingId', ids.centerTrainingId ?? centerTrainingId)
    .replace(':personId', center.people.volunteer.id)
    .replace(':organizationId', center.organization.id)
    .replace(':roomId', center.rooms.toddlers.id)
    .replace(':childId', childId)
    .replace(':kind', 'children.csv')
    .replace(':checkId', checkId)
    .replace(':shiftId', String(planRows.shift.id))
    .replace(':breakId', String(planRows.break.id))
    .replace(':templateId', String(planRows.template.id))
    .replace(':napId', String(planRows.nap.id))
    .replace(':absenceId', String(planRows.absence.id))
    .replace(':requestId', requestId)
    .replace(':claimId', claimId)
    .replace(':mergeId', mergeId)
    .replace(':noticeId', noticeId)
    .replace(':subscriptionId', String(subscriptionRow.id))
    .replace(':feedToken', feedToken)
    .replace(':token', path.startsWith('/invitations') ? inviteToken : resetToken)
    .replace(':invitationId', path.includes('password-reset-links') ? resetId : inviteId);

async function agentFor(actor: Actor): Promise<Agent> {
  const user = userOf(actor);
  return user ? signInAs(app, user) : anAgent(app);
}

/** A GET; an event stream is read up to its first chunk, then hung up on (it never ends by itself). */
function get(agent: Agent, url: string) {
  if (!url.endsWith('/board/events')) return agent.get(url);
  return agent
    .get(url)
    .buffer(true)
    .parse((res, done) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        if (String(res.headers['content-type']).startsWith('text/event-stream')) {
          (res as unknown as { text: string }).text = text;
          done(null, text);
          (res as unknown as { destroy(): void }).destroy();
        }
      });
      res.on('end', () => {
        (res as unknown as { text: string }).text = text;
        done(null, text);
      });
    });
}

function outcomeOf(res: request.Response): Outcome | number {
  if (res.status === 303 && res.headers.location === '/sign-in') return 'sign-in';
  if (res.status === 403 || res.status === 404) return res.status;
  if (res.status < 500) return 'ok';
  return res.status;
}

describe('authorization', () => {
  const routes = () => listRoutes(app);

  it('has a guard with a registered policy and a row in this table for every route', () => {
    for (const r of routes()) {
      const key = `${r.method} ${r.path}`;
      expect(r.action, `${key} has no guard(deps, action) as its first handler`).toBeDefined();
      expect(Object.keys(POLICIES), `${key}: unknown action ${r.action}`).toContain(r.action);
      expect(Object.keys(EXPECTED), `${key} has no row in the authorization table`).toContain(key);
    }
    expect(Object.keys(EXPECTED).sort()).toEqual(routes().map((r) => `${r.method} ${r.path}`).sort());
  });

  for (const [key, expected] of Object.entries(EXPECTED)) {
    const [method, path] = key.split(' ') as [string, string];
    it(`${key}: ${ACTORS.map((a, i) => `${a} ${expected[i]}`).join(', ')}`, async () => {
      for (const [i, actor] of ACTORS.entries()) {
        const agent = await agentFor(actor);
        const url = fill(path, home, victimMembershipId);
        const res = method === 'GET' ? await get(agent, url) : await agent.submit(url, BODIES[key] ?? {});
        expect(outcomeOf(res), `${actor}: ${method} ${url} answered ${res.status} ${res.headers.location ?? ''}`).toBe(expected[i]);
        // A refusal never shows the center's data.
        if (res.status === 403 || res.status === 404) expect(res.text).not.toContain(home.center.name);
        // Undo what an allowed manager did to the victim, for the next actor.
        await deps.db('memberships').where({ id: victimMembershipId }).update({ deactivated_at: null, role: 'volunteer' });
        await deps.db('training_records').where({ id: recordId }).update({ status: 'submitted', rejection_reason: null });
        await deps.db('center_trainings').where({ id: centerTrainingId }).update({ archived_at: null });
        await deps.db('rooms').where({ id: home.rooms.toddlers.id }).update({ archived_at: null });
        await deps.db('children').where({ id: childId }).update({ archived_at: null });
        await deps.db('people').where({ id: home.people.volunteer.id }).update({ archived_at: null });
        // The day plan's records: the shift planned again, and what a removal deleted put back.
        await deps.db('shifts').where({ id: planRows.shift.id }).update({ cancelled_at: null, cancelled_by_user_id: null });
        for (const [table, row] of [['shift_breaks', planRows.break], ['shift_templates', planRows.template], ['room_naps', planRows.nap], ['child_absences', planRows.absence]] as const) {
          await deps.db(table).insert(row).onConflict('id').ignore();
        }
        // The volunteer's cover stays theirs (a withdrawal or a cancellation is undone) and their notice unread.
        await deps.db('cover_requests').where({ id: requestId }).update({ status: 'filled', closed_at: null });
        await deps.db('cover_claims').where({ id: claimId }).update({ status: 'accepted', closed_at: null });
        await deps.db('notices').where({ id: noticeId }).update({ read_at: null });
        await deps.db('push_subscriptions').insert(subscriptionRow).onConflict('id').ignore();
        await deps.db('room_merges').where({ id: mergeId }).update({ ended_at: null });
        // The walk's one-time links stand again after a revocation.
        await deps.db('invitations').whereIn('id', [inviteId, resetId]).update({ revoked_at: null });
      }
    });
  }

  it('answers 404 to a calendar link with a wrong token, signed in or not', async () => {
    for (const actor of ['signedOut', 'volunteer'] as const) {
      const agent = await agentFor(actor);
      expect((await agent.get(`/calendar/${'x'.repeat(43)}.ics`)).status).toBe(404);
      expect((await agent.get(`/calendar/${feedToken.slice(0, -1)}${feedToken.endsWith('A') ? 'B' : 'A'}.ics`)).status).toBe(404);
    }
    expect((await anAgent(app).get(`/calendar/${feedToken}.ics`)).status).toBe(200);
  });

  it("answers 404 to a director using a record id of another center in their own center's paths", async () => {
    const director = await signInAs(app, home.users.director);
    for (const r of routes().filter((x) => x.path.includes(':membershipId'))) {
      const url = fill(r.path, home, other.memberships.volunteer.id);
      const res = r.method === 'GET' ? await director.get(url) : await director.submit(url, BODIES[`${r.method} ${r.path}`] ?? {});
      expect(res.status, url).toBe(404);
    }
    expect(await deps.db('memberships').where({ id: other.memberships.volunteer.id }).first()).toMatchObject({ deactivated_at: null, role: 'volunteer' });
  });

  it("answers 404 to a director using another center's training record, person or center training in their own center's paths", async () => {
    const director = await signInAs(app, home.users.director);
    const theirs = await deps.db('training_records').where({ center_id: other.center.id }).first();
    await deps.db('training_records').where({ id: theirs.id }).update({ status: 'submitted' });
    const made = await createCenterTraining(deps.db, { centerId: other.center.id, code: 'theirs', label: 'Theirs', renewalMonths: null, roles: ['volunteer'], categories: [], gate: 'none', at: deps.clock.now() });
    if (!made.ok) throw new Error('center training');
    const mixed = (path: string) => fill(path, home, home.memberships.volunteer.id, { recordId: theirs.id, centerTrainingId: made.training.id }).replace(home.people.volunteer.id, other.people.volunteer.id);
    for (const r of routes().filter((x) => /:recordId|:personId|:centerTrainingId/.test(x.path))) {
      const url = mixed(r.path);
      const res = r.method === 'GET' ? await director.get(url) : await director.submit(url, BODIES[`${r.method} ${r.path}`] ?? {});
      expect(res.status, url).toBe(404);
    }
    expect(await deps.db('training_records').where({ id: theirs.id }).first()).toMatchObject({ status: 'submitted' });
    expect(await deps.db('center_trainings').where({ id: made.training.id }).first()).toMatchObject({ archived_at: null });
  });

  it("answers 404 to a director using another center's room or child in their own center's paths", async () => {
    const director = await signInAs(app, home.users.director);
    const theirChild = await createChild(deps.db, { centerId: other.center.id, displayName: 'Other C.', birthDate: '2024-06-01', homeRoomId: other.rooms.toddlers.id, at: deps.clock.now() });
    const crossed = (path: string) => fill(path, home, home.memberships.volunteer.id).replace(home.rooms.toddlers.id, other.rooms.toddlers.id).replace(childId, theirChild.id);
    for (const r of routes().filter((x) => /:roomId\/|:childId/.test(x.path) && x.path.startsWith('/centers/:centerId/'))) {
      if (r.path.includes(':roomId') && !/\/(edit|archive|unarchive)$/.test(r.path)) continue; // the room page and check-ins have their own tests
      const url = crossed(r.path);
      const res = r.method === 'GET' ? await director.get(url) : await director.submit(url, BODIES[`${r.method} ${r.path}`] ?? {});
      expect(res.status, url).toBe(404);
    }
    expect(await deps.db('rooms').where({ id: other.rooms.toddlers.id }).first()).toMatchObject({ name: 'Toddlers', archived_at: null });
    expect(await deps.db('children').where({ id: theirChild.id }).first()).toMatchObject({ display_name: 'Other C.', archived_at: null });
  });

  it('answers 404, not 403, to a center id that does not exist or is malformed', async () => {
    const director = await signInAs(app, home.users.director);
    expect((await director.get('/centers/00000000-0000-4000-8000-000000000000/audit')).status).toBe(404);
    expect((await director.get('/centers/not-a-center/audit')).status).toBe(404);
  });

  it('lets an owner act in every center of their organization, and no other', async () => {
    const sibling = await seedCenter(deps.db, { organization: home.organization, name: 'Sibling Center' });
    const owner = await signInAs(app, home.users.owner);
    expect((await owner.get(`/centers/${sibling.center.id}/audit`)).status).toBe(200);
    expect((await owner.get(`/centers/${other.center.id}`)).status).toBe(404);
  });
});
