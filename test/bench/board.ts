import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { engine } from 'express-handlebars';
import { DateTime } from 'luxon';
import { parseConfig } from '../../src/config.js';
import { createCenter } from '../../src/db/centers.js';
import { createDb, migrateLatest, type Knex } from '../../src/db/knex.js';
import { createMembership } from '../../src/db/memberships.js';
import { createOrganization } from '../../src/db/organizations.js';
import { newId } from '../../src/db/rows.js';
import { createUser } from '../../src/db/users.js';
import { createLogger } from '../../src/log.js';
import { hashPassword } from '../../src/passwords.js';
import { createApp } from '../../src/web/app.js';
import { createEventHub } from '../../src/web/events/hub.js';

/**
 * The board under load: a center of 20 rooms with 300 children checked in and 60
 * people present, GET /board at 32 connections against a plain express-handlebars
 * page of the same size with no database (target: at least half its requests per
 * second); then 200 open board streams and 20 check-ins, timing each event's arrival.
 */

const CHEAP = { N: 2 ** 10, r: 8, p: 1 };
const PASSWORD = 'bench password long enough';
const ZONE = 'America/Chicago';
const TRAININGS = ['orientation', 'suid', 'aht', 'first_aid', 'cpr', 'child_development'];
const KINDS = [
  { category: 'infant', children: 8, months: [3, 12], kindergarten: false },
  { category: 'toddler', children: 14, months: [17, 30], kindergarten: false },
  { category: 'preschooler', children: 20, months: [36, 54], kindergarten: false },
  { category: 'school_age', children: 18, months: [72, 120], kindergarten: true },
] as const;
const STAFF = [
  { role: 'teacher', qualifies_as: null },
  { role: 'assistant_teacher', qualifies_as: null },
  { role: 'aide', qualifies_as: null },
] as const;

type Built = { db: Knex; file: string; centerId: string; roomIds: string[]; waiting: string[]; email: string; remove(): void };

