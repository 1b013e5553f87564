import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DateTime } from 'luxon';
import { parseConfig } from '../../src/config.js';
import { createCenter } from '../../src/db/centers.js';
import { createDb, migrateLatest, type Knex } from '../../src/db/knex.js';
import { createMembership } from '../../src/db/memberships.js';
import { createOrganization } from '../../src/db/organizations.js';
import { newId } from '../../src/db/rows.js';
import { createUser } from '../../src/db/users.js';
import { createLogger, type Logger } from '../../src/log.js';
import { hashPassword } from '../../src/passwords.js';
import { createApp } from '../../src/web/app.js';
import { createEventHub } from '../../src/web/events/hub.js';

/**
 * The board under load: a center of 20 rooms with 300 children checked in and 60
 * people present, GET /board at 32 connections against a plain express-handlebars
 * page of the same size with no database (target: at least 0.6 of its requests per
 * second), in alternating rounds so the machine's other work weighs on both alike;
 * then 200 open board streams and 20 check-ins, timing each event's arrival (target:
 * p99 under 20 ms after the check-in's response).
 */

export const CHEAP = { N: 2 ** 10, r: 8, p: 1 };
export const PASSWORD = 'bench password long enough';
const ZONE = 'America/Chicago';
const TRAININGS = ['orientation', 'suid', 'aht', 'first_aid', 'cpr', 'child_development'];
// Children per room of each kind, as weights: the board's center has 8, 14, 20 and 18.
const KINDS = [
  { category: 'infant', weight: 8, months: [3, 12], kindergarten: false },
  { category: 'toddler', weight: 14, months: [17, 30], kindergarten: false },
  { category: 'preschooler', weight: 20, months: [36, 54], kindergarten: false },
  { category: 'school_age', weight: 18, months: [72, 120], kindergarten: true },
] as const;
const ROLES = ['teacher', 'assistant_teacher', 'aide'] as const;

export type Shape = {
  /** Tells apart the users of several centers built on one database. */
  readonly tag: string;
  readonly rooms: number;
  readonly children: number;
  readonly people: number;
  /** Children and people already in their rooms since the morning (else nobody is). */
  readonly present: boolean;
  /** Children per room left at home, for check-ins (counted in `children`). */
  readonly waitingPerRoom: number;
  /** Staff accounts, one per tablet, besides the director. */
  readonly staffUsers: number;
};

export type BenchRoom = { readonly id: string; readonly name: string; readonly children: readonly string[]; readonly people: readonly string[]; readonly waiting: readonly string[] };
export type BenchCenter = {
  readonly centerId: string;
  readonly rooms: readonly BenchRoom[];
  readonly directorEmail: string;
  readonly staffEmails: readonly string[];
};

/** Splits `total` over `weights` in whole numbers that add up (largest remainder). */
function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const whole = exact.map(Math.floor);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0]);
  for (let k = 0, left = total - whole.reduce((a, b) => a + b, 0); k < left; k++) whole[order[k]![1]]!++;
  return whole;
}

