import { once } from 'node:events';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type Deps } from '../../../src/web/app.js';
import { createEventHub, streamSessionKey, type EventHub } from '../../../src/web/events/hub.js';
import { createPgEventHub } from '../../../src/web/events/pg-hub.js';
import { csrfFrom } from '../../support/agent.js';
import { seedCenter, TEST_PASSWORD, type SeededCenter, type TestUser } from '../../support/builders.js';
import { testEngine } from '../../support/db.js';
import { testDeps, type TestClock } from '../../support/deps.js';

let deps: Deps;
let clock: TestClock;
let seeded: SeededCenter;
let destroy: () => Promise<void>;
const servers: Server[] = [];
const responses: IncomingMessage[] = [];
const hubs: EventHub[] = [];

beforeEach(async () => {
  const t = await testDeps('2026-03-02T12:45:00Z');
  ({ clock, destroy } = t);
  deps = t.deps;
  seeded = await seedCenter(deps.db);
});
afterEach(async () => {
  for (const r of responses.splice(0)) r.destroy();
  for (const hub of hubs.splice(0)) await hub.close();
  // Let the servers see the streams close before the database goes.
  await new Promise((r) => setTimeout(r, 100));
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
  await destroy();
});

/** An app process of its own (its own hub) on the shared database, listening on a free port. */
async function serve(heartbeatMs: number): Promise<{ base: string; hub: EventHub }> {
  const hub = createEventHub({ heartbeatMs });
  hubs.push(hub);
  const server = createServer(createApp({ ...deps, events: hub }));
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hub };
}

/** Signs in over HTTP: the session cookie and this session's form token. */
async function signIn(base: string, user: TestUser): Promise<{ cookie: string; csrf: string; sid: string }> {
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
  const home = await fetch(`${base}/`, { headers: { cookie: cookie() } });
  const sid = decodeURIComponent(jar.get('rw.sid')!.split('=')[1]!).replace(/^s:/, '').replace(/\..*$/, '');
  return { cookie: cookie(), csrf: csrfFrom(await home.text()), sid };
}

const signOut = async (base: string, s: { cookie: string; csrf: string }) => {
  const res = await fetch(`${base}/sign-out`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: s.csrf }),
  });
  expect(res.status).toBe(303);
};

/** A board's event stream, as EventSource opens it; `ended` settles when the server ends it. */
function connect(url: string, cookie: string): Promise<{ res: IncomingMessage; ended: Promise<void>; isOpen(): boolean }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers: { cookie, accept: 'text/event-stream' } }, (res) => {
      responses.push(res);
      let open = true;
      const ended = new Promise<void>((r) => res.on('close', () => r()));
      void ended.then(() => (open = false));
      res.resume();
      resolve({ res, ended, isOpen: () => open });
    });
    req.on('error', reject);
    req.end();
  });
}

