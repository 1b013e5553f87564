import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { appendAudit, deferAuditAppends } from '../../db/audit.js';
import { listCenterTrainings } from '../../db/center-trainings.js';
import { replaceScheduleOfChild } from '../../db/child-schedules.js';
import { createChild, listChildrenInCenter } from '../../db/children.js';
import { lockUntilCommit } from '../../db/knex.js';
import { createPerson, listPeopleInCenter } from '../../db/people.js';
import { listRoomsInCenter } from '../../db/rooms.js';
import type { Center } from '../../db/rows.js';
import { createTrainingRecord } from '../../db/trainings.js';
import type { RulePack } from '../../domain/rule-pack.js';
import { getPack } from '../../domain/rules/index.js';
import { checkChildren, type ChildrenContext, type ChildToAdd } from './children.js';
import { checkPeople, type PeopleContext, type PersonToAdd, type RosterTraining } from './people.js';
import { readCsv } from './read.js';
import { isAllValid, type RosterKind, type RosterReport } from './types.js';
import { daysText } from './values.js';

/**
 * The roster import: a children file and a people file, checked against the center
 * (preview) and then stored, all valid rows in one transaction with their audit
 * entries (commit). The checks are the pure functions of children.ts and people.ts;
 * this module reads what they need and writes what they accept.
 */

export type RosterCenter = Pick<Center, 'id' | 'organizationId' | 'packId' | 'timeZone'>;

/** What the checks know of the center. */
export type RosterContext = { readonly children: ChildrenContext; readonly people: PeopleContext };

/** The center's local date at `at`, YYYY-MM-DD. */
export function centerToday(center: Pick<Center, 'timeZone'>, at: Date): string {
  return DateTime.fromJSDate(at, { zone: center.timeZone }).toISODate()!;
}

function packOf(center: RosterCenter): RulePack {
  const pack = getPack(center.packId);
  if (!pack) throw new Error(`center ${center.id} has unknown pack ${center.packId}`);
  return pack;
}

/** The trainings a people file may have a column for: the pack's, then the center's active ones (by code). */
export async function listRosterTrainings(db: Knex, center: RosterCenter): Promise<RosterTraining[]> {
  const extras = await listCenterTrainings(db, center.id);
  return [...packOf(center).trainings.map((t) => ({ id: t.id, label: t.label })), ...extras.map((t) => ({ id: t.code, label: t.label }))];
}

/** Reads the rooms, children, people and trainings the checks compare against (archived ones too). */
export async function loadRosterContext(db: Knex, center: RosterCenter, today: string): Promise<RosterContext> {
  const pack = packOf(center);
  // One after another: inside a PostgreSQL transaction the connection takes one query at a time.
  const rooms = await listRoomsInCenter(db, center.id, { includeArchived: true });
  const children = await listChildrenInCenter(db, center.id, { includeArchived: true });
  const people = await listPeopleInCenter(db, center.id, { includeArchived: true });
  const trainings = await listRosterTrainings(db, center);
  return { children: { pack, today, rooms, children }, people: { pack, today, trainings, people } };
}

export type CheckedChildren = { readonly kind: 'children'; readonly report: RosterReport; readonly toAdd: readonly ChildToAdd[] };
export type CheckedPeople = { readonly kind: 'people'; readonly report: RosterReport; readonly toAdd: readonly PersonToAdd[] };
type Checked = CheckedChildren | CheckedPeople;

/** A file of `kind` read and checked against `ctx`. Pure: bytes and data in, the report and the rows to add out. */
export function checkRosterFile(kind: 'children', bytes: Uint8Array, ctx: RosterContext): CheckedChildren;
export function checkRosterFile(kind: 'people', bytes: Uint8Array, ctx: RosterContext): CheckedPeople;
export function checkRosterFile(kind: RosterKind, bytes: Uint8Array, ctx: RosterContext): Checked;
export function checkRosterFile(kind: RosterKind, bytes: Uint8Array, ctx: RosterContext): Checked {
  const read = readCsv(bytes);
  if (!read.ok) {
    return kind === 'children'
      ? { kind, report: { kind, rows: 0, fileErrors: [read.error], ignoredColumns: [], lines: [] }, toAdd: [] }
      : { kind, report: { kind, rows: 0, fileErrors: [read.error], ignoredColumns: [], lines: [] }, toAdd: [] };
  }
  return kind === 'children' ? { kind, ...checkChildren(read.table, ctx.children) } : { kind, ...checkPeople(read.table, ctx.people) };
}

/** What would happen to each row of the file, stored nowhere. `today` is the center's local date (centerToday). */
export async function previewRoster(db: Knex, center: RosterCenter, kind: RosterKind, bytes: Uint8Array, today: string): Promise<RosterReport> {
  return checkRosterFile(kind, bytes, await loadRosterContext(db, center, today)).report;
}

export type RosterFiles = { readonly children?: Uint8Array; readonly people?: Uint8Array };

/** Who imports: a member's user (web), or nobody in particular (the CLI, whose entries have no user). */
export type RosterActor = { readonly userId: string | null; readonly via: 'web' | 'cli' };

export type RosterCommitOptions = {
  /** "I have seen these records": imported trainings are verified by the actor, instead of awaiting review. */
  readonly seenRecords: boolean;
  readonly at: Date;
  /** Store nothing at all if any row of any file is rejected or a file has an error (the CLI). Otherwise the valid rows go in, the rest are reported. */
  readonly onlyIfAllValid: boolean;
};

export type CommittedReport = RosterReport & {
  /** Rows stored: the children or people added. */
  readonly imported: number;
  /** Training records stored with the people (0 for children). */
  readonly trainingRecords: number;
};

