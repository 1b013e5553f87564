import { forecastRoomDay } from '../../src/domain/forecast.js';
import { findRemedies, thinHours, type RemedyInput, type RemedyPerson, type RemedyRoom } from '../../src/domain/remedies/index.js';
import { MN } from '../../src/domain/rules/mn.js';
import { instantOfWallClock } from '../../src/domain/wall-clock.js';
import { collectGarbage, rng } from './engine.js';
import { generateCenters } from './forecast.js';

const ZONE = 'America/Chicago';
const DATE = '2026-03-02';
const at = (hhmm: string) => instantOfWallClock(DATE, hhmm, ZONE)!;

/**
 * One generated 20-room MN center (the forecast bench's rooms: 15 children and 4 shifts
 * with a break each) whose 80 people are also the call-in pool, each available all day,
 * for part of it or not at all; capacity 20 per room. Its cover needs are the forecast's.
 */
function center(seed: number): { rooms: RemedyRoom[]; people: RemedyPerson[] } {
  const random = rng(seed * 31 + 1);
  const days = generateCenters(1, 20, seed);
  const rooms = days.map((day, r): RemedyRoom => ({ id: `room${r}`, day, personIds: day.people.map((_, k) => `r${r}p${k}`), capacity: 20 }));
  const people: RemedyPerson[] = rooms.flatMap((room) =>
    room.day.people.map((p, k): RemedyPerson => {
      const x = random();
      const available = x < 0.3 ? [{ start: at('06:00'), end: at('19:00') }] : x < 0.7 ? [{ start: at(x < 0.5 ? '06:00' : '13:00'), end: at(x < 0.5 ? '13:00' : '19:00') }] : [];
      const { shifts: _s, breaks: _b, presences: _p, ...person } = p;
      return { id: room.personIds[k]!, name: room.personIds[k]!, person, available, hoursThisWeek: Math.floor(random() * 40) };
    }),
  );
  return { rooms, people };
}

/** The need inputs of a few generated centers: every cover need the forecast finds. */
function needs(): RemedyInput[] {
  const out: RemedyInput[] = [];
  for (let seed = 1; out.length < 15 && seed < 40; seed++) {
    const { rooms, people } = center(seed);
    for (const room of rooms) {
      for (const need of forecastRoomDay(MN, room.day, ZONE, DATE).coverNeeds) {
        if (out.length < 15) out.push({ pack: MN, zone: ZONE, date: DATE, rooms, people, need: { room: room.id, start: need.start, end: need.end } });
      }
    }
  }
  return out;
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export function benchRemedies(log: (line: string) => void): { medianMs: number } {
  const inputs = needs();
  for (const input of inputs) findRemedies(input); // warm up the JIT
  const times: number[] = [];
  let offered = 0;
  for (const input of inputs) {
    collectGarbage();
    let best = Infinity;
    for (let round = 0; round < 3; round++) {
      const start = process.hrtime.bigint();
      const panel = findRemedies(input);
      best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e6);
      if (round === 0) offered += panel.remedies.length;
    }
    times.push(best);
  }
  const medianMs = median(times);
  const target = 50;
  log('remedies: the "What can fix this" panel for one cover need: generated MN center, 20 rooms, 80 people (also the call-in pool), one core');
  log(`  ${inputs.length} needs: median ${medianMs.toFixed(1)} ms, slowest ${Math.max(...times).toFixed(1)} ms (best of 3 each); target median < ${target} ms: ${medianMs < target ? 'MET' : 'NOT MET'}`);
  log(`  (${offered} remedies offered in all, ${(offered / inputs.length).toFixed(1)} per need)`);

  const { rooms } = center(1);
  const thin: number[] = [];
  for (let round = 0; round < 5; round++) {
    const start = process.hrtime.bigint();
    thinHours({ pack: MN, zone: ZONE, date: DATE, rooms, opens: at('06:30'), closes: at('18:00') });
    thin.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  log(`  thin hours (opening and closing, every pair of the 20 rooms): median ${median(thin).toFixed(1)} ms`);
  return { medianMs };
}
