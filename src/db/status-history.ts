import type { Knex } from 'knex';
import { z } from 'zod';
import { newId, parseRows } from './rows.js';

/**
 * The compliance history: a room's figures as the board judged them, [started_at,
 * ended_at), with the cause of the change that started each interval. A new interval
 * starts whenever the figures change (the status, children by category, present and
 * counted staff, required staff, the group-size limit in force), not only the status,
 * so "was Infants in ratio at 11:45, and with how many children?" is answered by the
 * one interval holding 11:45. A log, written in the same transaction as the change
 * that caused it; nothing reads it back to make a decision.
 */

const int = z.union([z.number(), z.string()]).transform((v) => Number(v));

/** Children present per band id of the pack, bands with none left out. */
export type ChildrenByCategory = Readonly<Record<string, number>>;

const ByCategoryJson = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'children_by_category is not JSON' });
      return z.NEVER;
    }
  })
  .pipe(z.record(z.string(), z.number().int().nonnegative()));

/** A history row as stored, before it is turned into a `StatusInterval`. */
export const HistoryFields = z.object({
  id: z.string(),
  room_id: z.string(),
  status: z.string(),
  started_at: z.string(),
  ended_at: z.string().nullable(),
  cause: z.string(),
  required_staff: int,
  counted_staff: int,
  children: int,
  // Null on rows written before the figures were kept (migration 20261209160000).
  children_by_category: ByCategoryJson.nullable(),
  present_staff: int.nullable(),
  max_group_size: int.nullable(),
});

/** A stored row's fields by their names in the code. */
export const historyOf = (r: z.output<typeof HistoryFields>) => ({
  id: r.id,
  roomId: r.room_id,
  status: r.status,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  cause: r.cause,
  requiredStaff: r.required_staff,
  countedStaff: r.counted_staff,
  children: r.children,
  /** Null on a row written before the figures were kept: then `presentStaff` and `maxGroupSize` are unknown too. */
  childrenByCategory: r.children_by_category as ChildrenByCategory | null,
  presentStaff: r.present_staff,
  /** The group-size limit in force; null when none applied (or, with `presentStaff` null, not recorded). */
  maxGroupSize: r.max_group_size,
});

/** The columns a history row is read with (prefixed for a join). */
export const historyColumns = (prefix = '') =>
  ['id', 'room_id', 'status', 'started_at', 'ended_at', 'cause', 'required_staff', 'counted_staff', 'children', 'children_by_category', 'present_staff', 'max_group_size'].map(
    (c) => `${prefix}${c}`,
  );

const HistoryRow = HistoryFields.transform(historyOf);
export type StatusInterval = z.output<typeof HistoryRow>;

/** What an interval keeps of a judged room: a change in any of these starts a new interval. */
export type StatusFigures = {
  readonly status: string;
  readonly requiredStaff: number;
  readonly countedStaff: number;
  /** Everyone present in the room, counted or not. */
  readonly presentStaff: number;
  readonly children: number;
  /** Per band id of the pack (bands with none may be listed with 0; they are not stored). */
  readonly childrenByCategory: ChildrenByCategory;
  /** The group-size limit that applies now; null when none does. */
  readonly maxGroupSize: number | null;
};

export type StatusNow = StatusFigures & { readonly roomId: string };

/** A room's figures with the instant and cause of the change that made them, where they are not the call's (a group of changes). */
export type StatusOfChange = StatusNow & { readonly at?: Date; readonly cause?: string };

/** A room's open row: its figures, to compare with what the caller judged. */
export type OpenStatusRow = { readonly id: string; readonly roomId: string; readonly startedAt: string; readonly figures: StatusFigures | null };

const OpenRow = z
  .object({
    id: z.string(),
    room_id: z.string(),
    status: z.string(),
    started_at: z.string(),
    required_staff: int,
    counted_staff: int,
    children: int,
    children_by_category: ByCategoryJson.nullable(),
    present_staff: int.nullable(),
    max_group_size: int.nullable(),
  })
  .transform(
    (r): OpenStatusRow => ({
      id: r.id,
      roomId: r.room_id,
      startedAt: r.started_at,
      // A row written before the figures were kept compares unequal to any judged figures: the next change keeps them.
      figures:
        r.children_by_category === null || r.present_staff === null
          ? null
          : {
              status: r.status,
              requiredStaff: r.required_staff,
              countedStaff: r.counted_staff,
              presentStaff: r.present_staff,
              children: r.children,
              childrenByCategory: r.children_by_category,
              maxGroupSize: r.max_group_size,
            },
    }),
  );

