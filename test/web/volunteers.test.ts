import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPerson } from '../../src/db/people.js';
import type { Person } from '../../src/db/rows.js';
import { createTrainingRecord } from '../../src/db/trainings.js';
import type { Deps } from '../../src/web/app.js';
import { signInAs, type Agent } from '../support/agent.js';
import { seedCenter, type SeededCenter } from '../support/builders.js';
import { seededApp, type App } from '../support/seeded-app.js';

// 2026-03-02 06:45 in Chicago; the center flags what expires within 30 days.
let deps: Deps;
let app: App;
let seeded: SeededCenter;
let director: Agent;
let ready: Person;
let expiring: Person;
let close: () => Promise<void>;

const MN = ['orientation', 'suid', 'aht', 'first_aid', 'cpr'];

beforeEach(async () => {
  const world = await seededApp();
  ({ deps, app, seeded, close } = world);
  const at = deps.clock.now();
  const volunteer = async (displayName: string, trainings: Record<string, string>) => {
    const p = await createPerson(deps.db, { centerId: seeded.center.id, displayName, role: 'volunteer', qualifiesAs: 'aide', adultAttested: true, backgroundStudy: 'cleared', backgroundClearedOn: '2025-12-01', at });
    for (const [trainingId, completedOn] of Object.entries(trainings)) {
      await createTrainingRecord(deps.db, { centerId: seeded.center.id, personId: p.id, trainingId, completedOn, status: 'verified', at });
    }
    return p;
  };
  const all = Object.fromEntries(MN.map((id) => [id, '2026-01-10']));
  ready = await volunteer('Rita Ready', all);
  // CPR done 2024-03-20: renews every 24 months, so it stops counting on 2026-03-20.
  expiring = await volunteer('Eddie Expiring', { ...all, cpr: '2024-03-20' });
  // The seeded volunteer (no background study yet) has a record awaiting verification.
  await createTrainingRecord(deps.db, { centerId: seeded.center.id, personId: seeded.people.volunteer.id, trainingId: 'suid', completedOn: '2026-02-20', status: 'submitted', at });
  director = await world.signIn('director');
});
afterEach(() => close());

