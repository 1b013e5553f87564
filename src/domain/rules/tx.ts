import type { RulePack } from '../rule-pack.js';

/**
 * Texas licensed child-care centers (26 TAC ch. 746).
 * Source: shared/design/regulations/TX.md and rules/TX.json. Weakly sourced: the official
 * ratio and group-size tables are attached graphics, so every band and number comes from
 * secondary sources and is marked `verified: false`. Only 746.1615 (the opening/closing
 * ratio) was read in rule text: `timeOfDayRatios` applies it when the center's hours are
 * given. The infant age-span limit of 746.1605 is not applied (in `notes`). Mixed ages,
 * counting, training and background checks take the conservative readings of TX.md.
 */
const STAFF_ROLES = ['director', 'teacher', 'assistant_teacher', 'aide', 'substitute', 'volunteer'] as const;

export const TX: RulePack = {
  id: 'TX',
  name: 'Texas licensed child-care centers',
  timeZone: 'America/Chicago',
  asOf: '2025-05-21',
  asOfNote:
    "Date of the unofficial TAC clone read (chapter review date 2024-04-04). Ratio and group-size tables are 'attached graphics' in the official text and were taken from secondary sources; check them against the HHSC Minimum Standards for Child-Care Centers before release.",
  isRecommendation: false,
  appliesTo:
    'Licensed child-care centers under 26 TAC ch. 746, groups of 13 or more children. Not for licensed or registered child-care homes (ch. 747) or school-age programs (ch. 744).',
  sources: [
    { id: 'tx-746-1615', title: '26 TAC 746.1615 opening and closing ratio (TAC clone, Subchapter E)', url: 'https://tac-clone.dsswtx.org/sections/26-1-746-E-746.1615.html', status: 'read' },
    { id: 'tx-ratio-flashcards', title: 'Secondary: ratio and 2-caregiver group-size figures and infant-combining rule', url: 'https://www.freezingblue.com/flashcards/print_preview.cgi?cardsetID=220618', status: 'secondary' },
    { id: 'tx-news-2016', title: 'Secondary: news report listing center ratios (Texans Care for Children / Houston Chronicle)', url: 'https://txchildren.org/posts/2016/8/1/in-the-news-state-rejects-calls-to-reduce-child-care-ratios', status: 'secondary' },
    { id: 'tx-guide', title: 'Secondary: Chapter 746 ratio guide (746.1605, 746.1607, 746.1611)', url: 'https://www.childcareratios.com/child-care-regulations-blog/texas-child-care-staff-to-child-ratios-the-complete-chapter-746-guide', status: 'secondary' },
  ],

  minimumAge: null,
  maximumAge: {
    mark: { months: 168 },
    text: 'younger than 14',
    cite: '26 TAC 746.1601 (6-13 years row, via secondary)',
    verified: false,
  },
  bands: [
    { id: '0_11m', label: '0-11 months', coarse: 'infant', from: null, to: { months: 12 }, boundsText: 'birth to 12 months', cite: '26 TAC 746.1601 (via secondary)', verified: false },
    { id: '12_17m', label: '12-17 months', coarse: 'infant', from: { months: 12 }, to: { months: 18 }, boundsText: '12 months to 18 months', cite: '26 TAC 746.1601 (via secondary)', verified: false },
    { id: '18_23m', label: '18-23 months', coarse: 'toddler', from: { months: 18 }, to: { months: 24 }, boundsText: '18 months to 2 years', cite: '26 TAC 746.1601 (via secondary)', verified: false },
    { id: '2y', label: '2 years', coarse: 'toddler', from: { months: 24 }, to: { months: 36 }, boundsText: '2 years to 3 years', cite: '26 TAC 746.1601 (via secondary)', verified: false },
    { id: '3y', label: '3 years', coarse: 'preschooler', from: { months: 36 }, to: { months: 48 }, boundsText: '3 years to 4 years', cite: '26 TAC 746.1601 (via secondary)', verified: false },
    { id: '4y', label: '4 years', coarse: 'preschooler', from: { months: 48 }, to: { months: 60 }, boundsText: '4 years to 5 years', cite: '26 TAC 746.1601 (via secondary)', verified: false },
    { id: '5y', label: '5 years', coarse: 'preschooler', from: { months: 60 }, to: { months: 72 }, boundsText: '5 years to 6 years', cite: '26 TAC 746.1601 (via secondary)', verified: false },
    { id: '6_13y', label: '6-13 years', coarse: 'school_age', from: { months: 72 }, to: { months: 168 }, boundsText: '6 years through 13 years (until the 14th birthday)', cite: '26 TAC 746.1601 (via secondary)', verified: false },
  ],
  ageNote:
    'Age is counted in calendar months from the birth date in the center\'s time zone: a child is N months old from the same day of the month N months after birth (the last day of the month when that day does not exist), a software convention because the rule text was not read. Bands depend on age only.',
  ratios: [
    { category: '0_11m', childrenPerStaff: 4, maxGroupSize: 10, cite: '26 TAC 746.1601 (secondary)', groupSizeCite: '26 TAC 746.1609 (secondary)', verified: false },
    { category: '12_17m', childrenPerStaff: 5, maxGroupSize: 13, cite: '26 TAC 746.1601 (secondary)', groupSizeCite: '26 TAC 746.1609 (secondary)', verified: false },
    { category: '18_23m', childrenPerStaff: 9, maxGroupSize: 18, cite: '26 TAC 746.1601 (secondary)', groupSizeCite: '26 TAC 746.1609 (secondary)', verified: false },
    { category: '2y', childrenPerStaff: 11, maxGroupSize: 22, cite: '26 TAC 746.1601 (secondary)', groupSizeCite: '26 TAC 746.1609 (secondary)', verified: false },
    { category: '3y', childrenPerStaff: 15, maxGroupSize: 30, cite: '26 TAC 746.1601 (secondary)', groupSizeCite: '26 TAC 746.1609 (secondary)', verified: false },
    { category: '4y', childrenPerStaff: 18, maxGroupSize: 35, cite: '26 TAC 746.1601 (secondary)', groupSizeCite: '26 TAC 746.1609 (secondary)', verified: false },
    { category: '5y', childrenPerStaff: 22, maxGroupSize: 35, cite: '26 TAC 746.1601 (secondary)', groupSizeCite: '26 TAC 746.1609 (secondary)', verified: false },
    { category: '6_13y', childrenPerStaff: 26, maxGroupSize: 35, cite: '26 TAC 746.1601 (secondary)', groupSizeCite: '26 TAC 746.1609 (secondary)', verified: false },
  ],
  requiredStaff: {
    rounding: 'ceil',
    minimumWhenAnyChild: 1,
    cite: '26 TAC 746.1601 (minimum ratios, via secondary); group size is a ceiling a second caregiver does not raise (746.1607, secondary)',
    verified: false,
  },
  mixedAge: {
    method: 'youngest_band',
    cite: '26 TAC 746.1603-746.1607 (not read)',
    verified: false,
    note: 'Mixed group judged at the ratio and group size of its youngest band ({band}): the Texas mixed-age sections were not read, so the strictest common reading is used. The 18-month age-span limit for groups with infants (746.1605, secondary) is not checked.',
  },
  groupSizeExempt: {
    activities: ['meal', 'nap', 'field_trip', 'outdoor'],
    cite: '26 TAC 746.1611 (secondary): groups may be combined for meals, naptime, field trips and outdoor play for the length of the activity',
    verified: false,
    note: 'Each original group\'s ratio must still be met. Other joint activities (toddlers to 4-year-olds up to 30 minutes, 5 and older up to 90 minutes) are time-limited, which the engine cannot check: the cap is kept for special activities.',
  },
  timeOfDayRatios: [
    {
      afterOpeningMinutes: 45,
      beforeClosingMinutes: 45,
      minChildrenInCare: 13,
      minAgeMonths: 18,
      childrenPerStaff: 16,
      text: '1:16 in the 45 minutes after opening and before closing (13 or more children in care, all 18 months or older)',
      // "When 13 or more children are in care, children who are 18 months and older may be grouped at a ratio of
      // one caregiver per group of 16 children during the 45 minutes after opening and 45 minutes before closing."
      cite: '26 TAC 746.1615',
      verified: true,
    },
  ],
  nap: null,
  napNote:
    'No nap ratio reduction was found; groups may be combined for naptime under 26 TAC 746.1611 while each group\'s ratio is kept (secondary).',

  levels: [
    {
      level: 'assistant_teacher',
      label: 'caregiver (assistant teacher)',
      minAgeYears: 18,
      cite: '26 TAC 746.1105 (not read); younger caregivers may be allowed under conditions not read, conservative: 18',
      verified: false,
    },
    {
      level: 'teacher',
      label: 'caregiver (teacher)',
      minAgeYears: 18,
      cite: '26 TAC 746.1105 (not read); conservative: 18',
      verified: false,
    },
  ],
  distribution: null,
  counting: [
    { role: 'director', counts: 'qualifies_as', minAgeYears: 18, supervisedWhenNotCounted: false, cite: 'not read (26 TAC ch. 746 subch. D)', verified: false, reason: 'A director counts only while directly caring for the group, at the caregiver level their qualifications meet' },
    { role: 'teacher', counts: 'own_level', minAgeYears: 18, supervisedWhenNotCounted: false, cite: '26 TAC ch. 746 subch. D; 746.1105 (not read)', verified: false },
    { role: 'assistant_teacher', counts: 'own_level', minAgeYears: 18, supervisedWhenNotCounted: false, cite: '26 TAC 746.1105 (not read)', verified: false },
    { role: 'aide', counts: 'qualifies_as', minAgeYears: 18, supervisedWhenNotCounted: true, cite: 'no provision read; counted only as a caregiver meeting 746.1105 (not read)', verified: false, reason: 'An aide counts only when meeting caregiver qualifications' },
    { role: 'substitute', counts: 'qualifies_as', minAgeYears: 18, supervisedWhenNotCounted: false, cite: 'not read', verified: false, reason: 'A substitute counts only when meeting caregiver qualifications' },
    { role: 'volunteer', counts: 'qualifies_as', minAgeYears: 18, supervisedWhenNotCounted: true, cite: 'not read', verified: false, reason: 'A volunteer counts only when meeting caregiver qualifications and background check requirements' },
    { role: 'student', counts: 'never', minAgeYears: null, supervisedWhenNotCounted: true, cite: 'not read', verified: false, reason: 'Students are never counted (conservative reading)' },
  ],
  supervision: {
    supervisorLevels: ['assistant_teacher', 'teacher'],
    supervisorText: 'a counted caregiver in the same room',
    cite: 'not read; conservative: a person whose background check is pending is present only with continuous supervision by a counted caregiver',
    verified: false,
  },
  backgroundStudy: {
    byStatus: {
      not_started: { present: false, counted: false, cite: '26 TAC ch. 745 subch. F (not read); conservative reading' },
      submitted: { present: 'supervised_only', counted: false, cite: '26 TAC ch. 745 subch. F (not read); conservative reading (open question Q6)' },
      cleared: { present: true, counted: true, cite: '26 TAC ch. 745 subch. F (not read)' },
      disqualified: { present: false, counted: false, cite: '26 TAC ch. 745 subch. F (not read)' },
    },
    expiryMonths: null,
    note: 'Name-based and FBI fingerprint checks through HHSC; status while pending not confirmed.',
    cite: '26 TAC ch. 745 subch. F (not read)',
    verified: false,
  },
  trainings: [
    {
      id: 'pediatric_cpr_first_aid',
      label: 'Pediatric CPR and first aid',
      // JSON: teacher, assistant teacher, director; anyone counted as a caregiver needs it.
      roles: STAFF_ROLES,
      categories: ['infant', 'toddler', 'preschooler', 'school_age'],
      gate: 'grace',
      graceDays: 90,
      deadline: 'within 90 days of employment (assumed)',
      renewalMonths: 24,
      renewalCite: '26 TAC 746.1315 (not read); 24 months assumed',
      renewalVerified: false,
      volunteersToCount: true,
      cite: '26 TAC 746.1315 (not read)',
      verified: false,
    },
    {
      id: 'safe_sleep_sids',
      label: 'Safe sleep / SIDS',
      roles: STAFF_ROLES,
      categories: ['infant'],
      gate: 'before',
      deadline: 'pre-service, before caring for children under 18 months (assumed)',
      renewalMonths: 12,
      renewalCite: '26 TAC 746.1309 (not read); 12 months assumed',
      renewalVerified: false,
      volunteersToCount: true,
      cite: '26 TAC 746.1309 (not read)',
      verified: false,
    },
    {
      id: 'sbs_aht',
      label: 'Shaken baby syndrome / abusive head trauma',
      roles: STAFF_ROLES,
      categories: ['infant', 'toddler'],
      gate: 'before',
      deadline: 'pre-service, before caring for children under 3 (assumed)',
      renewalMonths: 12,
      renewalCite: '26 TAC 746.1309 (not read); 12 months assumed',
      renewalVerified: false,
      volunteersToCount: true,
      cite: '26 TAC 746.1309 (not read)',
      verified: false,
    },
  ],

  changes: [
    { on: '2026-12-07', text: "In the 45 minutes after opening and before closing, with 13 or more children in care, a group whose children are all 18 months or older may run at 1 caregiver per 16, when the center's hours are known. Before, it was never applied.", cite: "26 TAC 746.1615" },
  ],
  openQuestions: [
    { id: 'Q1', title: 'All numbers except 746.1615 (secondary only)', engineDefault: 'The secondary figures are used; the pack is shown as a draft.' },
    { id: 'Q2', title: 'Mixed-age method', engineDefault: 'The youngest band present sets ratio and group size.' },
    { id: 'Q3', title: 'Small groups (12 or fewer children)', engineDefault: 'The 13-or-more table is applied to every group (may be too strict or too loose).' },
    { id: 'Q4', title: '746.1611 time limits for combined joint activities', engineDefault: 'Special activities keep the group-size cap; meals, naptime, field trips and outdoor play lift it.' },
    { id: 'Q5', title: 'Who may count (16-17-year-old caregivers, volunteers, directors) and training deadlines', engineDefault: 'Caregivers 18 or older; directors, aides, substitutes and volunteers only at a caregiver level on record; students never.' },
    { id: 'Q6', title: 'Background check while pending', engineDefault: 'Not counted; present only under same-room supervision by a counted caregiver.' },
  ],
  notes: [
    'Opening and closing (26 TAC 746.1615, rule text): with 13 or more children in care, children 18 months and older may be grouped 1 caregiver per 16 during the 45 minutes after opening and the 45 minutes before closing; no adjustment for children under 18 months. Applied when the center\'s hours are given (Group.hours; children in care from Group.childrenInCenter, at least the group\'s own), and only when it asks for fewer staff than the table (a permission). Without the hours the table ratio is kept (stricter).',
    'Infant age span (26 TAC 746.1605, secondary): with 13 or more children in care, infants may be grouped with older children only if the oldest child is at most 18 months older than the youngest. Not checked: confirm by hand for groups mixing infants and older children.',
    'Combining groups (26 TAC 746.1611, secondary): allowed for meals, naptime, field trips and outdoor play for the length of the activity; other joint activities up to 30 minutes (toddlers to 4-year-olds) or 90 minutes (5 and older); each original group\'s ratio must still be met.',
    'The tables used are for groups of 13 or more children; smaller groups use separate tables (not read).',
    'Texas rules name one counted role, the caregiver; teacher and assistant teacher are both caregivers at the same minimum, and no lead-teacher requirement was confirmed.',
    'Official ratio and group-size tables are images ("attached graphic"); every number must be checked against the HHSC Minimum Standards before release.',
  ],
};
