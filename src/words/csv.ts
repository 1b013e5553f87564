/**
 * CSV as RFC 4180 says (CRLF between records, fields with a comma, a quote or a
 * line break quoted, quotes doubled), with one addition for spreadsheets: a
 * cell starting with = + - @ (or a tab or carriage return) is prefixed with '
 * so it is shown as text and never run as a formula. Pure: text in, text out.
 * The volunteer pool's export, the reports and the roster export all write through it.
 */

export type CsvValue = string | number | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: CsvValue): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(cells: readonly CsvValue[]): string {
  return cells.map(csvCell).join(',');
}

/** The whole file: a header row, then the rows, each line ended by CRLF. */
export function csvDocument(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return [header, ...rows].map((r) => `${csvLine(r)}\r\n`).join('');
}

/**
 * The file as bytes to send: UTF-8 with a byte-order mark first, so spreadsheet
 * programs read names with accents as UTF-8 rather than the machine's code page.
 */
export function csvFile(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return `\uFEFF${csvDocument(header, rows)}`;
}

/**
 * A cell as read back from a file csvCell wrote: the one ' put before a leading
 * = + - @ (tab, carriage return) is taken off again, so export then import gives
 * back the text. Any other leading ' is the cell's own and stays.
 */
export function unprotectedCell(text: string): string {
  return /^'[=+\-@\t\r]/.test(text) ? text.slice(1) : text;
}
