/**
 * What a roster import answers, row by row. The same shape for the preview and the
 * commit (which adds what it stored), for children and for people.
 */

export type RosterKind = 'children' | 'people';

/** One thing wrong with a row: the column it is about (as the template names it; null for the row as a whole) and a sentence for a director. */
export type RowError = { readonly field: string | null; readonly message: string };

/** add: valid, will be (or was) added. duplicate: already on file, or earlier in the file; skipped. rejected: has errors; never stored. */
export type RowOutcome = 'add' | 'duplicate' | 'rejected';

/** What a duplicate row is the same as: a record already on file, or an earlier row of the same file. */
export type DuplicateOf =
  | { readonly source: 'file'; readonly row: number }
  | { readonly source: 'on_file'; readonly id: string; readonly name: string; readonly archived: boolean };

export type RosterLine = {
  /** The spreadsheet's row number: the header is row 1, the first data row is 2 (blank rows are counted but not listed). */
  readonly row: number;
  readonly outcome: RowOutcome;
  /** Empty unless rejected. */
  readonly errors: readonly RowError[];
  /** What the row will make ("Maya R., born 2024-05-31, Infants, Mon–Fri 07:30–16:30"), or who it duplicates. */
  readonly summary: string;
  readonly duplicateOf?: DuplicateOf;
};

export type RosterReport = {
  readonly kind: RosterKind;
  /** Data rows in the file (blank rows not counted). */
  readonly rows: number;
  /** Problems with the file as a whole (not UTF-8, too large, a required column missing…): then no row is taken. */
  readonly fileErrors: readonly string[];
  /** Columns of the file that are not used, as headed in the file. */
  readonly ignoredColumns: readonly string[];
  readonly lines: readonly RosterLine[];
};

/** Counts of a report: rows to add, duplicates, rejected rows. */
export function reportCounts(report: RosterReport): { valid: number; duplicates: number; rejected: number } {
  let valid = 0;
  let duplicates = 0;
  let rejected = 0;
  for (const l of report.lines) {
    if (l.outcome === 'add') valid++;
    else if (l.outcome === 'duplicate') duplicates++;
    else rejected++;
  }
  return { valid, duplicates, rejected };
}

/** Whether the report holds nothing that stops an all-or-nothing import: no file error, no rejected row. */
export function isAllValid(report: RosterReport): boolean {
  return report.fileErrors.length === 0 && report.lines.every((l) => l.outcome !== 'rejected');
}

/** "Row 7, birth_date: 2025-02-30 is not a date." */
export function rowErrorText(row: number, error: RowError): string {
  return error.field === null ? `Row ${row}: ${error.message}` : `Row ${row}, ${error.field}: ${error.message}`;
}
