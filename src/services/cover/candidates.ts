import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { listAvailabilityOfPeople } from '../../db/availability.js';
import { listPeopleWhoKnowRoom } from '../../db/cover-requests.js';
import { listPeopleInCenter } from '../../db/people.js';
import type { Center, Person } from '../../db/rows.js';
import { listShiftsInCenterBetween, type Shift } from '../../db/shifts.js';
import { listTrainingRecordsOfPeople } from '../../db/trainings.js';
import type { PersonOnFile } from '../../domain/eligibility.js';
import type { CoverCandidate, Span } from '../../domain/matching.js';
import { personOnFile } from '../person-on-file.js';
import { wallTime } from '../../words/times.js';

/**
 * The people who might cover a window in a room, as the matcher takes them: their
 * record on file, when they said they can come in that day (weekly windows, and
 * "I can come in today"), their planned shifts that day (busy), their planned hours
 * that week, and whether they have worked in the room before. One query per table.
 */

export type CandidatePool = {
  readonly candidates: readonly CoverCandidate[];
  readonly people: ReadonlyMap<string, Person>;
  readonly onFile: ReadonlyMap<string, PersonOnFile>;
};

export async function loadCandidatePool(
  db: Knex,
  center: Center,
  roomId: string,
  window: Span,
  now: Date,
  opts: { readonly onlyPersonIds?: readonly string[]; readonly exclude?: ReadonlySet<string> } = {},
): Promise<CandidatePool> {
  const zone = center.timeZone;
  const day = window.start.setZone(zone).toISODate()!;
  const dayStart = window.start.setZone(zone).startOf('day');
  const weekStart = dayStart.startOf('week');
  let people = await listPeopleInCenter(db, center.id);
  if (opts.onlyPersonIds) {
    const only = new Set(opts.onlyPersonIds);
    people = people.filter((p) => only.has(p.id));
  }
  if (opts.exclude) people = people.filter((p) => !opts.exclude!.has(p.id));
  const ids = people.map((p) => p.id);
  const [records, availability, weekShifts, knows] = await Promise.all([
    listTrainingRecordsOfPeople(db, center.id, ids),
    listAvailabilityOfPeople(db, ids, day),
    listShiftsInCenterBetween(db, center.id, weekStart.toJSDate(), weekStart.plus({ weeks: 1 }).toJSDate()),
    listPeopleWhoKnowRoom(db, roomId, ids, now),
  ]);
  const byPerson = <T extends { personId: string }>(rows: readonly T[]) => {
    const out = new Map<string, T[]>();
    for (const r of rows) {
      const list = out.get(r.personId);
      if (list) list.push(r);
      else out.set(r.personId, [r]);
    }
    return out;
  };
  const recordsOf = byPerson(records);
  const windowsOf = byPerson(availability.windows);
  const todayOf = new Map(availability.today.map((t) => [t.personId, t]));
  const shiftsOf = byPerson(weekShifts);
  const dayEnd = dayStart.plus({ days: 1 });

  const onFile = new Map<string, PersonOnFile>();
  const candidates = people.map((person): CoverCandidate => {
    const file = personOnFile(person, recordsOf.get(person.id) ?? []);
    onFile.set(person.id, file);
    const available: Span[] = [];
    for (const w of windowsOf.get(person.id) ?? []) {
      if (w.weekday !== dayStart.weekday) continue;
      const start = wallTime(day, w.start, zone);
      const end = wallTime(day, w.end, zone);
      if (start && end && end > start) available.push({ start, end });
    }
    const today = todayOf.get(person.id);
    if (today) {
      const until = wallTime(day, today.until, zone);
      if (until && until > dayStart) available.push({ start: dayStart, end: until });
    }
    const shifts = shiftsOf.get(person.id) ?? [];
    const busy = shifts
      .map((s) => ({ start: DateTime.fromISO(s.startsAt, { zone: 'utc' }).setZone(zone), end: DateTime.fromISO(s.endsAt, { zone: 'utc' }).setZone(zone) }))
      .filter((s) => s.start < dayEnd && s.end > dayStart);
    return {
      id: person.id,
      name: person.displayName,
      person: file,
      available,
      busy,
      hoursThisWeek: plannedHours(shifts),
      knowsRoom: knows.has(person.id),
    };
  });
  return { candidates, people: new Map(people.map((p) => [p.id, p])), onFile };
}

/** Hours of the shifts, breaks taken out. */
function plannedHours(shifts: readonly Shift[]): number {
  let ms = 0;
  for (const s of shifts) {
    ms += Date.parse(s.endsAt) - Date.parse(s.startsAt);
    for (const b of s.breaks) ms -= Date.parse(b.endsAt) - Date.parse(b.startsAt);
  }
  return Math.max(0, ms) / 3_600_000;
}
