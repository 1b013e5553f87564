// The CSV writer lives in src/words/csv.ts, where the services (the roster export) can use it too.
export { csvCell, csvDocument, csvFile, csvLine, type CsvValue } from '../words/csv.js';
