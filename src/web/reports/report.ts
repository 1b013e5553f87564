import type { Knex } from 'knex';
import { listPersonIntervalsInCenter, listStatusChangesInCenter, type PersonInterval, type StatusChange } from '../../db/reports.js';
import type { Center } from '../../db/rows.js';
import type { RulePack } from '../../domain/rule-pack.js';
import { isBreach, isRoomStatus } from '../../domain/status.js';
import { statusLook } from '../board/card.js';
import type { CsvValue } from '../csv.js';
import { childrenCell, figuresCsvCells, groupSizeCell } from '../history/figures.js';
import { PERSON_ROLE_LABELS } from '../labels.js';
import type { ReportRange } from './range.js';
import { dateText } from '../../words/format.js';

/**
 * A center's report for a date range, as one computation for the printable page
 * and the CSV files: the ratio history (every status change per room, with its
 * cause), cover requests and who filled them, and the staff and volunteer
 * presence intervals. Times are wall-clock in the center's zone, always with the
 * date and the zone's abbreviation (so 01:30 CDT and 01:30 CST on the night the
 * clocks go back stay apart).
 */

/** A status code as stored, with its words and icon (never colour alone); an unknown code is shown as itself. */
export function statusShown(code: string) {
  if (isRoomStatus(code)) return statusLook(code);
  return { code, words: code, icon: '?', tone: 'breach' as const, breach: true };
}

export function isCompliant(code: string): boolean {
  return isRoomStatus(code) && !isBreach(code);
}

/** "Mon 2 Mar 2026, 07:00 CST" on the page. */
export const pageTime = (iso: string, zone: string) => dateText(iso, zone, { year: true, time: true, zoneName: true });
/** "2026-03-02 07:00 CST" in a CSV cell: sortable, and unambiguous in the repeated hour. */
export const csvTime = (iso: string, zone: string) => dateText(iso, zone, { style: 'iso', time: true, zoneName: true });

const minutesBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 60_000);

function durationWords(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h === 0 ? `${m} min` : m === 0 ? `${h} h` : `${h} h ${m} min`;
}

export type CsvTable = { readonly header: readonly string[]; readonly rows: readonly (readonly CsvValue[])[] };

/** The three sections, each a CSV of its own: one file per section, so each opens with its own columns. */
export const SECTIONS = {
  'ratio-history': { title: 'Ratio history', file: 'ratio-history' },
  'cover-requests': { title: 'Cover requests', file: 'cover-requests' },
  presences: { title: 'Staff and volunteer presence', file: 'presences' },
} as const;
export type SectionId = keyof typeof SECTIONS;

// ---------------------------------------------------------------- ratio history

export async function loadRatioHistory(db: Knex, center: Center, range: ReportRange): Promise<StatusChange[]> {
  return listStatusChangesInCenter(db, center.id, range.start, range.end);
}

/**
 * The ratio history as CSV. The figures kept since they were (present staff, the
 * group-size limit, children per category) come after the columns the file always
 * had, so a spreadsheet built on those still reads them; one column per category of
 * the center's pack (and of any other band found in the rows), blank on older rows.
 */
export function ratioHistoryCsv(rows: readonly StatusChange[], zone: string, pack: RulePack | undefined): CsvTable {
  const bands = (pack?.bands ?? []).map((b) => ({ id: b.id, label: b.label }));
  const seen = new Set(bands.map((b) => b.id));
  for (const r of rows) {
    for (const id of Object.keys(r.childrenByCategory ?? {})) {
      if (!seen.has(id)) {
        seen.add(id);
        bands.push({ id, label: id });
      }
    }
  }
  const ids = bands.map((b) => b.id);
  return {
    header: [
      'Room',
      'Status',
      'Status code',
      'In ratio',
      `Start (${zone})`,
      `End (${zone})`,
      'Cause',
      'Counted staff',
      'Required staff',
      'Children',
      'Present staff',
      'Group-size limit',
      ...bands.map((b) => `Children: ${b.label}`),
    ],
    rows: rows.map((r) => [
      r.roomName,
      statusShown(r.status).words,
      r.status,
      isCompliant(r.status) ? 'yes' : 'no',
      csvTime(r.startedAt, zone),
      r.endedAt ? csvTime(r.endedAt, zone) : '',
      r.cause,
      r.countedStaff,
      r.requiredStaff,
      r.children,
      ...figuresCsvCells(r, ids),
    ]),
  };
}

/** The page's view: one table per room, in set-up order. */
export function ratioHistoryView(rows: readonly StatusChange[], zone: string, pack: RulePack | undefined) {
  // Rows come by room (set-up order), then by start: grouping keeps that order.
  const rooms = new Map<string, { name: string; changes: object[]; breaches: number }>();
  for (const r of rows) {
    let room = rooms.get(r.roomId);
    if (!room) rooms.set(r.roomId, (room = { name: r.roomName, changes: [], breaches: 0 }));
    const status = statusShown(r.status);
    if (status.breach) room.breaches++;
    room.changes.push({
      status,
      from: pageTime(r.startedAt, zone),
      to: r.endedAt ? pageTime(r.endedAt, zone) : 'still in force',
      cause: r.cause,
      staff: `${r.countedStaff} of ${r.requiredStaff}`,
      present: r.presentStaff ?? 'not recorded',
      children: childrenCell(pack, r),
      groupSize: groupSizeCell(r),
    });
  }
  return [...rooms.values()].map((r) => ({
    ...r,
    summary: `${r.changes.length} ${r.changes.length === 1 ? 'interval' : 'intervals'}; ${r.breaches === 0 ? 'none' : r.breaches} not compliant`,
  }));
}

// ---------------------------------------------------------------- presences

export async function loadPresences(db: Knex, center: Center, range: ReportRange): Promise<PersonInterval[]> {
  return listPersonIntervalsInCenter(db, center.id, range.start, range.end);
}

const roleWords = (role: string) => PERSON_ROLE_LABELS[role] ?? role;

export function presencesCsv(rows: readonly PersonInterval[], zone: string): CsvTable {
  return {
    header: ['Person', 'Role', 'Room', `Start (${zone})`, `End (${zone})`, 'Minutes'],
    rows: rows.map((r) => [r.personName, roleWords(r.personRole), r.roomName, csvTime(r.startedAt, zone), r.endedAt ? csvTime(r.endedAt, zone) : '', r.endedAt ? minutesBetween(r.startedAt, r.endedAt) : '']),
  };
}

export function presencesView(rows: readonly PersonInterval[], zone: string) {
  return rows.map((r) => ({
    person: r.personName,
    role: roleWords(r.personRole),
    room: r.roomName,
    from: pageTime(r.startedAt, zone),
    to: r.endedAt ? pageTime(r.endedAt, zone) : 'still here',
    duration: r.endedAt ? durationWords(minutesBetween(r.startedAt, r.endedAt)) : '',
  }));
}
