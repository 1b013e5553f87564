import { parse } from 'csv-parse/sync';
import { unprotectedCell } from '../../words/csv.js';

/**
 * A roster file read into rows: UTF-8 (a byte-order mark is dropped), comma-separated,
 * RFC 4180 quoting, CRLF or LF line ends. The first row is the header. Everything
 * wrong with the file as a whole is one sentence for a director; nothing here throws
 * on bad input.
 */

/** The largest file taken: about 5,000 rows of a roster; a center has a few hundred. */
export const MAX_FILE_BYTES = 1024 * 1024;
/** The most data rows taken in one file. */
export const MAX_ROWS = 2000;

export type CsvRecord = {
  /** The spreadsheet's row number: the header is row 1. */
  readonly row: number;
  /** The cells as typed, a formula guard written by our export taken off (words/csv.ts). */
  readonly cells: readonly string[];
};

export type CsvTable = {
  readonly header: readonly string[];
  /** Data rows, blank ones left out (their numbers are skipped, as a spreadsheet shows them). */
  readonly records: readonly CsvRecord[];
};

export type ReadResult = { readonly ok: true; readonly table: CsvTable } | { readonly ok: false; readonly error: string };

export const NOT_UTF8 = 'The file is not UTF-8 text: save it from your spreadsheet as “CSV UTF-8 (comma delimited)” and choose it again.';

export function readCsv(bytes: Uint8Array): ReadResult {
  if (bytes.byteLength > MAX_FILE_BYTES) {
    return { ok: false, error: `The file is larger than ${MAX_FILE_BYTES / (1024 * 1024)} MB. Split it into smaller files of at most ${MAX_ROWS.toLocaleString('en-US')} rows.` };
  }
  let text: string;
  try {
    // ignoreBOM: false (the default) drops a leading byte-order mark.
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, error: NOT_UTF8 };
  }
  if (text.includes('\u0000')) return { ok: false, error: NOT_UTF8 };
  if (text.trim() === '') return { ok: false, error: 'The file is empty: it needs a header row naming the columns, then one row per record.' };
  let rows: string[][];
  try {
    rows = parse(text, {
      delimiter: ',',
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_column_count: true,
      // A stray quote inside an unquoted cell (Maya "May" R.) is taken as typed.
      relax_quotes: true,
      // Blank lines are kept here so that row numbers stay the spreadsheet's; they are dropped below.
      skip_empty_lines: false,
      bom: true,
    }) as string[][];
  } catch (err) {
    return { ok: false, error: parseErrorText(err) };
  }
  const [header, ...data] = rows;
  if (!header || header.every((h) => h.trim() === '')) return { ok: false, error: 'The first row must name the columns, like name,birth_date,room.' };
  const records: CsvRecord[] = [];
  data.forEach((cells, i) => {
    if (cells.every((c) => c.trim() === '')) return;
    records.push({ row: i + 2, cells: cells.map(unprotectedCell) });
  });
  if (records.length > MAX_ROWS) {
    return { ok: false, error: `The file has ${records.length.toLocaleString('en-US')} rows; at most ${MAX_ROWS.toLocaleString('en-US')} are taken at once. Split it into smaller files.` };
  }
  return { ok: true, table: { header: header.map(unprotectedCell), records } };
}

function parseErrorText(err: unknown): string {
  const e = err as { code?: string; lines?: number };
  const line = typeof e.lines === 'number' ? ` (line ${e.lines})` : '';
  switch (e.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return `The file could not be read${line}: a cell opens a quote (") that is never closed. Close the quote, or save the file again from your spreadsheet.`;
    case 'CSV_INVALID_CLOSING_QUOTE':
      return `The file could not be read${line}: a quoted cell has text after its closing quote. Put the whole cell in quotes and double any quote inside it ("").`;
    default:
      return `The file could not be read as CSV${line}. Save it from your spreadsheet as “CSV UTF-8 (comma delimited)” and choose it again.`;
  }
}
