import type { Knex } from 'knex';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createChild } from '../../src/db/children.js';
import { newId } from '../../src/db/rows.js';
import type { Agent } from '../support/agent.js';
import type { SeededCenter } from '../support/builders.js';
import type { SeededDay } from '../support/day.js';
import type { TestClock } from '../support/deps.js';
import { seededApp } from '../support/seeded-app.js';

/**
 * Reality before plan, as every page reads it: when a person's time ends before their
 * planned end, the board, the room page, home and the cover form's pre-fill agree that the
 * room is out of ratio now and needs cover from now, not from the planned end.
 *
 * Monday 2 March 2026 in Chicago (UTC−6). Five infants checked in at 07:00 need
 * ceil(5/4) = 2 counted people (Minnesota 1:4, Minn. R. 9503.0040 subp. 1). The staff login's
 * teacher works 07:00–17:00; Maya 07:00–12:10. Both came in at 07:00. At 11:44 staff ends
 * Maya's time: one counted person for five infants, "needs 1 more counted person now".
 */

let clock: TestClock;
let close: () => Promise<void>;
let seeded: SeededCenter;
let day: SeededDay;
let db: Knex;
let staff: Agent;
let director: Agent;

const MORNING = '2026-03-02T13:00:00.000Z'; // 07:00
const at = new Date('2026-03-01T12:00:00Z');

beforeEach(async () => {
  const world = await seededApp({ at: '2026-03-02T17:30:00Z', center: { name: 'Home Center' }, day: true }); // 11:30
  ({ db, clock, seeded, day, close } = world);
  const infants = seeded.rooms.infants.id;
  const eve = await createChild(db, { centerId: seeded.center.id, displayName: 'Eve E.', birthDate: '2025-10-01', homeRoomId: infants, at });
  const fay = await createChild(db, { centerId: seeded.center.id, displayName: 'Fay F.', birthDate: '2025-08-01', homeRoomId: infants, at });
  for (const child of [day.children.ada, day.children.ben, day.children.cai, eve, fay]) {
    await db('child_presences').insert({ id: newId(), center_id: seeded.center.id, room_id: infants, child_id: child.id, started_at: MORNING, ended_at: null });
  }
  const shift = (personId: string, end: string) => ({ id: newId(), center_id: seeded.center.id, room_id: infants, person_id: personId, day: '2026-03-02', starts_at: MORNING, ends_at: end, source: 'plan', cover_request_id: null, created_at: MORNING, created_by_user_id: null, cancelled_at: null, cancelled_by_user_id: null });
  await db('shifts').insert([shift(seeded.people.teacher.id, '2026-03-02T23:00:00.000Z'), shift(day.maya.id, '2026-03-02T18:10:00.000Z')]);
  await db('day_plans').insert({ center_id: seeded.center.id, day: '2026-03-02', made_at: MORNING });
  for (const personId of [seeded.people.teacher.id, day.maya.id]) {
    await db('person_presences').insert({ id: newId(), center_id: seeded.center.id, room_id: infants, person_id: personId, started_at: MORNING, ended_at: null });
  }
  staff = await world.signIn('staff');
  director = await world.signIn('director');
});
afterEach(() => close());

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#x27;/g, "'").replace(/&amp;/g, '&').replace(/&#x3D;/g, '=').replace(/\s+/g, ' ');
const cardIn = (html: string) => {
  const start = html.indexOf(`id="room-${seeded.rooms.infants.id}"`);
  return html.slice(start, html.indexOf('</article>', start)).replaceAll('&#x3D;', '=').replaceAll('&amp;', '&');
};
const board = () => `/centers/${seeded.center.id}/board`;
const roomPage = () => `/centers/${seeded.center.id}/rooms/${seeded.rooms.infants.id}`;

describe('a person whose time ends before their planned end', () => {
  it('before: the plan and the floor agree, and the board looks ahead to 12:10', async () => {
    const card = text(cardIn((await director.get(board())).text));
    expect(card).toContain('ok');
    expect(card).toContain('needs cover by 12:10');
  });

  it('makes the board, the room page, home and the cover pre-fill agree: out of ratio now, cover needed from now', async () => {
    clock.set('2026-03-02T17:44:00Z'); // 11:44
    expect((await staff.submit(`${roomPage()}/departures`, { personId: day.maya.id })).status).toBe(303);
    clock.set('2026-03-02T17:45:00Z'); // a minute later, on every page

    const boardCard = cardIn((await director.get(board())).text);
    const words = text(boardCard);
    expect(words).toContain('out of ratio since 11:44');
    expect(words).toContain('needs cover now');
    expect(words).toContain('Needs 1 more counted person now');
    expect(words).not.toContain('needs cover by 12:10');
    expect(words).not.toContain(`${day.maya.displayName} leaves 12:10`);
    // From now to 17:00, when the teacher leaves too. She fills the first place of Minnesota's
    // pattern (teacher, aide, assistant teacher, aide: Minn. R. 9503.0040 subp. 2 D): an aide is asked for.
    const requestHref = /href="([^"]*cover-requests\/new[^"]*)"/.exec(boardCard)?.[1];
    expect(requestHref).toBe(`/centers/${seeded.center.id}/cover-requests/new?roomId=${seeded.rooms.infants.id}&start=11:45&end=17:00&count=1&needs=aide&trainings=aht,suid`);

    const roomCard = text(cardIn((await staff.get(roomPage())).text));
    expect(roomCard).toContain('out of ratio since 11:44');
    expect(roomCard).toContain('needs cover now');

    const home = text((await director.get('/')).text);
    expect(home).toContain('Infants ✕ out of ratio');
    expect(home).toContain('Infants ! needs cover now');
    expect(home).not.toContain('No room is forecast to need cover');

    const form = await staff.get(requestHref!);
    expect(form.status).toBe(200);
    expect(form.text).toContain('name="start" type="time" value="11:45"');
    expect(form.text).toContain('name="end" type="time" value="17:00"');
  });

  it('asks whether someone still here after their shift ended is still here, with the way to end their time', async () => {
    clock.set('2026-03-02T18:30:00Z'); // 12:30: Maya's shift ended at 12:10, she is still checked in
    const card = cardIn((await director.get(board())).text);
    expect(text(card)).toContain(`${day.maya.displayName}'s shift ended 12:10 — still here?`);
    expect(card).toContain(`href="/centers/${seeded.center.id}/rooms/${seeded.rooms.infants.id}#person-${day.maya.id}"`);
    // Still here: counted (the room stays in ratio), not a gap at 12:10.
    expect(text(card)).not.toContain('needs cover');
  });
});
