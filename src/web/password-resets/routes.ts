import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { appendAudit } from '../../db/audit.js';
import { findUsableInvitation, markInvitationUsed } from '../../db/invitations.js';
import { hasActiveMembership } from '../../db/memberships.js';
import type { Invitation, User } from '../../db/rows.js';
import { clearSignInFailures } from '../../db/sign-in-failures.js';
import { findUserById, setPassword } from '../../db/users.js';
import { hashPassword } from '../../passwords.js';
import type { Deps } from '../app.js';
import { guard } from '../auth/guard.js';
import { startSession } from '../auth/session.js';
import { LinkGone } from '../errors.js';
import { fieldErrors, newPassword, passwordConfirmation, passwordsMatch, Token, type FieldErrors } from '../forms.js';

const ResetForm = z.object({ password: newPassword(), passwordConfirmation: passwordConfirmation() }).refine(...passwordsMatch);

export function passwordResetRoutes(deps: Deps): Router {
  const { db, clock } = deps;
  const router = Router();

  /** The link's reset and its user, who must still hold an active membership. */
  const usableReset = async (req: Request): Promise<{ invitation: Invitation; user: User }> => {
    const token = Token.safeParse(req.params.token);
    if (!token.success) throw new LinkGone();
    const invitation = await findUsableInvitation(db, token.data, 'reset', clock.now());
    const user = invitation?.userId ? await findUserById(db, invitation.userId) : undefined;
    if (!invitation || !user || !(await hasActiveMembership(db, user.id))) throw new LinkGone();
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
    await clearSignInFailures(db, `email:${user.email}`);
    await startSession(req, (await findUserById(db, user.id))!, at);
    res.redirect(303, '/');
  });

  return router;
}
