/**
 * Crash safety: the server runs as a real process on a SQLite file (WAL,
 * synchronous=FULL), four tablets check children and people in, out and between
 * rooms at the same time (two post forms as a browser does, two ask for JSON), and
 * the process is killed with SIGKILL mid-stream. After a restart on the same file
 * every write that was answered as done is there with its time, nothing is
 * half-written (an interval, its audit entry and a move's two halves are all or
 * nothing), the audit chain verifies, and the restarted server takes the rest of the
 * morning's writes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb, type Knex } from '../../src/db/knex.js';
import { DEMO_PASSWORD } from '../../src/db/seed-demo.js';
import { runCliProcess } from '../support/cli.js';
import { signInOverHttp, startServerProcess, type HttpSession, type ServerProcess } from '../support/server-process.js';

const TOTAL_WRITES = 200;
const KILL_AFTER_ANSWERED = 100;
const STREAMS = 4;

type Subject = 'child' | 'person';
type Kind = 'start' | 'end' | 'move';
type Write = {
  readonly subject: Subject;
  readonly kind: Kind;
  readonly subjectId: string;
  readonly roomId: string;
  readonly toRoomId?: string;
  readonly sentAt: number;
  /** Sent as a browser sends a form (success is a 303 back to the room), else asking for JSON (success is 2xx). */
  readonly asForm: boolean;
  answeredAt?: number;
  status?: number;
  location?: string | null;
  body?: unknown;
  /** The connection dropped: the server died with the request in flight. */
  lost?: boolean;
};

const TABLE = { child: 'child_presences', person: 'person_presences' } as const;
const COLUMN = { child: 'child_id', person: 'person_id' } as const;
const PATH: Record<Subject, Record<Kind, string>> = {
  child: { start: 'check-ins', end: 'check-outs', move: 'child-moves' },
  person: { start: 'arrivals', end: 'departures', move: 'person-moves' },
};

type PresenceRow = { id: string; room_id: string; subject_id: string; started_at: string; ended_at: string | null; started_by_user_id: string | null; ended_by_user_id: string | null };
type AuditRow = { id: number; action: string; record_id: string | null; changes: string };

// Deterministic choices (mulberry32), so a failure can be replayed.
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const dir = mkdtempSync(join(tmpdir(), 'ratiowatch-crash-'));
const dbFile = join(dir, 'db.sqlite');
let server: ServerProcess | undefined;
afterAll(async () => {
  await server?.kill9();
  rmSync(dir, { recursive: true, force: true });
});

/** Reads the file as the next process would find it; closed again before returning. */
async function withDb<T>(fn: (db: Knex) => Promise<T>): Promise<T> {
  const db = createDb({ databaseUrl: undefined, dbFile });
  try {
    return await fn(db);
  } finally {
    await db.destroy();
  }
}

type World = { centerId: string; roomIds: string[]; open: Map<string, string | null>; subjects: { subject: Subject; id: string }[] };

/** The demo center's rooms, children and people, and who is in which room now. */
async function readWorld(): Promise<World> {
  return withDb(async (db) => {
    const center = (await db('centers').where({ is_demo: true }).first('id')) as { id: string };
    const roomIds = ((await db('rooms').where({ center_id: center.id }).whereNull('archived_at').orderBy('name').select('id')) as { id: string }[]).map((r) => r.id);
    const open = new Map<string, string | null>();
    const subjects: World['subjects'] = [];
    // Only those the rules let into a room: no one whose background study is not cleared (Carl Mendez's is
    // submitted: present only under supervision), no child younger than Minnesota's 6 weeks (Ava K.).
    const sevenWeeksAgo = new Date(Date.now() - 49 * 86_400_000).toISOString().slice(0, 10);
    for (const subject of ['child', 'person'] as const) {
      const table = subject === 'child' ? 'children' : 'people';
      const q = db(table).where({ center_id: center.id }).whereNull('archived_at');
      if (subject === 'person') q.where({ background_study: 'cleared' });
      else q.where('birth_date', '<=', sevenWeeksAgo);
      const ids = ((await q.orderBy('id').select('id')) as { id: string }[]).map((r) => r.id);
      for (const id of ids) {
        subjects.push({ subject, id });
        open.set(id, null);
      }
      for (const p of (await db(TABLE[subject]).where({ center_id: center.id }).whereNull('ended_at').select(`${COLUMN[subject]} as subject_id`, 'room_id')) as { subject_id: string; room_id: string }[]) {
        open.set(p.subject_id, p.room_id);
      }
    }
    return { centerId: center.id, roomIds, open, subjects };
  });
}

/**
 * Drives writes in `STREAMS` concurrent streams until `count` have been sent or `stopped()`.
 * Each stream owns its own children and people, so it knows where each one is and
 * every write it sends should succeed; the streams share the rooms.
 */