async function buildCenter(): Promise<Built> {
  const dir = mkdtempSync(join(tmpdir(), 'ratiowatch-bench-'));
  const db = createDb({ databaseUrl: undefined, dbFile: join(dir, 'bench.sqlite') });
  await migrateLatest(db);
  const at = new Date();
  const today = DateTime.now().setZone(ZONE).startOf('day');
  const iso = at.toISOString();
  const org = await createOrganization(db, { name: 'Bench org', at });
  const center = await createCenter(db, { organizationId: org.id, name: 'Bench center', packId: 'MN', timeZone: ZONE, at });
  const email = 'bench-director@example.test';
  const user = await createUser(db, { email, displayName: 'Bench Director', passwordHash: await hashPassword(PASSWORD, CHEAP), at });
  if (!user.ok) throw new Error('bench user');
  await createMembership(db, { userId: user.user.id, organizationId: org.id, centerId: center.id, role: 'director', at });

  const rooms: Record<string, unknown>[] = [];
  const children: Record<string, unknown>[] = [];
  const people: Record<string, unknown>[] = [];
  const trainings: Record<string, unknown>[] = [];
  const childPresences: Record<string, unknown>[] = [];
  const personPresences: Record<string, unknown>[] = [];
  const waiting: string[] = [];
  let n = 0;
  for (let r = 0; r < 20; r++) {
    const kind = KINDS[r % 4]!;
    const roomId = newId();
    rooms.push({ id: roomId, center_id: center.id, name: `Room ${String(r + 1).padStart(2, '0')}`, age_categories: kind.category, licensed_capacity: 30, max_group_size: null, archived_at: null, created_at: iso });
    for (let c = 0; c < kind.children + 1; c++) {
      const months = kind.months[0] + ((c * 7) % (kind.months[1] - kind.months[0]));
      const childId = newId();
      children.push({ id: childId, center_id: center.id, display_name: `Child ${++n}`, birth_date: today.minus({ months, days: c % 27 }).toISODate(), attends_kindergarten: kind.kindergarten, home_room_id: roomId, archived_at: null, created_at: iso });
      // One child per room stays home, for the check-ins that time the events.
      if (c === kind.children) waiting.push(`${roomId}:${childId}`);
      else childPresences.push({ id: newId(), center_id: center.id, room_id: roomId, child_id: childId, started_at: today.plus({ hours: 7 }).toJSDate().toISOString(), ended_at: null });
    }
    for (const s of STAFF) {
      const personId = newId();
      people.push({ id: personId, center_id: center.id, display_name: `Person ${r}-${s.role}`, role: s.role, qualifies_as: s.qualifies_as, birth_date: null, adult_attested: true, started_on: today.minus({ years: 1 }).toISODate(), background_study: 'cleared', background_cleared_on: today.minus({ months: 6 }).toISODate(), background_expires_on: null, archived_at: null, created_at: iso });
      for (const t of TRAININGS) trainings.push({ id: newId(), center_id: center.id, person_id: personId, training_id: t, completed_on: today.minus({ months: 2 }).toISODate(), status: 'verified', created_at: iso });
      personPresences.push({ id: newId(), center_id: center.id, room_id: roomId, person_id: personId, started_at: today.plus({ hours: 6, minutes: 30 }).toJSDate().toISOString(), ended_at: null });
    }
  }
  // SQLite caps bound parameters per statement: insert in chunks.
  for (const [table, rows] of [['rooms', rooms], ['children', children], ['people', people], ['training_records', trainings], ['child_presences', childPresences], ['person_presences', personPresences]] as const) {
    await db.batchInsert(table, rows, 50);
  }
  return { db, file: join(dir, 'bench.sqlite'), centerId: center.id, roomIds: rooms.map((r) => String(r.id)), waiting, email, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

function listen(handler: RequestListener): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  server.keepAliveTimeout = 30_000;
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

/** Signs in through the form; answers the session cookie and this session's CSRF token. */
async function signIn(url: string, email: string): Promise<{ cookie: string; csrf: string }> {
  const page = await fetch(`${url}/sign-in`);
  const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0]!;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
  const res = await fetch(`${url}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, email, password: PASSWORD }),
  });
  if (res.status !== 303) throw new Error(`bench sign-in: ${res.status}`);
  const signedIn = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  const home = await fetch(`${url}/`, { headers: { cookie: signedIn } });
  return { cookie: signedIn, csrf: /name="_csrf" value="([^"]+)"/.exec(await home.text())![1]! };
}

const AUTOCANNON = fileURLToPath(import.meta.resolve('autocannon/autocannon.js'));

/** autocannon in a child process, so the load generator does not share the server's thread. */
async function load(url: string, headers: Record<string, string>, seconds = 5) {
  const args = [AUTOCANNON, '--json', '-c', '32', '-d', String(seconds)];
  for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}=${v}`);
  args.push(url);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  const [code] = (await once(child, 'close')) as [number];
  if (code !== 0) throw new Error(`autocannon exited ${code}`);
  const result = JSON.parse(out) as { requests: { average: number }; latency: { p99: number }; non2xx: number; errors: number };
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`bench: ${result.non2xx} non-2xx and ${result.errors} errors at ${url}`);
  return { rps: result.requests.average, p99: result.latency.p99 };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export async function benchBoard(log: (line: string) => void): Promise<void> {
  const built = await buildCenter();
  const config = parseConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', DB_FILE: ':memory:' });
  const events = createEventHub();
  const app = createApp({ db: built.db, config, log: createLogger(config), clock: { now: () => new Date() }, events, passwordParams: CHEAP });
  app.enable('view cache');
  const { server, url } = await listen(app);
  const baselineDir = mkdtempSync(join(tmpdir(), 'ratiowatch-baseline-'));
  let baselineServer: Server | undefined;
  const streams: IncomingMessage[] = [];
  try {
    const { cookie, csrf } = await signIn(url, built.email);
    const boardUrl = `${url}/centers/${built.centerId}/board`;
    const page = await (await fetch(boardUrl, { headers: { cookie } })).text();
    if (!page.includes('Room 20')) throw new Error('bench: the board does not show the center');

    // The baseline: plain express + express-handlebars rendering a static page of the board's size, no database.
    mkdirSync(join(baselineDir, 'layouts'));
    writeFileSync(join(baselineDir, 'static.hbs'), page.replaceAll('{{', '\\{{'));
    const baseline = express();
    baseline.engine('hbs', engine({ extname: '.hbs', defaultLayout: false, layoutsDir: join(baselineDir, 'layouts') }));
    baseline.set('view engine', 'hbs');
    baseline.set('views', baselineDir);
    baseline.enable('view cache');
    baseline.get('/', (_req, res) => res.render('static'));
    const base = await listen(baseline);
    baselineServer = base.server;

    await load(boardUrl, { cookie }, 1); // warm-up
    const board = await load(boardUrl, { cookie });
    const plain = await load(`${base.url}/`, {});
    // The floor any signed-in page of this app pays (session, user, membership, headers, layout), for reading the ratio.
    const me = await load(`${url}/me`, { cookie });
    const ratio = board.rps / plain.rps;
    log(`board (20 rooms, 300 children, 60 people; ${Math.round(page.length / 1024)} kB), 32 connections, 5 s:`);
    log(`  GET /board:        ${board.rps.toFixed(0)} req/s, p99 ${board.p99} ms`);
    log(`  static baseline:   ${plain.rps.toFixed(0)} req/s, p99 ${plain.p99} ms`);
    log(`  ratio ${ratio.toFixed(2)} (target >= 0.5): ${ratio >= 0.5 ? 'met' : 'NOT MET'}`);
    log(`  for reference, GET /me (signed in, no board work): ${me.rps.toFixed(0)} req/s, p99 ${me.p99} ms; the board is ${(board.rps / me.rps).toFixed(2)} of it`);

    // 200 board streams, then 20 check-ins: response -> event at every stream.
    const eventsUrl = new URL(`${boardUrl}/events`);
    const arrivals = new Map<string, number[]>();
    await Promise.all(
      Array.from(
        { length: 200 },
        () =>
          new Promise<void>((resolve, reject) => {
            const req = httpRequest(eventsUrl, { headers: { cookie, accept: 'text/event-stream' }, agent: false }, (res) => {
              streams.push(res);
              res.setEncoding('utf8');
              let buffer = '';
              res.on('data', (chunk: string) => {
                buffer += chunk;
                let end: number;
                while ((end = buffer.indexOf('\n\n')) >= 0) {
                  const message = buffer.slice(0, end);
                  buffer = buffer.slice(end + 2);
                  const id = /^id: (.+)$/m.exec(message)?.[1];
                  if (id && message.startsWith('event: room-card')) arrivals.get(id)?.push(performance.now());
                }
              });
              resolve();
            });
            req.on('error', reject);
            req.end();
          }),
      ),
    );
    while (events.listenerCount(built.centerId) < 200) await new Promise((r) => setTimeout(r, 10));

    const fromResponse: number[] = [];
    const fromRequest: number[] = [];
    for (const item of built.waiting) {
      const [roomId, childId] = item.split(':') as [string, string];
      arrivals.set(roomId, []);
      const sent = performance.now();
      const res = await fetch(`${url}/centers/${built.centerId}/rooms/${roomId}/check-ins`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: csrf, childId }),
      });
      const answered = performance.now();
      if (res.status !== 303) throw new Error(`bench check-in: ${res.status}`);
      const deadline = Date.now() + 5000;
      while (arrivals.get(roomId)!.length < 200 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1));
      const got = arrivals.get(roomId)!;
      if (got.length < 200) throw new Error(`bench: only ${got.length} of 200 streams got the event`);
      for (const t of got) {
        // The card is published before the redirect is sent, so an event may beat the response: that counts as 0.
        fromResponse.push(Math.max(0, t - answered));
        fromRequest.push(t - sent);
      }
      arrivals.delete(roomId);
    }
    fromResponse.sort((a, b) => a - b);
    fromRequest.sort((a, b) => a - b);
    const p99 = percentile(fromResponse, 99);
    log('board events, 200 open streams, 20 check-ins (4,000 deliveries):');
    log(`  response -> event: p50 ${percentile(fromResponse, 50).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms (target p99 < 100 ms): ${p99 < 100 ? 'met' : 'NOT MET'}`);
    log(`  request sent -> event: p50 ${percentile(fromRequest, 50).toFixed(1)} ms, p99 ${percentile(fromRequest, 99).toFixed(1)} ms`);
  } finally {
    for (const s of streams) s.destroy();
    events.closeAll();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    if (baselineServer) {
      baselineServer.closeAllConnections();
      await new Promise((r) => baselineServer!.close(r));
    }
    if (process.env.BENCH_KEEP) log(`kept ${built.file}`);
    else {
      await new Promise((r) => setTimeout(r, 200));
      await built.db.destroy();
      built.remove();
    }
    rmSync(baselineDir, { recursive: true, force: true });
  }
}
