import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { newId } from '../../../src/db/rows.js';
import { quotaRefusal, UPLOAD_LIMITS, type UploadLimits } from '../../../src/web/uploads/limits.js';
import { incomingDirOf } from '../../../src/web/uploads/multipart.js';
import { signInAs, type Agent } from '../../support/agent.js';
import { pdfOf, record, SUID, uploadWorld, type UploadWorld } from './upload-support.js';

let w: UploadWorld | undefined;
afterEach(async () => {
  await w?.destroy();
  w = undefined;
});

/** A world with these limits, and the volunteer signed in. */
async function volunteerWith(limits: Partial<UploadLimits>): Promise<{ w: UploadWorld; volunteer: Agent }> {
  w = await uploadWorld(limits);
  return { w, volunteer: await signInAs(w.app, w.seeded.users.volunteer) };
}

const KB = 1024;
const fieldError = (html: string) => /<p class="error" id="certificate-error">([^<]*)<\/p>/.exec(html)?.[1];

describe('certificate quotas (POST /centers/:centerId/my/trainings)', () => {
  it("M5: refuses an upload over the person's quota of files, next to the field, keeping nothing", async () => {
    const { w, volunteer } = await volunteerWith({ personFiles: 2 });
    for (let i = 0; i < 2; i++) expect((await record(volunteer, w.mine, SUID, { bytes: pdfOf(10 * KB), name: `c${i}.pdf` })).status).toBe(303);
    const before = await w.counts();
    expect(before).toMatchObject({ withFile: 2, files: 2 });

    const res = await record(volunteer, w.mine, SUID, { bytes: pdfOf(10 * KB), name: 'third.pdf' });
    expect(res.status).toBe(413);
    expect(fieldError(res.text)).toBe('You already have 2 certificates on file, the most one person may keep. Send this record without a file, and ask a director to check it against your paper certificate.');
    // What was typed stays in the form.
    expect(res.text).toContain('value="Minnesota Safe Sleep"');
    expect(await w.counts()).toEqual(before);
    // Without a file the record is still taken.
    expect((await record(volunteer, w.mine, SUID)).status).toBe(303);
  });

  it("M5: refuses a file that would take the person's certificates past their bytes", async () => {
    const { w, volunteer } = await volunteerWith({ personBytes: 100 * KB });
    expect((await record(volunteer, w.mine, SUID, { bytes: pdfOf(60 * KB), name: 'a.pdf' })).status).toBe(303);
    const before = await w.counts();
    const res = await record(volunteer, w.mine, SUID, { bytes: pdfOf(60 * KB), name: 'b.pdf' });
    expect(res.status).toBe(413);
    expect(fieldError(res.text)).toContain('This file would take your certificates past the 100 kB one person may keep.');
    expect(await w.counts()).toEqual(before);
    // A smaller one still fits.
    expect((await record(volunteer, w.mine, SUID, { bytes: pdfOf(30 * KB), name: 'c.pdf' })).status).toBe(303);
  });

  it("M5: refuses an upload over the center's quota, whoever kept the files before", async () => {
    const { w, volunteer } = await volunteerWith({ centerFiles: 3 });
    const at = w.deps.clock.now().toISOString();
    for (let i = 0; i < 3; i++) {
      await w.deps.db('training_records').insert({
        id: newId(),
        center_id: w.seeded.center.id,
        person_id: w.seeded.people.teacher.id,
        training_id: 'cpr',
        completed_on: '2026-01-10',
        status: 'submitted',
        created_at: at,
        file_path: `${w.seeded.center.id}/${'0'.repeat(31)}${i}`,
        file_type: 'application/pdf',
        file_size: 1000,
      });
    }
    const before = await w.counts();
    const res = await record(volunteer, w.mine, SUID, { bytes: pdfOf(10 * KB), name: 'c.pdf' });
    expect(res.status).toBe(413);
    expect(fieldError(res.text)).toBe('This center&#x27;s space for certificates is full. Send the record without a file, and tell a director.');
    expect(await w.counts()).toEqual(before);
  });

  it('M5: parallel uploads cannot pass the quota together: exactly the quota is kept, every other is refused and leaves no file', async () => {
    const { w, volunteer } = await volunteerWith({ personFiles: 3, ratePerUser: 100 });
    const token = await volunteer.csrf();
    const sends = Array.from({ length: 8 }, (_, i) =>
      volunteer
        .post(`${w.mine}?_csrf=${token}`)
        .field('trainingId', SUID.trainingId)
        .field('completedOn', SUID.completedOn)
        .field('provider', SUID.provider)
        .attach('certificate', pdfOf(100 * KB), { filename: `c${i}.pdf`, contentType: 'application/pdf' }),
    );
    const statuses = (await Promise.all(sends)).map((r) => r.status).sort();
    expect(statuses).toEqual([303, 303, 303, 413, 413, 413, 413, 413]);
    expect(await w.counts()).toMatchObject({ withFile: 3, files: 3 });
  });

  it('M5: answers a client that asks for JSON 413 with the error', async () => {
    const { w, volunteer } = await volunteerWith({ personFiles: 0 });
    const res = await record(volunteer, w.mine, SUID, { bytes: pdfOf(10 * KB), name: 'c.pdf' }, { json: true });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ error: expect.stringContaining('the most one person may keep'), field: 'certificate' });
    expect(await w.counts()).toMatchObject({ withFile: 0, files: 0 });
  });
});

