import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { listHandoffNotes } from '../../db/handoff-notes.js';
import { listHeadcountsOfRoom } from '../../db/headcounts.js';
import type { CenterMember } from '../../db/memberships.js';
import { listChildrenLeftRoomSince, type Presence } from '../../db/presences.js';
import type { Child, Room } from '../../db/rows.js';
import { ageOn, placeInBand } from '../../domain/age.js';
import { localDate, parseCivilDate } from '../../domain/calendar.js';
import { toPersonInRoom } from '../../domain/eligibility.js';
import { evaluatePerson } from '../../domain/ratio/counting.js';
import { reasonText } from '../../domain/ratio/words.js';
import { ACTIVITIES } from '../../domain/rule-pack.js';
import { can } from '../auth/policy.js';
import { ACTIVITY_WORDS, cardOf, PERSON_ROLE_WORDS } from '../board/card.js';
import { loadCenterState } from '../../services/center-state.js';
import { centerHoursOf, designatedBandOf } from '../../services/day-hours.js';
import { loadOpenCover } from '../../services/cover/on-card.js';
import { forecastCenter } from '../../services/center-forecast.js';
import { centerSetup } from '../../db/center-setup.js';
import { listShiftsOfPersonBetween } from '../../db/shifts.js';
import { defaultUntilsOf, peopleWithShiftAround } from './until.js';
import { clockTime, rangeText } from '../../words/format.js';
import { remediesFor } from '../../services/remedies.js';
import { remedyPanel } from '../remedies/panel.js';
import { listMergesOverlapping, mergeEnd } from '../../db/room-merges.js';

/**
 * The room page's view model: built for a tablet held in one hand. What a member sees
 * is decided by the policy: staff see the room's children and everyone who may work
 * here; a volunteer sees the room's name and status and their own shifts there, and
 * the room's children present and notes only while their own presence there, one the
 * pack allows, is open: never other people's names, background-study outcomes or
 * planned times otherwise. Each start form asks "until when?" (prefilled) for a
 * person with no shift in the room around now (see until.ts).
 */

export type Problem = {
  readonly message: string;
  /** A form that would do what was meant instead ("Move Maya here instead"). */
  readonly offer?: { readonly action: string; readonly label: string; readonly fields: readonly { name: string; value: string }[] };
};

export type Flash = { readonly message: string; readonly tone: 'ok' | 'error'; readonly arrived?: boolean };

/** A refused until-time, shown next to that person's until field with what was typed. */
export type UntilError = { readonly personId: string; readonly message: string; readonly value: string };


