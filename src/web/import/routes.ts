import { Router, type Response } from 'express';
import { z } from 'zod';
import type { CenterMember } from '../../db/memberships.js';
import {
  centerToday,
  childrenTemplateCsv,
  commitRoster,
  exportChildrenCsv,
  exportPeopleCsv,
  peopleTemplateCsv,
  previewRoster,
  reportCounts,
  type RosterKind,
  type RosterReport,
} from '../../services/roster/index.js';
import type { Deps } from '../deps.js';
import { memberOf } from '../auth/current.js';
import { guard } from '../auth/guard.js';
import { NotFound } from '../errors.js';
import { readImportForm } from './upload.js';

/**
 * Roster import (docs/import.md): choose a CSV file of children or people, see every
 * row with what will happen to it, then confirm. Nothing is stored before the
 * confirm; the confirm checks the same bytes again (the preview page sends them back,
 * base64, in a hidden field: nothing is kept on the server between the two) and stores
 * every valid row in one transaction (services/roster). Also the templates, and the
 * children and people lists as CSV in the same columns.
 */

const KINDS = ['children', 'people'] as const;
const KIND_WORDS: Record<RosterKind, { one: string; many: string; list: string }> = {
  children: { one: 'child', many: 'children', list: 'children' },
  people: { one: 'person', many: 'people', list: 'people' },
};
const Kind = z.enum(KINDS);

const Confirm = z.object({
  kind: Kind,
  file: z.base64().min(1),
  fileName: z.string().max(255).optional(),
  seenRecords: z.literal('yes').optional(),
});

export function importRoutes(deps: Deps): Router {
  const { db, clock } = deps;
  const router = Router();
  const base = (member: CenterMember) => `/centers/${member.center.id}/import`;

  const renderChoose = (res: Response, member: CenterMember, status: number, errors: Partial<Record<RosterKind, string>>) =>
    res.status(status).render('import/index', {
      title: 'Import children and people',
      center: { id: member.center.id, name: member.center.name },
      action: `${base(member)}/preview`,
      errors,
    });

  const renderPreview = (res: Response, member: CenterMember, report: RosterReport, bytes: Buffer, fileName: string) => {
    const counts = reportCounts(report);
    const words = KIND_WORDS[report.kind];
    const lines = report.lines.map((l) => ({
      row: l.row,
      add: l.outcome === 'add',
      duplicate: l.outcome === 'duplicate',
      rejected: l.outcome === 'rejected',
      summary: l.summary,
      errors: l.errors.map((e) => ({ field: e.field, message: e.message })),
    }));
    res.status(report.fileErrors.length > 0 ? 422 : 200).render('import/preview', {
      title: `Check the ${words.many} to import`,
      center: { id: member.center.id, name: member.center.name },
      kind: report.kind,
      words,
      fileName,
      rowsText: `${report.rows} ${report.rows === 1 ? 'row' : 'rows'}`,
      importText: `${counts.valid} ${counts.valid === 1 ? words.one : words.many}`,
      counts,
      fileErrors: report.fileErrors,
      ignoredColumns: report.ignoredColumns.join(', '),
      lines,
      canImport: report.fileErrors.length === 0 && counts.valid > 0,
      isPeople: report.kind === 'people',
      action: base(member),
      file: bytes.toString('base64'),
      again: base(member),
    });
  };

  router.get('/centers/:centerId/import', guard(deps, 'roster.import'), (req, res) => {
    renderChoose(res, memberOf(req), 200, {});
  });

  router.post('/centers/:centerId/import/preview', guard(deps, 'roster.import'), async (req, res) => {
    const member = memberOf(req);
    const form = await readImportForm(req);
    const kind = Kind.safeParse(form.fields.kind);
    if (!kind.success) return renderChoose(res, member, 422, { children: 'Choose what the file holds: children or people.' });
    const error = (message: string) => renderChoose(res, member, 422, { [kind.data]: message });
    if (!form.file || (form.file.bytes.length === 0 && !form.file.tooLarge)) return error('Choose a CSV file.');
    if (form.file.tooLarge) return error('The file is larger than 1 MB. Split it into smaller files.');
    const report = await previewRoster(db, member.center, kind.data, form.file.bytes, centerToday(member.center, clock.now()));
    // A file that cannot be read as a roster (not UTF-8, a required column missing…): said next to the file field, to choose another.
    if (report.fileErrors.length > 0) return error(report.fileErrors.join(' '));
    renderPreview(res, member, report, form.file.bytes, form.file.filename);
  });

  router.post('/centers/:centerId/import', guard(deps, 'roster.import'), async (req, res) => {
    const member = memberOf(req);
    const form = Confirm.safeParse(await readImportForm(req).then((f) => f.fields));
    if (!form.success) return renderChoose(res, member, 422, { children: 'The checked file did not come back whole: choose it again.' });
    const { kind, seenRecords } = form.data;
    const bytes = Buffer.from(form.data.file, 'base64');
    const committed = await commitRoster(db, member.center, { [kind]: bytes }, { userId: req.currentUser!.id, via: 'web' }, {
      seenRecords: seenRecords === 'yes',
      at: clock.now(),
      onlyIfAllValid: false,
    });
    const report = committed[kind]!;
    const counts = reportCounts(report);
    // What the file holds may have changed since the preview (another import, a record added by hand): then the
    // page shows the rows again, as they are now, and nothing was stored.
    if (!committed.stored) return renderPreview(res, member, report, bytes, form.data.fileName ?? '');
    const words = KIND_WORDS[kind];
    const parts = [`${report.imported} ${report.imported === 1 ? words.one : words.many} added`];
    if (report.trainingRecords > 0) parts.push(`${report.trainingRecords} training ${report.trainingRecords === 1 ? 'record' : 'records'} ${seenRecords === 'yes' ? 'verified' : 'awaiting review'}`);
    if (counts.duplicates > 0) parts.push(`${counts.duplicates} already on file, skipped`);
    if (counts.rejected > 0) parts.push(`${counts.rejected} ${counts.rejected === 1 ? 'row' : 'rows'} with problems not imported`);
    req.session.flash = { message: `${parts.join('; ')}.`, tone: 'ok' };
    res.redirect(303, `/centers/${member.center.id}/${words.list}`);
  });

  const sendCsv = (res: Response, fileName: string, text: string) => {
    res.set({ 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${fileName}"`, 'Cache-Control': 'private, no-store' });
    res.send(text);
  };

  router.get('/centers/:centerId/import/templates/:kind', guard(deps, 'roster.import'), async (req, res) => {
    const member = memberOf(req);
    const kind = Kind.safeParse(String(req.params.kind).replace(/\.csv$/, ''));
    if (!kind.success) throw new NotFound('template');
    const text = kind.data === 'children' ? await childrenTemplateCsv(db, member.center) : await peopleTemplateCsv(db, member.center);
    sendCsv(res, `${kind.data}-template.csv`, text);
  });

  router.get('/centers/:centerId/children.csv', guard(deps, 'roster.export'), async (req, res) => {
    const member = memberOf(req);
    sendCsv(res, `children-${centerToday(member.center, clock.now())}.csv`, await exportChildrenCsv(db, member.center));
  });

  router.get('/centers/:centerId/people.csv', guard(deps, 'roster.export'), async (req, res) => {
    const member = memberOf(req);
    sendCsv(res, `people-${centerToday(member.center, clock.now())}.csv`, await exportPeopleCsv(db, member.center));
  });

  return router;
}
