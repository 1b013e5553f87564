import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { MN } from '../../src/domain/rules/mn.js';
import { chooseSeat, longestAvailableStretch, matchCandidates, meetsLevel, openNeeds, openParts, seatLevels, type CoverCandidate, type Seat } from '../../src/domain/matching.js';
import type { PersonOnFile } from '../../src/domain/eligibility.js';
import { reasonText } from '../../src/domain/ratio/words.js';

const t = (hhmm: string) => DateTime.fromISO(`2026-03-02T${hhmm}`, { zone: 'America/Chicago' });
const span = (a: string, b: string) => ({ start: t(a), end: t(b) });
const WINDOW = span('13:00', '17:00');

function volunteer(trainings: string[], overrides: Partial<PersonOnFile> = {}): PersonOnFile {
  return {
    role: 'volunteer',
    qualifiesAs: 'aide',
    birthDate: '1970-01-01',
    backgroundStudy: 'cleared',
    trainings: trainings.map((trainingId) => ({ trainingId, completedOn: '2026-01-10', status: 'verified' as const })),
    ...overrides,
  };
}
const ALL = ['orientation', 'suid', 'aht', 'first_aid', 'cpr'];

function candidate(name: string, person: PersonOnFile, extra: Partial<CoverCandidate> = {}): CoverCandidate {
  return { id: name.toLowerCase(), name, person, available: [span('07:00', '18:00')], busy: [], hoursThisWeek: 10, knowsRoom: false, ...extra };
}

describe('matchCandidates for the infant room, 13:00-17:00', () => {
  const pool = [
    candidate('Ana', volunteer(ALL), { hoursThisWeek: 20 }),
    candidate('Bea', volunteer(ALL), { hoursThisWeek: 4 }),
    candidate('Cruz', volunteer(ALL), { hoursThisWeek: 30, knowsRoom: true }),
    candidate('Dee', volunteer(ALL.filter((id) => id !== 'suid'))),
    candidate('Eli', volunteer(ALL), { busy: [span('12:00', '14:00')] }),
    candidate('Fay', volunteer(ALL), { available: [span('13:00', '15:00')] }),
    candidate('Gus', volunteer(ALL, { backgroundStudy: 'submitted' })),
    candidate('Hal', volunteer(ALL), { available: [span('07:00', '12:00')] }),
  ];
  const match = matchCandidates(MN, ['infant'], WINDOW, pool);

  it('ranks whole-window people first, those who know the room before others, then fewer hours this week', () => {
    expect(match.eligible.map((r) => r.candidate.name)).toEqual(['Cruz', 'Bea', 'Ana', 'Fay']);
  });

  it('shows the reasons for the order', () => {
    expect(match.eligible[0]!.reasons).toEqual(['Available for the whole window', 'Has worked in this room before', '30 hours this week']);
    expect(match.eligible[3]!.reasons[0]).toBe('Available 13:00–15:00 only');
    expect(match.eligible[3]).toMatchObject({ whole: false });
  });

  it('lists an eligible person scheduled elsewhere, or not available, apart', () => {
    expect(match.unavailable).toEqual([
      { candidate: pool[4], why: 'Scheduled elsewhere 12:00–14:00' },
      { candidate: pool[7], why: 'Not available in this window' },
    ]);
  });

  it('lists people one training away with what they lack, fewest missing first', () => {
    expect(match.ineligible.map((i) => [i.candidate.name, i.missing.map(reasonText)])).toEqual([
      ['Dee', ['Safe sleep (SUID) training missing: required before caring for infants']],
      ['Gus', ['Background study submitted, not cleared: may be present only under direct supervision, does not count']],
    ]);
  });

  it('treats a shift ending at 13:00 as not clashing with a window starting at 13:00', () => {
    const m = matchCandidates(MN, ['infant'], WINDOW, [candidate('Ivy', volunteer(ALL), { busy: [span('09:00', '13:00')] })]);
    expect(m.eligible).toHaveLength(1);
  });

  it('judges trainings at the end of the part a person would cover', () => {
    const cprEndsAtFive: PersonOnFile = {
      ...volunteer(ALL.filter((id) => id !== 'cpr')),
      trainings: [...volunteer(ALL.filter((id) => id !== 'cpr')).trainings, { trainingId: 'cpr', completedOn: '2024-03-03', status: 'verified' }],
    };
    // CPR from 2024-03-03 expires 2026-03-03: still current through 2026-03-02 17:00.
    expect(matchCandidates(MN, ['toddler'], WINDOW, [candidate('Jo', cprEndsAtFive)]).eligible).toHaveLength(1);
  });
});

describe('longestAvailableStretch', () => {
  it('joins touching availability and clips it to the window', () => {
    const s = longestAvailableStretch([span('12:00', '15:00'), span('15:00', '16:00')], WINDOW)!;
    expect([s.start.toFormat('HH:mm'), s.end.toFormat('HH:mm')]).toEqual(['13:00', '16:00']);
  });
  it('answers null when nothing overlaps', () => {
    expect(longestAvailableStretch([span('07:00', '13:00')], WINDOW)).toBeNull();
  });
});