/** A temporary SQLite file, migrated. */
export async function sqliteBenchDb(): Promise<{ db: Knex; file: string; remove(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'ratiowatch-bench-'));
  const file = join(dir, 'bench.sqlite');
  const db = createDb({ databaseUrl: undefined, dbFile: file });
  await migrateLatest(db);
  return { db, file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A center of `shape` on `db`: rooms cycling through infants, toddlers, preschool and
 * school-age, children of those ages, people (a teacher first in each room, all
 * cleared, trained and planned in their room all day), a director and `staffUsers`
 * staff accounts.
 */
export async function buildCenter(db: Knex, shape: Shape): Promise<BenchCenter> {
  const at = new Date();
  const today = DateTime.now().setZone(ZONE).startOf('day');
  const iso = at.toISOString();
  const org = await createOrganization(db, { name: `Bench org ${shape.tag}`, at });
  const center = await createCenter(db, { organizationId: org.id, name: `Bench center ${shape.tag}`, packId: 'MN', timeZone: ZONE, at });
  const passwordHash = await hashPassword(PASSWORD, CHEAP);
  const account = async (email: string, role: 'director' | 'staff') => {
    const user = await createUser(db, { email, displayName: `Bench ${role}`, passwordHash, at });
    if (!user.ok) throw new Error(`bench user ${email}`);
    await createMembership(db, { userId: user.user.id, organizationId: org.id, centerId: center.id, role, at });
    return email;
  };
  const directorEmail = await account(`bench-director-${shape.tag}@example.test`, 'director');
  const staffEmails: string[] = [];
  for (let i = 0; i < shape.staffUsers; i++) staffEmails.push(await account(`bench-staff-${shape.tag}-${i}@example.test`, 'staff'));

  const childCounts = apportion(shape.children, Array.from({ length: shape.rooms }, (_, r) => KINDS[r % 4]!.weight));
  const peopleCounts = apportion(shape.people, Array.from({ length: shape.rooms }, () => 1));
  const rows = { rooms: [], children: [], people: [], training_records: [], shift_templates: [], child_presences: [], person_presences: [] } as Record<string, Record<string, unknown>[]>;
  const built: BenchRoom[] = [];
  let n = 0;
  for (let r = 0; r < shape.rooms; r++) {
    const kind = KINDS[r % 4]!;
    const roomId = newId();
    const name = `Room ${String(r + 1).padStart(2, '0')}`;
    rows.rooms!.push({ id: roomId, center_id: center.id, name, age_categories: kind.category, licensed_capacity: 30, max_group_size: null, archived_at: null, created_at: iso });
    const room = { id: roomId, name, children: [] as string[], people: [] as string[], waiting: [] as string[] };
    const count = childCounts[r]!;
    for (let c = 0; c < count; c++) {
      const months = kind.months[0] + ((c * 7) % (kind.months[1] - kind.months[0]));
      const childId = newId();
      rows.children!.push({ id: childId, center_id: center.id, display_name: `Child ${++n}`, birth_date: today.minus({ months, days: c % 27 }).toISODate(), attends_kindergarten: kind.kindergarten, home_room_id: roomId, archived_at: null, created_at: iso });
      if (c >= count - shape.waitingPerRoom) room.waiting.push(childId);
      else {
        room.children.push(childId);
        if (shape.present) rows.child_presences!.push({ id: newId(), center_id: center.id, room_id: roomId, child_id: childId, started_at: today.plus({ hours: 7 }).toJSDate().toISOString(), ended_at: null });
      }
    }
    for (let p = 0; p < peopleCounts[r]!; p++) {
      const personId = newId();
      const role = ROLES[p % ROLES.length]!;
      rows.people!.push({ id: personId, center_id: center.id, display_name: `Person ${r}-${p}`, role, qualifies_as: null, birth_date: null, adult_attested: true, started_on: today.minus({ years: 1 }).toISODate(), background_study: 'cleared', background_cleared_on: today.minus({ months: 6 }).toISODate(), background_expires_on: null, archived_at: null, created_at: iso });
      for (const t of TRAININGS) rows.training_records!.push({ id: newId(), center_id: center.id, person_id: personId, training_id: t, completed_on: today.minus({ months: 2 }).toISODate(), status: 'verified', created_at: iso });
      // Planned in their room all of today, as a center's usual week plans its staff: an arrival
      // then finds its shift, as on a real morning, and records none ("until when?").
      rows.shift_templates!.push({ id: newId(), center_id: center.id, person_id: personId, room_id: roomId, weekday: today.weekday, start: '00:00', end: '23:59', break_start: null, break_end: null, created_at: iso });
      if (shape.present) rows.person_presences!.push({ id: newId(), center_id: center.id, room_id: roomId, person_id: personId, started_at: today.plus({ hours: 6, minutes: 30 }).toJSDate().toISOString(), ended_at: null });
      room.people.push(personId);
    }
    built.push(room);
  }
  // SQLite caps bound parameters per statement: insert in chunks.
  for (const [table, list] of Object.entries(rows)) await db.batchInsert(table, list, 50);
  return { centerId: center.id, rooms: built, directorEmail, staffEmails };
}

export function listen(handler: RequestListener): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  server.keepAliveTimeout = 30_000;
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

export async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
}

/** Signs in through the form; answers the session cookie and this session's CSRF token. */
export async function signIn(url: string, email: string): Promise<{ cookie: string; csrf: string }> {
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
  // Read to the end: express-session holds a response's last byte until the session is saved.
  await res.text();
  const signedIn = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  const home = await fetch(`${url}/`, { headers: { cookie: signedIn }, redirect: 'manual' });
  if (home.status !== 200) throw new Error(`bench: signed in, yet home answered ${home.status}`);
  return { cookie: signedIn, csrf: /name="_csrf" value="([^"]+)"/.exec(await home.text())![1]! };
}

