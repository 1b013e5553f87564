/**
 * The CLIs meet the same hostile corpus as the web forms. Bad input is refused with
 * exit 2 and one line on stderr naming what is wrong, never a stack trace, never
 * "internal error".
 *
 * Spawning a CLI costs a second, so the corpus runs in-process through each CLI's
 * exported parser (ratio-check, forecast, remedies, create-owner's and import's arguments): every value in
 * every field. A few dozen real child processes then show that the process itself
 * answers exit 2 and one line for the worst of it (and for rules and audit-verify,
 * whose input is only their arguments).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { parseCreateOwnerArgs, UsageError } from '../../src/cli/create-owner.js';
import { forecast } from '../../src/cli/forecast.js';
import { parseImportArgs, UsageError as ImportUsageError } from '../../src/cli/import.js';
import { remedies } from '../../src/cli/remedies.js';
import { ratioCheck } from '../../src/cli/ratio-check.js';
import { InputError } from '../../src/cli/scenario-input.js';
import { CORPUS, DST_GAP, DST_OVERLAP, SCRIPT, TEN_KB, WRONG_TYPES } from '../support/fuzz-corpus.js';
import { inBatches, runCliAsync, type CliRun } from '../support/fuzz-cli.js';

vi.mock('../../src/cli/scenario-input.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/cli/scenario-input.js')>();
  return { ...actual, runCli: async () => {} };
});

const RATIO_EXAMPLE = {
  state: 'MN',
  at: '2026-03-02T09:30:00-06:00',
  activity: 'normal',
  children: [{ birthDate: '2025-09-14' }, { ageMonths: 20 }, { birthDate: '2020-08-01', attendsKindergarten: true }],
  staff: [
    { role: 'teacher', qualified: true },
    { role: 'volunteer', qualifiesAs: 'aide', ageYears: 67, backgroundStudy: 'cleared', trainings: [{ id: 'cpr', completedOn: '2026-01-10' }], startedOn: '2025-09-01', daysAtCenter: 30 },
  ],
};

const FORECAST_EXAMPLE = {
  state: 'MN',
  date: '2026-03-02',
  timeZone: 'America/Chicago',
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

type Path = readonly (string | number)[];

/** Every field of `value`, objects and lists included, as paths. */
function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [...(prefix.length > 0 ? [prefix] : []), ...entries.flatMap(([k, v]) => pathsOf(v, [...prefix, k]))];
}

/** A deep copy of `example` with the field at `path` set to `value` (or removed, for undefined). */
function variant(example: object, path: Path, value: unknown): string {
  const copy = structuredClone(example) as Record<string | number, unknown>;
  let at = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (value === undefined) {
    if (Array.isArray(at)) at.splice(Number(last), 1);
    else delete at[last];
  } else {
    at[last] = value;
  }
  return JSON.stringify(copy);
}

