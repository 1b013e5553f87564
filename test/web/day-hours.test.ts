import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createChild } from '../../src/db/children.js';
import { createPerson } from '../../src/db/people.js';
import { createRoom } from '../../src/db/rooms.js';
import type { Person } from '../../src/db/rows.js';
import { createTrainingRecord } from '../../src/db/trainings.js';
import type { Deps } from '../../src/web/app.js';
import type { Agent } from '../support/agent.js';
import type { SeededCenter } from '../support/builders.js';
import type { SeededDay } from '../support/day.js';
import type { TestClock } from '../support/deps.js';
import { decodeEntities } from '../support/forms.js';
import { seededApp } from '../support/seeded-app.js';

/**
 * A center's hours and arrival/departure windows, children's designations and
 * night programs, stored from the settings, child and room pages and applied on the board.
 * Minn. R. 9503.0040 subp. 2 B: an assistant teacher may stand in for the teacher
 * "during arrival and departure", in windows that together take at most 25% of the
 * daily hours of operation.
 */

let deps: Deps;
let clock: TestClock;
let seeded: SeededCenter;
let day: SeededDay;
let owner: Agent;
let director: Agent;
let staff: Agent;
let close: () => Promise<void>;

beforeEach(async () => {
  // Monday 2 March 2026, 06:45 in Chicago.
  ({ deps, clock, seeded, day, close, agents: { owner, director, staff } } = await seededApp({ at: '2026-03-02T12:45:00Z', day: true, agents: ['owner', 'director', 'staff'] }));
});
afterEach(() => close());

const settings = () => `/centers/${seeded.center.id}/settings`;
const board = () => `/centers/${seeded.center.id}/board`;
const roomPath = (roomId: string, what: string) => `/centers/${seeded.center.id}/rooms/${roomId}/${what}`;
const current = { name: '', packId: 'MN', timeZone: 'America/Chicago', opensAt: '06:30', closesAt: '18:00', forecastHorizonMinutes: '60', graceMinutes: '10', expiryLeadDays: '30', claimMode: 'first_claim' };
const settingsWith = (fields: Record<string, string>) => ({ ...current, name: seeded.center.name, ...fields });

