/**
 * Board events across app processes on PostgreSQL (src/web/events/pg-hub.ts): the
 * wire form of an event under NOTIFY's 8000-byte limit (on every engine), then, in
 * the PostgreSQL run only, two hubs on one database and two real server processes.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import type { BoardEvent, EventHub } from '../../src/web/events/hub.js';
import { createPgEventHub, decodePiece, encodeEvent, splitUtf8 } from '../../src/web/events/pg-hub.js';
import { seedCenter, TEST_PASSWORD, type SeededCenter } from '../support/builders.js';
import { seedRoomDay, type SeededDay } from '../support/day.js';
import { createTestDb, testEngine, type TestDb } from '../support/db.js';
import { signInOverHttp, startServerProcess, type ServerProcess } from '../support/server-process.js';

const log = createLogger(parseConfig({ NODE_ENV: 'test' }));

/** A card-sized HTML fragment of about `kb` kilobytes with two- to four-byte characters in it. */
const bigCard = (kb: number) => `<article id="room-x">${'<p>Zoë · 山田 · 👶🏽 &amp; “quotes”\n</p>'.repeat(Math.ceil((kb * 1024) / 40))}</article>`;

async function until(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  return check();
}

describe('encodeEvent', () => {
  it('sends a small card as one payload under 8000 bytes', () => {
    const payloads = encodeEvent('origin', 1, 'center-1', { event: 'room-card', id: 'room-1', data: '<article>1 infant</article>' });
    expect(payloads).toHaveLength(1);
    expect(decodePiece(payloads[0]!)).toEqual({
      header: { o: 'origin', m: 1, i: 0, n: 1, c: 'center-1', e: 'room-card', id: 'room-1' },
      piece: '<article>1 infant</article>',
    });
  });

  it('cuts a 40 KB card into pieces of under 8000 bytes each, never inside a character, that join back to the card', () => {
    const data = bigCard(40);
    const payloads = encodeEvent('origin', 7, 'center-1', { event: 'room-card', id: 'room-1', data });
    expect(payloads.length).toBeGreaterThan(5);
    for (const p of payloads) expect(Buffer.byteLength(p)).toBeLessThan(8000);
    const pieces = payloads.map((p) => decodePiece(p)!);
    expect(pieces.map((p) => [p.header.i, p.header.n])).toEqual(payloads.map((_, i) => [i, payloads.length]));
    expect(pieces.map((p) => p.piece).join('')).toBe(data);
    // No piece starts or ends with half a surrogate pair (the emoji would break in two).
    for (const { piece } of pieces) expect(piece).not.toMatch(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/);
  });

  it('keeps an empty card and splits on the exact byte limit', () => {
    expect(splitUtf8('', 10)).toEqual(['']);
    expect(splitUtf8('aaaa', 4)).toEqual(['aaaa']);
    expect(splitUtf8('aaaaé', 5)).toEqual(['aaaa', 'é']);
    expect(splitUtf8('ab👶cd', 5)).toEqual(['ab', '👶c', 'd']);
  });

  it('reads a payload that is not one of ours as nothing', () => {
    for (const payload of ['', 'hello', '{"o":"x"}\nbody', '{"o":"x","m":1,"i":2,"n":2,"c":"c","e":"room-card","id":"r"}\nbody', 'not json\nbody']) {
      expect(decodePiece(payload)).toBeNull();
    }
  });
});

