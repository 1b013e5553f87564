import type { RulePack } from '../rule-pack.js';

/**
 * Caring for Our Children, 4th edition (AAP, APHA, NRC): the national recommendation for
 * centers. Not law: a center may add it as a best-practice overlay on its state pack, and
 * the stricter figure wins. Source: shared/design/regulations/CFOC.md and rules/CFOC.json.
 * The text of Standard 1.1.1.2 was not available: the table is the published standard as
 * remembered; rows from infants to 4-year-olds and the 5-year ratio match the Childcare.gov
 * chart (secondary). The majority-age mixed rule is confirmed in CFOC Basics; the
 * infant/toddler override is not. Counting, training and screening rules were not read.
 */
const STAFF_ROLES = ['director', 'teacher', 'assistant_teacher', 'aide', 'substitute', 'volunteer'] as const;

export const CFOC: RulePack = {
  id: 'CFOC',
  name: 'Caring for Our Children (national recommendation for centers, not law)',
  // A recommendation has no time zone of its own (rules/CFOC.json: null); ages are computed in
  // UTC until the engine judges an overlay in the center's own zone.
  timeZone: null,
  asOf: '2019',
  asOfNote:
    "CFOC 4th edition (2019, with later online updates). The standard text of 1.1.1.2 was not available in the sources read; the table is from the published standard as remembered and must be checked. The Caring for Our Children Basics page (Head Start ECLKC, updated 2024-06-03) was read and is recorded in the notes.",
  isRecommendation: true,
  appliesTo:
    'Any child care center that chooses Caring for Our Children 4th ed. Standard 1.1.1.2 as a best-practice overlay in addition to its state pack (the stricter requirement wins). Not law.',
  sources: [
    { id: 'cfoc-1-1-1-2', title: 'CFOC 4th ed. Standard 1.1.1.2 Ratios for Larger Family Child Care Homes and Centers', url: 'https://nrckids.org/CFOC/Database/1.1.1.2', status: 'not read (not available in the stored copies); figures as remembered' },
    { id: 'cfoc-basics-ratios', title: 'Caring for Our Children Basics: Ratios for centers and family child care homes (ECLKC)', url: 'https://eclkcprod.eclkc.info/health-services-management/caring-our-children-basics/ratios-centers-family-child-care-homes', status: 'read (updated 2024-06-03)' },
    { id: 'childcare-gov-ratios', title: 'Childcare.gov (ACF) recommended staff:child ratio and group size chart for centers - secondary; does not name its source', url: 'https://childcare.gov/consumer-education/ratios-and-group-sizes', status: 'secondary; 5-year group size and school-age rows not visible' },
  ],

  minimumAge: null,
  maximumAge: {
    mark: { months: 156 },
    text: 'younger than 13',
    cite: 'CFOC 1.1.1.2 (9-12 years row, not read)',
    verified: false,
  },
  bands: [
    { id: '0_12m', label: 'Birth to 12 months', coarse: 'infant', from: null, to: { months: 13 }, boundsText: 'birth through 12 months (until 13 months)', cite: 'CFOC 1.1.1.2', verified: false },
    { id: '13_35m', label: '13 to 35 months', coarse: 'toddler', from: { months: 13 }, to: { months: 36 }, boundsText: '13 months through 35 months (until 3 years)', cite: 'CFOC 1.1.1.2', verified: false },
    { id: '3y', label: '3-year-olds', coarse: 'preschooler', from: { months: 36 }, to: { months: 48 }, boundsText: '3 years to 4 years', cite: 'CFOC 1.1.1.2', verified: false },
    { id: '4y', label: '4-year-olds', coarse: 'preschooler', from: { months: 48 }, to: { months: 60 }, boundsText: '4 years to 5 years', cite: 'CFOC 1.1.1.2', verified: false },
    { id: '5y', label: '5-year-olds', coarse: 'preschooler', from: { months: 60 }, to: { months: 72 }, boundsText: '5 years to 6 years', cite: 'CFOC 1.1.1.2', verified: false },
    { id: '6_8y', label: '6 to 8 years', coarse: 'school_age', from: { months: 72 }, to: { months: 108 }, boundsText: '6 years through 8 years (until the 9th birthday)', cite: 'CFOC 1.1.1.2', verified: false },
    { id: '9_12y', label: '9 to 12 years', coarse: 'school_age', from: { months: 108 }, to: { months: 156 }, boundsText: '9 years through 12 years (until the 13th birthday)', cite: 'CFOC 1.1.1.2', verified: false },
  ],
  ageNote:
    'Age is counted in calendar months from the birth date: a child is N months old from the same day of the month N months after birth (the last day of the month when that day does not exist), a software convention. "Through 12 months" is read as younger than 13 months. Bands depend on age only.',
  ratios: [
    { category: '0_12m', childrenPerStaff: 3, maxGroupSize: 6, cite: 'CFOC 1.1.1.2', verified: 'secondary: matches childcare.gov chart; standard text not read' },
    { category: '13_35m', childrenPerStaff: 4, maxGroupSize: 8, cite: 'CFOC 1.1.1.2', verified: 'secondary: matches childcare.gov chart; standard text not read' },
    { category: '3y', childrenPerStaff: 7, maxGroupSize: 14, cite: 'CFOC 1.1.1.2', verified: 'secondary: matches childcare.gov chart; standard text not read' },
    { category: '4y', childrenPerStaff: 8, maxGroupSize: 16, cite: 'CFOC 1.1.1.2', verified: 'secondary: matches childcare.gov chart; standard text not read' },
    { category: '5y', childrenPerStaff: 8, maxGroupSize: 16, cite: 'CFOC 1.1.1.2', verified: 'secondary: ratio matches childcare.gov chart; group size not seen there' },
    { category: '6_8y', childrenPerStaff: 10, maxGroupSize: 20, cite: 'CFOC 1.1.1.2', verified: false },
    { category: '9_12y', childrenPerStaff: 12, maxGroupSize: 24, cite: 'CFOC 1.1.1.2', verified: false },
  ],
  requiredStaff: {
    rounding: 'ceil',
    minimumWhenAnyChild: 1,
    cite: 'CFOC 1.1.1.2 (not read); CFOC Basics, Ratios (ratios apply during all hours of operation)',
    verified: 'CFOC Basics read; 1.1.1.2 not read',
  },
  mixedAge: {
    method: 'majority_band',
    youngestIfAnyOf: ['infant', 'toddler'],
    cite: 'CFOC 1.1.1.2 (override clause not read); majority rule confirmed in CFOC Basics, Ratios (ECLKC)',
    verified: 'majority rule confirmed in Basics; override not read',
    note: 'Mixed group judged at the ratio and group size of one band ({band}): the band of the majority of the children (a tie goes to the younger band), or, with any infant or toddler present, the youngest band present (CFOC Basics; CFOC 1.1.1.2 as remembered).',
  },
  groupSizeExempt: {
    activities: [],
    cite: 'no group-size exemption in CFOC 1.1.1.2 as remembered (not read); CFOC Basics sets no group sizes',
    verified: false,
  },
  nap: null,
  napNote: 'No nap ratio relief in the standards read; CFOC Basics says ratios apply during all hours of operation.',

  levels: [
    {
      level: 'assistant_teacher',
      label: 'assistant teacher',
      minAgeYears: 18,
      cite: 'CFOC 1.3.2.x (not read)',
      verified: false,
    },
    {
      level: 'teacher',
      label: 'teacher',
      minAgeYears: 18,
      cite: 'CFOC 1.3.2.x (not read; lead teachers may be recommended older)',
      verified: false,
    },
  ],
  distribution: null,
  counting: [
    { role: 'director', counts: 'qualifies_as', minAgeYears: 18, supervisedWhenNotCounted: false, cite: 'CFOC 1.1.1.2 (not read)', verified: false, reason: 'A director counts only while directly caring for the group, at the level their qualifications meet' },
    { role: 'teacher', counts: 'own_level', minAgeYears: 18, supervisedWhenNotCounted: false, cite: 'CFOC 1.3.2.x; 1.4.3.1 (not read)', verified: false },
    { role: 'assistant_teacher', counts: 'own_level', minAgeYears: 18, supervisedWhenNotCounted: false, cite: 'CFOC 1.3.2.x (not read)', verified: false },
    { role: 'aide', counts: 'qualifies_as', minAgeYears: 18, supervisedWhenNotCounted: true, cite: 'no aide role in the CFOC text read; counted only at a staff level (conservative)', verified: false, reason: 'An aide counts only at the staff level whose qualifications they meet' },
    { role: 'substitute', counts: 'qualifies_as', minAgeYears: 18, supervisedWhenNotCounted: false, cite: 'CFOC 1.3.2.x (not read)', verified: false, reason: 'A substitute counts only at the staff level whose qualifications they meet' },
    { role: 'volunteer', counts: 'qualifies_as', minAgeYears: 18, supervisedWhenNotCounted: true, cite: 'CFOC 1.1.1.2 / 1.3.2.x (not read)', verified: false, reason: 'A volunteer counts only when meeting the qualifications of the staff role' },
    { role: 'student', counts: 'never', minAgeYears: null, supervisedWhenNotCounted: true, cite: 'not read', verified: false, reason: 'Students are not counted (conservative reading)' },
  ],
  supervision: {
    supervisorLevels: ['assistant_teacher', 'teacher'],
    supervisorText: 'a counted teacher or assistant teacher in the same room',
    cite: 'CFOC 1.2.0.2 (not read): unscreened people only under direct supervision (assumed); same-room reading',
    verified: false,
  },
  backgroundStudy: {
    byStatus: {
      not_started: { present: false, counted: false, cite: 'CFOC 1.2.0.2 (not read): screening before employment or unsupervised access' },
      submitted: { present: 'supervised_only', counted: false, cite: 'CFOC 1.2.0.2 (not read): only under direct supervision (assumed)' },
      cleared: { present: true, counted: true, cite: 'CFOC 1.2.0.2 (not read)' },
      disqualified: { present: false, counted: false, cite: 'CFOC 1.2.0.2 (not read)' },
    },
    expiryMonths: null,
    note: 'Comprehensive background screening before employment or unsupervised access (recommendation).',
    cite: 'CFOC 1.2.0.2 (not read)',
    verified: false,
  },
  trainings: [
    {
      id: 'pediatric_first_aid_cpr',
      label: 'Pediatric first aid and CPR',
      roles: STAFF_ROLES,
      categories: [],
      // Recommended for at least one counted staff member with each group, not for each person: tracked only.
      gate: 'none',
      deadline: 'before caring for children; at least one counted staff member with each group at all times (recommendation)',
      renewalMonths: null,
      renewalCite: 'per certifying body',
      volunteersToCount: false,
      cite: 'CFOC 1.4.3.1 (not read)',
      verified: false,
      note: 'The engine does not check that each group has one certified person present.',
    },
    {
      id: 'safe_sleep',
      label: 'Safe sleep / SUID risk reduction',
      roles: ['director', 'teacher', 'assistant_teacher', 'substitute', 'volunteer'],
      categories: ['infant'],
      gate: 'before',
      deadline: 'before caring for infants',
      renewalMonths: null,
      volunteersToCount: true,
      cite: 'CFOC 1.4.x / 3.1.4.1 (not read)',
      verified: false,
    },
    {
      id: 'aht',
      label: 'Prevention of abusive head trauma',
      roles: ['director', 'teacher', 'assistant_teacher', 'substitute'],
      categories: ['infant', 'toddler'],
      gate: 'before',
      deadline: 'before caring for infants or toddlers',
      renewalMonths: null,
      volunteersToCount: false,
      cite: 'CFOC 1.4.x (not read)',
      verified: false,
    },
  ],

  openQuestions: [
    { id: 'Q1', title: 'All 1.1.1.2 numbers and the infant/toddler override', engineDefault: 'The remembered table and override are used; the pack is shown as a draft.' },
    { id: 'Q2', title: 'Tie-breaking for "majority"', engineDefault: 'A tie goes to the younger band.' },
    { id: 'Q3', title: 'Full standard or CFOC Basics as the default overlay', engineDefault: 'The full standard (stricter); Basics figures are in the notes only.' },
  ],
  notes: [
    'CFOC is a recommendation, not law: offer it as a best-practice overlay a center may choose in addition to its state pack; for each group the stricter requirement wins.',
    'CFOC Basics (read) sets looser minimums for centers: 12 months and under 1:4, 13-23 months 1:4, 24-35 months 1:4 to 1:6, 3-year-olds 1:9, 4- to 5-year-olds 1:10, no group sizes; the ratio follows the age of the majority of the children; ratios apply during all hours of operation (CFOC Basics, Ratios, ECLKC). Not used by this pack.',
    'Related standards as remembered: 1.1.1.3 children with special health care needs and disabilities, 1.1.1.4 transportation, 1.1.1.5 swimming, wading and water play; the mixed-age clause sits inside 1.1.1.2. Verify the numbering.',
  ],
};
