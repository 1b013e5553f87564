/**
 * Is this room in ratio? `evaluateRoom` judges a group (children, people, the
 * activity) under a rule pack at an instant: the staff it needs, who counts,
 * the group-size limit, the mix of levels, supervision, and the margin left.
 * Every screen (board, forecast, eligibility, cover matching) and the
 * `ratio-check` CLI call it; it reads only the pack's data.
 */
import type { DateTime } from 'luxon';
import type { RulePack } from '../rule-pack.js';
import { PLACED_ABOVE_MAXIMUM, PLACED_BAND, PLACED_BELOW_MINIMUM, placeInBand, placementOf } from '../age.js';
import { addMonths, ageFromText, compareCivil, dayNumber, formatCivilDate, localDate, parseCivilDate, type CivilDate } from '../calendar.js';
import { judgePerson, type Judged } from './counting.js';
import { timeOfDayRatioAt } from './day-hours.js';
import { judgeDistribution } from './distribution.js';
import { additionalChildren, groupLimits, groupSizeReason, ratioUsed, type GroupContext } from './group-limits.js';
import { fillBand, labelOf, planOf, type PackPlan } from './pack-plan.js';
import {
  addNote,
  type ChildDesignation,
  type ChildInRoom,
  type DesignationAsked,
  type EvaluateOptions,
  type Group,
  type NoteReason,
  type PersonInRoom,
  type RoomEvaluation,
  type StaffRef,
  type Violation,
} from './types.js';

