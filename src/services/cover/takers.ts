import type { Knex } from 'knex';
import { listCoverTakers, listDirectorsOfCenter, listOpenCoverRequestsOfRoomBetween } from '../../db/cover-requests.js';
import type { Center } from '../../db/rows.js';
import { eligibilityFor } from '../../domain/eligibility.js';
import { matchCandidates, meetsLevel, type Span } from '../../domain/matching.js';
import type { Level } from '../../domain/rule-pack.js';
import { forecastCenter } from '../center-forecast.js';
import { clockTime } from '../../words/format.js';
import { lowestLevel, type CoverScene } from './flow.js';
import { loadCandidatePool } from './candidates.js';
import { notify, urgentFrom } from '../notify.js';

/**
 * Who hears about cover: the staff and volunteers (with an account) who may be
 * counted in the room through a window, and the directors' notices of a forecast
 * breach that no open request covers yet.
 */

/**
 * User ids of the staff and volunteers eligible for the room through `window` at a level
 * some seat takes, best first as the request page ranks candidates (free for the whole
 * window, knows the room, fewer hours this week), then those not free in it: the order
 * cover waves (waves.ts) tell them in.
 */
export async function eligibleTakers(scene: CoverScene, window: Span, levels: readonly (Level | null)[], now: Date): Promise<string[]> {
  const takers = await listCoverTakers(scene.db, scene.center.id);
  if (takers.length === 0) return [];
  const pool = await loadCandidatePool(scene.db, scene.center, scene.room.id, window, now, { onlyPersonIds: takers.map((t) => t.personId) });
  const minLevel = lowestLevel(scene.pack, levels);
  const ok = new Set<string>();
  for (const [personId, onFile] of pool.onFile) {
    const judged = eligibilityFor(scene.pack, onFile, scene.categories, window);
    if (judged.eligible && meetsLevel(scene.pack, judged.countsAs, minLevel)) ok.add(personId);
  }
  const match = matchCandidates(scene.pack, scene.categories, window, pool.candidates.filter((c) => ok.has(c.id)), { minLevel });
  const order = [...match.eligible.map((r) => r.candidate.id), ...match.unavailable.map((u) => u.candidate.id)];
  const rank = new Map(order.map((id, i) => [id, i]));
  const rankOf = (personId: string) => rank.get(personId) ?? order.length;
  return takers
    .filter((t) => ok.has(t.personId))
    .sort((a, b) => rankOf(a.personId) - rankOf(b.personId))
    .map((t) => t.userId);
}

/**
 * Directors hear of each forecast breach within the horizon that no open request
 * covers: once per room and breach start (the notices' unique key decides, so two
 * boards computing it at once send it once); and of each person who has not arrived
 * for a shift under way past the center's grace period (a no show): once per person
 * and shift. Answers how many notices were stored.
 */
export async function noticeBreaches(db: Knex, center: Center, now: Date, roomIds?: readonly string[]): Promise<number> {
  const directors = await listDirectorsOfCenter(db, center.id);
  if (directors.length === 0) return 0;
  const forecast = await forecastCenter(db, center, now, roomIds ? { roomIds } : {});
  let sent = 0;
  for (const view of forecast.rooms.values()) {
    for (const s of view.staffNow) {
      if (s.reality.status !== 'no_show' || !s.attention) continue;
      const dedupeKey = `no_show:${s.person.id}:${view.room.id}:${new Date(s.reality.shift!.start).toISOString()}`;
      sent += await notify(db, directors, { centerId: center.id, kind: 'no_show', body: `${s.attention}.`, link: `/centers/${center.id}/rooms/${view.room.id}`, dedupeKey, urgent: true }, now);
    }
    const flag = view.flag;
    if (!flag) continue;
    const point = new Date(Math.max(flag.start, now.getTime()));
    const covered = await listOpenCoverRequestsOfRoomBetween(db, view.room.id, point, new Date(point.getTime() + 60_000));
    if (covered.length > 0) continue;
    const at = clockTime(flag.start, forecast.zone, { on: forecast.day });
    const need = view.coverNeed;
    const link = need
      ? `/centers/${center.id}/cover-requests/new?${new URLSearchParams({
          roomId: view.room.id,
          start: clockTime(Math.max(need.start, now.getTime()), forecast.zone, { on: forecast.day }),
          end: clockTime(need.end, forecast.zone, { on: forecast.day }),
          count: String(need.additionalStaff),
          needs: need.needs.join(','),
          trainings: need.trainings.join(','),
        }).toString()}`
      : `/centers/${center.id}/board`;
    const body =
      flag.kind === 'needs_cover'
        ? `${view.room.name} ${flag.start <= now.getTime() ? 'is short of staff now' : `will be short of staff at ${at}`} (${forecast.day}) and no one has asked for cover yet.`
        : `${view.room.name} will be over its group size at ${at} (${forecast.day}).`;
    sent += await notify(
      db,
      directors,
      { centerId: center.id, kind: 'forecast_breach', body, link, dedupeKey: `breach:${view.room.id}:${new Date(flag.start).toISOString()}`, urgentFrom: urgentFrom(new Date(flag.start)) },
      now,
    );
  }
  return sent;
}
