import type { Knex } from 'knex';
import { listOpenCoverRequests, listUsersToldOfRequest } from '../../db/cover-requests.js';
import { listRoomsInCenter } from '../../db/rooms.js';
import type { Center } from '../../db/rows.js';
import { seatLevels } from '../../domain/matching.js';
import { notify } from '../notify.js';
import { sceneOf, windowOf } from './flow.js';
import { isWaveSent, openingAlert, recordWave, waveAt } from './openings.js';
import { eligibleTakers } from './takers.js';

/**
 * The job runner's `cover_waves`: each open request of the center whose next wave is
 * due (openings.ts) gets it, its untold eligible people, best-ranked first, up to the
 * wave's reach. Answers how many people were told.
 */
export async function sendDueWaves(db: Knex, center: Center, at: Date): Promise<number> {
  const open = await listOpenCoverRequests(db, center.id, at);
  if (open.length === 0) return 0;
  const rooms = new Map((await listRoomsInCenter(db, center.id)).map((r) => [r.id, r]));
  let told = 0;
  for (const request of open) {
    const { wave, reach } = waveAt(center, request, at);
    if (await isWaveSent(db, request.id, wave)) continue;
    const room = rooms.get(request.roomId);
    if (!room) continue; // archived: nobody can be planned there
    const scene = await sceneOf(db, center, room);
    const window = windowOf(request, scene.zone);
    const takers = await eligibleTakers(scene, window, seatLevels(request.peopleNeeded, request.needs), at);
    told += await db.transaction(async (trx) => {
      const fresh = (await trx('cover_requests').where({ id: request.id }).first('status', 'version')) as { status: string; version: number | string } | undefined;
      if (fresh?.status !== 'open' || Number(fresh.version) !== request.version) return 0; // changed meanwhile: the next tick sees it as it is
      const already = await listUsersToldOfRequest(trx, request.id);
      const untold = takers.filter((u) => !already.has(u) && u !== request.createdByUserId);
      const to = untold.slice(0, Math.max(0, reach - already.size));
      const n = await notify(trx, to, openingAlert(scene, request, window), at);
      await recordWave(trx, request.id, wave, already.size + n, at);
      return n;
    });
  }
  return told;
}