export function evaluateRoom(pack: RulePack, group: Group, at: DateTime, options: EvaluateOptions = {}): RoomEvaluation {
  const explain = options.explain !== false;
  const plan = planOf(pack);
  const on = localDate(at, pack.timeZone ?? at.zoneName ?? 'UTC');
  const today = dayNumber(on);
  // Without words, a caller's memo may answer for the children and people it has seen on this day.
  const memo = explain ? null : memoFor(options.memo, pack, today);
  const notes: NoteReason[] = [];
  const bands = plan.bands;
  const bandCount = bands.length;
  const activity = group.activity;
  const roomCap = group.maxGroupSize ?? null;

  // Children: place each in a band on the local date.
  const counts: number[] = [];
  for (let i = 0; i < bandCount; i++) counts.push(0);
  let belowMinimum = 0;
  let youngerThanLoadLimit = 0;
  let mask = 0;
  let dedicatedStaff = 0;
  const loadLimitMonths = plan.loadLimitMonths;
  // The youngest and oldest child's age in months, for packs that need them (listed mixes, time-of-day ratios).
  const needsAgeSpan = plan.needsAgeSpan;
  let minMonths = Infinity;
  let maxMonths = -Infinity;
  const children = group.children;
  // One age for this call, rewritten for each child (no allocation per child).
  const age = { days: 0, months: 0 };
  if (memo === null) {
    for (let c = 0; c < children.length; c++) {
      const child = children[c]!;
      ageFromText(child.birthDate, on, today, age);
      const placed = placeInBand(pack, age, child.attendsKindergarten === true);
      let bandIndex = placed.bandIndex;
      if (placed.belowMinimum) {
        belowMinimum += 1;
      } else if (placed.aboveMaximum) {
        if (explain && plan.maxAgeNote !== null) addNote(notes, plan.maxAgeNote);
      } else if (child.designation) {
        bandIndex = designatedBand(plan, pack, child.designation, bandIndex, on, explain, notes);
      }
      if (child.dedicatedStaff) dedicatedStaff += dedicatedOf(child.dedicatedStaff);
      counts[bandIndex]! += 1;
      const band = bands[bandIndex]!;
      mask |= band.coarseBit;
      if (explain && band.olderNote !== null && age.months >= band.olderFromMonths) addNote(notes, band.olderNote);
      if (loadLimitMonths !== null && age.months < loadLimitMonths) youngerThanLoadLimit += 1;
      if (needsAgeSpan) {
        if (age.months < minMonths) minMonths = age.months;
        if (age.months > maxMonths) maxMonths = age.months;
      }
    }
  } else {
    // Without words: children of the memo's roster are placed once a day (a group lists them in the roster's order).
    const roster = memo.roster;
    let r = 0;
    for (let c = 0; c < children.length; c++) {
      const child = children[c]!;
      if (child.dedicatedStaff) dedicatedStaff += dedicatedOf(child.dedicatedStaff);
      while (r < roster.length && roster[r] !== child) r += 1;
      let seen = r < roster.length ? memo.placed[r]! : -1;
      if (seen === -1) {
        ageFromText(child.birthDate, on, today, age);
        const placed = placementOf(plan.ages, age.days, age.months, child.attendsKindergarten === true);
        let bandIndex = placed & PLACED_BAND;
        if ((placed & (PLACED_BELOW_MINIMUM | PLACED_ABOVE_MAXIMUM)) === 0 && child.designation) {
          bandIndex = designatedBand(plan, pack, child.designation, bandIndex, on, false, notes);
        }
        seen = bandIndex | (placed & PLACED_BELOW_MINIMUM) | (loadLimitMonths !== null && age.months < loadLimitMonths ? YOUNGER_THAN_LOAD_LIMIT : 0);
        if (r < roster.length) {
          memo.placed[r] = seen;
          memo.months[r] = age.months;
        }
        if (needsAgeSpan) {
          if (age.months < minMonths) minMonths = age.months;
          if (age.months > maxMonths) maxMonths = age.months;
        }
      } else if (needsAgeSpan) {
        const months = memo.months[r]!;
        if (months < minMonths) minMonths = months;
        if (months > maxMonths) maxMonths = months;
      }
      if (r < roster.length) r += 1;
      const bandIndex = seen & PLACED_BAND;
      counts[bandIndex]! += 1;
      mask |= bands[bandIndex]!.coarseBit;
      if ((seen & PLACED_BELOW_MINIMUM) !== 0) belowMinimum += 1;
      if ((seen & YOUNGER_THAN_LOAD_LIMIT) !== 0) youngerThanLoadLimit += 1;
    }
  }
  const childCount = children.length;

  // People: who may count, at which level, and who needs supervision.
  const people = group.people;
  const staff: Judged[] = [];
  let countedStaff = 0;
  let supervisorCount = 0;
  let needingSupervision = 0;
  // With a memo, people of its team are found by walking it in order, as children in the roster.
  const team = memo === null ? null : memo.team;
  let t = 0;
  for (let i = 0; i < people.length; i++) {
    let j: Judged;
    if (memo === null) {
      j = judgePerson(plan, pack, people[i]!, on, mask, notes, explain, null);
    } else {
      const person = people[i]!;
      while (t < team!.length && team![t] !== person) t += 1;
      j = judgedFromMemo(memo, plan, pack, person, t < team!.length ? t : -1, on, mask);
      if (t < team!.length) t += 1;
    }
    staff.push(j);
    if (j.counted) {
      countedStaff += 1;
      if (plan.supervisors.has(j.countsAs!)) supervisorCount += 1;
    }
    if (j.needsSupervision) needingSupervision += 1;
  }

  // What the requirement depends on beyond the counts: ages, the time of day, the staff's levels (pairs).
  let context: GroupContext | null = null;
  if (needsAgeSpan || plan.aideRanks.size > 0) {
    const timeRatio =
      group.hours && pack.timeOfDayRatios ? timeOfDayRatioAt(pack, group.hours, at, Math.max(group.childrenInCenter ?? 0, childCount)) : null;
    let staffRanks: number[] | null = null;
    if (plan.aideRanks.size > 0) {
      staffRanks = [];
      for (const j of staff) if (j.counted && j.countsAs !== null) staffRanks.push(plan.ranks.get(j.countsAs) ?? 0);
    }
    context = { minMonths, maxMonths, timeRatio, staffRanks };
  }
  // Requirement for the group as it stands.
  const limits = groupLimits(plan, pack, activity, counts, youngerThanLoadLimit, roomCap, context);
  if (explain && limits.mixed) {
    const mixedNote = bands[limits.governing]!.mixedNote;
    if (mixedNote !== null) addNote(notes, mixedNote);
  }
  // Beyond the ratio: staff the center dedicated to children's own plans, and a night program's minimum.
  const night = group.night && pack.nightCare && childCount > 0 ? pack.nightCare : null;
  let requiredStaff = limits.requiredStaff + dedicatedStaff;
  // A staff minimum the pack sets for this group beyond the ratio: a listed mix's, or the activity's.
  let minimum: { minStaff: number; lead: string | null; rule: string; cite: string } | null = null;
  let leadLevel: string | null = null;
  if (limits.mix) {
    leadLevel = limits.mix.leadLevel;
    const byRatio = limits.ratioStaff + dedicatedStaff;
    requiredStaff = Math.max(byRatio, limits.mix.minStaff);
    if (byRatio < limits.mix.minStaff) {
      minimum = { minStaff: limits.mix.minStaff, lead: leadLevel === null ? null : labelOf(pack, leadLevel), rule: `a mixed group of ${limits.mix.text}`, cite: limits.mix.cite };
    }
  }
  const activityMinimums = pack.activityMinimums;
  if (activityMinimums !== undefined) for (const m of activityMinimums) {
    if (m.activity !== activity || childCount < m.minChildren) continue;
    if (m.leadLevel !== null) leadLevel = m.leadLevel;
    if (requiredStaff < m.minStaff) {
      requiredStaff = m.minStaff;
      minimum = { minStaff: m.minStaff, lead: m.leadLevel === null ? null : labelOf(pack, m.leadLevel), rule: m.text, cite: m.cite };
    }
  }
  const nightMinimum = night !== null && requiredStaff < night.minStaff;
  if (nightMinimum) requiredStaff = night.minStaff;
  if (explain && night !== null) addNote(notes, { code: 'pack_note', params: { text: night.scopeNote } });
  const asleepRelief = night !== null && asleepShare(group.night!.asleep, childCount) > night.asleepShareAbove;

  // Pushed in the order of ViolationCode's members.
  const violations: Violation[] = [];
  if (countedStaff < requiredStaff) {
    let reason: Violation['reason'] = null;
    if (explain) {
      const byBand = [];
      for (let i = 0; i < bandCount; i++) if (counts[i]! > 0) byBand.push({ band: bands[i]!.label, count: counts[i]! });
      const ratioStaff = limits.ratioStaff + dedicatedStaff;
      const over = { children: byBand, required: ratioStaff, counted: countedStaff, ratio: ratioUsed(plan, activity, limits), dedicated: dedicatedStaff };
      reason = nightMinimum
        ? { code: 'over_night_minimum', params: { ...over, minStaff: night!.minStaff, lead: labelOf(pack, night!.leadLevel), cite: night!.cite } }
        : minimum !== null && ratioStaff < minimum.minStaff
          ? { code: 'over_staff_minimum', params: { ...over, ...minimum } }
          : { code: 'over_ratio', params: over };
    }
    violations.push({ code: 'over_ratio', reason });
  }
  if (!limits.groupSizeOk) {
    violations.push({ code: 'over_group_size', reason: explain ? groupSizeReason(plan, pack, limits) : null });
  }

  if (explain && limits.mixed && !limits.mix && pack.mixedAge.method === 'youngest_band' && pack.mixedAge.unlistedNote) {
    addNote(notes, { code: 'pack_note', params: { text: pack.mixedAge.unlistedNote } });
  }
  const distribution = judgeDistribution(plan, pack, group, staff, requiredStaff, countedStaff, on, at, night, asleepRelief, notes, explain, leadLevel);
  if (distribution) {
    violations.push(distribution);
    if (explain && pack.distribution?.scopeNote) addNote(notes, { code: 'pack_note', params: { text: pack.distribution.scopeNote } });
  }

  if (needingSupervision > 0) {
    let unsupervised: number[] | null = null;
    for (let i = 0; i < staff.length; i++) {
      const j = staff[i]!;
      if (!j.needsSupervision) continue;
      // Supervised when someone else present is a counted supervisor.
      const selfSupervisor = j.counted && plan.supervisors.has(j.countsAs!);
      j.supervised = supervisorCount - (selfSupervisor ? 1 : 0) > 0;
      if (j.supervised) continue;
      // An exception the pack names for this activity (a supervisor stays responsible for the group, out of the room).
      const exception = j.counted ? plan.levels.get(j.countsAs!)?.supervisionExceptions : undefined;
      if (exception && exception.activities.includes(activity)) {
        j.supervised = true;
        if (explain) addNote(notes, { code: 'pack_note', params: { text: exception.text } });
        continue;
      }
      if (explain) j.reasons.push({ code: 'not_supervised', params: { supervisor: pack.supervision.supervisorText } });
      (unsupervised ??= []).push(i);
    }
    if (unsupervised !== null) {
      const who: StaffRef[] = explain ? unsupervised.map((index) => ({ index, role: people[index]!.role })) : [];
      violations.push({
        code: 'unsupervised_staff',
        reason: explain ? { code: 'unsupervised_staff', params: { staff: who, supervisor: pack.supervision.supervisorText, cite: pack.supervision.cite } } : null,
        people: unsupervised,
      });
    }
  }
  if (explain) {
    for (let i = 0; i < staff.length; i++) {
      if (staff[i]!.presence !== 'not_allowed') continue;
      const person = people[i]!;
      addNote(notes, { code: 'not_allowed_present', params: { index: i, role: person.role, study: person.backgroundStudy ?? null, cite: pack.backgroundStudy.cite } });
    }
  }
  if (belowMinimum > 0 && pack.minimumAge) {
    violations.push({
      code: 'below_minimum_age',
      reason: explain ? { code: 'below_minimum_age', params: { children: belowMinimum, age: pack.minimumAge.text, cite: pack.minimumAge.cite } } : null,
    });
    if (explain) addNote(notes, { code: 'below_minimum_counted_youngest', params: { age: pack.minimumAge.text } });
  }

  const byCategory: Record<string, number> = { ...plan.zeroByBand };
  const marginChildren: Record<string, number> = { ...plan.zeroByBand };
  for (let i = 0; i < bandCount; i++) if (counts[i]! > 0) byCategory[bands[i]!.id] = counts[i]!;
  // Staff left for the ratio once children's dedicated staff are set aside.
  const forRatio = countedStaff - dedicatedStaff;
  if (countedStaff >= requiredStaff && limits.groupSizeOk && forRatio > 0) {
    for (let i = 0; i < bandCount; i++) {
      marginChildren[bands[i]!.id] = additionalChildren(plan, pack, activity, counts, limits, youngerThanLoadLimit, roomCap, i, forRatio, context);
    }
  }

  return {
    state: pack.id,
    packStatus: plan.status,
    activity,
    compliant: violations.length === 0,
    children: childCount,
    byCategory,
    requiredStaff,
    countedStaff,
    maxGroupSize: limits.maxGroupSize,
    staff,
    violations,
    margin: { staff: countedStaff - requiredStaff, children: marginChildren },
    notes,
  };
}