const pool = (query = '') => `/centers/${seeded.center.id}/volunteers${query}`;
const names = (html: string) => [...html.matchAll(/<li class="card pool-person" id="person-[^"]+">\s*<h3>([^<]+?)(?: <span|<\/h3>)/g)].map((m) => m[1]!.trim());

describe('GET /centers/:centerId/volunteers', () => {
  it('lists every volunteer with status chips in words and icons, and the queue awaiting verification', async () => {
    const res = await director.get(pool()).expect(200);
    expect(names(res.text).sort()).toEqual(['Eddie Expiring', 'Rita Ready', seeded.people.volunteer.displayName].sort());
    expect(res.text).toContain('<span class="chip chip-ok"><span aria-hidden="true">✓</span> <span class="chip-label">Safe sleep (SUID):</span> current');
    expect(res.text).toContain('<span class="chip-label">Pediatric CPR:</span> expiring soon <span class="chip-detail">(expires 2026-03-20)</span>');
    expect(res.text).toContain('<span class="chip-label">Background study:</span> not started');
    expect(res.text).toContain('Can cover now: <strong>Infants, Toddlers</strong>');
    expect(res.text).toMatch(/<strong>[^<]+<\/strong>: Safe sleep \(SUID\), completed 2026-02-20/);
  });

  it('filters to who is eligible for a room now, and says so', async () => {
    const res = await director.get(pool(`?filter=eligible&room=${seeded.rooms.infants.id}`)).expect(200);
    expect(res.text).toContain('Volunteers eligible for the Infants room now');
    expect(names(res.text).sort()).toEqual(['Eddie Expiring', 'Rita Ready']);
  });

  it('filters to what expires within the lead time, trainings and background studies alike', async () => {
    expect(names((await director.get(pool('?filter=expiring'))).text)).toEqual(['Eddie Expiring']);
    await deps.db('people').where({ id: ready.id }).update({ background_expires_on: '2026-03-15' });
    expect(names((await director.get(pool('?filter=expiring'))).text).sort()).toEqual(['Eddie Expiring', 'Rita Ready']);
  });

  it('filters to who has a training awaiting verification', async () => {
    expect(names((await director.get(pool('?filter=awaiting'))).text)).toEqual([seeded.people.volunteer.displayName]);
  });

  it("judges a chosen day through its opening hours: a CPR that stops counting that day rules the volunteer out", async () => {
    const infants = (on: string) => pool(`?filter=eligible&room=${seeded.rooms.infants.id}&on=${on}`);
    const before = await director.get(infants('2026-03-19'));
    expect(before.text).toContain('Volunteers eligible for the Infants room on 2026-03-19 (06:30–18:00)');
    expect(names(before.text).sort()).toEqual(['Eddie Expiring', 'Rita Ready']);
    const on = await director.get(infants('2026-03-20'));
    expect(names(on.text)).toEqual(['Rita Ready']);
    expect((await director.get(pool('?on=2026-03-20'))).text).toContain('<span class="chip-label">Pediatric CPR:</span> expired <span class="chip-detail">(expired on 2026-03-20)</span>');
    // A nonsense day is ignored: judged now.
    expect((await director.get(infants('2026-02-31'))).text).toContain('Volunteers eligible for the Infants room now');
  });

  it('treats an unknown room or filter as everyone', async () => {
    expect(names((await director.get(pool('?filter=eligible&room=nope'))).text)).toHaveLength(3);
    expect(names((await director.get(pool('?filter=%3Cscript%3E'))).text)).toHaveLength(3);
  });

  it('is for directors and owners only', async () => {
    expect((await (await signInAs(app, seeded.users.staff)).get(pool())).status).toBe(403);
    expect((await (await signInAs(app, seeded.users.volunteer)).get(pool())).status).toBe(403);
    expect((await (await signInAs(app, seeded.users.volunteer)).get(pool('.csv'))).status).toBe(403);
  });
});

describe('GET /centers/:centerId/volunteers.csv', () => {
  it('exports the pool as UTF-8 CSV with a header row, RFC 4180 quoting and formulas neutralised', async () => {
    await deps.db('people').where({ id: ready.id }).update({ display_name: 'Ready, "Rita"' });
    await deps.db('people').where({ id: expiring.id }).update({ display_name: '=HYPERLINK("http://evil.test","open")' });
    const res = await director.get(pool('.csv')).expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="volunteer-pool-2026-03-02.csv"');
    const text = res.text;
    expect(text.startsWith('\uFEFF')).toBe(true);
    const lines = text.slice(1).split('\r\n');
    expect(lines[0]).toBe('Name,Level,Background study,Background study expires,Orientation,Safe sleep (SUID),Abusive head trauma (AHT),Pediatric first aid,Pediatric CPR,Awaiting verification,Can cover now,Available today');
    expect(lines).toContain('"Ready, ""Rita""",aide,cleared,,current,current (expires 2027-01-10),current (expires 2027-01-10),current (expires 2028-01-10),current (expires 2028-01-10),0,Infants; Toddlers,');
    expect(lines.some((l) => l.startsWith(`"'=HYPERLINK(""http://evil.test"",""open"")",aide,cleared,,current,`))).toBe(true);
    expect(lines.some((l) => l.includes('expiring soon (expires 2026-03-20)'))).toBe(true);
    expect(lines.at(-1)).toBe('');
  });

  it('exports only the filtered volunteers', async () => {
    const res = await director.get(pool('.csv?filter=awaiting')).expect(200);
    expect(res.text.trim().split('\r\n')).toHaveLength(2);
  });
});

describe('background study', () => {
  const page = (id: string) => `/centers/${seeded.center.id}/people/${id}/background-study`;

  it("shows the pack's rule on a submitted study: present only under supervision, not counted", async () => {
    const res = await director.get(page(seeded.people.volunteer.id)).expect(200);
    expect(res.text).toMatch(/Submitted, awaiting result<\/th><td>Only under direct supervision<\/td><td>No<\/td>/);
    expect(res.text).toContain('Minn. Stat. 245C.13 subd. 2(a)-(b)');
  });

  it('records a cleared study with its date and expiry, audited, and the volunteer then counts', async () => {
    const res = await director.submit(page(seeded.people.volunteer.id), { status: 'cleared', clearedOn: '2026-02-15', expiresOn: '2031-02-15' });
    expect(res.status).toBe(303);
    expect(await deps.db('people').where({ id: seeded.people.volunteer.id }).first()).toMatchObject({ background_study: 'cleared', background_cleared_on: '2026-02-15', background_expires_on: '2031-02-15' });
    const entry = await deps.db('audit_log').where({ action: 'background_study.updated' }).first();
    expect(JSON.parse(entry.changes)).toEqual({
      before: { status: 'not_started', clearedOn: null, expiresOn: null },
      after: { status: 'cleared', clearedOn: '2026-02-15', expiresOn: '2031-02-15' },
    });
    expect((await director.get(pool())).text).toContain('<span class="chip-label">Background study:</span> cleared <span class="chip-detail">(expires 2031-02-15)</span>');
  });

  it('needs a date to clear, refuses a future one and an expiry before it, keeping what was typed', async () => {
    const id = seeded.people.volunteer.id;
    const none = await director.submit(page(id), { status: 'cleared', clearedOn: '' });
    expect(none.status).toBe(422);
    expect(none.text).toContain('<p class="error" id="clearedOn-error">Enter the date the study was cleared.</p>');
    const future = await director.submit(page(id), { status: 'cleared', clearedOn: '2026-03-03' });
    expect(future.text).toContain('The date cannot be in the future.');
    const before = await director.submit(page(id), { status: 'cleared', clearedOn: '2026-02-15', expiresOn: '2026-02-01' });
    expect(before.text).toContain('The expiry must be after the date cleared.');
    expect(before.text).toContain('value="2026-02-15"');
    const status = await director.submit(page(id), { status: 'approved' });
    expect(status.text).toContain('Choose one of the statuses listed.');
    expect(await deps.db('people').where({ id }).first()).toMatchObject({ background_study: 'not_started' });
  });

  it('drops the dates of a study that is no longer cleared', async () => {
    const id = ready.id;
    expect((await director.submit(page(id), { status: 'submitted', clearedOn: '2026-01-01' })).status).toBe(303);
    expect(await deps.db('people').where({ id }).first()).toMatchObject({ background_study: 'submitted', background_cleared_on: null, background_expires_on: null });
    const res = await director.get(pool(`?filter=eligible&room=${seeded.rooms.infants.id}`));
    expect(names(res.text)).toEqual(['Eddie Expiring']);
  });

  it('answers 404 for a person of another center, and 403 to staff', async () => {
    const other = await seedCenter(deps.db);
    expect((await director.get(page(other.people.volunteer.id))).status).toBe(404);
    expect((await director.submit(page(other.people.volunteer.id), { status: 'cleared', clearedOn: '2026-01-01' })).status).toBe(404);
    expect(await deps.db('people').where({ id: other.people.volunteer.id }).first()).toMatchObject({ background_study: 'not_started' });
    expect((await (await signInAs(app, seeded.users.staff)).get(page(ready.id))).status).toBe(403);
  });

  describe('M4: nobody records their own background study', () => {
    /** The seeded director's account linked to a person on file with a study still pending, as in the demo center. */
    const directorOnFile = async () => {
      const me = await createPerson(deps.db, { centerId: seeded.center.id, displayName: 'Dana Director', role: 'director', adultAttested: true, backgroundStudy: 'submitted', at: deps.clock.now() });
      await deps.db('memberships').where({ id: seeded.memberships.director.id }).update({ person_id: me.id });
      return me;
    };
    const REFUSED = 'You cannot change your own background study. Another director or the owner records it.';

    it('M4: refuses a director clearing their own background study, with a clear 403 and nothing stored', async () => {
      const me = await directorOnFile();
      const res = await director.submit(page(me.id), { status: 'cleared', clearedOn: '2026-02-15', expiresOn: '2099-12-31' });
      expect(res.status).toBe(403);
      expect(res.text).toContain(REFUSED.replace("'", '&#x27;'));
      expect(await deps.db('people').where({ id: me.id }).first()).toMatchObject({ background_study: 'submitted', background_cleared_on: null, background_expires_on: null });
      expect(await deps.db('audit_log').where({ action: 'background_study.updated' })).toHaveLength(0);
      // Nor its expiry alone, nor through JSON.
      const json = await director.post(page(me.id)).set('Accept', 'application/json').set('X-CSRF-Token', await director.csrf()).send({ status: 'cleared', clearedOn: '2026-02-15' });
      expect(json.status).toBe(403);
      expect(json.body).toEqual({ error: REFUSED });
      expect(await deps.db('people').where({ id: me.id }).first()).toMatchObject({ background_study: 'submitted' });
    });

    it('M4: shows their own study to a director without a form to change it', async () => {
      const me = await directorOnFile();
      const res = await director.get(page(me.id)).expect(200);
      expect(res.text).toContain(REFUSED.replace("'", '&#x27;'));
      expect(res.text).not.toContain(`action="${page(me.id)}"`);
    });

    it('M4: refuses it to an owner who is also on file as that person through a membership of the center', async () => {
      const me = await directorOnFile();
      // The director's user is also the organization's owner: the owner standing wins in the center, and holds no person.
      await deps.db('memberships').insert({ id: '0a0a0a0a-0000-4000-8000-000000000001', user_id: seeded.users.director.id, organization_id: seeded.organization.id, center_id: null, role: 'owner', person_id: null, created_at: deps.clock.now().toISOString(), deactivated_at: null });
      const ownerToo = await signInAs(app, seeded.users.director);
      expect((await ownerToo.submit(page(me.id), { status: 'cleared', clearedOn: '2026-02-15' })).status).toBe(403);
      expect(await deps.db('people').where({ id: me.id }).first()).toMatchObject({ background_study: 'submitted' });
    });

    it("still lets the owner record the director's study", async () => {
      const me = await directorOnFile();
      const owner = await signInAs(app, seeded.users.owner);
      expect((await owner.submit(page(me.id), { status: 'cleared', clearedOn: '2026-02-15' })).status).toBe(303);
      expect(await deps.db('people').where({ id: me.id }).first()).toMatchObject({ background_study: 'cleared', background_cleared_on: '2026-02-15' });
      const entry = await deps.db('audit_log').where({ action: 'background_study.updated' }).first();
      expect(entry.actor_user_id).toBe(seeded.users.owner.id);
    });
  });
});
