import { once } from 'node:events';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../../src/db/audit.js';
import { createCenterTraining } from '../../src/db/center-trainings.js';
import { createPerson } from '../../src/db/people.js';
import { sendNotices } from '../../src/db/notices.js';
import { newId } from '../../src/db/rows.js';
import { insertShiftTemplate } from '../../src/db/shift-templates.js';
import { createJobRunner } from '../../src/services/jobs.js';
import type { Deps } from '../../src/web/app.js';
import { createEventHub } from '../../src/web/events/hub.js';
import { csrfFrom, signInAs, type Agent } from '../support/agent.js';
import { seedCenter, TEST_PASSWORD, type SeededCenter, type TestUser } from '../support/builders.js';
import type { SeededDay } from '../support/day.js';
import type { TestClock } from '../support/deps.js';
import { seededApp, type App } from '../support/seeded-app.js';

let deps: Deps;
let clock: TestClock;
let app: App;
let seeded: SeededCenter;
let day: SeededDay;
let staff: Agent;
let close: () => Promise<void>;
let server: Server | undefined;
const streams: IncomingMessage[] = [];

beforeEach(async () => {
  ({ deps, clock, app, seeded, day, close, agents: { staff } } = await seededApp({
    at: '2026-03-02T12:45:00Z',
    // A short heartbeat, so a revoked membership closes a stream within the test.
    deps: { events: createEventHub({ heartbeatMs: 50 }) },
    day: true,
    agents: ['staff'],
  }));
});
afterEach(async () => {
  for (const s of streams.splice(0)) s.destroy();
  // Let the server see the streams close (and finish their session writes) before the database goes.
  await until(() => deps.events!.listenerCount(seeded.center.id) === 0, 1000);
  await new Promise((r) => setTimeout(r, 100));
  if (server) {
    server.closeAllConnections();
    await new Promise((r) => server!.close(r));
    server = undefined;
  }
  await close();
});

const board = () => `/centers/${seeded.center.id}/board`;
const roomPath = (room: 'infants' | 'toddlers', what: string) => `/centers/${seeded.center.id}/rooms/${seeded.rooms[room].id}/${what}`;

