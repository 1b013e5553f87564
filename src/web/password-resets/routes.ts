import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { appendAudit } from '../../db/audit.js';
import { findUsableInvitation, markInvitationUsed, revokeOtherResetLinksFor } from '../../db/invitations.js';
import { hasActiveMembership } from '../../db/memberships.js';
import type { Invitation, User } from '../../db/rows.js';
import { clearSignInAccount } from '../../db/sign-in-attempts.js';
import { findUserById, setPassword } from '../../db/users.js';
import { hashPassword } from '../../passwords.js';
import { firstRunStepOf } from '../../services/first-run.js';
import type { Deps } from '../deps.js';
import { guard } from '../auth/guard.js';
import { startSession } from '../auth/session.js';
import { LinkGone } from '../errors.js';
import { auditRevokedLinks, makerStillMay } from '../invitations/links.js';
import { fieldErrors, newPassword, passwordConfirmation, passwordsMatch, Token, type FieldErrors } from '../forms.js';

const ResetForm = z.object({ password: newPassword(), passwordConfirmation: passwordConfirmation() }).refine(...passwordsMatch);

export function passwordResetRoutes(deps: Deps): Router {
  const { db, clock } = deps;
  const router = Router();

  /**
   * The link's reset and its user, who must still hold an active membership; and its maker must
   * still be an active member who may make it (an ex-director's link would otherwise sign them in
   * as the person, with the audit log naming the person).
   */
  const usableReset = async (req: Request): Promise<{ invitation: Invitation; user: User }> => {
    const token = Token.safeParse(req.params.token);
    if (!token.success) throw new LinkGone();
    const invitation = await findUsableInvitation(db, token.data, 'reset', clock.now());
    const user = invitation?.userId ? await findUserById(db, invitation.userId) : undefined;
    if (!invitation || !user || !(await hasActiveMembership(db, user.id))) throw new LinkGone();
    if (!(await makerStillMay(db, invitation))) throw new LinkGone();
    return { invitation, user };
  };

  const render = (res: Response, user: User, status: number, errors: FieldErrors) =>
    res.status(status).render('password-resets/show', { title: 'Set your password', email: user.email, firstTime: user.passwordHash === null, errors });

  router.get('/password-resets/:token', guard(deps, 'password_reset.view'), async (req, res) => {
    const { user } = await usableReset(req);
    render(res, user, 200, {});
  });

  router.post('/password-resets/:token', guard(deps, 'password_reset.accept'), async (req, res) => {
    const { invitation, user } = await usableReset(req);
    const form = ResetForm.safeParse(req.body ?? {});
    if (!form.success) return render(res, user, 422, fieldErrors(form.error));
    const passwordHash = await hashPassword(form.data.password, deps.passwordParams);
    const at = clock.now();
    await db.transaction(async (trx) => {
      if (!(await markInvitationUsed(trx, invitation.id, at))) throw new LinkGone();
      // The link used wins: any other reset link for the person, older or newer, ends now.
      const others = await revokeOtherResetLinksFor(trx, { userId: user.id, exceptId: invitation.id, at });
      await auditRevokedLinks(trx, others, { at, actorUserId: user.id }, 'superseded');
      // Also ends every session the user had, wherever it was.
      await setPassword(trx, user.id, passwordHash);
      await appendAudit(trx, {
        at,
        organizationId: invitation.organizationId,
        centerId: invitation.centerId,
        actorUserId: user.id,
        action: 'user.password_reset',
        recordType: 'user',
        recordId: user.id,
        before: { passwordHash: user.passwordHash === null ? null : 'set' },
        after: { passwordHash: 'set', invitationId: invitation.id },
      });
    });
    // The lockout's message sends a locked-out person here: the new password works at once, from any device.
    await clearSignInAccount(db, user.email);
    await startSession(req, (await findUserById(db, user.id))!, at);
    // An owner whose organization has no center yet, or a center with no rooms, goes on with the guided set-up.
    const step = await firstRunStepOf(db, user.id);
    res.redirect(303, step?.step === 'center' ? `/organizations/${step.organizationId}/setup` : step?.step === 'rooms' ? `/centers/${step.centerId}/setup` : '/');
  });

  return router;
}
