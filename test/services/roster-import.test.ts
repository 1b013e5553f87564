/**
 * The roster import (services/roster/): CSV files of children and people read,
 * checked row by row against the center (the preview), stored all valid rows in one
 * transaction with their audit entries (the commit), and the lists exported back in
 * the same columns so a round trip adds nothing twice.
 */
import { readFileSync } from 'node:fs';
import type { Knex } from 'knex';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../../src/db/audit.js';
import { createCenterTraining } from '../../src/db/center-trainings.js';
import { createChild } from '../../src/db/children.js';
import { getPack } from '../../src/domain/rules/index.js';
import {
  checkRosterFile,
  childrenTemplateCsv,
  commitRoster,
  exportChildrenCsv,
  exportPeopleCsv,
  MAX_ROWS,
  NOT_UTF8,
  peopleTemplateCsv,
  previewRoster,
  reportCounts,
  rowErrorText,
  type RosterContext,
  type RosterReport,
} from '../../src/services/roster/index.js';
import { seedCenter, type SeededCenter } from '../support/builders.js';
import { createTestDb, type TestDb } from '../support/db.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/roster/${name}`, import.meta.url));
const bytes = (text: string) => Buffer.from(text, 'utf8');
const TODAY = '2026-03-02';
const AT = new Date('2026-03-02T18:00:00Z');
const pack = getPack('MN')!;

/** A center as plain data: two rooms (one archived), one child and one person on file. */
const ctx: RosterContext = {
  children: {
    pack,
    today: TODAY,
    rooms: [
      { id: 'r-inf', name: 'Infants', archivedAt: null },
      { id: 'r-tod', name: 'Toddlers', archivedAt: null },
      { id: 'r-old', name: 'Old room', archivedAt: '2026-01-01T00:00:00Z' },
    ],
    children: [{ id: 'c-1', displayName: 'Ola Berg', birthDate: '2024-02-02', archivedAt: null }],
  },
  people: {
    pack,
    today: TODAY,
    trainings: [...pack.trainings.map((t) => ({ id: t.id, label: t.label })), { id: 'allergy', label: 'Allergy response' }],
    people: [{ id: 'p-1', displayName: 'Rosa Ng', birthDate: '1990-01-01', archivedAt: '2026-01-01T00:00:00Z' }],
  },
};
const children = (csv: string | Buffer) => checkRosterFile('children', typeof csv === 'string' ? bytes(csv) : csv, ctx);
const people = (csv: string | Buffer) => checkRosterFile('people', typeof csv === 'string' ? bytes(csv) : csv, ctx);
const line = (report: RosterReport, row: number) => report.lines.find((l) => l.row === row)!;

