import { Router } from 'express';
import { z } from 'zod';
import { listAuditActorsInCenter, listAuditInCenter } from '../../db/audit.js';
import { auditSubjects } from '../../db/audit-subjects.js';
import { centerPack } from '../../services/center-pack.js';
import type { Deps } from '../deps.js';
import { memberOf } from '../auth/current.js';
import { guard } from '../auth/guard.js';
import { fieldErrors } from '../forms.js';
import { dateText } from '../../words/format.js';
import { idSchema } from '../ids.js';
import { auditWords } from './words.js';

const PAGE_SIZE = 50;

const AuditQuery = z.object({
  person: z.union([z.literal(''), idSchema('Choose someone from the list.')]).optional(),
  record: z
    .string({ error: 'A record id is letters, digits and dashes.' })
    .trim()
    .regex(/^[A-Za-z0-9-]{0,36}$/, 'A record id is letters, digits and dashes, up to 36.')
    .optional(),
  page: z.coerce.number({ error: 'Pages are numbered from 1.' }).int('Pages are numbered from 1.').min(1, 'Pages are numbered from 1.').max(100_000).default(1),
});

const ID_TEXT = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** Every id a page of entries names: their records' and those in their changes. */
function idsIn(entries: readonly { recordId: string | null; changes: string }[]): string[] {
  const ids: string[] = [];
  for (const e of entries) {
    if (e.recordId) ids.push(e.recordId.toLowerCase());
    for (const m of e.changes.matchAll(ID_TEXT)) ids.push(m[0].toLowerCase());
  }
  return ids;
}

export function auditRoutes(deps: Deps): Router {
  const { db } = deps;
  const router = Router();

  router.get('/centers/:centerId/audit', guard(deps, 'audit.view'), async (req, res) => {
    const { center } = memberOf(req);
    const raw = req.query as Record<string, unknown>;
    const values = { person: typeof raw.person === 'string' ? raw.person : '', record: typeof raw.record === 'string' ? raw.record : '' };
    const actors = await listAuditActorsInCenter(db, center.id);
    const view = {
      title: 'Audit log',
      center: { id: center.id, name: center.name },
      actors: actors.map((a) => ({ value: a.id, label: a.displayName, selected: a.id === values.person })),
      values,
    };
    const query = AuditQuery.safeParse(raw);
    if (!query.success) return res.status(422).render('audit/index', { ...view, errors: fieldErrors(query.error), entries: [] });

    const { person, record, page } = query.data;
    const { entries, hasMore } = await listAuditInCenter(
      db,
      center.id,
      { actorUserId: person ? person.toLowerCase() : undefined, recordId: record || undefined },
      { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE },
    );
    const names = new Map(actors.map((a) => [a.id, a.displayName]));
    const [subjects, { pack }] = await Promise.all([auditSubjects(db, center.id, idsIn(entries)), centerPack(db, center)]);
    const words = { subjects, pack, zone: center.timeZone, centerName: center.name };
    const href = (p: number) => {
      const q = new URLSearchParams();
      if (person) q.set('person', person);
      if (record) q.set('record', record);
      if (p > 1) q.set('page', String(p));
      const s = q.toString();
      return `/centers/${center.id}/audit${s ? `?${s}` : ''}`;
    };
    res.render('audit/index', {
      ...view,
      errors: {},
      filtered: Boolean(person || record),
      entries: entries.map((e) => ({
        id: e.id,
        at: dateText(e.at, center.timeZone, { year: true, time: true }),
        actor: e.actorUserId ? (names.get(e.actorUserId) ?? 'Unknown user') : 'Ratiowatch',
        actorHref: e.actorUserId ? `/centers/${center.id}/audit?person=${e.actorUserId}` : undefined,
        ...auditWords(e, words),
        action: e.action,
        recordType: e.recordType,
        recordId: e.recordId,
        recordHref: e.recordId ? `/centers/${center.id}/audit?record=${e.recordId}` : undefined,
        raw: e.changes,
      })),
      newer: page > 1 ? href(page - 1) : undefined,
      older: hasMore ? href(page + 1) : undefined,
      page,
    });
  });
  return router;
}
