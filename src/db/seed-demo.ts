import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { appendAudit } from './audit.js';
import { createChild } from './children.js';
import { createCenter } from './centers.js';
import { createMembership } from './memberships.js';
import { createOrganization } from './organizations.js';
import { createPerson, type NewPerson } from './people.js';
import { insertRoomNap } from './room-naps.js';
import { createRoom } from './rooms.js';
import { insertShiftTemplate } from './shift-templates.js';
import { newId, type MembershipRole } from './rows.js';
import { createTrainingRecord } from './trainings.js';
import { createUser } from './users.js';

/**
 * The demo a first start seeds: one Minnesota center with rooms for every age
 * category, staff, children whose ages sit on both sides of each Minnesota
 * boundary on the day it is seeded, and volunteers in every training and
 * background-study state. The logins are fixed and public, so anyone can try it.
 */

export const DEMO_PASSWORD = 'ratiowatch-demo';
export const DEMO_LOGINS: readonly { role: MembershipRole; email: string }[] = [
  { role: 'owner', email: 'owner@demo.ratiowatch.test' },
  { role: 'director', email: 'director@demo.ratiowatch.test' },
  { role: 'staff', email: 'staff@demo.ratiowatch.test' },
  { role: 'volunteer', email: 'volunteer@demo.ratiowatch.test' },
];
export const DEMO_CENTER_NAME = 'Maple Street Early Learning (demo)';
const ZONE = 'America/Chicago';

// The Minnesota pack's training ids (src/domain/rules/mn.ts); db/ may not import domain values.
const MN_TRAININGS = ['orientation', 'suid', 'aht', 'first_aid', 'cpr', 'child_development'] as const;
type TrainingId = (typeof MN_TRAININGS)[number];

export type SeedDemoOptions = {
  readonly at: Date;
  /** Hashes the demo password; each user gets its own salt. */
  readonly hashPassword: (password: string) => Promise<string>;
};

