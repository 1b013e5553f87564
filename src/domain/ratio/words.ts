/**
 * The engine's reasons in English: `reasonText` turns a reason code and its
 * parameters into the sentence the board, the pages and the CLIs show. The
 * pack's own labels, cites and sentences come in the parameters as the pack
 * spells them.
 */
import type { Role } from '../rule-pack.js';
import type { DesignationAsked, LevelName, OverRatio, Reason, StaffRef, WindowText } from './types.js';

/** The sentence for `reason`; '' for null (a violation judged with `explain: false`). */
export function reasonText(reason: Reason | null): string {
  if (reason === null) return '';
  const r = reason;
  switch (r.code) {
    // About a person.
    case 'role_never_counts':
      return r.params.packReason ?? `A ${roleWord(r.params.role)} does not count toward ratio under this pack`;
    case 'no_level_on_record':
      return `${r.params.packReason ?? `A ${roleWord(r.params.role)} counts only at a staff level`}: no qualification level on record, does not count`;
    case 'level_basis_limited': {
      const { text, cite, held } = r.params;
      return `${text} (${cite}): ${held === null ? 'holds no level in this group' : `counted at most as ${article(held)} ${held} in this group`}`;
    }
    case 'not_a_level':
      return `"${r.params.level}" is not a staff level under this pack (levels: ${r.params.levels.join(', ')})`;
    case 'study_not_given':
      return 'Background study status not given: does not count';
    case 'background_study':
      return STUDY_REASONS[r.params.status];
    case 'study_expired':
      return `Background study: expired on ${r.params.on}`;
    case 'age_not_given':
      return `Age not given: a ${r.params.level} must be at least ${r.params.minAge} (${r.params.cite})`;
    case 'under_age': {
      const { role, level, minAge, cite } = r.params;
      return `Under ${minAge}: a ${roleWord(role)} counted as ${level} must be at least ${minAge} (${cite})`;
    }
    case 'training_expired':
      return `${r.params.training}: expired on ${r.params.on}`;
    case 'training_in_grace':
      return `${r.params.training}: not completed yet, within the ${r.params.graceDays}-day period after starting`;
    case 'training_missing':
      return `${r.params.training} training missing: required ${r.params.deadline}`;
    case 'supervised_below_age': {
      const { level, age, supervisor, cite } = r.params;
      return `${capitalize(level)} under ${age}: must be directly supervised by ${supervisor} (${cite})`;
    }
    case 'supervised_when_not_counted':
      return `Not counted: may be present only as a supervised ${roleWord(r.params.role)}, with ${r.params.supervisor}`;
    case 'not_supervised':
      return `Not supervised: needs ${r.params.supervisor}, and none is present`;
    case 'does_not_count':
      return 'Does not count toward ratio under this pack';
    case 'below_cover_level':
      return `Counts as ${levelName(r.params.countsAs)}; this cover needs at least ${levelName(r.params.needs)}`;
    // Violations.
    case 'over_ratio': {
      const p = r.params;
      return `${childrenText(p)} need ${p.required} counted staff (${ratioText(p)}); ${p.counted} counted.`;
    }
    case 'over_staff_minimum': {
      const p = r.params;
      const lead = p.lead === null ? '' : `, one ${article(p.lead)} ${p.lead}`;
      return `${capitalize(p.rule)} needs at least ${p.minStaff} counted staff${lead} (${p.cite}); ${childrenText(p)} need ${p.required} by ratio (${ratioText(p)}); ${p.counted} counted.`;
    }
    case 'over_night_minimum': {
      const p = r.params;
      return `A night program needs at least ${p.minStaff} counted staff, one ${article(p.lead)} ${p.lead} (${p.cite}); ${childrenText(p)} need ${p.required} by ratio (${ratioText(p)}); ${p.counted} counted.`;
    }
    case 'over_room_group_size':
      return `${r.params.children} children exceed this room's maximum group size of ${r.params.max}.`;
    case 'over_mixed_group_cap': {
      const p = r.params;
      return `${p.children} children exceed the maximum of ${p.max} for a mixed group with a child under ${p.underMonths} months (${p.cite}).`;
    }
    case 'over_pro_rata_load':
      return `${r.params.children} children are more than ${r.params.staff} staff could care for pro rata, the group-size limit for a mixed group (${r.params.cite}).`;
    case 'over_group_size': {
      const p = r.params;
      return `${p.children} children exceed the maximum group size of ${p.max} for ${p.band.toLowerCase()}${p.mixed ? ' (mixed group)' : ''} (${p.cite}).`;
    }
    case 'staff_distribution': {
      const p = r.params;
      const slotLevel = `${ordinal(p.slot)} counted staff member must be ${p.highest ? `a ${p.level}` : `at least ${article(p.level)} ${p.level}`}`;
      const standIns = p.standIns.map((s) => `${article(s.level)} ${s.level}${s.meeting !== null ? ' meeting ' + s.meeting.split(':')[0] : ''}`);
      const subText = standIns.length ? ` (during ${p.activity.replace('_', '/')} ${standIns.join(' or ')} may stand in)` : '';
      const nightText = p.night === null ? '' : p.night === 'asleep' ? ' in a night program with most children asleep' : ' in a night program';
      const staff = p.staff.map((s) => `${s.count} ${s.level ?? 'unknown'}${s.count === 1 ? '' : 's'}`).join(', ');
      return `The ${slotLevel}${nightText}${subText}; the counted staff are ${staff} (${p.nightCite === null ? p.cite : `${p.cite}; ${p.nightCite}`}).`;
    }
    case 'unsupervised_staff': {
      const p = r.params;
      return `${p.staff.map(staffText).join(', ')} may be present only under direct supervision by ${p.supervisor}; none is present (${p.cite}).`;
    }
    case 'below_minimum_age': {
      const { children, age, cite } = r.params;
      return `${children === 1 ? 'A child' : `${children} children`} younger than ${age} ${children === 1 ? 'is' : 'are'} present; centers may not care for children under ${age} (${cite}).`;
    }
    // Notes.
    case 'pack_note':
      return r.params.text;
    case 'above_maximum_age':
      return `A child aged ${r.params.age.replace(/^younger than /, '')} or older is present: outside the ages this pack covers (${r.params.cite}); counted in the oldest category.`;
    case 'below_minimum_counted_youngest':
      return `Children younger than ${r.params.age} are counted in the youngest category for ratio.`;
    case 'renewal_unconfirmed': {
      const { training, months, cite } = r.params;
      return `The ${training} renewal period of ${months} months is not confirmed in rule text (${cite}); the stricter reading is used.`;
    }
    case 'not_allowed_present': {
      const p = r.params;
      return `${capitalize(staffText(p))} may not be present with children (background study ${p.study?.replace('_', ' ')}; ${p.cite}).`;
    }
    case 'windows_not_accepted':
      return `No one stands in for the lead: the center's arrival and departure windows are not accepted. ${r.params.problems.map((p) => reasonText(p)).join(' ')}`;
    case 'outside_windows': {
      const list = r.params.windows.map(windowText).join(', ');
      return `No one stands in for the lead at ${r.params.at}: outside the center's arrival and departure windows (${list || 'none set'}; ${r.params.cite}).`;
    }
    case 'designation_unrecognized':
      return designationText(r.params, 'this pack recognizes no such designation');
    case 'designation_wrong_age':
      return designationText(
        r.params,
        `the designation applies only to a child whose age makes them ${r.params.fromBands.map((b) => b.toLowerCase()).join(' or ')} (${r.params.cite})`,
      );
    case 'designation_younger_only':
      return designationText(r.params, `only a designation into a younger category is applied while the rule's thresholds are unconfirmed (${r.params.cite})`);
    case 'designation_no_agreement':
      return designationText(r.params, `no agreement recorded on or before ${r.params.on} (${r.params.requires})`);
    case 'designation_no_kindergarten_date':
      return designationText(r.params, `no kindergarten start date entered (${r.params.requires})`);
    case 'designation_kindergarten_too_far': {
      const p = r.params;
      return designationText(p, `kindergarten starts ${p.starts}, more than ${p.withinMonths} months after ${p.on} (${p.cite})`);
    }
    // The day's hours.
    case 'opening_time_unreadable':
      return `The opening time "${r.params.time}" is not a time as HH:MM.`;
    case 'closing_time_unreadable':
      return `The closing time "${r.params.time}" is not a time as HH:MM.`;
    case 'closes_before_opening':
      return `The closing time ${r.params.closes} is not after the opening time ${r.params.opens}.`;
    case 'too_many_windows':
      return 'There are more than two windows: one for arrival and one for departure at most.';
    case 'window_unreadable':
      return `The window ${windowText(r.params)} is not two times as HH:MM.`;
    case 'window_ends_before_start':
      return `The window ${windowText(r.params)} does not end after it starts.`;
    case 'window_outside_hours':
      return `The window ${windowText(r.params)} is not within the hours of operation ${r.params.opens}–${r.params.closes}.`;
    case 'windows_overlap':
      return `The windows ${windowText(r.params.first)} and ${windowText(r.params.second)} overlap.`;
    case 'windows_too_long': {
      const p = r.params;
      return `The arrival and departure windows take ${p.minutes} minutes, more than ${Math.round(p.share * 100)}% of the ${p.dayMinutes}-minute day (${p.capMinutes} minutes) (${p.cite}).`;
    }
  }
}

