import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { remediesFor } from '../../services/remedies.js';
import { remedyPanel } from '../remedies/panel.js';
import { listClaimsOfRequests, listCoverEvents, listUserNames, type CoverClaim, type CoverEvent, type CoverRequest, type CoverStatus } from '../../db/cover-requests.js';
import type { CenterMember } from '../../db/memberships.js';
import { listPeopleByIdsInCenter } from '../../db/volunteer-pool.js';
import type { Room } from '../../db/rows.js';
import { levelLabel, matchCandidates, openNeeds, type Span } from '../../domain/matching.js';
import { reasonText } from '../../domain/ratio/words.js';
import { isCoarseCategory, type RulePack } from '../../domain/rule-pack.js';
import { can } from '../auth/policy.js';
import { loadCandidatePool } from '../../services/cover/candidates.js';
import { widenedWindow } from '../../services/cover/asking.js';
import { lowestLevel, seatsOf, shownStatus, windowOf } from '../../services/cover/flow.js';
import { coverOnCard } from '../../services/cover/on-card.js';
import { clockTime, dateText, rangeText } from '../../words/format.js';
import { spanOf, windowWords } from '../../words/times.js';

/**
 * Words for a cover request as pages show it: status as icon and word, the
 * window, who is still needed when, who took which part, the history, and for
 * directors the ranked candidates with the reasons, and who is one training away.
 */

export const STATUS_LOOK: Record<CoverStatus, { icon: string; words: string; tone: string }> = {
  open: { icon: '●', words: 'open', tone: 'open' },
  filled: { icon: '✓', words: 'filled', tone: 'filled' },
  cancelled: { icon: '✕', words: 'cancelled', tone: 'closed' },
  expired: { icon: '⌛', words: 'expired', tone: 'closed' },
};

/** One line of the history: who did what, to whom, for which part. */
function eventWords(kind: CoverEvent['kind'], who: string, person: string | null, part: string | null, people: number | null = null): string {
  const them = person ?? 'someone';
  const of = part ? `, ${part}` : '';
  switch (kind) {
    case 'created':
      return `${who} asked for cover`;
    case 'claimed':
      return `${them} claimed ${part ?? 'it'}`;
    case 'assigned':
      return `${who} assigned ${them}${of}`;
    case 'approved':
      return `${who} approved ${them}${of}`;
    case 'declined':
      return `${who} declined ${them}${of}`;
    case 'withdrawn':
      return `${them} withdrew from ${part ?? 'it'}`;
    case 'cancelled':
      return `${who} cancelled the request`;
    case 'expired':
      return 'Expired: the window ended before it was filled';
    case 'widened':
      return `${who} widened it to ${part ?? 'a wider window'}`;
    case 'raised':
      return `${who} raised it to ${people === null ? 'more people' : `${people} ${people === 1 ? 'person' : 'people'}`}`;
    case 'escalated':
      return `${who} asked for help now`;
  }
}

/** "1 person: aide or above", "2 people: teacher; anyone who counts" for the seats' levels. */
export function needsWords(pack: RulePack, request: Pick<CoverRequest, 'peopleNeeded' | 'needs'>): string {
  const n = request.peopleNeeded;
  const levels = Array.from({ length: n }, (_, i) => request.needs[i] ?? null);
  const count = `${n} ${n === 1 ? 'person' : 'people'}`;
  if (levels.every((l) => l === null)) return `${count} who ${n === 1 ? 'counts' : 'count'} here`;
  const top = pack.levels.at(-1)?.level;
  return `${count}: ${levels.map((l) => (l === null ? 'anyone who counts' : l === top ? levelLabel(pack, l) : `${levelLabel(pack, l)} or above`)).join('; ')}`;
}

export function trainingWords(pack: RulePack, ids: readonly string[]): string | null {
  if (ids.length === 0) return null;
  return ids.map((id) => pack.trainings.find((t) => t.id === id)?.label ?? id).join(', ');
}

export type RequestSummary = ReturnType<typeof summarize>;

