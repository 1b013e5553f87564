import { createReadStream } from 'node:fs';
import { actedBy } from '../../services/acted-by.js';
import { noticeTrainingReviewed } from '../../services/training-alerts.js';
import { stat } from 'node:fs/promises';
import { Router, type Request } from 'express';
import { z } from 'zod';
import { appendAudit } from '../../db/audit.js';
import { findTrainingRecordInCenter, rejectTrainingRecord, verifyTrainingRecord } from '../../db/trainings.js';
import { findPersonInCenter } from '../../db/people.js';
import { centerPack, trainingLabel } from '../../services/center-pack.js';
import type { TrainingRecord } from '../../db/rows.js';
import type { Deps } from '../deps.js';
import { memberOf } from '../auth/current.js';
import { guard } from '../auth/guard.js';
import { can } from '../auth/policy.js';
import { Forbidden, NotFound } from '../errors.js';
import { fieldErrors } from '../forms.js';
import { certificatePath, uploadsDirOf } from '../uploads/certificates.js';
import { CERTIFICATE_EXTENSIONS, type CertificateType } from '../uploads/sniff.js';
import { renderPool } from '../volunteers/pool.js';
import { idIn } from '../ids.js';

/** As many as the column holds (migrations/20261210180000_…) and the field's maxlength says (views/volunteers/index.hbs). */
const REASON_MAX = 300;

const RejectionForm = z.object({
  reason: z
    .string({ error: 'Say why, so the person knows what to fix.' })
    .trim()
    .min(1, 'Say why, so the person knows what to fix.')
    .max(REASON_MAX, `Use at most ${REASON_MAX} characters.`),
});

export function trainingRecordRoutes(deps: Deps): Router {
  const { db, clock } = deps;
  const router = Router();
  const uploadsDir = uploadsDirOf(deps);

  /** The record in the path, in this center; one the member may review (not their own). */
  const recordToReview = async (req: Request, action: 'training_record.verify' | 'training_record.reject'): Promise<TrainingRecord> => {
    const member = memberOf(req);
    const id = idIn(req.params.recordId);
    const record = id ? await findTrainingRecordInCenter(db, member.center.id, id) : undefined;
    if (!record) throw new NotFound('training record');
    // Nobody verifies their own training, as nobody manages their own membership.
    if (member.personId !== null && record.personId === member.personId) throw new Forbidden(action);
    return record;
  };

  /** "Jo Nguyen's Safe sleep (SUID) training", for the confirmation after a review. */
  const reviewedWords = async (member: ReturnType<typeof memberOf>, record: TrainingRecord): Promise<string> => {
    const [person, { pack, extras }] = await Promise.all([
      findPersonInCenter(db, member.center.id, record.personId),
      centerPack(db, member.center, { includeArchived: true }),
    ]);
    return `${person?.displayName ?? 'the person'}'s ${trainingLabel(pack, extras, record.trainingId)} training`;
  };

  router.post('/centers/:centerId/training-records/:recordId/verification', guard(deps, 'training_record.verify'), async (req, res) => {
    const member = memberOf(req);
    const record = await recordToReview(req, 'training_record.verify');
    const at = clock.now();
    await db.transaction(async (trx) => {
      // Only a record awaiting review changes; a second click (or another director) finds nothing to do.
      if (!(await verifyTrainingRecord(trx, member.center.id, record.id, { reviewedByUserId: member.userId, at }))) return;
      await appendAudit(trx, {
        ...actedBy(member, at),
        action: 'training_record.verified',
        recordType: 'training_record',
        recordId: record.id,
        before: { status: record.status },
        after: { status: 'verified' },
      });
      await noticeTrainingReviewed(trx, member.center, record, { verified: true }, at);
    });
    req.session.flash = { message: `Verified: ${await reviewedWords(member, record)}.`, tone: 'ok' };
    res.redirect(303, `/centers/${member.center.id}/volunteers#queue`);
  });

  router.post('/centers/:centerId/training-records/:recordId/rejection', guard(deps, 'training_record.reject'), async (req, res) => {
    const member = memberOf(req);
    const record = await recordToReview(req, 'training_record.reject');
    // Reviewed meanwhile (another director, another tab): nothing to reject, as for a valid second click.
    // The form is gone from the queue, so a refusal here would have had no field to show its message beside.
    if (record.status !== 'submitted') return res.redirect(303, `/centers/${member.center.id}/volunteers#queue`);
    const form = RejectionForm.safeParse(req.body ?? {});
    if (!form.success) {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const reason = typeof body.reason === 'string' ? body.reason : '';
      return renderPool(db, res, member, clock.now(), {}, 422, { recordId: record.id, reason, errors: fieldErrors(form.error) });
    }
    const at = clock.now();
    await db.transaction(async (trx) => {
      if (!(await rejectTrainingRecord(trx, member.center.id, record.id, form.data.reason, { reviewedByUserId: member.userId, at }))) return;
      await appendAudit(trx, {
        ...actedBy(member, at),
        action: 'training_record.rejected',
        recordType: 'training_record',
        recordId: record.id,
        before: { status: record.status },
        after: { status: 'rejected', rejectionReason: form.data.reason },
      });
      await noticeTrainingReviewed(trx, member.center, record, { rejectedBecause: form.data.reason }, at);
    });
    req.session.flash = { message: `Not accepted: ${await reviewedWords(member, record)}. They are told why.`, tone: 'ok' };
    res.redirect(303, `/centers/${member.center.id}/volunteers#queue`);
  });

  // The certificate, to its own person and to those who verify; anyone else is told there is no such file.
  router.get('/centers/:centerId/training-records/:recordId/file', guard(deps, 'training_record_file.view'), async (req, res) => {
    const member = memberOf(req);
    const notFound = () => {
      // Told exactly what a stranger to the center is told: nothing of the center either.
      res.locals.center = undefined;
      return new NotFound('file');
    };
    const id = idIn(req.params.recordId);
    const mayReview = can(member, 'training_record.verify');
    if (!id || (!mayReview && member.personId === null)) throw notFound();
    const scope = mayReview ? {} : { personId: member.personId! };
    const record = await findTrainingRecordInCenter(db, member.center.id, id, scope);
    if (!record?.filePath || !record.fileType || !(record.fileType in CERTIFICATE_EXTENSIONS)) throw notFound();
    const file = certificatePath(uploadsDir, record.filePath);
    const size = await stat(file).then(
      (s) => s.size,
      () => null,
    );
    if (size === null) throw notFound();
    res.set({
      'Content-Type': record.fileType,
      'Content-Length': String(size),
      'Content-Disposition': `attachment; filename="certificate-${record.id}.${CERTIFICATE_EXTENSIONS[record.fileType as CertificateType]}"`,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, no-store',
    });
    createReadStream(file)
      .on('error', (err) => res.destroy(err))
      .pipe(res);
  });

  return router;
}
