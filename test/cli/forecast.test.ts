/**
 * The `npm run -s forecast` contract: a JSON day on stdin → the forecast of every room as
 * JSON on stdout (exit 0); invalid input → one line on stderr naming the field, nothing on
 * stdout, exit 2.
 *
 * A few cases run the CLI as a real child process (what `npm run -s forecast` runs); the
 * rest call the exported `forecast(text)` in-process, with the stdin runner stubbed so
 * that importing the module does not read this process's stdin.
 */
import { describe, expect, it, vi } from 'vitest';
import { runCliProcess } from '../support/cli.js';
import { forecast } from '../../src/cli/forecast.js';
import { InputError } from '../../src/cli/scenario-input.js';

vi.mock('../../src/cli/scenario-input.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/cli/scenario-input.js')>();
  return { ...actual, runCli: async () => {} };
});

function runCli(stdin: string) {
  return runCliProcess('forecast', { stdin });
}

const README_EXAMPLE = {
  state: 'MN',
  date: '2026-03-02',
  now: '08:00',
  horizonMinutes: 60,
  rooms: [
    {
      id: 'infants',
      naps: [{ start: '12:30', end: '14:30' }],
      children: [{ birthDate: '2025-09-14', arrive: '07:30', depart: '16:30' }],
      staff: [{ role: 'teacher', qualified: true, shifts: [{ start: '07:00', end: '15:00' }], breaks: [{ start: '11:30', end: '12:00' }] }],
    },
  ],
};

/** The README example with one change applied to a deep copy. */
function variant(change: (s: any) => void): string {
  const day = structuredClone(README_EXAMPLE) as any;
  change(day);
  return JSON.stringify(day);
}

const NO_CHILDREN = { infant: 0, toddler: 0, preschooler: 0, school_age: 0 };
const ONE_INFANT = { infant: 1, toddler: 0, preschooler: 0, school_age: 0 };
const interval = (start: string, end: string, activity: string, children: number, countedStaff: number, violations: string[]) => ({
  start,
  end,
  activity,
  children,
  byCategory: children === 0 ? NO_CHILDREN : ONE_INFANT,
  requiredStaff: children === 0 ? 0 : 1,
  countedStaff,
  compliant: violations.length === 0,
  violations,
});

/**
 * Hand-worked answer for the README example (2026-03-02, America/Chicago): the infant
 * (5 months) needs 1 counted staff at 1:4; MN gives no ratio relief at nap time. The
 * teacher is away 11:30-12:00 (break) and gone from 15:00 (shift end) while the infant
 * stays to 16:30. The cover need is one teacher (the first counted person must be a
 * teacher) with the infant trainings AHT and SUID. The first breach, 11:30, is more than
 * 60 minutes after 08:00: no flag.
 */
const README_ANSWER = {
  rooms: [
    {
      id: 'infants',
      intervals: [
        interval('07:00', '07:30', 'normal', 0, 1, []),
        interval('07:30', '11:30', 'normal', 1, 1, []),
        interval('11:30', '12:00', 'normal', 1, 0, ['over_ratio']),
        interval('12:00', '12:30', 'normal', 1, 1, []),
        interval('12:30', '14:30', 'nap', 1, 1, []),
        interval('14:30', '15:00', 'normal', 1, 1, []),
        interval('15:00', '16:30', 'normal', 1, 0, ['over_ratio']),
      ],
      firstBreach: { start: '11:30', violations: ['over_ratio'] },
      coverNeeds: [
        { start: '11:30', end: '12:00', additionalStaff: 1, needs: ['teacher'], trainings: ['aht', 'suid'] },
        { start: '15:00', end: '16:30', additionalStaff: 1, needs: ['teacher'], trainings: ['aht', 'suid'] },
      ],
      flag: null,
    },
  ],
};