/** Beside `PLACED_BAND` and `PLACED_BELOW_MINIMUM` in a memo: the child is younger than the pack's load limit age. */
const YOUNGER_THAN_LOAD_LIMIT = 1 << 24;

/**
 * What `evaluateRoom` worked out of the children and people of one room on
 * one local day, for a caller that judges the same people again and again (a
 * room's day in the forecast): the band of each child of `roster` (the room's
 * children; a group's children listed in the roster's order are found in it),
 * and each person's judgement for each mix of coarse categories (the people
 * of `team` found the same way). Made by
 * `newDayMemo`, owned by the caller, read and filled only by judgements without
 * words, and emptied when the pack or the day changes. It only ever holds what
 * the engine would work out again, so it changes no answer.
 */
export interface DayMemo {
  pack: RulePack | null;
  day: number;
  readonly roster: readonly ChildInRoom[];
  /** Per child of the roster: band index and flags, or -1 when not placed yet. */
  readonly placed: number[];
  /** Per child of the roster placed: age in whole months that day. */
  readonly months: number[];
  /** The room's people; a group's people listed in the team's order are found in it. */
  readonly team: readonly PersonInRoom[];
  /** Per person of the team, then per mix of coarse categories: the judgement. */
  readonly judged: ((Judged | undefined)[] | undefined)[];
  /** People not in the team (the cover search's hypothetical ones). */
  readonly people: Map<PersonInRoom, (Judged | undefined)[]>;
}

