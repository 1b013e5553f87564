import { describe, expect, it } from 'vitest';
import type { RulePack } from '../../../src/domain/rule-pack.js';
import { MN } from '../../../src/domain/rules/mn.js';
import { packView } from '../../../src/web/home/pack-view.js';

describe('packView', () => {
  it('writes the staff distribution pattern with arrows between level labels', () => {
    expect(packView(MN).distribution).toMatchObject({
      pattern: 'teacher → aide → assistant teacher → aide',
      repeat: 'The pattern repeats for every further staff member.',
      cite: 'Minn. R. 9503.0040 subp. 2 D',
    });
  });

  it('marks a ratio whose verification is a partial note as not confirmed, with the note', () => {
    const pack: RulePack = { ...MN, ratios: [{ ...MN.ratios[0]!, verified: 'secondary source only' }] };
    expect(packView(pack).ratios[0]!.unconfirmed).toBe('Not confirmed: secondary source only');
  });

  it('shows a dash for a band without a group size and omits a missing distribution', () => {
    const pack: RulePack = { ...MN, ratios: [{ ...MN.ratios[0]!, maxGroupSize: null }], distribution: null };
    const view = packView(pack);
    expect(view.ratios[0]!.maxGroupSize).toBe('—');
    expect(view.distribution).toBeNull();
  });

  it('drops the engine placeholder from the mixed-age note', () => {
    expect(packView(MN).mixedAge.note).not.toContain('{');
  });
});
