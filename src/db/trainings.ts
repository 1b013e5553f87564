import type { Knex } from 'knex';
import { TrainingRecordRow, newId, parseRows, type TrainingRecord } from './rows.js';

export type NewTrainingRecord = {
  centerId: string;
  personId: string;
  trainingId: string;
  completedOn: string;
  status: 'submitted' | 'verified' | 'rejected';
  provider?: string | null;
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
    certificate_number: null,
    status: input.status,
    reviewed_by_user_id: input.reviewedByUserId ?? null,
    reviewed_at: input.reviewedAt ? input.reviewedAt.toISOString() : null,
    rejection_reason: null,
    created_at: input.at.toISOString(),
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
