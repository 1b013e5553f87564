import { once } from 'node:events';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer, request as httpRequest, type ClientRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/web/app.js';
import { incomingDirOf } from '../../../src/web/uploads/multipart.js';
import { csrfFrom } from '../../support/agent.js';
import { seedCenter, TEST_PASSWORD, type TestUser } from '../../support/builders.js';
import { pdfOf, SUID, uploadWorld, type UploadWorld } from './upload-support.js';

let w: UploadWorld | undefined;
let server: Server | undefined;
const clients: ClientRequest[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  if (server) {
    server.closeAllConnections();
    await new Promise((r) => server!.close(r));
    server = undefined;
  }
  await w?.destroy();
  w = undefined;
});

async function listening(app: ReturnType<typeof createApp>): Promise<string> {
  server = createServer(app);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Signs in over HTTP: the cookies and this session's form token. */
async function signIn(base: string, user: TestUser): Promise<{ cookie: string; csrf: string }> {
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const set of res.headers.getSetCookie()) {
      const pair = set.split(';')[0]!;
      jar.set(pair.slice(0, pair.indexOf('=')), pair);
    }
  };
  const cookie = () => [...jar.values()].join('; ');
  const page = await fetch(`${base}/sign-in`);
  keep(page);
  const res = await fetch(`${base}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrfFrom(await page.text()), email: user.email, password: TEST_PASSWORD }),
  });
  expect(res.status).toBe(303);
  keep(res);
  return { cookie: cookie(), csrf: csrfFrom(await (await fetch(`${base}/`, { headers: { cookie: cookie() } })).text()) };
}

const BOUNDARY = 'ratiowatch-test-boundary';

/** The trainings form as a browser encodes it, with a certificate of `fileBytes`. */
function multipartBody(fields: Record<string, string>, fileBytes: number): Buffer {
  const parts = Object.entries(fields).map(([k, v]) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
  return Buffer.concat([
    Buffer.from(parts.join('')),
    Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="certificate"; filename="c.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
    pdfOf(fileBytes),
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);
}

/**
 * Starts an upload and sends only the first `sent` bytes of its body, then waits:
 * answers the response if one comes while the rest of the body is still unsent.
 */
function sendPart(url: string, cookie: string, body: Buffer, sent: number, waitMs = 2000): Promise<{ res?: IncomingMessage; req: ClientRequest }> {
  return new Promise((resolve) => {
    const req = httpRequest(url, {
      method: 'POST',
      headers: { cookie, 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'content-length': String(body.length) },
    });
    clients.push(req);
    const timer = setTimeout(() => resolve({ req }), waitMs);
    req.on('response', (res) => {
      clearTimeout(timer);
      res.resume();
      resolve({ res, req });
    });
    req.on('error', () => undefined);
    req.write(body.subarray(0, sent));
  });
}

const MB = 1024 * 1024;

describe('POST /centers/:centerId/my/trainings, multipart', () => {
  it('L4: answers another organization’s volunteer 404 before the body is sent, reading none of it, and closes the connection', async () => {
    w = await uploadWorld();
    const other = await seedCenter(w.deps.db);
    const base = await listening(w.app);
    const stranger = await signIn(base, other.users.volunteer);
    // 6.9 MB declared, 64 kB sent: an answer now means the rest was never waited for.
    const body = multipartBody(SUID, 6.9 * MB);
    const { res } = await sendPart(`${base}${w.mine}?_csrf=${stranger.csrf}`, stranger.cookie, body, 64 * 1024);
    expect(res?.statusCode).toBe(404);
    expect(res?.headers.connection).toBe('close');
    expect(await w.counts()).toMatchObject({ withFile: 0, files: 0 });
  });

  it('L4: answers an upload without the CSRF token 403 before the body is sent, even from the center’s own volunteer', async () => {
    w = await uploadWorld();
    const base = await listening(w.app);
    const volunteer = await signIn(base, w.seeded.users.volunteer);
    const body = multipartBody({ ...SUID, _csrf: volunteer.csrf }, 6.9 * MB);
    // The token as a field is not read: the body is read after the check.
    const { res } = await sendPart(`${base}${w.mine}`, volunteer.cookie, body, 64 * 1024);
    expect(res?.statusCode).toBe(403);
    expect(res?.headers.connection).toBe('close');
  });

  it('L4: answers a signed-out upload before the body is sent', async () => {
    w = await uploadWorld();
    const base = await listening(w.app);
    const { res } = await sendPart(`${base}${w.mine}?_csrf=guess`, '', multipartBody(SUID, 6.9 * MB), 64 * 1024);
    expect(res?.statusCode).toBeGreaterThanOrEqual(300);
    expect(res?.statusCode).toBeLessThan(500);
  });

  it('L4: streams the file to a temporary file as it arrives, not into memory, and removes it when the client goes away', async () => {
    w = await uploadWorld();
    const base = await listening(w.app);
    const volunteer = await signIn(base, w.seeded.users.volunteer);
    const body = multipartBody(SUID, 4 * MB);
    const incoming = incomingDirOf(w.uploadsDir);
    const temp = () => (existsSync(incoming) ? readdirSync(incoming).map((f) => statSync(join(incoming, f)).size) : []);
    const { res, req } = await sendPart(`${base}${w.mine}?_csrf=${volunteer.csrf}`, volunteer.cookie, body, 3 * MB, 300);
    expect(res).toBeUndefined();
    // Most of the 3 MB sent is already on disk while the request is still open.
    const deadline = Date.now() + 3000;
    while (!(temp()[0]! > 2 * MB) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(temp()[0]).toBeGreaterThan(2 * MB);

    req.destroy();
    const gone = Date.now() + 3000;
    while (temp().length > 0 && Date.now() < gone) await new Promise((r) => setTimeout(r, 20));
    expect(temp()).toEqual([]);
    expect(await w.counts()).toMatchObject({ records: 4, withFile: 0, files: 0 });
  });

  it('L4: the page’s form carries the token in its action’s query string, and the request log never shows it', async () => {
    const lines: string[] = [];
    w = await uploadWorld();
    const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const app = createApp({ ...w.deps, log });
    const base = await listening(app);
    const volunteer = await signIn(base, w.seeded.users.volunteer);
    const page = await (await fetch(`${base}${w.mine}`, { headers: { cookie: volunteer.cookie } })).text();
    expect(page).toContain(`action="${w.mine}?_csrf=${volunteer.csrf}" enctype="multipart/form-data"`);
    expect(page).not.toMatch(/enctype="multipart\/form-data"[^>]*>\s*<input type="hidden" name="_csrf"/);

    const body = multipartBody(SUID, 10 * 1024);
    const res = await fetch(`${base}${w.mine}?_csrf=${volunteer.csrf}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: volunteer.cookie, 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
      body,
    });
    expect(res.status).toBe(303);
    expect(await w.counts()).toMatchObject({ withFile: 1, files: 1 });
    await new Promise((r) => setTimeout(r, 50));
    expect(lines.some((l) => l.includes('request.completed') && l.includes('/my/trainings'))).toBe(true);
    expect(lines.join('\n')).not.toContain(volunteer.csrf);
  });

  it('L4: refuses a NUL in a multipart field like in any other body (400), keeping nothing', async () => {
    w = await uploadWorld();
    const base = await listening(w.app);
    const volunteer = await signIn(base, w.seeded.users.volunteer);
    const res = await fetch(`${base}${w.mine}?_csrf=${volunteer.csrf}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: volunteer.cookie, 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
      body: multipartBody({ ...SUID, provider: 'Red\u0000Cross' }, 10 * 1024),
    });
    expect(res.status).toBe(400);
    expect(await w.counts()).toMatchObject({ records: 4, withFile: 0, files: 0 });
  });
});
