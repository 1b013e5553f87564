import type { CsvRecord } from './read.js';

/**
 * The header row: which column holds which field. Header names are compared
 * case-insensitively, trimmed, with spaces and underscores alike ("Birth date" is
 * birth_date); the order is free; columns nobody asked for are listed, not read.
 */

/** A header name as compared: NFC, trimmed, lower case, runs of spaces and underscores as one space. */
export function headerKey(text: string): string {
  return text.normalize('NFC').trim().toLowerCase().replace(/[\s_]+/g, ' ');
}

export type ColumnSpec = { readonly name: string; readonly required: boolean };

export type ColumnMap = {
  /** Field name → the column's index. */
  readonly index: ReadonlyMap<string, number>;
  /** Columns not read, as headed in the file. */
  readonly ignored: readonly string[];
  readonly errors: readonly string[];
};

/**
 * Maps the header onto `specs` (by name) and then onto `extra` (a field for a key, or
 * null): a training column, for people. A required column missing, or a field named by
 * two columns, is a file error.
 */
export function mapColumns(
  header: readonly string[],
  specs: readonly ColumnSpec[],
  kindWords: string,
  extra: (key: string) => string | null = () => null,
): ColumnMap {
  const byKey = new Map(specs.map((s) => [headerKey(s.name), s.name]));
  const index = new Map<string, number>();
  const ignored: string[] = [];
  const errors: string[] = [];
  header.forEach((raw, i) => {
    const key = headerKey(raw);
    if (key === '') return;
    const field = byKey.get(key) ?? extra(key);
    if (field === null || field === undefined) {
      ignored.push(raw.trim());
      return;
    }
    const before = index.get(field);
    if (before !== undefined) {
      errors.push(`Two columns are the same field “${field}” (columns ${before + 1} and ${i + 1}): keep one of them.`);
      return;
    }
    index.set(field, i);
  });
  const missing = specs.filter((s) => s.required && !index.has(s.name)).map((s) => s.name);
  if (missing.length > 0) {
    const required = specs.filter((s) => s.required).map((s) => s.name).join(', ');
    errors.push(
      `The file has no ${missing.map((m) => `“${m}”`).join(' or ')} column. A ${kindWords} file needs the columns ${required} in its first row (download the template to see them).`,
    );
  }
  return { index, ignored, errors };
}

/** The trimmed text of `field` in a record ('' when the column is absent or the row is short). */
export function cellOf(columns: ColumnMap, record: CsvRecord, field: string): string {
  const i = columns.index.get(field);
  return i === undefined ? '' : (record.cells[i] ?? '').trim();
}

/**
 * A row error when the row has more cells than the header and some of them hold
 * text: most often a comma inside a name that was not put in quotes.
 */
export function extraCellsText(headerLength: number, record: CsvRecord): string | null {
  if (record.cells.length <= headerLength) return null;
  if (record.cells.slice(headerLength).every((c) => c.trim() === '')) return null;
  return `This row has ${record.cells.length} cells but the header has ${headerLength}: a cell holding a comma must be put in quotes ("Lee, Sam").`;
}
