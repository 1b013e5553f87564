import { describe, expect, it } from 'vitest';
import { csvCell, csvDocument } from '../../../src/web/volunteers/csv.js';

describe('csvCell', () => {
  it('leaves plain text alone and writes nothing for null', () => {
    expect(csvCell('Jo Nguyen')).toBe('Jo Nguyen');
    expect(csvCell(null)).toBe('');
    expect(csvCell(3)).toBe('3');
  });

  it('quotes a comma, a quote or a line break, doubling quotes (RFC 4180)', () => {
    expect(csvCell('Peterson, Hank')).toBe('"Peterson, Hank"');
    expect(csvCell('Jo "JJ" Nguyen')).toBe('"Jo ""JJ"" Nguyen"');
    expect(csvCell('two\r\nlines')).toBe('"two\r\nlines"');
  });

  it('neutralises a cell a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell('+1 555')).toBe("'+1 555");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tcmd')).toBe("'\tcmd");
  });

  it('leaves a formula character that does not start the cell alone', () => {
    expect(csvCell('Anne-Marie')).toBe('Anne-Marie');
  });
});

describe('csvDocument', () => {
  it('writes the header row first and ends every line with CRLF', () => {
    expect(csvDocument(['Name', 'Count'], [['A, B', 1], ['C', null]])).toBe('Name,Count\r\n"A, B",1\r\nC,\r\n');
  });
});
