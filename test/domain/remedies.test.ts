/**
 * Hand-computed Minnesota days for the remedy search (`src/domain/remedies/`). Every
 * expectation is worked out from the rule text in the comments, not read from the engine.
 *
 * The MN pack (src/domain/rules/mn.ts; shared/design/regulations/MN.md):
 * - Minn. R. 9503.0040 subp. 1: infant 1:4, group of at most 8; toddler 1:7, 14;
 *   preschooler 1:10, 20 ("any remainder needs another staff person": ceil).
 * - subp. 2 D, the distribution pattern: the first staff person needed is a teacher, the
 *   second an aide, the third an assistant teacher, the fourth an aide, repeated.
 * - Mixed ages, subp. 3: only the lead-in is read, so the pack judges a mixed group "at
 *   the ratio and group size of its youngest category" (`mixedAge.method: youngest_band`)
 *   and marks that rule `verified: false`; a merge of infants and toddlers says so.
 * - Safe sleep (SUID) training is required "before caring for infants" (gate `before`);
 *   only verified records count: a record awaiting review does not.
 *
 * Day: Monday 2026-03-02, America/Chicago. Infant: born 2025-09-14 (5 months); toddler:
 * 2024-07-01 (20 months); preschooler: 2022-06-01 (45 months). Everyone is cleared, long at
 * the center, with every training current.
 */
import { describe, expect, it } from 'vitest';
import { findRemedies, judgeCombination, recheckRemedy, thinHours, type MergeRemedy, type MoveRemedy, type RemedyInput, type RemedyPerson, type RemedyRoom } from '../../src/domain/remedies/index.js';
import { searchContext } from '../../src/domain/remedies/judging.js';
import type { ChildDay, PersonDay } from '../../src/domain/forecast.js';
import type { TrainingRecord } from '../../src/domain/ratio/types.js';
import { MN } from '../../src/domain/rules/mn.js';
import { instantOfWallClock } from '../../src/domain/wall-clock.js';

const ZONE = 'America/Chicago';
const DATE = '2026-03-02';
const t = (hhmm: string) => instantOfWallClock(DATE, hhmm, ZONE)!;
const w = (start: string, end: string) => ({ start: t(start), end: t(end) });

const INFANT = '2025-09-14';
const TODDLER = '2024-07-01';
const PRESCHOOLER = '2022-06-01';

const kids = (n: number, birthDate: string, arrive: string, depart: string): ChildDay[] =>
  Array.from({ length: n }, () => ({ birthDate, arrive: t(arrive), depart: t(depart) }));

const CURRENT: TrainingRecord[] = ['orientation', 'suid', 'aht', 'first_aid', 'cpr', 'child_development'].map((id) => ({ id, completedOn: '2026-01-05' }));

type Staff = { id: string; day: PersonDay };
const staff = (id: string, role: PersonDay['role'], start: string, end: string, more: Partial<PersonDay> = {}): Staff => ({
  id,
  day: { role, ageYears: 30, backgroundStudy: 'cleared', trainings: CURRENT, startedOn: '2020-01-06', shifts: [w(start, end)], ...more },
});

function room(id: string, children: ChildDay[], people: Staff[], capacity: number | null = null): RemedyRoom {
  return { id, day: { children, people: people.map((p) => p.day) }, personIds: people.map((p) => p.id), capacity };
}

function pool(id: string, available: { start: number; end: number }[], more: Partial<RemedyPerson> = {}): RemedyPerson {
  return { id, name: id, person: { role: 'aide', ageYears: 30, backgroundStudy: 'cleared', trainings: CURRENT, startedOn: '2020-01-06' }, available, ...more };
}

function input(rooms: RemedyRoom[], need: { room: string; start: string; end: string }, people: RemedyPerson[] = []): RemedyInput {
  return { pack: MN, zone: ZONE, date: DATE, rooms, people, need: { room: need.room, start: t(need.start), end: t(need.end) } };
}

// Infants 09:00-13:00: 5 infants need ceil(5/4) = 2 staff. The teacher stays; the aide leaves at
// 12:00, so 12:00-13:00 is one counted person short (an aide or better: slot 2 of the pattern).
const infants = () =>
  room('infants', kids(5, INFANT, '09:00', '13:00'), [staff('t1', 'teacher', '09:00', '13:00'), staff('a1', 'aide', '09:00', '12:00')], 8);
