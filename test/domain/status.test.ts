import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { MN } from '../../src/domain/rules/mn.js';
import { evaluateRoom } from '../../src/domain/ratio/evaluate-room.js';
import type { ChildInRoom, PersonInRoom } from '../../src/domain/ratio/types.js';
import { roomStatus } from '../../src/domain/status.js';
import type { CoarseCategory } from '../../src/domain/rule-pack.js';

const at = DateTime.fromISO('2026-03-02T10:00:00-06:00', { setZone: true });
const infants = (n: number): ChildInRoom[] => Array.from({ length: n }, () => ({ birthDate: '2025-09-14' }));
const toddlers = (n: number): ChildInRoom[] => Array.from({ length: n }, () => ({ birthDate: '2024-07-01' }));
const teacher: PersonInRoom = { role: 'teacher', qualified: true };
const aide: PersonInRoom = { role: 'aide', qualified: true, ageYears: 30 };
const assistant: PersonInRoom = { role: 'assistant_teacher', qualified: true };
const status = (children: ChildInRoom[], people: PersonInRoom[], serves: readonly CoarseCategory[] = ['infant']) =>
  roomStatus(MN, evaluateRoom(MN, { activity: 'normal', children, people }, at), serves);

describe('roomStatus', () => {
  it('is ok when more infants could still join (6 infants, teacher and aide: 2 more may come)', () => {
    expect(status(infants(6), [teacher, aide])).toBe('ok');
  });
  it('is at limit when one more infant would break the ratio (4 infants, one teacher)', () => {
    expect(status(infants(4), [teacher])).toBe('at_limit');
  });
  it('is at limit for 14 toddlers with a teacher and an assistant teacher (group size 14)', () => {
    expect(status(toddlers(14), [teacher, assistant], ['toddler'])).toBe('at_limit');
  });
  it('is out of ratio before anything else (5 infants, one aide: also needs lead)', () => {
    expect(status(infants(5), [aide])).toBe('out_of_ratio');
  });
  it('says needs lead for an adult aide alone with 2 infants', () => {
    expect(status(infants(2), [aide])).toBe('needs_lead');
  });
  it('says needs supervision when only the mix is right: an aide leading at arrival beside a helper whose study is pending', () => {
    const leader: PersonInRoom = { role: 'aide', qualified: true, ageYears: 30, startedOn: '2025-01-01' };
    const pending: PersonInRoom = { role: 'volunteer', qualifiesAs: 'aide', ageYears: 40, backgroundStudy: 'submitted' };
    const evaluation = evaluateRoom(MN, { activity: 'arrival_departure', children: infants(2), people: [leader, pending] }, at);
    expect(roomStatus(MN, evaluation, ['infant'])).toBe('needs_supervision');
  });
  it('is ok for an empty room', () => {
    expect(status([], [])).toBe('ok');
  });
});