export async function roomPageModel(
  db: Knex,
  member: CenterMember,
  room: Room,
  at: Date,
  extra: { flash?: Flash; problem?: Problem; kept?: Record<string, string>; untilError?: UntilError } = {},
) {
  const { center } = member;
  const zone = center.timeZone;
  const setup = await centerSetup(db, center.id);
  // The room's forecast lines too (needs cover by, next change), as its board card shows them; not on a refused
  // write's page: the forecast makes the day's plan if there is none yet, and a refusal stores nothing.
  const refused = extra.problem !== undefined || extra.untilError !== undefined;
  const todayStart = DateTime.fromJSDate(at).setZone(zone).startOf('day').toJSDate();
  const [judged, forecast, leftToday] = await Promise.all([
    loadCenterState(db, center, at, { everyone: true, setup }),
    refused ? undefined : forecastCenter(db, center, at, { roomIds: [room.id] }),
    listChildrenLeftRoomSince(db, center.id, room.id, todayStart),
  ]);
  // Its open cover requests too, so the card says "Cover requested" where they meet the flagged need (linked for those who may open them).
  const openCover = forecast ? await loadOpenCover(db, center, at, [room.id], { links: can(member, 'cover_request.view') }) : undefined;
  const state = forecast ? { ...judged, forecast, openCover } : judged;
  const here = state.rooms.find((r) => r.room.id === room.id);
  if (!here) throw new Error(`room ${room.id} not judged`);
  const base = `/centers/${center.id}/rooms/${room.id}`;
  const mine = member.personId ? state.personPresence.get(member.personId) : undefined;
  const presentHere = mine?.roomId === room.id;
  // Present with a presence the pack allows (one started before a study was found out does not open the room).
  const allowedHere = presentHere && here.people.find((p) => p.person.id === member.personId)?.evaluation.presence !== 'not_allowed';
  const seeGroup = can(member, 'room_group.view', { personId: null, memberPresentInRoom: allowedHere });
  const manageChildren = can(member, 'child_presence.change');
  const roomName = (id: string) => state.roomById.get(id)?.name ?? 'another room';
  const otherRooms = state.rows.rooms.filter((r) => r.id !== room.id).map((r) => ({ id: r.id, name: r.name }));
  const on = localDate(state.at, zone);
  const day = state.at.toISODate()!;
  const where = (p: Presence | undefined) =>
    !p ? null : p.roomId === room.id ? `Here since ${clockTime(p.startedAt, zone)}` : `In ${roomName(p.roomId)} since ${clockTime(p.startedAt, zone)}`;

  // A designation the engine accepts (day-hours.ts): the band the child is counted in.
  const hours = centerHoursOf(state.center, state.pack);
  const designatedLabel = (c: Child) => {
    const band = designatedBandOf(state.pack, hours, c, state.at.toMillis(), zone);
    return band ? `${state.pack.bands.find((b) => b.id === band)?.label ?? band} (designated)` : null;
  };
  const bandLabel = (birthDate: string, attends: boolean) => {
    const birth = parseCivilDate(birthDate);
    if (!birth) return '';
    const placed = placeInBand(state.pack, ageOn(birth, on), attends);
    if (placed.belowMinimum) return 'younger than the youngest age category';
    return state.pack.bands[placed.bandIndex]?.label ?? '';
  };

  // Children: staff see the home room's and those here; a volunteer in the room sees those here.
  const children = !seeGroup
    ? []
    : state.rows.children
        .filter((c) => {
          const p = state.childPresence.get(c.id);
          if (p?.roomId === room.id) return true;
          return manageChildren && c.homeRoomId === room.id && c.archivedAt === null;
        })
        .map((c) => {
          const p = state.childPresence.get(c.id);
          const left = p === undefined ? leftToday.get(c.id) : undefined;
          return {
            id: c.id,
            name: c.displayName,
            category: designatedLabel(c) ?? bandLabel(c.birthDate, c.attendsKindergarten),
            where: where(p) ?? (left ? `Checked out at ${clockTime(left, zone)}` : 'Not checked in yet'),
            here: p?.roomId === room.id,
            elsewhere: p !== undefined && p.roomId !== room.id,
            absent: p === undefined,
            gone: left !== undefined,
            fromRoomId: p?.roomId,
          };
        })
        // Here, then expected (not in yet), then in another room, then gone home today.
        .sort((a, b) => childOrder(a) - childOrder(b) || a.name.localeCompare(b.name));

  // People: staff see everyone who may work here; a volunteer only themselves.
  const evaluationOf = new Map(here.people.map((p) => [p.person.id, p.evaluation]));
  const people = state.rows.people
    .filter((p) => p.archivedAt === null || state.personPresence.get(p.id)?.roomId === room.id)
    .map((p) => {
      const presence = state.personPresence.get(p.id);
      const isHere = presence?.roomId === room.id;
      const judged = isHere
        ? evaluationOf.get(p.id)
        : evaluatePerson(state.pack, toPersonInRoom(state.onFile(p)), room.ageCategories, state.at);
      const level = judged?.countsAs ? (state.pack.levels.find((l) => l.level === judged.countsAs)?.label ?? judged.countsAs) : null;
      const inRoom = isHere ? evaluationOf.get(p.id) : undefined;
      const supervised = inRoom !== undefined && inRoom.needsSupervision && inRoom.supervised && inRoom.presence !== 'not_allowed';
      const counting = !judged
        ? ''
        : judged.presence === 'not_allowed'
          ? `${isHere ? 'Must not be here' : 'May not be present with children'}: ${judged.reasons.map(reasonText).join('; ')}`
          : judged.counted
            ? `${isHere ? 'Counts' : 'Would count'} as ${level}`
            : `${isHere ? 'Does not count' : 'Would not count'}: ${judged.reasons.map(reasonText).join('; ')}`;
      const supervisedWords = supervised ? ' (under direct supervision)' : '';
      return {
        id: p.id,
        name: p.displayName,
        role: PERSON_ROLE_WORDS[p.role] ?? p.role,
        self: p.id === member.personId,
        where: where(presence) ?? 'Not in a room',
        here: isHere,
        elsewhere: presence !== undefined && !isHere,
        absent: presence === undefined,
        fromRoomId: presence?.roomId,
        counting: counting + supervisedWords,
        supervised,
        counted: judged?.counted === true,
        notAllowed: judged?.presence === 'not_allowed',
      };
    })
    .sort((a, b) => Number(b.self) - Number(a.self) || Number(b.here) - Number(a.here) || Number(b.absent) - Number(a.absent) || a.name.localeCompare(b.name));

  // "Until when?" on the start forms: for whoever has no shift in the room around now.
  const withShift = await peopleWithShiftAround(db, center, room.id, at);
  const listsPeople = can(member, 'person_presence.change', { personId: null });
  const startable = listsPeople ? people.filter((p) => !p.here).map((p) => p.id) : [];
  const asked = [...new Set([...startable, ...(member.personId && !presentHere ? [member.personId] : [])])].filter((id) => !withShift.has(id));
  const defaults = asked.length > 0 ? await defaultUntilsOf(db, center, asked, at) : new Map<string, string | undefined>();
  let untilShown = false;
  const untilFor = (personId: string) => {
    if (withShift.has(personId)) return null;
    const error = extra.untilError?.personId === personId ? extra.untilError : undefined;
    if (error) untilShown = true;
    return { value: error ? error.value : (defaults.get(personId) ?? ''), error: error?.message ?? null, id: `until-${personId}` };
  };
  const peopleRows = people.map((p) => ({ ...p, until: p.here ? null : untilFor(p.id) }));
  // The member's own shifts in the room today (an accepted cover is one): what a volunteer may start within.
  const dayStart = state.at.startOf('day');
  const myShifts = member.personId
    ? (await listShiftsOfPersonBetween(db, member.personId, dayStart.toJSDate(), dayStart.plus({ days: 1 }).toJSDate()))
        .filter((s) => s.roomId === room.id && s.centerId === center.id)
        .map((s) => ({ words: `${rangeText(s.startsAt, s.endsAt, zone)}${s.source === 'cover' ? ' (cover you took)' : ''}` }))
    : [];
  const myUntil = member.personId && !presentHere ? untilFor(member.personId) : null;
  const canStartMine = member.personId ? can(member, 'person_presence.start', { personId: member.personId, withinOwnShift: withShift.has(member.personId) }) : false;
  const [notes, checks] = seeGroup
    ? await Promise.all([
        listHandoffNotes(db, center.id, room.id, day),
        can(member, 'headcount.create') ? listHeadcountsOfRoom(db, room.id, dayStart.toJSDate(), dayStart.plus({ days: 1 }).toJSDate()) : Promise.resolve([]),
      ])
    : [[], []];

  // "What can fix this" for the room's cover need, from now on (staff and directors; volunteers see the flag only).
  const view = forecast?.rooms.get(room.id);
  const need = view?.flag?.kind === 'needs_cover' ? view.coverNeed : null;
  const nowMinute = Math.floor(at.getTime() / 60_000) * 60_000;
  const remedies =
    need && can(member, 'cover_request.view') && need.end > nowMinute
      ? remedyPanel(await remediesFor(db, center, { roomId: room.id, start: Math.max(need.start, nowMinute), end: need.end }, at), member)
      : null;

  const judgedCard = cardOf(state, here);
  // A refused until-time whose field is not on this page (e.g. a move from the room's list) is said at the top.
  const problem = extra.problem ?? (extra.untilError && !untilShown ? { message: extra.untilError.message } : undefined);
  // The prefilled cover request is for those who may ask for cover.
  const card =
    judgedCard.forecast?.flag && !can(member, 'cover_request.create')
      ? { ...judgedCard, forecast: { ...judgedCard.forecast, flag: { ...judgedCard.forecast.flag, requestHref: null, fixHref: remedies ? judgedCard.forecast.flag.fixHref : null } } }
      : judgedCard;
  return {
    title: room.name,
    room: { id: room.id, name: room.name, base },
    // A volunteer sees the status and numbers, not colleagues' training details, background-study outcomes or,
    // unless working in the room, its next changes and who is late (they name people and their planned times).
    card: can(member, 'board.view')
      ? card
      : {
          ...card,
          people: [],
          nobody: true,
          hidePeople: true,
          mustNotBeHere: [],
          forecast: !card.forecast
            ? card.forecast
            : seeGroup
              ? // Who is late or still here, without the staff's ways to act on it.
                { ...card.forecast, attention: card.forecast.attention.map((a) => ({ ...a, action: null })) }
              : { ...card.forecast, next: null, attention: [] },
        },
    seeGroup,
    remedyPanel: remedies,
    merges: await mergesOfRoom(db, member, room, state.roomById, at),
    boardLink: can(member, 'board.view') ? `/centers/${center.id}/board` : null,
    historyLink: can(member, 'room_history.view') ? `${base}/history` : null,
    // "Need help now": an immediate cover request for this room (src/web/cover/routes.ts).
    helpAction: can(member, 'help_request.create') ? `${base}/help-requests` : null,
    flash: extra.flash,
    problem,
    arrived: extra.flash?.arrived === true,
    me: member.personId
      ? {
          personId: member.personId,
          here: presentHere,
          supervised: presentHere && people.find((p) => p.id === member.personId)?.supervised === true,
          elsewhere: mine !== undefined && !presentHere ? { roomId: mine.roomId, roomName: roomName(mine.roomId), since: clockTime(mine.startedAt, zone) } : null,
          canStart: canStartMine,
          // A volunteer without a shift or cover here now is sent to the staff in the room.
          askStaff: !canStartMine && can(member, 'person_presence.change', { personId: member.personId }) ? `Ask the staff in ${room.name} to start your time.` : null,
          shifts: myShifts,
          until: myUntil,
        }
      : null,
    children,
    manageChildren,
    // Everyone who may work here, for those who may start anyone's time; a volunteer has the `me` block instead.
    people: listsPeople ? peopleRows : [],
    otherRooms,
    notes: notes.map((n) => ({ body: n.body, author: n.authorName, at: clockTime(n.createdAt, zone) })),
    canAddNote: seeGroup && can(member, 'handoff_note.create'),
    noteBody: extra.kept?.body ?? '',
    canCount: can(member, 'headcount.create'),
    counted: extra.kept?.counted ?? '',
    expected: here.children.length,
    openChecks: here.headcounts.map((h) => ({
      id: h.id,
      words: `${clockTime(h.at, zone)}: ${h.counted} counted, ${h.expected} on the list`,
      action: `/centers/${center.id}/headcounts/${h.id}/resolution`,
    })),
    checks: checks.map((h) => ({
      at: clockTime(h.at, zone),
      counted: h.counted,
      expected: h.expected,
      by: h.recordedByName,
      matches: h.counted === h.expected,
      state: h.counted === h.expected ? 'matches' : h.resolvedAt ? `resolved at ${clockTime(h.resolvedAt, zone)}` : 'open',
    })),
    canChangeActivity: can(member, 'room_activity.change'),
    activities: ACTIVITIES.map((a) => ({ value: a, label: ACTIVITY_WORDS[a], selected: a === here.activity })),
    errors: problem ? { form: problem.message } : {},
  };
}