const name = (p: Path) => p.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${k}` : k), '');

/** The values each field gets: every corpus string, every wrong type, odd numbers, and the field left out. */
const VALUES: readonly { label: string; value: unknown }[] = [
  ...CORPUS.map((h) => ({ label: h.label, value: h.value as unknown })),
  ...WRONG_TYPES,
  { label: 'zero', value: 0 },
  { label: 'minus zero', value: -0 },
  { label: 'fraction', value: 0.5 },
  { label: 'negative fraction', value: -2.5 },
  { label: 'max safe integer', value: Number.MAX_SAFE_INTEGER },
  { label: 'left out', value: undefined },
];

type Outcome = { ok: true } | { ok: false; line: string; raw: string };

/** Runs a parser on one input: an answer, or the line runCli would print for an InputError. Anything else is a bug. */
function outcomeOf(run: () => unknown, refusal: new (...a: never[]) => Error, label: string, bugs: string[]): Outcome | undefined {
  try {
    run();
    return { ok: true };
  } catch (err) {
    if (err instanceof refusal) return { ok: false, line: err.message.replace(/\s+/g, ' '), raw: err.message };
    bugs.push(`${label}: ${err instanceof Error ? `${err.constructor.name}: ${err.message}` : String(err)}`);
    return undefined;
  }
}

/** Walks every field of `example` through VALUES; answers how many inputs were refused. */
function walk(example: object, run: (text: string) => unknown): { refused: number; accepted: number; bugs: string[]; unnamed: string[] } {
  const bugs: string[] = [];
  const unnamed: string[] = [];
  let refused = 0;
  let accepted = 0;
  for (const path of pathsOf(example)) {
    for (const v of VALUES) {
      const label = `${name(path)} = ${v.label}`;
      const outcome = outcomeOf(() => run(variant(example, path, v.value)), InputError, label, bugs);
      if (!outcome) continue;
      if (outcome.ok) {
        accepted += 1;
      } else {
        refused += 1;
        // One line naming the field: "children[0].birthDate: must be a real date as YYYY-MM-DD".
        if (!/^(input|[A-Za-z]+(\[\d+\])*(\.[A-Za-z]+(\[\d+\])*)*)(:| )/.test(outcome.line)) unnamed.push(`${label}: ${outcome.line.slice(0, 120)}`);
      }
    }
  }
  return { refused, accepted, bugs, unnamed };
}

describe('the corpus in-process', () => {
  it('ratio-check refuses each bad field with one line naming it, and never fails inside', () => {
    const result = walk(RATIO_EXAMPLE, ratioCheck);
    expect(result.bugs).toEqual([]);
    expect(result.unnamed).toEqual([]);
    expect(result.refused).toBeGreaterThan(500);
    expect(() => ratioCheck(variant(RATIO_EXAMPLE, ['children', 0, 'birthDate'], '2026-02-31'))).toThrow(/^children\[0\]\.birthDate: /);
  });

  it('forecast refuses each bad field with one line naming it, and never fails inside', () => {
    const result = walk(FORECAST_EXAMPLE, forecast);
    expect(result.bugs).toEqual([]);
    expect(result.unnamed).toEqual([]);
    expect(result.refused).toBeGreaterThan(500);
  });

  it('forecast refuses a time in the spring-forward gap and takes the repeated hour of the fall-back day', () => {
    const gap = { ...FORECAST_EXAMPLE, date: DST_GAP.date, now: DST_GAP.time };
    expect(() => forecast(JSON.stringify(gap))).toThrow(/^now: 02:30 does not exist on 2026-03-08 in America\/Chicago/);
    const shift = structuredClone(FORECAST_EXAMPLE);
    shift.date = DST_GAP.date;
    shift.rooms[0]!.staff[0]!.shifts[0]!.start = DST_GAP.time;
    expect(() => forecast(JSON.stringify(shift))).toThrow(/^rooms\[0\]\.staff\[0\]\.shifts\[0\]\.start: 02:30 does not exist/);
    expect(() => forecast(JSON.stringify({ ...FORECAST_EXAMPLE, date: DST_OVERLAP.date, now: DST_OVERLAP.time }))).not.toThrow();
  });

  it("create-owner's arguments: every value in every option, unknown options and stray words are a usage error or accepted", () => {
    const bugs: string[] = [];
    let refused = 0;
    const argvs: string[][] = [[], ['--email'], ['stray'], ['--email', 'a@example.org', 'stray'], ['--bogus'], ['-e', 'a@example.org'], ['--email', 'a@example.org', '--email', 'b@example.org']];
    for (const h of CORPUS) {
      argvs.push(['--email', h.value], [`--email=${h.value}`], ['--email', 'a@example.org', '--name', h.value], ['--email', 'a@example.org', '--organization', h.value], [h.value], [`--${h.value}`]);
    }
    for (const argv of argvs) {
      const outcome = outcomeOf(() => parseCreateOwnerArgs(argv), UsageError, JSON.stringify(argv).slice(0, 80), bugs);
      if (outcome && !outcome.ok) {
        refused += 1;
        // create-owner prints the message as it is: it must be one line already.
        if (/[\r\n]/.test(outcome.raw)) bugs.push(`${JSON.stringify(argv).slice(0, 80)}: a message of more than one line`);
      }
    }
    expect(bugs).toEqual([]);
    expect(refused).toBeGreaterThan(150);
  });
});

describe('the corpus in-process: remedies and import', () => {
  const REMEDIES_EXAMPLE = { ...FORECAST_EXAMPLE, need: { room: 'infants', start: '09:00', end: '10:00' } };

  it('remedies refuses each bad field with one line naming it, and never fails inside', () => {
    const result = walk(REMEDIES_EXAMPLE, remedies);
    expect(result.bugs).toEqual([]);
    expect(result.unnamed).toEqual([]);
    expect(result.refused).toBeGreaterThan(500);
  });

  it("import's arguments: every value in every option is a one-line usage error or accepted", () => {
    const bugs: string[] = [];
    let refused = 0;
    const argvs: string[][] = [[], ['--center'], ['--center', 'c'], ['stray'], ['--center', 'c', '--children'], ['--center', 'c', '--bogus', 'x'], ['--center', 'c', '--dry-run=yes']];
    for (const h of CORPUS) {
      argvs.push(['--center', h.value, '--children', 'a.csv'], [`--center=${h.value}`, '--people', 'p.csv'], ['--center', 'c', '--children', h.value], ['--center', 'c', '--people', h.value], [h.value], [`--${h.value}`]);
    }
    for (const argv of argvs) {
      const outcome = outcomeOf(() => parseImportArgs(argv), ImportUsageError, JSON.stringify(argv).slice(0, 80), bugs);
      if (outcome && !outcome.ok) {
        refused += 1;
        if (/[\r\n]/.test(outcome.raw)) bugs.push(`${JSON.stringify(argv).slice(0, 80)}: a message of more than one line`);
      }
    }
    expect(bugs).toEqual([]);
    // A center id or file name is any text here; an unknown center or unreadable file is refused when it is read (exit 2).
    expect(refused).toBeGreaterThan(100);
  });
});

describe('the worst of the corpus as real processes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ratiowatch-cli-fuzz-'));
  const env = { DB_FILE: join(dir, 'db.sqlite'), DATABASE_URL: '', NODE_ENV: 'test' };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const ratio = (change: Path, value: unknown) => variant(RATIO_EXAMPLE, change, value);
  const day = (change: Path, value: unknown) => variant(FORECAST_EXAMPLE, change, value);
  const RUNS: { label: string; cli: string; args?: string[]; stdin?: string | Buffer }[] = [
    { label: 'empty stdin', cli: 'ratio-check', stdin: '' },
    { label: 'not JSON', cli: 'ratio-check', stdin: `not json ${SCRIPT}` },
    { label: 'invalid UTF-8', cli: 'ratio-check', stdin: Buffer.from([0xff, 0xfe, 0x00, 0x7b]) },
    { label: 'a JSON list', cli: 'ratio-check', stdin: '[]' },
    { label: 'script as state', cli: 'ratio-check', stdin: ratio(['state'], SCRIPT) },
    { label: '31 February', cli: 'ratio-check', stdin: ratio(['at'], '2026-02-31T09:30:00-06:00') },
    { label: 'children as an object', cli: 'ratio-check', stdin: ratio(['children'], { $gt: '' }) },
    { label: 'a role with a line break', cli: 'ratio-check', stdin: ratio(['staff', 0, 'role'], 'janitor\nrm -rf /') },
    { label: 'a training id with a line break', cli: 'ratio-check', stdin: ratio(['staff', 1, 'trainings', 0, 'id'], 'cpr\n\u202eevil') },
    { label: 'DST gap now', cli: 'forecast', stdin: JSON.stringify({ ...FORECAST_EXAMPLE, date: DST_GAP.date, now: DST_GAP.time }) },
    { label: '31 February', cli: 'forecast', stdin: day(['date'], '2026-02-31') },
    { label: 'unknown zone', cli: 'forecast', stdin: day(['timeZone'], 'Mars/Olympus Mons') },
    { label: '25:61', cli: 'forecast', stdin: day(['rooms', 0, 'children', 0, 'arrive'], '25:61') },
    { label: 'rooms as a string', cli: 'forecast', stdin: day(['rooms'], SCRIPT) },
    { label: 'cut-off JSON', cli: 'forecast', stdin: '{"state":' },
    { label: 'no state', cli: 'rules', args: [] },
    { label: 'unknown state', cli: 'rules', args: ['XX'] },
    { label: 'script', cli: 'rules', args: [SCRIPT] },
    { label: 'a line break', cli: 'rules', args: ['MN\nWI'] },
    { label: '10 KB', cli: 'rules', args: [TEN_KB] },
    { label: 'no arguments', cli: 'create-owner', args: [] },
    { label: 'empty email', cli: 'create-owner', args: ['--email', ''] },
    { label: 'script email', cli: 'create-owner', args: ['--email', SCRIPT] },
    { label: 'unknown option with a line break', cli: 'create-owner', args: ['--email', 'a@example.org', '--bo\ngus'] },
    { label: 'option without its value', cli: 'create-owner', args: ['--email'] },
    { label: '10 KB name', cli: 'create-owner', args: ['--email', 'a@example.org', '--name', TEN_KB] },
    { label: 'an argument', cli: 'audit-verify', args: ['--bogus'] },
    { label: 'a script argument', cli: 'audit-verify', args: [SCRIPT, 'x\ny'] },
  ];

  it(`answers exit 2 and one line on stderr in ${RUNS.length} runs, never a stack trace`, { timeout: 300_000 }, async () => {
    const runs: CliRun[] = await inBatches(
      RUNS.map((r) => () => runCliAsync(r.cli, { args: r.args, stdin: r.stdin, env })),
      3,
    );
    const problems: string[] = [];
    runs.forEach((run, i) => {
      const r = RUNS[i]!;
      const label = `${r.cli} (${r.label}) → ${run.status}: ${JSON.stringify(run.stderr.slice(0, 300))}`;
      if (run.status !== 2) problems.push(`${label}: exit ${run.status}, not 2`);
      if (run.stdout !== '') problems.push(`${label}: wrote to stdout`);
      if (!/^[^\n]+\n$/.test(run.stderr)) problems.push(`${label}: not exactly one line on stderr`);
      if (/\n\s+at |node:internal|\.ts:\d+|internal error/.test(run.stderr)) problems.push(`${label}: a stack trace or an internal error`);
    });
    expect(problems).toEqual([]);
  });
});
