// The CSV writer is shared with the reports: see src/web/csv.ts.
export { csvCell, csvDocument, csvLine } from '../csv.js';