const OPEN_COLUMNS = ['id', 'room_id', 'status', 'started_at', 'required_staff', 'counted_staff', 'children', 'children_by_category', 'present_staff', 'max_group_size'];

/** The rooms' open rows (what recordStatuses compares with), to read side by side with what the caller judges. */
export async function openStatusRows(db: Knex, roomIds: readonly string[]): Promise<OpenStatusRow[]> {
  return parseRows(OpenRow, await db('room_status_history').whereIn('room_id', roomIds).whereNull('ended_at').select(OPEN_COLUMNS));
}

/** The categories with children, in the order given: what is stored, and what two judgements are compared on. */
function presentCategories(byCategory: ChildrenByCategory): [string, number][] {
  return Object.entries(byCategory).filter(([, n]) => n > 0);
}

/** Whether two judgements of a room keep the same figures (categories compared by band, whatever their order). */
export function sameFigures(a: StatusFigures, b: StatusFigures): boolean {
  if (
    a.status !== b.status ||
    a.requiredStaff !== b.requiredStaff ||
    a.countedStaff !== b.countedStaff ||
    a.presentStaff !== b.presentStaff ||
    a.children !== b.children ||
    a.maxGroupSize !== b.maxGroupSize
  ) {
    return false;
  }
  const x = presentCategories(a.childrenByCategory);
  const y = new Map(presentCategories(b.childrenByCategory));
  return x.length === y.size && x.every(([band, n]) => y.get(band) === n);
}

type NewRow = Record<string, string | number | null>;

function newRow(centerId: string, s: StatusNow, startedAt: string, endedAt: string | null, cause: string): NewRow {
  return {
    id: newId(),
    center_id: centerId,
    room_id: s.roomId,
    status: s.status,
    started_at: startedAt,
    ended_at: endedAt,
    cause: cause.slice(0, 200),
    required_staff: s.requiredStaff,
    counted_staff: s.countedStaff,
    children: s.children,
    children_by_category: JSON.stringify(Object.fromEntries(presentCategories(s.childrenByCategory))),
    present_staff: s.presentStaff,
    max_group_size: s.maxGroupSize,
  };
}

/** A room's open row as a judgement is compared with and a change closes it: stored, or opened earlier in the same replay. */
type Current = { readonly startedAt: string; readonly figures: StatusFigures | null; readonly stored?: string; readonly row?: NewRow };

/**
 * Where `s` (judged at `iso`) differs from the room's current row: the instant the
 * new interval starts, which closes the current one. An instant before the current
 * row's start (a clock step back) still closes it at its start, never before.
 * Undefined when the figures are the same: nothing to write.
 */
function changeAt(current: Current | undefined, s: StatusFigures, iso: string): string | undefined {
  if (current?.figures && sameFigures(current.figures, s)) return undefined;
  return current && current.startedAt > iso ? current.startedAt : iso;
}

/**
 * Closes each room's open row and opens a new one where its figures changed (or none
 * was open), at `at` with `cause` unless the status carries its own; the rooms' open
 * rows are read here unless the caller read them (`open`). Answers the room ids whose
 * figures changed. One read (or none), then one update closing every changed room's
 * open row (each at its own instant) and one insert of their new rows: a group of
 * check-ins pays two statements for its rooms' history, not two per room (on
 * PostgreSQL a transaction's statements go one after another).
 */