describe('the upload rate (POST /centers/:centerId/my/trainings)', () => {
  it('M5: limits each user to the rate of uploads, answering 429 next to the field, and lets them upload again once the window has passed', async () => {
    const { w, volunteer } = await volunteerWith({ ratePerUser: 2, rateWindowMs: 10 * 60 * 1000 });
    for (let i = 0; i < 2; i++) expect((await record(volunteer, w.mine, SUID, { bytes: pdfOf(100 * KB), name: `c${i}.pdf` })).status).toBe(303);
    const before = await w.counts();
    const res = await record(volunteer, w.mine, SUID, { bytes: pdfOf(100 * KB), name: 'c.pdf' });
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('600');
    expect(fieldError(res.text)).toBe('You sent many files in a short time. Wait 10 minutes, then send this form again.');
    const json = await record(volunteer, w.mine, SUID, { bytes: pdfOf(100 * KB), name: 'c.pdf' }, { json: true });
    expect(json.status).toBe(429);
    expect(json.body.error).toContain('You sent many files in a short time.');
    expect(await w.counts()).toEqual(before);
    // The form without a file is not an upload: still taken.
    expect((await record(volunteer, w.mine, SUID)).status).toBe(303);
    // Another user is not held back by this one.
    const director = await signInAs(w.app, w.seeded.users.director);
    expect((await record(director, `/centers/${w.seeded.center.id}/my/trainings`, SUID, { bytes: pdfOf(100 * KB), name: 'd.pdf' })).status).not.toBe(429);

    w.clock.advance(10 * 60 * 1000);
    expect((await record(volunteer, w.mine, SUID, { bytes: pdfOf(100 * KB), name: 'later.pdf' })).status).toBe(303);
  });

  it('M5: of 40 certificates sent in the same second with the default limits, only the rate’s 10 are read and kept', async () => {
    const { w, volunteer } = await volunteerWith({});
    const token = await volunteer.csrf();
    const sends = Array.from({ length: 40 }, (_, i) =>
      volunteer
        .post(`${w.mine}?_csrf=${token}`)
        .field('trainingId', SUID.trainingId)
        .field('completedOn', SUID.completedOn)
        .field('provider', SUID.provider)
        .attach('certificate', pdfOf(1024 * KB), { filename: `c${i}.pdf`, contentType: 'application/pdf' })
        .then(
          (r) => r.status,
          // A refusal sent before the body was read may close the connection while the client still sends.
          () => 'cut',
        ),
    );
    const statuses = await Promise.all(sends);
    expect(statuses.filter((s) => s === 303)).toHaveLength(UPLOAD_LIMITS.ratePerUser);
    expect(statuses.filter((s) => s !== 303 && s !== 429 && s !== 'cut')).toEqual([]);
    expect(await w.counts()).toMatchObject({ withFile: UPLOAD_LIMITS.ratePerUser, files: UPLOAD_LIMITS.ratePerUser });
  });
});

describe('free disk space (POST /centers/:centerId/my/trainings)', () => {
  it('M5: refuses any upload while the disk is below its free-space margin (507, next to the field), and still takes a record without a file', async () => {
    // A margin no disk has: statfs answers less free space than that.
    const { w, volunteer } = await volunteerWith({ minFreeBytes: 2 ** 60 });
    const res = await record(volunteer, w.mine, SUID, { bytes: pdfOf(10 * KB), name: 'c.pdf' });
    expect(res.status).toBe(507);
    expect(fieldError(res.text)).toBe('The server is short of disk space, so it cannot keep files now. Send the record without a file, or try again later, and tell a director.');
    expect(res.text).toContain('value="Minnesota Safe Sleep"');
    expect(await w.counts()).toMatchObject({ withFile: 0, files: 0 });
    const json = await record(volunteer, w.mine, SUID, { bytes: pdfOf(10 * KB), name: 'c.pdf' }, { json: true });
    expect(json.status).toBe(507);
    expect(json.body.field).toBe('certificate');
    expect((await record(volunteer, w.mine, SUID)).status).toBe(303);
    expect(await w.counts()).toMatchObject({ withFile: 0, files: 0 });
  });
});

describe('a disk that fails under the file', () => {
  it('M5: answers with the full-disk message next to the field (507, never a 500), keeping nothing', async () => {
    const { w, volunteer } = await volunteerWith({});
    // The temporary folder cannot be made: a file stands in its place.
    writeFileSync(incomingDirOf(w.uploadsDir), 'not a folder');
    const before = await w.counts();
    const res = await record(volunteer, w.mine, SUID, { bytes: pdfOf(10 * KB), name: 'c.pdf' });
    expect(res.status).toBe(507);
    expect(fieldError(res.text)).toContain('The server is short of disk space');
    expect(await w.counts()).toEqual(before);
  });
});

describe('quotaRefusal', () => {
  const limits = { ...UPLOAD_LIMITS, personFiles: 2, personBytes: 100, centerFiles: 5, centerBytes: 1000 };
  const usage = (pf: number, pb: number, cf: number, cb: number) => ({ person: { files: pf, bytes: pb }, center: { files: cf, bytes: cb } });
  it('M5: takes a file that reaches each limit exactly, and refuses one byte or one file more', () => {
    expect(quotaRefusal(usage(1, 50, 1, 50), 50, limits)).toBeNull();
    expect(quotaRefusal(usage(1, 50, 1, 50), 51, limits)).toBe('person_bytes');
    expect(quotaRefusal(usage(2, 0, 2, 0), 1, limits)).toBe('person_files');
    expect(quotaRefusal(usage(0, 0, 5, 0), 1, limits)).toBe('center_files');
    expect(quotaRefusal(usage(0, 0, 4, 950), 50, limits)).toBeNull();
    expect(quotaRefusal(usage(0, 0, 4, 950), 51, limits)).toBe('center_bytes');
    // Asked before the body is read (size unknown): whether one more byte could fit.
    expect(quotaRefusal(usage(1, 100, 1, 100), 0, limits)).toBe('person_bytes');
  });
});
