import { Router, type Request, type Response } from 'express';
import { actedBy } from '../../services/acted-by.js';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { appendAudit } from '../../db/audit.js';
import { archiveCenterTraining, createCenterTraining, findCenterTrainingInCenter } from '../../db/center-trainings.js';
import type { CenterMember } from '../../db/memberships.js';
import { findPersonOfMember } from '../../db/people.js';
import { listRoomsInCenter } from '../../db/rooms.js';
import type { TrainingRecord } from '../../db/rows.js';
import { certificateUsage, createTrainingRecord, listTrainingRecordsOfPerson, lockCertificateQuota } from '../../db/trainings.js';
import { trainingStatus, trainingStatuses, type TrainingStanding } from '../../domain/eligibility.js';
import { COARSE_CATEGORIES, type Training } from '../../domain/rule-pack.js';
import { getPack } from '../../domain/rules/index.js';
import type { Deps } from '../deps.js';
import { memberOf } from '../auth/current.js';
import { guard } from '../auth/guard.js';
import { can } from '../auth/policy.js';
import { NotFound } from '../errors.js';
import { fieldErrors, type FieldErrors } from '../forms.js';
import { CATEGORY_LABELS } from '../labels.js';
import { keepCertificate, removeCertificate, uploadsDirOf } from '../uploads/certificates.js';
import { createUploadRate, hasRoomOnDisk, quotaRefusal, REFUSAL_STATUS, refusalMessage, uploadLimitsOf, type UploadRefusal } from '../uploads/limits.js';
import { incomingDirOf, MAX_CERTIFICATE_BYTES, MAX_REQUEST_BYTES, readMultipartForm, UploadNotWritten } from '../uploads/multipart.js';
import { sniffCertificateType, typeClaimedByName, type CertificateType } from '../uploads/sniff.js';
import { CENTER_POLICY, centerPack, centerTrainingAsTraining, rolesForCenterTrainings, trainingLabel } from '../../services/center-pack.js';
import { civilDate, keptStrings, manyOf } from './form-fields.js';
import { personOnFile } from '../../services/person-on-file.js';
import { attempt, refuse } from '../../services/refusal.js';
import { civil, coverLine, ratioTrainings, restOfDay, standingChip, standingLook } from './standing.js';
import { PERSON_ROLE_WORDS, categoryWords, gateWords, roleWords, unconfirmed, validityWords } from './words.js';
import { idIn } from '../ids.js';

const TYPE_WORDS: Readonly<Record<CertificateType, string>> = { 'application/pdf': 'a PDF', 'image/png': 'a PNG image', 'image/jpeg': 'a JPEG image' };
const RECORD_FIELDS = ['trainingId', 'completedOn', 'provider', 'certificateNumber'] as const;
const EXTRA_FIELDS = ['code', 'label', 'renewalMonths', 'gate'] as const;

