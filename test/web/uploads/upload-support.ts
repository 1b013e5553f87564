import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTrainingRecord } from '../../../src/db/trainings.js';
import { createApp, type Deps } from '../../../src/web/app.js';
import type { UploadLimits } from '../../../src/web/uploads/limits.js';
import type { Agent } from '../../support/agent.js';
import { seedCenter, type SeededCenter } from '../../support/builders.js';
import { testDeps, type TestClock } from '../../support/deps.js';

/** The certificate uploads' test world: a center whose volunteer may record trainings, and an uploads folder of its own. */
export type UploadWorld = {
  deps: Deps;
  clock: TestClock;
  app: ReturnType<typeof createApp>;
  seeded: SeededCenter;
  uploadsDir: string;
  /** The volunteer's "my trainings" path. */
  mine: string;
  /** Every file under the uploads folder, temporary ones included. */
  storedFiles(): string[];
  counts(): Promise<{ records: number; withFile: number; audit: number; files: number }>;
  destroy(): Promise<void>;
};

export async function uploadWorld(limits: Partial<UploadLimits> = {}): Promise<UploadWorld> {
  const t = await testDeps();
  const uploadsDir = mkdtempSync(join(tmpdir(), 'ratiowatch-uploads-'));
  const deps: Deps = { ...t.deps, uploadsDir, uploadLimits: limits };
  const app = createApp(deps);
  const seeded = await seedCenter(deps.db);
  await deps.db('people').where({ id: seeded.people.volunteer.id }).update({ background_study: 'cleared', background_cleared_on: '2025-12-01' });
  for (const trainingId of ['orientation', 'aht', 'first_aid']) {
    await createTrainingRecord(deps.db, { centerId: seeded.center.id, personId: seeded.people.volunteer.id, trainingId, completedOn: '2026-01-10', status: 'verified', at: deps.clock.now() });
  }
  const storedFiles = () =>
    (readdirSync(uploadsDir, { recursive: true }) as string[]).filter((f) => statSync(join(uploadsDir, String(f))).isFile()).map(String);
  const count = async (q: ReturnType<Deps['db']>) => Number((await q.count({ n: '*' }).first())!.n);
  return {
    deps,
    clock: t.clock,
    app,
    seeded,
    uploadsDir,
    mine: `/centers/${seeded.center.id}/my/trainings`,
    storedFiles,
    counts: async () => ({
      records: await count(deps.db('training_records')),
      withFile: await count(deps.db('training_records').whereNotNull('file_path')),
      audit: await count(deps.db('audit_log')),
      files: storedFiles().length,
    }),
    destroy: async () => {
      await t.destroy();
      rmSync(uploadsDir, { recursive: true, force: true });
    },
  };
}

export const SUID = { trainingId: 'suid', completedOn: '2026-02-20', provider: 'Minnesota Safe Sleep', certificateNumber: 'SS-1234' };

/** A PDF (by its first bytes) of `bytes` bytes. */
export function pdfOf(bytes: number): Buffer {
  const head = Buffer.from('%PDF-1.4\n');
  return Buffer.concat([head, Buffer.alloc(Math.max(0, bytes - head.length), 0x20)]);
}

/** Posts the trainings form as the page does: multipart, the CSRF token in the action's query string. */
export async function record(agent: Agent, path: string, fields: Record<string, string>, file?: { bytes: Buffer; name: string }, opts: { json?: boolean } = {}) {
  const token = await agent.csrf();
  let req = agent.post(`${path}?_csrf=${token}`);
  if (opts.json) req = req.set('accept', 'application/json');
  for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
  if (file) req = req.attach('certificate', file.bytes, { filename: file.name, contentType: 'application/pdf' });
  return req;
}