describe.runIf(testEngine() === 'pg')('createPgEventHub (PostgreSQL)', () => {
  let t: TestDb;
  const hubs: EventHub[] = [];
  beforeEach(async () => {
    t = await createTestDb();
  });
  afterEach(async () => {
    for (const hub of hubs.splice(0)) await hub.close();
    await t.destroy();
  });
  const hub = async (db = t.db) => {
    const h = await createPgEventHub({ db, log });
    hubs.push(h);
    return h;
  };

  it('hands another process’s event, cut into pieces, whole to this process’s boards, and its own events only once', async () => {
    const [a, b] = [await hub(), await hub(t.connect())];
    const atA: BoardEvent[] = [];
    const atB: BoardEvent[] = [];
    a.subscribe('center-1', (e) => atA.push(e));
    b.subscribe('center-1', (e) => atB.push(e));
    const otherCenter: BoardEvent[] = [];
    b.subscribe('center-2', (e) => otherCenter.push(e));

    const big = { event: 'room-card', id: 'room-1', data: bigCard(30) } as const;
    const small = { event: 'room-card', id: 'room-2', data: '<article>2 toddlers</article>' } as const;
    a.publish('center-1', big);
    a.publish('center-1', small);

    expect(await until(() => atB.length === 2, 2000)).toBe(true);
    expect(atB).toEqual([big, small]);
    // A's own boards had them at once, and not a second time from the channel.
    await new Promise((r) => setTimeout(r, 200));
    expect(atA).toEqual([big, small]);
    expect(otherCenter).toEqual([]);
  });

  it('listens again after its connection is cut, and closes its boards so they ask for every card', async () => {
    const [a, b] = [await hub(), await hub(t.connect())];
    let closed = 0;
    b.subscribe('center-1', () => undefined, () => closed++);
    await t.db.raw("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'");
    // Reopened after a second; the board's stream is closed then (it reconnects with ?resume).
    expect(await until(() => closed === 1, 5000)).toBe(true);

    const atB: BoardEvent[] = [];
    b.subscribe('center-1', (e) => atB.push(e));
    const event = { event: 'room-card', id: 'room-1', data: '<article>back</article>' } as const;
    // A's listener was cut too and is coming back; B listens again already, so A's send reaches it.
    a.publish('center-1', event);
    expect(await until(() => atB.length === 1, 2000)).toBe(true);
    expect(atB).toEqual([event]);
  });
});

describe.runIf(testEngine() === 'pg')('two server processes on one PostgreSQL database', () => {
  let t: TestDb;
  let seeded: SeededCenter;
  let day: SeededDay;
  const servers: ServerProcess[] = [];
  let reading: ReadableStreamDefaultReader<Uint8Array> | undefined;

  beforeEach(async () => {
    t = await createTestDb();
    seeded = await seedCenter(t.db);
    day = await seedRoomDay(t.db, seeded);
  });
  afterEach(async () => {
    await reading?.cancel().catch(() => undefined);
    reading = undefined;
    await Promise.all(servers.splice(0).map((s) => s.stop()));
    await t.destroy();
  });

  it('sends a check-in made on process A to a board connected to process B within a second', async () => {
    // Started together: they take turns migrating and starting up, then both listen.
    const env = { ...t.env, NODE_ENV: 'test', SEED_DEMO: 'false' };
    const [a, b] = await Promise.all([startServerProcess(env, 45_000), startServerProcess(env, 45_000)]);
    servers.push(a, b);
    expect(new URL(a.url).port).not.toBe(new URL(b.url).port);

    const director = await signInOverHttp(b.url, seeded.users.director.email, TEST_PASSWORD);
    const staff = await signInOverHttp(a.url, seeded.users.staff.email, TEST_PASSWORD);

    const stream = await director.get(`/centers/${seeded.center.id}/board/events`);
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    reading = stream.body!.getReader();
    const messages: { event?: string; id?: string; data: string; at: number }[] = [];
    let text = '';
    const decoder = new TextDecoder();
    void (async () => {
      for (;;) {
        const { done, value } = await reading!.read().catch(() => ({ done: true, value: undefined }));
        if (done) return;
        text += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = text.indexOf('\n\n')) >= 0) {
          const lines = text.slice(0, end).split('\n');
          text = text.slice(end + 2);
          messages.push({
            event: lines.find((l) => l.startsWith('event: '))?.slice(7),
            id: lines.find((l) => l.startsWith('id: '))?.slice(4),
            data: lines.filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n'),
            at: performance.now(),
          });
        }
      }
    })();
    // The first bytes ("retry: 3000") come after B subscribed the stream.
    expect(await until(() => messages.length > 0, 5000)).toBe(true);

    const sent = performance.now();
    const checkIn = await staff.postForm(`/centers/${seeded.center.id}/rooms/${seeded.rooms.infants.id}/check-ins`, { childId: day.children.ada.id });
    const answered = performance.now();
    expect(checkIn.status, JSON.stringify(checkIn.body)).toBe(201);

    expect(await until(() => messages.some((m) => m.event === 'room-card'), 3000)).toBe(true);
    const card = messages.find((m) => m.event === 'room-card')!;
    expect(card.id).toBe(seeded.rooms.infants.id);
    expect(card.data).toContain(`id="room-${seeded.rooms.infants.id}"`);
    // A child and nobody counted with them: the card B shows is the changed room's.
    expect(card.data).toContain('out of ratio');
    expect(card.at - answered).toBeLessThan(1000);
    expect(card.at - sent).toBeLessThan(1000);
  }, 120_000);
});
