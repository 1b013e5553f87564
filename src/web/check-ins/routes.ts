import { Router, type NextFunction, type Request, type Response } from 'express';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { appendAudit } from '../../db/audit.js';
import { findCurrentChildInCenter, findCurrentPersonInCenter, findOpenRoomInCenter } from '../../db/center-state.js';
import { addHandoffNote } from '../../db/handoff-notes.js';
import { findHeadcountInCenter, recordHeadcount, resolveHeadcount } from '../../db/headcounts.js';
import type { CenterMember } from '../../db/memberships.js';
import { closePresence, findLatestPresence, listOpenPresences, openPresence, type Presence, type Subject } from '../../db/presences.js';
import { changeRoomActivity, listOpenActivitiesInCenter } from '../../db/room-activities.js';
import type { Child, Person, Room } from '../../db/rows.js';
import { centerSetup } from '../../db/center-setup.js';
import { insertShift } from '../../db/shifts.js';
import { toPersonInRoom } from '../../domain/eligibility.js';
import { judgeChildEntry, judgePersonEntry } from '../../domain/room-entry.js';
import { err, ok, type Result } from '../../domain/result.js';
import { ACTIVITIES } from '../../domain/rule-pack.js';
import type { Deps } from '../deps.js';
import { memberOf, standingStampOf } from '../auth/current.js';
import { guard } from '../auth/guard.js';
import { can } from '../auth/policy.js';
import { ACTIVITY_WORDS, PERSON_ROLE_WORDS } from '../board/card.js';
import { commitChange } from '../../services/presence-writes.js';
import { publishCards } from '../board/publish.js';
import { groupOf, loadCenterState } from '../../services/center-state.js';
import { packOf } from '../../services/center-pack.js';
import { dayOf } from '../../services/day-plan.js';
import { Forbidden, NotFound } from '../errors.js';
import type { EventHub } from '../events/hub.js';
import { fieldErrors, keptValues } from '../forms.js';
import { clockTime } from '../../words/format.js';
import { roomPageModel, type Flash, type Problem, type UntilError } from './room-page.js';
import { defaultUntilOf, peopleWithShiftAround, readUntil, type Until } from './until.js';
import { idField, idIn, isId } from '../ids.js';

declare module 'express-session' {
  interface SessionData {
    /** One message for the next page, after a 303 (post/redirect/get). */
    flash?: Flash;
  }
}

const ChildForm = z.object({ childId: idField('Choose a child from the list.') });
const PersonForm = z.object({ personId: idField('Choose a person from the list.') });
/** Starting a person's time: "until when?", asked when they have no shift in the room around now (empty: the default). */
const Until = { until: z.string().trim().optional().transform((t) => (t ? t : undefined)) };
const PersonStartForm = PersonForm.extend(Until);
const MoveTo = { toRoomId: idField('Choose the room to move to.'), returnTo: z.enum(['from', 'to']).optional() };
const ChildMoveForm = ChildForm.extend(MoveTo);
const PersonMoveForm = PersonForm.extend(MoveTo).extend(Until);
const NoteForm = z.object({
  body: z.string({ error: 'Write the note.' }).trim().min(1, 'Write the note.').max(280, 'Keep a note to 280 characters.'),
});
const HeadcountForm = z.object({
  counted: z
    .string({ error: 'Enter the number of children you counted.' })
    .trim()
    .regex(/^\d{1,3}$/, 'Enter the number of children you counted, as a whole number (for example 12).')
    .transform(Number),
});
const ActivityForm = z.object({ activity: z.enum(ACTIVITIES, { error: 'Choose one of the activities listed.' }) });

const wantsJson = (req: Request) => req.accepts(['html', 'json']) === 'json';

/**
 * The room page and every presence write (check-in, check-out, moves, arrivals,
 * departures), handoff notes, headcounts and the room's activity. Each write is one
 * transaction (interval, audit entry, status history), then the new cards go to the
 * center's boards; the answer is a 303 back to a room page with a message, or JSON.
 */
