import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../../src/db/audit.js';
import { createMembership } from '../../src/db/memberships.js';
import { createPerson } from '../../src/db/people.js';
import { createTrainingRecord } from '../../src/db/trainings.js';
import { createUser } from '../../src/db/users.js';
import { hashPassword } from '../../src/passwords.js';
import type { Deps } from '../../src/web/app.js';
import { signInAs, type Agent } from '../support/agent.js';
import { TEST_PASSWORD, type SeededCenter } from '../support/builders.js';
import { TEST_SCRYPT } from '../support/deps.js';
import { seededApp, type App } from '../support/seeded-app.js';

// 2026-03-02 06:45 in Chicago.
const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n%%EOF\n');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64)]);
const HTML = Buffer.from('<!doctype html><script>alert(document.cookie)</script>');

let deps: Deps;
let app: App;
let seeded: SeededCenter;
let volunteer: Agent;
let director: Agent;
let uploadsDir: string;
let close: () => Promise<void>;

beforeEach(async () => {
  const world = await seededApp({ uploads: true });
  ({ deps, app, seeded, uploadsDir, close } = world);
  // Cleared, with every Minnesota training for toddlers verified; no safe-sleep (infant) training yet.
  await deps.db('people').where({ id: seeded.people.volunteer.id }).update({ background_study: 'cleared', background_cleared_on: '2025-12-01' });
  for (const trainingId of ['orientation', 'aht', 'first_aid']) {
    await createTrainingRecord(deps.db, { centerId: seeded.center.id, personId: seeded.people.volunteer.id, trainingId, completedOn: '2026-01-10', status: 'verified', at: deps.clock.now() });
  }
  volunteer = await world.signIn('volunteer');
  director = await world.signIn('director');
});
afterEach(() => close());

const mine = () => `/centers/${seeded.center.id}/my/trainings`;
const storedFiles = () => readdirSync(uploadsDir, { recursive: true }).filter((f) => statSync(join(uploadsDir, String(f))).isFile());
const counts = async () => ({
  records: Number((await deps.db('training_records').count({ n: '*' }).first())!.n),
  audit: Number((await deps.db('audit_log').count({ n: '*' }).first())!.n),
  files: storedFiles().length,
});

/** Posts the phone form as a browser does: multipart, the CSRF token in the action's query string. */
async function record(agent: Agent, fields: Record<string, string>, file?: { bytes: Buffer; name: string; type?: string }, opts: { csrf?: boolean } = {}) {
  const token = await agent.csrf();
  let req = agent.post(opts.csrf !== false ? `${mine()}?_csrf=${token}` : mine());
  // As a field, the token is not read: the body is read after the CSRF check.
  if (opts.csrf === false) req = req.field('_csrf', token);
  for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
  if (file) req = req.attach('certificate', file.bytes, { filename: file.name, contentType: file.type ?? 'application/pdf' });
  return req;
}
const SUID = { trainingId: 'suid', completedOn: '2026-02-20', provider: 'Minnesota Safe Sleep', certificateNumber: 'SS-1234' };

describe('GET /centers/:centerId/my/trainings', () => {
  it('says in plain words where the volunteer can cover and what the infant room still needs', async () => {
    const res = await volunteer.get(mine()).expect(200);
    expect(res.text).toContain('You can cover: <strong>Toddlers</strong>.');
    expect(res.text).toContain('To count in <strong>Infants</strong> you still need:');
    expect(res.text).toContain('<li>Safe sleep (SUID) <span class="cover-how">(record it)</span></li>');
    expect(res.text).toContain('enctype="multipart/form-data"');
  });
});

