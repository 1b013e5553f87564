import { Router, type Response } from 'express';
import { z } from 'zod';
import { appendAudit } from '../../db/audit.js';
import { isDemoOnly } from '../../db/demo.js';
import { hasActiveMembership, listActiveMembershipsOfUser } from '../../db/memberships.js';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../../db/seed-demo.js';
import { findUserByEmail } from '../../db/users.js';
import { verifyPassword } from '../../passwords.js';
import type { Deps } from '../deps.js';
import { guard } from '../auth/guard.js';
import { endSession, startSession } from '../auth/session.js';
import { email, fieldErrors, keptValues, type FieldErrors } from '../forms.js';
import { countSignInAttempt } from './limits.js';

export { SIGN_IN_LIMITS } from './limits.js';

// Same words for an unknown email and a wrong password, so the form does not tell who has an account.
const WRONG = 'Email or password is not right.';
const TOO_MANY = 'Too many attempts. Wait 15 minutes, or ask your director for a reset link.';

const SignInForm = z.object({
  email: email(),
  password: z.string({ error: 'Enter your password.' }).min(1, 'Enter your password.').max(1024, 'That password is too long.'),
});

export function signInRoutes(deps: Deps): Router {
  const { db, clock } = deps;
  const router = Router();

  const render = async (res: Response, status: number, values: Record<string, string>, errors: FieldErrors, message?: string, notice?: string) => {
    // Public logins are shown only while the demo is all there is: never beside a real organization.
    const demo = await isDemoOnly(db);
    res.status(status).render('sign-in/new', {
      title: 'Sign in',
      values,
      errors,
      message,
      notice,
      demoLogins: demo ? DEMO_LOGINS.map((l) => ({ ...l, password: DEMO_PASSWORD })) : undefined,
    });
  };

  router.get('/sign-in', guard(deps, 'sign_in.view'), async (req, res) => {
    if (req.currentUser) return res.redirect(303, '/');
    await render(res, 200, { email: '' }, {}, undefined, 'signed-out' in req.query ? 'You are signed out.' : undefined);
  });

  router.post('/sign-in', guard(deps, 'sign_in.create'), async (req, res) => {
    const values = keptValues(req, ['email']);
    const form = SignInForm.safeParse(req.body ?? {});
    if (!form.success) return render(res, 422, values, fieldErrors(form.error));

    const at = clock.now();
    // Counted before the password is checked: a burst of parallel guesses is cut off at the limit.
    const attempt = await countSignInAttempt(db, form.data.email, req.ip, at);
    if (attempt.refused) return render(res, 429, values, {}, TOO_MANY);

    const user = await findUserByEmail(db, form.data.email);
    const passwordOk = await verifyPassword(form.data.password, user?.passwordHash ?? null, deps.passwordParams);
    if (!user || !passwordOk || !(await hasActiveMembership(db, user.id))) {
      await attempt.failed();
      return render(res, 401, values, {}, WRONG);
    }

    await attempt.succeeded();
    await startSession(req, user, at);
    const memberships = await listActiveMembershipsOfUser(db, user.id);
    const centers = [...new Set(memberships.map((m) => m.centerId).filter((c): c is string => c !== null))];
    await db.transaction((trx) =>
      appendAudit(trx, {
        at,
        organizationId: memberships[0]!.organizationId,
        // A sign-in shows in its center's log when the user belongs to exactly one.
        centerId: centers.length === 1 && !memberships.some((m) => m.role === 'owner') ? centers[0] : null,
        actorUserId: user.id,
        action: 'user.signed_in',
        recordType: 'user',
        recordId: user.id,
      }),
    );
    res.redirect(303, '/');
  });

  router.post('/sign-out', guard(deps, 'sign_out.create'), async (req, res) => {
    await endSession(req, res, deps);
    res.redirect(303, '/sign-in?signed-out');
  });

  return router;
}