describe('openParts', () => {
  const fmt = (parts: { start: DateTime; end: DateTime }[]) => parts.map((p) => `${p.start.toFormat('HH:mm')}-${p.end.toFormat('HH:mm')}`);
  it('leaves 15:00-17:00 open when 13:00-15:00 is filled', () => {
    expect(fmt(openParts(WINDOW, [span('13:00', '15:00')]))).toEqual(['15:00-17:00']);
  });
  it('leaves nothing open when two people fill the window in two parts', () => {
    expect(openParts(WINDOW, [span('15:00', '17:00'), span('13:00', '15:00')])).toEqual([]);
  });
  it('leaves the gaps around a fill in the middle', () => {
    expect(fmt(openParts(WINDOW, [span('14:00', '15:30')]))).toEqual(['13:00-14:00', '15:30-17:00']);
  });
});

describe('matchCandidates with a level the cover needs', () => {
  const teacher: PersonOnFile = { role: 'teacher', birthDate: '1980-01-01', backgroundStudy: 'cleared', trainings: volunteer([...ALL, 'child_development']).trainings };
  const pool = [candidate('Ana', volunteer(ALL)), candidate('Tess', teacher)];

  it('lists an aide apart, saying what the cover needs, when it needs a teacher', () => {
    const m = matchCandidates(MN, ['infant'], WINDOW, pool, { minLevel: 'teacher' });
    expect(m.eligible.map((r) => r.candidate.name)).toEqual(['Tess']);
    expect(m.ineligible.map((i) => ({ ...i, missing: i.missing.map(reasonText) }))).toEqual([{ candidate: pool[0], missing: ['Counts as aide; this cover needs at least teacher'] }]);
  });

  it('takes anyone who counts when no level is asked', () => {
    expect(matchCandidates(MN, ['infant'], WINDOW, pool).eligible).toHaveLength(2);
  });
});

describe('meetsLevel', () => {
  it('lets a teacher take an aide\'s place', () => expect(meetsLevel(MN, 'teacher', 'aide')).toBe(true));
  it('does not let an aide take a teacher\'s place', () => expect(meetsLevel(MN, 'aide', 'teacher')).toBe(false));
  it('lets an assistant teacher take an assistant teacher\'s place', () => expect(meetsLevel(MN, 'assistant_teacher', 'assistant_teacher')).toBe(true));
  it('lets any level that counts take a place that names none', () => expect(meetsLevel(MN, 'aide', null)).toBe(true));
  it('does not let someone who counts at no level take a place that names one', () => expect(meetsLevel(MN, null, 'aide')).toBe(false));
});

describe('seats of a request', () => {
  const seat = (level: string | null, ...taken: [string, string][]): Seat => ({ level, taken: taken.map(([a, b]) => span(a, b)) });
  const fmt = (needs: { start: DateTime; end: DateTime; people: number }[]) => needs.map((n) => `${n.start.toFormat('HH:mm')}-${n.end.toFormat('HH:mm')}:${n.people}`);

  it('gives each person of the request a place, with the levels asked for first', () => {
    expect(seatLevels(3, ['teacher', 'aide'])).toEqual(['teacher', 'aide', null]);
  });

  describe('chooseSeat', () => {
    const seats = [seat('teacher'), seat('aide')];
    it('puts a teacher in the teacher\'s place, leaving the aide\'s to an aide', () => {
      expect(chooseSeat(MN, WINDOW, seats, WINDOW, 'teacher')).toBe(0);
      expect(chooseSeat(MN, WINDOW, seats, WINDOW, 'aide')).toBe(1);
    });
    it('finds no place for an aide once the aide\'s place is taken', () => {
      expect(chooseSeat(MN, WINDOW, [seat('teacher'), seat('aide', ['13:00', '17:00'])], WINDOW, 'aide')).toBeNull();
    });
    it('lets a second person take the rest of a place taken in part', () => {
      expect(chooseSeat(MN, WINDOW, [seat(null, ['13:00', '15:00'])], span('15:00', '17:00'), 'aide')).toBe(0);
    });
    it('refuses a part overlapping what is taken', () => {
      expect(chooseSeat(MN, WINDOW, [seat(null, ['13:00', '15:00'])], span('14:30', '17:00'), 'aide')).toBeNull();
    });
    it('takes a part ending exactly where a taken part starts', () => {
      expect(chooseSeat(MN, WINDOW, [seat(null, ['15:00', '17:00'])], span('13:00', '15:00'), 'aide')).toBe(0);
    });
  });

  describe('openNeeds', () => {
    it('says how many people each stretch still needs', () => {
      expect(fmt(openNeeds(WINDOW, [seat(null, ['13:00', '15:00']), seat(null)]))).toEqual(['13:00-15:00:1', '15:00-17:00:2']);
    });
    it('joins touching stretches needing the same number', () => {
      expect(fmt(openNeeds(WINDOW, [seat(null, ['13:00', '15:00']), seat(null, ['15:00', '17:00'])]))).toEqual(['13:00-17:00:1']);
    });
    it('needs nothing once two people fill the window in two parts', () => {
      expect(openNeeds(WINDOW, [seat(null, ['13:00', '15:00'], ['15:00', '17:00'])])).toEqual([]);
    });
  });
});
