import type { ScheduleDay } from '../../db/child-schedules.js';
import type { Child, ChildScheduleDay, Room } from '../../db/rows.js';
import { parseCivilDate } from '../../domain/calendar.js';
import type { RulePack } from '../../domain/rule-pack.js';
import { childBirthDateProblem, servedMaximumAge } from '../../domain/served-age.js';
import type { CsvValue } from '../../words/csv.js';
import { cellOf, extraCellsText, mapColumns, type ColumnSpec } from './columns.js';
import type { CsvTable } from './read.js';
import type { DuplicateOf, RosterLine, RosterReport, RowError } from './types.js';
import { daysText, nameKey, readDate, readDays, readName, readTime, readYesNo } from './values.js';

/** The children file's columns, in the template's order. */
export const CHILD_COLUMNS: readonly ColumnSpec[] = [
  { name: 'name', required: true },
  { name: 'birth_date', required: true },
  { name: 'room', required: true },
  { name: 'arrive', required: false },
  { name: 'depart', required: false },
  { name: 'days', required: false },
  { name: 'kindergarten', required: false },
];

/** When times are given without days: Monday to Friday. */
const WEEKDAYS_ONLY = [1, 2, 3, 4, 5];

/** What the children check needs to know of the center, as plain data. */
export type ChildrenContext = {
  readonly pack: RulePack;
  /** The center's local date today, YYYY-MM-DD. */
  readonly today: string;
  /** The center's rooms, archived ones too (a child is placed only in an active one). */
  readonly rooms: readonly Pick<Room, 'id' | 'name' | 'archivedAt'>[];
  /** The children on file, archived ones too. */
  readonly children: readonly Pick<Child, 'id' | 'displayName' | 'birthDate' | 'archivedAt'>[];
};

/** A valid row, as it will be stored. */
export type ChildToAdd = {
  readonly row: number;
  readonly displayName: string;
  readonly birthDate: string;
  readonly homeRoomId: string;
  readonly attendsKindergarten: boolean;
  readonly schedule: readonly ScheduleDay[];
};

/** Every row of a children file judged against the center: the report, and the rows to add. Pure. */
export function checkChildren(table: CsvTable, ctx: ChildrenContext): { report: RosterReport; toAdd: ChildToAdd[] } {
  const columns = mapColumns(table.header, CHILD_COLUMNS, 'children');
  const base = { kind: 'children' as const, rows: table.records.length, ignoredColumns: columns.ignored };
  if (columns.errors.length > 0) return { report: { ...base, fileErrors: columns.errors, lines: [] }, toAdd: [] };

  const today = parseCivilDate(ctx.today)!;
  const activeRooms = new Map<string, Pick<Room, 'id' | 'name'>>();
  for (const r of ctx.rooms) if (r.archivedAt === null && !activeRooms.has(nameKey(r.name))) activeRooms.set(nameKey(r.name), r);
  const roomNames = [...activeRooms.values()].map((r) => r.name).join(', ');
  const onFile = new Map<string, Pick<Child, 'id' | 'displayName' | 'archivedAt'>>();
  for (const c of ctx.children) onFile.set(`${nameKey(c.displayName)}|${c.birthDate}`, c);
  const inFile = new Map<string, number>();

  const lines: RosterLine[] = [];
  const toAdd: ChildToAdd[] = [];
  for (const record of table.records) {
    const cell = (field: string) => cellOf(columns, record, field);
    const errors: RowError[] = [];
    const fail = (field: string | null, message: string) => errors.push({ field, message });

    const name = readName(cell('name'), 'The name is empty: every child needs one.');
    if (!name.ok) fail('name', name.message);
    const birthText = cell('birth_date');
    const birth = birthText === '' ? null : readDate(birthText);
    if (birth === null) fail('birth_date', 'The birth date is empty: every child needs one.');
    else if (!birth.ok) fail('birth_date', birth.message);

    // Same name and birth date as a child on file, or an earlier row: a duplicate, whatever else the row says.
    if (name.ok && birth?.ok) {
      const key = `${nameKey(name.value)}|${birth.value}`;
      const known = onFile.get(key);
      const earlier = inFile.get(key);
      const duplicateOf: DuplicateOf | undefined = known
        ? { source: 'on_file', id: known.id, name: known.displayName, archived: known.archivedAt !== null }
        : earlier !== undefined
          ? { source: 'file', row: earlier }
          : undefined;
      if (duplicateOf) {
        lines.push({ row: record.row, outcome: 'duplicate', errors: [], summary: duplicateText(name.value, birth.value, duplicateOf), duplicateOf });
        continue;
      }
    }

    if (birth?.ok) {
      const problem = childBirthDateProblem(ctx.pack, parseCivilDate(birth.value)!, today);
      if (problem === 'in_future') fail('birth_date', `${birthText} is in the future.`);
      if (problem === 'too_old') fail('birth_date', `A child born ${birthText} is too old for this center: the rules cover children ${servedMaximumAge(ctx.pack).text}.`);
    }

    const roomText = cell('room');
    const room = activeRooms.get(nameKey(roomText));
    if (roomText === '') fail('room', `The room is empty: name one of the rooms (${roomNames || 'add rooms first'}).`);
    else if (!room) {
      const archived = ctx.rooms.some((r) => r.archivedAt !== null && nameKey(r.name) === nameKey(roomText));
      fail('room', `${archived ? `The room “${roomText}” is archived` : `There is no room named “${roomText}”`}. Rooms: ${roomNames || 'none yet, add rooms first'}.`);
    }

    const schedule = readSchedule(cell('arrive'), cell('depart'), cell('days'), fail);
    const kindergarten = readYesNo(cell('kindergarten'));
    if (!kindergarten.ok) fail('kindergarten', `${kindergarten.message} Write yes or no, or leave it empty.`);
    const extra = extraCellsText(table.header.length, record);
    if (extra) fail(null, extra);

    if (errors.length > 0 || !name.ok || !birth?.ok || !room || !kindergarten.ok || schedule === null) {
      lines.push({ row: record.row, outcome: 'rejected', errors, summary: name.ok ? name.value : '' });
      continue;
    }
    inFile.set(`${nameKey(name.value)}|${birth.value}`, record.row);
    const child: ChildToAdd = {
      row: record.row,
      displayName: name.value,
      birthDate: birth.value,
      homeRoomId: room.id,
      attendsKindergarten: kindergarten.value,
      schedule,
    };
    toAdd.push(child);
    lines.push({ row: record.row, outcome: 'add', errors: [], summary: childSummary(child, room.name) });
  }
  return { report: { ...base, fileErrors: [], lines }, toAdd };
}

