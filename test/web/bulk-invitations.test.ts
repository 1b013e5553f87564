import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPerson } from '../../src/db/people.js';
import type { Person } from '../../src/db/rows.js';
import type { Deps } from '../../src/web/app.js';
import { anAgent, type Agent } from '../support/agent.js';
import { seedCenter, type SeededCenter } from '../support/builders.js';
import type { TestClock } from '../support/deps.js';
import { decodeEntities, rowCounts } from '../support/forms.js';
import { seededApp, type App } from '../support/seeded-app.js';

let deps: Deps;
let clock: TestClock;
let app: App;
let seeded: SeededCenter;
let director: Agent;
let signIn: (role: 'owner' | 'director' | 'staff' | 'volunteer') => Promise<Agent>;
let close: () => Promise<void>;
let people: Record<'ana' | 'ben' | 'dee' | 'eve' | 'fay', Person>;

beforeEach(async () => {
  ({ deps, clock, app, seeded, close, signIn, agents: { director } } = await seededApp({ agents: ['director'] }));
  const at = clock.now();
  const aPerson = (displayName: string, role: string, email: string | null) =>
    createPerson(deps.db, { centerId: seeded.center.id, displayName, role, adultAttested: true, email, at });
  people = {
    ana: await aPerson('Ana Aide', 'aide', 'ana@example.test'),
    ben: await aPerson('Ben Parent', 'volunteer', 'ben@example.test'),
    dee: await aPerson('Dee Director', 'director', 'dee@example.test'),
    eve: await aPerson('Eve Teacher', 'teacher', null),
    fay: await aPerson('Fay Archived', 'aide', 'fay@example.test'),
  };
  await deps.db('people').where({ id: people.fay.id }).update({ archived_at: at.toISOString() });
});
afterEach(() => close());

const bulk = () => `/centers/${seeded.center.id}/invitations/bulk`;
const text = (html: string) => decodeEntities(html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' '));
const LINKS = /value="https?:\/\/[^/"]+(\/invitations\/[A-Za-z0-9_-]{43})"/g;
const linksOn = (html: string) => [...html.matchAll(LINKS)].map((m) => m[1]!);
const invitations = () => deps.db('invitations').where({ center_id: seeded.center.id, purpose: 'invite' }).orderBy('created_at');
const PASSWORD = 'a long enough passphrase';

