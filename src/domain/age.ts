import type { AgeBand, AgeMark, RulePack } from './rule-pack.js';
import { addDays, addMonths, compareCivil, type CivilDate } from './calendar.js';

export interface ChildAgeFacts {
  readonly birth: CivilDate;
  /** Has attended the first day of kindergarten (or school). */
  readonly attendsSchool: boolean;
}

export interface BandPlacement {
  /** Index into `pack.bands`. */
  readonly bandIndex: number;
  /** Younger than the pack's minimum age served; placed in the youngest band for ratio. */
  readonly belowMinimum: boolean;
  /** At or over the pack's maximum age; placed in the oldest band. */
  readonly aboveMaximum: boolean;
  /** Not yet born on the day judged. */
  readonly notBorn: boolean;
}

/** The date on which a child born on `birth` reaches `mark`. */
export function dateReaching(birth: CivilDate, mark: AgeMark): CivilDate {
  if ('weeks' in mark) return addDays(birth, mark.weeks * 7);
  if ('months' in mark) return addMonths(birth, mark.months);
  return addMonths(birth, mark.years * 12);
}

/** Whether a child born on `birth` has reached `mark` on `on` (the birthday itself counts as reached). */
export function hasReached(birth: CivilDate, mark: AgeMark, on: CivilDate): boolean {
  return compareCivil(dateReaching(birth, mark), on) <= 0;
}

function inRange(band: AgeBand, birth: CivilDate, on: CivilDate): boolean {
  if (band.from && !hasReached(birth, band.from, on)) return false;
  if (band.to && hasReached(birth, band.to, on)) return false;
  return true;
}

/**
 * Places a child in one of the pack's bands on the local date `on`.
 * A child who attends school takes the first 'attending' band whose ages hold;
 * otherwise the first band whose ages hold and that is not only for children
 * at school. Ages outside every band fall to the youngest or oldest band, flagged.
 */
export function placeInBand(pack: RulePack, child: ChildAgeFacts, on: CivilDate): BandPlacement {
  const bands = pack.bands;
  const notBorn = compareCivil(child.birth, on) > 0;
  const belowMinimum = notBorn || (pack.minimumAge !== null && !hasReached(child.birth, pack.minimumAge.mark, on));
  const aboveMaximum = pack.maximumAge !== null && hasReached(child.birth, pack.maximumAge.mark, on);
  const placed = (bandIndex: number): BandPlacement => ({ bandIndex, belowMinimum, aboveMaximum, notBorn });

  if (belowMinimum) return placed(0);
  if (aboveMaximum) return placed(bands.length - 1);
  if (child.attendsSchool) {
    for (let i = 0; i < bands.length; i++) {
      const band = bands[i]!;
      if (band.school === 'attending' && inRange(band, child.birth, on)) return placed(i);
    }
  }
  for (let i = 0; i < bands.length; i++) {
    const band = bands[i]!;
    if (band.school !== 'attending' && inRange(band, child.birth, on)) return placed(i);
  }
  // No band holds: the child's age is past every band, or (e.g. a band starting at 6 weeks) before it.
  for (let i = 0; i < bands.length; i++) {
    if (inRange(bands[i]!, child.birth, on)) return placed(i);
  }
  const first = bands[0]!;
  if (first.from && !hasReached(child.birth, first.from, on)) return placed(0);
  return placed(bands.length - 1);
}