export type RosterCommit = {
  /** Whether anything was written (false: nothing to add, or onlyIfAllValid refused). */
  readonly stored: boolean;
  readonly children?: CommittedReport;
  readonly people?: CommittedReport;
};

/**
 * Checks the files again (duplicates may have come since the preview) and stores every
 * row to add in ONE transaction: the children with their weekly schedules, the people
 * with their training records, an audit entry for each record made and one
 * `roster.imported` entry saying what was imported, how, and who vouched for the
 * training records. A failure rolls all of it back.
 */
export async function commitRoster(db: Knex, center: RosterCenter, files: RosterFiles, actor: RosterActor, opts: RosterCommitOptions): Promise<RosterCommit> {
  const today = centerToday(center, opts.at);
  return db.transaction(async (trx) => {
    // Two imports into one center take turns (PostgreSQL), so neither misses the other's rows as duplicates.
    // SQLite has one writer at a time anyway.
    await lockUntilCommit(trx, `roster:${center.id}`);
    const ctx = await loadRosterContext(trx, center, today);
    const checked: Checked[] = [];
    if (files.children) checked.push(checkRosterFile('children', files.children, ctx));
    if (files.people) checked.push(checkRosterFile('people', files.people, ctx));
    const refused = opts.onlyIfAllValid && checked.some((c) => !isAllValid(c.report));
    const nothing = (c: Checked): CommittedReport => ({ ...c.report, imported: 0, trainingRecords: 0 });
    if (refused || checked.every((c) => c.toAdd.length === 0)) {
      return { stored: false, ...Object.fromEntries(checked.map((c) => [c.kind, nothing(c)])) };
    }

    const flush = deferAuditAppends(trx);
    const entry = { at: opts.at, organizationId: center.organizationId, centerId: center.id, actorUserId: actor.userId };
    const out: { children?: CommittedReport; people?: CommittedReport } = {};
    let records = 0;
    for (const c of checked) {
      if (c.kind === 'children') {
        for (const child of c.toAdd) {
          const made = await createChild(trx, { centerId: center.id, displayName: child.displayName, birthDate: child.birthDate, homeRoomId: child.homeRoomId, attendsKindergarten: child.attendsKindergarten, at: opts.at });
          await replaceScheduleOfChild(trx, made.id, child.schedule);
          // The child form's audit fields (web/children/routes.ts), and where the row came from.
          await appendAudit(trx, {
            ...entry,
            action: 'child.created',
            recordType: 'child',
            recordId: made.id,
            after: {
              displayName: child.displayName,
              birthDate: child.birthDate,
              attendsKindergarten: child.attendsKindergarten,
              homeRoomId: child.homeRoomId,
              schedule: child.schedule.map((d) => `${daysText([d.weekday])} ${d.arrive}-${d.depart}`),
              importedVia: actor.via,
              row: child.row,
            },
          });
        }
        out.children = { ...c.report, imported: c.toAdd.length, trainingRecords: 0 };
      } else {
        let made = 0;
        for (const p of c.toAdd) {
          const person = await createPerson(trx, {
            centerId: center.id,
            displayName: p.displayName,
            role: p.role,
            qualifiesAs: p.qualifiesAs,
            birthDate: p.birthDate,
            adultAttested: p.adultAttested,
            backgroundStudy: p.backgroundStudy,
            backgroundClearedOn: p.backgroundClearedOn,
            backgroundExpiresOn: p.backgroundExpiresOn,
            email: p.email,
            at: opts.at,
          });
          await appendAudit(trx, {
            ...entry,
            action: 'person.created',
            recordType: 'person',
            recordId: person.id,
            after: {
              displayName: p.displayName,
              role: p.role,
              qualifiesAs: p.qualifiesAs,
              birthDate: p.birthDate,
              adultAttested: p.adultAttested,
              startedOn: null,
              email: p.email,
              backgroundStudy: { status: p.backgroundStudy, clearedOn: p.backgroundClearedOn, expiresOn: p.backgroundExpiresOn },
              importedVia: actor.via,
              row: p.row,
            },
          });
          for (const t of p.trainings) {
            const status = opts.seenRecords ? 'verified' : 'submitted';
            const record = await createTrainingRecord(trx, {
              centerId: center.id,
              personId: person.id,
              trainingId: t.trainingId,
              completedOn: t.completedOn,
              status,
              reviewedByUserId: opts.seenRecords ? actor.userId : null,
              reviewedAt: opts.seenRecords ? opts.at : null,
              at: opts.at,
            });
            await appendAudit(trx, {
              ...entry,
              action: 'training_record.imported',
              recordType: 'training_record',
              recordId: record.id,
              after: { personId: person.id, trainingId: t.trainingId, completedOn: t.completedOn, status, seenRecords: opts.seenRecords, importedVia: actor.via },
            });
            made++;
          }
        }
        records += made;
        out.people = { ...c.report, imported: c.toAdd.length, trainingRecords: made };
      }
    }
    // What was imported, how, and who said "I have seen these records" (the actor; null from the CLI).
    await appendAudit(trx, {
      ...entry,
      action: 'roster.imported',
      recordType: 'roster_import',
      recordId: null,
      after: {
        via: actor.via,
        children: out.children ? { rows: out.children.rows, imported: out.children.imported } : null,
        people: out.people ? { rows: out.people.rows, imported: out.people.imported, trainingRecords: records } : null,
        seenRecords: opts.seenRecords,
        seenRecordsBy: opts.seenRecords ? actor.userId : null,
      },
    });
    await flush();
    for (const c of checked) if (!out[c.kind]) out[c.kind] = nothing(c);
    return { stored: true, ...out };
  });
}