describe('POST /centers/:centerId/invitations/bulk', () => {
  it('makes one invitation per person with an email and no account, in the role their job grants, and shows each link once', async () => {
    const list = await director.get(`/centers/${seeded.center.id}/people`);
    expect(text(list.text)).toContain('Invite everyone with an email and no account (2)');
    expect(text(list.text)).toContain('Left out: 1 who would join as director, which only the owner may grant.');
    expect(text(list.text)).toContain('No email on file for 1 without an account');
    expect(text(list.text)).toContain('ana@example.test');

    const res = await director.submit(bulk());
    expect(res.status).toBe(200);
    const words = text(res.text);
    expect(words).toContain('These links are shown only now: print or copy them.');
    expect(words).toContain('Ana Aide');
    expect(words).toContain('Joins as staff · ana@example.test');
    expect(words).toContain('Joins as volunteer · ben@example.test');
    expect(words).not.toContain('Eve Teacher');
    expect(words).not.toContain('Fay Archived');
    // The director may not grant director: Dee is named as left out, with why.
    expect(words).toContain('Dee Director would join as director, which only the owner may grant.');
    expect(res.text).toMatch(/role="img" aria-label="QR code of Ana Aide(&#x27;|')s link"/);
    expect(res.text).toMatch(/<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);

    const rows = await invitations();
    expect(rows.map((r) => [r.person_id, r.role])).toEqual(expect.arrayContaining([[people.ana.id, 'staff'], [people.ben.id, 'volunteer']]));
    expect(rows).toHaveLength(2);
    const links = linksOn(res.text);
    expect(links).toHaveLength(2);
    // Only the tokens' hashes are kept.
    for (const link of links) expect(JSON.stringify(rows)).not.toContain(link.split('/').pop()!);
    const audit = await deps.db('audit_log').where({ action: 'invitation.created' });
    expect(audit).toHaveLength(2);
    expect(audit.map((a) => JSON.parse(a.changes).after.bulk)).toEqual([true, true]);
  });

  it('lets the owner invite a director too', async () => {
    const owner = await signIn('owner');
    const res = await owner.submit(bulk());
    expect(text(res.text)).toContain('Joins as director · dee@example.test');
    expect(await invitations()).toHaveLength(3);
  });

  it('makes links that work once, join as the person on file, and forget the email kept for them', async () => {
    const res = await director.submit(bulk());
    const anaLink = linksOn(res.text).find((_, i, all) => all.length > 0 && res.text.indexOf(all[i]!) > res.text.indexOf('Ana Aide') && res.text.indexOf(all[i]!) < res.text.indexOf('Ben Parent'))!;
    const visitor = anAgent(app);
    const form = await visitor.get(anaLink);
    expect(form.status).toBe(200);
    // The email on file is offered in the form.
    expect(form.text).toContain('value="ana@example.test"');
    const joined = await visitor.submit(anaLink, { displayName: 'Ana Aide', email: 'ana@example.test', password: PASSWORD, passwordConfirmation: PASSWORD });
    expect(joined.status).toBe(303);
    const user = await deps.db('users').where({ email: 'ana@example.test' }).first();
    expect(await deps.db('memberships').where({ user_id: user.id }).first()).toMatchObject({ role: 'staff', person_id: people.ana.id, center_id: seeded.center.id });
    expect((await deps.db('people').where({ id: people.ana.id }).first()).email).toBeNull();
    const cleared = await deps.db('audit_log').where({ action: 'person.updated', record_id: people.ana.id }).first();
    expect(JSON.parse(cleared.changes)).toEqual({ before: { email: 'set' }, after: { email: null, reason: 'joined' } });
    // Used once: the link is gone.
    expect((await anAgent(app).get(anaLink)).status).toBe(410);
  });

  it('does not duplicate: a person with an open invitation is skipped until it is revoked', async () => {
    await director.submit(bulk());
    const before = await rowCounts(deps.db, ['invitations', 'audit_log']);
    const again = await director.submit(bulk());
    expect(again.status).toBe(200);
    expect(linksOn(again.text)).toHaveLength(0);
    expect(text(again.text)).toContain('No new links were made');
    expect(text(again.text)).toMatch(/Ana Aide has an open invitation until .+: revoke it on the invitations page to make a new link\./);
    expect(await rowCounts(deps.db, ['invitations', 'audit_log'])).toEqual(before);
    expect(text((await director.get(`/centers/${seeded.center.id}/people`)).text)).toContain('Nobody to invite');

    // Revoked as any invitation, Ben is due again, and only Ben.
    const ben = (await invitations()).find((r) => r.person_id === people.ben.id)!;
    const revoked = await director.submit(`/centers/${seeded.center.id}/invitations/${ben.id}/revocation`);
    expect(revoked.status).toBe(303);
    const third = await director.submit(bulk());
    expect(linksOn(third.text)).toHaveLength(1);
    expect(text(third.text)).toContain('Joins as volunteer · ben@example.test');
    expect(await invitations()).toHaveLength(3);
  });

  it('makes a new link for a person whose invitation expired: an expired one is not open', async () => {
    await director.submit(bulk());
    clock.advance(8 * 24 * 60 * 60 * 1000);
    const later = await (await signIn('director')).submit(bulk());
    expect(linksOn(later.text)).toHaveLength(2);
  });

  it('refuses staff and volunteers (403) and another center (404), and makes nothing', async () => {
    const [staff, volunteer] = [await signIn('staff'), await signIn('volunteer')];
    const other = await seedCenter(deps.db, { name: 'Other' });
    const before = await rowCounts(deps.db, ['invitations', 'audit_log']);
    expect((await staff.submit(bulk())).status).toBe(403);
    expect((await volunteer.submit(bulk())).status).toBe(403);
    expect((await director.submit(`/centers/${other.center.id}/invitations/bulk`)).status).toBe(404);
    expect(await rowCounts(deps.db, ['invitations', 'audit_log'])).toEqual(before);
    // Staff do not see the button.
    expect((await staff.get(`/centers/${seeded.center.id}/people`)).status).toBe(403);
  });

  it('refuses a post without the CSRF token', async () => {
    const res = await director.post(bulk()).type('form').send({});
    expect(res.status).toBe(403);
    expect(await invitations()).toHaveLength(0);
  });
});