export function trainingRoutes(deps: Deps): Router {
  const { db, clock } = deps;
  const router = Router();
  const uploadsDir = uploadsDirOf(deps);

  // ---------------------------------------------------------------- catalog

  const renderCatalog = async (
    res: Response,
    member: CenterMember,
    status: number,
    failed?: { values: Record<string, string>; roles: string[]; categories: string[]; errors: FieldErrors },
  ) => {
    const base = getPack(member.center.packId);
    if (!base) throw new Error(`unknown pack ${member.center.packId}`);
    const { extras } = await centerPack(db, member.center, { includeArchived: true });
    const roles = failed?.roles ?? ['volunteer'];
    const categories = failed?.categories ?? [];
    res.status(status).render('trainings/index', {
      title: 'Trainings',
      packName: base.name,
      pack: base.trainings.map((t) => ({
        label: t.label,
        validity: validityWords(t),
        validityUnconfirmed: t.renewalMonths !== null ? unconfirmed(t.renewalVerified) : null,
        renewalCite: t.renewalCite,
        who: roleWords(t.roles),
        volunteers: t.roles.includes('volunteer') ? (t.volunteersToCount ? 'Yes, to count toward ratio' : 'Only unsupervised volunteers; not needed to count') : 'No',
        categories: categoryWords(t),
        deadline: t.deadline,
        gate: gateWords(t),
        cite: t.cite,
        unconfirmed: unconfirmed(t.verified),
      })),
      extras: extras.map((e) => {
        const t = centerTrainingAsTraining(e);
        return {
          id: e.id,
          code: e.code,
          label: e.label,
          validity: validityWords(t),
          who: roleWords(t.roles),
          categories: categoryWords(t),
          gate: gateWords(t),
          archived: e.archivedAt !== null,
          canArchive: e.archivedAt === null && can(member, 'center_training.archive'),
        };
      }),
      canCreate: can(member, 'center_training.create'),
      form: {
        values: failed?.values ?? { code: '', label: '', renewalMonths: '', gate: 'before' },
        gateBefore: (failed?.values.gate ?? 'before') === 'before',
        roles: rolesForCenterTrainings(base).map((r) => ({ value: r, label: PERSON_ROLE_WORDS[r], checked: roles.includes(r) })),
        categories: COARSE_CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c] ?? c, checked: categories.includes(c) })),
        errors: failed?.errors ?? {},
      },
      cite: CENTER_POLICY,
    });
  };

  router.get('/centers/:centerId/trainings', guard(deps, 'trainings.view'), async (req, res) => {
    await renderCatalog(res, memberOf(req), 200);
  });

  router.post('/centers/:centerId/trainings', guard(deps, 'center_training.create'), async (req, res) => {
    const member = memberOf(req);
    const base = getPack(member.center.packId);
    if (!base) throw new Error(`unknown pack ${member.center.packId}`);
    const roles = rolesForCenterTrainings(base);
    const CenterTrainingForm = z.object({
      code: z
        .string({ error: 'Enter a short code.' })
        .trim()
        .toLowerCase()
        .min(1, 'Enter a short code.')
        .max(60, 'Use at most 60 characters.')
        .regex(/^[a-z0-9]+(?:[-_][a-z0-9]+)*$/, 'Use lowercase letters, digits and dashes, like accident-reporting.')
        .refine((c) => !base.trainings.some((t) => t.id === c), 'The rule pack already has a training with this code; choose another.'),
      label: z.string({ error: 'Enter a name.' }).trim().min(1, 'Enter a name.').max(120, 'Use at most 120 characters.'),
      renewalMonths: z
        .string()
        .trim()
        .optional()
        .transform((v) => (v ? Number(v) : null))
        .refine((v) => v === null || (Number.isInteger(v) && v >= 1 && v <= 120), 'Enter whole months from 1 to 120, or leave it empty if it never expires.'),
      roles: manyOf(roles as [string, ...string[]], 'Choose from the roles listed.').refine((v) => v.length > 0, 'Choose who needs it.'),
      categories: manyOf(COARSE_CATEGORIES, 'Choose from the ages listed.'),
      gate: z.enum(['before', 'none'], { error: 'Choose whether it is needed to count toward ratio.' }),
    }).refine((f) => f.gate === 'none' || f.categories.length > 0, { path: ['categories'], message: 'Choose the ages for which it is needed to count.' });
    const form = CenterTrainingForm.safeParse(req.body ?? {});
    const failed = (errors: FieldErrors) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : []);
      return renderCatalog(res, member, 422, { values: keptStrings(body, EXTRA_FIELDS), roles: list(body.roles), categories: list(body.categories), errors });
    };
    if (!form.success) return failed(fieldErrors(form.error));
    const at = clock.now();
    const created = await db.transaction(async (trx) => {
      const made = await createCenterTraining(trx, { centerId: member.center.id, ...form.data, at });
      if (!made.ok) return made;
      await appendAudit(trx, {
        ...actedBy(member, at),
        action: 'center_training.created',
        recordType: 'center_training',
        recordId: made.training.id,
        after: form.data,
      });
      return made;
    });
    if (!created.ok) return failed({ code: 'This center already has a training with this code.' });
    res.redirect(303, `/centers/${member.center.id}/trainings#center-trainings`);
  });

  router.post('/centers/:centerId/trainings/:centerTrainingId/archival', guard(deps, 'center_training.archive'), async (req, res) => {
    const member = memberOf(req);
    const id = idIn(req.params.centerTrainingId);
    const training = id ? await findCenterTrainingInCenter(db, member.center.id, id) : undefined;
    if (!training) throw new NotFound('training');
    const at = clock.now();
    await db.transaction(async (trx) => {
      if (!(await archiveCenterTraining(trx, member.center.id, training.id, at))) return;
      await appendAudit(trx, {
        ...actedBy(member, at),
        action: 'center_training.archived',
        recordType: 'center_training',
        recordId: training.id,
        before: { archivedAt: null },
        after: { archivedAt: at.toISOString() },
      });
    });
    res.redirect(303, `/centers/${member.center.id}/trainings#center-trainings`);
  });

  // ---------------------------------------------------------------- my trainings

  /** The member's own person on file, or undefined when their account is not linked to one. */
  const myPerson = (member: CenterMember) => findPersonOfMember(db, member);

  const renderMine = async (
    req: Request,
    res: Response,
    status: number,
    failed?: { values: Record<string, string>; errors: FieldErrors; hadFile: boolean },
  ) => {
    const member = memberOf(req);
    const person = await myPerson(member);
    const base = { title: 'My trainings', center: { id: member.center.id, name: member.center.name } };
    if (!person) return res.status(status).render('trainings/mine', { ...base, linked: false });
    const now = clock.now();
    const here = DateTime.fromJSDate(now).setZone(member.center.timeZone);
    const lead = member.center.expiryLeadDays;
    const [{ pack, extras }, records, rooms] = await Promise.all([
      centerPack(db, member.center, { includeArchived: true }),
      listTrainingRecordsOfPerson(db, member.center.id, person.id),
      listRoomsInCenter(db, member.center.id),
    ]);
    const onFile = personOnFile(person, records);
    const counting = new Set(ratioTrainings(pack, onFile).map((t) => t.id));
    const statuses = trainingStatuses(pack, onFile, civil(here), lead);
    const options = choosable(pack.trainings, statuses.map((s) => s.training));
    const chosen = failed?.values.trainingId ?? '';
    const training = (id: string): Training => {
      const extra = extras.find((e) => e.code === id);
      return pack.trainings.find((t) => t.id === id) ?? (extra ? centerTrainingAsTraining(extra) : unknownTraining(id));
    };
    res.status(status).render('trainings/mine', {
      ...base,
      linked: true,
      personName: person.displayName,
      cover: coverLine(pack, onFile, rooms, restOfDay(member.center, now)),
      statuses: statuses.map((s) => ({ ...standingChip(s), counts: counting.has(s.training.id) })),
      records: records.map((r) => recordView(member.center.id, r, trainingLabel(pack, extras, r.trainingId), trainingStatus(training(r.trainingId), [r], civil(here), lead).standing)),
      form: {
        options: options.map((t) => ({ value: t.id, label: t.label, selected: t.id === chosen })),
        values: failed?.values ?? { trainingId: '', completedOn: '', provider: '', certificateNumber: '' },
        errors: failed?.errors ?? {},
        hadFile: failed?.hadFile ?? false,
        today: here.toISODate(),
        maxMegabytes: MAX_CERTIFICATE_BYTES / (1024 * 1024),
      },
    });
  };

  router.get('/centers/:centerId/my/trainings', guard(deps, 'my_trainings.view'), async (req, res) => {
    const flash = req.session.flash;
    if (flash) delete req.session.flash;
    res.locals.flash = flash;
    await renderMine(req, res, 200);
  });

  const limits = uploadLimitsOf(deps.uploadLimits);
  const uploadRate = createUploadRate(limits);
  const incomingDir = incomingDirOf(uploadsDir);

  /** An upload refused (quota, rate, disk): the form again with the reason next to the file field, or JSON. */
  const refuseUpload = (
    req: Request,
    res: Response,
    reason: UploadRefusal,
    values: Record<string, string>,
    extra: { retryAfterMs?: number } = {},
  ) => {
    const message = refusalMessage(reason, limits, extra);
    if (extra.retryAfterMs !== undefined) res.set('Retry-After', String(Math.ceil(extra.retryAfterMs / 1000)));
    if (req.accepts(['html', 'json']) === 'json') return res.status(REFUSAL_STATUS[reason]).json({ error: message, field: 'certificate' });
    return renderMine(req, res, REFUSAL_STATUS[reason], { values, errors: { certificate: message }, hadFile: true });
  };

  // The guard (and the CSRF check before it) answers before the body is read: see uploads/multipart.ts.
  router.post('/centers/:centerId/my/trainings', guard(deps, 'training_record.create'), async (req, res) => {
    const member = memberOf(req);
    const person = await myPerson(member);
    // An account with no person on file has nothing to record: back to the page that says so.
    if (!person) return res.redirect(303, `/centers/${member.center.id}/my/trainings`);
    const now = clock.now();
    const multipart = Boolean(req.is('multipart/form-data'));
    // A flood from one user stops here, its bodies unread. A form sent without a file (a few hundred
    // bytes) is not counted: the limit is on files.
    if (multipart && mayCarryFile(req)) {
      const rate = uploadRate.take(member.userId, now.getTime());
      if (!rate.ok) return refuseUpload(req, res, 'rate', keptStrings({}, RECORD_FIELDS), { retryAfterMs: rate.error.retryAfterMs });
    }
    // When no file could be kept (the disk at its margin, the quota already full), one sent is read
    // to nowhere, and the form says why with what was typed in it.
    const cannotKeep: UploadRefusal | null = !multipart
      ? null
      : !(await hasRoomOnDisk(uploadsDir, MAX_REQUEST_BYTES, limits))
        ? 'disk'
        : quotaRefusal(await certificateUsage(db, member.center.id, person.id), 0, limits);
    const read = await readMultipartForm(req, { fileField: 'certificate', incomingDir, keepFile: cannotKeep === null }).catch((err: unknown) => {
      if (err instanceof UploadNotWritten) return err;
      throw err;
    });
    // The disk failed under the file after all (full between the check and the write): said like a full disk.
    if (read instanceof UploadNotWritten) return refuseUpload(req, res, 'disk', keptStrings(read.body, RECORD_FIELDS));
    const { body, upload } = read;
    try {
      const today = DateTime.fromJSDate(now).setZone(member.center.timeZone).toISODate()!;
      const { pack } = await centerPack(db, member.center);
      const onFile = personOnFile(person, []);
      const ids = choosable(pack.trainings, trainingStatuses(pack, onFile, civil(DateTime.fromISO(today)), 0).map((s) => s.training)).map((t) => t.id);
      const TrainingRecordForm = z.object({
        trainingId: z.string({ error: 'Choose a training.' }).refine((v) => ids.includes(v), 'Choose one of the trainings listed.'),
        completedOn: civilDate('Enter the date you completed it.').refine((d) => d <= today, 'The date cannot be in the future.'),
        provider: z.string({ error: 'Enter who gave the training.' }).trim().min(1, 'Enter who gave the training.').max(200, 'Use at most 200 characters.'),
        certificateNumber: z
          .string()
          .trim()
          .max(100, 'Use at most 100 characters.')
          .optional()
          .transform((v) => v || null),
      });
      const form = TrainingRecordForm.safeParse(body);
      const values = keptStrings(body, RECORD_FIELDS);
      if (upload && cannotKeep) return await refuseUpload(req, res, cannotKeep, values);
      const errors: FieldErrors = form.success ? {} : fieldErrors(form.error);
      // The file is judged by its content, never by its name or the type the device declared.
      const fileType = upload && !upload.tooLarge ? sniffCertificateType(upload.head) : null;
      if (upload?.tooLarge) errors.certificate = `The file is larger than ${MAX_CERTIFICATE_BYTES / (1024 * 1024)} MB. Choose a smaller file, or a photo taken at a lower size.`;
      else if (upload && !fileType) errors.certificate = 'This file is not a PDF, JPEG or PNG. Choose a PDF, or a photo of the certificate.';
      else if (upload && fileType && (typeClaimedByName(upload.filename) ?? fileType) !== fileType) {
        // Its content is one of ours but its name says another: something renamed it; ask for the original.
        errors.certificate = `This file's name says ${TYPE_WORDS[typeClaimedByName(upload.filename)!]} but its content is ${TYPE_WORDS[fileType]}. Choose the original file.`;
      }
      if (!form.success || Object.keys(errors).length > 0) {
        return await renderMine(req, res, 422, { values, errors, hadFile: upload !== undefined });
      }
      const data = form.data!;
      let kept: string | undefined;
      try {
        const outcome = await attempt<void, UploadRefusal>(db, async (trx) => {
          let file: { path: string; type: string; size: number } | null = null;
          if (upload && fileType) {
            // Counted and kept under the quota's lock: parallel uploads are counted one after another.
            await lockCertificateQuota(trx, member.center.id);
            const refusal = quotaRefusal(await certificateUsage(trx, member.center.id, person.id), upload.size, limits);
            if (refusal) refuse(refusal);
            kept = await keepCertificate(uploadsDir, member.center.id, upload);
            file = { path: kept, type: fileType, size: upload.size };
          }
          const record = await createTrainingRecord(trx, {
            centerId: member.center.id,
            personId: person.id,
            trainingId: data.trainingId,
            completedOn: data.completedOn,
            status: 'submitted',
            provider: data.provider,
            certificateNumber: data.certificateNumber,
            file,
            at: now,
          });
          await appendAudit(trx, {
            at: now,
            organizationId: member.center.organizationId,
            centerId: member.center.id,
            actorUserId: member.userId,
            action: 'training_record.submitted',
            recordType: 'training_record',
            recordId: record.id,
            // No certificate number or file name: the minimum that says what was claimed.
            after: { personId: person.id, trainingId: data.trainingId, completedOn: data.completedOn, status: 'submitted', certificate: file ? { type: file.type, size: file.size } : null },
          });
        });
        if (!outcome.ok) return await refuseUpload(req, res, outcome.error, values);
      } catch (err) {
        if (kept) await removeCertificate(uploadsDir, kept);
        throw err;
      }
      const label = pack.trainings.find((t) => t.id === data.trainingId)?.label ?? data.trainingId;
      req.session.flash = { message: `${label} recorded. Your director verifies it; until then it does not count.`, tone: 'ok' };
      res.redirect(303, `/centers/${member.center.id}/my/trainings`);
    } finally {
      // Moved into place, or never to be: nothing is left in the temporary folder.
      await upload?.discard();
    }
  });

  return router;
}

