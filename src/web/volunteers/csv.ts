/**
 * CSV as RFC 4180 says (CRLF between records, fields with a comma, a quote or a
 * line break quoted, quotes doubled), with one addition for spreadsheets: a
 * cell starting with = + - @ (or a tab or carriage return) is prefixed with '
 * so it is shown as text and never run as a formula.
 */

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(cells: readonly (string | number | null | undefined)[]): string {
  return cells.map(csvCell).join(',');
}

/** The whole file: a header row, then the rows, each line ended by CRLF. */
export function csvDocument(header: readonly string[], rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  return [header, ...rows].map((r) => `${csvLine(r)}\r\n`).join('');
}
