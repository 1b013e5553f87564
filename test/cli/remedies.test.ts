/**
 * The `npm run -s remedies` contract: the forecast CLI's JSON day plus a `need` on stdin →
 * the ranked remedies as a JSON list on stdout (exit 0); invalid input → one line on stderr
 * naming the field, nothing on stdout, exit 2.
 *
 * A few cases run the CLI as a real child process; the rest call the exported
 * `remedies(text)` in-process, with the stdin runner stubbed.
 *
 * Minnesota (Minn. R. 9503.0040 subp. 1): infants 1:4 / 8, preschoolers 1:10 / 20; a mixed
 * group at its youngest category's ratio and group size (the pack's unverified default).
 */
import { describe, expect, it, vi } from 'vitest';
import { runCliProcess } from '../support/cli.js';
import { remedies } from '../../src/cli/remedies.js';
import { InputError } from '../../src/cli/scenario-input.js';

vi.mock('../../src/cli/scenario-input.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/cli/scenario-input.js')>();
  return { ...actual, runCli: async () => {} };
});

const infant = { ageMonths: 5, arrive: '09:00', depart: '13:00' };
const preschooler = { ageMonths: 45, arrive: '09:00', depart: '13:00' };
const shift = (start: string, end: string) => [{ start, end }];

// Infants: 5 infants need ceil(5/4) = 2; Ana (aide) leaves at 12:00, so 12:00-13:00 is one short.
// Preschool: 3 preschoolers need 1; Lee (teacher) and Ben (aide): Ben may go, leaving 1 of 1.
// Together: 8 children at the infant ratio need 2, group 8 ≤ 8; Sam, Lee and Ben counted: 3.
const DAY = {
  state: 'MN',
  date: '2026-03-02',
  now: '11:30',
  need: { room: 'infants', start: '12:00', end: '13:00' },
  rooms: [
    {
      id: 'infants',
      capacity: 8,
      children: Array.from({ length: 5 }, () => infant),
      staff: [
        { id: 'sam', name: 'Sam Rivera', role: 'teacher', qualified: true, shifts: shift('09:00', '13:00') },
        { id: 'ana', name: 'Ana Diaz', role: 'aide', qualified: true, shifts: shift('09:00', '12:00') },
      ],
    },
    {
      id: 'preschool',
      capacity: 20,
      children: Array.from({ length: 3 }, () => preschooler),
      staff: [
        { id: 'lee', name: 'Lee Park', role: 'teacher', qualified: true, shifts: shift('09:00', '13:00') },
        { id: 'ben', name: 'Ben Carter', role: 'aide', qualified: true, shifts: shift('09:00', '13:00') },
      ],
    },
  ],
  people: [{ id: 'jo', name: 'Jo Nguyen', role: 'aide', qualified: true, available: shift('12:00', '18:00'), hoursThisWeek: 12 }],
};

function variant(change: (d: any) => void): string {
  const d = structuredClone(DAY) as any;
  change(d);
  return JSON.stringify(d);
}

function refusal(text: string): string {
  try {
    remedies(text);
  } catch (e) {
    if (e instanceof InputError) return e.message;
    throw e;
  }
  throw new Error('accepted');
}

describe('remedies CLI', () => {
  it('ranks the merge (margin 1 left), then the move (margin 0), then the call-in', () => {
    const out = remedies(JSON.stringify(DAY)) as any[];
    expect(out.map((r) => r.kind)).toEqual(['merge', 'move', 'call_in']);
    expect(out[0]).toMatchObject({
      into: 'infants',
      from: 'preschool',
      start: '12:00',
      end: '13:00',
      combined: { children: 8, requiredStaff: 2, countedStaff: 3, maxGroupSize: 8 },
      margin: 1,
      unverified: { verified: false },
    });
    expect(out[1]).toMatchObject({
      person: 'ben',
      from: 'preschool',
      to: 'infants',
      source: { room: 'preschool', margin: 0, stillShort: 0 },
      label: { code: 'in_room_now', params: { room: 'preschool' } },
      text: 'Ben Carter from preschool, 12:00–13:00; preschool stays ok, no counted person could leave',
    });
    expect(out[2]).toMatchObject({
      coverage: 'whole',
      people: [{ person: 'jo', start: '12:00', end: '13:00', label: { code: 'free', params: {} } }],
      rank: [{ code: 'free_whole_window', params: {} }, { code: 'hours_this_week', params: { hours: 12 } }],
    });
  });

  it('offers no merge when the receiving room cannot hold the combined group', () => {
    const out = remedies(variant((d) => (d.rooms[0].capacity = 7))) as any[];
    // Infants (the larger group) holds 7 < 8; Preschool holds 20 but would then take infants: it is
    // the other room, and 20 ≥ 8, so the infants move into Preschool.
    expect(out.find((r) => r.kind === 'merge')).toMatchObject({ into: 'preschool', from: 'infants' });
    const none = remedies(variant((d) => ((d.rooms[0].capacity = 7), (d.rooms[1].capacity = 7)))) as any[];
    expect(none.some((r) => r.kind === 'merge')).toBe(false);
  });

  it('answers an empty list when nothing fixes the need', () => {
    const out = remedies(variant((d) => ((d.rooms = [d.rooms[0]]), (d.people = [])))) as any[];
    expect(out).toEqual([]);
  });

  it('refuses bad input naming the field', () => {
    expect(refusal('nope')).toBe('input: not valid JSON');
    expect(refusal(variant((d) => delete d.need))).toBe('need: required');
    expect(refusal(variant((d) => (d.need.room = 'attic')))).toBe('need.room: unknown room "attic" (one of infants, preschool)');
    expect(refusal(variant((d) => (d.need.end = '11:00')))).toBe('need.end: must be after start (12:00)');
    expect(refusal(variant((d) => (d.need.start = '25:00')))).toBe('need.start: must be a time as HH:mm from 00:00 to 23:59');
    expect(refusal(variant((d) => (d.people[0].available = 'today')))).toBe('people[0].available: must be a list');
    expect(refusal(variant((d) => delete d.people[0].id))).toBe('people[0].id: required');
    expect(refusal(variant((d) => (d.people[0].pending = [{ id: 'yoga', completedOn: '2026-01-01' }])))).toBe('people[0].pending[0].id: unknown training id "yoga" for MN');
    expect(refusal(variant((d) => (d.rooms[0].capacity = -1)))).toBe('rooms[0].capacity: must not be negative');
    expect(refusal(variant((d) => delete d.date))).toBe('date: required');
  });

  it('runs as a process: JSON on stdout and exit 0, or one line on stderr and exit 2', () => {
    const ok = runCliProcess('remedies', { stdin: JSON.stringify(DAY) });
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout).map((r: { kind: string }) => r.kind)).toEqual(['merge', 'move', 'call_in']);
    const bad = runCliProcess('remedies', { stdin: variant((d) => (d.need.room = 'attic')) });
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toBe('remedies: need.room: unknown room "attic" (one of infants, preschool)\n');
  });
});
