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

const compiled = new WeakMap<RulePack, readonly BandBounds[]>();

// Every child of every room is placed, so the pack's marks are turned into numbers once.
function boundsOf(pack: RulePack): readonly BandBounds[] {
  let bounds = compiled.get(pack);
  if (!bounds) {
    bounds = pack.bands.map((band) => {
      const from = toDaysOrMonths(band.from);
      const to = toDaysOrMonths(band.to);
      return {
        fromDays: from?.days ?? -1,
        fromMonths: from?.months ?? -1,
        toDays: to && to.days >= 0 ? to.days : Infinity,
        toMonths: to && to.months >= 0 ? to.months : Infinity,
        attending: band.school === 'attending',
      };
    });
    compiled.set(pack, bounds);
  }
  return bounds;
}

function inRange(b: BandBounds, days: number, months: number): boolean {
  return days >= b.fromDays && months >= b.fromMonths && days < b.toDays && months < b.toMonths;
}

/** The pack's minimum and maximum ages served, as (days, months) thresholds: -1 / Infinity when none. */
interface AgeLimits {
  readonly minDays: number;
  readonly minMonths: number;
  readonly maxDays: number;
  readonly maxMonths: number;
}

const limitsCache = new WeakMap<RulePack, AgeLimits>();

function limitsOf(pack: RulePack): AgeLimits {
  let limits = limitsCache.get(pack);
  if (!limits) {
    const min = toDaysOrMonths(pack.minimumAge?.mark ?? null);
    const max = toDaysOrMonths(pack.maximumAge?.mark ?? null);
    limits = {
      minDays: min?.days ?? -1,
      minMonths: min?.months ?? -1,
      maxDays: max && max.days >= 0 ? max.days : Infinity,
      maxMonths: max && max.months >= 0 ? max.months : Infinity,
    };
    limitsCache.set(pack, limits);
  }
  return limits;
}

/** The pack's bands and age limits as numbers, for placing many children. */
export interface CompiledAges {
  readonly bands: readonly BandBounds[];
  readonly limits: AgeLimits;
}

const compiledAges = new WeakMap<RulePack, CompiledAges>();

/** Worked out once per pack (cached); pass the result to the `...In` functions in loops. */
export function compileAges(pack: RulePack): CompiledAges {
  let c = compiledAges.get(pack);
  if (!c) {
    c = { bands: boundsOf(pack), limits: limitsOf(pack) };
    compiledAges.set(pack, c);
  }
  return c;
}

export function isBelowMinimumIn(c: CompiledAges, days: number, months: number): boolean {
  return days < 0 || days < c.limits.minDays || months < c.limits.minMonths;
}

export function isAboveMaximumIn(c: CompiledAges, days: number, months: number): boolean {
  return days >= c.limits.maxDays || months >= c.limits.maxMonths;
}

/** Younger than the pack's minimum age served, or not yet born. */
export function isBelowMinimum(pack: RulePack, days: number, months: number): boolean {
  return isBelowMinimumIn(compileAges(pack), days, months);
}

/** At or over the pack's maximum age. */
export function isAboveMaximum(pack: RulePack, days: number, months: number): boolean {
  return isAboveMaximumIn(compileAges(pack), days, months);
}

/**
 * The band of a child aged `days` / `months`. A child who attends school
 * takes the first 'attending' band whose ages hold; otherwise the first band
 * whose ages hold and that is not only for children at school. Ages outside
 * every band fall to the youngest or the oldest band (see `isBelowMinimum`,
 * `isAboveMaximum`). Plain numbers in, a number out: it runs for every child.
 */
export function bandIndexOf(pack: RulePack, days: number, months: number, attendsSchool: boolean): number {
  return bandIndexIn(compileAges(pack), days, months, attendsSchool);
}

export function bandIndexIn(c: CompiledAges, days: number, months: number, attendsSchool: boolean): number {
  if (isBelowMinimumIn(c, days, months)) return 0;
  if (isAboveMaximumIn(c, days, months)) return c.bands.length - 1;
  return bandIndexWithin(c, days, months, attendsSchool);
}

/** `bandIndexIn` for an age the caller has already found within the pack's minimum and maximum. */
export function bandIndexWithin(c: CompiledAges, days: number, months: number, attendsSchool: boolean): number {
  const bands = c.bands;
  if (attendsSchool) {
    for (let i = 0; i < bands.length; i++) if (bands[i]!.attending && inRange(bands[i]!, days, months)) return i;
  }
  for (let i = 0; i < bands.length; i++) if (!bands[i]!.attending && inRange(bands[i]!, days, months)) return i;
  for (let i = 0; i < bands.length; i++) if (inRange(bands[i]!, days, months)) return i;
  // Before the first band (e.g. one starting at 6 weeks) or past the last one.
  const first = bands[0]!;
  return days < first.fromDays || months < first.fromMonths ? 0 : bands.length - 1;
}

/** `bandIndexOf` with its flags, for callers that want one answer. */
export function placeInBand(pack: RulePack, age: Age, attendsSchool: boolean): BandPlacement {
  return {
    bandIndex: bandIndexOf(pack, age.days, age.months, attendsSchool),
    belowMinimum: isBelowMinimum(pack, age.days, age.months),
    aboveMaximum: isAboveMaximum(pack, age.days, age.months),
  };
}