async function drive(
  sessions: HttpSession[],
  world: World,
  count: number,
  seed: number,
  writes: Write[],
  afterAnswer: (w: Write) => void = () => {},
  stopped: () => boolean = () => false,
): Promise<Write[]> {
  const rnd = random(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const stream = async (s: number) => {
    const mine = world.subjects.filter((_, i) => i % STREAMS === s);
    const session = sessions[s % sessions.length]!;
    for (let turn = 0; writes.length < count && !stopped(); turn += 1) {
      const { subject, id } = mine[turn % mine.length]!;
      const at = world.open.get(id) ?? null;
      const kind: Kind = at === null ? 'start' : rnd() < 0.5 ? 'move' : 'end';
      const roomId = at ?? pick(world.roomIds);
      const toRoomId = kind === 'move' ? pick(world.roomIds.filter((r) => r !== roomId)) : undefined;
      const write: Write = { subject, kind, subjectId: id, roomId, toRoomId, asForm: s % 2 === 1, sentAt: Date.now() };
      writes.push(write);
      const fields: Record<string, string> = { [subject === 'child' ? 'childId' : 'personId']: id };
      if (toRoomId) fields.toRoomId = toRoomId;
      // Until when, for a person with no shift in the room (ignored for one who has): whatever the hour the test runs at.
      if (subject === 'person' && kind !== 'end') fields.until = '23:59';
      try {
        const res = await session.postForm(`/centers/${world.centerId}/rooms/${roomId}/${PATH[subject][kind]}`, fields, { json: !write.asForm });
        write.answeredAt = Date.now();
        write.status = res.status;
        write.location = res.location;
        write.body = typeof res.body === 'string' ? res.body.slice(0, 300) : res.body;
      } catch {
        write.lost = true;
        return;
      }
      if (done(write)) world.open.set(id, kind === 'end' ? null : (toRoomId ?? roomId));
      afterAnswer(write);
    }
  };
  await Promise.all(Array.from({ length: STREAMS }, (_, s) => stream(s)));
  return writes;
}

/** Answered as done: a 2xx to JSON, a 303 back to a room page to a form. */
const done = (w: Write) =>
  w.status !== undefined && (w.asForm ? w.status === 303 && /^\/centers\/[^/]+\/rooms\/[^/]+$/.test(w.location ?? '') : w.status >= 200 && w.status < 300);
const within = (iso: string | null, w: Write) => iso !== null && Date.parse(iso) >= w.sentAt && Date.parse(iso) <= w.answeredAt!;

/** Every write answered as done is in the file, with its time. */
async function expectAnsweredWritesStored(writes: readonly Write[]) {
  await withDb(async (db) => {
    for (const w of writes.filter(done)) {
      const rows = (await db(TABLE[w.subject]).where({ [COLUMN[w.subject]]: w.subjectId }).select('*', `${COLUMN[w.subject]} as subject_id`)) as PresenceRow[];
      const label = `${w.kind} of ${w.subject} ${w.subjectId} answered ${w.status}`;
      if (w.kind === 'start') {
        expect(rows.some((r) => r.room_id === w.roomId && within(r.started_at, w)), label).toBe(true);
      } else if (w.kind === 'end') {
        expect(rows.some((r) => r.room_id === w.roomId && within(r.ended_at, w)), label).toBe(true);
      } else {
        const ended = rows.find((r) => r.room_id === w.roomId && within(r.ended_at, w));
        expect(ended, `${label}: the old room's presence ended`).toBeDefined();
        expect(rows.some((r) => r.room_id === w.toRoomId && r.started_at === ended!.ended_at), `${label}: the new room's presence started at the same instant`).toBe(true);
      }
    }
  });
}

/** Nothing half-written: intervals well formed and never overlapping, each with its audit entry, and the other way round. */
async function expectNothingHalfWritten() {
  await withDb(async (db) => {
    const audit = (await db('audit_log').where('action', 'like', '%_presence.%').orderBy('id').select('id', 'action', 'record_id', 'changes')) as AuditRow[];
    for (const subject of ['child', 'person'] as const) {
      const rows = (await db(TABLE[subject]).orderBy('started_at').select('*', `${COLUMN[subject]} as subject_id`)) as PresenceRow[];
      const byId = new Map(rows.map((r) => [r.id, r]));
      const entries = audit.filter((a) => a.action.startsWith(`${subject}_presence.`));
      const opened = new Map(entries.filter((a) => a.action !== `${subject}_presence.closed`).map((a) => [a.record_id, a]));
      const closed = new Set(entries.filter((a) => a.action === `${subject}_presence.closed`).map((a) => a.record_id));
      const movedFrom = new Map(entries.filter((a) => a.action === `${subject}_presence.moved`).map((a) => [JSON.parse(a.changes).before.presenceId as string, a]));

      const bySubject = new Map<string, PresenceRow[]>();
      for (const r of rows) bySubject.set(r.subject_id, [...(bySubject.get(r.subject_id) ?? []), r]);
      for (const [id, list] of bySubject) {
        // One open presence at most, and only as the latest: nobody in two rooms, no interval overlapping the next.
        expect(list.filter((r) => r.ended_at === null).length, `${subject} ${id} open in more than one room`).toBeLessThanOrEqual(1);
        list.forEach((r, i) => {
          if (r.ended_at !== null) expect(Date.parse(r.ended_at), `${subject} presence ${r.id} ends before it starts`).toBeGreaterThanOrEqual(Date.parse(r.started_at));
          const next = list[i + 1];
          if (next) {
            expect(r.ended_at, `${subject} ${id}: presence ${r.id} still open when ${next.id} started`).not.toBeNull();
            expect(Date.parse(next.started_at), `${subject} ${id}: presences ${r.id} and ${next.id} overlap`).toBeGreaterThanOrEqual(Date.parse(r.ended_at!));
          }
        });
      }
      for (const r of rows) {
        // The demo's own day (started by nobody) is audited as one entry; every user's write has its own.
        if (r.started_by_user_id !== null) expect(opened.has(r.id), `${subject} presence ${r.id} has no audit entry for its start`).toBe(true);
        if (r.ended_by_user_id !== null) {
          expect(closed.has(r.id) || movedFrom.has(r.id), `${subject} presence ${r.id} was ended with no audit entry`).toBe(true);
          expect(r.ended_at, `${subject} presence ${r.id} has an ender but no end`).not.toBeNull();
        }
      }
      for (const a of entries) {
        // No audit entry without its interval: no child checked out (or moved) without having been checked in.
        const row = byId.get(a.record_id!);
        expect(row, `audit entry ${a.id} (${a.action}) names a presence that is not there`).toBeDefined();
        if (a.action.endsWith('.closed')) expect(row!.ended_at, `audit entry ${a.id}: closed, but the presence is open`).not.toBeNull();
        if (a.action.endsWith('.moved')) {
          const from = byId.get(JSON.parse(a.changes).before.presenceId);
          expect(from, `audit entry ${a.id}: a move whose old presence is not there`).toBeDefined();
          expect(from!.ended_at, `audit entry ${a.id}: a move that did not end the old presence at the new one's start`).toBe(row!.started_at);
        }
      }
    }
  });
}

describe('a server killed with SIGKILL in the middle of the morning', () => {
  it(`keeps every answered write of ${TOTAL_WRITES} concurrent check-ins, check-outs and moves, and nothing half-written`, { timeout: 180_000 }, async () => {
    const env = { DB_FILE: dbFile, SEED_DEMO: 'true' };
    server = await startServerProcess(env);
    const signIn = (s: ServerProcess) =>
      Promise.all([signInOverHttp(s.url, 'staff@demo.ratiowatch.test', DEMO_PASSWORD), signInOverHttp(s.url, 'director@demo.ratiowatch.test', DEMO_PASSWORD)]);

    // Phase 1: four tablets at once, killed after about a hundred answers.
    const first = server;
    let answered = 0;
    let inFlightAtKill = -1;
    let killed: Promise<void> | undefined;
    const writes1: Write[] = [];
    await drive(
      await signIn(first),
      await readWorld(),
      TOTAL_WRITES,
      9,
      writes1,
      (w) => {
        if (w.status !== undefined) answered += 1;
        if (answered >= KILL_AFTER_ANSWERED && !killed) {
          inFlightAtKill = writes1.filter((x) => x.status === undefined && !x.lost).length;
          killed = first.kill9();
        }
      },
      () => killed !== undefined,
    );
    await killed;
    expect(first.child.signalCode).toBe('SIGKILL');
    // The kill landed with writes in flight, not between them.
    expect(inFlightAtKill).toBeGreaterThan(0);
    const answered1 = writes1.filter((w) => w.status !== undefined);
    expect(answered1.length).toBeGreaterThanOrEqual(KILL_AFTER_ANSWERED);
    // Each stream knows where its own children and people are, so every write it sent was taken.
    for (const w of answered1) expect(done(w), `${w.kind} of ${w.subject} answered ${w.status} ${w.location ?? ''}: ${JSON.stringify(w.body)}`).toBe(true);

    await expectAnsweredWritesStored(writes1);
    await expectNothingHalfWritten();

    // Phase 2: restarted on the same file, it takes the rest of the writes.
    server = await startServerProcess(env);
    const writes2 = await drive(await signIn(server), await readWorld(), TOTAL_WRITES - answered1.length, 10, []);
    for (const w of writes2) expect(done(w), `after the restart: ${w.kind} of ${w.subject} answered ${w.status} ${w.location ?? ''}: ${JSON.stringify(w.body)}`).toBe(true);
    expect(writes2.some((w) => w.asForm) && writes2.some((w) => !w.asForm)).toBe(true);
    await server.stop();
    expect(server.child.exitCode).toBe(0);
    expect(answered1.length + writes2.length).toBe(TOTAL_WRITES);

    await expectAnsweredWritesStored([...writes1, ...writes2]);
    await expectNothingHalfWritten();
    const verified = runCliProcess('audit-verify', { env: { DB_FILE: dbFile, DATABASE_URL: '' } });
    expect(verified.stderr).toBe('');
    expect(verified.stdout).toMatch(/^audit log OK: \d+ entries\n$/);
    expect(verified.status).toBe(0);
  });
});