describe('POST /centers/:centerId/my/trainings', () => {
  it('records a training without a file as submitted, pending review, with an audit entry', async () => {
    const res = await record(volunteer, SUID);
    expect(res.status).toBe(303);
    const row = await deps.db('training_records').where({ training_id: 'suid' }).first();
    expect(row).toMatchObject({ person_id: seeded.people.volunteer.id, status: 'submitted', completed_on: '2026-02-20', provider: 'Minnesota Safe Sleep', certificate_number: 'SS-1234', file_path: null });
    const entry = await deps.db('audit_log').where({ action: 'training_record.submitted' }).first();
    expect(entry).toMatchObject({ record_id: row.id, actor_user_id: seeded.users.volunteer.id });
    expect(entry.changes).not.toContain('SS-1234');
    const page = await volunteer.get(mine());
    // Told what happened, and what comes next.
    expect(page.text).toContain('<p class="flash flash-ok" role="status">Safe sleep (SUID) recorded. Your director verifies it; until then it does not count.</p>');
    expect(page.text).toMatch(/Safe sleep \(SUID\)<\/strong>, completed 2026-02-20<\/p>\s*<p><span class="chip chip-info"><span aria-hidden="true">…<\/span> pending review/);
    // Not verified: still not counted for infants, and the list says who acts next.
    expect(page.text).toContain('To count in <strong>Infants</strong> you still need:');
    expect(page.text).toContain('<li>Safe sleep (SUID) (recorded, pending review) <span class="cover-how">(your director verifies it)</span></li>');
  });

  it('stores a PDF certificate under a random name outside the web root, keeping its type and size but not its name', async () => {
    const res = await record(volunteer, SUID, { bytes: PDF, name: 'My CPR card.pdf' });
    expect(res.status).toBe(303);
    const row = await deps.db('training_records').where({ training_id: 'suid' }).first();
    expect(row).toMatchObject({ file_type: 'application/pdf', file_size: PDF.length });
    expect(row.file_path).toMatch(new RegExp(`^${seeded.center.id}/[0-9a-f]{32}$`));
    expect(JSON.stringify(row)).not.toContain('CPR card');
    expect(readFileSync(join(uploadsDir, row.file_path))).toEqual(PDF);
    expect((statSync(join(uploadsDir, row.file_path)).mode & 0o777).toString(8)).toBe('600');
  });

  it('accepts a PNG photo by its content', async () => {
    expect((await record(volunteer, SUID, { bytes: PNG, name: 'photo.png', type: 'application/octet-stream' })).status).toBe(303);
    expect(await deps.db('training_records').where({ training_id: 'suid' }).first()).toMatchObject({ file_type: 'image/png' });
  });

  for (const [what, file, message] of [
    ['HTML named .pdf', { bytes: HTML, name: 'certificate.pdf' }, 'This file is not a PDF, JPEG or PNG.'],
    ['a PNG named .pdf', { bytes: PNG, name: 'certificate.pdf' }, 'This file&#x27;s name says a PDF but its content is a PNG image. Choose the original file.'],
    ['an empty file', { bytes: Buffer.alloc(0), name: 'empty.pdf' }, 'This file is not a PDF, JPEG or PNG.'],
  ] as const) {
    it(`refuses ${what} by its content, with a message next to the file and nothing stored`, async () => {
      const before = await counts();
      const res = await record(volunteer, SUID, file);
      expect(res.status).toBe(422);
      expect(res.text).toContain('<p class="error" id="certificate-error">');
      expect(res.text).toContain(message);
      // What was typed is kept; the file has to be chosen again.
      expect(res.text).toContain('value="Minnesota Safe Sleep"');
      expect(res.text).toContain('Choose the file again.');
      expect(await counts()).toEqual(before);
    });
  }

  it('refuses a file over 5 MB with a clear message, storing nothing', async () => {
    const before = await counts();
    const big = Buffer.concat([PDF, Buffer.alloc(5 * 1024 * 1024 + 1 - PDF.length)]);
    const res = await record(volunteer, SUID, { bytes: big, name: 'big.pdf' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('The file is larger than 5 MB.');
    expect(await counts()).toEqual(before);
  });

  it('accepts a file of exactly 5 MB', async () => {
    const exact = Buffer.concat([PDF, Buffer.alloc(5 * 1024 * 1024 - PDF.length)]);
    expect((await record(volunteer, SUID, { bytes: exact, name: 'exact.pdf' })).status).toBe(303);
    expect(storedFiles()).toHaveLength(1);
  });

  it('cuts off a request far over the limit with 413', async () => {
    const before = await counts();
    const res = await record(volunteer, SUID, { bytes: Buffer.alloc(8 * 1024 * 1024), name: 'huge.pdf' });
    expect(res.status).toBe(413);
    expect(await counts()).toEqual(before);
  });

  it('refuses a completion date in the future, or not a date, next to the field', async () => {
    const before = await counts();
    const future = await record(volunteer, { ...SUID, completedOn: '2026-03-03' }, { bytes: PDF, name: 'c.pdf' });
    expect(future.status).toBe(422);
    expect(future.text).toContain('<p class="error" id="completedOn-error">The date cannot be in the future.</p>');
    const bad = await record(volunteer, { ...SUID, completedOn: '2026-02-31' });
    expect(bad.text).toContain('Enter a real date, like 2026-03-02.');
    const none = await record(volunteer, { ...SUID, trainingId: 'nonsense', provider: '' });
    expect(none.text).toContain('Choose one of the trainings listed.');
    expect(none.text).toContain('Enter who gave the training.');
    expect(await counts()).toEqual(before);
  });

  it('takes today as the latest date, on the center calendar', async () => {
    expect((await record(volunteer, { ...SUID, completedOn: '2026-03-02' })).status).toBe(303);
  });

  it('refuses a multipart form without the CSRF token, storing nothing', async () => {
    const before = await counts();
    const res = await record(volunteer, SUID, { bytes: PDF, name: 'c.pdf' }, { csrf: false });
    expect(res.status).toBe(403);
    expect(await counts()).toEqual(before);
  });
});

describe('verification and rejection', () => {
  const submitted = async () => {
    await record(volunteer, SUID, { bytes: PDF, name: 'c.pdf' });
    return (await deps.db('training_records').where({ training_id: 'suid' }).first()).id as string;
  };
  const path = (id: string, what: string) => `/centers/${seeded.center.id}/training-records/${id}/${what}`;

  it('lets a director verify a record, which then counts: the volunteer can cover infants', async () => {
    const id = await submitted();
    const queue = await director.get(`/centers/${seeded.center.id}/volunteers`);
    expect(queue.text).toContain(`action="${path(id, 'verification')}"`);
    expect((await director.submit(path(id, 'verification'))).status).toBe(303);
    expect(await deps.db('training_records').where({ id }).first()).toMatchObject({ status: 'verified', reviewed_by_user_id: seeded.users.director.id });
    const entry = await deps.db('audit_log').where({ action: 'training_record.verified' }).first();
    expect(JSON.parse(entry.changes)).toEqual({ before: { status: 'submitted' }, after: { status: 'verified' } });
    // The director is told it was done, once, above the queue.
    const after = (await director.get(`/centers/${seeded.center.id}/volunteers`)).text.replaceAll('&#x27;', "'");
    expect(after).toContain(`<p class="flash flash-ok" role="status">Verified: ${seeded.people.volunteer.displayName}'s Safe sleep (SUID) training.</p>`);
    expect((await director.get(`/centers/${seeded.center.id}/volunteers`)).text).not.toContain('Verified: ');
    const page = await volunteer.get(mine());
    expect(page.text).toContain('You can cover: <strong>Infants, Toddlers</strong>.');
    expect(page.text).not.toContain('you still need');
    expect(page.text).toContain('current');
    // A second click changes nothing.
    expect((await director.submit(path(id, 'verification'))).status).toBe(303);
    expect(await deps.db('audit_log').where({ action: 'training_record.verified' })).toHaveLength(1);
    expect(await verifyAuditLog(deps.db)).toMatchObject({ ok: true });
  });

  it('asks for a reason to reject, then shows the volunteer that reason', async () => {
    const id = await submitted();
    const empty = await director.submit(path(id, 'rejection'), { reason: '  ' });
    expect(empty.status).toBe(422);
    expect(empty.text).toContain(`<p class="error" id="reason-${id}-error">Say why, so the person knows what to fix.</p>`);
    // The field in error takes the focus, so the message is not far below the top of a long page.
    expect(empty.text).toMatch(new RegExp(`id="reason-${id}"[^>]*aria-invalid="true"[^>]*autofocus`));
    expect(await deps.db('training_records').where({ id }).first()).toMatchObject({ status: 'submitted' });

    expect((await director.submit(path(id, 'rejection'), { reason: 'The date on the card is 2025, not 2026.' })).status).toBe(303);
    expect((await director.get(`/centers/${seeded.center.id}/volunteers`)).text.replaceAll('&#x27;', "'")).toContain(
      `Not accepted: ${seeded.people.volunteer.displayName}'s Safe sleep (SUID) training. They are told why.`,
    );
    expect(await deps.db('training_records').where({ id }).first()).toMatchObject({ status: 'rejected', rejection_reason: 'The date on the card is 2025, not 2026.' });
    const page = await volunteer.get(mine());
    expect(page.text).toContain('rejected');
    expect(page.text).toContain('The date on the card is 2025, not 2026.');
    expect(page.text).toContain('To count in <strong>Infants</strong> you still need:');
    expect(page.text).toContain('<li>Safe sleep (SUID) (not accepted: The date on the card is 2025, not 2026.) <span class="cover-how">(record it again)</span></li>');
  });

  it('does not let a volunteer or staff member verify or reject', async () => {
    const id = await submitted();
    const staff = await signInAs(app, seeded.users.staff);
    for (const agent of [volunteer, staff]) {
      expect((await agent.submit(path(id, 'verification'))).status).toBe(403);
      expect((await agent.submit(path(id, 'rejection'), { reason: 'x' })).status).toBe(403);
    }
    expect(await deps.db('training_records').where({ id }).first()).toMatchObject({ status: 'submitted' });
  });

  it('does not let a director verify their own record', async () => {
    // The director on file as a person of their own (one account per person: the teacher is the staff member's).
    const me = await createPerson(deps.db, { centerId: seeded.center.id, displayName: 'Dana Director', role: 'director', adultAttested: true, at: deps.clock.now() });
    await deps.db('memberships').where({ id: seeded.memberships.director.id }).update({ person_id: me.id });
    const own = await createTrainingRecord(deps.db, { centerId: seeded.center.id, personId: me.id, trainingId: 'cpr', completedOn: '2026-02-01', status: 'submitted', at: deps.clock.now() });
    expect((await director.submit(path(own.id, 'verification'))).status).toBe(403);
    expect((await director.get(`/centers/${seeded.center.id}/volunteers`)).text).toContain('Your own record: another director or the owner verifies it.');
    const owner = await signInAs(app, seeded.users.owner);
    expect((await owner.submit(path(own.id, 'verification'))).status).toBe(303);
  });
});

describe('GET /centers/:centerId/training-records/:recordId/file', () => {
  let recordId: string;
  let other: Agent;
  beforeEach(async () => {
    await record(volunteer, SUID, { bytes: PDF, name: 'c.pdf' });
    recordId = (await deps.db('training_records').where({ training_id: 'suid' }).first()).id;
    // Another volunteer of the same center, with an account.
    const at = deps.clock.now();
    const peer = await createPerson(deps.db, { centerId: seeded.center.id, displayName: 'Peer Volunteer', role: 'volunteer', qualifiesAs: 'aide', adultAttested: true, at });
    const user = await createUser(deps.db, { email: 'peer@example.test', displayName: 'Peer', passwordHash: await hashPassword(TEST_PASSWORD, TEST_SCRYPT), at });
    if (!user.ok) throw new Error('peer');
    await createMembership(deps.db, { userId: user.user.id, organizationId: seeded.organization.id, centerId: seeded.center.id, role: 'volunteer', personId: peer.id, at });
    other = await signInAs(app, { email: 'peer@example.test', password: TEST_PASSWORD });
  });
  const file = () => `/centers/${seeded.center.id}/training-records/${recordId}/file`;

  it('serves the certificate to its volunteer as a download of the sniffed type', async () => {
    const res = await volunteer.get(file()).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="certificate-${recordId}.pdf"`);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(res.body).toEqual(PDF);
  });

  it('serves it to the director and the owner', async () => {
    expect((await director.get(file())).status).toBe(200);
    expect((await (await signInAs(app, seeded.users.owner)).get(file())).status).toBe(200);
  });

  it("answers 404 to another volunteer, for the file and on their own pages, and never lists the other's records", async () => {
    const res = await other.get(file());
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('%PDF');
    const page = await other.get(mine());
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('Minnesota Safe Sleep');
    expect(page.text).not.toContain(recordId);
    // Nor may they review it.
    expect((await other.submit(`/centers/${seeded.center.id}/training-records/${recordId}/verification`)).status).toBe(403);
  });

  it('answers 404 to a staff member, and for a record without a file', async () => {
    expect((await (await signInAs(app, seeded.users.staff)).get(file())).status).toBe(404);
    const bare = await createTrainingRecord(deps.db, { centerId: seeded.center.id, personId: seeded.people.volunteer.id, trainingId: 'cpr', completedOn: '2026-02-01', status: 'submitted', at: deps.clock.now() });
    expect((await volunteer.get(`/centers/${seeded.center.id}/training-records/${bare.id}/file`)).status).toBe(404);
  });
});

describe('GET /centers/:centerId/trainings', () => {
  it("lists the pack's trainings with validity, deadline, citation and 'not confirmed' markers", async () => {
    const res = await volunteer.get(`/centers/${seeded.center.id}/trainings`).expect(200);
    expect(res.text).toContain('Safe sleep (SUID)');
    expect(res.text).toContain('before caring for infants');
    expect(res.text).toContain('12 months');
    expect(res.text).toContain('Not confirmed');
    expect(res.text).toContain('Minn. Stat. 142B.65');
    // Volunteers see it, but not the form to add one.
    expect(res.text).not.toContain('Add a center training');
  });

  it("lets a director add a center training that then holds volunteers out of the ages it names until verified, and archive it", async () => {
    const catalog = `/centers/${seeded.center.id}/trainings`;
    const add = await director.submit(catalog, { label: 'Accident reporting and headcount', code: 'Accident-Reporting', renewalMonths: '12', roles: 'volunteer', gate: 'before', categories: 'toddler' });
    expect(add.status).toBe(303);
    const row = await deps.db('center_trainings').where({ center_id: seeded.center.id }).first();
    expect(row).toMatchObject({ code: 'accident-reporting', required_for_roles: 'volunteer', categories: 'toddler', gate: 'before', renewal_months: 12 });
    expect(await deps.db('audit_log').where({ action: 'center_training.created', record_id: row.id })).toHaveLength(1);
    const page = await volunteer.get(mine());
    expect(page.text).toContain('You cannot be counted in any room yet.');
    expect(page.text).toContain('<li>Accident reporting and headcount <span class="cover-how">(record it)</span></li>');
    // A volunteer can record it.
    expect(page.text).toContain('<option value="accident-reporting">Accident reporting and headcount</option>');

    expect((await director.submit(`${catalog}/${row.id}/archival`)).status).toBe(303);
    expect((await volunteer.get(mine())).text).toContain('You can cover: <strong>Toddlers</strong>.');
  });

  it('refuses a duplicate code, a pack id as code, and a gate without ages, next to the fields', async () => {
    const catalog = `/centers/${seeded.center.id}/trainings`;
    const fields = { label: 'Headcount', code: 'headcount', roles: 'volunteer', gate: 'none' };
    expect((await director.submit(catalog, fields)).status).toBe(303);
    const dup = await director.submit(catalog, fields);
    expect(dup.status).toBe(422);
    expect(dup.text).toContain('This center already has a training with this code.');
    const pack = await director.submit(catalog, { ...fields, code: 'suid' });
    expect(pack.text).toContain('The rule pack already has a training with this code');
    const gate = await director.submit(catalog, { ...fields, code: 'other', gate: 'before' });
    expect(gate.text).toContain('Choose the ages for which it is needed to count.');
    expect(await deps.db('center_trainings')).toHaveLength(1);
  });
});