/** arrive, depart and days read together: both times or neither, days only with times, Monday to Friday when only times are given. Null after a failure. */
function readSchedule(arriveText: string, departText: string, daysText: string, fail: (field: string, message: string) => void): ScheduleDay[] | null {
  if (arriveText === '' && departText === '' && daysText === '') return [];
  let ok = true;
  const time = (field: 'arrive' | 'depart', text: string) => {
    if (text === '') {
      fail(field, field === 'arrive' ? 'The arrival time is empty: give both arrive and depart, or neither.' : 'The departure time is empty: give both arrive and depart, or neither.');
      ok = false;
      return null;
    }
    const t = readTime(text);
    if (!t.ok) {
      fail(field, t.message);
      ok = false;
      return null;
    }
    return t.value;
  };
  const arrive = time('arrive', arriveText);
  const depart = time('depart', departText);
  // HH:mm strings sort like the times they name.
  if (arrive !== null && depart !== null && depart <= arrive) {
    fail('depart', `The departure at ${depart} must be after the arrival at ${arrive}.`);
    ok = false;
  }
  let days = WEEKDAYS_ONLY;
  if (daysText !== '') {
    const read = readDays(daysText);
    if (!read.ok) {
      fail('days', read.message);
      ok = false;
    } else days = read.value;
  }
  if (!ok || arrive === null || depart === null) return null;
  return days.map((weekday) => ({ weekday, arrive, depart }));
}

function duplicateText(name: string, birthDate: string, of: DuplicateOf): string {
  if (of.source === 'file') return `${name}, born ${birthDate}: the same child as row ${of.row}; not added twice.`;
  return `${name}, born ${birthDate}: already on file${of.archived ? ' (archived)' : ''}; not added again.`;
}

function childSummary(child: ChildToAdd, roomName: string): string {
  const parts = [child.displayName, `born ${child.birthDate}`, roomName];
  const first = child.schedule[0];
  if (first) parts.push(`${daysText(child.schedule.map((d) => d.weekday))} ${first.arrive}–${first.depart}`);
  if (child.attendsKindergarten) parts.push('attends kindergarten');
  return parts.join(', ');
}

// ---------------------------------------------------------------- export

/** The children file's header, as the import reads it. */
export const CHILD_HEADER: readonly string[] = CHILD_COLUMNS.map((c) => c.name);

/**
 * The children as rows of the import's columns. One arrive/depart pair per child: the
 * first scheduled day's (Monday first), with the days that share those times; days
 * with other times are left out of the file (the import takes one pair per child).
 */
export function childRows(
  children: readonly Pick<Child, 'id' | 'displayName' | 'birthDate' | 'homeRoomId' | 'attendsKindergarten'>[],
  rooms: readonly Pick<Room, 'id' | 'name'>[],
  schedules: readonly Pick<ChildScheduleDay, 'childId' | 'weekday' | 'arrive' | 'depart'>[],
): CsvValue[][] {
  const roomName = new Map(rooms.map((r) => [r.id, r.name]));
  const daysOf = new Map<string, Pick<ChildScheduleDay, 'weekday' | 'arrive' | 'depart'>[]>();
  for (const d of schedules) daysOf.set(d.childId, [...(daysOf.get(d.childId) ?? []), d]);
  return children.map((c) => {
    const days = [...(daysOf.get(c.id) ?? [])].sort((a, b) => a.weekday - b.weekday);
    const first = days[0];
    const same = first ? days.filter((d) => d.arrive === first.arrive && d.depart === first.depart).map((d) => d.weekday) : [];
    return [
      c.displayName,
      c.birthDate,
      c.homeRoomId ? (roomName.get(c.homeRoomId) ?? '') : '',
      first?.arrive ?? '',
      first?.depart ?? '',
      first ? daysText(same) : '',
      c.attendsKindergarten ? 'yes' : 'no',
    ];
  });
}

/** The template's example row, in one of the center's rooms when it has one. */
export function childExampleRow(roomName = 'Toddlers'): CsvValue[] {
  return ['Maya R.', '2024-05-31', roomName, '07:30', '16:30', 'Mon-Fri', 'no'];
}
