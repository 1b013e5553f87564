import type { AuditSubject } from '../../db/audit-subjects.js';
import type { RulePack } from '../../domain/rule-pack.js';
import { dateText, rangeText } from '../../words/format.js';

/**
 * An audit entry in words, as the audit page shows it: "Maria Lindqvist verified
 * Jo Nguyen's Safe sleep (SUID) training", and what changed ("Status: Submitted →
 * Verified"), with every id named by what it is (db/audit-subjects.ts). Actions
 * this table does not know are still written readably ("cover request help
 * joined: the cover for Infants …").
 */

export type AuditChange = { readonly label: string; readonly before: string | null; readonly after: string | null };
export type AuditWords = { readonly sentence: string; readonly changes: readonly AuditChange[] };

export type AuditWordsContext = {
  readonly subjects: ReadonlyMap<string, AuditSubject>;
  readonly pack: RulePack;
  readonly zone: string;
  readonly centerName: string;
};

type Entry = { readonly action: string; readonly recordType: string; readonly recordId: string | null; readonly changes: string };

/**
 * What was done, after the actor's name. `{record}` is the record the entry is
 * about; `{room}`, `{person}`, `{child}` the ones its values name (roomId, …).
 */
const VERBS: Record<string, string> = {
  'child_presence.opened': 'checked {child} in to {room}',
  'child_presence.closed': 'checked {record} out',
  'child_presence.moved': 'moved {record}',
  'person_presence.opened': 'recorded {person} arriving in {room}',
  'person_presence.closed': 'recorded {record} leaving',
  'person_presence.moved': 'moved {record}',
  'child.created': 'added the child {record}',
  'child.updated': 'changed the child {record}',
  'child.archived': 'archived the child {record}',
  'child.unarchived': 'restored the child {record}',
  'person.created': 'added {record}',
  'person.updated': 'changed {record}',
  'person.archived': 'archived {record}',
  'person.unarchived': 'restored {record}',
  'room.created': 'added the room {record}',
  'room.updated': 'changed the room {record}',
  'room.archived': 'archived the room {record}',
  'room.unarchived': 'restored the room {record}',
  'room_activity.changed': 'changed the activity in {record}',
  'room_nap.added': 'planned a nap in {room}',
  'room_nap.removed': 'removed a nap in {room}',
  'training_record.submitted': 'recorded {record}',
  'training_record.imported': 'imported {record}',
  'training_record.verified': 'verified {record}',
  'training_record.rejected': 'did not accept {record}',
  'background_study.updated': "changed {record}'s background study",
  'center_training.created': 'added a center training',
  'center_training.archived': 'archived a center training',
  'shift.added': 'added {record}',
  'shift.changed': 'changed {record}',
  'shift.cancelled': 'cancelled {record}',
  'shift_break.added': 'added a break to {record}',
  'shift_break.removed': 'removed a break from {record}',
  'shift_template.added': "added to {person}'s usual week",
  'shift_template.removed': "removed from {person}'s usual week",
  'day_plan.made': "made the day's plan",
  'day_plan.usual_week_applied': "brought today's plan in line with the usual week",
  'plan_override.recorded': 'changed the plan',
  'child_absence.marked': 'marked {child} absent',
  'child_absence.removed': 'took back {child}’s absence',
  'availability.weekly_set': "set {person}'s usual availability",
  'availability.today_set': "set {person}'s availability for today",
  'availability.today_cleared': "cleared {person}'s availability for today",
  'cover_request.created': 'asked for {record}',
  'cover_request.claimed': 'claimed {record}',
  'cover_request.approved': 'approved a claim on {record}',
  'cover_request.declined': 'declined a claim on {record}',
  'cover_request.assigned': 'assigned {record}',
  'cover_request.withdrawn': 'withdrew from {record}',
  'cover_request.cancelled': 'cancelled {record}',
  'cover_request.expired': 'closed {record}, its window over',
  'cover_request.widened': 'widened {record}',
  'cover_request.raised': 'asked for more people for {record}',
  'cover_request.help_requested': 'asked for help now in {room}',
  'cover_request.help_joined': 'joined the call for help in {record}',
  'cover_request.help_repeated': 'repeated the call for help in {record}',
  'remedy.move_taken': 'moved {person} over for {record}',
  'remedy.call_in_assigned': 'called {person} in for {record}',
  'remedy.cover_requested': 'asked for {record}',
  'handoff_note.created': 'wrote a note in {room}',
  'headcount.recorded': 'recorded a headcount in {room}',
  'headcount.resolved': 'resolved a headcount in {room}',
  'membership.created': 'added a member',
  'membership.role_changed': "changed {person}'s role",
  'membership.deactivated': 'removed {person} from the center',
  'invitation.created': 'invited someone',
  'invitation.accepted': 'joined by invitation',
  'invitation.refused': 'refused an invitation',
  'invitation.revoked': 'revoked an invitation',
  'password_reset_link.created': 'made a password reset link',
  'password_reset_link.revoked': 'revoked a password reset link',
  'roster.imported': 'imported a roster',
  'center.created': 'created the center',
  'center.updated': "changed the center's settings",
  'alert_preferences.updated': 'changed their alert settings',
  'user.created': 'created an account',
  'user.signed_in': 'signed in',
  'user.password_reset': 'reset a password',
  'demo.seeded': 'made the demo center',
  'demo.day_started': "started the demo's day",
};