/** The line a list shows for one request. */
export function summarize(pack: RulePack, request: CoverRequest, claims: readonly CoverClaim[], room: Room | undefined, zone: string, now: Date, centerId: string) {
  const window = windowOf(request, zone);
  const status = shownStatus(request, now);
  const here = DateTime.fromJSDate(now, { zone });
  const open = status === 'open' ? openNeeds(window, seatsOf(request, claims, zone)) : [];
  return {
    id: request.id,
    href: `/centers/${centerId}/cover-requests/${request.id}`,
    room: room?.name ?? 'A removed room',
    when: windowWords(window, here),
    day: request.day,
    start: clockTime(window.start),
    end: clockTime(window.end),
    people: request.peopleNeeded,
    needs: needsWords(pack, request),
    urgent: request.urgent,
    reason: request.reason,
    status: { ...STATUS_LOOK[status], code: status },
    isOpen: status === 'open',
    openNeeds: open.map((n) => ({ words: `${rangeText(n)}: ${n.people} more ${n.people === 1 ? 'person' : 'people'}`, start: clockTime(n.start), end: clockTime(n.end), people: n.people })),
    partlyFilled: status === 'open' && claims.some((c) => c.status === 'accepted'),
  };
}

/** The request page: everything above plus claims, history, and for directors the candidates. */
export async function requestPage(db: Knex, member: CenterMember, pack: RulePack, request: CoverRequest, room: Room, now: Date) {
  const { center } = member;
  const zone = center.timeZone;
  const here = DateTime.fromJSDate(now, { zone });
  const [claims, events] = await Promise.all([listClaimsOfRequests(db, [request.id]), listCoverEvents(db, request.id)]);
  const summary = summarize(pack, request, claims, room, zone, now, center.id);
  const personIds = [...new Set([...claims.map((c) => c.personId), ...events.map((e) => e.personId).filter((p): p is string => p !== null)])];
  const [people, users] = await Promise.all([
    listPeopleByIdsInCenter(db, center.id, personIds),
    listUserNames(db, [request.createdByUserId, ...events.map((e) => e.actorUserId)].filter((u): u is string => u !== null)),
  ]);
  const personName = new Map(people.map((p) => [p.id, p.displayName]));
  const canManage = can(member, 'cover_request.assign');
  const window = windowOf(request, zone);
  const live = claims.filter((c) => c.closedAt === null);
  const partOf = (c: { startsAt: string; endsAt: string }) => rangeText(spanOf(c.startsAt, c.endsAt, zone));

  let candidates = null;
  if (canManage && summary.isOpen) {
    const seats = seatsOf(request, claims, zone);
    // Anyone who could take some seat still open is a candidate; the claim picks the seat.
    const minLevel = lowestLevel(pack, seats.filter((s) => openNeeds(window, [s]).length > 0).map((s) => s.level));
    const pool = await loadCandidatePool(db, center, room.id, window, now, { exclude: new Set(live.map((c) => c.personId)) });
    const categories = room.ageCategories.filter(isCoarseCategory);
    candidates = openNeeds(window, seats).map((piece) => {
      const match = matchCandidates(pack, categories, piece, pool.candidates, { minLevel });
      return {
        part: rangeText(piece),
        peopleWords: `${piece.people} more ${piece.people === 1 ? 'person' : 'people'}`,
        eligible: match.eligible.map((r) => ({
          id: r.candidate.id,
          name: r.candidate.name,
          reasons: r.reasons,
          start: clockTime(r.covers.start),
          end: clockTime(r.covers.end),
          covers: rangeText(r.covers),
          whole: r.whole,
        })),
        unavailable: match.unavailable.map((u) => ({ name: u.candidate.name, why: u.why })),
        ineligible: match.ineligible.map((i) => ({ name: i.candidate.name, missing: i.missing.map(reasonText), oneAway: i.missing.length === 1 })),
      };
    });
  }

  const createdBy = request.createdByUserId ? (users.get(request.createdByUserId) ?? 'someone') : 'someone';
  return {
    ...summary,
    createdBy,
    createdAt: dateText(request.createdAt, zone, { time: true }),
    trainings: trainingWords(pack, request.trainings),
    canManage,
    canCancel: can(member, 'cover_request.cancel') && (summary.status.code === 'open' || summary.status.code === 'filled'),
    canClaim: summary.isOpen && member.personId !== null && can(member, 'cover_claim.create') && !live.some((c) => c.personId === member.personId),
    claimsLink: `/centers/${center.id}/cover`,
    accepted: live
      .filter((c) => c.status === 'accepted')
      .sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.seat - b.seat)
      .map((c) => ({ name: personName.get(c.personId) ?? 'someone', part: partOf(c), kind: c.kind === 'assignment' ? 'assigned' : 'claimed', seat: c.seat + 1 })),
    pending: live
      .filter((c) => c.status === 'pending')
      .map((c) => ({
        id: c.id,
        name: personName.get(c.personId) ?? 'someone',
        part: partOf(c),
        approveAction: `/centers/${center.id}/cover-claims/${c.id}/approval`,
        declineAction: `/centers/${center.id}/cover-claims/${c.id}/declination`,
      })),
    history: events.map((e) => {
      const at = DateTime.fromISO(e.at, { zone: 'utc' }).setZone(zone);
      const who = e.actorUserId ? (users.get(e.actorUserId) ?? 'someone') : 'Ratiowatch';
      const person = e.personId ? (personName.get(e.personId) ?? 'someone') : null;
      const part = e.startsAt && e.endsAt ? partOf({ startsAt: e.startsAt, endsAt: e.endsAt }) : null;
      return { at: at.hasSame(here, 'day') ? `today ${clockTime(at)}` : dateText(at, zone, { time: true }), words: eventWords(e.kind, who, person, part, e.peopleNeeded), kind: e.kind };
    }),
    candidates,
    remedyPanel: canManage && summary.isOpen && room.archivedAt === null ? await panelForRequest(db, member, request, room, claims, now) : null,
    assignAction: `/centers/${center.id}/cover-requests/${request.id}/assignments`,
    cancelAction: `/centers/${center.id}/cover-requests/${request.id}/cancellation`,
    claimAction: `/centers/${center.id}/cover-requests/${request.id}/claims`,
  };
}


