import { Router, type Request, type Response } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { appendAudit } from '../../db/audit.js';
import { findCenterForMembershipCheck } from '../../db/centers.js';
import {
  countInvitationsMadeSince,
  createInvitation,
  findInvitationInCenter,
  findOpenInvitationInCenter,
  findUsableInvitation,
  listOpenInvitationsInCenter,
  markInvitationUsed,
  revokeInvitation,
} from '../../db/invitations.js';
import { findActiveMembershipOfPerson, hasMembershipInCenter, joinCenter, type CenterMember } from '../../db/memberships.js';
import { clearPersonEmail, createPerson, findPersonInCenter, listPeopleWithoutAccount } from '../../db/people.js';
import { makeBulkInvitations } from '../../services/bulk-invitations.js';
import type { Invitation, User } from '../../db/rows.js';
import { countSignInTry, readSignInCount } from '../../db/sign-in-attempts.js';
import { createUser, findUserByEmail } from '../../db/users.js';
import { hashPassword, verifyPassword } from '../../passwords.js';
import type { Deps } from '../deps.js';
import { actedBy } from '../../services/acted-by.js';
import { attempt, Refusal } from '../../services/refusal.js';
import { memberOf, userOf } from '../auth/current.js';
import { guard } from '../auth/guard.js';
import { can, manageableRoles } from '../auth/policy.js';
import { Forbidden, LinkGone, NotFound } from '../errors.js';
import { confirmSaved, takeFlash, displayName, email, fieldErrors, keptValues, newPassword, passwordConfirmation, passwordsMatch, Token, type FieldErrors } from '../forms.js';
import { dateText } from '../../words/format.js';
import { ROLE_LABELS } from '../labels.js';
import { oneTimeLink } from '../links.js';
import { SIGN_IN_LIMITS } from '../sign-in/limits.js';
import { auditRevokedLinks, keepLinkToShow, makerStillMay, takeLinkToShow } from './links.js';
import { idIn } from '../ids.js';

/**
 * A director may make this many invitations an hour (in all their centers together). Each link
 * lets its holder try one email on the join form; the limit keeps a director's account (or
 * whoever holds it) from minting links by the thousand.
 */
export const INVITATIONS_PER_HOUR = 30;
const HOUR_MS = 60 * 60 * 1000;

/**
 * Why accepting refused, rolling back whatever was begun: the person the invitation names
 * already has an active account acting as them (`person_taken`, told); otherwise the
 * invitation is used up without anyone joining, and why is audited, never told (see the join route).
 */
type NotJoined = 'person_taken' | 'email_taken_meanwhile' | 'already_member';

