import { once } from 'node:events';
import { connect } from 'node:net';
import { DateTime } from 'luxon';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { startServer } from '../../src/web/server.js';
import { createTestDb, type TestDb } from '../support/db.js';

describe('startServer', () => {
  let t: TestDb;
  beforeEach(async () => (t = await createTestDb()));
  afterEach(() => t.destroy());
  const start = () => startServer(parseConfig({ NODE_ENV: 'test', PORT: '0', ...t.env, SEED_DEMO: 'false' }));

  it('serves the home page on a free port and closes cleanly', async () => {
    const server = await start();
    const res = await fetch(server.url);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Ratiowatch');

    await server.close();
    await expect(fetch(server.url)).rejects.toThrow();
  });

  it('starts the job runner: on a first start the demo director hears of the Infants breach the demo sets up, with nobody looking', async () => {
    // At 14:30 of today in the demo's zone (moving on with real time): the demo's day sets up its breach at any hour the test runs.
    const startedAt = DateTime.now().setZone('America/Chicago').set({ hour: 14, minute: 30, second: 0, millisecond: 0 }).toMillis();
    const realStart = Date.now();
    const clock = { now: () => new Date(startedAt + (Date.now() - realStart)) };
    const server = await startServer(parseConfig({ NODE_ENV: 'test', PORT: '0', LOG_LEVEL: 'silent', ...t.env, SEED_DEMO: 'true' }), { clock });
    try {
      const director = await t.db('users').where({ email: 'director@demo.ratiowatch.test' }).first('id');
      const breachNotices = () => t.db('notices').where({ user_id: director.id, kind: 'forecast_breach' }).select('body');
      // The runner's first tick follows the start at once.
      const deadline = Date.now() + 15_000;
      while ((await breachNotices()).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect((await breachNotices()).map((n) => n.body)).toEqual([expect.stringMatching(/^Infants (will be short of staff at \d\d:\d\d|is short of staff now) \(\d{4}-\d\d-\d\d\) and no one has asked for cover yet\.$/)]);
    } finally {
      await server.close();
    }
  }, 30_000);

  it('lets a request in flight finish, then closes without waiting out keep-alive', async () => {
    const server = await start();
    const socket = connect(Number(new URL(server.url).port), 'localhost');
    const dropped = once(socket, 'close');
    await once(socket, 'connect');
    // Half a body: the request is in flight until the rest arrives.
    socket.write('POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{');
    await new Promise((resolve) => setTimeout(resolve, 50));

    const closing = Date.now();
    const closed = server.close();
    socket.write('}');
    const [reply] = (await once(socket, 'data')) as [Buffer];
    // 403: a POST without a CSRF token is refused before routing.
    expect(reply.toString()).toMatch(/^HTTP\/1\.1 403 /);
    await closed;
    await dropped;
    // Node's keep-alive timeout is 5 s; the response's connection must not be kept that long.
    expect(Date.now() - closing).toBeLessThan(2000);
  });
});