export function newDayMemo(roster: readonly ChildInRoom[], team: readonly PersonInRoom[] = []): DayMemo {
  return { pack: null, day: NaN, roster, placed: roster.map(() => -1), months: roster.map(() => 0), team, judged: team.map(() => undefined), people: new Map() };
}

function memoFor(memo: DayMemo | undefined, pack: RulePack, day: number): DayMemo | null {
  if (memo === undefined) return null;
  if (memo.pack !== pack || memo.day !== day) {
    memo.placed.fill(-1);
    memo.judged.fill(undefined);
    memo.people.clear();
    memo.pack = pack;
    memo.day = day;
  }
  return memo;
}

/** `judgePerson` without words, from the memo when this person was judged with the same mix of categories that day. */
function judgedFromMemo(memo: DayMemo, plan: PackPlan, pack: RulePack, person: PersonInRoom, inTeam: number, on: CivilDate, mask: number): Judged {
  let byMask = inTeam >= 0 ? memo.judged[inTeam] : memo.people.get(person);
  if (byMask === undefined) {
    byMask = [];
    if (inTeam >= 0) memo.judged[inTeam] = byMask;
    else memo.people.set(person, byMask);
  }
  let j = byMask[mask];
  if (j === undefined) {
    j = judgePerson(plan, pack, person, on, mask, [], false, null);
    byMask[mask] = j;
  }
  // A fresh one each time: `supervised` is settled per room.
  return { counted: j.counted, countsAs: j.countsAs, reasons: [], presence: j.presence, needsSupervision: j.needsSupervision, supervised: true };
}

