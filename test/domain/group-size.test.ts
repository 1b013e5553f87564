import { describe, expect, it } from 'vitest';
import { strictestGroupSize } from '../../src/domain/group-size.js';
import { getPack } from '../../src/domain/rules/index.js';

const pack = (id: string) => getPack(id)!;

describe('strictestGroupSize', () => {
  it("returns Minnesota's infant limit of 8 with its citation for an infant room", () => {
    expect(strictestGroupSize(pack('MN'), ['infant'])).toMatchObject({ limit: 8, band: { id: 'infant' }, cite: 'Minn. R. 9503.0040 subp. 1' });
  });

  it('returns the youngest category present when a room serves several', () => {
    expect(strictestGroupSize(pack('MN'), ['toddler', 'infant', 'preschooler'])?.limit).toBe(8);
    expect(strictestGroupSize(pack('MN'), ['preschooler', 'school_age'])?.limit).toBe(20);
  });

  it('looks at every band of a coarse category, not only the first', () => {
    // Texas splits infants into 0-11 months (10) and 12-17 months (13).
    expect(strictestGroupSize(pack('TX'), ['infant'])).toMatchObject({ limit: 10, band: { id: '0_11m' } });
    // Caring for Our Children's 5-year-olds (16) are looser than its 3-year-olds (14).
    expect(strictestGroupSize(pack('CFOC'), ['preschooler'])).toMatchObject({ limit: 14, band: { id: '3y' } });
  });

  it('uses the separate group-size citation when the pack gives one', () => {
    expect(strictestGroupSize(pack('WI'), ['preschooler'])?.cite).toBe('DCF 251.055 Table (via secondary source)');
  });

  it('returns null when the pack sets no group size for the categories', () => {
    expect(strictestGroupSize(pack('CA'), ['infant', 'preschooler'])).toBeNull();
    expect(strictestGroupSize(pack('MN'), [])).toBeNull();
  });
});