/** Asserts the contract for bad input from a real process: exit 2, nothing on stdout, one stderr line naming `field`. */
function expectRejectedByProcess(stdin: string, field: string) {
  const { status, stdout, stderr } = runCli(stdin);
  expect(status).toBe(2);
  expect(stdout).toBe('');
  const lines = stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain(field);
}

function rejection(text: string): string {
  try {
    forecast(text);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('forecast should have rejected the input');
}

describe('forecast CLI (child process)', () => {
  it('answers the README example exactly, with exit 0', () => {
    const { status, stdout, stderr } = runCli(JSON.stringify(README_EXAMPLE));
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toEqual(README_ANSWER);
  });

  it('rejects a break outside the shifts with exit 2 and one stderr line naming the break', () => {
    expectRejectedByProcess(variant((d) => (d.rooms[0].staff[0].breaks[0] = { start: '15:30', end: '16:00' })), 'rooms[0].staff[0].breaks[0]');
  });

  it('rejects a missing now, naming `now`', () => {
    expectRejectedByProcess(variant((d) => delete d.now), 'now');
  });

  it('rejects a wall-clock time that does not exist on a spring-forward day, naming the field', () => {
    expectRejectedByProcess(
      variant((d) => ((d.date = '2026-03-08'), (d.rooms[0].children[0].arrive = '02:30'))),
      'rooms[0].children[0].arrive',
    );
  });
});

describe('forecast (in-process)', () => {
  it('answers the README example the same way as the process', () => {
    expect(forecast(JSON.stringify(README_EXAMPLE))).toEqual(README_ANSWER);
  });

  it('defaults the horizon to 60 minutes', () => {
    const at = (now: string) => (forecast(variant((d) => ((d.now = now), delete d.horizonMinutes))) as any).rooms[0].flag;
    expect(at('10:29')).toBeNull();
    expect(at('10:30')).toBe('needs cover by 11:30');
  });

  it('flags a breach under way with its start, and the next one once it has ended', () => {
    const flag = (now: string, horizonMinutes: number) => (forecast(variant((d) => ((d.now = now), (d.horizonMinutes = horizonMinutes)))) as any).rooms[0].flag;
    expect(flag('11:45', 0)).toBe('needs cover by 11:30');
    expect(flag('12:00', 0)).toBeNull();
    expect(flag('12:00', 180)).toBe('needs cover by 15:00');
  });

  it('flags a group too big for more people to fix as over group size', () => {
    // 9 infants with 3 teachers: the ratio holds (3 needed), the group of 8 does not.
    const out = forecast(
      variant((d) => {
        d.now = '08:30';
        d.rooms[0].naps = [];
        d.rooms[0].children = Array.from({ length: 9 }, () => ({ birthDate: '2025-09-14', arrive: '09:00', depart: '10:00' }));
        d.rooms[0].staff = Array.from({ length: 3 }, () => ({ role: 'teacher', qualified: true, shifts: [{ start: '09:00', end: '10:00' }] }));
      }),
    ) as any;
    expect(out.rooms[0].firstBreach).toEqual({ start: '09:00', violations: ['over_group_size'] });
    expect(out.rooms[0].coverNeeds).toEqual([]);
    expect(out.rooms[0].flag).toBe('over group size at 09:00');
  });

  it('keeps the rooms in input order', () => {
    const out = forecast(
      variant((d) => {
        d.rooms.unshift({ id: 'toddlers' });
        d.rooms.push({ id: 'school-age', children: [], staff: [] });
      }),
    ) as any;
    expect(out.rooms.map((r: any) => r.id)).toEqual(['toddlers', 'infants', 'school-age']);
    expect(out.rooms[0]).toEqual({ id: 'toddlers', intervals: [], firstBreach: null, coverNeeds: [], flag: null });
  });

  it('merges neighbours that are equal in every key but start and end', () => {
    // A second teacher taking over at 11:30 closes the break gap: one interval 07:30-12:30.
    const out = forecast(variant((d) => d.rooms[0].staff.push({ role: 'teacher', qualified: true, shifts: [{ start: '11:30', end: '12:00' }] }))) as any;
    expect(out.rooms[0].intervals.map((i: any) => `${i.start}-${i.end}`)).toEqual(['07:00-07:30', '07:30-12:30', '12:30-14:30', '14:30-15:00', '15:00-16:30']);
  });

  it('takes times in the timeZone given instead of the pack’s', () => {
    const out = forecast(variant((d) => (d.timeZone = 'America/New_York'))) as any;
    expect(out.rooms[0].firstBreach).toEqual({ start: '11:30', violations: ['over_ratio'] });
  });

  it('judges a spring-forward day in real time: 01:00-04:00 is two hours', () => {
    const out = forecast(
      variant((d) => {
        d.date = '2026-03-08';
        d.now = '01:30';
        d.horizonMinutes = 60;
        d.rooms[0].naps = [];
        d.rooms[0].children[0] = { birthDate: '2025-09-14', arrive: '01:00', depart: '04:00' };
        d.rooms[0].staff[0] = { role: 'teacher', qualified: true, shifts: [{ start: '01:00', end: '03:30' }] };
      }),
    ) as any;
    expect(out.rooms[0].intervals.map((i: any) => `${i.start}-${i.end} ${i.violations.join(',')}`)).toEqual(['01:00-03:30 ', '03:30-04:00 over_ratio']);
    // 01:30 CST + 60 real minutes = 03:30 CDT: the breach is inside the horizon.
    expect(out.rooms[0].flag).toBe('needs cover by 03:30');
  });

  it('takes the first 01:30 on the fall-back day', () => {
    const day = (horizonMinutes: number) =>
      variant((d) => {
        d.date = '2026-11-01';
        d.now = '00:00';
        d.horizonMinutes = horizonMinutes;
        d.rooms[0].naps = [];
        d.rooms[0].children[0] = { birthDate: '2025-09-14', arrive: '00:00', depart: '02:00' };
        d.rooms[0].staff[0] = { role: 'teacher', qualified: true, shifts: [{ start: '00:00', end: '01:30' }] };
      });
    const out = forecast(day(60)) as any;
    expect(out.rooms[0].intervals.map((i: any) => `${i.start}-${i.end}`)).toEqual(['00:00-01:30', '01:30-02:00']);
    // The first 01:30 is 90 real minutes after midnight (the second would be 150).
    const flag = (horizonMinutes: number) => (forecast(day(horizonMinutes)) as any).rooms[0].flag;
    expect(flag(90)).toBe('needs cover by 01:30');
    expect(flag(89)).toBeNull();
  });

  describe('invalid input names the field', () => {
    const cases: Array<[string, string, string]> = [
      ['bad JSON', '{"state":"MN",', 'input'],
      ['a JSON array instead of an object', '[]', 'input'],
      ['an unknown state', variant((d) => (d.state = 'ZZ')), 'state'],
      ['a missing state', variant((d) => delete d.state), 'state'],
      ['a missing date', variant((d) => delete d.date), 'date'],
      ['a date that does not exist', variant((d) => (d.date = '2026-02-30')), 'date'],
      ['a missing now', variant((d) => delete d.now), 'now'],
      ['a now not as HH:mm', variant((d) => (d.now = '8:00')), 'now'],
      ['a now past 23:59', variant((d) => (d.now = '24:00')), 'now'],
      ['a negative horizonMinutes', variant((d) => (d.horizonMinutes = -5)), 'horizonMinutes'],
      ['a horizonMinutes that is not a number', variant((d) => (d.horizonMinutes = '60')), 'horizonMinutes'],
      ['an unknown timeZone', variant((d) => (d.timeZone = 'Mars/Olympus')), 'timeZone'],
      ['a missing rooms', variant((d) => delete d.rooms), 'rooms'],
      ['rooms that is not a list', variant((d) => (d.rooms = { id: 'infants' })), 'rooms'],
      ['a room without id', variant((d) => delete d.rooms[0].id), 'rooms[0].id'],
      ['naps that is not a list', variant((d) => (d.rooms[0].naps = { start: '12:30', end: '14:30' })), 'rooms[0].naps'],
      ['children that is not a list', variant((d) => (d.rooms[0].children = 'one')), 'rooms[0].children'],
      ['staff that is not a list', variant((d) => (d.rooms[0].staff = { role: 'teacher' })), 'rooms[0].staff'],
      ['shifts that is not a list', variant((d) => (d.rooms[0].staff[0].shifts = { start: '07:00', end: '15:00' })), 'rooms[0].staff[0].shifts'],
      ['breaks that is not a list', variant((d) => (d.rooms[0].staff[0].breaks = '11:30')), 'rooms[0].staff[0].breaks'],
      ['trainings that is not a list', variant((d) => (d.rooms[0].staff[0].trainings = 'cpr')), 'rooms[0].staff[0].trainings'],
      ['a missing arrive', variant((d) => delete d.rooms[0].children[0].arrive), 'rooms[0].children[0].arrive'],
      ['a missing depart', variant((d) => delete d.rooms[0].children[0].depart), 'rooms[0].children[0].depart'],
      ['an arrive not as HH:mm', variant((d) => (d.rooms[0].children[0].arrive = '7.30')), 'rooms[0].children[0].arrive'],
      ['a depart past 23:59', variant((d) => (d.rooms[0].children[0].depart = '24:00')), 'rooms[0].children[0].depart'],
      ['a depart not after arrive', variant((d) => (d.rooms[0].children[0].depart = '07:30')), 'rooms[0].children[0].depart'],
      ['a nap ending before it starts', variant((d) => (d.rooms[0].naps[0].end = '12:00')), 'rooms[0].naps[0].end'],
      ['a shift ending when it starts', variant((d) => (d.rooms[0].staff[0].shifts[0].end = '07:00')), 'rooms[0].staff[0].shifts[0].end'],
      ['a break not after its start', variant((d) => (d.rooms[0].staff[0].breaks[0].end = '11:00')), 'rooms[0].staff[0].breaks[0].end'],
      ['a shift start past 23:59', variant((d) => (d.rooms[0].staff[0].shifts[0].start = '25:00')), 'rooms[0].staff[0].shifts[0].start'],
      ['a break outside the shifts', variant((d) => (d.rooms[0].staff[0].breaks[0] = { start: '14:45', end: '15:15' })), 'rooms[0].staff[0].breaks[0]'],
      ['a missing shift start', variant((d) => delete d.rooms[0].staff[0].shifts[0].start), 'rooms[0].staff[0].shifts[0].start'],
      ['an unknown role', variant((d) => (d.rooms[0].staff[0].role = 'janitor')), 'rooms[0].staff[0].role'],
      ['an unknown training id', variant((d) => (d.rooms[0].staff[0].trainings = [{ id: 'lifeguard', completedOn: '2026-01-01' }])), 'rooms[0].staff[0].trainings[0].id'],
      ['a child born after the date', variant((d) => (d.rooms[0].children[0].birthDate = '2026-03-03')), 'rooms[0].children[0].birthDate'],
      ['a child with neither birthDate nor ageMonths', variant((d) => delete d.rooms[0].children[0].birthDate), 'rooms[0].children[0]'],
      ['a time in the spring-forward gap', variant((d) => ((d.date = '2026-03-08'), (d.rooms[0].naps[0] = { start: '01:30', end: '02:15' }))), 'rooms[0].naps[0].end'],
      ['a now in the spring-forward gap', variant((d) => ((d.date = '2026-03-08'), (d.now = '02:00'))), 'now'],
    ];
    for (const [label, text, field] of cases) {
      it(`rejects ${label}, naming ${field}`, () => {
        const message = rejection(text);
        expect(message.startsWith(field)).toBe(true);
        expect(message).not.toContain('\n');
      });
    }

    it('says why a spring-forward time is refused', () => {
      expect(rejection(variant((d) => ((d.date = '2026-03-08'), (d.now = '02:30'))))).toBe(
        'now: 02:30 does not exist on 2026-03-08 in America/Chicago (the clocks spring forward)',
      );
    });

    it('asks for a timeZone for a pack without one', () => {
      expect(rejection(variant((d) => (d.state = 'CFOC')))).toMatch(/^timeZone: required/);
      expect(() => forecast(variant((d) => ((d.state = 'CFOC'), (d.timeZone = 'America/Chicago'))))).not.toThrow();
    });

    it('accepts a break that ends exactly when its shift ends', () => {
      expect(() => forecast(variant((d) => (d.rooms[0].staff[0].breaks[0] = { start: '14:30', end: '15:00' })))).not.toThrow();
    });
  });
});

/**
 * `"recordedUntilNow": true`: the record up to `now` and the plan after it (reality before
 * plan). The README example at 11:20: the teacher (shift 07:00-15:00, break 11:30-12:00)
 * arrived 06:58 and left at 11:15, in her shift: `left`, not counted for the rest of it.
 * The infant (5 months, needs 1 at 1:4) was checked in at 07:35 and is expected to 16:30.
 * So: 06:58-07:35 the teacher alone; 07:35-11:15 in ratio; from 11:15 nobody counted to
 * 16:30 (split only where the nap begins and ends). One cover need 11:15-16:30, a teacher
 * with AHT and SUID; the flag is labelled by the breach's start, 11:15, already under way.
 */
const RECORDED = variant((d) => {
  d.now = '11:20';
  d.recordedUntilNow = true;
  d.rooms[0].children[0].checkedIn = '07:35';
  d.rooms[0].staff[0].present = [{ start: '06:58', end: '11:15' }];
});

describe('forecast with recordedUntilNow', () => {
  it('starts from what happened: a teacher who left during her shift is not counted for the rest of it', () => {
    const answer = forecast(RECORDED) as any;
    expect(answer.rooms[0]).toEqual({
      id: 'infants',
      intervals: [
        interval('06:58', '07:35', 'normal', 0, 1, []),
        interval('07:35', '11:15', 'normal', 1, 1, []),
        interval('11:15', '12:30', 'normal', 1, 0, ['over_ratio']),
        interval('12:30', '14:30', 'nap', 1, 0, ['over_ratio']),
        interval('14:30', '16:30', 'normal', 1, 0, ['over_ratio']),
      ],
      firstBreach: { start: '11:15', violations: ['over_ratio'] },
      coverNeeds: [{ start: '11:15', end: '16:30', additionalStaff: 1, needs: ['teacher'], trainings: ['aht', 'suid'] }],
      flag: 'needs cover by 11:15',
      staff: [{ status: 'left' }],
    });
  });

  it('answers the same through the process', () => {
    const { status, stdout } = runCli(RECORDED);
    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toEqual(forecast(RECORDED));
  });

  it('keeps the README answer exactly when recordedUntilNow is absent, even with recorded fields', () => {
    const withRecord = variant((d) => {
      d.rooms[0].children[0].checkedIn = '07:35';
      d.rooms[0].staff[0].present = [{ start: '06:58', end: '07:30' }];
    });
    expect(forecast(withRecord)).toEqual(README_ANSWER);
  });

  it('tells each staff status at now: present, present_unplanned, late, no_show, left, due, done', () => {
    // now 11:50, grace 10. Each person's shift and record is chosen for one status.
    const staff = [
      { shifts: [{ start: '07:00', end: '15:00' }], present: [{ start: '07:00', end: null }] }, // present
      { shifts: [{ start: '07:00', end: '11:00' }], present: [{ start: '07:00', end: null }] }, // present_unplanned (shift over, still here)
      { shifts: [{ start: '11:45', end: '15:00' }], present: [] }, // late (5 minutes in)
      { shifts: [{ start: '11:00', end: '15:00' }, { start: '16:00', end: '17:00' }], present: [] }, // no_show (50 minutes in)
      { shifts: [{ start: '07:00', end: '15:00' }], present: [{ start: '07:00', end: '11:44' }] }, // left
      { shifts: [{ start: '13:00', end: '17:00' }], present: [] }, // due
      { shifts: [{ start: '07:00', end: '11:00' }], present: [{ start: '07:00', end: '11:00' }] }, // done
    ].map((s) => ({ role: 'teacher', qualified: true, breaks: [], ...s }));
    const text = variant((d) => {
      d.now = '11:50';
      d.recordedUntilNow = true;
      d.rooms[0].staff = staff;
    });
    expect((forecast(text) as any).rooms[0].staff.map((s: { status: string }) => s.status)).toEqual(['present', 'present_unplanned', 'late', 'no_show', 'left', 'due', 'done']);
  });

  it('takes a longer grace period: 50 minutes in is still late with graceMinutes 60', () => {
    const text = variant((d) => {
      d.now = '11:50';
      d.recordedUntilNow = true;
      d.graceMinutes = 60;
      d.rooms[0].staff[0].shifts = [{ start: '11:00', end: '15:00' }];
      d.rooms[0].staff[0].breaks = [];
    });
    expect((forecast(text) as any).rooms[0].staff).toEqual([{ status: 'late' }]);
  });

  describe('rejects a record that cannot be, naming the field', () => {
    const cases: [string, string, string][] = [
      ['a presence ending after now', variant((d) => ((d.now = '11:20'), (d.recordedUntilNow = true), (d.rooms[0].staff[0].present = [{ start: '07:00', end: '11:30' }]))), 'rooms[0].staff[0].present[0].end'],
      ['a presence starting after now', variant((d) => ((d.now = '11:20'), (d.rooms[0].staff[0].present = [{ start: '11:21', end: null }]))), 'rooms[0].staff[0].present[0].start'],
      ['a presence whose end is not after its start', variant((d) => ((d.now = '11:20'), (d.rooms[0].staff[0].present = [{ start: '09:00', end: '09:00' }]))), 'rooms[0].staff[0].present[0].end'],
      ['a check-in after now', variant((d) => ((d.now = '11:20'), (d.rooms[0].children[0].checkedIn = '11:30'))), 'rooms[0].children[0].checkedIn'],
      ['a check-out without a check-in', variant((d) => ((d.now = '11:20'), (d.rooms[0].children[0].checkedOut = '10:00'))), 'rooms[0].children[0].checkedOut'],
      ['a check-out before the check-in', variant((d) => ((d.now = '11:20'), (d.rooms[0].children[0].checkedIn = '09:00'), (d.rooms[0].children[0].checkedOut = '08:00'))), 'rooms[0].children[0].checkedOut'],
      ['a negative grace period', variant((d) => (d.graceMinutes = -1)), 'graceMinutes'],
      ['a recordedUntilNow that is not a boolean', variant((d) => (d.recordedUntilNow = 'yes')), 'recordedUntilNow'],
      ['a presence time not as HH:mm', variant((d) => (d.rooms[0].staff[0].present = [{ start: '7am', end: null }])), 'rooms[0].staff[0].present[0].start'],
    ];
    for (const [label, text, field] of cases) {
      it(`rejects ${label}`, () => {
        const message = rejection(text);
        expect(message.startsWith(field)).toBe(true);
        expect(message).not.toContain('\n');
      });
    }

    it('exits 2 with one line from the process', () => {
      expectRejectedByProcess(variant((d) => (d.graceMinutes = -5)), 'graceMinutes');
    });
  });
});