/** The room's merges from now to the end of its day (domain/merges.ts), each with "End merge" for those who may. */
async function mergesOfRoom(db: Knex, member: CenterMember, room: Room, rooms: ReadonlyMap<string, Room>, at: Date) {
  const zone = member.center.timeZone;
  const dayEnd = DateTime.fromJSDate(at, { zone }).startOf('day').plus({ days: 1 }).toJSDate();
  const merges = (await listMergesOverlapping(db, member.center.id, at, dayEnd)).filter((m) => m.fromRoomId === room.id || m.intoRoomId === room.id);
  const mayEnd = can(member, 'remedy.merge');
  return merges.map((m) => {
    const start = Date.parse(m.startsAt);
    const end = mergeEnd(m);
    const now = start <= at.getTime();
    const when = now ? `until ${clockTime(end, zone)}` : rangeText(start, end, zone);
    const other = rooms.get(m.fromRoomId === room.id ? m.intoRoomId : m.fromRoomId)?.name ?? 'another room';
    const words = m.fromRoomId === room.id
      ? `${now ? 'Merged into' : 'Merges into'} ${other} ${when}: this room's children and staff are judged as one group with ${other}'s.`
      : `${other} ${now ? 'merged in' : 'merges in'} ${when}: its children and staff are judged as one group with this room's.`;
    return { words, end: mayEnd ? `/centers/${member.center.id}/room-merges/${m.id}/end` : null };
  });
}

/** Where a child of the room page's list comes: here, expected (not in yet), in another room, gone home today. */
function childOrder(c: { here: boolean; elsewhere: boolean; gone: boolean }): number {
  return c.here ? 0 : c.elsewhere ? 2 : c.gone ? 3 : 1;
}
