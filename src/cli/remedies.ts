import { z } from 'zod';
import { parseCivilDate } from '../domain/calendar.js';
import { findRemedies, type PersonLabel, type RankReason, type Remedy, type RemedyPerson, type RemedyRoom } from '../domain/remedies/index.js';
import { remedyText, type RemedyNames } from '../words/remedies.js';
import { list, readDay, Time, WindowInput } from './day-input.js';
import { InputError, PersonInput, TrainingInput, parseJson, parseOrThrow, runCli, toPeople } from './scenario-input.js';

/**
 * `npm run -s remedies`: the forecast CLI's JSON day on stdin with a `need` key
 * (`{"room": "<id>", "start": "HH:mm", "end": "HH:mm"}`), and optionally `people`
 * who might be called in, room `capacity` and staff `id`/`name`; the ranked
 * remedies as a JSON list on stdout (exit 0): `[{"kind": "move" | "merge" |
 * "call_in", ...}]`, times as HH:mm. Bad input: one line naming the field on
 * stderr (exit 2). docs/cli.md states the contract.
 */

const NeedInput = z
  .object({
    room: z.string({ error: required('must be a room id') }).min(1, 'must not be empty'),
    start: Time,
    end: Time,
  }, { error: required('must be an object {room, start, end}') })
  .superRefine((w, ctx) => {
    if (w.end <= w.start) ctx.addIssue({ code: 'custom', path: ['end'], message: `must be after start (${w.start})` });
  });

function required(otherwise: string) {
  return (issue: { input: unknown }) => (issue.input === undefined ? 'required' : otherwise);
}

const PoolPerson = PersonInput.extend({
  id: z.string({ error: required('must be a string') }).min(1, 'must not be empty'),
  name: z.string({ error: 'must be a string' }).optional(),
  available: list(WindowInput).default([]),
  pending: list(TrainingInput).default([]),
  hoursThisWeek: z.number({ error: 'must be a number of hours' }).min(0, 'must not be negative').optional(),
  knowsRooms: list(z.string({ error: 'must be a room id' })).default([]),
});

/** What the remedies CLI reads beyond the forecast's day (the day itself is read by `readDay`). */
const Extras = z.object({
  need: NeedInput,
  rooms: list(
    z.object({
      capacity: z.number({ error: 'must be a number of children' }).int('must be a whole number').min(0, 'must not be negative').optional(),
      staff: list(
        z.object({
          id: z.string({ error: 'must be a string' }).min(1, 'must not be empty').optional(),
          name: z.string({ error: 'must be a string' }).optional(),
        }),
      ).default([]),
    }),
  ),
  people: list(PoolPerson).default([]),
});

export function remedies(text: string) {
  const raw = parseJson(text);
  const read = readDay(raw);
  const extras = parseOrThrow(Extras, raw);
  const { day, pack, zone, at, hhmm } = read;
  const on = parseCivilDate(day.date)!;

  const ids = read.rooms.map((r) => r.id);
  if (!ids.includes(extras.need.room)) throw new InputError(`need.room: unknown room "${extras.need.room}" (one of ${ids.join(', ')})`);
  const names = new Map<string, string>();
  const rooms: RemedyRoom[] = read.rooms.map((r, i) => {
    const staff = extras.rooms[i]?.staff ?? [];
    const personIds = r.roomDay.people.map((_, k) => {
      const id = staff[k]?.id ?? `${r.id}/${k}`;
      if (staff[k]?.name) names.set(id, staff[k]!.name!);
      return id;
    });
    return { id: r.id, day: r.roomDay, personIds, capacity: extras.rooms[i]?.capacity ?? null };
  });
  const people: RemedyPerson[] = extras.people.map((p, i) => {
    const field = `people[${i}]`;
    const [person] = toPeople(pack, [p], on, field).map((x) => x);
    const known = new Set(pack.trainings.map((t) => t.id));
    p.pending.forEach((t, k) => {
      if (!known.has(t.id)) throw new InputError(`${field}.pending[${k}].id: unknown training id "${t.id}" for ${pack.id}`);
    });
    if (p.name) names.set(p.id, p.name);
    return {
      id: p.id,
      name: p.name ?? p.id,
      person: person!,
      pending: p.pending,
      available: p.available.map((w, k) => ({ start: at(w.start, `${field}.available[${k}].start`), end: at(w.end, `${field}.available[${k}].end`) })),
      ...(p.hoursThisWeek !== undefined ? { hoursThisWeek: p.hoursThisWeek } : {}),
      knowsRooms: p.knowsRooms,
    };
  });

  const need = { room: extras.need.room, start: at(extras.need.start, 'need.start'), end: at(extras.need.end, 'need.end') };
  const panel = findRemedies({ pack, zone, date: day.date, rooms, people, need, now: read.now });
  const words: RemedyNames = { room: (id) => id, person: (id) => names.get(id) ?? id, day: day.date, zone };
  return panel.remedies.map((r) => present(r, hhmm, remedyText(r, words)));
}

/** A remedy as JSON: instants as HH:mm, with its line of words. */
function present(r: Remedy, hhmm: (at: number) => string, text: string) {
  const rank = r.rank.map((x) => rankJson(x, hhmm));
  switch (r.kind) {
    case 'move':
      return { kind: r.kind, person: r.person, from: r.from, to: r.to, start: hhmm(r.start), end: hhmm(r.end), source: r.source, target: r.target, label: labelJson(r.label, hhmm), rank, text };
    case 'merge':
      return { kind: r.kind, into: r.into, from: r.from, start: hhmm(r.start), end: hhmm(r.end), combined: r.combined, freed: r.freed, margin: r.margin, unverified: r.unverified, rank, text };
    case 'call_in':
      return {
        kind: r.kind,
        coverage: r.coverage,
        people: r.people.map((p) => ({ person: p.person, start: hhmm(p.start), end: hhmm(p.end), label: labelJson(p.label, hhmm) })),
        target: r.target,
        rank,
        text,
      };
  }
}

function labelJson(label: PersonLabel, hhmm: (at: number) => string) {
  switch (label.code) {
    case 'on_break_until':
      return { code: label.code, params: { room: label.params.room, until: hhmm(label.params.until) } };
    case 'scheduled_elsewhere':
      return { code: label.code, params: { room: label.params.room, start: hhmm(label.params.start), end: hhmm(label.params.end) } };
    default:
      return label;
  }
}

function rankJson(reason: RankReason, hhmm: (at: number) => string) {
  if (reason.code === 'pair_covers_window') return { code: reason.code, params: { handoff: hhmm(reason.params.handoff) } };
  if (reason.code === 'available_today' && 'start' in reason.params) return { code: reason.code, params: { start: hhmm(reason.params.start), end: hhmm(reason.params.end) } };
  return reason;
}

await runCli('remedies', remedies);
