import type { Knex } from 'knex';
import { TrainingRecordRow, newId, parseRow, parseRows, type TrainingRecord } from './rows.js';

export type NewTrainingRecord = {
  centerId: string;
  personId: string;
  trainingId: string;
  completedOn: string;
  status: 'submitted' | 'verified' | 'rejected';
  provider?: string | null;
  certificateNumber?: string | null;
  /** The stored certificate: a path relative to the uploads folder, its sniffed type and size. */
  file?: { path: string; type: string; size: number } | null;
  reviewedByUserId?: string | null;
  reviewedAt?: Date | null;
  at: Date;
};

export async function createTrainingRecord(db: Knex, input: NewTrainingRecord): Promise<TrainingRecord> {
  const row = {
    id: newId(),
    center_id: input.centerId,
    person_id: input.personId,
    training_id: input.trainingId,
    completed_on: input.completedOn,
    provider: input.provider ?? null,
    certificate_number: input.certificateNumber ?? null,
    status: input.status,
    reviewed_by_user_id: input.reviewedByUserId ?? null,
    reviewed_at: input.reviewedAt ? input.reviewedAt.toISOString() : null,
    rejection_reason: null,
    created_at: input.at.toISOString(),
    file_path: input.file?.path ?? null,
    file_type: input.file?.type ?? null,
    file_size: input.file?.size ?? null,
  };
  await db('training_records').insert(row);
  return TrainingRecordRow.parse(row);
}

export async function listTrainingRecordsOfPerson(db: Knex, centerId: string, personId: string): Promise<TrainingRecord[]> {
  return parseRows(
    TrainingRecordRow,
    await db('training_records').where({ center_id: centerId, person_id: personId }).orderBy('training_id').orderBy('completed_on', 'desc'),
  );
}

/** A record of the center; with `personId`, only if it is that person's (a volunteer's own records). */
export async function findTrainingRecordInCenter(
  db: Knex,
  centerId: string,
  id: string,
  scope: { personId?: string } = {},
): Promise<TrainingRecord | undefined> {
  const q = db('training_records').where({ id, center_id: centerId });
  if (scope.personId !== undefined) q.andWhere({ person_id: scope.personId });
  return parseRow(TrainingRecordRow, await q.first());
}

/** Every record of the center's people in `personIds`, in one query (chunked: SQLite caps bound parameters). */
export async function listTrainingRecordsOfPeople(db: Knex, centerId: string, personIds: readonly string[]): Promise<TrainingRecord[]> {
  const out: TrainingRecord[] = [];
  for (let i = 0; i < personIds.length; i += 500) {
    const chunk = personIds.slice(i, i + 500);
    out.push(
      ...parseRows(
        TrainingRecordRow,
        await db('training_records').where({ center_id: centerId }).whereIn('person_id', chunk).orderBy('training_id').orderBy('completed_on', 'desc'),
      ),
    );
  }
  return out;
}

/** Records awaiting a director's check, oldest first. */
export async function listSubmittedTrainingRecords(db: Knex, centerId: string): Promise<TrainingRecord[]> {
  return parseRows(TrainingRecordRow, await db('training_records').where({ center_id: centerId, status: 'submitted' }).orderBy('created_at').orderBy('id'));
}

export type Review = { reviewedByUserId: string; at: Date };

/** Verifies a submitted record; false when it was not awaiting review (the row count decides, so two clicks review once). */
export async function verifyTrainingRecord(db: Knex, centerId: string, id: string, review: Review): Promise<boolean> {
  const n = await db('training_records')
    .where({ id, center_id: centerId, status: 'submitted' })
    .update({ status: 'verified', reviewed_by_user_id: review.reviewedByUserId, reviewed_at: review.at.toISOString(), rejection_reason: null });
  return n === 1;
}

/** Rejects a submitted record with a reason the person sees; false when it was not awaiting review. */
export async function rejectTrainingRecord(db: Knex, centerId: string, id: string, reason: string, review: Review): Promise<boolean> {
  const n = await db('training_records')
    .where({ id, center_id: centerId, status: 'submitted' })
    .update({ status: 'rejected', reviewed_by_user_id: review.reviewedByUserId, reviewed_at: review.at.toISOString(), rejection_reason: reason });
  return n === 1;
}

/** Certificates kept (records with a file) by one person and by the whole center, and their bytes. */
export async function certificateUsage(
  db: Knex,
  centerId: string,
  personId: string,
): Promise<{ person: { files: number; bytes: number }; center: { files: number; bytes: number } }> {
  const row = (await db('training_records')
    .where({ center_id: centerId })
    .whereNotNull('file_path')
    .first(
      db.raw('count(*) as center_files'),
      db.raw('coalesce(sum(file_size), 0) as center_bytes'),
      db.raw('coalesce(sum(case when person_id = ? then 1 else 0 end), 0) as person_files', [personId]),
      db.raw('coalesce(sum(case when person_id = ? then file_size else 0 end), 0) as person_bytes', [personId]),
    )) as Record<'center_files' | 'center_bytes' | 'person_files' | 'person_bytes', number | string> | undefined;
  const n = (v: number | string | undefined) => Number(v ?? 0);
  return {
    person: { files: n(row?.person_files), bytes: n(row?.person_bytes) },
    center: { files: n(row?.center_files), bytes: n(row?.center_bytes) },
  };
}

/**
 * Holds the center's certificate quota for the rest of the transaction: another
 * upload to the same center waits here until this one commits, so each counts what
 * the one before it kept and parallel uploads cannot pass the quota together.
 * PostgreSQL: a FOR NO KEY UPDATE lock on the center's row (it does not block the
 * foreign-key checks of check-ins, nor any read). SQLite: its one connection runs
 * one transaction at a time already.
 */
export async function lockCertificateQuota(trx: Knex.Transaction, centerId: string): Promise<void> {
  if (trx.client.config.client !== 'pg') return;
  await trx('centers').where({ id: centerId }).forNoKeyUpdate().first('id');
}