describe('checkRosterFile: children', () => {
  it('reads a UTF-8 file with a byte-order mark and CRLF line ends, headers in any case, quoted commas and both date forms', () => {
    const { report, toAdd } = children(fixture('children-bom-crlf.csv'));
    expect(report.fileErrors).toEqual([]);
    expect(report.rows).toBe(3);
    expect(report.ignoredColumns).toEqual(['Allergies']);
    expect(report.lines.map((l) => l.outcome)).toEqual(['add', 'add', 'add']);
    expect(toAdd[0]).toMatchObject({ row: 2, displayName: 'Lee, Sam', birthDate: '2024-05-31', homeRoomId: 'r-inf', attendsKindergarten: false });
    expect(toAdd[0]!.schedule).toEqual([1, 2, 3, 4, 5].map((weekday) => ({ weekday, arrive: '07:30', depart: '16:30' })));
    // 1/15/2023 is month/day/year; "toddlers " finds the room Toddlers.
    expect(toAdd[1]).toMatchObject({ row: 3, displayName: 'Maya R.', birthDate: '2023-01-15', homeRoomId: 'r-tod' });
    expect(toAdd[1]!.schedule.map((d) => d.weekday)).toEqual([1, 2, 3, 5]);
    expect(toAdd[2]).toMatchObject({ displayName: 'Noah', attendsKindergarten: true, schedule: [] });
    expect(line(report, 2).summary).toBe('Lee, Sam, born 2024-05-31, Infants, Mon-Fri 07:30–16:30');
  });

  it('reads the same file with LF line ends and no byte-order mark', () => {
    const lf = fixture('children-bom-crlf.csv').toString('utf8').replace(/^\uFEFF/, '').replaceAll('\r\n', '\n');
    const { report, toAdd } = children(lf);
    expect(report.lines.map((l) => l.outcome)).toEqual(['add', 'add', 'add']);
    expect(toAdd.map((c) => c.displayName)).toEqual(['Lee, Sam', 'Maya R.', 'Noah']);
  });

  it('rejects 30 February, a future birth date, an empty name and an unknown room, each with its row, field and message', () => {
    const { report, toAdd } = children(fixture('children-bad.csv'));
    expect(toAdd).toEqual([]);
    expect(report.lines.map((l) => l.outcome)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
    expect(rowErrorText(2, line(report, 2).errors[0]!)).toBe('Row 2, birth_date: 2025-02-30 is not a date.');
    expect(line(report, 3).errors).toEqual([{ field: 'birth_date', message: '2027-01-01 is in the future.' }]);
    expect(line(report, 4).errors).toEqual([{ field: 'name', message: 'The name is empty: every child needs one.' }]);
    expect(line(report, 5).errors).toEqual([{ field: 'room', message: 'There is no room named “Koalas”. Rooms: Infants, Toddlers.' }]);
  });

  it('refuses an archived room, and a child older than the pack serves', () => {
    const { report } = children('name,birth_date,room\nA,2024-01-01,old room\nB,2010-01-01,Infants\n');
    expect(line(report, 2).errors[0]).toEqual({ field: 'room', message: 'The room “old room” is archived. Rooms: Infants, Toddlers.' });
    expect(line(report, 3).errors[0]!.field).toBe('birth_date');
    expect(line(report, 3).errors[0]!.message).toMatch(/^A child born 2010-01-01 is too old for this center/);
  });

  it('reads days as names, ranges and mixes, and asks for times with days, both times, and departure after arrival', () => {
    const { report, toAdd } = children(
      [
        'name,birth_date,room,arrive,depart,days',
        'A,2024-01-01,Infants,7:00,12:00,"tue,THU"',
        'B,2024-01-02,Infants,,,Mon-Fri',
        'C,2024-01-03,Infants,08:00,,',
        'D,2024-01-04,Infants,09:00,08:00,',
        'E,2024-01-05,Infants,08:00,16:00,Fri-Mon',
        'F,2024-01-06,Infants,08:00,16:00,Funday',
        'G,2024-01-07,Infants,25:00,16:00,',
      ].join('\n'),
    );
    expect(toAdd.map((c) => [c.displayName, c.schedule.map((d) => d.weekday)])).toEqual([['A', [2, 4]]]);
    expect(line(report, 3).errors.map((e) => e.field)).toEqual(['arrive', 'depart']);
    expect(line(report, 4).errors).toEqual([{ field: 'depart', message: 'The departure time is empty: give both arrive and depart, or neither.' }]);
    expect(line(report, 5).errors).toEqual([{ field: 'depart', message: 'The departure at 08:00 must be after the arrival at 09:00.' }]);
    expect(line(report, 6).errors[0]).toMatchObject({ field: 'days', message: expect.stringContaining('runs backwards') });
    expect(line(report, 7).errors[0]).toMatchObject({ field: 'days', message: expect.stringContaining('“Funday” is not a day') });
    expect(line(report, 8).errors[0]).toMatchObject({ field: 'arrive', message: expect.stringContaining('24-hour time') });
  });

  it('reports a child already on file (name in any case, same birth date) and a repeat within the file as duplicates, not rows to add', () => {
    const { report, toAdd } = children('name,birth_date,room\n  ola  berg ,2024-02-02,Nowhere\nTia,2024-03-03,Infants\nTIA,3/3/2024,Toddlers\nOla Berg,2024-02-03,Infants\n');
    expect(report.lines.map((l) => l.outcome)).toEqual(['duplicate', 'add', 'duplicate', 'add']);
    expect(line(report, 2).duplicateOf).toEqual({ source: 'on_file', id: 'c-1', name: 'Ola Berg', archived: false });
    expect(line(report, 4).duplicateOf).toEqual({ source: 'file', row: 3 });
    expect(line(report, 4).summary).toBe('TIA, born 2024-03-03: the same child as row 3; not added twice.');
    expect(toAdd.map((c) => c.row)).toEqual([3, 5]);
  });

  it('lists extra columns, and refuses a file missing a required column as a whole', () => {
    const { report } = children('name,birth_date,notes\nA,2024-01-01,x\n');
    expect(report.fileErrors).toEqual([
      'The file has no “room” column. A children file needs the columns name, birth_date, room in its first row (download the template to see them).',
    ]);
    expect(report.ignoredColumns).toEqual(['notes']);
    expect(report.lines).toEqual([]);
  });

  it('refuses a file that is not UTF-8 as a whole, with one message', () => {
    const { report } = children(fixture('children-latin1.csv'));
    expect(report.fileErrors).toEqual([NOT_UTF8]);
    expect(report.lines).toEqual([]);
  });

  it('refuses an unclosed quote with its line, and too many rows, without throwing', () => {
    expect(children('name,birth_date,room\n"Ava,2024-01-01,Infants\nBo,2024-01-01,Infants\n').report.fileErrors[0]).toMatch(/^The file could not be read \(line \d\): a cell opens a quote/);
    const many = ['name,birth_date,room', ...Array.from({ length: MAX_ROWS + 1 }, (_, i) => `C${i},2024-01-01,Infants`)].join('\n');
    expect(children(many).report.fileErrors[0]).toMatch(/^The file has 2,001 rows; at most 2,000/);
    expect(children('').report.fileErrors[0]).toMatch(/^The file is empty/);
  });

  it('numbers rows as a spreadsheet does: blank lines are counted but not listed, a short row is a row error', () => {
    const { report } = children('name,birth_date,room\n\nA,2024-01-01,Infants\n,,\nB,2024-01-01\nC,2024-01-01,Infants,extra\n');
    expect(report.rows).toBe(3);
    expect(report.lines.map((l) => [l.row, l.outcome])).toEqual([
      [3, 'add'],
      [5, 'rejected'],
      [6, 'rejected'],
    ]);
    expect(line(report, 5).errors[0]!.field).toBe('room');
    expect(line(report, 6).errors[0]).toMatchObject({ field: null, message: expect.stringContaining('must be put in quotes') });
  });

  it("takes off the ' our export puts before a cell starting with = + - @, and only that", () => {
    const { toAdd } = children("name,birth_date,room\n'=Ava,2024-01-01,Infants\n'Bo,2024-01-01,Infants\n");
    expect(toAdd.map((c) => c.displayName)).toEqual(['=Ava', "'Bo"]);
  });
});

describe('checkRosterFile: people', () => {
  it('reads roles, levels, email, the background study and training columns by id and by label, and lists an unknown training column', () => {
    const { report, toAdd } = people(fixture('people.csv'));
    expect(report.fileErrors).toEqual([]);
    expect(report.ignoredColumns).toEqual(['Juggling']);
    expect(report.lines.map((l) => l.outcome)).toEqual(['add', 'add']);
    expect(toAdd[0]).toEqual({
      row: 2,
      displayName: 'Jo Park',
      role: 'teacher',
      qualifiesAs: 'teacher',
      birthDate: null,
      adultAttested: true,
      email: 'jo.park@example.org',
      backgroundStudy: 'cleared',
      backgroundClearedOn: '2025-09-02',
      // Minnesota sets no expiry for a study, so none is counted from the date cleared.
      backgroundExpiresOn: null,
      // In the pack's order: SUID, headed by its label, then CPR, by its id.
      trainings: [
        { trainingId: 'suid', completedOn: '2026-01-10' },
        { trainingId: 'cpr', completedOn: '2025-08-15' },
      ],
    });
    expect(toAdd[1]).toMatchObject({ displayName: 'Kim Diaz', role: 'assistant_teacher', qualifiesAs: 'assistant_teacher', birthDate: '2000-04-04', backgroundStudy: 'not_started', trainings: [] });
  });

  it('reads a center training column by its label', () => {
    const { toAdd } = people('name,role,adult,allergy response\nA,aide,yes,2026-01-01\n');
    expect(toAdd[0]!.trainings).toEqual([{ trainingId: 'allergy', completedOn: '2026-01-01' }]);
  });

  it('rejects a bad role, level, email, a future training date, adult under 18 and a cleared study without its date', () => {
    const { report } = people(
      [
        'name,role,level,birth_date,adult,email,background_study,study_cleared_on,cpr',
        'A,boss,,,yes,,,,',
        'B,aide,expert,,yes,,,,',
        'C,aide,,,yes,not-an-email,,,',
        'D,aide,,,yes,,,,2026-03-03',
        'E,aide,,2010-01-01,yes,,,,',
        'F,aide,,,yes,,cleared,,',
        'G,aide,,,yes,,submitted,2026-01-01,',
        ',aide,,,yes,,,,',
        // Neither a birth date nor "adult: yes": nobody could tell whether the person may count.
        'H,aide,,,,,,,',
      ].join('\n'),
    );
    const fields = report.lines.map((l) => [l.row, l.outcome, l.errors.map((e) => e.field)]);
    expect(fields).toEqual([
      [2, 'rejected', ['role']],
      [3, 'rejected', ['level']],
      [4, 'rejected', ['email']],
      [5, 'rejected', ['cpr']],
      [6, 'rejected', ['adult']],
      [7, 'rejected', ['study_cleared_on']],
      [8, 'rejected', ['study_cleared_on']],
      [9, 'rejected', ['name']],
      [10, 'rejected', ['birth_date']],
    ]);
    expect(line(report, 2).errors[0]!.message).toBe('“boss” is not a role: use teacher, assistant teacher, aide, substitute, volunteer, director or student.');
    expect(line(report, 5).errors[0]!.message).toBe('2026-03-03 is in the future: give the date CPR was completed.'.replace('CPR', pack.trainings.find((t) => t.id === 'cpr')!.label));
  });

  it('reports a person on file (archived too) as a duplicate when the birth dates agree or one is missing', () => {
    const { report } = people('name,role,birth_date,adult\nrosa ng,teacher,,yes\nRosa Ng,teacher,1991-01-01,\nLi,aide,,yes\nli,aide,1999-09-09,\n');
    expect(report.lines.map((l) => l.outcome)).toEqual(['duplicate', 'add', 'add', 'duplicate']);
    expect(line(report, 2).duplicateOf).toEqual({ source: 'on_file', id: 'p-1', name: 'Rosa Ng', archived: true });
    expect(line(report, 5).duplicateOf).toEqual({ source: 'file', row: 4 });
  });
});

// ---------------------------------------------------------------- with a database

describe('with a database', () => {
  let t: TestDb;
  let db: Knex;
  let home: SeededCenter;
  beforeEach(async () => {
    t = await createTestDb();
    db = t.db;
    home = await seedCenter(db);
  });
  afterEach(() => t.destroy());

  const count = async (table: string, where: Record<string, unknown> = {}) => Number(((await db(table).where(where).count({ n: '*' })) as { n: number | string }[])[0]!.n);

  describe('previewRoster', () => {
    it('says what would happen to each row and stores nothing', async () => {
      await createChild(db, { centerId: home.center.id, displayName: 'Ola Berg', birthDate: '2024-02-02', homeRoomId: home.rooms.infants.id, at: AT });
      const before = { children: await count('children'), audit: await count('audit_log') };
      const report = await previewRoster(db, home.center, 'children', bytes('name,birth_date,room\nOla Berg,2024-02-02,Infants\nPia,2024-01-01,Toddlers\nQ,2024-01-01,Mars\n'), TODAY);
      expect(report.lines.map((l) => l.outcome)).toEqual(['duplicate', 'add', 'rejected']);
      expect(await count('children')).toBe(before.children);
      expect(await count('audit_log')).toBe(before.audit);
    });
  });

  describe('commitRoster', () => {
    const actor = () => ({ userId: home.users.director.id, via: 'web' as const });
    const mixed = bytes('name,birth_date,room,arrive,depart,days\nPia,2024-01-01,Toddlers,08:00,16:00,Mon-Wed\nQuinn,2025-02-30,Infants,,,\nRay,2025-06-01,Infants,,,\n');

    it('with onlyIfAllValid, stores nothing at all when one row is rejected', async () => {
      const before = { children: await count('children'), people: await count('people'), audit: await count('audit_log') };
      const result = await commitRoster(db, home.center, { children: mixed, people: bytes('name,role\nJo,teacher\n') }, actor(), { seenRecords: false, at: AT, onlyIfAllValid: true });
      expect(result.stored).toBe(false);
      expect(result.children).toMatchObject({ imported: 0 });
      expect(reportCounts(result.children!)).toEqual({ valid: 2, duplicates: 0, rejected: 1 });
      expect(result.people).toMatchObject({ imported: 0 });
      expect({ children: await count('children'), people: await count('people'), audit: await count('audit_log') }).toEqual(before);
    });

    it('without it, stores every valid row with its schedule and audit entries in one go, and a second import finds them all on file', async () => {
      const before = await count('audit_log');
      const result = await commitRoster(db, home.center, { children: mixed }, actor(), { seenRecords: false, at: AT, onlyIfAllValid: false });
      expect(result.stored).toBe(true);
      expect(result.children).toMatchObject({ imported: 2 });
      const pia = await db('children').where({ center_id: home.center.id, display_name: 'Pia' }).first();
      expect(pia).toMatchObject({ birth_date: '2024-01-01', home_room_id: home.rooms.toddlers.id });
      expect((await db('child_schedules').where({ child_id: pia.id }).orderBy('weekday')).map((d: { weekday: number; arrive: string }) => [d.weekday, d.arrive])).toEqual([
        [1, '08:00'],
        [2, '08:00'],
        [3, '08:00'],
      ]);
      expect(await count('children', { display_name: 'Quinn' })).toBe(0);
      const entries = await db('audit_log').where('id', '>', before).orderBy('id');
      expect(entries.map((e: { action: string }) => e.action)).toEqual(['child.created', 'child.created', 'roster.imported']);
      expect(entries[0]).toMatchObject({ record_type: 'child', record_id: pia.id, actor_user_id: home.users.director.id, center_id: home.center.id });
      expect(await verifyAuditLog(db)).toMatchObject({ ok: true });

      const again = await commitRoster(db, home.center, { children: mixed }, actor(), { seenRecords: false, at: AT, onlyIfAllValid: false });
      expect(again.stored).toBe(false);
      expect(reportCounts(again.children!)).toEqual({ valid: 0, duplicates: 2, rejected: 1 });
    });

    it('stores people with their email and background study, and their trainings awaiting review', async () => {
      const result = await commitRoster(db, home.center, { people: fixture('people.csv') }, actor(), { seenRecords: false, at: AT, onlyIfAllValid: true });
      expect(result.people).toMatchObject({ imported: 2, trainingRecords: 2 });
      const jo = await db('people').where({ center_id: home.center.id, display_name: 'Jo Park' }).first();
      expect(jo).toMatchObject({ email: 'jo.park@example.org', background_study: 'cleared', background_cleared_on: '2025-09-02', qualifies_as: 'teacher' });
      const records = await db('training_records').where({ person_id: jo.id }).orderBy('training_id');
      expect(records.map((r: { training_id: string; status: string; reviewed_by_user_id: string | null }) => [r.training_id, r.status, r.reviewed_by_user_id])).toEqual([
        ['cpr', 'submitted', null],
        ['suid', 'submitted', null],
      ]);
      const actions = (await db('audit_log').where({ center_id: home.center.id }).orderBy('id')).map((e: { action: string }) => e.action);
      expect(actions.filter((a: string) => a === 'person.created')).toHaveLength(2);
      expect(actions.filter((a: string) => a === 'training_record.imported')).toHaveLength(2);
    });

    it('with "I have seen these records", stores the trainings verified by the importer and audits who said so', async () => {
      await commitRoster(db, home.center, { people: fixture('people.csv') }, actor(), { seenRecords: true, at: AT, onlyIfAllValid: true });
      const records = await db('training_records').where({ center_id: home.center.id, completed_on: '2025-08-15' });
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({ status: 'verified', reviewed_by_user_id: home.users.director.id, reviewed_at: AT.toISOString() });
      const summary = await db('audit_log').where({ action: 'roster.imported' }).first();
      expect(summary.actor_user_id).toBe(home.users.director.id);
      const changes = typeof summary.changes === 'string' ? JSON.parse(summary.changes) : summary.changes;
      expect(changes.after).toMatchObject({ via: 'web', seenRecords: true, seenRecordsBy: home.users.director.id });
    });
  });

  describe('export and templates', () => {
    it('exports children and people in the import columns, so importing the export adds nothing', async () => {
      await commitRoster(db, home.center, { children: fixture('children-bom-crlf.csv'), people: fixture('people.csv') }, { userId: null, via: 'cli' }, { seenRecords: false, at: AT, onlyIfAllValid: true });
      await db('children').where({ center_id: home.center.id, display_name: 'Noah' }).update({ archived_at: AT.toISOString() });
      const kids = await exportChildrenCsv(db, home.center, { includeArchived: true });
      expect(kids.startsWith('\uFEFFname,birth_date,room,arrive,depart,days,kindergarten\r\n')).toBe(true);
      expect(kids).toContain('"Lee, Sam",2024-05-31,Infants,07:30,16:30,Mon-Fri,no\r\n');
      expect(kids).toContain('Maya R.,2023-01-15,Toddlers,08:00,15:00,"Mon-Wed,Fri",no\r\n');
      expect(kids).toContain('Noah,2023-11-02,Toddlers,,,,yes\r\n');
      const staff = await exportPeopleCsv(db, home.center);
      expect(staff.split('\r\n')[0]).toBe(`\uFEFFname,role,level,birth_date,adult,email,background_study,study_cleared_on,study_expires_on,${pack.trainings.map((t) => t.id).join(',')}`);
      expect(staff).toContain('Jo Park,teacher,teacher,,yes,jo.park@example.org,cleared,2025-09-02,');

      const back = await previewRoster(db, home.center, 'children', bytes(kids), TODAY);
      expect(reportCounts(back)).toEqual({ valid: 0, duplicates: 3, rejected: 0 });
      const backPeople = await previewRoster(db, home.center, 'people', bytes(staff), TODAY);
      expect(backPeople.fileErrors).toEqual([]);
      expect(backPeople.ignoredColumns).toEqual([]);
      expect(reportCounts(backPeople)).toEqual({ valid: 0, duplicates: backPeople.rows, rejected: 0 });
    });

    it('gives templates whose example row imports cleanly, with a column for each pack and center training', async () => {
      await createCenterTraining(db, { centerId: home.center.id, code: 'allergy', label: 'Allergy response', renewalMonths: null, roles: ['teacher'], categories: ['infant'], gate: 'none', at: AT });
      const kids = await childrenTemplateCsv(db, home.center);
      expect(reportCounts(await previewRoster(db, home.center, 'children', bytes(kids), TODAY))).toEqual({ valid: 1, duplicates: 0, rejected: 0 });
      const staff = await peopleTemplateCsv(db, home.center);
      expect(staff.split('\r\n')[0]!.endsWith(',allergy')).toBe(true);
      const report = await previewRoster(db, home.center, 'people', bytes(staff), TODAY);
      expect(report.lines.map((l) => [l.outcome, l.errors])).toEqual([['add', []]]);
    });
  });
});
