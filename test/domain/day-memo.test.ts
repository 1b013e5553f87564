import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { evaluateRoom, newDayMemo } from '../../src/domain/ratio/evaluate-room.js';
import type { ChildInRoom, Group, PersonInRoom } from '../../src/domain/ratio/types.js';
import { CA } from '../../src/domain/rules/ca.js';
import { MN } from '../../src/domain/rules/mn.js';

// The forecast's memo of a room's day must never change an answer: the same
// evaluation with and without it, whatever the slice, the day or the pack.
const trainings = ['orientation', 'suid', 'aht', 'first_aid', 'cpr', 'child_development'].map((id) => ({ id, completedOn: '2026-01-10' }));
const roster: ChildInRoom[] = [
  { birthDate: '2025-12-01' }, // an infant
  { birthDate: '2024-06-15' }, // a toddler
  { birthDate: '2022-03-02' }, // a preschooler who turns 4 on the second day
  { birthDate: '2019-01-20', attendsKindergarten: true },
  { birthDate: '2026-02-20' }, // younger than 6 weeks
];
const people: PersonInRoom[] = [
  { role: 'teacher', ageYears: 40, backgroundStudy: 'cleared', trainings },
  { role: 'aide', ageYears: 17, backgroundStudy: 'cleared', trainings: trainings.slice(0, 4) },
  { role: 'volunteer', qualifiesAs: 'aide', ageYears: 30, backgroundStudy: 'submitted', trainings },
];

describe('newDayMemo', () => {
  it('answers as the engine does without it, across slices, days and packs', () => {
    const memo = newDayMemo(roster, people);
    const slices: Group[] = [
      { activity: 'normal', children: roster.slice(1, 3), people: people.slice(0, 1) },
      { activity: 'normal', children: roster, people },
      { activity: 'nap', children: [roster[0]!, roster[2]!, roster[4]!], people: people.slice(1) },
      // Not in the roster's order, and a child the roster does not know: judged as without a memo.
      { activity: 'normal', children: [roster[3]!, roster[0]!, { birthDate: '2023-05-05' }], people: [people[2]!, people[0]!] },
      { activity: 'outdoor', children: roster.slice(0, 2), people: [...people, { role: 'teacher', qualifiesAs: 'teacher', qualified: true }] },
    ];
    const instants = ['2026-03-01T10:00:00-06:00', '2026-03-01T23:59:00-06:00', '2026-03-02T00:00:00-06:00', '2026-03-02T12:00:00-06:00'];
    for (const pack of [MN, CA, MN]) {
      for (const iso of instants) {
        const at = DateTime.fromISO(iso, { setZone: true });
        for (const group of [...slices, ...slices]) {
          expect(evaluateRoom(pack, group, at, { explain: false, memo })).toEqual(evaluateRoom(pack, group, at, { explain: false }));
        }
      }
    }
  });

  it('is not read when the engine gives its reasons', () => {
    const memo = newDayMemo(roster);
    const at = DateTime.fromISO('2026-03-02T09:30:00-06:00', { setZone: true });
    const group: Group = { activity: 'normal', children: roster, people };
    evaluateRoom(MN, group, at, { explain: false, memo });
    expect(evaluateRoom(MN, group, at, { memo })).toEqual(evaluateRoom(MN, group, at));
  });
});