/** "cover_request.help_joined" → "cover request help joined". */
function humanize(action: string): string {
  return action.replace(/[._]/g, ' ');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const CIVIL_DAY = /^\d{4}-\d{2}-\d{2}$/;

function parseChanges(text: string): { before: Record<string, unknown>; after: Record<string, unknown> } {
  try {
    const parsed = JSON.parse(text) as { before?: unknown; after?: unknown };
    const obj = (v: unknown) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
    return { before: obj(parsed?.before), after: obj(parsed?.after) };
  } catch {
    return { before: {}, after: {} };
  }
}

function trainingLabel(pack: RulePack, id: string): string {
  return pack.trainings.find((t) => t.id === id)?.label ?? id;
}

/** A record named: "Jo Nguyen's Safe sleep (SUID) training", "the cover for Infants, Mon 2 Mar 12:00–15:00". */
export function subjectWords(subject: AuditSubject, ctx: AuditWordsContext): string {
  switch (subject.kind) {
    case 'training_record':
      return `${subject.name}'s ${trainingLabel(ctx.pack, subject.trainingId)} training`;
    case 'cover_request':
      return `the cover for ${subject.name}, ${dateText(subject.startsAt, ctx.zone)} ${rangeText(subject.startsAt, subject.endsAt, ctx.zone)}`;
    case 'shift':
      return `${subject.name}'s shift in ${subject.room}, ${dateText(subject.startsAt, ctx.zone)} ${rangeText(subject.startsAt, subject.endsAt, ctx.zone)}`;
    case 'child_presence':
    case 'person_presence':
      return `${subject.name} (${subject.room})`;
    default:
      return subject.name;
  }
}

/** A stored value in words: ids named, instants in the center's zone, yes/no, lists joined. */
function valueWords(key: string, value: unknown, ctx: AuditWordsContext): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') {
    if (UUID.test(value)) {
      const s = ctx.subjects.get(value.toLowerCase());
      return s ? subjectWords(s, ctx) : 'a record no longer on file';
    }
    if (INSTANT.test(value)) return dateText(value, ctx.zone, { time: true });
    if (CIVIL_DAY.test(value)) return dateText(value, ctx.zone, { year: true });
    if (key === 'trainingId' || key === 'training') return trainingLabel(ctx.pack, value);
    return value.replace(/_/g, ' ');
  }
  if (Array.isArray(value)) {
    const parts = value.map((v) => valueWords(key, v, ctx)).filter((v): v is string => v !== null);
    return parts.length ? parts.join(', ') : null;
  }
  return JSON.stringify(value);
}

/** "startedAt" → "Started at", "roomId" → "Room", "people_needed" → "People needed". */
function labelOf(key: string): string {
  const words = key
    .replace(/Id$/, '')
    .replace(/_id$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The id-valued keys an entry's words may name: its record, then roomId, personId, childId (after, then before). */
function named(entry: Entry, values: { before: Record<string, unknown>; after: Record<string, unknown> }, ctx: AuditWordsContext) {
  const nameOf = (id: unknown): string | null => {
    if (typeof id !== 'string') return null;
    const s = ctx.subjects.get(id.toLowerCase());
    return s ? subjectWords(s, ctx) : null;
  };
  const pick = (key: string) => nameOf(values.after[key]) ?? nameOf(values.before[key]);
  const recordType = entry.recordType.replace(/_/g, ' ');
  const record =
    (entry.recordId ? nameOf(entry.recordId) : null) ??
    (entry.recordType === 'center' ? ctx.centerName : `a ${recordType}`);
  return {
    record,
    room: pick('roomId') ?? (entry.recordType === 'room' ? record : 'a room'),
    person: pick('personId') ?? (entry.recordType === 'person' ? record : 'someone'),
    child: pick('childId') ?? (entry.recordType === 'child' ? record : 'a child'),
  };
}

export function auditWords(entry: Entry, ctx: AuditWordsContext): AuditWords {
  const values = parseChanges(entry.changes);
  const names = named(entry, values, ctx);
  const verb = VERBS[entry.action];
  const sentence = verb
    ? verb.replace(/\{(record|room|person|child)\}/g, (_, k: keyof typeof names) => names[k])
    : `${humanize(entry.action)}: ${names.record}`;
  const keys = [...new Set([...Object.keys(values.before), ...Object.keys(values.after)])];
  const changes: AuditChange[] = [];
  for (const key of keys) {
    const before = valueWords(key, values.before[key], ctx);
    const after = valueWords(key, values.after[key], ctx);
    if (before === after && key in values.before && key in values.after) continue;
    changes.push({ label: labelOf(key), before: key in values.before ? before : null, after });
  }
  return { sentence, changes };
}
