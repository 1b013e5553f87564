import type { AgeMark, RulePack } from './rule-pack.js';
import { addDays, addMonths, dayNumber, wholeMonthsBetween, type CivilDate } from './calendar.js';

/** A child's age on the day judged, worked out once: whole days and whole calendar months. */
export interface Age {
  readonly days: number;
  readonly months: number;
}

export function ageOn(birth: CivilDate, on: CivilDate): Age {
  return { days: dayNumber(on) - dayNumber(birth), months: wholeMonthsBetween(birth, on) };
}

/**
 * Whether `age` has reached `mark` (the anniversary day itself counts as reached).
 * Years are 12 calendar months, so a 29 February birthday is reached on 28 February.
 */
export function hasReached(age: Age, mark: AgeMark): boolean {
  if ('weeks' in mark) return age.days >= mark.weeks * 7;
  if ('months' in mark) return age.months >= mark.months;
  return age.months >= mark.years * 12;
}

/** The date on which a child born on `birth` reaches `mark`. */
export function dateReaching(birth: CivilDate, mark: AgeMark): CivilDate {
  if ('weeks' in mark) return addDays(birth, mark.weeks * 7);
  if ('months' in mark) return addMonths(birth, mark.months);
  return addMonths(birth, mark.years * 12);
}

export interface BandPlacement {
  /** Index into `pack.bands`. */
  readonly bandIndex: number;
  /** Younger than the pack's minimum age served (or not yet born); placed in the youngest band for ratio. */
  readonly belowMinimum: boolean;
  /** At or over the pack's maximum age; placed in the oldest band. */
  readonly aboveMaximum: boolean;
}

/** A band's bounds as plain numbers (-1: no lower bound, Infinity: no upper bound), worked out once per pack. */
interface BandBounds {
  readonly fromDays: number;
  readonly fromMonths: number;
  readonly toDays: number;
  readonly toMonths: number;
  readonly attending: boolean;
}

function toDaysOrMonths(mark: AgeMark | null): { days: number; months: number } | null {
  if (mark === null) return null;
  if ('weeks' in mark) return { days: mark.weeks * 7, months: -1 };
  if ('months' in mark) return { days: -1, months: mark.months };
  return { days: -1, months: mark.years * 12 };
}

function inRange(b: BandBounds, days: number, months: number): boolean {
  return days >= b.fromDays && months >= b.fromMonths && days < b.toDays && months < b.toMonths;
}

/** The pack's bands and its minimum and maximum ages served as (days, months) thresholds: -1 / Infinity when none. */
export interface CompiledAges {
  readonly bands: readonly BandBounds[];
  readonly minDays: number;
  readonly minMonths: number;
  readonly maxDays: number;
  readonly maxMonths: number;
}

// Every child of every room is placed, so the pack's marks are turned into numbers
// once per pack (packs are immutable data; a compiled entry is never changed).
const compiledAges = new WeakMap<RulePack, CompiledAges>();

/** The pack's ages as numbers, worked out on first use. */
export function compiledAgesOf(pack: RulePack): CompiledAges {
  let c = compiledAges.get(pack);
  if (!c) {
    const min = toDaysOrMonths(pack.minimumAge?.mark ?? null);
    const max = toDaysOrMonths(pack.maximumAge?.mark ?? null);
    c = {
      bands: pack.bands.map((band) => {
        const from = toDaysOrMonths(band.from);
        const to = toDaysOrMonths(band.to);
        return {
          fromDays: from?.days ?? -1,
          fromMonths: from?.months ?? -1,
          toDays: to && to.days >= 0 ? to.days : Infinity,
          toMonths: to && to.months >= 0 ? to.months : Infinity,
          attending: band.school === 'attending',
        };
      }),
      minDays: min?.days ?? -1,
      minMonths: min?.months ?? -1,
      maxDays: max && max.days >= 0 ? max.days : Infinity,
      maxMonths: max && max.months >= 0 ? max.months : Infinity,
    };
    compiledAges.set(pack, c);
  }
  return c;
}

/**
 * The band a child of `age` is placed in for ratio: the one placement the engine,
 * check-in and every page use. A child younger than the pack's minimum age served
 * (or not yet born) goes to the youngest band, one at or over its maximum to the
 * oldest. Otherwise a child who attends school takes the first 'attending' band
 * whose ages hold, and any other child the first band whose ages hold and that is
 * not only for children at school. Plain numbers in: it runs for every child of
 * every room judged.
 */
export function placeInBand(pack: RulePack, age: Age, attendsSchool: boolean): BandPlacement {
  const placed = placementOf(compiledAgesOf(pack), age.days, age.months, attendsSchool);
  return { bandIndex: placed & PLACED_BAND, belowMinimum: (placed & PLACED_BELOW_MINIMUM) !== 0, aboveMaximum: (placed & PLACED_ABOVE_MAXIMUM) !== 0 };
}

/** `placementOf`'s answer: the band index in the low bits, and a flag each for below the minimum and at or over the maximum age. */
export const PLACED_BAND = 0xffff;
export const PLACED_BELOW_MINIMUM = 1 << 16;
export const PLACED_ABOVE_MAXIMUM = 1 << 17;

/**
 * `placeInBand` as one number (`PLACED_BAND` and the flags) from the pack's
 * compiled ages (`compiledAgesOf`), for the engine: no object per child.
 */
export function placementOf(c: CompiledAges, days: number, months: number, attendsSchool: boolean): number {
  const above = days >= c.maxDays || months >= c.maxMonths ? PLACED_ABOVE_MAXIMUM : 0;
  if (days < 0 || days < c.minDays || months < c.minMonths) return PLACED_BELOW_MINIMUM | above;
  if (above !== 0) return (c.bands.length - 1) | above;
  return bandWithin(c.bands, days, months, attendsSchool);
}

function bandWithin(bands: readonly BandBounds[], days: number, months: number, attendsSchool: boolean): number {
  if (attendsSchool) {
    for (let i = 0; i < bands.length; i++) if (bands[i]!.attending && inRange(bands[i]!, days, months)) return i;
  }
  for (let i = 0; i < bands.length; i++) if (!bands[i]!.attending && inRange(bands[i]!, days, months)) return i;
  for (let i = 0; i < bands.length; i++) if (inRange(bands[i]!, days, months)) return i;
  // Before the first band (e.g. one starting at 6 weeks) or past the last one.
  const first = bands[0]!;
  return days < first.fromDays || months < first.fromMonths ? 0 : bands.length - 1;
}
