import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { Group, PersonInRoom } from '../../src/domain/ratio/types.js';
import { judgeChildEntry, judgePersonEntry } from '../../src/domain/room-entry.js';
import { CA } from '../../src/domain/rules/ca.js';
import { MN } from '../../src/domain/rules/mn.js';

const at = DateTime.fromISO('2026-03-02T07:00:00', { zone: 'America/Chicago' });
const group = (people: PersonInRoom[] = []): Group => ({ activity: 'normal', children: [{ birthDate: '2025-09-01' }], people });
const teacher: PersonInRoom = { role: 'teacher', qualified: true, backgroundStudy: 'cleared' };
const aide: PersonInRoom = { role: 'aide', qualified: true, backgroundStudy: 'cleared' };
const withStudy = (backgroundStudy: PersonInRoom['backgroundStudy']): PersonInRoom => ({ role: 'volunteer', qualifiesAs: 'aide', ageYears: 40, backgroundStudy });

describe('judgePersonEntry', () => {
  it('refuses a person whose study is disqualified, with the pack’s citation for that status', () => {
    expect(judgePersonEntry(MN, group([teacher]), withStudy('disqualified'), at)).toEqual({
      ok: false,
      reason: 'background_study',
      explanation: 'their background study is disqualified; Minnesota licensed child care centers allow presence with children only once it is cleared (Minn. Stat. 245C.14)',
    });
  });

  it('refuses a person whose study is not started, even with a teacher present', () => {
    const entry = judgePersonEntry(MN, group([teacher]), withStudy('not_started'), at);
    expect(entry).toMatchObject({ ok: false, reason: 'background_study' });
    expect(!entry.ok && entry.explanation).toContain('(Minn. Stat. 245C.13 subd. 2)');
  });

  it('lets a person whose study is submitted in only while a counted teacher or assistant teacher is present', () => {
    expect(judgePersonEntry(MN, group([]), withStudy('submitted'), at)).toMatchObject({ ok: false, reason: 'no_supervisor' });
    expect(judgePersonEntry(MN, group([aide]), withStudy('submitted'), at)).toMatchObject({ ok: false, reason: 'no_supervisor' });
    expect(judgePersonEntry(MN, group([teacher]), withStudy('submitted'), at)).toEqual({ ok: true, supervised: true });
  });

  it('does not take a teacher who is not counted (her own study submitted) as a supervisor', () => {
    expect(judgePersonEntry(MN, group([{ ...teacher, backgroundStudy: 'submitted' }]), withStudy('submitted'), at)).toMatchObject({ ok: false, reason: 'no_supervisor' });
  });

  it('lets a cleared person in alone', () => {
    expect(judgePersonEntry(MN, group([]), withStudy('cleared'), at)).toEqual({ ok: true, supervised: false });
  });

  it('reads the pack’s table: California allows no presence on a submitted study', () => {
    expect(judgePersonEntry(CA, group([teacher]), withStudy('submitted'), at.setZone('America/Los_Angeles'))).toMatchObject({ ok: false, reason: 'background_study' });
  });
});

describe('judgeChildEntry', () => {
  it('refuses a 41-day-old under Minnesota’s 6 weeks, in weeks, with the pack’s words and citation', () => {
    expect(judgeChildEntry(MN, { birthDate: '2026-01-20' }, at)).toEqual({
      ok: false,
      reason: 'below_minimum_age',
      explanation: 'is 5 weeks old; Minnesota licensed child care centers care for infants from 6 weeks (Minn. R. 9503.0005 subp. 2 A; 9503.0065 subp. 1)',
    });
  });

  it('takes a child on the day she turns 6 weeks', () => {
    expect(judgeChildEntry(MN, { birthDate: '2026-01-19' }, at)).toEqual({ ok: true });
  });

  it('judges the age on the local date: at 23:30 in Chicago the evening before she turns 6 weeks (already her birthday in UTC), she is refused', () => {
    expect(judgeChildEntry(MN, { birthDate: '2026-01-19' }, DateTime.fromISO('2026-03-02T05:30:00Z').setZone('America/Chicago'))).toMatchObject({ ok: false, explanation: expect.stringMatching(/^is 5 weeks old;/) });
    expect(judgeChildEntry(MN, { birthDate: '2026-01-19' }, DateTime.fromISO('2026-03-02T06:00:00Z').setZone('America/Chicago'))).toEqual({ ok: true });
  });

  it('refuses a child at the pack’s maximum age, and one not born yet', () => {
    expect(judgeChildEntry(MN, { birthDate: '2013-03-02', attendsKindergarten: true }, at)).toMatchObject({ ok: false, reason: 'above_maximum_age', explanation: expect.stringMatching(/^is 13 years old; .* care for children younger than 13 \(/) });
    expect(judgeChildEntry(MN, { birthDate: '2026-04-01' }, at)).toMatchObject({ ok: false, reason: 'below_minimum_age', explanation: expect.stringMatching(/^is not born yet;/) });
  });

  it('refuses no age a pack sets no limit for', () => {
    expect(judgeChildEntry(CA, { birthDate: '2026-02-20' }, at)).toEqual({ ok: true });
  });
});