/**
 * The open requests a new one would have doubled, as the cover form shows them: each
 * with its window, places, who asked and a link, and the two ways to get what was
 * asked without a second request: widen its window to hold the one asked for (unless
 * that would meet another open request of the room) and raise its count (when more
 * people were asked for). Both are forms that POST; reading this writes nothing.
 */
export async function overlapView(db: Knex, member: CenterMember, pack: RulePack, open: readonly CoverRequest[], wanted: { readonly window: Span; readonly count: number }, now: Date) {
  const { center } = member;
  const zone = center.timeZone;
  const here = DateTime.fromJSDate(now, { zone });
  const [claims, users] = await Promise.all([
    listClaimsOfRequests(db, open.map((r) => r.id)),
    listUserNames(db, open.map((r) => r.createdByUserId).filter((u): u is string => u !== null)),
  ]);
  const overlaps = (a: Span, b: Span) => a.start < b.end && b.start < a.end;
  return open.map((r) => {
    const window = windowOf(r, zone);
    const card = coverOnCard(r, claims, zone);
    const wider = widenedWindow(r, wanted.window, zone);
    const widenable = wider !== null && !open.some((o) => o.id !== r.id && overlaps(windowOf(o, zone), wider));
    const base = `/centers/${center.id}/cover-requests/${r.id}`;
    return {
      id: r.id,
      href: base,
      when: windowWords(window, here),
      places: `${card.openPlaces} of ${card.asked} open`,
      needs: needsWords(pack, r),
      urgent: r.urgent,
      askedBy: r.createdByUserId ? (users.get(r.createdByUserId) ?? 'someone') : 'someone',
      askedAt: clockTime(r.createdAt, zone),
      holds: wider === null && wanted.count <= r.peopleNeeded,
      widen: widenable ? { action: `${base}/widening`, start: clockTime(wider.start), end: clockTime(wider.end), label: `Widen it to ${rangeText(wider)}` } : null,
      raise: wanted.count > r.peopleNeeded ? { action: `${base}/raising`, count: wanted.count, label: `Raise it to ${wanted.count} people` } : null,
    };
  });
}

/**
 * "What can fix this" for the first part of the request still open (from now on): the
 * moves and call-ins the remedy search finds, the call-ins assigned to this request.
 */
async function panelForRequest(db: Knex, member: CenterMember, request: CoverRequest, room: Room, claims: Parameters<typeof seatsOf>[1], now: Date) {
  const zone = member.center.timeZone;
  const open = openNeeds(windowOf(request, zone), seatsOf(request, claims, zone))[0];
  if (!open) return null;
  const minute = Math.floor(now.getTime() / 60_000) * 60_000;
  const start = Math.max(open.start.toMillis(), minute);
  const end = open.end.toMillis();
  if (!(start < end)) return null;
  return remedyPanel(await remediesFor(db, member.center, { roomId: room.id, start, end }, now), member, { requestId: request.id });
}
