/**
 * A real center running in an hour (#19), in a real browser: a fresh SEED_DEMO=false app,
 * `create-owner`, then the owner, as a director would at 1280 px: sets the password, goes
 * through the guided set-up (the center on Minnesota's rules, three rooms), imports 40
 * children and 12 people from CSV files through the import page (preview, then confirm),
 * plans the usual week on the weekly schedules page, and invites everyone with an email in
 * one go (a sheet of QR cards). The board then shows the three rooms, and the day plan of
 * the next weekday the usual week's shifts. The set-up page, the import page, the previews
 * and the invitation sheet are also loaded at 390 px, and each is swept with axe-core.
 * Everything goes through the UI; the only step outside the browser is `create-owner`,
 * a command-line tool by design (run in-process, against the server's database file).
 */
import { join } from 'node:path';
import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOwner } from '../../src/cli/create-owner.js';
import { axeViolations } from '../support/axe.js';
import { ARTIFACTS, LAPTOP, PHONE, launchChromium, screenshot, startEmptyServer, type EmptyServer } from '../support/browser.js';

let browser: Browser;
let server: EmptyServer;

beforeAll(async () => {
  [browser, server] = await Promise.all([launchChromium(), startEmptyServer()]);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const ZONE = 'America/Chicago';
const OWNER = 'maria.lopez@example.org';
const PASSWORD = 'three pine cones in the snow';
const CENTER = 'Maple Street Early Learning';

/** The center's today, as the server reckons it (the center's zone). */
const today = DateTime.now().setZone(ZONE).startOf('day');
const iso = (d: DateTime) => d.toISODate()!;
/** Half the dates as US spreadsheets write them (M/D/YYYY), the other half as YYYY-MM-DD. */
const dateCell = (d: DateTime, i: number) => (i % 2 === 0 ? iso(d) : `${d.month}/${d.day}/${d.year}`);

const ROOMS = [
  { name: 'Infants', category: 'infant', capacity: 8 },
  { name: 'Toddlers', category: 'toddler', capacity: 14 },
  { name: 'Preschool', category: 'preschooler', capacity: 20 },
] as const;

const CHILDREN_PER_ROOM: Record<string, number> = { Infants: 8, Toddlers: 14, Preschool: 18 };
const FIRST = ['Ava', 'Ben', 'Cleo', 'Dev', 'Ella', 'Finn', 'Gus', 'Hana', 'Ivy', 'Jon', 'Kai', 'Lila', 'Milo', 'Nia', 'Omar', 'Pia', 'Quinn', 'Rosa', 'Sami', 'Theo'];
const LAST = ['A.', 'B.'];

/**
 * 40 children: 8 infants (3 to 11 months old), 14 toddlers (18 to 29 months), 18 preschoolers
 * (3 to 4½ years), each born so they fit their room's ages on the server's today; Mon-Fri.
 * The room is named in a different case now and then (the import reads it case-insensitively).
 */
function childrenCsv(): string {
  const rows: string[] = ['Name,Birth date,Room,Arrive,Depart,Days,Kindergarten,Allergies'];
  const ages: { room: string; months: (i: number) => number; arrive: string; depart: string }[] = [
    ...Array.from({ length: CHILDREN_PER_ROOM.Infants! }, () => ({ room: 'Infants', months: (i: number) => 3 + (i % 9), arrive: '08:00', depart: '16:00' })),
    ...Array.from({ length: CHILDREN_PER_ROOM.Toddlers! }, () => ({ room: 'toddlers', months: (i: number) => 18 + (i % 12), arrive: '7:45', depart: '16:15' })),
    ...Array.from({ length: CHILDREN_PER_ROOM.Preschool! }, () => ({ room: 'Preschool', months: (i: number) => 36 + (i % 18), arrive: '08:00', depart: '16:00' })),
  ];
  ages.forEach((a, i) => {
    const name = `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length)]}`;
    const born = today.minus({ months: a.months(i), days: i % 7 });
    rows.push([name, dateCell(born, i), a.room, a.arrive, a.depart, 'Mon-Fri', 'no', i === 3 ? '"peanuts, eggs"' : ''].join(','));
  });
  return `\uFEFF${rows.join('\r\n')}\r\n`;
}

const STAFF_TRAININGS = ['orientation', 'suid', 'aht', 'first_aid', 'cpr', 'child_development', 'child_passenger_restraint', 'mandated_reporter'];

type PersonRow = { name: string; role: string; level: string; email: string };
const PEOPLE: PersonRow[] = [
  { name: 'Ana Torres', role: 'teacher', level: 'teacher', email: 'ana.torres@example.org' },
  { name: 'Bo Ruiz', role: 'teacher', level: 'teacher', email: 'bo.ruiz@example.org' },
  { name: 'Carla Nguyen', role: 'teacher', level: 'teacher', email: 'carla.nguyen@example.org' },
  { name: 'Dev Patel', role: 'assistant teacher', level: 'assistant teacher', email: 'dev.patel@example.org' },
  { name: 'Eva Olson', role: 'assistant teacher', level: 'assistant teacher', email: '' },
  { name: 'Finn Berg', role: 'assistant_teacher', level: 'assistant_teacher', email: 'Finn.Berg@example.org' },
  { name: 'Gia Lund', role: 'aide', level: 'aide', email: 'gia.lund@example.org' },
  { name: 'Hal Moe', role: 'aide', level: 'aide', email: '' },
  { name: 'Ida Sand', role: 'aide', level: 'aide', email: 'ida.sand@example.org' },
  { name: 'Jo Kim', role: 'substitute', level: 'teacher', email: '' },
  { name: 'Kai Dahl', role: 'volunteer', level: '', email: 'kai.dahl@example.org' },
  { name: 'Lena Holm', role: 'director', level: '', email: 'lena.holm@example.org' },
];
const WITH_EMAIL = PEOPLE.filter((p) => p.email !== '');

/** 12 people: cleared background studies, adults, recent trainings (orientation only for the volunteer). */
function peopleCsv(): string {
  const header = ['name', 'role', 'level', 'adult', 'email', 'background_study', 'study_cleared_on', ...STAFF_TRAININGS];
  const rows = PEOPLE.map((p, i) => {
    const trainings = STAFF_TRAININGS.map((t, j) => (p.role === 'volunteer' && t !== 'orientation' ? '' : dateCell(today.minus({ days: 10 + i + j }), i + j)));
    return [p.name, p.role, p.level, 'yes', p.email, 'cleared', dateCell(today.minus({ days: 60 + i }), i), ...trainings].join(',');
  });
  return [header.join(','), ...rows].join('\n') + '\n';
}

/** The usual week, Mon-Fri: two counted people in each room, over the children's day. */
const USUAL_WEEK = [
  { person: 'Ana Torres', room: 'Infants', start: '07:30', end: '16:30' },
  { person: 'Gia Lund', room: 'Infants', start: '07:30', end: '16:30' },
  { person: 'Bo Ruiz', room: 'Toddlers', start: '07:30', end: '16:30' },
  { person: 'Dev Patel', room: 'Toddlers', start: '07:30', end: '16:30' },
  { person: 'Carla Nguyen', room: 'Preschool', start: '07:30', end: '16:30' },
  { person: 'Finn Berg', room: 'Preschool', start: '07:30', end: '16:30' },
];

const text = async (page: Page, selector: string) => (await page.locator(selector).innerText()).replace(/\s+/g, ' ').trim();
const clickTo = (page: Page, url: RegExp, selector: string) => Promise.all([page.waitForURL(url), page.click(selector)]);

/**
 * Looks the page over at 390 px too: a screenshot, and nothing wider than the phone's screen
 * (with `tablesFit`, not even a table scrolling inside its box: the preview's rows are read on a phone).
 */
async function atPhoneWidth(page: Page, name: string, { tablesFit = false } = {}) {
  await page.setViewportSize(PHONE);
  const overflow = await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth);
  expect(overflow, `${name} at 390 px`).toBeLessThanOrEqual(PHONE.width);
  if (tablesFit) {
    for (const wrap of await page.locator('.table-wrap').all()) {
      const { scroll, client } = await wrap.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
      expect(scroll, `${name}: a table wider than the phone`).toBeLessThanOrEqual(client);
    }
    // The first rows as the phone's screen shows them.
    await page.locator('.table-wrap').first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, `${name}-phone-rows.png`) });
  }
  await screenshot(page, `${name}-phone`);
  await page.setViewportSize(LAPTOP);
}