async function listening(): Promise<string> {
  server = createServer(app);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Signs in over real HTTP and answers the session cookie. */
async function cookieOf(base: string, user: TestUser): Promise<string> {
  const page = await fetch(`${base}/sign-in`);
  const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0]!;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
  const res = await fetch(`${base}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, email: user.email, password: TEST_PASSWORD }),
  });
  expect(res.status).toBe(303);
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
}

type Stream = { res: IncomingMessage; messages: { event?: string; id?: string; data: string; at: number }[]; ended: Promise<void> };

/** A raw SSE connection, as a browser's EventSource makes it. */
function connect(url: string, cookie: string): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers: { cookie, accept: 'text/event-stream' } }, (res) => {
      streams.push(res);
      const stream: Stream = { res, messages: [], ended: new Promise((r) => res.on('close', () => r())) };
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const lines = block.split('\n');
          stream.messages.push({
            event: lines.find((l) => l.startsWith('event: '))?.slice(7),
            id: lines.find((l) => l.startsWith('id: '))?.slice(4),
            data: lines
              .filter((l) => l.startsWith('data: '))
              .map((l) => l.slice(6))
              .join('\n'),
            at: performance.now(),
          });
        }
      });
      resolve(stream);
    });
    req.on('error', reject);
    req.end();
  });
}

async function until(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  return check();
}

describe('GET /centers/:centerId/board', () => {
  it('shows every room as a card: status in words and icon, who counts and why not, staff, group size and margin', async () => {
    for (const childId of [day.children.ada.id, day.children.ben.id, day.children.cai.id]) await staff.submit(roomPath('infants', 'check-ins'), { childId });
    await staff.submit(roomPath('infants', 'arrivals'), { personId: day.maya.id });
    const untrained = await createPerson(deps.db, { centerId: seeded.center.id, displayName: 'Una Trained', role: 'aide', adultAttested: true, backgroundStudy: 'cleared', at: clock.now() });
    await staff.submit(roomPath('infants', 'arrivals'), { personId: untrained.id });
    await staff.submit(roomPath('toddlers', 'check-ins'), { childId: day.children.dot.id });

    const director = await signInAs(app, seeded.users.director);
    const res = await director.get(board());
    expect(res.status).toBe(200);
    const infants = res.text.slice(res.text.indexOf(`id="room-${seeded.rooms.infants.id}"`));
    expect(infants).toMatch(/<span class="room-status-icon" aria-hidden="true">✓<\/span> <strong>ok<\/strong>/);
    expect(infants).toContain('<strong>1</strong> counted of <strong>1</strong> required');
    expect(infants).toContain('3 of 8');
    expect(infants).toContain('3 infants');
    expect(infants).toContain('1 more infant may join');
    expect(infants).toContain('counts as teacher');
    expect(infants).toMatch(/does not count: [^<]*training/);
    const toddlers = res.text.slice(res.text.indexOf(`id="room-${seeded.rooms.toddlers.id}"`));
    expect(toddlers).toMatch(/✕<\/span> <strong>out of ratio<\/strong>/);
    expect(toddlers).toContain('Needs 1 more counted person now');
    expect(toddlers).toContain('Nobody is in this room.');
    // Children by age category only: the board never names a child.
    expect(res.text).not.toContain('Ada A.');
    expect(res.text).toContain('src="/js/board.js"');
  });

  it('answers a reload of an unchanged board with the same page, and a new one once the rooms or the header change', async () => {
    const director = await signInAs(app, seeded.users.director);
    const first = await director.get(board());
    const again = await director.get(board());
    expect(again.status).toBe(200);
    expect(again.text).toBe(first.text);
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(again.headers['content-type']).toBe('text/html; charset=utf-8');
    // A browser that has it is told so.
    expect((await director.get(board()).set('If-None-Match', first.headers.etag!)).status).toBe(304);

    // Another viewer gets their own header (name, token) around the same rooms.
    const staffPage = await staff.get(board());
    expect(staffPage.text).not.toBe(first.text);
    expect(csrfFrom(staffPage.text)).not.toBe(csrfFrom(first.text));

    // A notice for the director: their header says so on the next load.
    await sendNotices(deps.db, [seeded.users.director.id], { centerId: seeded.center.id, kind: 'forecast_breach', body: 'Look at Infants.' }, clock.now());
    expect((await director.get(board())).text).toContain('(1 new)');
    // A check-in: the card changes at once, within the same minute.
    await staff.submit(roomPath('infants', 'check-ins'), { childId: day.children.ada.id });
    const after = await director.get(board());
    expect(after.text).not.toBe(first.text);
    expect(after.text.slice(after.text.indexOf(`id="room-${seeded.rooms.infants.id}"`))).toContain('1 infant');
  });

  it("does not count a teacher missing a training the center itself requires before counting", async () => {
    await createCenterTraining(deps.db, {
      centerId: seeded.center.id,
      code: 'headcount_procedure',
      label: 'Headcount procedure',
      renewalMonths: null,
      roles: ['teacher', 'aide', 'volunteer'],
      categories: ['infant'],
      gate: 'before',
      at: clock.now(),
    });
    await staff.submit(roomPath('infants', 'check-ins'), { childId: day.children.ada.id });
    await staff.submit(roomPath('infants', 'arrivals'), { personId: day.maya.id });
    const res = await staff.get(board());
    const infants = res.text.slice(res.text.indexOf(`id="room-${seeded.rooms.infants.id}"`));
    expect(infants).toContain('Headcount procedure training missing');
    expect(infants).toMatch(/✕<\/span> <strong>out of ratio<\/strong>/);
  });

  it('shows a person who must not be here as an alert', async () => {
    // Started while cleared; the study is then found disqualified (nobody can be started without one the pack allows).
    const unchecked = await createPerson(deps.db, { centerId: seeded.center.id, displayName: 'Ned Unchecked', role: 'aide', adultAttested: true, backgroundStudy: 'cleared', at: clock.now() });
    expect((await staff.submit(roomPath('infants', 'arrivals'), { personId: unchecked.id })).status).toBe(303);
    await deps.db('people').where({ id: unchecked.id }).update({ background_study: 'disqualified' });
    const res = await staff.get(board());
    expect(res.text).toMatch(/role="alert"><span aria-hidden="true">⚠<\/span> <strong>Must not be here:<\/strong> Ned Unchecked/);
  });

  it('answers 403 to a volunteer and 404 to a director of another center', async () => {
    expect((await (await signInAs(app, seeded.users.volunteer)).get(board())).status).toBe(403);
    const other = await seedCenter(deps.db);
    const res = await (await signInAs(app, other.users.director)).get(board());
    expect(res.status).toBe(404);
    expect(res.text).not.toContain(seeded.center.name);
  });

  it('is current on every load without JavaScript', async () => {
    await staff.submit(roomPath('infants', 'check-ins'), { childId: day.children.ada.id });
    expect((await staff.get(board())).text).toContain('1 infant<');
    await staff.submit(roomPath('infants', 'check-ins'), { childId: day.children.ben.id });
    expect((await staff.get(board())).text).toContain('2 infants<');
  });
});

describe('GET /centers/:centerId/board/wall', () => {
  it('shows the same live cards for a screen in the office: the center, the time, no navigation, and the board links to it', async () => {
    expect((await staff.get(board())).text).toContain(`href="/centers/${seeded.center.id}/board/wall"`);
    await staff.submit(roomPath('infants', 'check-ins'), { childId: day.children.ada.id });
    const res = await staff.get(`${board()}/wall`).expect(200);
    expect(res.text).toContain('<body class="wall">');
    expect(res.text).toContain(`<h1 class="wall-center">${seeded.center.name}</h1>`);
    // 12:45 UTC is 06:45 in Chicago.
    expect(res.text).toMatch(/<time data-wall-clock data-zone="America\/Chicago">06:45<\/time>/);
    expect(res.text).toContain('1 infant<');
    expect(res.text).toContain(`data-events="/centers/${seeded.center.id}/board/events"`);
    expect(res.text).not.toContain('class="site-nav"');
    expect((await (await signInAs(app, seeded.users.volunteer)).get(`${board()}/wall`)).status).toBe(403);
  });
});

describe('GET /centers/:centerId/board/events', () => {
  it('sends the changed room’s card as `event: room-card` within a second of a check-in on another device', async () => {
    const base = await listening();
    const stream = await connect(`${base}${board()}/events`, await cookieOf(base, seeded.users.director));
    expect(stream.res.statusCode).toBe(200);
    expect(stream.res.headers['content-type']).toMatch(/^text\/event-stream/);
    await until(() => deps.events!.listenerCount(seeded.center.id) === 1, 1000);

    const sent = performance.now();
    expect((await staff.submit(roomPath('infants', 'check-ins'), { childId: day.children.ada.id })).status).toBe(303);
    expect(await until(() => stream.messages.some((m) => m.event === 'room-card'), 1000)).toBe(true);
    const card = stream.messages.find((m) => m.event === 'room-card')!;
    expect(card.at - sent).toBeLessThan(1000);
    expect(card.id).toBe(seeded.rooms.infants.id);
    expect(card.data).toContain(`id="room-${seeded.rooms.infants.id}"`);
    expect(card.data).toContain('out of ratio');
  });

  it('sends both rooms’ cards after a move, and every card to a board that asks to resume', async () => {
    const base = await listening();
    const cookie = await cookieOf(base, seeded.users.director);
    const stream = await connect(`${base}${board()}/events`, cookie);
    await until(() => deps.events!.listenerCount(seeded.center.id) === 1, 1000);
    await staff.submit(roomPath('infants', 'check-ins'), { childId: day.children.dot.id });
    await staff.submit(roomPath('infants', 'child-moves'), { childId: day.children.dot.id, toRoomId: seeded.rooms.toddlers.id });
    expect(await until(() => stream.messages.filter((m) => m.event === 'room-card').length === 3, 1000)).toBe(true);
    expect(stream.messages.filter((m) => m.event === 'room-card').map((m) => m.id).slice(1).sort()).toEqual([seeded.rooms.infants.id, seeded.rooms.toddlers.id].sort());

    const resumed = await connect(`${base}${board()}/events?resume=1`, cookie);
    expect(await until(() => resumed.messages.filter((m) => m.event === 'room-card').length === 2, 1000)).toBe(true);
  });

  it('refuses a volunteer at connect (403) and another center’s director (404)', async () => {
    const base = await listening();
    const volunteer = await connect(`${base}${board()}/events`, await cookieOf(base, seeded.users.volunteer));
    expect(volunteer.res.statusCode).toBe(403);
    const other = await seedCenter(deps.db);
    const stranger = await connect(`${base}${board()}/events`, await cookieOf(base, other.users.director));
    expect(stranger.res.statusCode).toBe(404);
    expect(deps.events!.listenerCount(seeded.center.id)).toBe(0);
  });

  it('closes the stream at the next heartbeat once the membership is deactivated', async () => {
    const base = await listening();
    const stream = await connect(`${base}${board()}/events`, await cookieOf(base, seeded.users.staff));
    expect(await until(() => stream.messages.some((m) => m.data === '' && m.event === undefined), 1000)).toBe(true);
    const owner = await signInAs(app, seeded.users.owner);
    expect((await owner.submit(`/centers/${seeded.center.id}/memberships/${seeded.memberships.staff.id}/deactivation`)).status).toBe(303);
    await Promise.race([stream.ended, new Promise((_, reject) => setTimeout(() => reject(new Error('stream still open')), 2000))]);
    expect(deps.events!.listenerCount(seeded.center.id)).toBe(0);
  });
});

describe('the day forecast on the board', () => {
  /** Three infants expected on Mondays 07:30–17:00; Maya works Infants 07:00–15:00 (and came in at 07:00): nobody after 15:00. */
  async function mayaLeavesAtThree() {
    for (const child of [day.children.ada, day.children.ben, day.children.cai]) {
      await deps.db('child_schedules').insert({ id: newId(), child_id: child.id, weekday: 1, arrive: '07:30', depart: '17:00' });
    }
    await insertShiftTemplate(deps.db, { centerId: seeded.center.id, personId: day.maya.id, roomId: seeded.rooms.infants.id, weekday: 1, start: '07:00', end: '15:00' }, clock.now());
    await deps.db('person_presences').insert({ id: newId(), center_id: seeded.center.id, room_id: seeded.rooms.infants.id, person_id: day.maya.id, started_at: '2026-03-02T13:00:00.000Z', ended_at: null });
  }
  const cardIn = (html: string, room: 'infants' | 'toddlers') => {
    const start = html.indexOf(`id="room-${seeded.rooms[room].id}"`);
    return html.slice(start, html.indexOf('</article>', start));
  };

  it('shows the same forecast lines on the room page, and the prefilled cover request only to those who may ask for cover', async () => {
    await mayaLeavesAtThree();
    clock.set('2026-03-02T20:30:00Z'); // 14:30
    const roomPage = `/centers/${seeded.center.id}/rooms/${seeded.rooms.infants.id}`;
    const forStaff = cardIn((await staff.get(roomPage)).text, 'infants');
    expect(forStaff).toContain('needs cover by 15:00</strong>');
    expect(forStaff).toContain(`Next:</span> ${day.maya.displayName} leaves 15:00; 3 infants leave 17:00`);
    expect(forStaff).toContain('>Request cover</a>');

    const volunteer = await signInAs(app, seeded.users.volunteer);
    const page = await volunteer.get(roomPage);
    expect(page.status).toBe(200);
    const forVolunteer = cardIn(page.text, 'infants');
    expect(forVolunteer).toContain('needs cover by 15:00</strong>');
    expect(forVolunteer).not.toContain('Request cover');
  });

  it('shows `needs cover by 15:00` once the breach is within the horizon, with the gap and a cover request prefilled from it', async () => {
    await mayaLeavesAtThree();
    clock.set('2026-03-02T19:30:00Z'); // 13:30: 15:00 is more than 60 minutes ahead
    let infants = cardIn((await staff.get(board())).text, 'infants');
    expect(infants).not.toContain('needs cover by');
    expect(infants).toContain(`Next:</span> ${day.maya.displayName} leaves 15:00; 3 infants leave 17:00`);

    // No write in between: the board's cache follows the minute.
    clock.set('2026-03-02T20:30:00Z'); // 14:30
    infants = cardIn((await staff.get(board())).text, 'infants');
    expect(infants).toMatch(/<span class="room-forecast-icon" aria-hidden="true">◷<\/span> <strong>needs cover by 15:00<\/strong>/);
    expect(infants).toContain('1 more counted person: teacher, with Abusive head trauma (AHT) and Safe sleep (SUID) training current, 15:00–17:00');
    // Handlebars writes = as &#x3D; in attributes; the browser reads it back.
    expect(infants.replaceAll('&#x3D;', '=')).toContain(
      `<a class="button-link" href="/centers/${seeded.center.id}/cover-requests/new?roomId=${seeded.rooms.infants.id}&amp;start=15:00&amp;end=17:00&amp;count=1&amp;needs=teacher&amp;trainings=aht,suid">Request cover</a>`,
    );
    // Its status is still now's: the flag is beside it, not instead of it.
    expect(infants).toMatch(/✓<\/span> <strong>ok<\/strong>/);
    expect(infants).toContain(`href="/centers/${seeded.center.id}/rooms/${seeded.rooms.infants.id}/plan">Day plan</a>`);
    // Every room shows its next planned change.
    expect(cardIn((await staff.get(board())).text, 'toddlers')).toContain('Next:</span> Nothing more planned today');
  });

  it('sends the forecast lines in the live card too', async () => {
    await mayaLeavesAtThree();
    clock.set('2026-03-02T20:30:00Z');
    const base = await listening();
    const stream = await connect(`${base}${board()}/events`, await cookieOf(base, seeded.users.director));
    await until(() => deps.events!.listenerCount(seeded.center.id) === 1, 1000);
    await staff.submit(roomPath('infants', 'check-ins'), { childId: day.children.ada.id });
    // The card goes out at once; its forecast lines follow as soon as the write's forecast is loaded.
    const withLines = () => stream.messages.find((m) => m.event === 'room-card' && m.data.includes('needs cover by 15:00'));
    expect(await until(() => withLines() !== undefined, 2000)).toBe(true);
    expect(withLines()!.id).toBe(seeded.rooms.infants.id);
    expect(withLines()!.data).toContain(`${day.maya.displayName} leaves 15:00`);
    expect(withLines()!.data).toContain('1 infant<');
    // The check-in made no plan (its card shows the plan the day would be made of); the job runner makes it: once, and the trail holds.
    const plansMade = async () => Number(((await deps.db('audit_log').where({ action: 'day_plan.made' }).count({ n: '*' }).first()) as { n: number | string }).n);
    expect(await plansMade()).toBe(0);
    const jobs = createJobRunner({ db: deps.db, log: deps.log, clock });
    expect(await jobs.runOnce()).toEqual({ ran: true, failures: [] });
    await jobs.stop();
    expect(await plansMade()).toBe(1);
    expect(await verifyAuditLog(deps.db)).toMatchObject({ ok: true });
  });

  it('sends the room’s card when today’s plan changes: cover planned, the flag is gone', async () => {
    await mayaLeavesAtThree();
    clock.set('2026-03-02T20:30:00Z');
    const director = await signInAs(app, seeded.users.director);
    expect(cardIn((await director.get(board())).text, 'infants')).toContain('needs cover by 15:00');
    const base = await listening();
    const stream = await connect(`${base}${board()}/events`, await cookieOf(base, seeded.users.director));
    await until(() => deps.events!.listenerCount(seeded.center.id) === 1, 1000);
    const added = await director.submit(`/centers/${seeded.center.id}/plan/shifts`, { day: '2026-03-02', personId: seeded.people.teacher.id, roomId: seeded.rooms.infants.id, start: '14:45', end: '17:00' });
    expect(added.status).toBe(303);
    expect(await until(() => stream.messages.some((m) => m.event === 'room-card'), 2000)).toBe(true);
    const card = stream.messages.find((m) => m.event === 'room-card')!;
    expect(card.id).toBe(seeded.rooms.infants.id);
    expect(card.data).not.toContain('needs cover by');
    expect(card.data).toContain(`${seeded.people.teacher.displayName} arrives 14:45`);
    expect(cardIn((await director.get(board())).text, 'infants')).not.toContain('needs cover by');
  });
});
