import { Router, type Request, type Response } from 'express';
import { actedBy } from '../../services/acted-by.js';
import { z } from 'zod';
import { appendAudit } from '../../db/audit.js';
import { createInvitation, findInvitationInCenter, findOpenInvitationInCenter } from '../../db/invitations.js';
import {
  changeMembershipRole,
  deactivateMembership,
  findMembershipInCenter,
  listMembershipsInCenter,
  type CenterMember,
} from '../../db/memberships.js';
import type { Membership } from '../../db/rows.js';
import { endSessions, findUserById } from '../../db/users.js';
import type { Deps } from '../deps.js';
import { memberOf, userOf } from '../auth/current.js';
import { guard } from '../auth/guard.js';
import { can, manageableRoles, type Action } from '../auth/policy.js';
import { Forbidden, NotFound } from '../errors.js';
import { fieldErrors, type FieldErrors } from '../forms.js';
import { dateText } from '../../words/format.js';
import { ROLE_LABELS } from '../labels.js';
import { oneTimeLink } from '../links.js';
import { auditRevokedLinks, keepLinkToShow, takeLinkToShow } from '../invitations/links.js';
import { idIn } from '../ids.js';

export function memberRoutes(deps: Deps): Router {
  const { db, clock } = deps;
  const router = Router();

  /** Role errors are shown next to the select of the membership they were about. */
  const renderIndex = async (res: Response, member: CenterMember, status: number, failed?: { membershipId: string; value: string; errors: FieldErrors }) => {
    const rows = await listMembershipsInCenter(db, member.center.id);
    const grantable = manageableRoles(member);
    res.status(status).render('members/index', {
      title: 'Members',
      center: { id: member.center.id, name: member.center.name },
      members: rows.map((m) => {
        const subject = { role: m.role, userId: m.userId };
        const active = m.deactivatedAt === null;
        const mine = failed?.membershipId === m.id;
        const chosen = mine ? failed.value : m.role;
        return {
          id: m.id,
          displayName: m.displayName,
          email: m.email,
          role: ROLE_LABELS[m.role],
          personName: m.personName !== m.displayName ? m.personName : null,
          active,
          deactivatedAt: m.deactivatedAt && dateText(m.deactivatedAt, member.center.timeZone, { year: true, time: true }),
          canDeactivate: active && can(member, 'membership.deactivate', subject),
          canReset: active && can(member, 'password_reset_link.create', subject),
          canChangeRole: active && can(member, 'membership.change_role', subject),
          roleOptions: grantable.map((r) => ({ value: r, label: ROLE_LABELS[r], selected: r === chosen })),
          roleError: mine ? failed.errors.role : undefined,
        };
      }),
    });
  };

  /** The membership in the path, in this center (404 otherwise), that the member may act on (403 otherwise). */
  const targetOf = async (req: Request, action: Action): Promise<Membership> => {
    const member = memberOf(req);
    const id = idIn(req.params.membershipId);
    const target = id ? await findMembershipInCenter(db, member.center.id, id) : undefined;
    if (!target) throw new NotFound('membership');
    if (!can(member, action, { role: target.role, userId: target.userId })) throw new Forbidden(action);
    return target;
  };

  router.get('/centers/:centerId/members', guard(deps, 'members.list'), async (req, res) => {
    await renderIndex(res, memberOf(req), 200);
  });

  router.post('/centers/:centerId/memberships/:membershipId/deactivation', guard(deps, 'membership.deactivate'), async (req, res) => {
    const member = memberOf(req);
    const target = await targetOf(req, 'membership.deactivate');
    const at = clock.now();
    await db.transaction(async (trx) => {
      const done = await deactivateMembership(trx, member.center.id, target.id, at);
      if (!done) return;
      // Ends the person's sessions now: the next request from any of them finds the version changed.
      await endSessions(trx, target.userId);
      await appendAudit(trx, {
        ...actedBy(member, at),
        action: 'membership.deactivated',
        recordType: 'membership',
        recordId: target.id,
        before: { deactivatedAt: null },
        after: { deactivatedAt: at.toISOString() },
      });
      // The invitations and reset links they made here ended with the membership they were made on.
      await auditRevokedLinks(trx, done.revokedLinks, { at, actorUserId: member.userId }, 'maker_deactivated');
    });
    res.redirect(303, `/centers/${member.center.id}/members`);
  });

  router.post('/centers/:centerId/memberships/:membershipId/role', guard(deps, 'membership.change_role'), async (req, res) => {
    const member = memberOf(req);
    const target = await targetOf(req, 'membership.change_role');
    const RoleForm = z.object({ role: z.enum(manageableRoles(member), { error: 'Choose one of the roles listed.' }) });
    const form = RoleForm.safeParse(req.body ?? {});
    if (!form.success) {
      const body = (req.body ?? {}) as Record<string, unknown>;
      return renderIndex(res, member, 422, { membershipId: target.id, value: typeof body.role === 'string' ? body.role : '', errors: fieldErrors(form.error) });
    }
    const at = clock.now();
    if (form.data.role !== target.role) {
      await db.transaction(async (trx) => {
        const done = await changeMembershipRole(trx, member.center.id, target.id, form.data.role, at);
        if (!done) return;
        await appendAudit(trx, {
          ...actedBy(member, at),
          action: 'membership.role_changed',
          recordType: 'membership',
          recordId: target.id,
          before: { role: target.role },
          after: { role: form.data.role },
        });
        // Links made under the old role carry its authority, which is gone.
        await auditRevokedLinks(trx, done.revokedLinks, { at, actorUserId: member.userId }, 'maker_role_changed');
      });
    }
    res.redirect(303, `/centers/${member.center.id}/members`);
  });

  router.post('/centers/:centerId/memberships/:membershipId/password-reset-links', guard(deps, 'password_reset_link.create'), async (req, res) => {
    const member = memberOf(req);
    const target = await targetOf(req, 'password_reset_link.create');
    const at = clock.now();
    const { invitation, token } = await db.transaction(async (trx) => {
      const created = await createInvitation(trx, {
        purpose: 'reset',
        organizationId: member.center.organizationId,
        centerId: member.center.id,
        userId: target.userId,
        createdByUserId: userOf(req).id,
        at,
      });
      await appendAudit(trx, {
        ...actedBy(member, at),
        action: 'password_reset_link.created',
        recordType: 'user',
        recordId: target.userId,
        after: { invitationId: created.invitation.id, expiresAt: created.invitation.expiresAt },
      });
      return created;
    });
    // Post/redirect/get: the next page shows the link once; reloading it makes no second link.
    keepLinkToShow(req, invitation.id, `/password-resets/${token}`);
    res.redirect(303, `/centers/${member.center.id}/password-reset-links/${invitation.id}`);
  });

  router.get('/centers/:centerId/password-reset-links/:invitationId', guard(deps, 'password_reset_link.view'), async (req, res) => {
    const member = memberOf(req);
    const id = idIn(req.params.invitationId);
    const invitation = id ? await findInvitationInCenter(db, member.center.id, id, 'reset') : undefined;
    if (!invitation) throw new NotFound('password reset link');
    const path = takeLinkToShow(req, invitation.id);
    const open = path !== undefined && (await findOpenInvitationInCenter(db, member.center.id, invitation.id, 'reset', clock.now())) !== undefined;
    const person = invitation.userId ? await findUserById(db, invitation.userId) : undefined;
    res.render('members/reset-link', {
      title: 'Password reset link',
      center: { id: member.center.id, name: member.center.name },
      displayName: person?.displayName,
      expiresAt: dateText(invitation.expiresAt, member.center.timeZone, { year: true, time: true }),
      link: open ? await oneTimeLink(req, path) : undefined,
    });
  });

  return router;
}
