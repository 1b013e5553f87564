import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.js';

describe('parseConfig', () => {
  it('uses the defaults when nothing is set', () => {
    expect(parseConfig({})).toMatchObject({ port: 3000, host: 'localhost', dbFile: 'data/ratiowatch.sqlite', databaseUrl: undefined, logLevel: 'info', trustProxy: false, seedDemo: true });
  });

  it('keeps the logger silent in tests unless LOG_LEVEL says otherwise', () => {
    expect(parseConfig({ NODE_ENV: 'test' }).logLevel).toBe('silent');
    expect(parseConfig({ VITEST: 'true', LOG_LEVEL: 'debug' }).logLevel).toBe('debug');
  });

  it('names every bad variable in one line', () => {
    expect(() => parseConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x' })).toThrow(/^Invalid configuration: PORT: .*; DATABASE_URL: must start with postgres:\/\/ or postgresql:\/\/$/);
  });

  it('reads TRUST_PROXY as a boolean, a hop count or a list', () => {
    expect(parseConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(parseConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(parseConfig({ TRUST_PROXY: 'loopback' }).trustProxy).toBe('loopback');
  });
});
