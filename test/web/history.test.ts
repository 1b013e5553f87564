import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Deps } from '../../src/web/app.js';
import { signInAs, type Agent } from '../support/agent.js';
import { seedCenter, type SeededCenter } from '../support/builders.js';
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

beforeEach(async () => {
  // Tuesday 07:00 in Chicago.
  ({ deps, clock, app, seeded, day, close, agents: { staff } } = await seededApp({ at: '2026-03-03T13:00:00Z', day: true, agents: ['staff'] }));
});
afterEach(() => close());

const infants = (what: string) => `/centers/${seeded.center.id}/rooms/${seeded.rooms.infants.id}/${what}`;

/** The page's table: from, to, status, cause, staff, children, group-size limit. */
const table = (html: string) =>
  [...html.matchAll(/<tr>\s*<td>([^<]+)<\/td><td>([^<]+)<\/td>[\s\S]*?<\/span> ([^<]+)<\/span><\/td>\s*<td>([^<]+)<\/td><td>([^<]+)<\/td><td>([^<]+)<\/td><td class="num">([^<]+)<\/td>/g)].map((m) =>
    m.slice(1, 8),
  );
/** The answer to "was it in ratio at HH:mm?", as one line of text. */
const answer = (html: string) => /<section class="history-answer[^"]*"[^>]*>[\s\S]*?<p>([^<]*)<\/p>/.exec(html)?.[1];
const historyRows = (roomId: string) =>
  deps.db('room_status_history').where({ room_id: roomId }).orderBy('started_at').select('status', 'started_at', 'ended_at', 'cause', 'children', 'present_staff', 'counted_staff', 'required_staff');
const count = async (table: string) => Number(((await deps.db(table).count({ n: '*' }).first()) as { n: number | string }).n);

/** 07:00 Maya arrives, 07:05 an infant; 10:32 Maya leaves (out of ratio); 10:51 the staff teacher arrives. */
async function tuesday() {
  await staff.submit(infants('arrivals'), { personId: day.maya.id });
  clock.set('2026-03-03T13:05:00Z');
  await staff.submit(infants('check-ins'), { childId: day.children.ada.id });
  clock.set('2026-03-03T16:32:00Z');
  await staff.submit(infants('departures'), { personId: day.maya.id });
  clock.set('2026-03-03T16:51:00Z');
  await staff.submit(infants('arrivals'), { personId: seeded.people.teacher.id });
  clock.set('2026-03-04T00:30:00Z'); // asked that evening, 18:30
}

