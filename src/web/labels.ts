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
