import {
  forecastFlag,
  forecastRoomDay,
  personRealityAt,
  type RoomForecast,
} from '../domain/forecast.js';
import { parseJson, runCli } from './scenario-input.js';
import { readDay } from './day-input.js';

/**
 * `npm run -s forecast`: one JSON day on stdin (rooms with expected children,
 * shifts, breaks and naps as HH:mm on `date`), the forecast of every room as
 * JSON on stdout (exit 0); bad input: one line naming the field on stderr
 * (exit 2). With `"recordedUntilNow": true`, staff's `present` intervals and
 * children's `checkedIn`/`checkedOut` are the whole record up to `now`, and the
 * forecast starts from what happened (reality before plan); each room then also
 * answers every staff member's status at `now`. The README states the contract.
 */

export function forecast(text: string) {
  const { day, pack, zone, now, dayEnd, hhmm, rooms } = readDay(parseJson(text));
  return {
    rooms: rooms.map(({ id, roomDay }) => {
      const result = forecastRoomDay(pack, roomDay, zone, day.date);
      const answer = { id, ...present(result, hhmm, day.horizonMinutes, now) };
      if (!day.recordedUntilNow) return answer;
      return { ...answer, staff: roomDay.people.map((p) => ({ status: personRealityAt(p, now, day.graceMinutes, dayEnd).status })) };
    }),
  };
}

function present(result: RoomForecast, hhmm: (instant: number) => string, horizonMinutes: number, now: number) {
  const intervals: Record<string, unknown>[] = [];
  let previousKey = '';
  for (const i of result.intervals) {
    const body = {
      activity: i.activity,
      children: i.children,
      byCategory: i.byCategory,
      requiredStaff: i.requiredStaff,
      countedStaff: i.countedStaff,
      compliant: i.compliant,
      violations: i.violations,
    };
    // The domain's intervals are contiguous; neighbours equal in every key shown but start and end are one here.
    const key = JSON.stringify(body);
    const last = intervals[intervals.length - 1];
    if (last && key === previousKey) {
      last.end = hhmm(i.end);
    } else {
      intervals.push({ start: hhmm(i.start), end: hhmm(i.end), ...body });
    }
    previousKey = key;
  }
  const flag = forecastFlag(result, horizonMinutes, now);
  return {
    intervals,
    firstBreach: result.firstBreach ? { start: hhmm(result.firstBreach.start), violations: result.firstBreach.violations } : null,
    coverNeeds: result.coverNeeds.map((n) => ({
      start: hhmm(n.start),
      end: hhmm(n.end),
      additionalStaff: n.additionalStaff,
      needs: n.needs,
      trainings: n.trainings,
    })),
    flag: flag === null ? null : flag.kind === 'needs_cover' ? `needs cover by ${hhmm(flag.start)}` : `over group size at ${hhmm(flag.start)}`,
  };
}

await runCli('forecast', forecast);