export async function recordStatuses(
  trx: Knex.Transaction,
  centerId: string,
  statuses: readonly StatusOfChange[],
  at: Date,
  cause: string,
  open?: readonly OpenStatusRow[],
): Promise<string[]> {
  if (statuses.length === 0) return [];
  const byRoom = new Map((open ?? (await openStatusRows(trx, statuses.map((s) => s.roomId)))).map((o) => [o.roomId, o]));
  const closes: { id: string; endedAt: string }[] = [];
  const inserts: NewRow[] = [];
  const changed: string[] = [];
  for (const s of statuses) {
    const current = byRoom.get(s.roomId);
    const startedAt = changeAt(current, s, (s.at ?? at).toISOString());
    if (startedAt === undefined) continue;
    if (current) closes.push({ id: current.id, endedAt: startedAt });
    inserts.push(newRow(centerId, s, startedAt, null, s.cause ?? cause));
    changed.push(s.roomId);
  }
  // Closed first: one open row per room is a unique index.
  await closeRows(trx, closes);
  for (let i = 0; i < inserts.length; i += INSERT_CHUNK) await trx('room_status_history').insert(inserts.slice(i, i + INSERT_CHUNK));
  return changed;
}

/** Ends open rows, each at its own instant: one statement per INSERT_CHUNK rows (a CASE on the id). */
async function closeRows(trx: Knex.Transaction, closes: readonly { id: string; endedAt: string }[]): Promise<void> {
  for (let i = 0; i < closes.length; i += INSERT_CHUNK) {
    const chunk = closes.slice(i, i + INSERT_CHUNK);
    const endedAt = trx.raw(`CASE ?? ${chunk.map(() => 'WHEN ? THEN ?').join(' ')} END`, ['id', ...chunk.flatMap((c) => [c.id, c.endedAt])]);
    await trx('room_status_history').whereIn('id', chunk.map((c) => c.id)).whereNull('ended_at').update({ ended_at: endedAt });
  }
}

/** One instant of a replay: the rooms judged then, each change with the cause given (per room, or the step's). */
export type StatusStep = { readonly at: Date; readonly cause: string; readonly statuses: readonly StatusOfChange[] };

/** Rows per insert: 13 columns each, well under SQLite's cap on bound parameters. */
const INSERT_CHUNK = 50;

/**
 * Records a sequence of judgements in time order, as `recordStatuses` would one call
 * after another, but reading the rooms' open rows once and writing in bulk: the rows
 * open before are closed where their figures first changed, and every interval the
 * steps make is inserted at once, closed where the next one starts (the last of each
 * room left open). For writes that happened earlier than they are recorded (the demo
 * day's backdated presences). Answers how many intervals were opened.
 */
export async function recordStatusTimeline(trx: Knex.Transaction, centerId: string, steps: readonly StatusStep[]): Promise<number> {
  const roomIds = [...new Set(steps.flatMap((step) => step.statuses.map((s) => s.roomId)))];
  if (roomIds.length === 0) return 0;
  const current = new Map<string, Current>((await openStatusRows(trx, roomIds)).map((o) => [o.roomId, { startedAt: o.startedAt, figures: o.figures, stored: o.id }]));
  const closes: { id: string; endedAt: string }[] = [];
  const inserts: NewRow[] = [];
  for (const step of [...steps].sort((a, b) => a.at.getTime() - b.at.getTime())) {
    for (const s of step.statuses) {
      const was = current.get(s.roomId);
      const startedAt = changeAt(was, s, (s.at ?? step.at).toISOString());
      if (startedAt === undefined) continue;
      if (was?.stored) closes.push({ id: was.stored, endedAt: startedAt });
      if (was?.row) was.row.ended_at = startedAt;
      const row = newRow(centerId, s, startedAt, null, s.cause ?? step.cause);
      inserts.push(row);
      current.set(s.roomId, { startedAt, figures: s, row });
    }
  }
  // Closed first: one open row per room is a unique index.
  for (const c of closes) await trx('room_status_history').where({ id: c.id }).whereNull('ended_at').update({ ended_at: c.endedAt });
  for (let i = 0; i < inserts.length; i += INSERT_CHUNK) await trx('room_status_history').insert(inserts.slice(i, i + INSERT_CHUNK));
  return inserts.length;
}

/** A room's intervals overlapping [from, to), oldest first. */
export async function listStatusIntervals(db: Knex, centerId: string, roomId: string, from: Date, to: Date): Promise<StatusInterval[]> {
  const rows = await db('room_status_history')
    .where({ center_id: centerId, room_id: roomId })
    .where('started_at', '<', to.toISOString())
    .andWhere((q) => q.whereNull('ended_at').orWhere('ended_at', '>', from.toISOString()))
    .orderBy('started_at')
    .select(historyColumns());
  return parseRows(HistoryRow, rows);
}