/** Seeds the demo in one transaction; does nothing when the demo owner already exists. */
export async function seedDemo(db: Knex, { at, hashPassword }: SeedDemoOptions): Promise<{ created: boolean }> {
  const hashes = await Promise.all(DEMO_LOGINS.map(() => hashPassword(DEMO_PASSWORD)));
  const today = DateTime.fromJSDate(at, { zone: ZONE }).startOf('day');
  const iso = (d: DateTime) => d.toISODate()!;
  const ago = (d: { years?: number; months?: number; weeks?: number; days?: number }) => iso(today.minus(d));

  return db.transaction(async (trx) => {
    if (await trx('users').where({ email: DEMO_LOGINS[0]!.email }).first('id')) return { created: false };

    const org = await createOrganization(trx, { name: 'Maple Street Child Care (demo)', at });
    const center = await createCenter(trx, {
      organizationId: org.id,
      name: DEMO_CENTER_NAME,
      packId: 'MN',
      timeZone: ZONE,
      licenseNumber: 'DEMO-0000',
      isDemo: true,
      at,
    });
    const c = center.id;

    const rooms = {
      infants: await createRoom(trx, { centerId: c, name: 'Infants', ageCategories: ['infant'], licensedCapacity: 8, at }),
      toddlers: await createRoom(trx, { centerId: c, name: 'Toddlers', ageCategories: ['toddler'], licensedCapacity: 14, at }),
      preschool: await createRoom(trx, { centerId: c, name: 'Preschool', ageCategories: ['preschooler'], licensedCapacity: 20, at }),
      schoolAge: await createRoom(trx, { centerId: c, name: 'School-age', ageCategories: ['school_age'], licensedCapacity: 30, at }),
    };

    const cleared = { backgroundStudy: 'cleared', backgroundClearedOn: ago({ months: 11 }) };
    const person = (p: Omit<NewPerson, 'centerId' | 'at'>) => createPerson(trx, { centerId: c, at, ...p });
    const train = async (personId: string, ids: readonly TrainingId[], completedOn: string, status: 'verified' | 'submitted' = 'verified') => {
      for (const trainingId of ids) {
        await createTrainingRecord(trx, { centerId: c, personId, trainingId, completedOn, status, provider: 'Demo provider', reviewedAt: status === 'verified' ? at : null, at });
      }
    };

    // Staff: cleared and trained.
    const staffPeople = [
      { displayName: 'Maria Lindqvist', role: 'director', qualifiesAs: 'teacher' },
      { displayName: 'Sam Rivera', role: 'teacher' },
      { displayName: 'Priya Shah', role: 'teacher' },
      { displayName: 'Ben Carter', role: 'teacher' },
      { displayName: 'Lena Novak', role: 'assistant_teacher' },
      { displayName: 'Omar Haddad', role: 'assistant_teacher' },
      { displayName: 'Grace Kim', role: 'aide' },
      // 17: counts as an aide only under direct supervision in Minnesota.
      { displayName: 'Tom Berg', role: 'aide', birthDate: ago({ years: 17, months: 3 }) },
      { displayName: 'Ruth Olson', role: 'substitute', qualifiesAs: 'teacher' },
    ];
    const staff: Record<string, string> = {};
    for (const s of staffPeople) {
      const p = await person({ ...s, adultAttested: !('birthDate' in s), startedOn: ago({ years: 1 }), ...cleared });
      staff[s.displayName] = p.id;
      await train(p.id, MN_TRAININGS, ago({ months: 2 }));
    }

    // Volunteers: one of each state a director meets.
    const volunteer = (displayName: string, extra: Partial<NewPerson> = {}) =>
      person({ displayName, role: 'volunteer', qualifiesAs: 'aide', adultAttested: true, startedOn: ago({ months: 6 }), ...cleared, ...extra });
    const jo = await volunteer('Jo Nguyen');
    await train(jo.id, MN_TRAININGS, ago({ months: 1 }));
    const hank = await volunteer('Hank Peterson');
    await train(hank.id, ['orientation', 'suid', 'aht', 'first_aid', 'child_development'], ago({ months: 3 }));
    await train(hank.id, ['cpr'], ago({ years: 2, months: 2 })); // past its 24-month renewal
    const ivy = await volunteer('Ivy Larson');
    await train(ivy.id, ['orientation', 'aht', 'first_aid', 'cpr', 'child_development'], ago({ months: 2 })); // no SUID
    const carl = await volunteer('Carl Mendez', { backgroundStudy: 'submitted', backgroundClearedOn: null });
    await train(carl.id, MN_TRAININGS, ago({ months: 1 }));
    const nora = await volunteer('Nora Brandt');
    await train(nora.id, ['orientation', 'suid', 'aht', 'cpr', 'child_development'], ago({ months: 2 }));
    await train(nora.id, ['first_aid'], ago({ weeks: 1 }), 'submitted'); // awaiting the director's check

    // Children: ages on both sides of Minnesota's 6-week, 16-month and 33-month marks and of kindergarten.
    const children: [string, string, keyof typeof rooms, boolean?][] = [
      ['Ava K.', ago({ weeks: 5, days: 6 }), 'infants'], // one day short of 6 weeks: below the youngest category
      ['Leo M.', ago({ weeks: 6 }), 'infants'], // 6 weeks today
      ['Mia S.', ago({ months: 3 }), 'infants'],
      ['Noah P.', ago({ months: 8 }), 'infants'],
      ['Zoe T.', ago({ months: 12 }), 'infants'],
      ['Eli R.', ago({ months: 16, days: -1 }), 'infants'], // infant until tomorrow
      ['Ivy B.', ago({ months: 16 }), 'toddlers'], // 16 months today
      ['Max H.', ago({ months: 16, weeks: 1 }), 'toddlers'],
      ['Lily D.', ago({ months: 20 }), 'toddlers'],
      ['Omar J.', ago({ months: 24 }), 'toddlers'],
      ['Ruby W.', ago({ months: 28 }), 'toddlers'],
      ['Finn A.', ago({ months: 33, days: -1 }), 'toddlers'], // toddler until tomorrow
      ['Nora C.', ago({ months: 33 }), 'preschool'], // 33 months today
      ['Jack L.', ago({ months: 34 }), 'preschool'],
      ['Emma G.', ago({ years: 3, months: 2 }), 'preschool'],
      ['Owen F.', ago({ years: 3, months: 8 }), 'preschool'],
      ['Aria N.', ago({ years: 4 }), 'preschool'],
      ['Sam V.', ago({ years: 4, months: 6 }), 'preschool'],
      ['Theo E.', ago({ years: 5, months: 1 }), 'preschool'], // five, not yet in kindergarten
      ['Maya Q.', ago({ years: 5, months: 3 }), 'schoolAge', true], // five and attending kindergarten
      ['Lucas Y.', ago({ years: 6 }), 'schoolAge', true],
      ['Ella U.', ago({ years: 7, months: 4 }), 'schoolAge', true],
      ['Henry I.', ago({ years: 8, months: 6 }), 'schoolAge', true],
      ['Chloe Z.', ago({ years: 10 }), 'schoolAge', true],
    ];
    const childIds: Record<string, string> = {};
    for (const [displayName, birthDate, room, attendsKindergarten] of children) {
      childIds[displayName] = (await createChild(trx, { centerId: c, displayName, birthDate, attendsKindergarten: attendsKindergarten ?? false, homeRoomId: rooms[room].id, at })).id;
    }

    // The usual week, every day (the demo opens every day, so it can be tried on any): the children's
    // expected hours, the staff's shifts and the rooms' naps. Ruth Olson's Infants shift ends at 15:00
    // while the infants stay until 17:30: the forecast needs cover there (seed-demo-day.ts brings
    // that end within the board's hour on the day the demo starts).
    const week = [1, 2, 3, 4, 5, 6, 7];
    const hours: Record<string, [string, string]> = {
      // Ava K. is too young to come yet: no hours.
      'Leo M.': ['07:00', '17:30'], 'Mia S.': ['07:30', '17:30'], 'Noah P.': ['08:00', '17:30'], 'Zoe T.': ['07:00', '17:30'], 'Eli R.': ['07:30', '17:30'],
      'Ivy B.': ['07:00', '17:00'], 'Max H.': ['07:30', '17:00'], 'Lily D.': ['08:00', '16:30'], 'Omar J.': ['07:00', '17:00'], 'Ruby W.': ['07:30', '16:30'], 'Finn A.': ['08:00', '17:00'],
      'Nora C.': ['07:30', '17:00'], 'Jack L.': ['07:30', '17:00'], 'Emma G.': ['08:00', '16:30'], 'Owen F.': ['07:00', '17:00'], 'Aria N.': ['08:00', '17:00'], 'Sam V.': ['07:30', '16:30'], 'Theo E.': ['07:30', '17:00'],
      'Maya Q.': ['07:00', '17:00'], 'Lucas Y.': ['07:00', '17:00'], 'Ella U.': ['07:30', '17:00'], 'Henry I.': ['07:30', '16:30'], 'Chloe Z.': ['07:00', '17:00'],
    };
    for (const [name, [arrive, depart]] of Object.entries(hours)) {
      await trx('child_schedules').insert(week.map((weekday) => ({ id: newId(), child_id: childIds[name]!, weekday, arrive, depart })));
    }
    const shifts: [string, keyof typeof rooms, string, string, string?, string?][] = [
      ['Sam Rivera', 'infants', '06:30', '17:30'],
      ['Ruth Olson', 'infants', '06:30', '15:00'],
      ['Priya Shah', 'toddlers', '06:30', '17:30'],
      ['Grace Kim', 'toddlers', '11:00', '15:00'],
      ['Ben Carter', 'preschool', '06:30', '17:30'],
      ['Lena Novak', 'preschool', '06:30', '15:00', '11:30', '12:00'],
      ['Tom Berg', 'preschool', '08:00', '13:00'],
      ['Maria Lindqvist', 'schoolAge', '06:30', '17:30'],
      ['Omar Haddad', 'schoolAge', '06:30', '16:00', '12:00', '12:30'],
    ];
    for (const [name, room, start, end, breakStart, breakEnd] of shifts) {
      for (const weekday of week) {
        await insertShiftTemplate(trx, { centerId: c, personId: staff[name]!, roomId: rooms[room].id, weekday, start, end, breakStart, breakEnd }, at);
      }
    }
    await insertRoomNap(trx, { centerId: c, roomId: rooms.toddlers.id, start: '12:30', end: '14:30' }, at);
    await insertRoomNap(trx, { centerId: c, roomId: rooms.preschool.id, start: '13:00', end: '14:30' }, at);

    // Accounts.
    const [ownerHash, directorHash, staffHash, volunteerHash] = hashes as [string, string, string, string];
    const account = async (role: MembershipRole, displayName: string, passwordHash: string, personId: string | null) => {
      const email = DEMO_LOGINS.find((l) => l.role === role)!.email;
      const created = await createUser(trx, { email, displayName, passwordHash, at });
      if (!created.ok) throw new Error(`demo user ${email} exists`);
      await createMembership(trx, {
        userId: created.user.id,
        organizationId: org.id,
        centerId: role === 'owner' ? null : c,
        role,
        personId,
        at,
      });
    };
    await account('owner', 'Pat Okafor', ownerHash, null);
    await account('director', 'Maria Lindqvist', directorHash, staff['Maria Lindqvist']!);
    await account('staff', 'Sam Rivera', staffHash, staff['Sam Rivera']!);
    await account('volunteer', 'Jo Nguyen', volunteerHash, jo.id);

    await appendAudit(trx, {
      at,
      organizationId: org.id,
      centerId: c,
      action: 'demo.seeded',
      recordType: 'center',
      recordId: c,
      after: { center: center.name, rooms: Object.keys(rooms).length, children: children.length, logins: DEMO_LOGINS.map((l) => l.email) },
    });
    return { created: true };
  });
}