const within = (p: Promise<void>, ms: number) => Promise.race([p.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);

async function until(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  return check();
}

const boardOf = (base: string) => `${base}/centers/${seeded.center.id}/board`;

describe('GET /centers/:centerId/board/events at sign-out', () => {
  it('L1: closes a board stream the moment its session signs out, long before a heartbeat', async () => {
    const { base, hub } = await serve(60_000);
    const session = await signIn(base, seeded.users.director);
    const stream = await connect(`${boardOf(base)}/events`, session.cookie);
    expect(stream.res.statusCode).toBe(200);
    expect(await until(() => hub.listenerCount(seeded.center.id) === 1, 1000)).toBe(true);

    await signOut(base, session);
    expect(await within(stream.ended, 1000)).toBe(true);
    expect(hub.listenerCount(seeded.center.id)).toBe(0);
  });

  it('L1: leaves open the streams of the same user’s other sessions', async () => {
    const { base, hub } = await serve(60_000);
    const tablet = await signIn(base, seeded.users.director);
    const office = await signIn(base, seeded.users.director);
    const onTablet = await connect(`${boardOf(base)}/events`, tablet.cookie);
    const inOffice = await connect(`${boardOf(base)}/events`, office.cookie);
    expect(await until(() => hub.listenerCount(seeded.center.id) === 2, 1000)).toBe(true);

    await signOut(base, tablet);
    expect(await within(onTablet.ended, 1000)).toBe(true);
    expect(inOffice.isOpen()).toBe(true);
    expect(hub.listenerCount(seeded.center.id)).toBe(1);
  });

  it('L1: closes the stream at the next heartbeat when the session was signed out where its hub did not hear of it', async () => {
    // Two app processes on one database, each with its own hub: the sign-out happens on the other one.
    const here = await serve(50);
    const there = await serve(60_000);
    const session = await signIn(here.base, seeded.users.staff);
    const stream = await connect(`${boardOf(here.base)}/events`, session.cookie);
    expect(await until(() => here.hub.listenerCount(seeded.center.id) === 1, 1000)).toBe(true);

    await signOut(there.base, session);
    expect(await within(stream.ended, 2000)).toBe(true);
    expect(here.hub.listenerCount(seeded.center.id)).toBe(0);
  });

  it('L1: a stream that ends after its sign-out does not bring the signed-out session back', async () => {
    const { base, hub } = await serve(60_000);
    const session = await signIn(base, seeded.users.director);
    // Past the minute after which a request moves the session's seenAt: the stream's session is changed.
    clock.advance(2 * 60 * 1000);
    const stream = await connect(`${boardOf(base)}/events`, session.cookie);
    expect(await until(() => hub.listenerCount(seeded.center.id) === 1, 1000)).toBe(true);
    await signOut(base, session);
    stream.res.destroy();
    await stream.ended;
    await until(() => hub.listenerCount(seeded.center.id) === 0, 1000);
    await new Promise((r) => setTimeout(r, 100));

    // The old cookie (a stolen one, or the tablet's own) opens nothing, and no row holds the session.
    const again = await fetch(boardOf(base), { headers: { cookie: session.cookie }, redirect: 'manual' });
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toBe('/sign-in');
    expect(await deps.db('sessions').where({ sid: session.sid }).first()).toBeUndefined();
  });
});

describe('the event hub', () => {
  it('L1: files streams under a digest of the session id, and closeSession ends only that session’s streams', () => {
    const hub = createEventHub();
    hubs.push(hub);
    const closed: string[] = [];
    hub.stream('c1', () => undefined, () => closed.push('a'), streamSessionKey('sid-a'));
    hub.stream('c1', () => undefined, () => closed.push('b'), streamSessionKey('sid-b'));
    expect(streamSessionKey('sid-a')).not.toContain('sid-a');
    hub.closeSession(streamSessionKey('sid-a'));
    expect(closed).toEqual(['a']);
    hub.closeSession(streamSessionKey('sid-a'));
    expect(closed).toEqual(['a']);
  });
});

describe.runIf(testEngine() === 'pg')('the event hub on PostgreSQL', () => {
  it('L1: a session ending in one app process closes its streams in the others at once, by its digest only', async () => {
    const a = await createPgEventHub({ db: deps.db, log: deps.log, heartbeatMs: 60_000 });
    hubs.push(a);
    const b = await createPgEventHub({ db: deps.db, log: deps.log, heartbeatMs: 60_000 });
    hubs.push(b);
    const closed: string[] = [];
    // As the board route does: closing a stream unsubscribes it.
    const off: (() => void)[] = [];
    off.push(b.stream(seeded.center.id, () => undefined, () => (closed.push('signed out'), off[0]!()), streamSessionKey('sid-1')));
    off.push(b.stream(seeded.center.id, () => undefined, () => (closed.push('other'), off[1]!()), streamSessionKey('sid-2')));
    a.closeSession(streamSessionKey('sid-1'));
    expect(await until(() => closed.length > 0, 2000)).toBe(true);
    await new Promise((r) => setTimeout(r, 100));
    expect(closed).toEqual(['signed out']);
    expect(b.listenerCount(seeded.center.id)).toBe(1);
  });
});
