import { Router, type Response } from 'express';
import { DateTime } from 'luxon';
import { readAuditHead } from '../../db/audit.js';
import { findStatusAt } from '../../db/reports.js';
import { listRoomsInCenter } from '../../db/rooms.js';
import type { CenterMember } from '../../db/memberships.js';
import { getPack } from '../../domain/rules/index.js';
import type { Deps } from '../deps.js';
import { memberOf } from '../auth/current.js';
import { guard } from '../auth/guard.js';
import { csvFile } from '../csv.js';
import type { FieldErrors } from '../forms.js';
import { figuresSentence } from '../history/figures.js';
import { coverRequestsCsv, coverRequestsView, loadCoverRequests } from './cover.js';
import { parseQuestion, parseRange, type InstantQuestion, type ReportRange } from './range.js';
import { clockTime, dateText } from '../../words/format.js';
import {
  SECTIONS,
  isCompliant,
  loadPresences,
  loadRatioHistory,
  pageTime,
  presencesCsv,
  presencesView,
  ratioHistoryCsv,
  ratioHistoryView,
  statusShown,
  type CsvTable,
  type SectionId,
} from './report.js';

/** Rows per section on the page; the CSV files always hold every row. */
export const PAGE_ROWS = 2000;

/**
 * A center's reports for inspectors and owners: the printable page for a date
 * range (`?from=&to=`, the last 7 days by default) with "was room X in ratio at
 * T?", and one CSV file per section for the same range.
 */
export function reportRoutes(deps: Deps): Router {
  const { db, clock } = deps;
  const router = Router();

  router.get('/centers/:centerId/reports', guard(deps, 'reports.view'), async (req, res) => {
    const member = memberOf(req);
    const { center } = member;
    const zone = center.timeZone;
    const now = clock.now();
    const parsed = parseRange(req.query, now, zone);
    const rooms = await listRoomsInCenter(db, center.id, { includeArchived: true });
    const question = parseQuestion(req.query, rooms.map((r) => r.id), zone);
    const errors: FieldErrors = { ...(parsed.ok ? {} : parsed.errors), ...(question.asked && !question.ok ? question.errors : {}) };

    let sections = null;
    if (parsed.ok) {
      const { range } = parsed;
      const [history, cover, presences] = await Promise.all([loadRatioHistory(db, center, range), loadCoverRequests(db, center, range), loadPresences(db, center, range)]);
      const capped = <T>(rows: readonly T[]) => ({ shown: rows.slice(0, PAGE_ROWS), total: rows.length, capped: rows.length > PAGE_ROWS });
      const h = capped(history);
      const c = capped(cover);
      const p = capped(presences);
      const query = `from=${range.from}&to=${range.to}`;
      const csv = (id: SectionId) => `/centers/${center.id}/reports/${SECTIONS[id].file}.csv?${query}`;
      sections = {
        history: { rooms: ratioHistoryView(h.shown, zone, getPack(center.packId)), total: h.total, capped: h.capped, csv: csv('ratio-history') },
        cover: { rows: coverRequestsView(c.shown, zone, now), total: c.total, capped: c.capped, csv: csv('cover-requests') },
        presences: { rows: presencesView(p.shown, zone), total: p.total, capped: p.capped, csv: csv('presences') },
      };
    }

    const range: ReportRange | null = parsed.ok ? parsed.range : null;
    res.status(Object.keys(errors).length > 0 ? 422 : 200).render('reports/show', {
      title: range ? `Report: ${center.name}, ${range.words}` : `Report: ${center.name}`,
      report: {
        center: { name: center.name, licenseNumber: center.licenseNumber, packName: getPack(center.packId)?.name ?? center.packId },
        zone,
        range,
        madeAt: dateText(now, zone, { year: true, time: true, zoneName: true }),
        // Printed, it is an anchor kept outside the database: `audit:verify --anchor` checks the log still reaches it.
        auditHead: await readAuditHead(db),
      },
      action: `/centers/${center.id}/reports`,
      values: parsed.values,
      question: {
        values: question.values,
        rooms: rooms.map((r) => ({ id: r.id, name: r.archivedAt ? `${r.name} (archived)` : r.name, selected: r.id === question.values.room.toLowerCase() })),
        answer: question.asked && question.ok ? await answer(member, question, rooms, now) : null,
      },
      errors,
      sections,
      pageRows: PAGE_ROWS.toLocaleString('en-US'),
    });
  });

  const sendCsv = async (member: CenterMember, query: Record<string, unknown>, res: Response, id: SectionId) => {
    const { center } = member;
    const zone = center.timeZone;
    const parsed = parseRange(query, clock.now(), zone);
    if (!parsed.ok) {
      // A hand-edited link: say what is wrong as plain text, nothing else.
      res.status(422).type('text/plain; charset=utf-8').send(Object.entries(parsed.errors).map(([field, message]) => `${field}: ${message}`).join('\n'));
      return;
    }
    const { range } = parsed;
    let table: CsvTable;
    if (id === 'ratio-history') table = ratioHistoryCsv(await loadRatioHistory(db, center, range), zone, getPack(center.packId));
    else if (id === 'cover-requests') table = coverRequestsCsv(await loadCoverRequests(db, center, range), zone, clock.now());
    else table = presencesCsv(await loadPresences(db, center, range), zone);
    res.set({
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${SECTIONS[id].file}-${range.from}-to-${range.to}.csv"`,
      'Cache-Control': 'private, no-store',
    });
    res.send(csvFile(table.header, table.rows));
  };

  router.get('/centers/:centerId/reports/ratio-history.csv', guard(deps, 'reports.view'), async (req, res) => {
    await sendCsv(memberOf(req), req.query, res, 'ratio-history');
  });
  router.get('/centers/:centerId/reports/cover-requests.csv', guard(deps, 'reports.view'), async (req, res) => {
    await sendCsv(memberOf(req), req.query, res, 'cover-requests');
  });
  router.get('/centers/:centerId/reports/presences.csv', guard(deps, 'reports.view'), async (req, res) => {
    await sendCsv(memberOf(req), req.query, res, 'presences');
  });

  /** "Was Infants in ratio at 10:40 on Tuesday 3 March 2026?", from the history in one query. */
  async function answer(member: CenterMember, q: Extract<InstantQuestion, { ok: true }>, rooms: readonly { id: string; name: string }[], now: Date) {
    const zone = member.center.timeZone;
    const room = rooms.find((r) => r.id === q.roomId)!;
    const local = DateTime.fromJSDate(q.at, { zone });
    const question = `Was ${room.name} in ratio at ${q.values.time} on ${dateText(local, zone, { style: 'full' })}?`;
    const note = q.repeated
      ? `${q.values.time} happened twice that day (the clocks went back an hour): this is the first time, at ${clockTime(local, zone, { zoneName: true })}.`
      : null;
    if (q.at > now) return { question, verdict: null, text: 'That moment has not happened yet.', tone: 'info', note };
    const hit = await findStatusAt(db, member.center.id, room.id, q.at);
    if (!hit) return { question, verdict: null, text: 'Nothing was recorded for this room at that moment: the board had not judged it yet.', tone: 'info', note };
    const status = statusShown(hit.status);
    const compliant = isCompliant(hit.status);
    return {
      question,
      verdict: compliant ? 'Yes' : 'No',
      text: `${status.icon} ${status.words}, from ${pageTime(hit.startedAt, zone)} to ${hit.endedAt ? pageTime(hit.endedAt, zone) : 'now (still in force)'}.`,
      cause: hit.cause,
      figures: figuresSentence(getPack(member.center.packId), hit),
      tone: status.tone,
      note,
    };
  }

  return router;
}
