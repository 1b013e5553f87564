import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * scrypt cost parameters. N=2^15, r=8 needs 128·N·r = 32 MiB per hash, which is what
 * makes guessing with GPUs expensive; tests pass cheaper ones so they stay fast.
 */
export type ScryptParams = { readonly N: number; readonly r: number; readonly p: number };

export const STRONG_SCRYPT: ScryptParams = { N: 2 ** 15, r: 8, p: 1 };

const KEY_LENGTH = 64;
const SALT_LENGTH = 16;
// A stored hash is trusted input, but cap the cost it may ask for so a bad row cannot stall the server.
const MAX_N = 2 ** 20;

function derive(password: string, salt: Buffer, { N, r, p }: ScryptParams): Promise<Buffer> {
  // Node refuses by default above 32 MiB; leave room for N=2^15, r=8 and a little more.
  const options: ScryptOptions = { N, r, p, maxmem: 256 * N * r * p + 1024 * 1024 };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** `scrypt$N$r$p$salt$hash`, salt and hash in base64. */
export async function hashPassword(password: string, params: ScryptParams = STRONG_SCRYPT): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await derive(password, salt, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');
}

function parse(stored: string): { params: ScryptParams; salt: Buffer; key: Buffer } | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0) || N > MAX_N) return null;
  return { params: { N, r, p }, salt: Buffer.from(parts[4]!, 'base64'), key: Buffer.from(parts[5]!, 'base64') };
}

/**
 * True when `password` matches `stored`. With no stored hash (unknown email, or a
 * password never set) it still derives a key with `params`, so the answer takes
 * the same time either way and does not tell whether the account exists.
 */
export async function verifyPassword(password: string, stored: string | null, params: ScryptParams = STRONG_SCRYPT): Promise<boolean> {
  const parsed = stored ? parse(stored) : null;
  if (!parsed) {
    await derive(password, Buffer.alloc(SALT_LENGTH), params);
    return false;
  }
  const key = await derive(password, parsed.salt, parsed.params);
  return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
}

/** Why a new password is refused beyond its length: on the lists guessers try first, or a repeat or sequence. */
export type PasswordWeakness = 'common' | 'repetitive';

// zxcvbn-ts's list of the ~49,000 passwords seen most in breaches, lower case. Read on first use.
let common: ReadonlySet<string> | undefined;
const commonPasswords = (): ReadonlySet<string> => (common ??= new Set(dictionary['passwords-common']));

// Runs a person might type by sliding along a row of keys or counting: checked forwards and backwards, wrapping.
const SEQUENCES = ['abcdefghijklmnopqrstuvwxyz', '0123456789', 'qwertyuiopasdfghjklzxcvbnm', '1234567890-='];
// A common password with up to this many digits or symbols put before or after it ("iloveyou1234") is as common.
const MAX_AFFIX = 4;
// A shorter password repeated up to the length ("abcdabcdabcd"): repeats of anything shorter than this are refused.
const MIN_REPEATED_UNIT = 12;

/**
 * Null when `password` may be set; otherwise why not. Case does not matter. Only the
 * obvious is refused, with no composition rules: a password on the common list (alone
 * or with a few digits or symbols around it), fewer than four different characters, a
 * short run repeated, or a sequence like abcdefghijkl, 123456789012 or qwertyuiopas.
 */
export function passwordWeakness(password: string): PasswordWeakness | null {
  const text = password.normalize('NFC').toLowerCase();
  const list = commonPasswords();
  const core = text.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  if (list.has(text) || (core.length > 0 && text.length - core.length <= MAX_AFFIX && list.has(core))) return 'common';
  const chars = [...text];
  if (new Set(chars).size < 4) return 'repetitive';
  for (let unit = 1; unit <= Math.min(MIN_REPEATED_UNIT - 1, chars.length / 2); unit++) {
    if (chars.every((c, i) => c === chars[i % unit])) return 'repetitive';
  }
  if (SEQUENCES.some((seq) => followsSequence(chars, seq) || followsSequence([...chars].reverse(), seq))) return 'repetitive';
  return null;
}

function followsSequence(chars: readonly string[], seq: string): boolean {
  const at = seq.indexOf(chars[0]!);
  return at >= 0 && chars.every((c, i) => c === seq[(at + i) % seq.length]);
}
