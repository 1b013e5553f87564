import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seededApp, type SeededApp } from '../support/seeded-app.js';
import type { Agent } from '../support/agent.js';

/**
 * The roster import page (issue #19): choose a file, see every row with what will
 * happen to it, confirm; nothing stored before the confirm, and the confirm stores the
 * rows the preview showed. The rules of each column are tested on the service
 * (test/services/roster-import.test.ts); here, what a director sees and what is stored.
 */

let s: SeededApp<{ agents: ['director', 'staff'] }>;
let director: Agent;
const centerPath = () => `/centers/${s.seeded.center.id}`;

beforeEach(async () => {
  s = await seededApp({ agents: ['director', 'staff'] });
  director = s.agents.director;
});
afterEach(() => s.close());

const count = async (table: string, where: Record<string, unknown> = {}) =>
  Number(((await s.db(table).where(where).count({ n: '*' }).first()) as { n: number | string }).n);

/** Sends a file to the preview, as the page's form does. */
async function preview(agent: Agent, kind: string, csv: string | Buffer, filename = 'roster.csv') {
  const csrf = await agent.csrf();
  return agent
    .post(`${centerPath()}/import/preview?_csrf=${encodeURIComponent(csrf)}`)
    .field('kind', kind)
    .attach('file', typeof csv === 'string' ? Buffer.from(csv, 'utf8') : csv, { filename, contentType: 'text/csv' });
}

/** Sends back what the preview page's confirm form holds (its hidden fields), and ticks "seen" when asked. */
async function confirm(agent: Agent, page: string, opts: { seen?: boolean } = {}) {
  // As a browser reads them: Handlebars escapes = / ` ' & < > " in attributes.
  const unescape = (v: string) => v.replace(/&#x([0-9A-F]+);/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))).replaceAll('&quot;', '"').replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
  const hidden = (name: string) => {
    const v = new RegExp(`name="${name}" value="([^"]*)"`).exec(page)?.[1];
    return v === undefined ? undefined : unescape(v);
  };
  const action = unescape(/<form method="post" action="([^"]+)" enctype="multipart\/form-data" class="form">/.exec(page)![1]!);
  let req = agent.post(action).field('kind', hidden('kind')!).field('fileName', hidden('fileName') ?? '').field('file', hidden('file')!);
  if (opts.seen) req = req.field('seenRecords', 'yes');
  return req;
}

const CHILDREN = [
  '\uFEFFName,Birth_Date,Room,arrive,depart,days,Notes',
  'Maya R.,2025-05-31,infants,7:30,16:30,Mon-Fri,"likes songs, naps early"',
  '"Ruby, W.",2/3/2024,Toddlers,08:00,15:00,"Mon,Wed,Fri",',
  'Ada A.,2026-02-30,Infants,,,,',
  ',2024-01-01,Toddlers,,,,',
].join('\r\n');