describe('GET /centers/:centerId/rooms/:roomId/history', () => {
  it('lists the day’s intervals in the center’s zone with their causes and figures', async () => {
    await tuesday();
    const res = await staff.get(`${infants('history')}?date=2026-03-03`);
    expect(res.status).toBe(200);
    expect(table(res.text)).toEqual([
      // Minnesota: an infant needs one counted staff member (1:4), in a group of at most 8; nobody is needed for no children.
      ['07:00', '07:05', 'ok', `Teacher ${day.maya.displayName} arrived`, '1 present, 1 counted of 0 required', '0', 'none'],
      // The check-in keeps the room ok, and still starts an interval: the figures changed.
      ['07:05', '10:32', 'ok', 'child checked in', '1 present, 1 counted of 1 required', '1 (1 infant)', '8'],
      ['10:32', '10:51', 'out of ratio', `Teacher ${day.maya.displayName} left`, '0 present, 0 counted of 1 required', '1 (1 infant)', '8'],
      ['10:51', 'now', 'ok', `Teacher ${seeded.people.teacher.displayName} arrived`, '1 present, 1 counted of 1 required', '1 (1 infant)', '8'],
    ]);
  });

  it('answers "was the infant room in ratio at 10:40 last Tuesday?"', async () => {
    await tuesday();
    const no = await staff.get(`${infants('history')}?date=2026-03-03&at=10:40`);
    expect(no.text).toContain('Was Infants in ratio at 10:40 on Tuesday 3 March 2026?');
    expect(no.text).toContain(
      `No: ✕ out of ratio, from 10:32 to 10:51 (Teacher ${day.maya.displayName} left); 1 child (1 infant); 0 staff present, 0 counted of 1 required; group-size limit 8.`,
    );
    const yes = await staff.get(`${infants('history')}?date=2026-03-03&at=10:51`);
    expect(yes.text).toContain('Yes: ✓ ok, from 10:51 to now');
    const before = await staff.get(`${infants('history')}?date=2026-03-03&at=06:00`);
    expect(before.text).toContain('Nothing was recorded for this room at that moment');
  });

  it('treats a change at 10:32 as starting at 10:32: [start, end)', async () => {
    await tuesday();
    expect((await staff.get(`${infants('history')}?date=2026-03-03&at=10:32`)).text).toContain('No: ✕ out of ratio');
    expect((await staff.get(`${infants('history')}?date=2026-03-03&at=10:31`)).text).toContain('Yes: ✓ ok');
  });

  it('answers 422 with a message for a bad date or time, and for a time the clocks skipped', async () => {
    const bad = await staff.get(`${infants('history')}?date=2026-02-30&at=25:00`);
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('That date does not exist.');
    expect(bad.text).toContain('Enter a time as HH:mm, for example 10:40.');
    const gap = await staff.get(`${infants('history')}?date=2026-03-08&at=02:30`);
    expect(gap.status).toBe(422);
    expect(gap.text).toContain('02:30 does not exist on 2026-03-08 in America/Chicago');
  });

  it('says which 01:30 it means on the day the clocks go back, and marks the repeated hour’s times with their zone', async () => {
    // Sunday 1 November 2026 in Chicago: 01:00–02:00 comes twice, first on daylight time (CDT), then standard (CST).
    clock.set('2026-11-01T06:10:00Z'); // 01:10 CDT
    staff = await signInAs(app, seeded.users.staff); // the March session has long ended
    await staff.submit(infants('arrivals'), { personId: day.maya.id });
    clock.set('2026-11-01T06:40:00Z'); // 01:40 CDT
    await staff.submit(infants('check-ins'), { childId: day.children.cai.id });
    clock.set('2026-11-01T07:20:00Z'); // 01:20 CST, the second time round
    await staff.submit(infants('departures'), { personId: day.maya.id });
    clock.set('2026-11-01T15:00:00Z');

    const res = await staff.get(`${infants('history')}?date=2026-11-01&at=01:30`);
    expect(res.status).toBe(200);
    expect(table(res.text).map((r) => r.slice(0, 3))).toEqual([
      ['01:10 CDT', '01:40 CDT', 'ok'],
      ['01:40 CDT', '01:20 CST', 'ok'],
      ['01:20 CST', 'now', 'out of ratio'],
    ]);
    // The first 01:30 (CDT) was in ratio; the answer says it took that one, and where the second is.
    expect(res.text).toContain('Yes: ✓ ok, from 01:10 CDT to 01:40 CDT');
    expect(res.text).toContain('01:30 happened twice that day (the clocks went back an hour): this is the first time, 01:30 CDT; the table below shows the second, 01:30 CST.');
    // An hour that came once is answered without the note.
    const later = await staff.get(`${infants('history')}?date=2026-11-01&at=02:30`);
    expect(later.text).toContain('No: ✕ out of ratio, from 01:20 CST to now');
    expect(later.text).not.toContain('happened twice');
  });

  describe('a new interval whenever the figures change', () => {
    /** 07:00 Maya arrives; 07:05, 07:10, 07:15 three infants: ok throughout (Minnesota infants 1:4). */
    async function threeInfants() {
      await staff.submit(infants('arrivals'), { personId: day.maya.id });
      for (const [at, child] of [['13:05', day.children.ada], ['13:10', day.children.ben], ['13:15', day.children.cai]] as const) {
        clock.set(`2026-03-03T${at}:00Z`);
        await staff.submit(infants('check-ins'), { childId: child.id });
      }
    }

    it('starts one at a check-out at 11:44 that keeps the room ok, so 11:45 is answered with the children left', async () => {
      await threeInfants();
      clock.set('2026-03-03T17:44:00Z'); // 11:44
      const out = await staff.submit(infants('check-outs'), { childId: day.children.ben.id });
      expect(out.status).toBeLessThan(400);
      clock.set('2026-03-03T18:30:00Z');

      // By hand: 3 infants then 2, one teacher counted; 1:4 needs one for either, and the group-size limit is 8.
      expect(answer((await staff.get(`${infants('history')}?date=2026-03-03&at=11:45`)).text)).toBe(
        'Yes: ✓ ok, from 11:44 to now (child checked out); 2 children (2 infants); 1 staff present, 1 counted of 1 required; group-size limit 8.',
      );
      expect(answer((await staff.get(`${infants('history')}?date=2026-03-03&at=11:43`)).text)).toBe(
        'Yes: ✓ ok, from 07:15 to 11:44 (child checked in); 3 children (3 infants); 1 staff present, 1 counted of 1 required; group-size limit 8.',
      );
      expect((await historyRows(seeded.rooms.infants.id)).slice(-2)).toEqual([
        { status: 'ok', started_at: '2026-03-03T13:15:00.000Z', ended_at: '2026-03-03T17:44:00.000Z', cause: 'child checked in', children: 3, present_staff: 1, counted_staff: 1, required_staff: 1 },
        { status: 'ok', started_at: '2026-03-03T17:44:00.000Z', ended_at: null, cause: 'child checked out', children: 2, present_staff: 1, counted_staff: 1, required_staff: 1 },
      ]);
    });

    it('starts one when the counted staff change and the status does not', async () => {
      await threeInfants();
      clock.set('2026-03-03T14:00:00Z'); // 08:00: a second teacher, not needed for three infants
      await staff.submit(infants('arrivals'), { personId: seeded.people.teacher.id });
      const rows = await historyRows(seeded.rooms.infants.id);
      expect(rows.map((r) => r.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
      expect(rows.at(-1)).toEqual({
        status: 'ok',
        started_at: '2026-03-03T14:00:00.000Z',
        ended_at: null,
        cause: `Teacher ${seeded.people.teacher.displayName} arrived`,
        children: 3,
        present_staff: 2,
        counted_staff: 2,
        required_staff: 1,
      });
      expect(rows.at(-2)).toMatchObject({ ended_at: '2026-03-03T14:00:00.000Z', counted_staff: 1 });
    });

    it('writes no row when nothing the history keeps changed: a headcount, a mismatched one, a handoff note, and the page itself', async () => {
      await threeInfants();
      const before = await historyRows(seeded.rooms.infants.id);
      clock.set('2026-03-03T15:00:00Z');
      await staff.submit(infants('headcounts'), { counted: '3' });
      await staff.submit(infants('headcounts'), { counted: '4' }); // flagged on the board, yet the figures are the same
      await staff.submit(infants('handoff-notes'), { body: 'Nap at 9:30.' });
      expect(await deps.db('headcount_checks').count({ n: '*' }).first()).toMatchObject({ n: 2 });
      expect(await historyRows(seeded.rooms.infants.id)).toEqual(before);
      // GET never writes.
      const [history, audit] = [await count('room_status_history'), await count('audit_log')];
      await staff.get(`${infants('history')}?date=2026-03-03&at=07:12`);
      await staff.get(`${infants('history')}?date=2026-03-02`);
      expect([await count('room_status_history'), await count('audit_log')]).toEqual([history, audit]);
    });

    it('keeps a row written before the figures were kept, says what it lacks, and starts a new interval at the next change', async () => {
      // As the history held it before the figures were kept: status and totals only.
      await deps.db('room_status_history').insert({
        id: crypto.randomUUID(),
        center_id: seeded.center.id,
        room_id: seeded.rooms.infants.id,
        status: 'ok',
        started_at: '2026-03-03T12:00:00.000Z',
        ended_at: null,
        cause: 'child checked out',
        required_staff: 0,
        counted_staff: 0,
        children: 0,
      });
      // 07:00 an arrival: still ok, and now with the figures kept.
      await staff.submit(infants('arrivals'), { personId: day.maya.id });
      const res = await staff.get(`${infants('history')}?date=2026-03-03&at=06:30`);
      expect(table(res.text)).toEqual([
        ['06:00', '07:00', 'ok', 'child checked out', '0 counted of 0 required', '0', 'not recorded'],
        ['07:00', 'now', 'ok', `Teacher ${day.maya.displayName} arrived`, '1 present, 1 counted of 0 required', '0', 'none'],
      ]);
      expect(answer(res.text)).toBe('Yes: ✓ ok, from 06:00 to 07:00 (child checked out); 0 counted staff of 0 required, 0 children.');
    });
  });

  it('answers 403 to a volunteer and 404 for a room of another center', async () => {
    expect((await (await signInAs(app, seeded.users.volunteer)).get(infants('history'))).status).toBe(403);
    const other = await seedCenter(deps.db);
    expect((await staff.get(`/centers/${seeded.center.id}/rooms/${other.rooms.infants.id}/history`)).status).toBe(404);
  });
});
