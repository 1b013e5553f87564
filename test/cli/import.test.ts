/**
 * `npm run -s import -- --center <id> --children <file> --people <file> [--dry-run] [--seen-records]`:
 * one JSON object on stdout; exit 0 when every row is valid or a duplicate, 1 when a row
 * is rejected (and then nothing is stored), 2 with one line on stderr for bad arguments,
 * an unknown center or a file it cannot read.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliProcess } from '../support/cli.js';
import { seedCenter, type SeededCenter } from '../support/builders.js';
import { createTestDb, type TestDb } from '../support/db.js';

let t: TestDb;
let home: SeededCenter;
let dir: string;
beforeEach(async () => {
  t = await createTestDb();
  home = await seedCenter(t.db);
  dir = mkdtempSync(join(tmpdir(), 'ratiowatch-import-'));
});
afterEach(async () => {
  await t.destroy();
  rmSync(dir, { recursive: true, force: true });
});

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/roster/${name}`, import.meta.url));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const runImport = (...args: string[]) => runCliProcess('import', { args, env: { ...t.env, NODE_ENV: 'test' } });
const count = async (table: string) => Number(((await t.db(table).where({ center_id: home.center.id }).count({ n: '*' })) as { n: number | string }[])[0]!.n);

describe('import', () => {
  it('imports children and people, prints the counts as JSON and exits 0', async () => {
    const before = { children: await count('children'), people: await count('people') };
    const { status, stdout, stderr } = runImport('--center', home.center.id, '--children', fixture('children-bom-crlf.csv'), '--people', fixture('people.csv'), '--seen-records');
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      children: { rows: 3, valid: 3, imported: 3, duplicates: 0, rejected: [], ignoredColumns: ['Allergies'] },
      people: { rows: 2, valid: 2, imported: 2, duplicates: 0, rejected: [], ignoredColumns: ['Juggling'] },
    });
    expect(await count('children')).toBe(before.children + 3);
    expect(await count('people')).toBe(before.people + 2);
    // From the command line nobody signs in: the entries have no user, and say how they came.
    const summary = await t.db('audit_log').where({ action: 'roster.imported' }).first();
    expect(summary.actor_user_id).toBeNull();
    const changes = typeof summary.changes === 'string' ? JSON.parse(summary.changes) : summary.changes;
    expect(changes.after).toMatchObject({ via: 'cli', seenRecords: true, seenRecordsBy: null });
    expect(await t.db('training_records').where({ center_id: home.center.id, status: 'verified', reviewed_by_user_id: null }).whereNot({ person_id: home.people.volunteer.id })).toHaveLength(2);

    // Again: everything is already on file.
    const again = runImport('--center', home.center.id, '--children', fixture('children-bom-crlf.csv'));
    expect(again.status).toBe(0);
    expect(JSON.parse(again.stdout).children).toMatchObject({ rows: 3, valid: 0, imported: 0, duplicates: 3, rejected: [] });
  }, 60_000);

  it('exits 1 and stores nothing when any row is rejected, listing each with its row, field and message', async () => {
    const before = { children: await count('children'), people: await count('people'), audit: Number(((await t.db('audit_log').count({ n: '*' })) as { n: number }[])[0]!.n) };
    const { status, stdout } = runImport('--center', home.center.id, '--children', fixture('children-bad.csv'), '--people', fixture('people.csv'));
    expect(status).toBe(1);
    const out = JSON.parse(stdout);
    expect(out.children).toMatchObject({ rows: 4, valid: 0, imported: 0, duplicates: 0 });
    expect(out.children.rejected[0]).toEqual({ row: 2, field: 'birth_date', message: '2025-02-30 is not a date.' });
    expect(out.children.rejected.map((r: { row: number }) => r.row)).toEqual([2, 3, 4, 5]);
    // The people file was fine, but the import is all or nothing.
    expect(out.people).toMatchObject({ rows: 2, valid: 2, imported: 0, rejected: [] });
    expect({ children: await count('children'), people: await count('people'), audit: Number(((await t.db('audit_log').count({ n: '*' })) as { n: number }[])[0]!.n) }).toEqual(before);
  }, 60_000);

  it('reports a file-level problem as a rejected entry on row 1 with no field, and exits 1', () => {
    const { status, stdout } = runImport('--center', home.center.id, '--children', fixture('children-latin1.csv'));
    expect(status).toBe(1);
    const out = JSON.parse(stdout);
    expect(out).toEqual({ children: { rows: 0, valid: 0, imported: 0, duplicates: 0, rejected: [{ row: 1, field: null, message: expect.stringMatching(/^The file is not UTF-8 text/) }], ignoredColumns: [] } });
  }, 30_000);

  it('with --dry-run, checks and stores nothing', async () => {
    const before = await count('children');
    const { status, stdout } = runImport('--center', home.center.id, '--children', fixture('children-bom-crlf.csv'), '--dry-run');
    expect(status).toBe(0);
    expect(JSON.parse(stdout).children).toMatchObject({ rows: 3, valid: 3, imported: 0 });
    expect(await count('children')).toBe(before);
  }, 30_000);

  it('answers bad arguments, an unknown center and an unreadable file with one line on stderr and exit 2', () => {
    const good = file('ok.csv', 'name,birth_date,room\nA,2024-01-01,Infants\n');
    for (const args of [
      [],
      ['--center', home.center.id],
      ['--children', good],
      ['--center', home.center.id, '--children', good, '--wat'],
      ['--center', home.center.id, '--children', good, 'extra'],
      ['--center', 'no-such-center', '--children', good],
      ['--center', home.center.id, '--children', join(dir, 'missing.csv')],
    ]) {
      const { status, stdout, stderr } = runImport(...args);
      expect(status, args.join(' ')).toBe(2);
      expect(stdout, args.join(' ')).toBe('');
      expect(stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
  }, 120_000);
});