describe('a real center from create-owner to the board (#19)', () => {
  it('sets up a center, imports 40 children and 12 people, plans the usual week and invites everyone', { timeout: 240_000 }, async () => {
    // The CLI prints a link on localhost at the configured port: the running server's port stands in for it.
    const { link } = await createOwner(server.config, ['--email', OWNER, '--name', 'Maria Lopez', '--organization', 'Maple Street Child Care']);
    const resetPath = new URL(link).pathname;
    expect(resetPath).toMatch(/^\/password-resets\/[\w-]+$/);

    const context = await browser.newContext({ viewport: LAPTOP, baseURL: server.url });
    const page = await context.newPage();
    // No page of the journey may answer with a server error.
    const failures: string[] = [];
    page.on('response', (r) => {
      if (r.status() >= 500) failures.push(`${r.status()} ${r.request().method()} ${r.url()}`);
    });

    // --- The password, then the organization's set-up page.
    await page.goto(resetPath);
    expect(await text(page, 'h1')).toBe('Set your password');
    await page.fill('#password', PASSWORD);
    await page.fill('#passwordConfirmation', PASSWORD);
    await clickTo(page, /\/organizations\/[0-9a-f-]{36}\/setup$/, 'button:text-is("Save password")');
    expect(await text(page, 'h1')).toBe('Set up your center');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'setup-organization');
    await atPhoneWidth(page, 'setup-organization');

    // --- Step 1: the center.
    await clickTo(page, /\/centers\/new\?next=setup$/, 'a:text-is("Add your center")');
    expect(await text(page, 'h1')).toBe('Set-up, step 1 of 4: the center');
    await page.fill('#name', CENTER);
    await page.fill('#licenseNumber', 'MN-1104582');
    await page.selectOption('#packId', 'MN');
    await page.fill('#timeZone', ZONE);
    await page.fill('#opensAt', '06:30');
    await page.fill('#closesAt', '18:00');
    await clickTo(page, /\/centers\/[0-9a-f-]{36}\/setup$/, 'button:text-is("Add center")');
    const centerPath = new URL(page.url()).pathname.replace(/\/setup$/, '');
    expect(await text(page, 'h1')).toBe('Set-up checklist');
    expect(await text(page, '.setup-step:nth-child(1)')).toContain(`${CENTER}, license MN-1104582`);
    expect(await text(page, '.setup-step:nth-child(1)')).toContain(`${ZONE} · open 06:30–18:00`);
    expect(await text(page, '.setup-step:nth-child(2)')).toContain('No rooms yet.');

    // --- Step 2: three rooms, each from the checklist and back to it.
    for (const room of ROOMS) {
      await clickTo(page, /\/rooms\/new\?next=setup$/, '.setup-step:nth-child(2) a.button-link');
      expect(await text(page, 'h1')).toBe('Set-up, step 2 of 4: add a room');
      await page.fill('#name', room.name);
      await page.check(`input[name="ageCategories"][value="${room.category}"]`);
      await page.fill('#licensedCapacity', String(room.capacity));
      await clickTo(page, /\/centers\/[0-9a-f-]{36}\/setup$/, 'button:text-is("Add room")');
    }
    const roomsStep = await text(page, '.setup-step:nth-child(2)');
    expect(roomsStep).toContain('3 rooms.');
    expect(roomsStep).toContain('Infants · Infant · capacity 8');
    expect(roomsStep).toContain('Toddlers · Toddler · capacity 14');
    expect(roomsStep).toContain('Preschool · Preschooler · capacity 20');
    expect(await text(page, '#gaps-heading + *')).toContain('No children on file yet');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'setup-checklist-rooms');
    await atPhoneWidth(page, 'setup-checklist-rooms');

    // --- Step 3: the import page; the templates are there to download.
    await clickTo(page, /\/import$/, 'a:text-is("Import children and people")');
    expect(await text(page, 'h1')).toBe('Import children and people');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'setup-import');
    await atPhoneWidth(page, 'setup-import');
    const template = await page.request.get(`${centerPath}/import/templates/people.csv`);
    expect(template.status()).toBe(200);
    const templateHeader = (await template.text()).replace(/^\uFEFF/, '').split(/\r?\n/)[0]!.split(',');
    // MN counts staff at a level they hold: the template asks for it, and for each of the pack's trainings.
    for (const column of ['name', 'role', 'level', 'adult', 'email', 'background_study', 'study_cleared_on', ...STAFF_TRAININGS]) expect(templateHeader).toContain(column);

    // Children: the preview, then the import.
    await page.setInputFiles('#children-file', { name: 'children.csv', mimeType: 'text/csv', buffer: Buffer.from(childrenCsv(), 'utf8') });
    await clickTo(page, /\/import\/preview(\?|$)/, 'button:text-is("Check the children file")');
    expect(await text(page, 'h1')).toBe('Check the children to import');
    expect(await text(page, 'h1 + p')).toBe('children.csv: 40 rows. 40 to add, 0 already on file, 0 with problems.');
    expect(await text(page, 'p.hint:has-text("Columns not used")')).toBe('Columns not used: Allergies.');
    expect(await page.locator('tbody tr').count()).toBe(40);
    expect(await page.locator('tbody .tag:text-is("Add")').count()).toBe(40);
    expect(await text(page, 'tbody tr:first-child')).toMatch(/^2 Add Ava A\., born \d{4}-\d\d-\d\d, Infants, Mon-Fri 08:00–16:00$/);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'setup-import-preview-children');
    await atPhoneWidth(page, 'setup-import-preview-children', { tablesFit: true });
    await clickTo(page, /\/children$/, 'button:text-is("Import 40 children")');
    expect(await text(page, '.flash')).toBe('40 children added.');
    expect(await page.locator('tbody tr').count()).toBe(40);

    // People: the preview, "I have seen these training records", the import.
    await clickTo(page, /\/import$/, 'a:text-is("Import from a spreadsheet")');
    await page.setInputFiles('#people-file', { name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(peopleCsv(), 'utf8') });
    await clickTo(page, /\/import\/preview(\?|$)/, 'button:text-is("Check the people file")');
    expect(await text(page, 'h1')).toBe('Check the people to import');
    expect(await text(page, 'h1 + p')).toBe('people.csv: 12 rows. 12 to add, 0 already on file, 0 with problems.');
    expect(await page.locator('tbody .tag:text-is("Add")').count()).toBe(12);
    // What each row will be: the level the pack counts, the study, the trainings, and the email an invitation goes to.
    expect(await text(page, 'tbody tr:has-text("Finn Berg")')).toMatch(
      /^7 Add Finn Berg, assistant teacher, level assistant teacher, email finn\.berg@example\.org, background study cleared, trainings: Orientation \d{4}-\d\d-\d\d; Safe sleep \(SUID\)/,
    );
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'setup-import-preview-people');
    await atPhoneWidth(page, 'setup-import-preview-people', { tablesFit: true });
    await page.check('#seenRecords');
    await clickTo(page, /\/people$/, 'button:text-is("Import 12 people")');
    const trainingRecords = PEOPLE.reduce((n, p) => n + (p.role === 'volunteer' ? 1 : STAFF_TRAININGS.length), 0);
    expect(await text(page, '.flash')).toBe(`12 people added; ${trainingRecords} training records verified.`);
    expect(await page.locator('tbody tr').count()).toBe(12);

    // --- Step 4: the usual week, from the checklist.
    await page.goto(`${centerPath}/setup`);
    expect(await text(page, '.setup-step:nth-child(3)')).toContain('40 children, 12 people.');
    expect(await text(page, '.setup-step:nth-child(4)')).toContain('Usual week: 0 of 3 rooms have staff planned');
    await clickTo(page, /\/schedules\?next=setup$/, 'a:text-is("Plan the usual week")');
    for (const shift of USUAL_WEEK) {
      const person = await page.locator('#personId option', { hasText: shift.person }).getAttribute('value');
      await page.selectOption('#personId', person!);
      await page.selectOption('#roomId', { label: shift.room });
      for (const weekday of ['1', '2', '3', '4', '5']) await page.check(`input[name="weekdays"][value="${weekday}"]`);
      await page.fill('#start', shift.start);
      await page.fill('#end', shift.end);
      await clickTo(page, /\/schedules\?next=setup$/, 'button:text-is("Add to the week")');
      expect(await text(page, '.flash')).toContain(`Added ${shift.person} in ${shift.room}, ${shift.start}–${shift.end} on Mon, Tue, Wed, Thu, Fri.`);
    }
    await screenshot(page, 'setup-usual-week');
    await clickTo(page, /\/centers\/[0-9a-f-]{36}\/setup$/, 'a:text-is("Back to the set-up checklist")');
    expect(await text(page, '.setup-step:nth-child(4)')).toContain('Usual week: 3 of 3 rooms have staff planned');
    expect(await page.locator('.setup-step-done').count()).toBe(4);
    const gaps = await text(page, '#gaps-heading + *');
    expect(gaps).not.toMatch(/no usual staff|No children|No staff|await review|no children/);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'setup-checklist-done');

    // --- Everyone with an email, invited at once from the people list.
    await clickTo(page, /\/people(#invite-everyone)?$/, 'a:text-is("invite everyone with an email")');
    const invite = page.locator('#invite-everyone button');
    expect(await invite.innerText()).toBe(`Invite everyone with an email and no account (${WITH_EMAIL.length})`);
    await clickTo(page, /\/invitations\/bulk$/, '#invite-everyone button');
    expect(await text(page, 'h1')).toBe('Invitation links');
    const cards = page.locator('.invite-card');
    expect(await cards.count()).toBe(WITH_EMAIL.length);
    const names = await cards.locator('h3').allInnerTexts();
    expect([...names].sort()).toEqual(WITH_EMAIL.map((p) => p.name).sort());
    for (const p of WITH_EMAIL) {
      const card = page.locator(`.invite-card:has(h3:text-is("${p.name}"))`);
      expect(await card.locator('.muted').innerText()).toContain(p.email.toLowerCase());
      expect(await card.locator(`.qr[role="img"][aria-label="QR code of ${p.name}'s link"] svg`).count()).toBe(1);
      expect(await card.locator('input[readonly]').inputValue()).toMatch(new RegExp(`^${server.url}/invitations/[\\w-]+$`));
    }
    expect(await text(page, '.invite-card:has(h3:text-is("Lena Holm")) .muted')).toMatch(/^Joins as director/);
    expect(await text(page, '.invite-card:has(h3:text-is("Ana Torres")) .muted')).toMatch(/^Joins as staff/);
    expect(await text(page, '.invite-card:has(h3:text-is("Kai Dahl")) .muted')).toMatch(/^Joins as volunteer/);
    expect(await text(page, 'main')).toContain('3 without an account have no email on file');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'setup-bulk-invitations');
    await atPhoneWidth(page, 'setup-bulk-invitations');
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.invite-card .print-only').first().isVisible()).toBe(true);
    expect(await page.locator('.invite-card input').first().isVisible()).toBe(false);
    await screenshot(page, 'setup-bulk-invitations-print');
    await page.emulateMedia({ media: 'screen' });

    // --- The board: the three rooms.
    await page.goto(centerPath);
    await clickTo(page, /\/board$/, '.center-nav a:text-is("Board")');
    const boardRooms = await page.locator('article.room-card h2').allInnerTexts();
    expect(boardRooms.map((r) => r.trim()).sort()).toEqual(['Infants', 'Preschool', 'Toddlers']);
    await screenshot(page, 'setup-board');

    // --- The day plan shows the usual week: the next weekday (never today, whose plan the job runner may
    // have made, as it makes every center's day, before the usual week existed).
    let day = today.plus({ days: 1 });
    while (day.weekday > 5) day = day.plus({ days: 1 });
    await page.goto(`${centerPath}/plan?day=${iso(day)}`);
    expect(await text(page, 'h1')).toMatch(/^Day plan: /);
    for (const room of ROOMS) {
      const section = page.locator(`section.plan-room:has(h2:text-is("${room.name}"))`);
      const shiftTable = section.locator('h3:text-is("Shifts") + .table-wrap tbody');
      const shifts = (await shiftTable.locator('th[scope="row"]').allInnerTexts()).map((s) => s.replace(/\s+/g, ' ').trim());
      const expected = USUAL_WEEK.filter((s) => s.room === room.name);
      expect(shifts.length, room.name).toBe(expected.length);
      for (const s of expected) expect(shifts.some((t) => t.startsWith(s.person)), `${s.person} in ${room.name}`).toBe(true);
      expect(await shiftTable.locator('td.num').allInnerTexts()).toEqual(expected.map((s) => `${s.start}–${s.end}`));
      // The imported children are expected there too, on their usual days.
      expect(await section.locator('h3:text-is("Children expected") + .table-wrap tbody tr').count(), room.name).toBe(CHILDREN_PER_ROOM[room.name]);
    }
    await screenshot(page, 'setup-day-plan');

    expect(failures).toEqual([]);
    await context.close();
  });
});
