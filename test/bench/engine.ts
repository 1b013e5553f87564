import { DateTime } from 'luxon';
import { evaluateRoom } from '../../src/domain/ratio/evaluate-room.js';
import type { Group, PersonInRoom } from '../../src/domain/ratio/types.js';
import { MN } from '../../src/domain/rules/mn.js';
import { addDays, formatCivilDate, type CivilDate } from '../../src/domain/calendar.js';

/**
 * Collects the generator's garbage before a timed pass (`npm run bench` runs
 * node with --expose-gc), so a major collection of the 1.5-million-object
 * input does not land inside one pass and another; without the flag, a no-op.
 */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** A small deterministic generator (mulberry32) so every run judges the same rooms. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ROLES: PersonInRoom['role'][] = ['teacher', 'assistant_teacher', 'aide', 'volunteer', 'substitute'];
/** Children per staff of the MN categories, for staffing generated rooms roughly to need. */
const CHILDREN_PER_STAFF = [4, 7, 10, 15];

/**
 * Rooms of mixed ages: 1 to 30 children, 1 to 5 people with trainings. Like a
 * real center, most trainings are current (completed within the last 300
 * days); about 1 in 20 is missing and 1 in 20 is old enough to have expired,
 * and 1 person in 10 has a background study still pending. Rooms are staffed
 * as centers staff them, roughly to need: a teacher first, then the number the
 * main age group needs, one short a fifth of the time and one over a tenth.
 */
export function generateRooms(count: number, today: CivilDate, seed = 42): Group[] {
  const random = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const rooms: Group[] = [];
  for (let r = 0; r < count; r++) {
    const base = Math.floor(random() * 4); // the room's main age group
    const children = Array.from({ length: 1 + Math.floor(random() * 30) }, () => {
      const ageDays = random() < 0.85 ? 45 + base * 400 + Math.floor(random() * 500) : 45 + Math.floor(random() * 2500);
      return { birthDate: formatCivilDate(addDays(today, -ageDays)), attendsKindergarten: ageDays > 2000 };
    });
    const roll = random();
    const needed = Math.ceil(children.length / CHILDREN_PER_STAFF[base]!) + (roll < 0.2 ? -1 : roll < 0.3 ? 1 : 0);
    const people = Array.from({ length: Math.max(1, Math.min(5, needed)) }, (_, index): PersonInRoom => {
      const role = index === 0 ? 'teacher' : pick(ROLES);
      const trained = (id: string) => ({
        id,
        completedOn: formatCivilDate(addDays(today, -Math.floor(random() < 0.95 ? random() * 300 : 400 + random() * 400))),
      });
      return {
        role,
        qualifiesAs: role === 'volunteer' || role === 'substitute' ? 'aide' : null,
        ageYears: 16 + Math.floor(random() * 50),
        backgroundStudy: random() < 0.9 ? 'cleared' : 'submitted',
        trainings: ['orientation', 'suid', 'aht', 'first_aid', 'cpr', 'child_development'].filter(() => random() < 0.95).map(trained),
      };
    });
    rooms.push({ activity: random() < 0.8 ? 'normal' : pick(['nap', 'outdoor', 'arrival_departure'] as const), children, people });
  }
  return rooms;
}

export function benchEngine(log: (line: string) => void): { roomsPerSecond: number } {
  const at = DateTime.fromISO('2026-03-02T09:30:00-06:00', { setZone: true });
  const rooms = generateRooms(100_000, { year: 2026, month: 3, day: 2 });
  for (let i = 0; i < 5_000; i++) evaluateRoom(MN, rooms[i]!, at); // warm up the JIT
  const runs: number[] = [];
  let violations = 0;
  let outOfCompliance = 0;
  for (let run = 0; run < 5; run++) {
    collectGarbage();
    const start = process.hrtime.bigint();
    for (const room of rooms) {
      const found = evaluateRoom(MN, room, at).violations.length;
      violations += found;
      if (found > 0) outOfCompliance += 1;
    }
    runs.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  const best = Math.min(...runs);
  const roomsPerSecond = Math.round(rooms.length / best);
  const target = 300_000;
  log(`ratio engine: ${rooms.length.toLocaleString('en-US')} generated MN rooms (1-30 children of mixed ages, 1-5 people; 5% of trainings missing, 5% expired, 10% of studies pending), one core`);
  log(`  ${roomsPerSecond.toLocaleString('en-US')} rooms/s (best of ${runs.length}: ${runs.map((s) => s.toFixed(3)).join(' s, ')} s); target >= ${target.toLocaleString('en-US')} rooms/s: ${roomsPerSecond >= target ? 'MET' : 'NOT MET'}`);
  log(`  (${Math.round((100 * outOfCompliance) / runs.length / rooms.length)}% of the rooms out of compliance, ${Math.round(violations / runs.length).toLocaleString('en-US')} violations per pass)`);
  return { roomsPerSecond };
}
