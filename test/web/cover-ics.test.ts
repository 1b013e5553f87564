import { describe, expect, it } from 'vitest';
import { calendar, escapeText, foldLine, utcStamp } from '../../src/web/cover/ics.js';

describe('escapeText', () => {
  it('escapes backslashes, semicolons, commas and newlines as RFC 5545 says', () => {
    expect(escapeText('a\\b;c,d\ne\r\nf')).toBe('a\\\\b\\;c\\,d\\ne\\nf');
  });
});

describe('utcStamp', () => {
  it('writes an instant as a UTC date-time', () => {
    expect(utcStamp(new Date('2026-03-02T21:00:00.000Z'))).toBe('20260302T210000Z');
  });
});

describe('foldLine', () => {
  it('leaves a line of 75 octets as it is', () => {
    expect(foldLine('x'.repeat(75))).toBe('x'.repeat(75));
  });
  it('folds a longer line with CRLF and a space, at most 75 octets per line', () => {
    const folded = foldLine(`SUMMARY:${'y'.repeat(100)}`);
    expect(folded.split('\r\n').map((l) => Buffer.byteLength(l))).toEqual([75, 34]);
    expect(folded.replace(/\r\n /g, '')).toBe(`SUMMARY:${'y'.repeat(100)}`);
  });
  it('never splits a multi-byte character', () => {
    const line = `LOCATION:${'é'.repeat(60)}`;
    const parts = foldLine(line).split('\r\n');
    expect(parts.every((p) => Buffer.byteLength(p) <= 75)).toBe(true);
    expect(parts.map((p, i) => (i === 0 ? p : p.slice(1))).join('')).toBe(line);
  });
});

describe('calendar', () => {
  it('writes one event per shift between CRLF lines, cancelled ones marked so', () => {
    const out = calendar(
      [
        { uid: 'shift-1@ratiowatch', start: new Date('2026-03-02T21:00:00Z'), end: new Date('2026-03-02T23:00:00Z'), summary: 'Cover: Infants, Toddlers', location: 'Maple; Street' },
        { uid: 'shift-2@ratiowatch', start: new Date('2026-03-03T15:00:00Z'), end: new Date('2026-03-03T17:00:00Z'), summary: 'Cover: Preschool', cancelled: true },
      ],
      { name: 'Cover at Maple', stamp: new Date('2026-03-02T12:45:00Z') },
    );
    expect(out.split('\r\n')).toEqual([
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Ratiowatch//Cover shifts//EN',
      'CALSCALE:GREGORIAN',
      'METHOD:PUBLISH',
      'X-WR-CALNAME:Cover at Maple',
      'BEGIN:VEVENT',
      'UID:shift-1@ratiowatch',
      'DTSTAMP:20260302T124500Z',
      'DTSTART:20260302T210000Z',
      'DTEND:20260302T230000Z',
      'SUMMARY:Cover: Infants\\, Toddlers',
      'LOCATION:Maple\\; Street',
      'STATUS:CONFIRMED',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:shift-2@ratiowatch',
      'DTSTAMP:20260302T124500Z',
      'DTSTART:20260303T150000Z',
      'DTEND:20260303T170000Z',
      'SUMMARY:Cover: Preschool',
      'STATUS:CANCELLED',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ]);
  });
});
