import { isIPv4, isIPv6 } from 'node:net';
import type { Knex } from '../../db/knex.js';
import { clearSignInKey, countSignInTry, pruneSignInAttempts, uncountSignInTry, type CountedTry } from '../../db/sign-in-attempts.js';

/**
 * Sign-in tries allowed in a 15-minute window (fixed, from a key's first try):
 *
 * - per account and address pair: 5. One device typing one account wrong locks only itself.
 * - per account: 10, from anywhere. Guessing one password from many addresses stays slow,
 *   and one device alone (5 for its pair) cannot lock someone else out of their account.
 * - per address: 100, across accounts. Spraying from one address is slowed, but the staff
 *   and volunteers behind a center's shared Wi-Fi do not lock each other out with typos.
 *
 * A try is counted before its password is checked, so a burst of parallel guesses is cut
 * off at the limit. A refused try, and a successful sign-in, are taken back: they checked
 * no password, or found the right one. Unknown emails count the same way, so a lockout
 * does not tell that an account exists.
 */
export const SIGN_IN_LIMITS = { windowMs: 15 * 60 * 1000, perPair: 5, perAccount: 10, perAddress: 100 } as const;

const MAX_ADDRESS_LENGTH = 100;

/**
 * The address a limit counts: the client's IPv4 address, or its IPv6 /64 (one household or
 * one device holds a whole /64, and could otherwise take a fresh address for every try).
 */
export function limitedAddress(ip: string | undefined): string {
  if (!ip) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped && isIPv4(mapped[1]!)) return mapped[1]!;
  if (isIPv4(ip)) return ip;
  const groups = isIPv6(ip) ? ipv6Groups(ip) : null;
  if (groups) return `${groups.slice(0, 4).map((g) => g.toString(16)).join(':')}::/64`;
  // Not an address (a proxy passing something odd): counted as itself, bounded in length.
  return ip.slice(0, MAX_ADDRESS_LENGTH);
}

/** The eight 16-bit groups of a valid IPv6 address (zone dropped, an embedded IPv4 tail split in two). */
function ipv6Groups(ip: string): number[] | null {
  let text = ip.split('%')[0]!.toLowerCase();
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((h) => parseInt(h, 16)));
  const [head, tail] = text.split('::') as [string, string | undefined];
  const front = parse(head);
  const back = tail === undefined ? [] : parse(tail);
  const groups = tail === undefined ? front : [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

export type SignInTry = {
  /** True when a limit is reached: answer 429 without checking the password. */
  readonly refused: boolean;
  /** The password was right: this try counts against nothing, and the pair starts over. */
  succeeded(): Promise<void>;
  /** The password was wrong (or the account unusable): the try stays counted. */
  failed(): Promise<void>;
};

/** Counts a sign-in try for `email` from `ip` against all three limits, before anything is checked. */
export async function countSignInAttempt(db: Knex, email: string, ip: string | undefined, at: Date): Promise<SignInTry> {
  const address = limitedAddress(ip);
  const limits = new Map<string, number>([
    [`account:${email}`, SIGN_IN_LIMITS.perAccount],
    [`address:${address}`, SIGN_IN_LIMITS.perAddress],
    [`pair:${email} ${address}`, SIGN_IN_LIMITS.perPair],
  ]);
  const pairKey = `pair:${email} ${address}`;
  const counted = await countSignInTry(
    db,
    [...limits.keys()].map((key) => ({ key, account: key.startsWith('address:') ? null : email })),
    at,
    SIGN_IN_LIMITS.windowMs,
  );
  const refused = counted.some((c) => c.attempts > limits.get(c.key)!);
  if (refused) await uncountSignInTry(db, counted);
  const others: CountedTry[] = counted.filter((c) => c.key !== pairKey);
  return {
    refused,
    succeeded: async () => {
      await uncountSignInTry(db, others);
      await clearSignInKey(db, pairKey);
    },
    failed: () => pruneSignInAttempts(db, at, SIGN_IN_LIMITS.windowMs),
  };
}
