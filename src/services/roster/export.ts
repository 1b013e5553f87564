import type { Knex } from 'knex';
import { listSchedulesInCenter } from '../../db/child-schedules.js';
import { listChildrenInCenter } from '../../db/children.js';
import { listPeopleInCenter } from '../../db/people.js';
import { listRoomsInCenter } from '../../db/rooms.js';
import { listTrainingRecordsOfPeople } from '../../db/trainings.js';
import { getPack } from '../../domain/rules/index.js';
import { csvFile } from '../../words/csv.js';
import { CHILD_HEADER, childExampleRow, childRows } from './children.js';
import { listRosterTrainings, type RosterCenter } from './import.js';
import { personExampleRow, personHeader, personRows } from './people.js';

/**
 * The roster the other way: the children and the people of a center as CSV files in
 * the import's columns (UTF-8 with a byte-order mark, CRLF, formulas guarded: words/csv.ts),
 * so export, edit in a spreadsheet, import adds nothing twice (every row exported is a
 * duplicate of what is on file). And a template of each kind: the header and one example row.
 */

type ExportOptions = { readonly includeArchived?: boolean };

/** The center's children (not archived, unless asked), oldest first. */
export async function exportChildrenCsv(db: Knex, center: RosterCenter, opts: ExportOptions = {}): Promise<string> {
  const children = await listChildrenInCenter(db, center.id, { includeArchived: opts.includeArchived ?? false });
  const rooms = await listRoomsInCenter(db, center.id, { includeArchived: true });
  const schedules = await listSchedulesInCenter(db, center.id);
  return csvFile(CHILD_HEADER, childRows(children, rooms, schedules));
}

/** The center's people (not archived, unless asked) by name, with one column per training of the pack and the center. */
export async function exportPeopleCsv(db: Knex, center: RosterCenter, opts: ExportOptions = {}): Promise<string> {
  const people = await listPeopleInCenter(db, center.id, { includeArchived: opts.includeArchived ?? false });
  const trainings = await listRosterTrainings(db, center);
  const records = await listTrainingRecordsOfPeople(db, center.id, people.map((p) => p.id));
  return csvFile(personHeader(trainings), personRows(people, getPack(center.packId)!, trainings, records));
}

/** The children template: the header and one example row, placed in the center's first room when it has one. */
export async function childrenTemplateCsv(db: Knex, center: RosterCenter): Promise<string> {
  const [room] = await listRoomsInCenter(db, center.id);
  return csvFile(CHILD_HEADER, [childExampleRow(room?.name)]);
}

/** The people template: the header with a column per training, and one example row. */
export async function peopleTemplateCsv(db: Knex, center: RosterCenter): Promise<string> {
  const trainings = await listRosterTrainings(db, center);
  return csvFile(personHeader(trainings), [personExampleRow(getPack(center.packId)!, trainings)]);
}