const NEED = { room: 'infants', start: '12:00', end: '13:00' };

describe('move someone over', () => {
  // Toddlers: 7 toddlers need ceil(7/7) = 1, one teacher: margin 0. Without her, 0 of 1: over ratio.
  const toddlers = () => room('toddlers', kids(7, TODDLER, '09:00', '13:00'), [staff('t2', 'teacher', '09:00', '13:00')], 14);
  // Preschool: 8 preschoolers need ceil(8/10) = 1 (a teacher, slot 1); a teacher and two aides: 2 could leave.
  const preschool = () =>
    room('preschool', kids(8, PRESCHOOLER, '09:00', '13:00'), [staff('t3', 'teacher', '09:00', '13:00'), staff('a3', 'aide', '09:00', '13:00'), staff('a4', 'aide', '09:00', '13:00')], 20);

  it('does not offer a move that would break the source room, and says why', () => {
    const panel = findRemedies(input([infants(), toddlers(), preschool()], NEED));
    const moves = panel.remedies.filter((r): r is MoveRemedy => r.kind === 'move');
    expect(moves.map((m) => m.person)).not.toContain('t2');
    // Without t2 the toddlers have nobody: over ratio from 12:00.
    expect(panel.notOffered.find((n) => n.person === 't2')?.why).toEqual({
      code: 'source_would_breach',
      params: { room: 'toddlers', at: t('12:00'), violations: ['over_ratio'] },
    });
  });

  it('does not move the only teacher out of a room whose aides then lack a lead', () => {
    // Without t3: two aides, 8 children need 1, but the first staff needed must be a teacher (subp. 2 D).
    const panel = findRemedies(input([infants(), preschool()], NEED));
    expect(panel.remedies.some((r) => r.kind === 'move' && r.person === 't3')).toBe(false);
    expect(panel.notOffered.find((n) => n.person === 't3')?.why).toMatchObject({ code: 'source_would_breach', params: { violations: ['staff_distribution'] } });
  });

  it('offers a move that keeps the source compliant, with the margin it leaves', () => {
    const panel = findRemedies(input([infants(), toddlers(), preschool()], NEED));
    const moves = panel.remedies.filter((r): r is MoveRemedy => r.kind === 'move');
    // a3 (or a4) leaves preschool for 12:00-13:00: the teacher and one aide stay with 8 children,
    // 1 required, 2 counted: 1 counted person could still leave. Infants: 5 infants, teacher + aide
    // = 2 of 2: the need is met, margin 0.
    expect(moves.map((m) => m.person).sort()).toEqual(['a3', 'a4']);
    expect(moves[0]).toMatchObject({
      kind: 'move',
      from: 'preschool',
      to: 'infants',
      start: t('12:00'),
      end: t('13:00'),
      source: { room: 'preschool', margin: 1, stillShort: 0 },
      target: { room: 'infants', margin: 0, stillShort: 0 },
      label: { code: 'in_room_now', params: { room: 'preschool' } },
      rank: [{ code: 'nobody_new', params: { margin: 1 } }],
    });
  });

  it('leaves a margin of 0 when the source had exactly one to spare', () => {
    // Preschool with a teacher and one aide: 1 required, 2 counted; after the aide goes, 1 of 1.
    const small = room('preschool', kids(8, PRESCHOOLER, '09:00', '13:00'), [staff('t3', 'teacher', '09:00', '13:00'), staff('a3', 'aide', '09:00', '13:00')]);
    const panel = findRemedies(input([infants(), small], NEED));
    const move = panel.remedies.find((r): r is MoveRemedy => r.kind === 'move')!;
    expect(move.person).toBe('a3');
    expect(move.source.margin).toBe(0);
  });

  it('does not offer someone the need room would not count: no safe sleep training for infants', () => {
    // a3 without SUID: not counted with infants, so the infants stay 1 of 2.
    const noSuid = CURRENT.filter((r) => r.id !== 'suid');
    const pre = room('preschool', kids(8, PRESCHOOLER, '09:00', '13:00'), [staff('t3', 'teacher', '09:00', '13:00'), staff('a3', 'aide', '09:00', '13:00', { trainings: noSuid })]);
    const panel = findRemedies(input([infants(), pre], NEED));
    expect(panel.remedies.filter((r) => r.kind === 'move')).toEqual([]);
    expect(panel.notOffered.find((n) => n.person === 'a3')?.why).toMatchObject({ code: 'need_not_met', params: { room: 'infants', violations: ['over_ratio'] } });
  });
});

