import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Deps } from '../../src/web/app.js';
import { signInAs, type Agent } from '../support/agent.js';
import type { SeededCenter } from '../support/builders.js';
import type { TestClock } from '../support/deps.js';
import { seededApp, type App } from '../support/seeded-app.js';

// Monday 2026-03-02, 06:45 in Chicago.
let deps: Deps;
let clock: TestClock;
let app: App;
let seeded: SeededCenter;
let volunteer: Agent;
let close: () => Promise<void>;

beforeEach(async () => {
  ({ deps, clock, app, seeded, close, agents: { volunteer } } = await seededApp({ agents: ['volunteer'] }));
});
afterEach(() => close());

const page = () => `/centers/${seeded.center.id}/my/availability`;
const poolPage = async () => (await (await signInAs(app, seeded.users.director)).get(`/centers/${seeded.center.id}/volunteers`)).text;

describe('weekly availability', () => {
  it('keeps one window per weekday, replacing the week on each save, audited', async () => {
    expect((await volunteer.submit(page(), { form: 'weekly', start1: '09:00', end1: '12:00', start3: '13:30', end3: '17:00' })).status).toBe(303);
    expect(await deps.db('availability_windows').where({ person_id: seeded.people.volunteer.id }).orderBy('weekday').select('weekday', 'start', 'end')).toEqual([
      { weekday: 1, start: '09:00', end: '12:00' },
      { weekday: 3, start: '13:30', end: '17:00' },
    ]);
    const res = await volunteer.get(page()).expect(200);
    expect(res.text).toContain('<p class="flash flash-ok" role="status">Your usual week is saved.</p>');
    expect(res.text).toContain('id="start1" name="start1" type="time" value="09:00"');
    expect(res.text).toContain('<legend>Monday (today)</legend>');
    expect(await deps.db('audit_log').where({ action: 'availability.weekly_set' })).toHaveLength(1);

    expect((await volunteer.submit(page(), { form: 'weekly', start5: '08:00', end5: '10:00' })).status).toBe(303);
    expect(await deps.db('availability_windows').where({ person_id: seeded.people.volunteer.id }).select('weekday')).toEqual([{ weekday: 5 }]);
  });

  it('refuses a day with only one time or an end before its start, saying which day, and keeps the week as it was', async () => {
    await volunteer.submit(page(), { form: 'weekly', start2: '09:00', end2: '11:00' });
    const res = await volunteer.submit(page(), { form: 'weekly', start1: '12:00', end1: '09:00', start4: '10:00', end4: '' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('<p class="error" id="day1-error">The end must be after the start on Monday.</p>');
    expect(res.text).toContain('<p class="error" id="day4-error">Give both a start and an end for Thursday, or leave both empty.</p>');
    expect(res.text).toContain('value="12:00"');
    expect(await deps.db('availability_windows').select('weekday')).toEqual([{ weekday: 2 }]);
  });

  it("shows today's usual hours on the director's pool page", async () => {
    await volunteer.submit(page(), { form: 'weekly', start1: '09:00', end1: '12:00' });
    expect(await poolPage()).toContain('Available 09:00–12:00 (usual hours).');
  });
});

describe('"I can come in today"', () => {
  it('sets an until-time later than now, shown to the director, and ends at that time', async () => {
    expect((await volunteer.submit(page(), { form: 'today', available: 'yes', until: '15:00' })).status).toBe(303);
    expect(await deps.db('availability_today').where({ person_id: seeded.people.volunteer.id }).first()).toMatchObject({ day: '2026-03-02', until: '15:00' });
    expect((await volunteer.get(page())).text).toContain('You said you can come in today until <strong>15:00</strong>.');
    expect(await poolPage()).toContain('Available today until 15:00.');
    // At 15:00 local (21:00 UTC) it no longer holds.
    clock.set('2026-03-02T21:00:00Z');
    expect(await poolPage()).toContain('Not available today.');
  });

  it('moves the until-time when set again, and clears it when unticked', async () => {
    await volunteer.submit(page(), { form: 'today', available: 'yes', until: '15:00' });
    await volunteer.submit(page(), { form: 'today', available: 'yes', until: '16:30' });
    expect(await deps.db('availability_today').select('until')).toEqual([{ until: '16:30' }]);
    expect((await volunteer.submit(page(), { form: 'today', until: '16:30' })).status).toBe(303);
    expect(await deps.db('availability_today')).toHaveLength(0);
    expect(await deps.db('audit_log').where({ action: 'availability.today_cleared' })).toHaveLength(1);
  });

  it('refuses an until-time that has passed or is missing, next to the field', async () => {
    const past = await volunteer.submit(page(), { form: 'today', available: 'yes', until: '06:00' });
    expect(past.status).toBe(422);
    expect(past.text).toContain('<p class="error" id="until-error">Choose a time later than now (06:45).</p>');
    const none = await volunteer.submit(page(), { form: 'today', available: 'yes', until: '' });
    expect(none.text).toContain('Say until what time you can stay.');
    expect(await deps.db('availability_today')).toHaveLength(0);
  });
});

describe('GET /centers/:centerId/my/availability', () => {
  it('tells a member with no person on file that there is nothing to set', async () => {
    const director = await signInAs(app, seeded.users.director);
    expect((await director.get(page())).text).toContain('Your account is not linked to a person on file');
    expect((await director.submit(page(), { form: 'weekly', start1: '09:00', end1: '10:00' })).headers.location).toBe(page());
    expect(await deps.db('availability_windows')).toHaveLength(0);
  });
});