/** BENCH_LOG_LEVEL=silent measures without the request log. */
export function benchConfig() {
  return parseConfig({ NODE_ENV: 'production', LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info', DB_FILE: ':memory:' });
}

/** The app's logger as in production (a line per request, batched, asynchronous), to /dev/null. */
export function benchLogger(): Logger {
  return createLogger(benchConfig(), { dest: '/dev/null' });
}

const AUTOCANNON = fileURLToPath(import.meta.resolve('autocannon/autocannon.js'));
const BASELINE_SERVER = fileURLToPath(new URL('./baseline-server.ts', import.meta.url));

/** The first line a child process prints (the baseline server's URL). */
export async function firstLine(child: ChildProcess): Promise<string> {
  let out = '';
  child.stdout!.setEncoding('utf8');
  for await (const chunk of child.stdout!) {
    out += chunk as string;
    const end = out.indexOf('\n');
    if (end >= 0) return out.slice(0, end).trim();
  }
  throw new Error('bench: the baseline server ended before it printed its URL');
}

/** Requests per second and p99 latency, and this process's CPU time (every thread: JavaScript, SQLite, I/O) per request. */
type Load = { readonly rps: number; readonly p99: number; readonly cpuUs: number };

/** The server's CPU time so far in µs: this process's, or (the baseline) its own process's. */
type CpuClock = () => Promise<number>;
const thisProcess: CpuClock = async () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

/** autocannon in a child process, so the load generator does not share the server's thread. */
async function load(url: string, headers: Record<string, string>, seconds: number, cpuOf: CpuClock = thisProcess): Promise<Load> {
  const args = [AUTOCANNON, '--json', '-c', '32', '-d', String(seconds)];
  for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}=${v}`);
  args.push(url);
  const before = await cpuOf();
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  const [code] = (await once(child, 'close')) as [number];
  const used = { user: (await cpuOf()) - before, system: 0 };
  if (code !== 0) throw new Error(`autocannon exited ${code}`);
  const result = JSON.parse(out) as { requests: { average: number; total: number }; latency: { p99: number }; non2xx: number; errors: number };
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`bench: ${result.non2xx} non-2xx and ${result.errors} errors at ${url}`);
  return { rps: result.requests.average, p99: result.latency.p99, cpuUs: (used.user + used.system) / Math.max(1, result.requests.total) };
}

export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const median = (xs: readonly number[]) => percentile([...xs].sort((a, b) => a - b), 50);

/** The board's targets (issue #18): GET /board at least this share of the static baseline's requests per second; response -> event p99 under this with 200 streams. */
export const BOARD_RATIO_TARGET = 0.6;
export const BOARD_EVENT_P99_TARGET_MS = 20;
/** Every figure's verdict is printed in these words. */
export const verdict = (ok: boolean) => (ok ? 'MET' : 'NOT MET');

export async function benchBoard(log: (line: string) => void): Promise<void> {
  const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
  const seconds = Math.max(1, Number(process.env.BENCH_SECONDS ?? 4));
  const { db, file, remove } = await sqliteBenchDb();
  const built = await buildCenter(db, { tag: 'board', rooms: 20, children: 320, people: 60, present: true, waitingPerRoom: 1, staffUsers: 0 });
  const events = createEventHub();
  const app = createApp({ db, config: benchConfig(), log: benchLogger(), clock: { now: () => new Date() }, events, passwordParams: CHEAP });
  app.enable('view cache');
  const { server, url } = await listen(app);
  const baselineDir = mkdtempSync(join(tmpdir(), 'ratiowatch-baseline-'));
  let baselineProcess: ChildProcess | undefined;
  const streams: IncomingMessage[] = [];
  try {
    const { cookie, csrf } = await signIn(url, built.directorEmail);
    const boardUrl = `${url}/centers/${built.centerId}/board`;
    const page = await (await fetch(boardUrl, { headers: { cookie } })).text();
    if (!page.includes('Room 20')) throw new Error('bench: the board does not show the center');

    // The baseline: plain express + express-handlebars rendering a static page of the board's size, no database,
    // in a process of its own, so the app's heap and caches weigh on the app's figures only.
    mkdirSync(join(baselineDir, 'layouts'));
    writeFileSync(join(baselineDir, 'static.hbs'), page.replaceAll('{{', '\\{{'));
    baselineProcess = spawn(process.execPath, ['--import', 'tsx', BASELINE_SERVER, baselineDir], { stdio: ['ignore', 'pipe', 'inherit'] });
    const base = { url: await firstLine(baselineProcess) };
    const baselineCpu: CpuClock = async () => ((await (await fetch(`${base.url}/__cpu`)).json()) as { us: number }).us;
    if (!(await (await fetch(`${base.url}/`)).text()).includes('Room 20')) throw new Error('bench: the baseline does not show the page');

    await load(boardUrl, { cookie }, 1); // warm-up
    await load(`${base.url}/`, {}, 1, baselineCpu);
    // Alternating rounds: the machine's other work (other processes) weighs on board and baseline alike.
    const board: Load[] = [];
    const plain: Load[] = [];
    const me: Load[] = [];
    for (let i = 0; i < rounds; i++) {
      board.push(await load(boardUrl, { cookie }, seconds));
      plain.push(await load(`${base.url}/`, {}, seconds, baselineCpu));
      // The floor any signed-in page of this app pays (session, user, headers, layout), for reading the ratio.
      me.push(await load(`${url}/me`, { cookie }, seconds));
    }
    const line = (xs: Load[]) => {
      const rps = xs.map((x) => x.rps);
      return `best ${Math.max(...rps).toFixed(0)}, median ${median(rps).toFixed(0)} req/s; p99 median ${median(xs.map((x) => x.p99))} ms; CPU ${median(xs.map((x) => x.cpuUs)).toFixed(0)} µs/request  (rounds: ${rps.map((r) => r.toFixed(0)).join(', ')})`;
    };
    const cpuRatio = median(plain.map((x) => x.cpuUs)) / median(board.map((x) => x.cpuUs));
    const ratios = board.map((b, i) => b.rps / plain[i]!.rps);
    const ratio = median(ratios);
    const best = Math.max(...board.map((b) => b.rps)) / Math.max(...plain.map((b) => b.rps));
    const logging = benchConfig().logLevel === 'silent' ? 'request log off' : 'request log on (info, to /dev/null)';
    log(`board (20 rooms, 300 children, 60 people; ${Math.round(page.length / 1024)} kB), 32 connections, ${rounds} alternating rounds of ${seconds} s, ${logging}:`);
    log(`  GET /board:        ${line(board)}`);
    log(`  static baseline:   ${line(plain)}`);
    log(`  ratio per round ${ratios.map((r) => r.toFixed(2)).join(', ')}; median ${ratio.toFixed(2)}, best/best ${best.toFixed(2)} (target: median >= ${BOARD_RATIO_TARGET}): ${verdict(ratio >= BOARD_RATIO_TARGET)}`);
    // Throughput on a shared machine moves with everyone else's work; CPU spent per request moves far less.
    log(`  CPU per request, baseline/board ${cpuRatio.toFixed(2)} (what the ratio would be if both were CPU-bound on an otherwise idle machine)`);
    log(`  for reference, GET /me (signed in, no board work): ${line(me)}`);

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
    for (const room of built.rooms) {
      const childId = room.waiting[0]!;
      arrivals.set(room.id, []);
      const sent = performance.now();
      const res = await fetch(`${url}/centers/${built.centerId}/rooms/${room.id}/check-ins`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: csrf, childId }),
      });
      const answered = performance.now();
      if (res.status !== 303) throw new Error(`bench check-in: ${res.status}`);
      const deadline = Date.now() + 5000;
      while (arrivals.get(room.id)!.length < 200 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1));
      const got = arrivals.get(room.id)!;
      if (got.length < 200) throw new Error(`bench: only ${got.length} of 200 streams got the event`);
      for (const t of got) {
        // The card is published before the redirect is sent, so an event may beat the response: that counts as 0.
        fromResponse.push(Math.max(0, t - answered));
        fromRequest.push(t - sent);
      }
      arrivals.delete(room.id);
    }
    fromResponse.sort((a, b) => a - b);
    fromRequest.sort((a, b) => a - b);
    const p99 = percentile(fromResponse, 99);
    log('board events, 200 open streams, 20 check-ins (4,000 deliveries):');
    log(`  response -> event: p50 ${percentile(fromResponse, 50).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms (target p99 < ${BOARD_EVENT_P99_TARGET_MS} ms): ${verdict(p99 < BOARD_EVENT_P99_TARGET_MS)}`);
    log(`  request sent -> event: p50 ${percentile(fromRequest, 50).toFixed(1)} ms, p99 ${percentile(fromRequest, 99).toFixed(1)} ms`);
  } finally {
    for (const s of streams) s.destroy();
    events.closeAll();
    await closeServer(server);
    if (baselineProcess && baselineProcess.exitCode === null) {
      baselineProcess.kill('SIGTERM');
      await once(baselineProcess, 'exit');
    }
    if (process.env.BENCH_KEEP) log(`kept ${file}`);
    else {
      await new Promise((r) => setTimeout(r, 200));
      await db.destroy();
      remove();
    }
    rmSync(baselineDir, { recursive: true, force: true });
  }
}