/** The text of one room's card on a page (tags dropped, spaces squeezed). */
function cardText(html: string, roomId: string): string {
  const start = html.indexOf(`id="room-${roomId}"`);
  expect(start, 'the room has a card').toBeGreaterThan(-1);
  const end = html.indexOf('</article>', start);
  return decodeEntities(html.slice(start, end).replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ');
}

const MN_TRAININGS = ['orientation', 'suid', 'aht', 'first_aid', 'cpr', 'child_development'];

/** An assistant teacher with every Minnesota training, cleared and at the center for a year. */
async function assistantTeacher(): Promise<Person> {
  const at = clock.now();
  const person = await createPerson(deps.db, {
    centerId: seeded.center.id,
    displayName: 'Ana Assistant',
    role: 'assistant_teacher',
    qualifiesAs: 'assistant_teacher',
    adultAttested: true,
    backgroundStudy: 'cleared',
    startedOn: '2025-01-06',
    at,
  });
  for (const trainingId of MN_TRAININGS) {
    await createTrainingRecord(deps.db, { centerId: seeded.center.id, personId: person.id, trainingId, completedOn: '2026-01-15', status: 'verified', at });
  }
  return person;
}

const auditOf = async (action: string) =>
  (await deps.db('audit_log').where({ action }).orderBy('id')).map((r: { changes: string }) => JSON.parse(r.changes) as Record<string, unknown>);

describe('arrival and departure windows (Minnesota)', () => {
  it('stores the windows from the settings page, audited, and shows them there', async () => {
    const page = await owner.get(settings());
    expect(page.status).toBe(200);
    expect(page.text).toContain('Arrival and departure windows');
    expect(page.text).toContain('name="arrivalFrom"');

    const res = await owner.submit(settings(), settingsWith({ arrivalFrom: '07:00', arrivalTo: '08:00', departureFrom: '16:30', departureTo: '17:30' }));
    expect(res.status, res.text.slice(0, 400)).toBe(303);
    const row = await deps.db('centers').where({ id: seeded.center.id }).first();
    expect(row).toMatchObject({ arrival_from: '07:00', arrival_to: '08:00', departure_from: '16:30', departure_to: '17:30' });
    const [entry] = await auditOf('center.updated');
    expect(entry).toMatchObject({ after: { arrivalWindow: '07:00-08:00', departureWindow: '16:30-17:30' }, before: { arrivalWindow: null, departureWindow: null } });
    expect((await owner.get(settings())).text).toContain('value="16:30"');

    // Both times empty: no window; the departure window stays.
    expect((await owner.submit(settings(), settingsWith({ arrivalFrom: '', arrivalTo: '', departureFrom: '16:30', departureTo: '17:30' }))).status).toBe(303);
    expect(await deps.db('centers').where({ id: seeded.center.id }).first()).toMatchObject({ arrival_from: null, arrival_to: null, departure_from: '16:30' });
  });

  it('refuses windows over 25% of the day with the figures, and stores nothing', async () => {
    const before = JSON.stringify(await deps.db('centers').orderBy('id'));
    const audits = (await deps.db('audit_log')).length;
    // 06:00–08:00 and 16:45–18:00: 3 h 15 min of a 12 h day, 27%.
    const res = await owner.submit(settings(), settingsWith({ opensAt: '06:00', closesAt: '18:00', arrivalFrom: '06:00', arrivalTo: '08:00', departureFrom: '16:45', departureTo: '18:00' }));
    expect(res.status).toBe(422);
    const text = decodeEntities(res.text);
    expect(text).toMatch(/<p class="error" id="arrivalFrom-error">Arrival and departure windows total 3 h 15 min, 27% of the 12 h day; Minnesota allows at most 25% \(Minn\. R\. 9503\.0040 subp\. 2 B\)\.<\/p>/);
    expect(JSON.stringify(await deps.db('centers').orderBy('id'))).toBe(before);
    expect((await deps.db('audit_log')).length).toBe(audits);
  });

  it('refuses a window that ends before it starts or lies outside the hours, next to the field', async () => {
    const backwards = await owner.submit(settings(), settingsWith({ arrivalFrom: '08:00', arrivalTo: '07:00', departureFrom: '', departureTo: '' }));
    expect(backwards.status).toBe(422);
    expect(decodeEntities(backwards.text)).toContain('<p class="error" id="arrivalTo-error">The arrival window must end after it starts (08:00).</p>');
    const outside = await owner.submit(settings(), settingsWith({ arrivalFrom: '06:00', arrivalTo: '07:00', departureFrom: '', departureTo: '' }));
    expect(outside.status).toBe(422);
    expect(decodeEntities(outside.text)).toContain('<p class="error" id="arrivalFrom-error">The arrival window must be within the hours of operation, 06:30–18:00.</p>');
    const half = await owner.submit(settings(), settingsWith({ arrivalFrom: '07:00', arrivalTo: '', departureFrom: '', departureTo: '' }));
    expect(half.status).toBe(422);
    expect(half.text).toContain('id="arrivalTo-error"');
    expect(await deps.db('centers').where({ id: seeded.center.id }).first()).toMatchObject({ arrival_from: null });
  });

  it('checks stored windows against new hours when the form leaves them out', async () => {
    await owner.submit(settings(), settingsWith({ arrivalFrom: '07:00', arrivalTo: '08:00', departureFrom: '', departureTo: '' }));
    // An older form without the window fields: closing at 09:00 would put the arrival window at more than 25% of 06:30–09:00.
    const res = await owner.submit(settings(), settingsWith({ closesAt: '09:00' }));
    expect(res.status).toBe(422);
    expect(decodeEntities(res.text)).toContain('Arrival and departure windows total 1 h, 40% of the 2 h 30 min day');
    expect(await deps.db('centers').where({ id: seeded.center.id }).first()).toMatchObject({ closes_at: '18:00', arrival_from: '07:00' });
  });

  it('shows an assistant teacher alone as compliant in the arrival window and as needing a lead at 10:00', async () => {
    expect((await owner.submit(settings(), settingsWith({ arrivalFrom: '07:00', arrivalTo: '08:00', departureFrom: '16:30', departureTo: '17:30' }))).status).toBe(303);
    const ana = await assistantTeacher();
    const toddlers = seeded.rooms.toddlers.id;
    clock.set('2026-03-02T13:15:00Z'); // 07:15 in Chicago
    expect((await staff.submit(roomPath(toddlers, 'check-ins'), { childId: day.children.dot.id })).status).toBe(303);
    expect((await staff.submit(roomPath(toddlers, 'arrivals'), { personId: ana.id })).status).toBe(303);

    const early = cardText((await staff.get(board())).text, toddlers);
    expect(early).toContain('ok');
    expect(early).not.toContain('needs lead');
    expect(early).toContain('Activity arrival and departure');
    expect(early).toContain('Window 07:00–08:00 arrival: an assistant teacher, or an aide who meets the conditions, may stand in for the teacher');
    // The room page shows the same card.
    expect(cardText((await staff.get(`/centers/${seeded.center.id}/rooms/${toddlers}`)).text, toddlers)).toContain('07:00–08:00 arrival');

    clock.set('2026-03-02T16:00:00Z'); // 10:00
    const later = cardText((await staff.get(board())).text, toddlers);
    expect(later).toContain('needs lead');
    expect(later).not.toContain('Window');
  });

  it('without windows set, the assistant teacher alone needs a lead at 07:15 too', async () => {
    const ana = await assistantTeacher();
    const toddlers = seeded.rooms.toddlers.id;
    clock.set('2026-03-02T13:15:00Z');
    await staff.submit(roomPath(toddlers, 'check-ins'), { childId: day.children.dot.id });
    await staff.submit(roomPath(toddlers, 'arrivals'), { personId: ana.id });
    expect(cardText((await staff.get(board())).text, toddlers)).toContain('needs lead');
  });

  it('shows a Wisconsin center no windows to set', async () => {
    expect((await owner.submit(settings(), settingsWith({ packId: 'WI' }))).status).toBe(303);
    const page = await owner.get(settings());
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('arrivalFrom');
    expect(page.text).not.toContain('Arrival and departure windows');
  });
});

describe("a child's designation", () => {
  it('changes the category the child is counted in on the board, audited', async () => {
    const at = clock.now();
    const preK = await createRoom(deps.db, { centerId: seeded.center.id, name: 'Pre-K', ageCategories: ['preschooler', 'school_age'], licensedCapacity: 20, at });
    // Five in March 2026: a preschooler by age (Minn. R. 9503.0005), not yet in kindergarten.
    const eve = await createChild(deps.db, { centerId: seeded.center.id, displayName: 'Eve E.', birthDate: '2021-05-10', homeRoomId: preK.id, at });
    expect((await staff.submit(roomPath(preK.id, 'check-ins'), { childId: eve.id })).status).toBe(303);
    expect(cardText((await staff.get(board())).text, preK.id)).toContain('1 preschooler');

    const edit = `/centers/${seeded.center.id}/children/${eve.id}/edit`;
    const form = await director.get(edit);
    expect(form.text).toContain('name="designation"');
    expect(form.text).toContain('School-age, eligible for kindergarten within 4 months');
    // Kindergarten starts 1 June 2026: within 4 months of 2 March (Minn. Stat. 245A.02 subd. 16 as enacted 1995).
    const fields = { displayName: 'Eve E.', birthDate: '2021-05-10', homeRoomId: preK.id, designation: 'kindergarten_eligible:school_age', designationOn: '2026-06-01' };
    const missingDate = await director.submit(edit, { ...fields, designationOn: '' });
    expect(missingDate.status).toBe(422);
    expect(decodeEntities(missingDate.text)).toContain('<p class="error" id="designationOn-error">Enter the date the child starts kindergarten, like 2026-09-02.</p>');

    expect((await director.submit(edit, fields)).status).toBe(303);
    expect(await deps.db('children').where({ id: eve.id }).first()).toMatchObject({ designation_band: 'school_age', designation_basis: 'kindergarten_eligible', designation_on: '2026-06-01' });
    const [entry] = await auditOf('child.updated');
    expect(entry).toMatchObject({ after: { designation: 'kindergarten_eligible:school_age 2026-06-01' }, before: { designation: null } });

    const card = cardText((await staff.get(board())).text, preK.id);
    expect(card).toContain('1 school-age child');
    expect(card).not.toContain('preschooler');
    // The room page's list of children says so too.
    expect(decodeEntities((await director.get(`/centers/${seeded.center.id}/rooms/${preK.id}`)).text)).toContain('School-age (designated)');

    // None again: counted by age.
    expect((await director.submit(edit, { ...fields, designation: '', designationOn: '' })).status).toBe(303);
    expect(cardText((await staff.get(board())).text, preK.id)).toContain('1 preschooler');
  });

  it('keeps the designation when a form leaves it out, and offers none where the pack has none', async () => {
    const at = clock.now();
    const eve = await createChild(deps.db, { centerId: seeded.center.id, displayName: 'Eve E.', birthDate: '2021-05-10', homeRoomId: seeded.rooms.toddlers.id, designation: { band: 'school_age', basis: 'kindergarten_eligible', on: '2026-06-01' }, at });
    const edit = `/centers/${seeded.center.id}/children/${eve.id}/edit`;
    expect((await director.submit(edit, { displayName: 'Eve F.', birthDate: '2021-05-10', homeRoomId: seeded.rooms.toddlers.id })).status).toBe(303);
    expect(await deps.db('children').where({ id: eve.id }).first()).toMatchObject({ display_name: 'Eve F.', designation_band: 'school_age' });
    expect((await owner.submit(settings(), settingsWith({ packId: 'WI' }))).status).toBe(303);
    expect((await director.get(edit)).text).not.toContain('name="designation"');
  });
});

describe('a night program', () => {
  it('is set on the room page where the pack has one, audited, and judged by its staffing rule', async () => {
    const edit = `/centers/${seeded.center.id}/rooms/${seeded.rooms.toddlers.id}/edit`;
    const form = await director.get(edit);
    expect(form.text).toContain('name="nightProgram"');
    const res = await director.submit(edit, { name: 'Toddlers', ageCategories: 'toddler', licensedCapacity: '14', maxGroupSize: '', nightProgram: 'on', nightProgramShown: '1' });
    expect(res.status, res.text.slice(0, 300)).toBe(303);
    expect((await deps.db('rooms').where({ id: seeded.rooms.toddlers.id }).first()).night_program).toBeTruthy();
    const [entry] = await auditOf('room.updated');
    expect(entry).toMatchObject({ after: { nightProgram: true }, before: { nightProgram: false } });

    // One teacher with one toddler: a night program needs at least 2 counted staff (Minn. R. 9503.0070 subp. 6).
    clock.set('2026-03-02T13:15:00Z');
    await staff.submit(roomPath(seeded.rooms.toddlers.id, 'check-ins'), { childId: day.children.dot.id });
    await staff.submit(roomPath(seeded.rooms.toddlers.id, 'arrivals'), { personId: day.maya.id });
    const card = cardText((await staff.get(board())).text, seeded.rooms.toddlers.id);
    expect(card).toContain('A night program needs at least 2 counted staff');

    expect((await owner.submit(settings(), settingsWith({ packId: 'WI' }))).status).toBe(303);
    expect((await director.get(edit)).text).not.toContain('name="nightProgram"');
  });
});

describe('opening and closing ratios (Texas)', () => {
  // 26 TAC 746.1615: "When 13 or more children are in care, children who are 18 months and older may be
  // grouped at a ratio of one caregiver per group of 16 children during the 45 minutes after opening and
  // 45 minutes before closing." Ten children of 18-23 months otherwise need 2 caregivers at 1:9 (746.1601).
  it('applies 1:16 in the 45 minutes after opening when 13 or more children are in the center', async () => {
    expect((await owner.submit(settings(), settingsWith({ packId: 'TX' }))).status).toBe(303);
    const at = clock.now();
    for (const trainingId of ['pediatric_cpr_first_aid', 'sbs_aht']) {
      await createTrainingRecord(deps.db, { centerId: seeded.center.id, personId: day.maya.id, trainingId, completedOn: '2026-01-15', status: 'verified', at });
    }
    const twos = await createRoom(deps.db, { centerId: seeded.center.id, name: 'Twos', ageCategories: ['toddler'], licensedCapacity: 20, at });
    const toddlers = seeded.rooms.toddlers.id;
    // 21 months old on 2 March 2026.
    const make = (n: number, roomId: string) =>
      Promise.all(Array.from({ length: n }, (_, i) => createChild(deps.db, { centerId: seeded.center.id, displayName: `T${roomId.slice(0, 4)}${i}.`, birthDate: '2024-05-15', homeRoomId: roomId, at })));
    const ten = await make(10, toddlers);
    const three = await make(3, twos.id);

    clock.set('2026-03-02T12:50:00Z'); // 06:50 in Chicago: 20 minutes after opening at 06:30
    expect((await staff.submit(roomPath(toddlers, 'arrivals'), { personId: day.maya.id })).status).toBe(303);
    for (const c of ten) expect((await staff.submit(roomPath(toddlers, 'check-ins'), { childId: c.id })).status).toBe(303);
    // Ten in care in the center: the table's 1:9 holds.
    expect(cardText((await staff.get(board())).text, toddlers)).toContain('out of ratio');

    for (const c of three) await staff.submit(roomPath(twos.id, 'check-ins'), { childId: c.id });
    // Thirteen in care: one caregiver for the ten.
    const opening = cardText((await staff.get(board())).text, toddlers);
    expect(opening).toContain('1 counted of 1 required');
    expect(opening).not.toContain('out of ratio');

    clock.set('2026-03-02T16:00:00Z'); // 10:00
    const later = cardText((await staff.get(board())).text, toddlers);
    expect(later).toContain('out of ratio');
    expect(later).toContain('1 counted of 2 required');
  });
});