describe('combine rooms', () => {
  it('combines infants with toddlers under the pack’s mixed-age rule, flagged unverified', () => {
    // Toddlers 12:00-13:00: 2 toddlers, a teacher and an aide.
    // MN mixed ages (pack: youngest_band, verified false): the whole group at the infant ratio and
    // group size: 5 infants + 2 toddlers = 7 children, ceil(7/4) = 2 staff, 7 ≤ 8. Counted: t1, t2, a2
    // = 3 (all hold SUID): compliant, margin 1. The smaller group (2) moves into Infants (capacity 8
    // holds 7). Freed: the moving room's people are tried first: without t2, t1 (teacher, slot 1) and
    // a2 (aide, slot 2) still make 2 of 2, so t2 is freed; then nobody more can go.
    const toddlers = room('toddlers', kids(2, TODDLER, '09:00', '13:00'), [staff('t2', 'teacher', '09:00', '13:00'), staff('a2', 'aide', '09:00', '13:00')], 14);
    const panel = findRemedies(input([infants(), toddlers], NEED));
    const merge = panel.remedies.find((r): r is MergeRemedy => r.kind === 'merge')!;
    expect(merge).toMatchObject({
      into: 'infants',
      from: 'toddlers',
      start: t('12:00'),
      end: t('13:00'),
      combined: { children: 7, byCategory: { infant: 5, toddler: 2, preschooler: 0, school_age: 0 }, requiredStaff: 2, countedStaff: 3, maxGroupSize: 8 },
      margin: 1,
      unverified: { cite: MN.mixedAge.cite, verified: false },
    });
    expect(merge.freed).toEqual(['t2']);
  });

  it('does not offer a merge over the combined group size', () => {
    // 5 infants + 4 toddlers = 9 children: infant ratio ceil(9/4) = 3, and 3 counted (t1, t2, a2),
    // but 9 > 8, the infant group size: over group size, which no staff can fix.
    const toddlers = room('toddlers', kids(4, TODDLER, '09:00', '13:00'), [staff('t2', 'teacher', '09:00', '13:00'), staff('a2', 'aide', '09:00', '13:00')], 14);
    const rooms = [infants(), toddlers];
    const panel = findRemedies(input(rooms, NEED));
    expect(panel.remedies.filter((r) => r.kind === 'merge')).toEqual([]);
    const ctx = searchContext(input(rooms, NEED));
    expect(judgeCombination(ctx, ctx.rooms.get('infants')!, ctx.rooms.get('toddlers')!, w('12:00', '13:00'))).toEqual({
      code: 'combined_not_compliant',
      params: { at: t('12:00'), violations: ['over_group_size'] },
    });
  });

  it('does not offer a merge the receiving room cannot hold', () => {
    // 5 + 2 = 7 children, but Infants is licensed for 6 and Toddlers (the smaller group) for 6 too.
    const inf = { ...infants(), capacity: 6 };
    const toddlers = room('toddlers', kids(2, TODDLER, '09:00', '13:00'), [staff('t2', 'teacher', '09:00', '13:00')], 6);
    const ctx = searchContext(input([inf, toddlers], NEED));
    expect(judgeCombination(ctx, ctx.rooms.get('infants')!, ctx.rooms.get('toddlers')!, w('12:00', '13:00'))).toEqual({
      code: 'over_capacity',
      params: { room: 'infants', capacity: 6, children: 7 },
    });
    expect(findRemedies(input([inf, toddlers], NEED)).remedies.filter((r) => r.kind === 'merge')).toEqual([]);
  });
});