export function checkInRoutes(deps: Deps, hub: EventHub): Router {
  const { db, clock, log } = deps;
  const router = Router();
  const ROOM = '/centers/:centerId/rooms/:roomId';

  /**
   * The audit log's heads read for this request (its standing stamp, db/freshness.ts): the
   * center's kept setup rows it looks the room, child or person up in, before any write of
   * its own, are checked against them, with no read of their own.
   */
  const headsOf = async (req: Request) => (await standingStampOf(db, req)).heads;

  /** The room in the path, in this center and not archived; 404 otherwise. */
  const roomOf = async (req: Request): Promise<Room> => {
    const roomId = idIn(req.params.roomId);
    const room = roomId ? await findOpenRoomInCenter(db, memberOf(req).center.id, roomId, await headsOf(req)) : undefined;
    if (!room) throw new NotFound('room');
    return room;
  };

  const render = async (req: Request, res: Response, status: number, room: Room, extra: Parameters<typeof roomPageModel>[4] = {}) => {
    const model = await roomPageModel(db, memberOf(req), room, clock.now(), extra);
    res.status(status).render('rooms/show', model);
  };

  /** Bad input: 422, a clear message, nothing stored. */
  const invalid = async (req: Request, res: Response, room: Room, error: z.ZodError, fields: readonly string[] = []) => {
    const message = Object.values(fieldErrors(error))[0] ?? 'Check the form and try again.';
    if (wantsJson(req)) return res.status(422).json({ error: message, fields: fieldErrors(error) });
    return render(req, res, 422, room, { problem: { message }, kept: keptValues(req, fields) });
  };

  /** A conflict with what is recorded: 409, the message and, where it helps, the form that would do what was meant. */
  const conflict = async (req: Request, res: Response, room: Room, problem: Problem) => {
    if (wantsJson(req)) return res.status(409).json({ error: problem.message, offer: problem.offer ?? null });
    return render(req, res, 409, room, { problem });
  };

  /** Done: the message (JSON), or back to the room page at the row acted on (`anchor`), so the page does not jump to the top. */
  const done = (req: Request, res: Response, goTo: Room, flash: Flash, status = 201, anchor?: string) => {
    if (wantsJson(req)) return res.status(status).json({ message: flash.message });
    req.session.flash = flash;
    res.redirect(303, `/centers/${goTo.centerId}/rooms/${goTo.id}${anchor ? `#${anchor}` : ''}`);
  };

  const roomName = async (member: CenterMember, roomId: string) => (await findOpenRoomInCenter(db, member.center.id, roomId))?.name ?? 'another room';
  const zoneOf = (member: CenterMember) => member.center.timeZone;
  const personWords = (p: Person) => `${PERSON_ROLE_WORDS[p.role] ?? p.role} ${p.displayName}`;

  const audit = (trx: Parameters<typeof appendAudit>[0], member: CenterMember, at: Date, action: string, recordType: string, recordId: string, after: Record<string, unknown>, before?: Record<string, unknown>) =>
    appendAudit(trx, { at, organizationId: member.center.organizationId, centerId: member.center.id, actorUserId: member.userId, action, recordType, recordId, before: before ?? null, after });

  /** Why a subject could not be ended in `room`: never there, elsewhere, or already ended. */
  const notHere = async (member: CenterMember, subject: Subject, name: string, room: Room, latest: Presence | undefined): Promise<Problem> => {
    const zone = zoneOf(member);
    if (!latest) return { message: `${name} is not ${subject === 'child' ? 'checked in' : 'in any room'} today.` };
    if (latest.endedAt === null) return { message: `${name} is in ${await roomName(member, latest.roomId)} since ${clockTime(latest.startedAt, zone)}, not in ${room.name}.` };
    return { message: subject === 'child' ? `Already checked out at ${clockTime(latest.endedAt, zone)}.` : `${name} already left at ${clockTime(latest.endedAt, zone)}.` };
  };

  /**
   * A second tap on the same button (a double tap, a retry on a slow network): the same
   * change made moments ago in the same room is answered as done, not as an error.
   */
  const REPEAT_MS = 10_000;
  const justDone = (at: Date, when: string | null | undefined, roomId: string | undefined, room: Room) =>
    when != null && roomId === room.id && at.getTime() - Date.parse(when) < REPEAT_MS && at.getTime() >= Date.parse(when);

  /** "Maya is already in Toddlers since 07:02." with the move offered when it is to another room. */
  const alreadyIn = async (member: CenterMember, subject: Subject, subjectId: string, name: string, room: Room, current: Presence | undefined): Promise<Problem> => {
    if (!current) return { message: `${name} was just checked in elsewhere. Reload the page.` };
    const since = clockTime(current.startedAt, zoneOf(member));
    if (current.roomId === room.id) return { message: `${name} is already in ${room.name} since ${since}.` };
    const field = subject === 'child' ? 'childId' : 'personId';
    return {
      message: `${name} is already in ${await roomName(member, current.roomId)} since ${since}. Move them here instead?`,
      offer: {
        action: `/centers/${member.center.id}/rooms/${current.roomId}/${subject === 'child' ? 'child-moves' : 'person-moves'}`,
        label: `Move ${name} to ${room.name}`,
        fields: [
          { name: field, value: subjectId },
          { name: 'toRoomId', value: room.id },
        ],
      },
    };
  };

  /** A bad until-time: 422, the message next to the until field of that person's start form, nothing stored. */
  const untilInvalid = async (req: Request, res: Response, room: Room, personId: string, message: string, value: string) => {
    if (wantsJson(req)) return res.status(422).json({ error: message, fields: { until: message } });
    return render(req, res, 422, room, { untilError: { personId, message, value } satisfies UntilError });
  };

  type NotAdmitted = { readonly kind: 'ask_staff' | 'refused' | 'until'; readonly message: string };
  type Admitted = { readonly shiftId: string | null; readonly until: string | null; readonly supervised: boolean };

  /**
   * Inside a start's transaction, once the presence is open: may `person` be in `room` now, and what the forecast
   * is to expect of them. Refused, the write rolls back and nothing is stored.
   * - The pack's background-study rule, for everyone: judged by the engine on the room as it stands in this
   *   transaction (writes to one room are never committed side by side, so two starts cannot both slip by).
   * - A volunteer's own time only within an accepted shift or cover of the room (the policy's 'person_presence.start').
   * - With no shift of theirs in the room around now, a shift from now to `until` (typed, or the default) is
   *   recorded, with its audit entry: a presence always has an expected end.
   */
  const admitPerson = async (
    trx: Parameters<typeof appendAudit>[0],
    member: CenterMember,
    person: Person,
    room: Room,
    at: Date,
    typed: Until | undefined,
    setup: Awaited<ReturnType<typeof centerSetup>>,
  ): Promise<Result<Admitted, NotAdmitted>> => {
    const state = await loadCenterState(trx, member.center, at, { roomIds: [room.id], setup });
    const here = state.rooms.find((r) => r.room.id === room.id);
    if (!here) throw new Error(`room ${room.id} not judged`);
    const others = groupOf(state, { ...here, people: here.people.filter((p) => p.person.id !== person.id) });
    const entry = judgePersonEntry(state.pack, others, toPersonInRoom(state.onFile(person)), state.at);
    if (!entry.ok) return err({ kind: 'refused', message: `${person.displayName} can't be started: ${entry.explanation}.` });

    const day = dayOf(member.center, at);
    const withShift = (await peopleWithShiftAround(trx, member.center, room.id, at, person.id)).has(person.id);
    if (!can(member, 'person_presence.start', { personId: person.id, withinOwnShift: withShift })) {
      return err({ kind: 'ask_staff', message: `Ask the staff in ${room.name} to start your time: you have no shift or cover there now.` });
    }
    if (withShift) return ok({ shiftId: null, until: null, supervised: entry.supervised });

    let until = typed;
    if (!until) {
      const offered = await defaultUntilOf(trx, member.center, person.id, at);
      until = offered ? readUntil(member.center, at, offered) : err(`Until when will ${person.displayName} stay? It is past the center's closing time (${member.center.closesAt}): enter a time.`);
    }
    if (!until.ok) return err({ kind: 'until', message: until.error });
    const shiftId = await insertShift(
      trx,
      { centerId: member.center.id, roomId: room.id, personId: person.id, day, startsAt: at, endsAt: until.value.endsAt, source: 'plan', createdByUserId: member.userId },
      at,
    );
    await audit(trx, member, at, 'shift.added', 'shift', shiftId, {
      day,
      personId: person.id,
      roomId: room.id,
      start: clockTime(at, zoneOf(member)),
      end: until.value.text,
      reason: 'started with no shift in the room',
    });
    return ok({ shiftId, until: until.value.text, supervised: entry.supervised });
  };

  /** "Maya Lopez started in Infants until 18:00, under direct supervision." */
  const startedWords = (name: string, room: Room, admitted: Admitted) =>
    `${name} started in ${room.name}${admitted.until ? ` until ${admitted.until}` : ''}${admitted.supervised ? ', under direct supervision' : ''}.`;

  /** A child the pack does not allow in care at this age (younger than its minimum, at or over its maximum): the message, or null. */
  const tooYoungOrOld = (member: CenterMember, child: Child, at: Date): string | null => {
    const entry = judgeChildEntry(packOf(member.center), { birthDate: child.birthDate, attendsKindergarten: child.attendsKindergarten }, DateTime.fromJSDate(at, { zone: zoneOf(member) }));
    return entry.ok ? null : `${child.displayName} ${entry.explanation}.`;
  };

  const subjectFor = async (req: Request, subject: Subject, subjectId: string): Promise<Child | Person> => {
    const member = memberOf(req);
    if (subject === 'child') {
      const child = await findCurrentChildInCenter(db, member.center.id, subjectId, await headsOf(req));
      if (!child) throw new NotFound('child');
      return child;
    }
    const person = await findCurrentPersonInCenter(db, member.center.id, subjectId, await headsOf(req));
    if (!person) throw new NotFound('person');
    if (!can(member, 'person_presence.change', { personId: person.id })) throw new Forbidden('person_presence.change');
    return person;
  };

  // ---------------------------------------------------------------- the room page

  router.get(ROOM, guard(deps, 'room.view'), async (req: Request, res: Response, next: NextFunction) => {
    // Not an id (e.g. /rooms/new): a route mounted after this one may answer it.
    if (!isId(req.params.roomId)) return next('route');
    const room = await roomOf(req);
    const flash = req.session.flash;
    if (flash) delete req.session.flash;
    await render(req, res, 200, room, { flash });
  });

  /** A presence write's options for commitChange: the rooms' forecast is read with the write when a board will show it. */
  const forCards = (member: CenterMember) => ({ forecast: hub.hasAudience(member.center.id) });

  // ---------------------------------------------------------------- start: check-in and arrival

  const checkIn = async (req: Request, res: Response) => {
    const member = memberOf(req);
    const room = await roomOf(req);
    const form = ChildForm.safeParse(req.body ?? {});
    if (!form.success) return invalid(req, res, room, form.error);
    const { childId } = form.data;
    const child = (await subjectFor(req, 'child', childId)) as Child;
    const name = child.displayName;
    const at = clock.now();
    // A birth date does not change under a write: judged before the transaction.
    const tooYoung = tooYoungOrOld(member, child, at);
    if (tooYoung) return conflict(req, res, room, { message: tooYoung });
    const outcome = await commitChange(db, member.center, at, [room.id], async (trx) => {
      const opened = await openPresence(trx, 'child', { centerId: member.center.id, roomId: room.id, subjectId: childId, at, userId: member.userId });
      if (!opened.ok) return { ok: false as const, error: opened.current };
      await audit(trx, member, at, 'child_presence.opened', 'child_presence', opened.presence.id, { roomId: room.id, childId, startedAt: opened.presence.startedAt });
      return { ok: true as const, value: opened.presence, cause: 'child checked in' };
    }, forCards(member));
    if (!outcome.ok) {
      if (justDone(at, outcome.error?.startedAt, outcome.error?.roomId, room)) return done(req, res, room, { message: `${name} checked in to ${room.name}.`, tone: 'ok' }, 200, `child-${childId}`);
      return conflict(req, res, room, await alreadyIn(member, 'child', childId, name, room, outcome.error));
    }
    req.log.info({ roomId: room.id, presenceId: outcome.value.id }, 'presence.opened');
    await publishCards(req.app, hub, log, outcome.state);
    done(req, res, room, { message: `${name} checked in to ${room.name}.`, tone: 'ok' }, 201, `child-${childId}`);
  };

  const arrival = async (req: Request, res: Response) => {
    const member = memberOf(req);
    const room = await roomOf(req);
    const form = PersonStartForm.safeParse(req.body ?? {});
    if (!form.success) return invalid(req, res, room, form.error);
    const { personId } = form.data;
    const person = (await subjectFor(req, 'person', personId)) as Person;
    const name = person.displayName;
    const at = clock.now();
    const typed = form.data.until === undefined ? undefined : readUntil(member.center, at, form.data.until);
    if (typed && !typed.ok) return untilInvalid(req, res, room, personId, typed.error, form.data.until ?? '');
    const setup = await centerSetup(db, member.center.id, await headsOf(req));
    type Refusal = { present: Presence | undefined } | { notAdmitted: NotAdmitted };
    const outcome = await commitChange(db, member.center, at, [room.id], async (trx) => {
      const opened = await openPresence(trx, 'person', { centerId: member.center.id, roomId: room.id, subjectId: personId, at, userId: member.userId });
      if (!opened.ok) return { ok: false as const, error: { present: opened.current } as Refusal };
      const admitted = await admitPerson(trx, member, person, room, at, typed, setup);
      if (!admitted.ok) return { ok: false as const, error: { notAdmitted: admitted.error } as Refusal };
      await audit(trx, member, at, 'person_presence.opened', 'person_presence', opened.presence.id, { roomId: room.id, personId, startedAt: opened.presence.startedAt, shiftId: admitted.value.shiftId });
      return { ok: true as const, value: { presence: opened.presence, admitted: admitted.value }, cause: `${personWords(person)} arrived` };
    }, forCards(member));
    if (!outcome.ok) {
      const refusal = outcome.error;
      if ('present' in refusal) {
        if (justDone(at, refusal.present?.startedAt, refusal.present?.roomId, room)) return done(req, res, room, { message: `${name} arrived in ${room.name}.`, tone: 'ok' }, 200, `person-${personId}`);
        return conflict(req, res, room, await alreadyIn(member, 'person', personId, name, room, refusal.present));
      }
      if (refusal.notAdmitted.kind === 'until') return untilInvalid(req, res, room, personId, refusal.notAdmitted.message, form.data.until ?? '');
      return conflict(req, res, room, { message: refusal.notAdmitted.message });
    }
    req.log.info({ roomId: room.id, presenceId: outcome.value.presence.id, shiftId: outcome.value.admitted.shiftId }, 'presence.opened');
    await publishCards(req.app, hub, log, outcome.state);
    done(req, res, room, { message: startedWords(name, room, outcome.value.admitted), tone: 'ok', arrived: true }, 201, `person-${personId}`);
  };
  router.post(`${ROOM}/check-ins`, guard(deps, 'child_presence.change'), checkIn);
  router.post(`${ROOM}/arrivals`, guard(deps, 'person_presence.change'), arrival);

  // ---------------------------------------------------------------- end: check-out and departure

  const end = (subject: Subject) => async (req: Request, res: Response) => {
    const member = memberOf(req);
    const room = await roomOf(req);
    const form = (subject === 'child' ? ChildForm : PersonForm).safeParse(req.body ?? {});
    if (!form.success) return invalid(req, res, room, form.error);
    const subjectId = 'childId' in form.data ? form.data.childId : form.data.personId;
    const who = await subjectFor(req, subject, subjectId);
    const name = who.displayName;
    const at = clock.now();
    const outcome = await commitChange(db, member.center, at, [room.id], async (trx) => {
      const closed = await closePresence(trx, subject, { centerId: member.center.id, roomId: room.id, subjectId, at, userId: member.userId });
      if (!closed) return { ok: false as const, error: await findLatestPresence(trx, subject, member.center.id, subjectId) };
      await audit(trx, member, at, `${subject}_presence.closed`, `${subject}_presence`, closed.id, { endedAt: closed.endedAt }, { endedAt: null });
      const cause = subject === 'child' ? 'child checked out' : `${personWords(who as Person)} left`;
      return { ok: true as const, value: closed, cause };
    }, forCards(member));
    const message = subject === 'child' ? `${name} checked out of ${room.name}.` : `${name} left ${room.name}.`;
    if (!outcome.ok) {
      if (justDone(at, outcome.error?.endedAt, outcome.error?.roomId, room)) return done(req, res, room, { message, tone: 'ok' }, 200, `${subject}-${subjectId}`);
      return conflict(req, res, room, await notHere(member, subject, name, room, outcome.error));
    }
    req.log.info({ roomId: room.id, presenceId: outcome.value.id }, 'presence.closed');
    await publishCards(req.app, hub, log, outcome.state);
    done(req, res, room, { message, tone: 'ok' }, 200, `${subject}-${subjectId}`);
  };
  router.post(`${ROOM}/check-outs`, guard(deps, 'child_presence.change'), end('child'));
  router.post(`${ROOM}/departures`, guard(deps, 'person_presence.change'), end('person'));

  // ---------------------------------------------------------------- moves: one action, one transaction

  const move = (subject: Subject) => async (req: Request, res: Response) => {
    const member = memberOf(req);
    const room = await roomOf(req);
    const form = (subject === 'child' ? ChildMoveForm : PersonMoveForm).safeParse(req.body ?? {});
    if (!form.success) return invalid(req, res, room, form.error);
    const subjectId = 'childId' in form.data ? form.data.childId : form.data.personId;
    const to = await findOpenRoomInCenter(db, member.center.id, form.data.toRoomId, await headsOf(req));
    if (!to) return invalid(req, res, room, new z.ZodError([{ code: 'custom', path: ['toRoomId'], message: 'Choose one of the rooms listed.', input: undefined }]));
    const who = await subjectFor(req, subject, subjectId);
    const name = who.displayName;
    if (to.id === room.id) return conflict(req, res, room, { message: `${name} is already in ${room.name}.` });
    const at = clock.now();
    const typedText = 'until' in form.data ? form.data.until : undefined;
    const typed = typedText === undefined ? undefined : readUntil(member.center, at, typedText);
    if (typed && !typed.ok) return untilInvalid(req, res, room, subjectId, typed.error, typedText ?? '');
    if (subject === 'child') {
      const tooYoung = tooYoungOrOld(member, who as Child, at);
      if (tooYoung) return conflict(req, res, room, { message: tooYoung });
    }
    const setup = subject === 'person' ? await centerSetup(db, member.center.id, await headsOf(req)) : undefined;
    type MoveRefusal = { ended?: Presence; opened?: Presence; notOpen?: true; notAdmitted?: NotAdmitted };
    const outcome = await commitChange(db, member.center, at, [room.id, to.id], async (trx) => {
      const closed = await closePresence(trx, subject, { centerId: member.center.id, roomId: room.id, subjectId, at, userId: member.userId });
      if (!closed) return { ok: false as const, error: { ended: await findLatestPresence(trx, subject, member.center.id, subjectId), notOpen: true } as MoveRefusal };
      const opened = await openPresence(trx, subject, { centerId: member.center.id, roomId: to.id, subjectId, at, userId: member.userId });
      // Refusing rolls the ended presence back too: a move is all or nothing.
      if (!opened.ok) return { ok: false as const, error: { opened: opened.current } as MoveRefusal };
      // Moving into a room is starting time there: the same rules as an arrival.
      const admitted = subject === 'person' ? await admitPerson(trx, member, who as Person, to, at, typed, setup) : null;
      if (admitted && !admitted.ok) return { ok: false as const, error: { notAdmitted: admitted.error } as MoveRefusal };
      const shiftId = admitted?.value.shiftId ?? null;
      await audit(trx, member, at, `${subject}_presence.moved`, `${subject}_presence`, opened.presence.id, { roomId: to.id, startedAt: opened.presence.startedAt, ...(subject === 'person' ? { shiftId } : {}) }, { roomId: room.id, presenceId: closed.id });
      const words = subject === 'child' ? 'child moved' : `${personWords(who as Person)} moved`;
      return { ok: true as const, value: { presence: opened.presence, admitted: admitted?.value ?? null }, cause: `${words} from ${room.name} to ${to.name}` };
    }, forCards(member));
    if (!outcome.ok) {
      const refusal = outcome.error;
      if (refusal.notAdmitted?.kind === 'until') return untilInvalid(req, res, room, subjectId, refusal.notAdmitted.message, typedText ?? '');
      const problem = refusal.notAdmitted
        ? { message: refusal.notAdmitted.message }
        : refusal.notOpen
          ? await notHere(member, subject, name, room, refusal.ended)
          : await alreadyIn(member, subject, subjectId, name, to, refusal.opened);
      return conflict(req, res, room, problem);
    }
    const admitted = outcome.value.admitted;
    req.log.info({ fromRoomId: room.id, roomId: to.id, presenceId: outcome.value.presence.id, shiftId: admitted?.shiftId ?? null }, 'presence.moved');
    await publishCards(req.app, hub, log, outcome.state);
    const goTo = form.data.returnTo === 'from' ? room : to;
    const until = admitted?.until ? ` until ${admitted.until}` : '';
    const supervised = admitted?.supervised ? ', under direct supervision' : '';
    done(req, res, goTo, { message: `${name} moved from ${room.name} to ${to.name}${until}${supervised}.`, tone: 'ok', arrived: subject === 'person' && goTo.id === to.id }, 200, `${subject}-${subjectId}`);
  };
  router.post(`${ROOM}/child-moves`, guard(deps, 'child_presence.change'), move('child'));
  router.post(`${ROOM}/person-moves`, guard(deps, 'person_presence.change'), move('person'));

  // ---------------------------------------------------------------- handoff notes

  router.post(`${ROOM}/handoff-notes`, guard(deps, 'handoff_note.create'), async (req, res) => {
    const member = memberOf(req);
    const room = await roomOf(req);
    const form = NoteForm.safeParse(req.body ?? {});
    if (!form.success) return invalid(req, res, room, form.error, ['body']);
    const at = clock.now();
    const day = DateTime.fromJSDate(at, { zone: member.center.timeZone }).toISODate()!;
    const noteId = await db.transaction(async (trx) => {
      const created = await addHandoffNote(trx, { centerId: member.center.id, roomId: room.id, day, body: form.data.body, authorUserId: member.userId, at });
      // The body stays out of the audit log as it stays out of the logs: it may name children.
      await audit(trx, member, at, 'handoff_note.created', 'handoff_note', created, { roomId: room.id, day });
      return created;
    });
    req.log.info({ roomId: room.id, noteId }, 'handoff_note.created');
    done(req, res, room, { message: 'Note added for today.', tone: 'ok' }, 201, 'notes');
  });

  // ---------------------------------------------------------------- headcounts

  router.post(`${ROOM}/headcounts`, guard(deps, 'headcount.create'), async (req, res) => {
    const member = memberOf(req);
    const room = await roomOf(req);
    const form = HeadcountForm.safeParse(req.body ?? {});
    if (!form.success) return invalid(req, res, room, form.error, ['counted']);
    const at = clock.now();
    const outcome = await commitChange(db, member.center, at, [room.id], async (trx) => {
      // Judged against the list as it stands inside this transaction.
      const expected = (await listOpenPresences(trx, 'child', room.id)).length;
      const check = await recordHeadcount(trx, { centerId: member.center.id, roomId: room.id, counted: form.data.counted, expected, userId: member.userId, at });
      await audit(trx, member, at, 'headcount.recorded', 'headcount_check', check.id, { roomId: room.id, counted: check.counted, expected: check.expected });
      return { ok: true as const, value: check, cause: 'headcount recorded' };
    }, forCards(member));
    if (!outcome.ok) throw new Error('unreachable');
    const check = outcome.value;
    req.log.info({ roomId: room.id, checkId: check.id, matches: check.counted === check.expected }, 'headcount.recorded');
    await publishCards(req.app, hub, log, outcome.state);
    const message =
      check.counted === check.expected
        ? `Headcount matches the list: ${check.counted} ${check.counted === 1 ? 'child' : 'children'}.`
        : `You counted ${check.counted}; ${check.expected} ${check.expected === 1 ? 'is' : 'are'} checked in. Flagged on the board until resolved: check names against faces.`;
    done(req, res, room, { message, tone: check.counted === check.expected ? 'ok' : 'error' }, 201, 'headcount-heading');
  });

  router.post('/centers/:centerId/headcounts/:checkId/resolution', guard(deps, 'headcount.resolve'), async (req, res) => {
    const member = memberOf(req);
    const checkId = idIn(req.params.checkId);
    const check = checkId ? await findHeadcountInCenter(db, member.center.id, checkId) : undefined;
    if (!check) throw new NotFound('headcount');
    const room = await findOpenRoomInCenter(db, member.center.id, check.roomId);
    if (!room) throw new NotFound('room');
    const at = clock.now();
    const outcome = await commitChange(db, member.center, at, [room.id], async (trx) => {
      if (!(await resolveHeadcount(trx, member.center.id, check.id, member.userId, at))) return { ok: false as const, error: 'resolved' };
      await audit(trx, member, at, 'headcount.resolved', 'headcount_check', check.id, { resolvedAt: at.toISOString() }, { resolvedAt: null });
      return { ok: true as const, value: check, cause: 'headcount resolved' };
    }, forCards(member));
    if (!outcome.ok) {
      const again = await findHeadcountInCenter(db, member.center.id, check.id);
      return conflict(req, res, room, { message: `Already resolved at ${again?.resolvedAt ? clockTime(again.resolvedAt, zoneOf(member)) : 'an earlier time'}.` });
    }
    await publishCards(req.app, hub, log, outcome.state);
    done(req, res, room, { message: 'Headcount mismatch resolved.', tone: 'ok' }, 200, 'headcount-heading');
  });

  // ---------------------------------------------------------------- activity

  router.post(`${ROOM}/activity`, guard(deps, 'room_activity.change'), async (req, res) => {
    const member = memberOf(req);
    const room = await roomOf(req);
    const form = ActivityForm.safeParse(req.body ?? {});
    if (!form.success) return invalid(req, res, room, form.error);
    const activity = form.data.activity;
    const current = (await listOpenActivitiesInCenter(db, member.center.id, [room.id]))[0]?.activity ?? 'normal';
    if (current === activity) return done(req, res, room, { message: `${room.name} is already on ${ACTIVITY_WORDS[activity]}.`, tone: 'ok' }, 200, 'activity-heading');
    const at = clock.now();
    const outcome = await commitChange(db, member.center, at, [room.id], async (trx) => {
      const { previous } = await changeRoomActivity(trx, { centerId: member.center.id, roomId: room.id, activity, at, userId: member.userId });
      await audit(trx, member, at, 'room_activity.changed', 'room', room.id, { activity }, { activity: previous });
      return { ok: true as const, value: activity, cause: `activity: ${ACTIVITY_WORDS[activity]}` };
    }, forCards(member));
    if (!outcome.ok) throw new Error('unreachable');
    req.log.info({ roomId: room.id, activity }, 'room_activity.changed');
    await publishCards(req.app, hub, log, outcome.state);
    done(req, res, room, { message: `${room.name}: ${ACTIVITY_WORDS[activity]} from now.`, tone: 'ok' }, 200, 'activity-heading');
  });

  return router;
}
