/**
 * Roster import and export (issue #19): children and people from and to CSV.
 * See docs/import.md for the columns and the rules.
 */
export { centerToday, checkRosterFile, commitRoster, listRosterTrainings, loadRosterContext, previewRoster } from './import.js';
export type { CheckedChildren, CheckedPeople, CommittedReport, RosterActor, RosterCenter, RosterCommit, RosterCommitOptions, RosterContext, RosterFiles } from './import.js';
export { childrenTemplateCsv, exportChildrenCsv, exportPeopleCsv, peopleTemplateCsv } from './export.js';
export { checkChildren, CHILD_COLUMNS, CHILD_HEADER, type ChildrenContext, type ChildToAdd } from './children.js';
export { checkPeople, PERSON_COLUMNS, personHeader, type PeopleContext, type PersonToAdd, type RosterTraining } from './people.js';
export { MAX_FILE_BYTES, MAX_ROWS, NOT_UTF8, readCsv } from './read.js';
export { isAllValid, reportCounts, rowErrorText } from './types.js';
export type { DuplicateOf, RosterKind, RosterLine, RosterReport, RowError, RowOutcome } from './types.js';
