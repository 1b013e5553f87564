import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { appendAudit } from './audit.js';
import { loadCenterRows, type CenterRows } from './center-state.js';
import { hasDayPlan, insertDayPlan } from './day-plans.js';
import { addHandoffNote } from './handoff-notes.js';
import { closeStalePresences, hasPresenceSince, listOpenPresencesInCenter, type Presence, type Subject } from './presences.js';
import { newId, type Center } from './rows.js';
import { listShiftTemplatesForWeekday } from './shift-templates.js';
import type { ShiftInput } from './shifts.js';
import { recordStatusTimeline, type StatusNow, type StatusStep } from './status-history.js';

/**
 * Checks the demo center's day in, so the board has something true to show: most
 * rooms ok, Toddlers at its limit, and Infants staffed by the demo staff login's
 * teacher (Sam Rivera) with a substitute teacher, so that Sam leaving puts it out of
 * ratio and the demo volunteer (Jo Nguyen, fully trained, not checked in) arriving
 * makes it ok again. Runs once per day in the center's zone: leftovers of earlier
 * days are ended first. Names are those of seed-demo.ts; a name not found is skipped.
 *
 * Today's plan is made from the weekly templates, as any day's, then shaped around the
 * moment the demo starts (see planDemoDay), so that Infants shows `needs cover by` on
 * the board within the hour whenever the demo is seeded.
 *
 * The presences are backdated (staff from 06:30), so the status history is written
 * from them too, with their real instants (see replayHistory): it agrees with the day
 * plan from the first presence on, instead of starting when the server first wrote.
 */

/**
 * The rooms `roomIds` judged at `at` from `rows` as given, as the board judges them
 * (services/center-state.ts `statusesFrom`). Handed in: the engine's caller lives
 * above db/, which may not import it.
 */
export type StatusesAt = (rows: CenterRows, at: Date, roomIds: readonly string[]) => readonly StatusNow[];

type Plan = { room: string; people: readonly string[]; children: 'home' | readonly string[]; alsoChildren?: readonly string[]; exceptChildren?: readonly string[] };

const PLAN: readonly Plan[] = [
  // Ava K. is younger than Minnesota's 6 weeks on the seeding day: not checked in.
  { room: 'Infants', people: ['Sam Rivera', 'Ruth Olson'], children: ['Leo M.', 'Mia S.', 'Noah P.', 'Zoe T.', 'Eli R.'] },
  // Nora C. turned 33 months (a preschooler) and spends the day with her old group: judged at the toddler ratio, 7 children for 1 teacher.
  { room: 'Toddlers', people: ['Priya Shah'], children: 'home', alsoChildren: ['Nora C.'] },
  // Tom Berg (17) counts only under supervision; Hank Peterson's CPR has expired, so he does not count.
  { room: 'Preschool', people: ['Ben Carter', 'Lena Novak', 'Tom Berg', 'Hank Peterson'], children: 'home', exceptChildren: ['Nora C.'] },
  { room: 'School-age', people: ['Maria Lindqvist', 'Omar Haddad'], children: 'home' },
];

const NOTES: readonly { room: string; body: string }[] = [
  { room: 'Infants', body: 'Mia went down for a nap at 6:40; check on her every 15 minutes.' },
  { room: 'Infants', body: 'Noah: bottle at 9:00, formula in the fridge, labelled. Zoe: no dairy.' },
];

