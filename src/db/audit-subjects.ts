import type { Knex } from 'knex';

/**
 * What the ids in a page of audit entries name, so the audit page can say
 * "Maria verified Jo Nguyen's Safe sleep training" instead of printing ids:
 * people, children, rooms, users, training records (whose and which), cover
 * requests and shifts (where and when), presences (whose, where). Only rows of the center are looked up;
 * an id that names nothing there (another center's, or not an id) is left out.
 */
export type AuditSubject =
  | { readonly kind: 'person' | 'child' | 'room' | 'user'; readonly name: string }
  | { readonly kind: 'training_record'; readonly name: string; readonly trainingId: string }
  | { readonly kind: 'cover_request'; readonly name: string; readonly startsAt: string; readonly endsAt: string }
  | { readonly kind: 'shift'; readonly name: string; readonly room: string; readonly startsAt: string; readonly endsAt: string }
  | { readonly kind: 'child_presence' | 'person_presence'; readonly name: string; readonly room: string };

/** At most this many ids are looked up per table (a page is 50 entries). */
const MAX_IDS = 1_000;

export async function auditSubjects(db: Knex, centerId: string, ids: Iterable<string>): Promise<Map<string, AuditSubject>> {
  const wanted = [...new Set(ids)].slice(0, MAX_IDS);
  const found = new Map<string, AuditSubject>();
  if (wanted.length === 0) return found;
  type Named = { id: string; name: string };
  const presences = (table: 'child_presences' | 'person_presences', subject: 'children' | 'people', column: 'child_id' | 'person_id') =>
    db(`${table} as x`)
      .join(`${subject} as s`, 's.id', `x.${column}`)
      .join('rooms as r', 'r.id', 'x.room_id')
      .where('x.center_id', centerId)
      .whereIn('x.id', wanted)
      .select('x.id', 's.display_name as name', 'r.name as room') as Promise<(Named & { room: string })[]>;
  const [people, children, rooms, users, records, requests, shifts, childPresences, personPresences] = await Promise.all([
    db('people').where({ center_id: centerId }).whereIn('id', wanted).select('id', 'display_name as name') as Promise<Named[]>,
    db('children').where({ center_id: centerId }).whereIn('id', wanted).select('id', 'display_name as name') as Promise<Named[]>,
    db('rooms').where({ center_id: centerId }).whereIn('id', wanted).select('id', 'name') as Promise<Named[]>,
    // A user is named here only while they are, or were, a member of the center.
    db('users')
      .whereIn('id', wanted)
      .whereIn('id', db('memberships').where({ center_id: centerId }).select('user_id'))
      .select('id', 'display_name as name') as Promise<Named[]>,
    db('training_records as t')
      .join('people as p', 'p.id', 't.person_id')
      .where('t.center_id', centerId)
      .whereIn('t.id', wanted)
      .select('t.id', 'p.display_name as name', 't.training_id as trainingId') as Promise<(Named & { trainingId: string })[]>,
    db('cover_requests as c')
      .join('rooms as r', 'r.id', 'c.room_id')
      .where('c.center_id', centerId)
      .whereIn('c.id', wanted)
      .select('c.id', 'r.name as name', 'c.starts_at as startsAt', 'c.ends_at as endsAt') as Promise<(Named & { startsAt: string; endsAt: string })[]>,
    db('shifts as s')
      .join('people as p', 'p.id', 's.person_id')
      .join('rooms as r', 'r.id', 's.room_id')
      .where('s.center_id', centerId)
      .whereIn('s.id', wanted)
      .select('s.id', 'p.display_name as name', 'r.name as room', 's.starts_at as startsAt', 's.ends_at as endsAt') as Promise<
      (Named & { room: string; startsAt: string; endsAt: string })[]
    >,
    presences('child_presences', 'children', 'child_id'),
    presences('person_presences', 'people', 'person_id'),
  ]);
  for (const r of people) found.set(r.id, { kind: 'person', name: r.name });
  for (const r of children) found.set(r.id, { kind: 'child', name: r.name });
  for (const r of rooms) found.set(r.id, { kind: 'room', name: r.name });
  for (const r of users) if (!found.has(r.id)) found.set(r.id, { kind: 'user', name: r.name });
  for (const r of records) found.set(r.id, { kind: 'training_record', name: r.name, trainingId: r.trainingId });
  for (const r of requests) found.set(r.id, { kind: 'cover_request', name: r.name, startsAt: r.startsAt, endsAt: r.endsAt });
  for (const r of childPresences) found.set(r.id, { kind: 'child_presence', name: r.name, room: r.room });
  for (const r of personPresences) found.set(r.id, { kind: 'person_presence', name: r.name, room: r.room });
  for (const r of shifts) found.set(r.id, { kind: 'shift', name: r.name, room: r.room, startsAt: r.startsAt, endsAt: r.endsAt });
  return found;
}
