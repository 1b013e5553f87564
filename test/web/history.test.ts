import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type Deps } from '../../src/web/app.js';
import { signInAs, type Agent } from '../support/agent.js';
import { seedCenter, type SeededCenter } from '../support/builders.js';
import { seedRoomDay, type SeededDay } from '../support/day.js';
import { testDeps, type TestClock } from '../support/deps.js';

let deps: Deps;
let clock: TestClock;
let app: ReturnType<typeof createApp>;
let seeded: SeededCenter;
let day: SeededDay;
let staff: Agent;
let destroy: () => Promise<void>;

beforeEach(async () => {
  const t = await testDeps('2026-03-03T13:00:00Z'); // Tuesday 07:00 in Chicago
  ({ deps, clock, destroy } = t);
  app = createApp(deps);
  seeded = await seedCenter(deps.db);
  day = await seedRoomDay(deps.db, seeded);
  staff = await signInAs(app, seeded.users.staff);
});
afterEach(() => destroy());

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
  clock.set('2026-03-04T00:30:00Z'); // asked that evening, 18:30
}

describe('GET /centers/:centerId/rooms/:roomId/history', () => {
  it('lists the day’s status intervals in the center’s zone with their causes', async () => {
    await tuesday();
    const res = await staff.get(`${infants('history')}?date=2026-03-03`);
    expect(res.status).toBe(200);
    const rows = [...res.text.matchAll(/<tr>\s*<td>([^<]+)<\/td><td>([^<]+)<\/td>[\s\S]*?<\/span> ([^<]+)<\/span><\/td>\s*<td>([^<]+)<\/td>/g)].map((m) => [m[1], m[2], m[3], m[4]]);
    expect(rows).toEqual([
      ['07:00', '10:32', 'ok', `Teacher ${day.maya.displayName} arrived`],
      ['10:32', '10:51', 'out of ratio', `Teacher ${day.maya.displayName} left`],
      ['10:51', 'now', 'ok', `Teacher ${seeded.people.teacher.displayName} arrived`],
    ]);
  });

  it('answers "was the infant room in ratio at 10:40 last Tuesday?"', async () => {
    await tuesday();
    const no = await staff.get(`${infants('history')}?date=2026-03-03&at=10:40`);
    expect(no.text).toContain('Was Infants in ratio at 10:40 on Tuesday 3 March 2026?');
    expect(no.text).toContain(`No: ✕ out of ratio, from 10:32 to 10:51 (Teacher ${day.maya.displayName} left); 0 counted staff of 1 required, 1 child.`);
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
    const rows = [...res.text.matchAll(/<tr>\s*<td>([^<]+)<\/td><td>([^<]+)<\/td>[\s\S]*?<\/span> ([^<]+)<\/span><\/td>/g)].map((m) => [m[1], m[2], m[3]]);
    expect(rows).toEqual([
      ['01:10 CDT', '01:20 CST', 'ok'],
      ['01:20 CST', 'now', 'out of ratio'],
    ]);
    // The first 01:30 (CDT) was in ratio; the answer says it took that one, and where the second is.
    expect(res.text).toContain('Yes: ✓ ok, from 01:10 CDT to 01:20 CST');
    expect(res.text).toContain('01:30 happened twice that day (the clocks went back an hour): this is the first time, 01:30 CDT; the table below shows the second, 01:30 CST.');
    // An hour that came once is answered without the note.
    const later = await staff.get(`${infants('history')}?date=2026-11-01&at=02:30`);
    expect(later.text).toContain('No: ✕ out of ratio, from 01:20 CST to now');
    expect(later.text).not.toContain('happened twice');
  });

  it('answers 403 to a volunteer and 404 for a room of another center', async () => {
    expect((await (await signInAs(app, seeded.users.volunteer)).get(infants('history'))).status).toBe(403);
    const other = await seedCenter(deps.db);
    expect((await staff.get(`/centers/${seeded.center.id}/rooms/${other.rooms.infants.id}/history`)).status).toBe(404);
  });
});
