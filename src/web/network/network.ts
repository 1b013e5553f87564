import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { listOpenCoverRequests, type CoverRequest } from '../../db/cover-requests.js';
import { listCentersOfOrganization, listPeopleWithVerifiedTrainings } from '../../db/network.js';
import type { Center, Person, TrainingCompletion } from '../../db/rows.js';
import { trainingStatuses } from '../../domain/eligibility.js';
import type { RulePack } from '../../domain/rule-pack.js';
import { loadCenterState } from '../../services/center-state.js';
import { onFileOf } from '../../services/person-on-file.js';
import { statusLook } from '../board/card.js';
import { forecastCenter } from '../../services/center-forecast.js';
import { civil } from '../trainings/standing.js';
import { clockTime, dateText, rangeText } from '../../words/format.js';

/**
 * An owner's whole network at one instant: for every center of the organization,
 * its rooms' statuses judged now by the board's engine, its open cover requests,
 * the forecast's flags within the center's horizon, and the trainings that expire
 * within the next 30 days (who, which, when). Each center in its own zone.
 */

export const EXPIRY_WINDOW_DAYS = 30;

export type ExpiringPerson = { readonly name: string; readonly items: readonly { readonly label: string; readonly expiresOn: string }[] };

/**
 * Who has a training the pack asks of them expiring within `days` of `today` (still
 * counting, by the one vocabulary's "expiring soon" with a lead of `days`), by name,
 * soonest expiry first within a person.
 */
export function expiringTrainings(pack: RulePack, people: readonly Person[], trainings: readonly TrainingCompletion[], today: DateTime, days = EXPIRY_WINDOW_DAYS): ExpiringPerson[] {
  const onFile = onFileOf(trainings);
  const out: ExpiringPerson[] = [];
  for (const p of people) {
    const items = trainingStatuses(pack, onFile(p), civil(today), days)
      .filter((s) => s.standing === 'expiring_soon' && s.expiresOn !== null)
      .map((s) => ({ label: s.training.label, expiresOn: s.expiresOn! }))
      .sort((a, b) => a.expiresOn.localeCompare(b.expiresOn));
    if (items.length > 0) out.push({ name: p.displayName, items });
  }
  return out;
}

const TONE_ORDER: Record<string, number> = { breach: 0, limit: 1, ok: 2 };

/** The page's view of every center of the organization, judged at `now`. */
export async function buildNetwork(db: Knex, organizationId: string, now: Date) {
  const centers = await listCentersOfOrganization(db, organizationId);
  const { people, trainings } = await listPeopleWithVerifiedTrainings(
    db,
    centers.map((c) => c.id),
  );
  const views: CenterView[] = [];
  // One center after another: on SQLite the queries share one connection anyway.
  for (const center of centers) views.push(await centerView(db, center, now, people, trainings));
  const count = (tone: 'breach' | 'limit' | 'ok') => views.reduce((n, v) => n + v.summary[tone], 0);
  const rooms = views.reduce((n, v) => n + v.rooms.length, 0);
  const words = `of ${rooms} ${rooms === 1 ? 'room' : 'rooms'} in ${views.length} ${views.length === 1 ? 'center' : 'centers'}`;
  return { centers: views, totals: { breach: count('breach'), limit: count('limit'), ok: count('ok'), rooms, words } };
}

export type CenterView = Awaited<ReturnType<typeof centerView>>;

async function centerView(db: Knex, center: Center, now: Date, people: readonly Person[], trainings: readonly TrainingCompletion[]) {
  const glance = await centerNow(db, center, now);
  const expiring = expiringTrainings(
    glance.pack,
    people.filter((p) => p.centerId === center.id),
    trainings.filter((t) => t.centerId === center.id),
    DateTime.fromJSDate(now, { zone: center.timeZone }),
  );
  return { ...glance, expiring, expiringCount: expiring.reduce((n, p) => n + p.items.length, 0) };
}

/**
 * One center at `now`, as the network page and a director's home page show it: its
 * rooms judged by the board's engine (the ones needing attention first), the
 * forecast's flags within its horizon and its open cover requests, in its own zone.
 */
export async function centerNow(db: Knex, center: Center, now: Date) {
  const zone = center.timeZone;
  const here = DateTime.fromJSDate(now, { zone });
  const [state, cover, forecast] = await Promise.all([loadCenterState(db, center, now), listOpenCoverRequests(db, center.id, now), forecastCenter(db, center, now)]);
  const roomName = new Map(state.rows.rooms.map((r) => [r.id, r.name]));
  const rooms = state.rooms
    .map((r) => ({ id: r.room.id, name: r.room.name, status: statusLook(r.status), childrenWords: `${r.evaluation.children} ${r.evaluation.children === 1 ? 'child' : 'children'}`, staff: `${r.evaluation.countedStaff} of ${r.evaluation.requiredStaff}` }))
    .sort((a, b) => TONE_ORDER[a.status.tone]! - TONE_ORDER[b.status.tone]!);
  // The forecast's flags: a breach under way or starting within the center's horizon, in room order.
  const flags = [...forecast.rooms.values()].filter((v) => v.flagText !== null).map((v) => ({ room: v.room.name, text: v.flagText! }));
  // What happened against the plan: late, no show, left early, still here after a shift.
  const people = [...forecast.rooms.values()].flatMap((v) => v.staffNow.filter((s) => s.attention !== null).map((s) => ({ text: s.attention!, href: `/centers/${center.id}/rooms/${v.room.id}` })));
  const summary = { breach: 0, limit: 0, ok: 0 };
  for (const r of rooms) summary[r.status.tone]++;
  return {
    id: center.id,
    name: center.name,
    licenseNumber: center.licenseNumber,
    zone,
    localTime: clockTime(here, zone, { zoneName: true }),
    boardHref: `/centers/${center.id}/board`,
    rooms,
    summary,
    attention: summary.breach > 0,
    cover: cover.map((c) => coverView(c, roomName, zone)),
    flags,
    people,
    horizonMinutes: forecast.horizonMinutes,
    pack: state.pack,
  };
}

function coverView(c: CoverRequest, roomName: ReadonlyMap<string, string>, zone: string) {
  const from = DateTime.fromISO(c.startsAt, { zone: 'utc' }).setZone(zone);
  const to = DateTime.fromISO(c.endsAt, { zone: 'utc' }).setZone(zone);
  return {
    room: roomName.get(c.roomId) ?? 'a room no longer listed',
    window: rangeText(dateText(from, zone, { time: true }), to.hasSame(from, 'day') ? clockTime(to, zone) : dateText(to, zone, { time: true })),
    people: `${c.peopleNeeded} ${c.peopleNeeded === 1 ? 'person' : 'people'}`,
    urgent: c.urgent,
  };
}
