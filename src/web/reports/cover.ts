import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { listCoverRequestLinesInCenter, type CoverRequestLine, type CoverTaker } from '../../db/reports.js';
import type { Center } from '../../db/rows.js';
import type { CsvTable } from './report.js';
import { csvTime, pageTime } from './report.js';
import type { ReportRange } from './range.js';
import { clockTime, dateText, rangeText } from '../../words/format.js';

/**
 * The report's cover requests: each request whose window overlaps the range, its
 * outcome in words and icon, and who took it (the claims still standing).
 */

export async function loadCoverRequests(db: Knex, center: Center, range: ReportRange): Promise<CoverRequestLine[]> {
  return listCoverRequestLinesInCenter(db, center.id, range.start, range.end);
}

/**
 * The outcome of a request as the report tells it. A request still open whose window
 * has ended expired unfilled, even if nothing has marked it so yet.
 */
export function coverOutcome(r: Pick<CoverRequestLine, 'status' | 'endsAt' | 'takers'>, now: Date): { code: string; words: string; icon: string; tone: string } {
  const ended = r.endsAt <= now.toISOString();
  if (r.status === 'filled') return { code: 'filled', words: 'filled', icon: '✓', tone: 'ok' };
  if (r.status === 'cancelled') return { code: 'cancelled', words: 'cancelled', icon: '–', tone: 'none' };
  if (r.status === 'expired' || (r.status === 'open' && ended)) {
    return { code: 'expired', words: r.takers.length > 0 ? 'expired, only partly filled' : 'expired, not filled', icon: '✕', tone: 'breach' };
  }
  if (r.status === 'open') return { code: 'open', words: r.takers.length > 0 ? 'open, partly filled' : 'open', icon: '…', tone: 'limit' };
  return { code: r.status, words: r.status, icon: '?', tone: 'none' };
}

const HOW: Record<string, string> = { claim: 'claimed', assignment: 'assigned by a director' };

function takerWords(t: CoverTaker, zone: string, withDate: boolean): string {
  const from = DateTime.fromISO(t.startsAt, { zone: 'utc' }).setZone(zone);
  const to = DateTime.fromISO(t.endsAt, { zone: 'utc' }).setZone(zone);
  const part = withDate ? `${csvTime(t.startsAt, zone)} to ${csvTime(t.endsAt, zone)}` : rangeText(clockTime(from, zone), to.hasSame(from, 'day') ? clockTime(to, zone, { zoneName: true }) : dateText(to, zone, { time: true, zoneName: true }));
  const how = t.status === 'pending' ? 'claimed, awaiting a director' : (HOW[t.kind] ?? t.kind);
  return `${t.personName}, ${part} (${how})`;
}

export function coverRequestsCsv(rows: readonly CoverRequestLine[], zone: string, now: Date): CsvTable {
  return {
    header: ['Room', `Window start (${zone})`, `Window end (${zone})`, 'People needed', 'Outcome', 'Status code', 'Need help now', 'Reason', 'Requested by', `Requested at (${zone})`, 'Taken by'],
    rows: rows.map((r) => [
      r.roomName,
      csvTime(r.startsAt, zone),
      csvTime(r.endsAt, zone),
      r.peopleNeeded,
      coverOutcome(r, now).words,
      r.status,
      r.urgent ? 'yes' : 'no',
      r.reason ?? '',
      r.requestedBy ?? '',
      csvTime(r.createdAt, zone),
      r.takers.map((t) => takerWords(t, zone, true)).join('; '),
    ]),
  };
}

export function coverRequestsView(rows: readonly CoverRequestLine[], zone: string, now: Date) {
  return rows.map((r) => ({
    room: r.roomName,
    from: pageTime(r.startsAt, zone),
    to: pageTime(r.endsAt, zone),
    people: r.peopleNeeded,
    outcome: coverOutcome(r, now),
    urgent: r.urgent,
    reason: r.reason,
    requestedBy: r.requestedBy ?? 'someone no longer on file',
    requestedAt: pageTime(r.createdAt, zone),
    takers: r.takers.map((t) => takerWords(t, zone, false)),
  }));
}
