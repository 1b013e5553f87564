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

  it('reads TRUST_PROXY as false, a hop count or a list of proxy addresses', () => {
    expect(parseConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(parseConfig({ TRUST_PROXY: '0' }).trustProxy).toBe(false);
    expect(parseConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(parseConfig({ TRUST_PROXY: 'loopback' }).trustProxy).toBe('loopback');
    expect(parseConfig({ TRUST_PROXY: ' 10.0.0.1 ,10.1.0.0/16, 10.2.0.0/255.255.0.0,fd00::/8, uniquelocal' }).trustProxy).toBe('10.0.0.1, 10.1.0.0/16, 10.2.0.0/255.255.0.0, fd00::/8, uniquelocal');
  });

  it('M2: reads TRUST_PROXY=true as one proxy, never as every hop of X-Forwarded-For', () => {
    // Express's own `true` believes the left-most address, which the client writes itself.
    expect(parseConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(1);
  });

  it('M2: refuses a TRUST_PROXY that is not false, true, a hop count or proxy addresses, naming the variable', () => {
    for (const bad of ['yes', '10.0.0.300', '10.0.0.0/33', 'proxy.example.org', '10.0.0.1;rm', '99']) {
      expect(() => parseConfig({ TRUST_PROXY: bad }), bad).toThrow(/^Invalid configuration: TRUST_PROXY: must be false, true \(one proxy in front\)/);
    }
  });
});
