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
  // Signs session cookies; when unset, one is made at first start and kept in the database.
  // Too short a secret is easy to guess.
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  // Express "trust proxy": true/false, a hop count, or a list of addresses/subnets.
  TRUST_PROXY: z.string().default('false'),
  // An empty database gets the demo organization at start unless this is false.
  SEED_DEMO: z.stringbool().default(true),
});

export type Config = {
  readonly port: number;
  readonly host: string;
  readonly databaseUrl: string | undefined;
  readonly dbFile: string;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  readonly nodeEnv: 'development' | 'production' | 'test';
  readonly sessionSecret: string | undefined;
  readonly trustProxy: boolean | number | string;
  readonly seedDemo: boolean;
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
    trustProxy: trustProxyValue(e.TRUST_PROXY),
    seedDemo: e.SEED_DEMO,
  };
}

function trustProxyValue(raw: string): boolean | number | string {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  return /^\d+$/.test(raw) ? Number(raw) : raw;
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
