import { DateTime } from 'luxon';
import { evaluateRoom, type Group, type PersonInRoom } from '../../src/domain/ratio.js';
import { MN } from '../../src/domain/rules/mn.js';
import { addDays, formatCivilDate, type CivilDate } from '../../src/domain/calendar.js';

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

/** Rooms of mixed ages: 1 to 30 children, 1 to 5 people with trainings of varied currency. */
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
    const people = Array.from({ length: 1 + Math.floor(random() * 5) }, (): PersonInRoom => {
      const role = pick(ROLES);
      const trained = (id: string) => ({ id, completedOn: formatCivilDate(addDays(today, -Math.floor(random() * 800))) });
      return {
        role,
        qualifiesAs: role === 'volunteer' || role === 'substitute' ? 'aide' : null,
        ageYears: 16 + Math.floor(random() * 50),
        backgroundStudy: random() < 0.9 ? 'cleared' : 'submitted',
        trainings: ['orientation', 'suid', 'aht', 'first_aid', 'cpr', 'child_development'].filter(() => random() < 0.9).map(trained),
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
  for (let run = 0; run < 3; run++) {
    const start = process.hrtime.bigint();
    for (const room of rooms) violations += evaluateRoom(MN, room, at).violations.length;
    runs.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  const best = Math.min(...runs);
  const roomsPerSecond = Math.round(rooms.length / best);
  const target = 200_000;
  log(`ratio engine: ${rooms.length.toLocaleString('en-US')} generated MN rooms (1-30 children, 1-5 people), one core`);
  log(`  ${roomsPerSecond.toLocaleString('en-US')} rooms/s (best of ${runs.length}: ${runs.map((s) => s.toFixed(3)).join(' s, ')} s); target >= ${target.toLocaleString('en-US')} rooms/s: ${roomsPerSecond >= target ? 'MET' : 'NOT MET'}`);
  log(`  (${violations.toLocaleString('en-US')} violations found per pass / 3)`);
  return { roomsPerSecond };
}
