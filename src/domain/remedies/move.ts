import type { Window } from '../windows.js';
import { labelOf, nowOf } from './labels.js';
import { piecesOf, presenceIn, standOver, withPerson, withoutPerson, type Place, type SearchContext } from './judging.js';
import type { MoveRemedy, NotOffered, Refusal } from './types.js';

/**
 * Move someone over: a person in another room during the need's window, moved to
 * the need room for the part of the window they are in that room (and back after).
 * Offered only when, judged by the engine piece by piece through the window,
 * - the room they leave holds without them (no breach at all in the window), and
 * - the need room holds with them (or, for a need of several people, is short of
 *   fewer than before).
 * Carries both rooms' margins after (counted people who could still leave).
 */
export function findMoves(ctx: SearchContext): { remedies: MoveRemedy[]; notOffered: NotOffered[] } {
  const remedies: MoveRemedy[] = [];
  const notOffered: NotOffered[] = [];
  const { need } = ctx.input;
  const now = nowOf(ctx);
  for (const [personId, places] of ctx.places) {
    if (places.some((p) => p.room.room.id === need.room && presenceIn(p.room, p.day, need).length > 0)) continue;
    for (const place of places) {
      if (place.room.room.id === need.room) continue;
      const checked = checkMove(ctx, personId, place);
      if (checked === null) continue;
      if ('kind' in checked) remedies.push(checked);
      else notOffered.push({ person: personId, label: labelOf(ctx, personId, now), why: checked });
    }
  }
  return { remedies, notOffered };
}

/** The move of `personId` out of `place` into the need room, or why not; null when they are not in that room in the window. */
export function checkMove(ctx: SearchContext, personId: string, place: Place): MoveRemedy | Refusal | null {
  const { need } = ctx.input;
  const target = ctx.rooms.get(need.room);
  if (!target) return { code: 'unknown_room', params: { room: need.room } };
  const window: Window = { start: need.start, end: need.end };
  const there = presenceIn(place.room, place.day, window);
  if (there.length === 0) return null;
  const inThere = (at: number) => there.some((w) => w.start <= at && at < w.end);
  const from = place.room.room.id;

  const sourcePieces = piecesOf([place.room], window);
  const source = standOver(ctx, sourcePieces, (p) => withoutPerson(p.groups[0]!, place.day));
  if (!source.compliant) {
    return { code: 'source_would_breach', params: { room: from, at: source.firstBreach!.at, violations: source.firstBreach!.violations } };
  }

  const cuts = there.flatMap((w) => [w.start, w.end]);
  const targetPieces = piecesOf([target], window, cuts);
  const before = standOver(ctx, targetPieces, (p) => p.groups[0]!);
  const after = standOver(ctx, targetPieces, (p) => (inThere(p.start) ? withPerson(p.groups[0]!, place.day) : p.groups[0]!));
  if (!after.compliant && !(after.stillShort < before.stillShort && before.stillShort > 1)) {
    return { code: 'need_not_met', params: { room: need.room, at: after.firstBreach!.at, violations: after.firstBreach!.violations } };
  }
  const start = there[0]!.start;
  const end = there[there.length - 1]!.end;
  return {
    kind: 'move',
    key: `move:${personId}:${from}>${need.room}@${need.start}-${need.end}`,
    person: personId,
    from,
    to: need.room,
    start,
    end,
    source: { room: from, margin: source.margin, stillShort: 0 },
    target: { room: need.room, margin: after.margin, stillShort: after.stillShort },
    label: labelOf(ctx, personId, nowOf(ctx)),
    rank: [{ code: 'nobody_new', params: { margin: source.margin } }],
  };
}
