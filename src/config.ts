import { isIP } from 'node:net';
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

// Keys are the variable names, so a validation message names the variable to fix.
const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('localhost'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  DB_FILE: z.string().default('data/ratiowatch.sqlite'),
  LOG_LEVEL: z.enum(LOG_LEVELS).optional(),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  VITEST: z.string().optional(),
  // Signs session cookies; when unset, one is made at first start and kept in a file beside the database.
  // Too short a secret is easy to guess.
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  // Keys the audit chain's HMAC; when unset, a file beside the database (db/audit-key.ts).
  AUDIT_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  // Which proxies to believe about the client (X-Forwarded-For, -Proto): false, true (one proxy), a hop count,
  // or a list of the proxies' addresses/subnets. Never "every hop": then a client picks its own address.
  TRUST_PROXY: z
    .string()
    .trim()
    .default('false')
    .refine(isTrustProxy, "must be false, true (one proxy in front), a number of proxies, or a comma-separated list of the proxies' addresses or subnets (or loopback, linklocal, uniquelocal)"),
  // An empty database gets the demo organization at start unless this is false.
  SEED_DEMO: z.stringbool().default(true),
  // Where email goes (smtp:// or smtps://, with user:pass@ if the server wants them); unset, messages are
  // written as .eml files in outbox/ beside DB_FILE.
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^\s]+$/, 'must be smtp://… or smtps://…, like smtp://user:pass@mail.example.org:587')
    .refine((v) => URL.canParse(v), 'must be a URL, like smtp://user:pass@mail.example.org:587')
    .optional(),
  MAIL_FROM: z.string().trim().min(3).max(200).refine((v) => /^[^\r\n]*<?[^\s@<>]+@[^\s@<>]+>?$/.test(v), 'must be an address, like "Ratiowatch <alerts@example.org>"').optional(),
  // The address people open the app at; links in messages point here.
  PUBLIC_URL: z
    .string()
    .refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), 'must be an http:// or https:// address, like https://ratiowatch.example.org')
    .optional(),
  // Web Push's VAPID keys (all three or none); unset, a pair is made at first start and kept in vapid.json beside
  // DB_FILE (services/alerts/vapid.ts). The public key is a P-256 point, the private key its 32-byte scalar, both base64url.
  VAPID_PUBLIC_KEY: z.string().trim().regex(/^[A-Za-z0-9_-]{87}$/, 'must be the base64url public key web-push makes (87 characters)').optional(),
  VAPID_PRIVATE_KEY: z.string().trim().regex(/^[A-Za-z0-9_-]{43}$/, 'must be the base64url private key web-push makes (43 characters)').optional(),
  // Who push services may contact about our pushes: mailto:someone@example.org or an https:// address.
  VAPID_SUBJECT: z
    .string()
    .trim()
    .refine((v) => URL.canParse(v) && /^(mailto|https):$/.test(new URL(v).protocol), 'must be mailto:someone@example.org or an https:// address')
    .optional(),
}).superRefine((e, ctx) => {
  const set = [e.VAPID_PUBLIC_KEY, e.VAPID_PRIVATE_KEY, e.VAPID_SUBJECT].filter((v) => v !== undefined).length;
  if (set !== 0 && set !== 3) ctx.addIssue({ code: 'custom', path: ['VAPID_PUBLIC_KEY'], message: 'set VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY and VAPID_SUBJECT together, or none of them' });
});

export type Config = {
  readonly port: number;
  readonly host: string;
  readonly databaseUrl: string | undefined;
  readonly dbFile: string;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  readonly nodeEnv: 'development' | 'production' | 'test';
  readonly sessionSecret: string | undefined;
  readonly auditKey: string | undefined;
  /** Express "trust proxy": false, a number of hops (true is 1), or a list of proxy addresses/subnets. */
  readonly trustProxy: false | number | string;
  readonly seedDemo: boolean;
  /** SMTP server for email; undefined: messages are written as .eml files (services/alerts/mail.ts). */
  readonly smtpUrl: string | undefined;
  readonly mailFrom: string;
  /** Without a trailing slash; defaults to http://localhost:PORT. */
  readonly publicUrl: string;
  /** Web Push keys from the environment; undefined: made once and kept beside the database (services/alerts/vapid.ts). */
  readonly vapid: { readonly publicKey: string; readonly privateKey: string; readonly subject: string } | undefined;
};

export class ConfigError extends Error {}

/** Validates the environment; throws ConfigError whose message fits on one line. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  // An empty variable (`PORT=`) means "not set", not "set to nothing".
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = Env.safeParse(given);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  const inTests = e.NODE_ENV === 'test' || e.VITEST !== undefined;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dbFile: e.DB_FILE,
    logLevel: e.LOG_LEVEL ?? (inTests ? 'silent' : 'info'),
    nodeEnv: e.NODE_ENV,
    sessionSecret: e.SESSION_SECRET,
    auditKey: e.AUDIT_KEY,
    trustProxy: trustProxyValue(e.TRUST_PROXY),
    seedDemo: e.SEED_DEMO,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM ?? 'Ratiowatch <ratiowatch@localhost>',
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    vapid: e.VAPID_PUBLIC_KEY && e.VAPID_PRIVATE_KEY && e.VAPID_SUBJECT ? { publicKey: e.VAPID_PUBLIC_KEY, privateKey: e.VAPID_PRIVATE_KEY, subject: e.VAPID_SUBJECT } : undefined,
  };
}

const NAMED_SUBNETS = new Set(['loopback', 'linklocal', 'uniquelocal']);
const MAX_HOPS = 10;

/** An address, a subnet (a.b.c.d/n, a.b.c.d/255.255.0.0, v6/n) or one of express's names. */
function isProxyAddress(item: string): boolean {
  if (NAMED_SUBNETS.has(item)) return true;
  const [address, range, ...rest] = item.split('/');
  const version = isIP(address!);
  if (version === 0 || rest.length > 0) return false;
  if (range === undefined) return true;
  if (/^\d{1,3}$/.test(range)) return Number(range) <= (version === 4 ? 32 : 128);
  return version === 4 && isIP(range) === 4;
}

function isTrustProxy(raw: string): boolean {
  if (raw === 'true' || raw === 'false') return true;
  if (/^\d+$/.test(raw)) return Number(raw) <= MAX_HOPS;
  return raw.split(',').every((item) => isProxyAddress(item.trim()));
}

/**
 * `true` is one proxy: express's own `true` believes every hop of X-Forwarded-For, so the
 * left-most address, which the client writes, would be taken as the client's. `0` trusts none.
 */
function trustProxyValue(raw: string): false | number | string {
  if (raw === 'false' || raw === '0') return false;
  if (raw === 'true') return 1;
  if (/^\d+$/.test(raw)) return Number(raw);
  return raw
    .split(',')
    .map((item) => item.trim())
    .join(', ');
}

/** Reads process.env once; a bad value ends the process with one clear line and exit 2 (bad input, as the CLIs answer it). */
export function loadConfig(): Config {
  try {
    return parseConfig(process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    process.exit(2);
  }
}