export async function seedDemoDay(db: Knex, center: Center, at: Date, statusesAt: StatusesAt): Promise<{ seeded: boolean }> {
  const zone = center.timeZone;
  const now = DateTime.fromJSDate(at, { zone });
  const today = now.startOf('day');
  if (await hasPresenceSince(db, center.id, today.toJSDate())) return { seeded: false };

  return db.transaction(async (trx) => {
    // Yesterday's demo left people in rooms overnight: end them at that day's closing time.
    const closingOf = (startedAt: string) => {
      const started = DateTime.fromISO(startedAt, { zone: 'utc' }).setZone(zone);
      const closing = started.set({ hour: 18, minute: 0, second: 0, millisecond: 0 });
      return (closing > started ? closing : started).toJSDate();
    };
    const stale: Replayed[] = [];
    for (const subject of ['child', 'person'] as const) {
      for (const p of await listOpenPresencesInCenter(trx, subject, center.id)) {
        if (p.startedAt < today.toJSDate().toISOString()) stale.push({ subject, presence: { ...p, endedAt: closingOf(p.startedAt).toISOString() } });
      }
    }
    await closeStalePresences(trx, center.id, today.toJSDate(), closingOf);
    await trx('room_activities').where({ center_id: center.id }).whereNull('ended_at').update({ ended_at: at.toISOString() });

    const rooms = (await trx('rooms').where({ center_id: center.id }).whereNull('archived_at').select('id', 'name')) as { id: string; name: string }[];
    const people = (await trx('people').where({ center_id: center.id }).whereNull('archived_at').select('id', 'display_name', 'role')) as { id: string; display_name: string; role: string }[];
    const children = (await trx('children').where({ center_id: center.id }).whereNull('archived_at').select('id', 'display_name', 'home_room_id')) as {
      id: string;
      display_name: string;
      home_room_id: string | null;
    }[];
    const personId = new Map(people.map((p) => [p.display_name, p.id]));
    const childByName = new Map(children.map((c) => [c.display_name, c]));
    const seeded: Replayed[] = [];
    const open = (subject: Subject, roomId: string, subjectId: string, startedAt: string, words?: string) => {
      const presence: Presence = { id: newId(), centerId: center.id, roomId, subjectId, startedAt, endedAt: null };
      seeded.push({ subject, presence, words });
      const column = subject === 'child' ? 'child_id' : 'person_id';
      return trx(subject === 'child' ? 'child_presences' : 'person_presences').insert({ id: presence.id, center_id: center.id, room_id: roomId, [column]: subjectId, started_at: startedAt, ended_at: null });
    };

    // Staff from 06:30, children from 06:45, a few minutes apart; never after `at`.
    const clamp = (t: DateTime) => (t < now ? t : now).toJSDate().toISOString();
    let staffAt = today.set({ hour: 6, minute: 30 });
    let childAt = today.set({ hour: 6, minute: 45 });
    const presences = { person: 0, child: 0 };
    const placed: Placed[] = [];
    for (const plan of PLAN) {
      const room = rooms.find((r) => r.name === plan.room);
      if (!room) continue;
      for (const name of plan.people) {
        const id = personId.get(name);
        if (!id) continue;
        const role = people.find((p) => p.id === id)!.role;
        // As a live arrival's cause reads: "Teacher Sam Rivera".
        await open('person', room.id, id, clamp(staffAt), `${role.charAt(0).toUpperCase()}${role.slice(1).replaceAll('_', ' ')} ${name}`);
        placed.push({ personId: id, roomId: room.id, startedAt: clamp(staffAt), leavesEarly: plan.room === LEAVES_EARLY.room && name === LEAVES_EARLY.person });
        staffAt = staffAt.plus({ minutes: 3 });
        presences.person += 1;
      }
      const names =
        plan.children === 'home'
          ? children.filter((c) => c.home_room_id === room.id && !(plan.exceptChildren ?? []).includes(c.display_name)).map((c) => c.display_name)
          : [...plan.children];
      for (const name of [...names, ...(plan.alsoChildren ?? [])]) {
        const child = childByName.get(name);
        if (!child) continue;
        await open('child', room.id, child.id, clamp(childAt));
        childAt = childAt.plus({ minutes: 2 });
        presences.child += 1;
      }
    }

    const author = (await trx('memberships').where({ center_id: center.id, role: 'staff' }).whereNull('deactivated_at').first('user_id')) as { user_id: string } | undefined;
    if (author) {
      for (const note of NOTES) {
        const room = rooms.find((r) => r.name === note.room);
        if (room) await addHandoffNote(trx, { centerId: center.id, roomId: room.id, day: today.toISODate()!, body: note.body, authorUserId: author.user_id, at });
      }
    }
    const shifts = await planDemoDay(trx, center, today, now, placed);
    const intervals = await replayHistory(trx, center, [...stale, ...seeded], statusesAt);
    await appendAudit(trx, {
      at,
      organizationId: center.organizationId,
      centerId: center.id,
      action: 'demo.day_started',
      recordType: 'center',
      recordId: center.id,
      after: { day: today.toISODate(), personPresences: presences.person, childPresences: presences.child, shiftsShaped: shifts, historyIntervals: intervals },
    });
    return { seeded: true };
  });
}