export function invitationRoutes(deps: Deps): Router {
  const { db, clock } = deps;
  const router = Router();

  const renderIndex = async (
    res: Response,
    member: CenterMember,
    status: number,
    values: Record<string, string>,
    errors: FieldErrors,
    message?: string,
    flash?: ReturnType<typeof takeFlash>,
  ) => {
    const at = clock.now();
    const [open, people] = await Promise.all([listOpenInvitationsInCenter(db, member.center.id, at), listPeopleWithoutAccount(db, member.center.id)]);
    res.status(status).render('invitations/index', {
      flash,
      title: 'Invitations',
      center: { id: member.center.id, name: member.center.name },
      open: open.map((i) => ({
        id: i.id,
        role: i.role ? ROLE_LABELS[i.role] : '',
        personName: i.personName,
        makerName: i.makerName,
        createdAt: dateText(i.createdAt, member.center.timeZone, { year: true, time: true }),
        expiresAt: dateText(i.expiresAt, member.center.timeZone, { year: true, time: true }),
        canRevoke: i.role !== null && can(member, 'invitation.revoke', { role: i.role }),
      })),
      roles: manageableRoles(member).map((r) => ({ value: r, label: ROLE_LABELS[r], selected: values.role === r })),
      people: people.map((p) => ({ value: p.id, label: p.displayName, selected: values.personId === p.id })),
      values,
      errors,
      message,
    });
  };

  /** The invitation in the path, in this center (404 otherwise, and for a malformed id). */
  const invitationInPath = async (req: Request, member: CenterMember): Promise<Invitation> => {
    const id = idIn(req.params.invitationId);
    const invitation = id ? await findInvitationInCenter(db, member.center.id, id, 'invite') : undefined;
    if (!invitation) throw new NotFound('invitation');
    return invitation;
  };

  router.get('/centers/:centerId/invitations', guard(deps, 'invitations.list'), async (req, res) => {
    await renderIndex(res, memberOf(req), 200, { role: 'volunteer', personId: '' }, {}, undefined, takeFlash(req));
  });

  router.post('/centers/:centerId/invitations', guard(deps, 'invitation.create'), async (req, res) => {
    const member = memberOf(req);
    const user = userOf(req);
    const values = keptValues(req, ['role', 'personId']);
    const people = await listPeopleWithoutAccount(db, member.center.id);
    const InvitationForm = z.object({
      role: z.enum(manageableRoles(member), { error: 'Choose a role.' }),
      personId: z
        .string()
        .optional()
        .refine((id) => !id || people.some((p) => p.id === id), 'Choose someone from the list, or nobody.'),
    });
    const form = InvitationForm.safeParse(req.body ?? {});
    if (!form.success) return renderIndex(res, member, 422, values, fieldErrors(form.error));
    // The enum above comes from the policy; asking again keeps the decision in one place.
    if (!can(member, 'invitation.create', { role: form.data.role })) return renderIndex(res, member, 422, values, { role: 'Choose a role.' });

    const at = clock.now();
    // Counted first: a burst of parallel posts may pass the limit by the few in flight, no more.
    if ((await countInvitationsMadeSince(db, user.id, new Date(at.getTime() - HOUR_MS))) >= INVITATIONS_PER_HOUR) {
      return renderIndex(res, member, 429, values, {}, `You have made ${INVITATIONS_PER_HOUR} invitations in the last hour, as many as one person may. Wait an hour, or ask the owner.`);
    }
    const { invitation, token } = await db.transaction(async (trx) => {
      const created = await createInvitation(trx, {
        purpose: 'invite',
        organizationId: member.center.organizationId,
        centerId: member.center.id,
        role: form.data.role,
        personId: form.data.personId || null,
        createdByUserId: user.id,
        at,
      });
      await appendAudit(trx, {
        ...actedBy(member, at),
        action: 'invitation.created',
        recordType: 'invitation',
        recordId: created.invitation.id,
        after: { role: form.data.role, personId: form.data.personId || null, expiresAt: created.invitation.expiresAt },
      });
      return created;
    });
    // Post/redirect/get: the next page shows the link once; reloading it makes no second link.
    keepLinkToShow(req, invitation.id, `/invitations/${token}`);
    res.redirect(303, `/centers/${member.center.id}/invitations/${invitation.id}/link`);
  });

  /**
   * Bulk: one invitation for each person on file with an email and no account (the people
   * list's button). The page answers the POST itself, so the links live only in this response:
   * never in the session, never stored; sending the form again makes no second link for anyone,
   * since people with an open invitation are skipped.
   */
  router.post('/centers/:centerId/invitations/bulk', guard(deps, 'invitations.bulk_create'), async (req, res) => {
    const member = memberOf(req);
    const at = clock.now();
    const { made, skipped, withoutEmail } = await makeBulkInvitations(db, member, (role) => can(member, 'invitation.create', { role }), at);
    const zone = member.center.timeZone;
    res.render('invitations/bulk', {
      title: 'Invitation links',
      center: { id: member.center.id, name: member.center.name },
      expiresAt: made[0] ? dateText(made[0].invitation.expiresAt, zone, { year: true, time: true }) : undefined,
      made: await Promise.all(
        made.map(async (m) => {
          const link = await oneTimeLink(req, `/invitations/${m.token}`);
          return { id: m.invitation.id, name: m.person.displayName, email: m.person.email, role: ROLE_LABELS[m.role].toLowerCase(), url: link.url, qrSvg: link.qrSvg };
        }),
      ),
      skipped: skipped.map((s) => ({
        name: s.person.displayName,
        why:
          s.reason === 'open_invitation'
            ? `has an open invitation until ${dateText(s.until, zone, { year: true, time: true })}: revoke it on the invitations page to make a new link`
            : `would join as ${ROLE_LABELS[s.role].toLowerCase()}, which only the owner may grant`,
      })),
      withoutEmail,
    });
  });

  router.get('/centers/:centerId/invitations/:invitationId/link', guard(deps, 'invitation_link.view'), async (req, res) => {
    const member = memberOf(req);
    const invitation = await invitationInPath(req, member);
    const path = takeLinkToShow(req, invitation.id);
    const open = path !== undefined && (await findOpenInvitationInCenter(db, member.center.id, invitation.id, 'invite', clock.now())) !== undefined;
    const person = invitation.personId ? await findPersonInCenter(db, member.center.id, invitation.personId) : undefined;
    res.render('invitations/created', {
      title: 'Invitation link',
      center: { id: member.center.id, name: member.center.name },
      role: invitation.role ? ROLE_LABELS[invitation.role].toLowerCase() : '',
      personName: person?.displayName,
      expiresAt: dateText(invitation.expiresAt, member.center.timeZone, { year: true, time: true }),
      link: open ? await oneTimeLink(req, path) : undefined,
    });
  });

  router.post('/centers/:centerId/invitations/:invitationId/revocation', guard(deps, 'invitation.revoke'), async (req, res) => {
    const member = memberOf(req);
    const invitation = await invitationInPath(req, member);
    if (invitation.role === null || !can(member, 'invitation.revoke', { role: invitation.role })) throw new Forbidden('invitation.revoke');
    const at = clock.now();
    await db.transaction(async (trx) => {
      // Used, revoked or expired meanwhile (another director, another tab): nothing left to revoke.
      if (!(await revokeInvitation(trx, invitation.id, at))) return;
      await auditRevokedLinks(trx, [invitation], { at, actorUserId: member.userId }, 'revoked_by_director');
    });
    confirmSaved(req, 'Invitation revoked: its link no longer works.');
    res.redirect(303, `/centers/${member.center.id}/invitations`);
  });

  // --- Accepting: the link's token is the only credential, so it is checked before anything else.

  const usableInvitation = async (req: Request): Promise<{ token: string; invitation: Invitation }> => {
    const token = Token.safeParse(req.params.token);
    if (!token.success) throw new LinkGone();
    const invitation = await findUsableInvitation(db, token.data, 'invite', clock.now());
    if (!invitation || !invitation.centerId || !invitation.role) throw new LinkGone();
    // The link is worth what its maker's standing is worth now, not when they made it.
    if (!(await makerStillMay(db, invitation))) throw new LinkGone();
    return { token: token.data, invitation };
  };

  const renderAccept = async (res: Response, invitation: Invitation, status: number, values: Record<string, string>, errors: FieldErrors) => {
    const center = await findCenterForMembershipCheck(db, invitation.centerId!);
    res.status(status).render('invitations/accept', {
      title: 'Join',
      centerName: center?.name,
      role: ROLE_LABELS[invitation.role!].toLowerCase(),
      values,
      errors,
    });
  };

  /** The person the invitation names, when another account already acts as them (then nobody may join as them). */
  const takenPerson = async (invitation: Invitation) => {
    if (!invitation.personId || !(await findActiveMembershipOfPerson(db, invitation.personId))) return undefined;
    return (await findPersonInCenter(db, invitation.centerId!, invitation.personId)) ?? { displayName: 'The person this invitation is for' };
  };

  const renderPersonTaken = async (res: Response, invitation: Invitation, name: string) => {
    const center = await findCenterForMembershipCheck(db, invitation.centerId!);
    res.status(409).render('invitations/accept', {
      title: 'Join',
      centerName: center?.name,
      role: ROLE_LABELS[invitation.role!].toLowerCase(),
      personTaken: `${name} already has an account in ${center?.name ?? 'this center'}, so nobody else can join as them. If that account is yours, sign in with it; otherwise ask your director.`,
    });
  };

  router.get('/invitations/:token', guard(deps, 'invitation.view'), async (req, res) => {
    const { invitation } = await usableInvitation(req);
    const taken = await takenPerson(invitation);
    if (taken) return renderPersonTaken(res, invitation, taken.displayName);
    const person = invitation.personId ? await findPersonInCenter(db, invitation.centerId!, invitation.personId) : undefined;
    // The email on file for the person, if any, as a suggestion: the one typed is the account's.
    await renderAccept(res, invitation, 200, { displayName: person?.displayName ?? '', email: person?.email ?? '' }, {});
  });

  const AcceptForm = z
    .object({ displayName: displayName(), email: email(), password: newPassword(), passwordConfirmation: passwordConfirmation() })
    .refine(...passwordsMatch);
  type AcceptForm = z.infer<typeof AcceptForm>;

  /** The person on file the new membership acts as: the one the invitation names, or for a volunteer a new one. */
  const personFor = async (trx: Knex.Transaction, invitation: Invitation, name: string, at: Date): Promise<string | null> => {
    const centerId = invitation.centerId!;
    let personId = invitation.personId;
    if (personId && !(await findPersonInCenter(trx, centerId, personId))) personId = null;
    // A volunteer's trainings and background study hang off a person record; staff are linked to theirs by the director.
    if (!personId && invitation.role === 'volunteer') personId = (await createPerson(trx, { centerId, displayName: name, role: 'volunteer', at })).id;
    return personId;
  };

  /** The membership the invitation grants, for a user new or old; audited with the acceptance. */
  const join = async (trx: Knex.Transaction, invitation: Invitation, user: User, at: Date) => {
    const centerId = invitation.centerId!;
    const role = invitation.role!;
    const personId = await personFor(trx, invitation, user.displayName, at);
    const joined = await joinCenter(trx, { userId: user.id, organizationId: invitation.organizationId, centerId, role, personId, at });
    // The unique index on the person said no: another invitation for them was accepted meanwhile.
    if (!joined.ok) throw new Refusal<NotJoined>(joined.error === 'person_taken' ? 'person_taken' : 'already_member');
    const entry = { at, organizationId: invitation.organizationId, centerId, actorUserId: user.id };
    await appendAudit(trx, { ...entry, action: 'invitation.accepted', recordType: 'invitation', recordId: invitation.id, before: { usedAt: null }, after: { usedAt: at.toISOString() } });
    await appendAudit(trx, { ...entry, action: 'membership.created', recordType: 'membership', recordId: joined.membership.id, after: { role, personId } });
    // The person now has an account, whose email is used from here on: the one kept on file until now is forgotten.
    if (personId && (await clearPersonEmail(trx, centerId, personId))) {
      await appendAudit(trx, { ...entry, action: 'person.updated', recordType: 'person', recordId: personId, before: { email: 'set' }, after: { email: null, reason: 'joined' } });
    }
  };

  const joinAsNewUser = async (trx: Knex.Transaction, invitation: Invitation, form: AcceptForm, passwordHash: string, at: Date) => {
    const created = await createUser(trx, { email: form.email, displayName: form.displayName, passwordHash, at });
    // Someone took the email between the look-up and now: answered as for any email with an account.
    if (!created.ok) throw new Refusal<NotJoined>('email_taken_meanwhile');
    await appendAudit(trx, {
      at,
      organizationId: invitation.organizationId,
      centerId: invitation.centerId,
      actorUserId: created.user.id,
      action: 'user.created',
      recordType: 'user',
      recordId: created.user.id,
      after: { email: created.user.email, displayName: created.user.displayName },
    });
    await join(trx, invitation, created.user, at);
  };

  /** The link is used up and nobody joins: what the visitor is told is the same as when someone does. */
  const refuse = async (trx: Knex.Transaction, invitation: Invitation, actorUserId: string | null, reason: string, at: Date) => {
    await appendAudit(trx, {
      at,
      organizationId: invitation.organizationId,
      centerId: invitation.centerId,
      actorUserId,
      action: 'invitation.refused',
      recordType: 'invitation',
      recordId: invitation.id,
      before: { usedAt: null },
      after: { usedAt: at.toISOString(), reason },
    });
  };

  /**
   * Joining. The answer is the same 303 to /welcome whether the email is new (an account is
   * made), belongs to an account whose password was typed (the account gets the membership), or
   * belongs to one whose password was not (nobody joins): in every case the link is used up, one
   * scrypt is computed and nobody is signed in, so a link holder cannot learn who uses the app.
   * The person then signs in as anyone does. Why nobody joined is in the audit log.
   */
  router.post('/invitations/:token', guard(deps, 'invitation.accept'), async (req, res) => {
    const { invitation } = await usableInvitation(req);
    const values = keptValues(req, ['displayName', 'email']);
    const form = AcceptForm.safeParse(req.body ?? {});
    if (!form.success) return renderAccept(res, invitation, 422, values, fieldErrors(form.error));
    // About the invitation's person, not the email: telling it reveals nothing of who has an account.
    const taken = await takenPerson(invitation);
    if (taken) return renderPersonTaken(res, invitation, taken.displayName);

    const at = clock.now();
    const existing = await findUserByEmail(db, form.data.email);
    const accountKey = `account:${form.data.email}`;
    // One scrypt either way, so the time taken does not tell whether the email has an account.
    const passwordHash = existing ? null : await hashPassword(form.data.password, deps.passwordParams);
    const passwordOk = existing ? await verifyPassword(form.data.password, existing.passwordHash, deps.passwordParams) : false;
    // Guesses here count toward the account's sign-in limit, and a locked account joins nothing (counted for new emails too, as sign-in does).
    const failures = await readSignInCount(db, accountKey, at, SIGN_IN_LIMITS.windowMs);
    const locked = existing !== undefined && failures >= SIGN_IN_LIMITS.perAccount;
    const joined = await attempt<void, NotJoined>(db, async (trx) => {
      // First use wins; a second submit of the same link, or a revocation meanwhile, finds it gone.
      if (!(await markInvitationUsed(trx, invitation.id, at))) throw new LinkGone();
      if (!existing) return joinAsNewUser(trx, invitation, form.data, passwordHash!, at);
      if (passwordOk && !locked) {
        if (await hasMembershipInCenter(trx, existing.id, invitation.centerId!)) throw new Refusal<NotJoined>('already_member');
        return join(trx, invitation, existing, at);
      }
      await refuse(trx, invitation, null, locked ? 'account_locked' : 'password_mismatch', at);
      if (!passwordOk) await countSignInTry(trx, [{ key: accountKey, account: form.data.email }], at, SIGN_IN_LIMITS.windowMs);
    });
    if (!joined.ok) {
      if (joined.error === 'person_taken') return renderPersonTaken(res, invitation, (await takenPerson(invitation))?.displayName ?? 'The person this invitation is for');
      const reason = joined.error;
      // Rolled back whatever was begun; the link is used up all the same, as in every other case.
      await db.transaction(async (trx) => {
        if (await markInvitationUsed(trx, invitation.id, at)) await refuse(trx, invitation, existing?.id ?? null, reason, at);
      });
    }
    res.redirect(303, '/welcome');
  });

  // Static, and the same for everyone: it must not tell who had an account already.
  router.get('/welcome', guard(deps, 'invitation.view'), (_req, res) => {
    res.render('invitations/welcome', { title: 'Welcome' });
  });

  return router;
}
