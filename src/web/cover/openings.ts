import type { Knex } from 'knex';
import { listClaimsOfRequests, listLiveClaimsOfPerson, listOpenCoverRequests, type CoverRequest } from '../../db/cover-requests.js';
import { listRoomsInCenter } from '../../db/rooms.js';
import type { Center, Person, Room } from '../../db/rows.js';
import { listTrainingRecordsOfPerson } from '../../db/trainings.js';
import { eligibilityFor } from '../../domain/eligibility.js';
import { meetsLevel, openNeeds, type OpenNeed, type Span } from '../../domain/matching.js';
import { isCoarseCategory } from '../../domain/rule-pack.js';
import { centerPack } from '../../services/center-pack.js';
import { personOnFile } from '../../services/person-on-file.js';
import { lowestLevel, seatsOf, windowOf } from '../../services/cover/flow.js';

/** An open cover request the person may take part of: its still-open parts, and those the person may take. */
export type Opening = {
  readonly request: CoverRequest;
  readonly room: Room;
  readonly window: Span;
  readonly pieces: readonly OpenNeed[];
  readonly mayTake: readonly OpenNeed[];
};

/**
 * The center's open cover requests the person may take at `at`: not one they already
 * hold, in a room not archived, with an open part not yet over that they would count
 * in (eligible for the room's ages) at a level it needs. The cover page lists them;
 * the home page counts them. Also answers what the cover page shows beside them.
 */
export async function openingsFor(db: Knex, center: Center, person: Person, at: Date) {
  const zone = center.timeZone;
  const [{ pack }, rooms, open, mine, records] = await Promise.all([
    centerPack(db, center),
    listRoomsInCenter(db, center.id, { includeArchived: true }),
    listOpenCoverRequests(db, center.id, at),
    listLiveClaimsOfPerson(db, center.id, person.id),
    listTrainingRecordsOfPerson(db, center.id, person.id),
  ]);
  const roomById = new Map(rooms.map((r) => [r.id, r]));
  const claims = await listClaimsOfRequests(
    db,
    open.map((r) => r.id),
  );
  const onFile = personOnFile(person, records);
  const held = new Set(mine.map((c) => c.coverRequestId));
  const openings: Opening[] = [];
  for (const request of open) {
    if (held.has(request.id)) continue;
    const room = roomById.get(request.roomId);
    if (!room || room.archivedAt !== null) continue;
    const categories = room.ageCategories.filter(isCoarseCategory);
    const window = windowOf(request, zone);
    const seats = seatsOf(request, claims, zone);
    const minLevel = lowestLevel(pack, seats.filter((s) => openNeeds(window, [s]).length > 0).map((s) => s.level));
    const pieces = openNeeds(window, seats).filter((p) => p.end.toMillis() > at.getTime());
    const mayTake = pieces.filter((p) => {
      const judged = eligibilityFor(pack, onFile, categories, p);
      return judged.eligible && meetsLevel(pack, judged.countsAs, minLevel);
    });
    if (mayTake.length > 0) openings.push({ request, room, window, pieces, mayTake });
  }
  return { pack, roomById, mine, openings };
}