/** Whole staff a child's entry adds (a fraction rounds up; anything not a positive number adds none). */
function dedicatedOf(n: number): number {
  return typeof n === 'number' && n > 0 ? Math.ceil(n) : 0;
}

/** The share of `children` asleep (0 with no count given). */
function asleepShare(asleep: number | null | undefined, children: number): number {
  if (typeof asleep !== 'number' || !(asleep > 0) || children === 0) return 0;
  return Math.min(asleep, children) / children;
}

/**
 * The band a child with a designation is judged in: the designated one when
 * the pack recognizes the designation and its record holds on `on`, else the
 * band of the child's age (with a note saying why).
 */
function designatedBand(
  plan: PackPlan,
  pack: RulePack,
  designation: ChildDesignation,
  ageBand: number,
  on: CivilDate,
  explain: boolean,
  notes: NoteReason[],
): number {
  const target = plan.bandIndexById.get(designation.band);
  const rule = pack.designations?.find((d) => d.basis === designation.basis && d.toBands.includes(designation.band));
  const asked: DesignationAsked = {
    band: target === undefined ? designation.band : plan.bands[target]!.label,
    known: target !== undefined,
    basis: designation.basis,
    ageBand: plan.bands[ageBand]!.label,
  };
  const refuse = (note: NoteReason) => {
    if (explain) addNote(notes, note);
    return ageBand;
  };
  if (target === undefined || !rule) return refuse({ code: 'designation_unrecognized', params: asked });
  if (target === ageBand) return ageBand;
  if (rule.fromBands.length > 0 && !rule.fromBands.includes(plan.bands[ageBand]!.id)) {
    const fromBands = rule.fromBands.map((id) => plan.bands[plan.bandIndexById.get(id) ?? 0]!.label);
    return refuse({ code: 'designation_wrong_age', params: { ...asked, fromBands, cite: rule.cite } });
  }
  if (rule.direction === 'younger_only' && target > ageBand) {
    return refuse({ code: 'designation_younger_only', params: { ...asked, cite: rule.cite } });
  }
  if (designation.basis === 'age_flexibility') {
    const agreed = designation.agreedOn ? parseCivilDate(designation.agreedOn) : null;
    if (!agreed || compareCivil(agreed, on) > 0) return refuse({ code: 'designation_no_agreement', params: { ...asked, on: formatCivilDate(on), requires: rule.requires } });
  } else {
    const starts = designation.kindergartenStartsOn ? parseCivilDate(designation.kindergartenStartsOn) : null;
    const within = rule.withinMonths ?? 0;
    if (!starts) return refuse({ code: 'designation_no_kindergarten_date', params: { ...asked, requires: rule.requires } });
    if (compareCivil(starts, addMonths(on, within)) > 0) {
      return refuse({ code: 'designation_kindergarten_too_far', params: { ...asked, starts: formatCivilDate(starts), withinMonths: within, on: formatCivilDate(on), cite: rule.cite } });
    }
  }
  if (explain) addNote(notes, { code: 'pack_note', params: { text: fillBand(rule.note, plan.bands[target]!.label) } });
  return target;
}