/**
 * Whether a multipart request may carry a file, by its declared length: the form sent
 * without one is a few hundred bytes (and Node reads no more than a declared length).
 */
function mayCarryFile(req: Request): boolean {
  const length = req.headers['content-length'];
  return length === undefined || Number(length) > 64 * 1024;
}

/** What a person may record: the trainings asked of them, or, for a role asked none, the whole catalog. */
function choosable(catalog: readonly Training[], asked: readonly Training[]): readonly Training[] {
  return asked.length > 0 ? asked : catalog;
}

export function recordView(centerId: string, r: TrainingRecord, label: string, standing: TrainingStanding) {
  return {
    id: r.id,
    label,
    completedOn: r.completedOn,
    provider: r.provider,
    certificateNumber: r.certificateNumber,
    ...standingLook(standing),
    rejectionReason: r.status === 'rejected' ? r.rejectionReason : null,
    fileUrl: r.filePath ? `/centers/${centerId}/training-records/${r.id}/file` : null,
  };
}

/** A record whose training is in neither the pack nor the center's list (a pack changed under it): shown, never counted. */
function unknownTraining(id: string): Training {
  return { id, label: id, roles: [], categories: [], gate: 'none', deadline: '', renewalMonths: null, volunteersToCount: false, cite: '', verified: false };
}
