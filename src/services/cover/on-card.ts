import type { Knex } from 'knex';
import { listClaimsOfRequests, listOpenCoverRequests, type CoverClaim, type CoverRequest } from '../../db/cover-requests.js';
import { auditHeads, Kept, type AuditHeads } from '../../db/freshness.js';
import type { Center } from '../../db/rows.js';
import type { CoverNeed } from '../../domain/forecast.js';
import { openNeeds, seatLevels } from '../../domain/matching.js';
import { rangeText } from '../../words/format.js';
import { spanOf } from '../../words/times.js';

/**
 * The open cover requests as a room's card shows them: where the forecast flags a
 * cover need that open requests already meet, the card says "Cover requested: 1 of 1
 * open, 12:10–17:30" with a link to each, instead of offering another "Request cover"
 * (which would only find the open one: see askForCover). The board, its live cards and
 * the room page read them here, once per center (or for the rooms a write touched).
 */

/** An open request as a card reads it. */
export type CoverOnCard = {
  readonly id: string;
  readonly roomId: string;
  /** Its page; null for a viewer who may not open cover requests. */
  readonly href: string | null;
  /** Its window, epoch ms. */
  readonly start: number;
  readonly end: number;
  /** How many people it asks for, and how many of those places still have some part open. */
  readonly asked: number;
  readonly openPlaces: number;
  /** What is still open of it, split where the number of people still missing changes. */
  readonly open: readonly { readonly start: number; readonly end: number; readonly people: number }[];
  /** "12:10–17:30" in the center's zone. */
  readonly window: string;
};

/** Open requests by room id, each room's soonest first. */
export type OpenCover = ReadonlyMap<string, readonly CoverOnCard[]>;

/** The card's words for the open requests meeting its cover need; `covered` when together they ask for all it lacks. */
export type CoverRequested = {
  readonly lines: readonly { readonly words: string; readonly href: string | null }[];
  readonly covered: boolean;
};

/** A gap shorter than this is not worth another request (a need to midnight is asked to 23:59). */
const SLACK_MS = 60_000;

/**
 * The open requests meeting `need` from `from` (now, to the minute, or the need's
 * start if later) to its end, or null when none does. Covered when, at every moment of
 * that span, the places still open in the requests there add up to the people it lacks.
 */
export function coverRequestedFor(requests: readonly CoverOnCard[] | undefined, need: Pick<CoverNeed, 'start' | 'end' | 'additionalStaff'>, from: number): CoverRequested | null {
  const start = Math.max(need.start, from);
  const meeting = (requests ?? []).filter((r) => r.start < need.end && start < r.end);
  if (meeting.length === 0) return null;
  const pieces = meeting.flatMap((r) => r.open);
  const cuts = [...new Set([start, need.end, ...pieces.flatMap((p) => [p.start, p.end]).filter((t) => t > start && t < need.end)])].sort((a, b) => a - b);
  let covered = true;
  for (let i = 0; i + 1 < cuts.length && covered; i++) {
    const [a, b] = [cuts[i]!, cuts[i + 1]!];
    if (b - a < SLACK_MS) continue;
    const people = pieces.filter((p) => p.start <= a && b <= p.end).reduce((n, p) => n + p.people, 0);
    if (people < need.additionalStaff) covered = false;
  }
  return {
    lines: meeting.map((r) => ({ words: `Cover requested: ${r.openPlaces} of ${r.asked} open, ${r.window}`, href: r.href })),
    covered,
  };
}

/** One request as a card reads it, with its accepted claims. */
export function coverOnCard(request: CoverRequest, claims: readonly CoverClaim[], zone: string): CoverOnCard {
  const window = spanOf(request.startsAt, request.endsAt, zone);
  const seats = seatLevels(request.peopleNeeded, request.needs).map((level, i) => ({
    level,
    taken: claims.filter((c) => c.coverRequestId === request.id && c.status === 'accepted' && c.seat === i).map((c) => spanOf(c.startsAt, c.endsAt, zone)),
  }));
  return {
    id: request.id,
    roomId: request.roomId,
    href: `/centers/${request.centerId}/cover-requests/${request.id}`,
    start: window.start.toMillis(),
    end: window.end.toMillis(),
    asked: request.peopleNeeded,
    openPlaces: seats.filter((s) => openNeeds(window, [s]).length > 0).length,
    open: openNeeds(window, seats).map((n) => ({ start: n.start.toMillis(), end: n.end.toMillis(), people: n.people })),
    window: rangeText(window),
  };
}

type OnCards = { readonly from: number; readonly rows: readonly CoverOnCard[] };
/** Per database (tests open many; transactions share their knex's config object), per center and zone. */
const kept = new WeakMap<object, Kept<OnCards>>();
const MAX_CENTERS = 200;

/**
 * The center's open requests whose window has not ended at `at`, by room (only
 * `roomIds`, if given): two queries, requests and their claims. What was read is kept
 * under the audit log's cover head (db/freshness.ts), so a check-in's live card reads
 * nothing here; inside a transaction it is read each time.
 * Without `links` (a viewer who may not open cover requests), no line links to its request.
 */
export async function loadOpenCover(
  db: Knex,
  center: Center,
  at: Date,
  roomIds?: readonly string[],
  opts: { readonly links?: boolean; /** The audit log's heads as the caller read them (with `db`, after it began): no read here. */ readonly heads?: AuditHeads } = {},
): Promise<OpenCover> {
  const rows = await openOnCards(db, center, at, opts.heads);
  const wanted = roomIds ? new Set(roomIds) : null;
  const out = new Map<string, CoverOnCard[]>();
  for (const r of rows) {
    if (r.end <= at.getTime() || (wanted && !wanted.has(r.roomId))) continue;
    let list = out.get(r.roomId);
    if (!list) out.set(r.roomId, (list = []));
    list.push(opts.links === false ? { ...r, href: null } : r);
  }
  return out;
}

async function readOpen(db: Knex, center: Center, at: Date): Promise<readonly CoverOnCard[]> {
  const requests = await listOpenCoverRequests(db, center.id, at);
  const claims = requests.length > 0 ? await listClaimsOfRequests(db, requests.map((r) => r.id)) : [];
  return requests.map((r) => coverOnCard(r, claims, center.timeZone));
}

async function openOnCards(db: Knex, center: Center, at: Date, heads?: AuditHeads): Promise<readonly CoverOnCard[]> {
  if (db.isTransaction) return readOpen(db, center, at);
  let byCenter = kept.get(db.client.config);
  if (!byCenter) kept.set(db.client.config, (byCenter = new Kept(MAX_CENTERS)));
  const { cover } = heads ?? (await auditHeads(db));
  const read = async (): Promise<OnCards> => ({ from: at.getTime(), rows: await readOpen(db, center, at) });
  const onCards = await byCenter.get(`${center.id}|${center.timeZone}`, cover, read);
  // A later instant needs a subset of what was read; an earlier one (a test's clock) reads again.
  return at.getTime() >= onCards.from ? onCards.rows : readOpen(db, center, at);
}
