import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Knex } from 'knex';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDb } from '../../../src/db/knex.js';
import { createTrainingRecord } from '../../../src/db/trainings.js';
import type { Deps } from '../../../src/web/app.js';
import type { Agent } from '../../support/agent.js';
import { seedCenter, type SeededCenter } from '../../support/builders.js';
import { tempDbFile, testEngine } from '../../support/db.js';
import { seededApp } from '../../support/seeded-app.js';

let deps: Deps;
let seeded: SeededCenter;
let director: Agent;
let close: () => Promise<void>;
let recordId: string;

beforeEach(async () => {
  const world = await seededApp();
  ({ deps, seeded, close } = world);
  recordId = (
    await createTrainingRecord(deps.db, { centerId: seeded.center.id, personId: seeded.people.volunteer.id, trainingId: 'suid', completedOn: '2026-02-20', status: 'submitted', at: deps.clock.now() })
  ).id;
  director = await world.signIn('director');
});
afterEach(async () => {
  await close();
});

const reject = (reason: string) => director.submit(`/centers/${seeded.center.id}/training-records/${recordId}/rejection`, { reason });
const row = async () => (await deps.db('training_records').where({ id: recordId }).first()) as { status: string; rejection_reason: string | null };
// 300 characters, some of them two UTF-8 bytes (PostgreSQL's varchar counts characters).
const reasonOf = (n: number) => 'Zoë: the date is unreadable. '.repeat(20).slice(0, n);

describe('POST /centers/:centerId/training-records/:recordId/rejection', () => {
  it('L2: stores a rejection reason of the 300 characters the form allows (PostgreSQL answered 500 past 255)', async () => {
    const reason = reasonOf(300);
    expect(reason).toHaveLength(300);
    const res = await reject(reason);
    expect(res.status, res.text.slice(0, 300)).toBe(303);
    expect(await row()).toMatchObject({ status: 'rejected', rejection_reason: reason });
  });

  it('L2: refuses 301 characters with a message next to the field, and stores nothing', async () => {
    const audits = async () => Number((await deps.db('audit_log').count({ n: '*' }).first())!.n);
    const before = await audits();
    const res = await reject(reasonOf(301));
    expect(res.status).toBe(422);
    expect(res.text).toContain(`<p class="error" id="reason-${recordId}-error">Use at most 300 characters.</p>`);
    expect(await row()).toMatchObject({ status: 'submitted', rejection_reason: null });
    expect(await audits()).toBe(before);
  });

  it('L2: the form and the column agree: maxlength 300 on the field, 300 characters in the column', async () => {
    const page = await director.get(`/centers/${seeded.center.id}/volunteers`);
    expect(page.text).toMatch(new RegExp(`<input id="reason-${recordId}" name="reason" type="text" maxlength="300"`));
    if (deps.db.client.config.client === 'pg') {
      const { rows } = (await deps.db.raw(
        "select character_maximum_length as n from information_schema.columns where table_schema = current_schema() and table_name = 'training_records' and column_name = 'rejection_reason'",
      )) as { rows: { n: number }[] };
      expect(rows[0]!.n).toBe(300);
    }
  });
});

describe.runIf(testEngine() === 'sqlite')('migration 20261210180000_widen_rejection_reason_on_training_records', () => {
  const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations/', import.meta.url));
  const WIDEN = '20261210180000_widen_rejection_reason_on_training_records.ts';
  const source = (upTo: (name: string) => boolean): Knex.MigrationSource<string> => ({
    getMigrations: async () => (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.ts') && upTo(f)).sort(),
    getMigrationName: (file) => file,
    getMigration: (file) => import(pathToFileURL(join(MIGRATIONS_DIR, file)).href),
  });

  it('L2: keeps the rows, foreign keys and indexes of training_records when SQLite rebuilds the table', async () => {
    const { file, remove } = await tempDbFile();
    const db = createDb({ dbFile: file, databaseUrl: undefined });
    try {
      // Every migration but this one (the seed's code needs the later ones' columns), then this one.
      await db.migrate.latest({ migrationSource: source((f) => f !== WIDEN) });
      const s = await seedCenter(db);
      const before = await db('training_records').orderBy('id');
      expect(before.length).toBeGreaterThan(0);
      const indexes = async () => ((await db.raw('PRAGMA index_list(training_records)')) as { name: string }[]).map((i) => i.name).sort();
      const keys = async () => ((await db.raw('PRAGMA foreign_key_list(training_records)')) as { table: string; from: string }[]).map((k) => `${k.from}->${k.table}`).sort();
      const [indexesBefore, keysBefore] = [await indexes(), await keys()];

      await db.migrate.latest({ migrationSource: source(() => true) });
      expect(await db('training_records').orderBy('id')).toEqual(before);
      expect(await indexes()).toEqual(indexesBefore);
      expect(await keys()).toEqual(keysBefore);
      expect(keysBefore).toEqual(['center_id->centers', 'person_id->people', 'reviewed_by_user_id->users']);
      // Still enforced: a record of a person who does not exist is refused.
      await expect(
        db('training_records').insert({ id: 'x', center_id: s.center.id, person_id: 'nobody', training_id: 'cpr', completed_on: '2026-01-01', status: 'submitted', created_at: '2026-01-01T00:00:00Z' }),
      ).rejects.toThrow(/FOREIGN KEY/);
    } finally {
      await db.destroy();
      await remove();
    }
  });
});