const ROLE_WORDS: Readonly<Record<string, string>> = {
  director: 'director',
  teacher: 'teacher',
  assistant_teacher: 'assistant teacher',
  aide: 'aide',
  substitute: 'substitute',
  volunteer: 'volunteer',
  student: 'student',
};

const STUDY_REASONS = {
  submitted: 'Background study submitted, not cleared: may be present only under direct supervision, does not count',
  not_started: 'Background study not started: may not be present with children, does not count',
  disqualified: 'Background study disqualified: may not be present with children, does not count',
  cleared: 'Background study cleared',
} as const;

function roleWord(role: Role): string {
  return ROLE_WORDS[role] ?? role;
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

const ORDINALS = ['1st', '2nd', '3rd'];
function ordinal(n: number): string {
  return ORDINALS[n - 1] ?? `${n}th`;
}

function levelName(level: LevelName): string {
  if (level === null) return 'no level';
  return level.label ?? level.id.replaceAll('_', ' ');
}

/** "staff[2] (aide)": a person of the group by index. */
function staffText(ref: StaffRef): string {
  return `staff[${ref.index}] (${roleWord(ref.role)})`;
}

function windowText(w: WindowText): string {
  return `${w.from}–${w.to}`;
}

/** "3 children (2 infant, 1 toddler)". */
function childrenText(p: OverRatio): string {
  let total = 0;
  for (const b of p.children) total += b.count;
  return `${total} ${total === 1 ? 'child' : 'children'} (${p.children.map((b) => `${b.count} ${b.band.toLowerCase()}`).join(', ')})`;
}

/** "1:4 for infant (mixed group), plus 1 dedicated to children's individual plans". */
function ratioText(p: OverRatio): string {
  const r = p.ratio;
  const ratio =
    r.childrenPerStaff === null
      ? 'each age group pro rata, rounded up once'
      : `1:${r.childrenPerStaff} for ${r.band.toLowerCase()}${r.napTime ? ' at nap time' : ''}${r.mixed ? ' (mixed group)' : ''}${r.basis ? `, ${r.basis}` : ''}`;
  return `${ratio}${p.dedicated > 0 ? `, plus ${p.dedicated} dedicated to children's individual plans` : ''}`;
}

function designationText(p: DesignationAsked, why: string): string {
  const asked = p.known ? p.band.toLowerCase() : `"${p.band}"`;
  return `A child designated ${asked} (${p.basis.replace('_', ' ')}) is judged by age as ${p.ageBand.toLowerCase()}: ${why}.`;
}