describe('call someone in', () => {
  // Infants 12:00-16:00: 5 infants, the teacher all along: one counted person short throughout.
  const needy = () => room('infants', kids(5, INFANT, '12:00', '16:00'), [staff('t1', 'teacher', '12:00', '16:00')], 8);
  const NEED4 = { room: 'infants', start: '12:00', end: '16:00' };

  it('ranks the whole window first, then a pair of partial windows that together cover it', () => {
    const people = [
      pool('jo', [w('11:00', '14:00')]), // 12:00-14:00 of the window
      pool('amir', [w('13:30', '17:00')]), // 13:30-16:00
      pool('kim', [w('08:00', '18:00')]), // all of it
    ];
    const panel = findRemedies(input([needy()], NEED4, people));
    const calls = panel.remedies.filter((r) => r.kind === 'call_in');
    expect(calls.map((c) => [c.coverage, c.people.map((p) => [p.person, p.start, p.end])])).toEqual([
      ['whole', [['kim', t('12:00'), t('16:00')]]],
      // Jo from the start until her availability ends (14:00), Amir from then to the end.
      ['pair', [['jo', t('12:00'), t('14:00')], ['amir', t('14:00'), t('16:00')]]],
    ]);
    expect(calls[1]!.target).toEqual({ room: 'infants', margin: 0, stillShort: 0 });
    expect(calls[0]!.rank[0]).toEqual({ code: 'free_whole_window', params: {} });
    expect(calls[1]!.rank[0]).toEqual({ code: 'pair_covers_window', params: { handoff: t('14:00') } });
  });

  it('does not pair partial windows that leave a gap; each is offered for its part as available today', () => {
    const people = [pool('jo', [w('11:00', '13:00')]), pool('amir', [w('14:00', '17:00')])];
    const panel = findRemedies(input([needy()], NEED4, people));
    const calls = panel.remedies.filter((r) => r.kind === 'call_in');
    expect(calls.map((c) => c.coverage)).toEqual(['today', 'today']);
    // Amir's part is the longer (2 h against 1 h): first.
    expect(calls.map((c) => c.people[0]!.person)).toEqual(['amir', 'jo']);
    expect(calls[0]!.rank[0]).toEqual({ code: 'available_today', params: { start: t('14:00'), end: t('16:00') } });
  });

  it('labels a person with safe sleep awaiting review pending_review, and does not count them', () => {
    // Pat's only SUID record is submitted, not verified: not counted with infants (gate "before").
    const noSuid = CURRENT.filter((r) => r.id !== 'suid');
    const pat = pool('pat', [w('08:00', '18:00')], {
      person: { role: 'aide', ageYears: 30, backgroundStudy: 'cleared', trainings: noSuid, startedOn: '2020-01-06' },
      pending: [{ id: 'suid', completedOn: '2026-02-20' }],
    });
    const panel = findRemedies(input([needy()], NEED4, [pat]));
    expect(panel.remedies).toEqual([]);
    const entry = panel.notOffered.find((n) => n.person === 'pat')!;
    expect(entry.label).toEqual({ code: 'pending_review', params: { training: 'suid', label: 'Safe sleep (SUID)' } });
    expect(entry.why).toMatchObject({ code: 'not_counted', params: { room: 'infants' } });
    expect((entry.why.params as unknown as { missing: { code: string }[] }).missing.map((m) => m.code)).toContain('training_missing');
  });

  it('labels the need room’s own staff in_room_now and people elsewhere by what is true now', () => {
    // Now 12:30. Sam is in Infants (not a call-in); Ben is in Toddlers, needed there (7 toddlers, alone);
    // Lee is on a break in Preschool until 12:45.
    const inf = room('infants', kids(5, INFANT, '12:00', '16:00'), [staff('sam', 'teacher', '12:00', '16:00')]);
    const tod = room('toddlers', kids(7, TODDLER, '12:00', '16:00'), [staff('ben', 'teacher', '12:00', '16:00')]);
    const pre = room('preschool', kids(5, PRESCHOOLER, '12:00', '16:00'), [
      staff('pt', 'teacher', '12:00', '16:00'),
      staff('lee', 'aide', '12:00', '16:00', { breaks: [w('12:15', '12:45')] }),
    ]);
    const panel = findRemedies({ ...input([inf, tod, pre], NEED4, [pool('sam', []), pool('ben', []), pool('lee', [])]), now: t('12:30') });
    const label = (id: string) => panel.notOffered.find((n) => n.person === id)?.label;
    expect(label('sam')).toEqual({ code: 'in_room_now', params: { room: 'infants' } });
    expect(label('ben')).toEqual({ code: 'needed_in', params: { room: 'toddlers' } });
    expect(label('lee')).toEqual({ code: 'on_break_until', params: { room: 'preschool', until: t('12:45') } });
  });
});