describe('roster import page', () => {
  it('shows every row with what will happen, stores nothing, then imports the valid rows on confirm', async () => {
    const page = await director.get(`${centerPath()}/import`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Children file (CSV)');

    const before = await count('children');
    const checked = await preview(director, 'children', CHILDREN);
    expect(checked.status).toBe(200);
    expect(checked.text).toContain('4 rows');
    expect(checked.text).toMatch(/<strong>2<\/strong> to add, 0 already on file, 2 with problems/);
    expect(checked.text).toContain('Columns not used: Notes');
    expect(checked.text).toContain('Maya R.');
    expect(checked.text).toContain('Ruby, W.');
    expect(checked.text).toMatch(/<code>birth_date<\/code>: /);
    expect(checked.text).toMatch(/<code>name<\/code>: /);
    expect(checked.text).toContain('Import 2 children');
    expect(await count('children')).toBe(before);

    const done = await confirm(director, checked.text);
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe(`${centerPath()}/children`);
    const list = await director.get(done.headers.location!);
    expect(list.text).toContain('2 children added; 2 rows with problems not imported.');
    expect(await count('children', { center_id: s.seeded.center.id })).toBe(before + 2);
    const maya = await s.db('children').where({ display_name: 'Maya R.' }).first();
    expect(maya).toMatchObject({ birth_date: '2025-05-31', home_room_id: s.seeded.rooms.infants.id });
    expect(await count('child_schedules', { child_id: maya.id })).toBe(5);
    expect(await count('audit_log', { record_type: 'child', action: 'child.created' })).toBeGreaterThanOrEqual(2);

    // The same file again: both valid rows are now on file, nothing to add.
    const again = await preview(director, 'children', CHILDREN);
    expect(again.text).toMatch(/<strong>0<\/strong> to add, 2 already on file, 2 with problems/);
    expect(again.text).not.toContain('Import 0');
    expect(again.text).toContain('Nothing to add from this file.');
  });

  it('explains a file it cannot read next to the field, or on the preview, and stores nothing', async () => {
    const none = await preview(director, 'children', '', '');
    expect(none.status).toBe(422);
    expect(none.text).toContain('Choose a CSV file.');

    const latin1 = Buffer.from('name,birth_date,room\nJos\xe9 M.,2024-01-01,Infants\n', 'latin1');
    const bad = await preview(director, 'children', latin1);
    expect(bad.status).toBe(422);
    expect(bad.text).toMatch(/<p class="error" id="children-file-error">[^<]*not UTF-8/);
    expect(bad.text).not.toContain('name="file" value=');

    const missing = await preview(director, 'children', 'name,room\nMaya R.,Infants\n');
    expect(missing.status).toBe(422);
    expect(missing.text).toMatch(/<p class="error" id="children-file-error">[^<]*birth_date/);
    expect(await count('children', { display_name: 'Maya R.' })).toBe(0);
  });

  it('refuses a confirm whose file did not come back whole (422), and stores nothing', async () => {
    const csrf = await director.csrf();
    const res = await director
      .post(`${centerPath()}/import?_csrf=${encodeURIComponent(csrf)}`)
      .field('kind', 'children')
      .field('file', 'not base64 at all!');
    expect(res.status).toBe(422);
    expect(res.text).toContain('choose it again');
    expect(await count('children', { display_name: 'Maya R.' })).toBe(0);
  });

  it('imports people with their trainings awaiting review, or verified by the director who ticked “seen”', async () => {
    const csv = 'name,role,adult,email,suid,Pediatric first aid\nLena O.,teacher,yes,Lena@Example.org,2026-01-05,\nOmar H.,volunteer,yes,,2025-12-01,2025-11-01\n';
    const checked = await preview(director, 'people', csv);
    expect(checked.status).toBe(200);
    expect(checked.text).toContain('I have seen these training records');
    const done = await confirm(director, checked.text);
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe(`${centerPath()}/people`);
    expect((await director.get(done.headers.location!)).text).toContain('2 people added; 3 training records awaiting review.');
    const lena = await s.db('people').where({ display_name: 'Lena O.' }).first();
    expect(lena).toMatchObject({ role: 'teacher', email: 'lena@example.org' });
    expect(await s.db('training_records').where({ person_id: lena.id }).select('training_id', 'status')).toEqual([{ training_id: 'suid', status: 'submitted' }]);

    const seen = await confirm(director, (await preview(director, 'people', 'name,role,adult,suid\nPat K.,aide,yes,2026-01-05\n')).text, { seen: true });
    expect(seen.status).toBe(303);
    const pat = await s.db('people').where({ display_name: 'Pat K.' }).first();
    expect(await s.db('training_records').where({ person_id: pat.id }).first()).toMatchObject({ status: 'verified', reviewed_by_user_id: s.seeded.users.director.id });
  });

  it('gives templates, and the lists as CSV in the same columns: exported, then imported, adds nothing twice', async () => {
    const template = await director.get(`${centerPath()}/import/templates/children.csv`);
    expect(template.status).toBe(200);
    expect(template.headers['content-type']).toMatch(/^text\/csv/);
    expect(template.text.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe('name,birth_date,room,arrive,depart,days,kindergarten');
    expect((await director.get(`${centerPath()}/import/templates/people.csv`)).text).toContain('name,role');
    expect((await director.get(`${centerPath()}/import/templates/rooms.csv`)).status).toBe(404);

    await confirm(director, (await preview(director, 'children', CHILDREN)).text);
    for (const kind of ['children', 'people'] as const) {
      const exported = await director.get(`${centerPath()}/${kind}.csv`).buffer(true).parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
      expect(exported.status).toBe(200);
      const back = await preview(director, kind, exported.body as Buffer);
      expect(back.status).toBe(200);
      expect(back.text).toMatch(/<strong>0<\/strong> to add, \d+ already on file, 0 with problems/);
    }
  });

  it('is for managers only: staff are refused the page, the preview and the lists', async () => {
    const staff = s.agents.staff;
    expect([403, 404]).toContain((await staff.get(`${centerPath()}/import`)).status);
    expect([403, 404]).toContain((await preview(staff, 'children', CHILDREN)).status);
    expect([403, 404]).toContain((await staff.get(`${centerPath()}/people.csv`)).status);
    expect(await count('children', { display_name: 'Maya R.' })).toBe(0);
  });
});