/** A presence the demo day wrote (opened today, or a leftover it ended), with the person's words for a cause. */
type Replayed = { readonly subject: Subject; readonly presence: Presence; readonly words?: string | undefined };

/**
 * Writes the status history of what the demo day wrote, as the live writes would have
 * left it: the presences' starts and ends in time order, at each instant the rooms
 * touched then judged (`statusesAt`, the board's judging) from the presences open at
 * that instant, and an interval started wherever a room's figures changed, at that
 * instant, with the cause a live write gives ("Teacher Sam Rivera arrived", "child
 * checked in"). Yesterday's leftovers end at their closing time, so yesterday's last
 * intervals end then too. The center's other rows are those of now (trainings,
 * activities: the demo ended every activity). Answers how many intervals it opened.
 */
async function replayHistory(trx: Knex.Transaction, center: Center, replayed: readonly Replayed[], statusesAt: StatusesAt): Promise<number> {
  if (replayed.length === 0) return 0;
  const rows = await loadCenterRows(trx, center.id, { everyone: true });
  type Change = { roomId: string; started?: Replayed; ended?: Replayed };
  const changes = new Map<string, Change[]>();
  const add = (iso: string, change: Change) => {
    let list = changes.get(iso);
    if (!list) changes.set(iso, (list = []));
    list.push(change);
  };
  for (const r of replayed) {
    // A leftover's start was recorded by the write that made it, on its day.
    if (r.presence.endedAt === null) add(r.presence.startedAt, { roomId: r.presence.roomId, started: r });
    else add(r.presence.endedAt, { roomId: r.presence.roomId, ended: r });
  }
  const openAt = (subject: Subject, iso: string) =>
    replayed.filter((r) => r.subject === subject && r.presence.startedAt <= iso && (r.presence.endedAt === null || r.presence.endedAt > iso)).map((r) => r.presence);
  const steps: StatusStep[] = [];
  for (const iso of [...changes.keys()].sort()) {
    const here = changes.get(iso)!;
    const roomIds = [...new Set(here.map((c) => c.roomId))];
    const judged = statusesAt({ ...rows, childPresences: openAt('child', iso), personPresences: openAt('person', iso) }, new Date(iso), roomIds);
    steps.push({ at: new Date(iso), cause: '', statuses: judged.map((s) => ({ ...s, cause: causeOf(here.filter((c) => c.roomId === s.roomId)) })) });
  }
  return recordStatusTimeline(trx, center.id, steps);
}

/** A room's change at one instant in words, as a live write's cause, never a child's name. */
function causeOf(changes: readonly { started?: Replayed; ended?: Replayed }[]): string {
  if (changes.every((c) => c.ended)) return 'not checked out: ended at closing';
  const people = changes.filter((c) => c.started?.subject === 'person');
  const children = changes.filter((c) => c.started?.subject === 'child').length;
  if (people.length === 1 && children === 0) return `${people[0]!.started!.words} arrived`;
  if (people.length === 0 && children === 1) return 'child checked in';
  const parts = [people.length > 0 ? `${people.length} ${people.length === 1 ? 'person' : 'people'} arrived` : '', children > 0 ? `${children} children checked in` : ''];
  return parts.filter(Boolean).join(', ');
}

type Placed = { readonly personId: string; readonly roomId: string; readonly startedAt: string; readonly leavesEarly: boolean };

/** Whose shift ends while the children stay: the room the board flags. */
const LEAVES_EARLY = { room: 'Infants', person: 'Ruth Olson' } as const;
/** The demo children's latest planned departure (seed-demo.ts). */
const LAST_DEPARTURE = { hour: 17, minute: 30 } as const;

/**
 * Makes today's plan from the weekly templates (unless it exists), then fits the shifts
 * of the people the demo checked in to the moment it starts: each starts no later than
 * their check-in; when the children's departures are within the hour or past (a checked-in
 * child stays until checked out), the closing shifts run to midnight; and Ruth Olson's
 * Infants shift ends 30 minutes from now (on the 5 minutes), before the infants leave if
 * they have not yet, so the room needs cover within the board's default hour. Answers how
 * many shifts were shaped.
 */
