import { describe, expect, it } from 'vitest';
import type { Room } from '../../src/db/rows.js';
import { getPack } from '../../src/domain/rules/index.js';
import { judgeSetup, openWeekdaysOf, type SetupFacts } from '../../src/services/setup-gaps.js';
import { gapLine, weekdaysShort, weekdaysText } from '../../src/web/setup/words.js';

const MN = getPack('MN')!;
const CA = getPack('CA')!;

const room = (id: string, name: string): Room => ({
  id,
  centerId: 'c',
  name,
  ageCategories: ['toddler'],
  licensedCapacity: 10,
  maxGroupSize: null,
  archivedAt: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  nightProgram: false,
});

const weekdays = (personId: string, roomId: string, days: readonly number[]) => days.map((weekday) => ({ personId, roomId, weekday }));

/** Two rooms with a child each and usual days; the teacher planned in Infants Monday to Friday, nobody in Toddlers. */
const facts = (over: Partial<SetupFacts> = {}): SetupFacts => ({
  rooms: [room('r1', 'Infants'), room('r2', 'Toddlers')],
  children: [
    { id: 'k1', homeRoomId: 'r1' },
    { id: 'k2', homeRoomId: 'r2' },
  ],
  childDays: [
    { childId: 'k1', weekday: 1 },
    { childId: 'k2', weekday: 2 },
  ],
  people: [{ id: 'p1', role: 'teacher', qualifiesAs: null }],
  templates: weekdays('p1', 'r1', [1, 2, 3, 4, 5]),
  recordsAwaitingReview: [],
  ...over,
});

const codes = (f: SetupFacts, pack = MN) => judgeSetup(pack, f).gaps.map((g) => g.code);
const lines = (f: SetupFacts, pack = MN) => judgeSetup(pack, f).gaps.map((g) => gapLine(g, 'c').text);

describe('judgeSetup', () => {
  it('says 1 room has no usual staff on Mondays to Fridays when one of two rooms has staff planned every weekday', () => {
    const progress = judgeSetup(MN, facts());
    expect(progress.gaps).toEqual([{ code: 'rooms_without_usual_staff', params: { weekdays: [1, 2, 3, 4, 5], rooms: [{ id: 'r2', name: 'Toddlers' }] } }]);
    expect(lines(facts())).toEqual(['1 room has no usual staff on Mondays to Fridays: Toddlers.']);
    expect(progress.roomsStaffedEveryOpenDay).toBe(1);
  });

  it('groups weekdays that lack the same rooms, one line per set of rooms', () => {
    const f = facts({ templates: [...weekdays('p1', 'r1', [1, 2, 3, 4, 5]), ...weekdays('p1', 'r2', [1, 3])] });
    expect(lines(f)).toEqual(['1 room has no usual staff on Tuesdays, Thursdays and Fridays: Toddlers.']);
    const none = facts({ templates: weekdays('p1', 'r1', [2, 3, 4, 5]) });
    expect(lines(none)).toEqual(['2 rooms have no usual staff on Mondays: Infants and Toddlers.', '1 room has no usual staff on Tuesdays to Fridays: Toddlers.']);
  });

  it('counts Saturday as open only when a child or a shift is planned on it', () => {
    expect(openWeekdaysOf(facts())).toEqual([1, 2, 3, 4, 5]);
    const saturday = facts({ childDays: [...facts().childDays, { childId: 'k1', weekday: 6 }] });
    expect(openWeekdaysOf(saturday)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(lines(saturday)).toEqual(['1 room has no usual staff on Mondays to Fridays: Toddlers.', '2 rooms have no usual staff on Saturdays: Infants and Toddlers.']);
  });

  it('does not count a template of a person or room no longer current', () => {
    expect(codes(facts({ people: [] }))).toContain('no_staff');
    const gone = judgeSetup(MN, facts({ people: [] })).gaps.find((g) => g.code === 'rooms_without_usual_staff');
    expect(gone?.params).toEqual({ weekdays: [1, 2, 3, 4, 5], rooms: [{ id: 'r1', name: 'Infants' }, { id: 'r2', name: 'Toddlers' }] });
  });

  it('says there are no rooms, and nothing about rooms without staff, for an empty center', () => {
    expect(codes({ rooms: [], children: [], childDays: [], people: [], templates: [], recordsAwaitingReview: [] })).toEqual(['no_rooms', 'no_staff']);
  });

  it('names rooms with no children, once any child is on file', () => {
    expect(codes(facts({ children: [], childDays: [] }))).toEqual(['no_children', 'rooms_without_usual_staff']);
    expect(lines(facts({ children: [{ id: 'k1', homeRoomId: 'r1' }], childDays: [{ childId: 'k1', weekday: 1 }] }))[0]).toBe('1 room has no children: Toddlers.');
  });

  it('counts children with no usual days', () => {
    const f = facts({ childDays: [{ childId: 'k1', weekday: 1 }], templates: [...weekdays('p1', 'r1', [1, 2, 3, 4, 5]), ...weekdays('p1', 'r2', [1, 2, 3, 4, 5])] });
    expect(lines(f)).toEqual(['1 child has no usual days: the forecast does not expect them.']);
  });

  it('counts training records awaiting review, and the people they belong to', () => {
    const f = facts({ people: [{ id: 'p1', role: 'teacher', qualifiesAs: null }, { id: 'p2', role: 'volunteer', qualifiesAs: null }], recordsAwaitingReview: [{ personId: 'p1' }, { personId: 'p1' }, { personId: 'p2' }, { personId: 'archived' }] });
    expect(judgeSetup(MN, f).gaps.find((g) => g.code === 'trainings_awaiting_review')?.params).toEqual({ records: 3, people: 2 });
  });

  it('names staff with no level only where the pack counts their role at a level they hold', () => {
    const people = [
      { id: 'p1', role: 'teacher' as const, qualifiesAs: null },
      { id: 'p2', role: 'substitute' as const, qualifiesAs: null },
      { id: 'p3', role: 'volunteer' as const, qualifiesAs: null },
      { id: 'p4', role: 'substitute' as const, qualifiesAs: 'aide' },
    ];
    // Minnesota: a teacher counts at their own level; a substitute only at a level held.
    expect(judgeSetup(MN, facts({ people })).gaps.find((g) => g.code === 'staff_without_level')?.params).toEqual({ count: 1, packName: MN.name });
    // California: an assistant teacher counts only with a teacher's qualifications.
    const ca = judgeSetup(CA, facts({ people: [{ id: 'p1', role: 'assistant_teacher', qualifiesAs: null }] }));
    expect(ca.gaps.map((g) => g.code)).toContain('staff_without_level');
  });
});

describe('weekday words', () => {
  it('joins runs of three or more days with "to"', () => {
    expect(weekdaysText([1])).toBe('Mondays');
    expect(weekdaysText([1, 2])).toBe('Mondays and Tuesdays');
    expect(weekdaysText([1, 2, 3, 5, 6])).toBe('Mondays to Wednesdays, Fridays and Saturdays');
    expect(weekdaysShort([1, 2, 3, 4, 5])).toBe('Mon–Fri');
    expect(weekdaysShort([1, 3])).toBe('Mon, Wed');
  });
});