describe('rechecking a remedy taken later', () => {
  it('refuses a move that became illegal in the meantime, with the reason', () => {
    // The panel offered a3 from preschool (teacher + 2 aides for 8). Then a4 is called away: the
    // preschool has t3 and a3 only, and without a3 still 1 of 1: still legal. Then t3 too: without
    // a3 nobody is left, over ratio.
    const pre = (people: Staff[]) => room('preschool', kids(8, PRESCHOOLER, '09:00', '13:00'), people, 20);
    const t3 = staff('t3', 'teacher', '09:00', '13:00');
    const a3 = staff('a3', 'aide', '09:00', '13:00');
    const a4 = staff('a4', 'aide', '09:00', '13:00');
    const first = input([infants(), pre([t3, a3, a4])], NEED);
    const move = findRemedies(first).remedies.find((r): r is MoveRemedy => r.kind === 'move' && r.person === 'a3')!;
    expect(recheckRemedy(input([infants(), pre([t3, a3])], NEED), move)).toMatchObject({ ok: true, remedy: { source: { margin: 0 } } });
    expect(recheckRemedy(input([infants(), pre([a3])], NEED), move)).toEqual({
      ok: false,
      why: { code: 'source_would_breach', params: { room: 'preschool', at: t('12:00'), violations: ['over_ratio'] } },
    });
  });
});

describe('ranking', () => {
  it('puts moves and merges (nobody new) before call-ins, by the margin they leave', () => {
    const preschool = room('preschool', kids(8, PRESCHOOLER, '09:00', '13:00'), [staff('t3', 'teacher', '09:00', '13:00'), staff('a3', 'aide', '09:00', '13:00'), staff('a4', 'aide', '09:00', '13:00')], 20);
    const toddlers = room('toddlers', kids(2, TODDLER, '09:00', '13:00'), [staff('t2', 'teacher', '09:00', '13:00')], 14);
    const panel = findRemedies(input([infants(), preschool, toddlers], NEED, [pool('kim', [w('08:00', '18:00')])]));
    // Moves from preschool leave 1; the merge with toddlers (5 + 2 = 7 at 1:4 = 2 staff, t1 + t2 counted) leaves 0.
    expect(panel.remedies.map((r) => r.kind)).toEqual(['move', 'move', 'merge', 'call_in']);
  });
});

describe('thin hours', () => {
  it('finds Toddlers + Preschool as one group of 11 with 2 staff at opening, freeing 1', () => {
    // 06:30-08:00 (the first 90 minutes): Toddlers 8 toddlers need ceil(8/7) = 2; Preschool 3
    // preschoolers need 1: 3 apart. Together 11 at the toddler ratio (youngest band) need
    // ceil(11/7) = 2, group 11 ≤ 14: frees 1. Infants + either would pass 8 or mix infants: with
    // 3 infants + 3 preschoolers = 6 at 1:4 = 2, apart 1 + 1 = 2: frees nothing.
    const tod = room('toddlers', kids(8, TODDLER, '06:30', '17:00'), [staff('t2', 'teacher', '06:30', '17:00'), staff('a2', 'aide', '06:30', '17:00')], 14);
    const pre = room('preschool', kids(3, PRESCHOOLER, '06:30', '17:00'), [staff('t3', 'teacher', '06:30', '17:00')], 20);
    const inf = room('infants', kids(3, INFANT, '06:30', '17:00'), [staff('t1', 'teacher', '06:30', '17:00')], 8);
    const found = thinHours({ pack: MN, zone: ZONE, date: DATE, rooms: [inf, tod, pre], opens: t('06:30'), closes: t('17:00') });
    const opening = found.filter((c) => c.period === 'opening');
    expect(opening[0]).toMatchObject({ start: t('06:30'), end: t('08:00'), into: 'toddlers', from: 'preschool', children: 11, staff: 2, separately: 3, frees: 1, compliantAsPlanned: true });
    expect(opening[0]!.unverified).toEqual({ cite: MN.mixedAge.cite, verified: false });
    expect(found.filter((c) => c.period === 'closing')[0]).toMatchObject({ start: t('15:30'), end: t('17:00'), children: 11, frees: 1 });
  });
});
