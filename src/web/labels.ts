import type { MembershipRole } from '../db/rows.js';

/** Words shown for stored codes. */
export const ROLE_LABELS: Record<MembershipRole, string> = {
  owner: 'Owner',
  director: 'Director',
  staff: 'Staff',
  volunteer: 'Volunteer',
};

export const STUDY_LABELS: Record<string, string> = {
  not_started: 'Not started',
  submitted: 'Submitted, awaiting result',
  cleared: 'Cleared',
  disqualified: 'Disqualified',
};

export const TRAINING_STATUS_LABELS: Record<'submitted' | 'verified' | 'rejected', string> = {
  submitted: 'Submitted, awaiting verification',
  verified: 'Verified',
  rejected: 'Rejected',
};

export const CATEGORY_LABELS: Record<string, string> = {
  infant: 'Infant',
  toddler: 'Toddler',
  preschooler: 'Preschooler',
  school_age: 'School-age',
};

/** Plural words for a coarse category, in sentences ("Minnesota's limit for infants"). */
export const CATEGORY_PLURALS: Record<string, string> = {
  infant: 'infants',
  toddler: 'toddlers',
  preschooler: 'preschoolers',
  school_age: 'school-age children',
};

/** What a pack's rules are called in a sentence: "Minnesota's limit …". */
export const PACK_JURISDICTIONS: Record<string, string> = {
  MN: 'Minnesota',
  WI: 'Wisconsin',
  CA: 'California',
  TX: 'Texas',
  WA: 'Washington',
  NY: 'New York',
  CFOC: 'Caring for Our Children',
};

/** The domain's person roles (who someone is at the center, not their account's role). */
export const PERSON_ROLE_LABELS: Record<string, string> = {
  director: 'Director',
  teacher: 'Teacher',
  assistant_teacher: 'Assistant teacher',
  aide: 'Aide',
  substitute: 'Substitute',
  volunteer: 'Volunteer',
  student: 'Student',
};

export const CLAIM_MODE_LABELS: Record<'first_claim' | 'director_approves', string> = {
  first_claim: 'The first qualified person to claim a cover request gets it',
  director_approves: 'A director chooses among the people who claimed',
};

/** ISO weekdays, Monday first. */
export const WEEKDAYS: readonly { readonly weekday: number; readonly label: string; readonly short: string }[] = [
  { weekday: 1, label: 'Monday', short: 'Mon' },
  { weekday: 2, label: 'Tuesday', short: 'Tue' },
  { weekday: 3, label: 'Wednesday', short: 'Wed' },
  { weekday: 4, label: 'Thursday', short: 'Thu' },
  { weekday: 5, label: 'Friday', short: 'Fri' },
  { weekday: 6, label: 'Saturday', short: 'Sat' },
  { weekday: 7, label: 'Sunday', short: 'Sun' },
];