async function planDemoDay(trx: Knex.Transaction, center: Center, today: DateTime, now: DateTime, placed: readonly Placed[]): Promise<number> {
  const day = today.toISODate()!;
  const local = (hhmm: string) => {
    const [hour, minute] = hhmm.split(':').map(Number) as [number, number];
    return today.set({ hour, minute });
  };
  if (!(await hasDayPlan(trx, center.id, day))) {
    const templates = await listShiftTemplatesForWeekday(trx, center.id, today.weekday);
    const shifts: ShiftInput[] = templates.map((t) => ({
      centerId: center.id,
      roomId: t.roomId,
      personId: t.personId,
      day,
      startsAt: local(t.start).toJSDate(),
      endsAt: local(t.end).toJSDate(),
      source: 'template',
      breaks: t.breakStart && t.breakEnd ? [{ startsAt: local(t.breakStart).toJSDate(), endsAt: local(t.breakEnd).toJSDate() }] : [],
      createdByUserId: null,
    }));
    await insertDayPlan(trx, center.id, day, shifts, now.toJSDate());
  }

  const lastDeparture = today.set(LAST_DEPARTURE);
  const lateDay = now.plus({ hours: 1 }) >= lastDeparture;
  const midnight = today.plus({ days: 1 });
  let shaped = 0;
  for (const p of placed) {
    const shift = (await trx('shifts')
      .where({ center_id: center.id, day, person_id: p.personId, room_id: p.roomId })
      .whereNull('cancelled_at')
      .orderBy('starts_at')
      .first('id', 'starts_at', 'ends_at')) as { id: string; starts_at: string; ends_at: string } | undefined;
    // A volunteer the demo checks in has no shift (and Hank does not count anyway): as the room page does for
    // anyone started without one, a shift from their start to closing time is recorded, so the forecast knows when
    // they are expected to leave (to midnight late in the day, as the closing shifts).
    if (!shift) {
      const closing = local(center.closesAt);
      const until = lateDay || closing <= now ? midnight : closing;
      await trx('shifts').insert({ id: newId(), center_id: center.id, room_id: p.roomId, person_id: p.personId, day, starts_at: p.startedAt, ends_at: until.toJSDate().toISOString(), source: 'plan', created_at: now.toJSDate().toISOString(), created_by_user_id: null, cancelled_at: null, cancelled_by_user_id: null });
      continue;
    }
    const start = DateTime.min(DateTime.fromISO(shift.starts_at, { zone: center.timeZone }), DateTime.fromISO(p.startedAt, { zone: center.timeZone }));
    let end: DateTime = DateTime.fromISO(shift.ends_at, { zone: center.timeZone });
    if (p.leavesEarly) {
      const soon = now.plus({ minutes: 30 });
      let target = soon.startOf('minute').plus({ minutes: (5 - (soon.minute % 5)) % 5 });
      if (now < lastDeparture) target = DateTime.min(target, lastDeparture.minus({ minutes: 15 }));
      // Still ahead of now: someone present past their shift's end counts as here ("still here?"), not as gone.
      if (target <= now.plus({ minutes: 1 })) target = now.startOf('minute').plus({ minutes: 2 });
      end = DateTime.min(target, midnight.minus({ minutes: 5 }));
    } else if (lateDay && end >= lastDeparture) {
      end = midnight;
    } else if (end <= now.plus({ hours: 1 })) {
      // Checked in all day by the demo: their shift runs while the children are here, so the
      // board shows neither "still here?" after a template's end nor a second room flagged.
      end = lateDay ? midnight : DateTime.max(end, lastDeparture);
    }
    if (end <= start) end = start.plus({ minutes: 1 });
    const startsAt = start.toJSDate().toISOString();
    const endsAt = end.toJSDate().toISOString();
    await trx('shifts').where({ id: shift.id }).update({ starts_at: startsAt, ends_at: endsAt });
    // A break no longer inside the shift goes with it.
    await trx('shift_breaks')
      .where({ shift_id: shift.id })
      .andWhere((q) => q.where('starts_at', '<', startsAt).orWhere('ends_at', '>', endsAt))
      .delete();
    shaped += 1;
  }
  return shaped;
}
