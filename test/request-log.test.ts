import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, requestLogger, type Logger } from '../src/log.js';

let dir: string;
let file: string;
let log: Logger;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rw-log-'));
  file = join(dir, 'app.log');
  log = createLogger({ logLevel: 'info' }, { dest: file });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The lines written so far (the logger batches: flushed first). */
async function lines(): Promise<Record<string, unknown>[]> {
  await new Promise<void>((resolve, reject) => log.flush((err) => (err ? reject(err) : resolve())));
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

function app() {
  const a = express();
  a.use(requestLogger(log));
  a.get('/rooms/r-1', (req, res) => {
    req.log.info({ roomId: 'r-1' }, 'presence.opened');
    res.send('ok');
  });
  a.get('/invitations/:token', (_req, res) => {
    res.send('ok');
  });
  a.get('/broken', () => {
    throw new Error('kaput');
  });
  a.use((err: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.err = err;
    res.status(500).send('no');
  });
  return a;
}

describe('requestLogger', () => {
  it('writes one line per request with its id, method, path and status, never the query string', async () => {
    const res = await request(app()).get('/rooms/r-1?name=Maya%20Lopez');
    const [event, done] = await lines();
    expect(done).toMatchObject({ msg: 'request.completed', req: { id: res.headers['x-request-id'], method: 'GET', path: '/rooms/r-1' }, res: { status: 200 } });
    expect(typeof done!.responseTime).toBe('number');
    // A route's own event carries the same request.
    expect(event).toMatchObject({ msg: 'presence.opened', roomId: 'r-1', req: { id: res.headers['x-request-id'] } });
    expect(readFileSync(file, 'utf8')).not.toContain('Maya');
  });

  it("keeps a one-time link's token out of the log", async () => {
    await request(app()).get('/invitations/s3cret-t0ken');
    const [line] = await lines();
    expect(line).toMatchObject({ req: { path: '/invitations/[redacted]' } });
    expect(readFileSync(file, 'utf8')).not.toContain('s3cret-t0ken');
  });

  it('logs a 500 at error level with the error', async () => {
    const res = await request(app()).get('/broken');
    expect(res.status).toBe(500);
    const [line] = await lines();
    expect(line).toMatchObject({ level: 50, msg: 'request.failed', res: { status: 500 }, err: { message: 'kaput' } });
  });
});
