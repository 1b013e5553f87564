import type { Request, Router } from 'express';
import { appendAudit } from '../db/audit.js';
import { archiveInCenter, unarchiveInCenter, type ArchivableTable } from '../db/archiving.js';
import type { CenterMember } from '../db/memberships.js';
import type { Deps } from './deps.js';
import { memberOf } from './auth/current.js';
import { guard } from './auth/guard.js';
import type { Action } from './auth/policy.js';
import { actedBy } from '../services/acted-by.js';

/**
 * `POST <record>/archive` and `<record>/unarchive` for a record a center keeps
 * with its history (rooms, children, people): the row stays, the change is
 * audited in the same transaction, and a second submit changes nothing.
 */
export function archiveRoutes(
  router: Router,
  deps: Pick<Deps, 'db' | 'clock'>,
  spec: {
    readonly table: ArchivableTable;
    readonly recordType: string;
    /** The record's path, e.g. `/centers/:centerId/rooms/:roomId`. */
    readonly path: string;
    readonly actions: { readonly archive: Action; readonly unarchive: Action };
    /** The record in the path, in the member's center (archived too), or a thrown NotFound. */
    readonly find: (req: Request) => Promise<{ readonly id: string; readonly archivedAt: string | null }>;
    /** Where to go back to: the list. */
    readonly listPath: (member: CenterMember) => string;
  },
): void {
  const { db, clock } = deps;
  router.post(`${spec.path}/archive`, guard(deps, spec.actions.archive), async (req, res) => {
    const member = memberOf(req);
    const record = await spec.find(req);
    const at = clock.now();
    await db.transaction(async (trx) => {
      if (!(await archiveInCenter(trx, spec.table, member.center.id, record.id, at))) return;
      await appendAudit(trx, {
        ...actedBy(member, at),
        action: `${spec.recordType}.archived`,
        recordType: spec.recordType,
        recordId: record.id,
        before: { archivedAt: null },
        after: { archivedAt: at.toISOString() },
      });
    });
    res.redirect(303, spec.listPath(member));
  });

  router.post(`${spec.path}/unarchive`, guard(deps, spec.actions.unarchive), async (req, res) => {
    const member = memberOf(req);
    const record = await spec.find(req);
    const at = clock.now();
    await db.transaction(async (trx) => {
      if (!(await unarchiveInCenter(trx, spec.table, member.center.id, record.id))) return;
      await appendAudit(trx, {
        ...actedBy(member, at),
        action: `${spec.recordType}.unarchived`,
        recordType: spec.recordType,
        recordId: record.id,
        before: { archivedAt: record.archivedAt },
        after: { archivedAt: null },
      });
    });
    res.redirect(303, `${spec.listPath(member)}?archived=1`);
  });
}
