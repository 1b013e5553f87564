/**
 * The `npm run -s rules -- <state>` contract: the pack as JSON on stdout (exit 0);
 * an unknown id: one line on stderr, nothing on stdout, exit 2.
 */
import { describe, expect, it } from 'vitest';
import { runCliProcess } from '../support/cli.js';

function rules(...args: string[]) {
  return runCliProcess('rules', { args });
}

describe('rules CLI', () => {
  it('prints the Minnesota pack with the ratios, group sizes and bands of Minn. R. 9503', () => {
    const { status, stdout, stderr } = rules('MN');
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const pack = JSON.parse(stdout);
    expect(pack.state).toBe('MN');
    expect(pack.packStatus).toBe('draft');
    expect(pack.timeZone).toBe('America/Chicago');
    // 9503.0040 subp. 1.
    const rows = Object.fromEntries(pack.ratios.map((r: any) => [r.category, [r.childrenPerStaff, r.maxGroupSize]]));
    expect(rows).toEqual({ infant: [4, 8], toddler: [7, 14], preschooler: [10, 20], school_age: [15, 30] });
    for (const r of pack.ratios) expect(r.cite).toMatch(/9503\.0040/);
    // 9503.0005 subp. 2.
    expect(pack.bands.map((b: any) => b.id)).toEqual(['infant', 'toddler', 'preschooler', 'school_age']);
    // 9503.0040 subp. 2 C: meals, outdoors, field trips, naps, special activities.
    expect([...pack.groupSizeExempt.activities].sort()).toEqual(['field_trip', 'meal', 'nap', 'outdoor', 'special']);
    // 9503.0040 subp. 2 D.
    expect(pack.distribution.pattern).toEqual(['teacher', 'aide', 'assistant_teacher', 'aide']);
    // No nap ratio relief in Rule 3.
    expect(pack.nap).toBeNull();
    // A draft lists what is not confirmed.
    expect(Array.isArray(pack.unverifiedItems)).toBe(true);
    expect(pack.unverifiedItems.length).toBeGreaterThan(0);
  });

  it('rejects an unknown state id with exit 2, nothing on stdout and one stderr line naming the state', () => {
    const { status, stdout, stderr } = rules('ZZ');
    expect(status).toBe(2);
    expect(stdout).toBe('');
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/state/);
    expect(lines[0]).toContain('ZZ');
  });
});
