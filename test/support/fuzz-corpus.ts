/**
 * Hostile input for the fuzz tests (web forms and the CLIs): what a confused,
 * careless or malicious person could type or send. Strings are what a form can
 * carry; `WRONG_TYPES` are what only a JSON body can.
 */

/** A deterministic random source (mulberry32), so a failure can be replayed with the same seed. */
export type Random = () => number;
export function seeded(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(rnd: Random, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;

/** `n` distinct items of `xs`, in a random order. */
export function sample<T>(rnd: Random, xs: readonly T[], n: number): T[] {
  const copy = [...xs];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(rnd() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, n);
}

/** The script a stored or reflected value must never bring back unescaped. */
export const SCRIPT = '<script>alert(1)</script>';

/** The spring-forward day in America/Chicago (2026-03-08): 02:00 to 03:00 does not exist. */
export const DST_GAP = { date: '2026-03-08', time: '02:30', instant: '2026-03-08T02:30:00-06:00' } as const;
/** The fall-back day (2026-11-01): 01:00 to 02:00 happens twice. */
export const DST_OVERLAP = { date: '2026-11-01', time: '01:30' } as const;

export const TEN_KB = 'x'.repeat(10 * 1024);

export type Hostile = { readonly label: string; readonly value: string };

const h = (label: string, value: string): Hostile => ({ label, value });

/** Values a form field can carry, each with a label for failure messages. */
export const CORPUS: readonly Hostile[] = [
  h('empty', ''),
  h('blank', '   '),
  h('10 KB', TEN_KB),
  h('10 KB of multibyte', 'é'.repeat(5 * 1024)),
  h('unicode', 'Zoë Ångström 张伟 😀 ﷽'),
  h('combining marks', 'Z̷̢͈a̸̡͍l̷g̵o̶'),
  h('zero-width', 'a\u200bb\u200dc\ufeff'),
  h('RTL', 'مرحبا بالعالم שלום'),
  h('RTL override', 'abc\u202egnp.exe\u202c'),
  h('NUL and controls', 'a\u0000b\u0007c\u001b[31m'),
  h('newlines', 'line one\r\nline two\nthree'),
  h('script', SCRIPT),
  h('attribute break', '"><img src=x onerror=alert(1)>'),
  h('template', '{{constructor.constructor("return 1")()}}'),
  h('SQL quote', "' OR '1'='1"),
  h('SQL drop', "1; DROP TABLE users; --"),
  h('SQL comment', "Robert'); DROP TABLE children;--"),
  h('negative', '-1'),
  h('minus zero', '-0'),
  h('zero', '0'),
  h('huge', '99999999999999999999999999'),
  h('unsafe integer', '9007199254740993'),
  h('overflow float', '1e309'),
  h('NaN', 'NaN'),
  h('Infinity', 'Infinity'),
  h('hex', '0x1F'),
  h('fraction', '2.5'),
  h('31 February', '2026-02-31'),
  h('29 February, no leap year', '2027-02-29'),
  h('month 13', '2026-13-01'),
  h('year zero', '0000-00-00'),
  h('far past', '1066-10-14'),
  h('far future', '9999-12-31'),
  h('short date', '2026-3-8'),
  h('US date', '03/08/2026'),
  h('date with time', '2026-03-08T02:30:00'),
  h('DST gap date', DST_GAP.date),
  h('DST gap time', DST_GAP.time),
  h('DST overlap time', DST_OVERLAP.time),
  h('24:00', '24:00'),
  h('25:61', '25:61'),
  h('leap second', '23:59:60'),
  h('one-digit time', '7:5'),
  h('negative time', '-01:00'),
  h('nil UUID', '00000000-0000-0000-0000-000000000000'),
  h('unknown UUID', '9b2f1c1e-3d4a-4f6b-8c7d-0e1f2a3b4c5d'),
  h('not an id', 'not-an-id'),
  h('path traversal', '../../../etc/passwd'),
  h('percent-encoded', '%00%2e%2e%2f'),
  h('prototype', '__proto__'),
  h('constructor', 'constructor'),
  h('true', 'true'),
  h('on', 'on'),
  h('email-ish', 'a@b'),
  h('very long email', `${'a'.repeat(300)}@example.org`),
];

/** Non-string values for a JSON body's field: what a form never sends. */
export const WRONG_TYPES: readonly { label: string; value: unknown }[] = [
  { label: 'null', value: null },
  { label: 'number', value: 12 },
  { label: 'negative number', value: -1 },
  { label: 'huge number', value: 1e308 },
  { label: 'boolean', value: true },
  { label: 'empty object', value: {} },
  { label: 'object', value: { $gt: '', toString: 'x' } },
  { label: 'array', value: ['a', 'b'] },
  { label: 'nested array', value: [[SCRIPT]] },
  { label: 'array of objects', value: [{ id: 1 }] },
];
