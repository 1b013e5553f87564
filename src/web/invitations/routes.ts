import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { appendAudit } from '../../db/audit.js';
import { findCenterForMembershipCheck } from '../../db/centers.js';
import { createInvitation, findUsableInvitation, listOpenInvitationsInCenter, markInvitationUsed } from '../../db/invitations.js';
import { createMembership, type CenterMember } from '../../db/memberships.js';
import { createPerson, findPersonInCenter, listPeopleWithoutAccount } from '../../db/people.js';
import type { Invitation } from '../../db/rows.js';
import { createUser, findUserByEmail, findUserById } from '../../db/users.js';
import { hashPassword } from '../../passwords.js';
import type { Deps } from '../app.js';
import { memberOf, userOf } from '../auth/current.js';
import { guard } from '../auth/guard.js';
import { can, manageableRoles } from '../auth/policy.js';
import { startSession } from '../auth/session.js';
import { LinkGone } from '../errors.js';
import { displayName, email, fieldErrors, keptValues, newPassword, passwordConfirmation, passwordsMatch, Token, type FieldErrors } from '../forms.js';
import { formatInstant } from '../format.js';
import { ROLE_LABELS } from '../labels.js';
import { oneTimeLink } from '../links.js';

class EmailTaken extends Error {}

export function invitationRoutes(deps: Deps): Router {
  const { db, clock } = deps;
  const router = Router();

  const renderIndex = async (res: Response, member: CenterMember, status: number, values: Record<string, string>, errors: FieldErrors) => {
    const at = clock.now();
    const [open, people] = await Promise.all([listOpenInvitationsInCenter(db, member.center.id, at), listPeopleWithoutAccount(db, member.center.id)]);
    res.status(status).render('invitations/index', {
      title: 'Invitations',
      center: { id: member.center.id, name: member.center.name },
      open: open.map((i) => ({
        role: i.role ? ROLE_LABELS[i.role] : '',
        createdAt: formatInstant(i.createdAt, member.center.timeZone),
        expiresAt: formatInstant(i.expiresAt, member.center.timeZone),
      })),
      roles: manageableRoles(member).map((r) => ({ value: r, label: ROLE_LABELS[r], selected: values.role === r })),
      people: people.map((p) => ({ value: p.id, label: p.displayName, selected: values.personId === p.id })),
      values,
      errors,
    });
  };

  router.get('/centers/:centerId/invitations', guard(deps, 'invitations.list'), async (req, res) => {
    await renderIndex(res, memberOf(req), 200, { role: 'volunteer', personId: '' }, {});
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
        at,
        organizationId: member.center.organizationId,
        centerId: member.center.id,
        actorUserId: user.id,
        action: 'invitation.created',
        recordType: 'invitation',
        recordId: created.invitation.id,
        after: { role: form.data.role, personId: form.data.personId || null, expiresAt: created.invitation.expiresAt },
      });
      return created;
    });
    const link = await oneTimeLink(req, `/invitations/${token}`);
    res.status(201).render('invitations/created', {
      title: 'Invitation link',
      center: { id: member.center.id, name: member.center.name },
      role: ROLE_LABELS[form.data.role].toLowerCase(),
      expiresAt: formatInstant(invitation.expiresAt, member.center.timeZone),
      link,
    });
  });

  // --- Accepting: the link's token is the only credential, so it is checked before anything else.

  const usableInvitation = async (req: Request): Promise<{ token: string; invitation: Invitation }> => {
    const token = Token.safeParse(req.params.token);
    if (!token.success) throw new LinkGone();
    const invitation = await findUsableInvitation(db, token.data, 'invite', clock.now());
    if (!invitation || !invitation.centerId || !invitation.role) throw new LinkGone();
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

  router.get('/invitations/:token', guard(deps, 'invitation.view'), async (req, res) => {
    const { invitation } = await usableInvitation(req);
    const person = invitation.personId ? await findPersonInCenter(db, invitation.centerId!, invitation.personId) : undefined;
    await renderAccept(res, invitation, 200, { displayName: person?.displayName ?? '', email: '' }, {});
  });

  const AcceptForm = z
    .object({ displayName: displayName(), email: email(), password: newPassword(), passwordConfirmation: passwordConfirmation() })
    .refine(...passwordsMatch);

  router.post('/invitations/:token', guard(deps, 'invitation.accept'), async (req, res) => {
    const { invitation } = await usableInvitation(req);
    const values = keptValues(req, ['displayName', 'email']);
    const form = AcceptForm.safeParse(req.body ?? {});
    if (!form.success) return renderAccept(res, invitation, 422, values, fieldErrors(form.error));
    const emailTaken = () => renderAccept(res, invitation, 422, values, { email: 'This email already has an account. Use another, or ask your director.' });
    if (await findUserByEmail(db, form.data.email)) return emailTaken();

    const passwordHash = await hashPassword(form.data.password, deps.passwordParams);
    const at = clock.now();
    const centerId = invitation.centerId!;
    const role = invitation.role!;
    let userId: string;
    try {
      userId = await db.transaction(async (trx) => {
        // First use wins; a second submit of the same link finds it used.
        if (!(await markInvitationUsed(trx, invitation.id, at))) throw new LinkGone();
        const created = await createUser(trx, { email: form.data.email, displayName: form.data.displayName, passwordHash, at });
        if (!created.ok) throw new EmailTaken();
        const user = created.user;
        let personId = invitation.personId;
        if (personId && !(await findPersonInCenter(trx, centerId, personId))) personId = null;
        // A volunteer's trainings and background study hang off a person record; staff are linked to theirs by the director.
        if (!personId && role === 'volunteer') {
          personId = (await createPerson(trx, { centerId, displayName: form.data.displayName, role: 'volunteer', at })).id;
        }
        const membership = await createMembership(trx, { userId: user.id, organizationId: invitation.organizationId, centerId, role, personId, at });
        const entry = { at, organizationId: invitation.organizationId, centerId, actorUserId: user.id };
        await appendAudit(trx, { ...entry, action: 'invitation.accepted', recordType: 'invitation', recordId: invitation.id, before: { usedAt: null }, after: { usedAt: at.toISOString() } });
        await appendAudit(trx, { ...entry, action: 'user.created', recordType: 'user', recordId: user.id, after: { email: user.email, displayName: user.displayName } });
        await appendAudit(trx, { ...entry, action: 'membership.created', recordType: 'membership', recordId: membership.id, after: { role, personId } });
        return user.id;
      });
    } catch (err) {
      if (err instanceof EmailTaken) return emailTaken();
      throw err;
    }
    const user = (await findUserById(db, userId))!;
    await startSession(req, user, at);
    res.redirect(303, `/centers/${centerId}`);
  });

  return router;
}
