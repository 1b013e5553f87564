import { describe, expect, it } from 'vitest';
import { csvCell, csvDocument, csvFile, csvLine } from '../../src/web/csv.js';

describe('csvCell', () => {
  it('writes plain text and numbers as they are, and nothing for null or undefined', () => {
    expect(csvCell('Infants')).toBe('Infants');
    expect(csvCell(12)).toBe('12');
    expect(csvCell(0)).toBe('0');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
  });

  it('quotes a field holding a comma, a quote, a CR or an LF, doubling the quotes (RFC 4180)', () => {
    expect(csvCell('Rivera, Sam')).toBe('"Rivera, Sam"');
    expect(csvCell('Sam "Sammy" Rivera')).toBe('"Sam ""Sammy"" Rivera"');
    expect(csvCell('""')).toBe('""""""');
    expect(csvCell('one\ntwo')).toBe('"one\ntwo"');
    expect(csvCell('one\rtwo')).toBe('"one\rtwo"');
  });

  it('prefixes a cell starting with = + - @ with a single quote, so a spreadsheet shows it as text', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+1 555 0100')).toBe("'+1 555 0100");
    expect(csvCell('-3')).toBe("'-3");
    expect(csvCell('@SUM(A1:A9)')).toBe("'@SUM(A1:A9)");
  });

  it('prefixes a cell starting with a tab or a carriage return too, and still quotes the CR', () => {
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('\r=1')).toBe(`"'\r=1"`);
  });

  it('neutralises and quotes a hostile HYPERLINK in one cell', () => {
    expect(csvCell('=HYPERLINK("http://evil.example","Click")')).toBe(`"'=HYPERLINK(""http://evil.example"",""Click"")"`);
  });

  it('leaves formula characters alone past the first one', () => {
    expect(csvCell('Anne-Marie')).toBe('Anne-Marie');
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell(' =1')).toBe(' =1');
  });

  it('keeps unicode and right-to-left text as it is', () => {
    expect(csvCell('Zoë Ñúñez')).toBe('Zoë Ñúñez');
    expect(csvCell('\u202Egnp.exe')).toBe('\u202Egnp.exe');
  });
});

describe('csvLine', () => {
  it('joins cells with commas, quoting each on its own', () => {
    expect(csvLine(['a', 'b,c', null, 3])).toBe('a,"b,c",,3');
  });
});

describe('csvDocument', () => {
  it('writes the header row, then each row, every line ended by CRLF', () => {
    expect(csvDocument(['Room', 'Children'], [['Infants', 3], ['Toddlers, east', null]])).toBe('Room,Children\r\nInfants,3\r\n"Toddlers, east",\r\n');
  });

  it('writes only the header row when there are no rows', () => {
    expect(csvDocument(['Room'], [])).toBe('Room\r\n');
  });
});

describe('csvFile', () => {
  it('starts with the UTF-8 byte-order mark so spreadsheets read accents right', () => {
    const file = csvFile(['Name'], [['Zoë']]);
    expect(file).toBe('\uFEFFName\r\nZoë\r\n');
    expect(Buffer.from(file, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });
});
