import type { RulePack } from '../rule-pack.js';

/**
 * Washington licensed child care centers (ch. 110-300 WAC, Foundational Quality Standards).
 * Source: shared/design/regulations/WA.md and rules/WA.json. The ratio table inside
 * WAC 110-300-0356 was not visible in the copies read: bands and numbers come from the
 * predecessor rules (same four bands and numbers) and are marked "historical". Counting
 * and first aid/CPR were read in rule text: anyone counted must hold current pediatric and
 * adult first aid and CPR, volunteers included. Preschool and school-age depend on school
 * attendance. The lead-teacher-per-group rule (predecessor) is applied as the conservative
 * reading of open question 3.
 */
const STAFF_ROLES = ['director', 'teacher', 'assistant_teacher', 'aide', 'substitute', 'volunteer'] as const;

export const WA: RulePack = {
  id: 'WA',
  name: 'Washington licensed child care centers',
  timeZone: 'America/Los_Angeles',
  asOf: '2025-01-01',
  asOfNote:
    "WAC 110-300-0230 read 'current through Register Vol. 25-01, January 1, 2025'; chapter index page shows last update 3/10/23. The ratio table subsection of WAC 110-300-0356 was not visible in the copies read; band limits and numbers are from the predecessor rules (WAC 388-150-190 / 170-295-2090).",
  isRecommendation: false,
  appliesTo:
    'Center early learning programs licensed under ch. 110-300 WAC. Not for family homes (same chapter, other sections), school-age programs (ch. 110-301) or outdoor nature-based programs (ch. 110-302).',
  sources: [
    { id: 'wa-0356', title: 'WAC 110-300-0356 Center capacity', url: 'https://lawfilesext.leg.wa.gov/Law/WAC/WAC%20110%20%20TITLE/WAC%20110%20-300%20%20CHAPTER/WAC%20110%20-300%20-0356.htm', status: 'subsections (1)-(3) read; ratio table not visible' },
    { id: 'wa-0230', title: 'WAC 110-300-0230 First-aid/CPR certification', url: 'https://app.leg.wa.gov/wac/default.aspx?cite=110-300-0230', status: 'read' },
    { id: 'wa-wsr-20-11-026', title: 'WSR 20-11-026 (first aid/CPR for paid and volunteer providers counted in ratio)', url: 'https://lawfilesext.leg.wa.gov/law/wsr/2020/11/20-11-026.htm', status: 'read' },
    { id: 'wa-0100-2022', title: 'WAC 110-300-0100 General staff qualifications (2022 archive)', url: 'https://lawfilesext.leg.wa.gov/Law/WACArchive/2022/htm/WAC%20110%20%20TITLE/WAC%20110%20-300%20%20CHAPTER/WAC%20110%20-300%20-0100.htm', status: 'subsection (6) read (2022 archive)' },
    { id: 'wa-dcyf-quals', title: 'DCYF Child Care Providers qualifications (roles, minimum age, trainings)', url: 'https://www.dcyf.wa.gov/services/early-learning-providers/qualifications/child-care-providers', status: 'read' },
    { id: 'wa-170-295-2090', title: 'Former WAC 170-295-2090 center ratios and group sizes (historical)', url: 'http://apps.leg.wa.gov/WAC/default.aspx?cite=170-295-2090', status: 'read (historical)' },
    { id: 'wa-170-295-2100', title: 'Former WAC 170-295-2100 exceptions to group sizes and ratios (historical)', url: 'http://apps.leg.wa.gov/wac/default.aspx?cite=170-295-2100', status: 'read (historical)' },
    { id: 'wa-388-150-190', title: 'Former WAC 388-150-190 ratio table (historical, secondary copy)', url: 'https://www.daycare.com/washington/index28.html', status: 'read (historical, secondary copy)' },
    { id: 'wa-110-302-0357', title: 'WAC 110-302-0357 mixed age groups, outdoor nature-based programs (analogue)', url: 'https://lawfilesext.leg.wa.gov/Law/WAC/WAC%20110%20%20TITLE/WAC%20110%20-302%20%20CHAPTER/WAC%20110%20-302%20-0357.htm', status: 'read (analogue only)' },
  ],

  minimumAge: null,
  maximumAge: {
    mark: { months: 156 },
    text: 'younger than 13',
    cite: 'WAC 110-300-0356 (table not seen); former WAC 170-295-2090(1)(d) (school-age through 12 years); over-age children with special needs (up to 19) count in capacity and ratio, WAC 110-300-0356(3)(a)',
    verified: 'historical',
  },
  bands: [
    {
      id: 'infant',
      label: 'Infant',
      coarse: 'infant',
      from: null,
      to: { months: 12 },
      boundsText: 'birth through 11 months',
      cite: 'WAC 110-300-0356 (table not seen); former WAC 170-295-2090(1)(a) used one month through 11 months',
      verified: 'historical',
    },
    {
      id: 'toddler',
      label: 'Toddler',
      coarse: 'toddler',
      from: { months: 12 },
      to: { months: 30 },
      boundsText: '12 months through 29 months',
      cite: 'WAC 110-300-0356; former WAC 170-295-2090(1)(b)',
      verified: 'historical',
    },
    {
      id: 'preschool',
      label: 'Preschool',
      coarse: 'preschooler',
      from: { months: 30 },
      to: null,
      school: 'not_attending',
      boundsText: '30 months until attending kindergarten or elementary school (the rule\'s band runs through 6 years)',
      cite: 'WAC 110-300-0356; former WAC 170-295-2090(1)(c)',
      verified: 'historical',
      olderNote: {
        fromMonths: 84,
        text: 'A child older than 6 who does not attend kindergarten or elementary school is judged as preschool (1:10 / 20), the stricter reading; the preschool band of former WAC 170-295-2090(1)(c) runs through 6 years. Set attendsKindergarten once the child attends school.',
      },
    },
    // A child attending kindergarten or elementary school from age 5 is school-age (the engine
    // tries 'attending' bands first for such a child).
    {
      id: 'school_age',
      label: 'School-age',
      coarse: 'school_age',
      from: { months: 60 },
      to: { months: 156 },
      school: 'attending',
      boundsText: '5 years through 12 years and attending kindergarten or elementary school',
      cite: 'WAC 110-300-0356; former WAC 170-295-2090(1)(d)',
      verified: 'historical',
    },
  ],
  ageNote:
    'Age is counted in calendar months from the birth date in the center\'s time zone: a child is N months old from the same day of the month N months after birth (the last day of the month when that day does not exist), a software convention because the rule gives none. Preschool and school-age depend on attending kindergarten or elementary school, not on age alone.',
  ratios: [
    { category: 'infant', childrenPerStaff: 4, maxGroupSize: 8, cite: 'WAC 110-300-0356; former WAC 388-150-190(1)', verified: 'historical' },
    { category: 'toddler', childrenPerStaff: 7, maxGroupSize: 14, cite: 'WAC 110-300-0356; former WAC 388-150-190(1)', verified: 'historical' },
    { category: 'preschool', childrenPerStaff: 10, maxGroupSize: 20, cite: 'WAC 110-300-0356; former WAC 388-150-190(1)', verified: 'historical' },
    { category: 'school_age', childrenPerStaff: 15, maxGroupSize: 30, cite: 'WAC 110-300-0356; former WAC 388-150-190(1)', verified: 'historical' },
  ],
  requiredStaff: {
    rounding: 'ceil',
    minimumWhenAnyChild: 1,
    cite: 'WAC 110-300-0356 (capacity counts every child on the premises, signed in, on an outing or being transported, 0356(3)); former WAC 388-150-190(1)',
    verified: 'historical',
  },
  mixedAge: {
    method: 'youngest_band',
    cite: 'WAC 110-300-0358 (secondary); former WAC 170-295-2100(1), (5); WAC 110-302-0357(1)(b) analogue',
    verified: 'historical and secondary',
    note: 'Mixed group judged at the ratio and group size of its youngest child\'s band ({band}), per the predecessor rule and secondary reports of WAC 110-300-0358; applied to the children present only (open question 5).',
  },
  groupSizeExempt: {
    activities: [],
    cite: 'no group-size exemption found in WAC 110-300-0356(1)-(3) or the predecessor rules read',
    verified: 'none seen in the sections read; the 0356 ratio table was not visible',
  },
  nap: null,
  napNote:
    'No ratio relief during rest: the predecessor rule kept the ratio during rest periods, and counted staff could do other tasks only while on the premises with every child in continuous sight and hearing (former WAC 170-295-2090(5)); the current 110-300 rest-time section was not read.',

  levels: [
    {
      level: 'aide',
      label: 'aide',
      minAgeYears: 18,
      cite: 'WAC 110-300-0100 (aide subsection not read); conservative: 18 or older',
      verified: false,
    },
    {
      level: 'assistant_teacher',
      label: 'assistant teacher',
      minAgeYears: 18,
      cite: 'DCYF qualifications page (age 18); WAC 110-300-0230(1)',
      verified: 'partly',
    },
    {
      level: 'teacher',
      label: 'lead teacher',
      minAgeYears: 18,
      cite: 'WAC 110-300-0100(6)(a)(i)',
      verified: true,
    },
  ],
  distribution: {
    pattern: ['teacher'],
    repeat: false,
    beyond: 'aide',
    cite: 'former WAC 170-295-2090(3): each group under the direct supervision of a qualified staff person or team (current 110-300 wording not read)',
    verified: 'historical',
    scopeNote:
      'Every group needs a counted lead teacher (or a director qualified as one), the conservative reading of the predecessor rule that a qualified staff person directs each group (open question 3).',
    substitutes: [],
  },
  counting: [
    { role: 'director', counts: 'qualifies_as', minAgeYears: 18, supervisedWhenNotCounted: false, cite: 'WAC 110-300-0230(1); DCYF qualifications page (age 18)', verified: 'partly', reason: 'A director counts only while working with the group, at the level their qualifications meet' },
    { role: 'teacher', counts: 'own_level', minAgeYears: 18, supervisedWhenNotCounted: false, cite: 'WAC 110-300-0100(6)(a); WAC 110-300-0230(1)', verified: true },
    { role: 'assistant_teacher', counts: 'own_level', minAgeYears: 18, supervisedWhenNotCounted: false, cite: 'WAC 110-300-0230(1); DCYF qualifications page', verified: 'partly' },
    { role: 'aide', counts: 'own_level', minAgeYears: 18, supervisedWhenNotCounted: true, cite: 'WAC 110-300-0100 (aide subsection not read); conservative: counted only if 18+ with first aid/CPR and a cleared check', verified: false },
    { role: 'substitute', counts: 'qualifies_as', minAgeYears: null, supervisedWhenNotCounted: false, cite: 'WAC 110-300-0230(1)', verified: 'partly', reason: 'A substitute counts at the level of the role they meet the requirements for' },
    { role: 'volunteer', counts: 'qualifies_as', minAgeYears: null, supervisedWhenNotCounted: true, cite: 'WSR 20-11-026 (paid and volunteer providers who may be counted in ratio); WAC 110-300-0230(1)', verified: true, reason: 'A volunteer counts only when meeting the qualifications of the role filled, with current first aid/CPR' },
    { role: 'student', counts: 'never', minAgeYears: null, supervisedWhenNotCounted: true, cite: 'no provision seen', verified: false, reason: 'No provision for students was seen; a student is not counted' },
  ],
  supervision: {
    supervisorLevels: ['assistant_teacher', 'teacher'],
    supervisorText: 'a counted lead teacher or assistant teacher in the same room',
    cite: 'DCYF qualifications page; chapter 110-06 WAC (not read); conservative: never alone with children until cleared',
    verified: false,
  },
  backgroundStudy: {
    byStatus: {
      not_started: { present: false, counted: false, cite: 'DCYF qualifications page (clearance for every role); chapter 110-06 WAC (not read)' },
      submitted: { present: 'supervised_only', counted: false, cite: 'chapter 110-06 WAC (not read); assumed: present only supervised, never alone with children (open question 6)' },
      cleared: { present: true, counted: true, cite: 'DCYF qualifications page' },
      disqualified: { present: false, counted: false, cite: 'chapter 110-06 WAC (not read)' },
    },
    expiryMonths: null,
    note: 'DCYF background check clearance is listed for every role; status while pending not read.',
    cite: 'DCYF qualifications page; chapter 110-06 WAC (not read)',
    verified: 'partly',
  },
  trainings: [
    {
      id: 'first_aid_cpr',
      label: 'Pediatric and adult first aid and CPR',
      roles: STAFF_ROLES,
      categories: ['infant', 'toddler', 'preschooler', 'school_age'],
      gate: 'before',
      deadline: 'before being counted in ratio',
      renewalMonths: null,
      renewalCite: 'WAC 110-300-0230(1): kept current per the certificate',
      volunteersToCount: true,
      cite: 'WAC 110-300-0230(1); WAC 110-300-0106(11); WSR 20-11-026',
      verified: true,
    },
    {
      id: 'safe_sleep',
      label: 'Safe sleep',
      // JSON: director, teacher, assistant teacher; anyone counted with infants is held to it (stricter).
      roles: STAFF_ROLES,
      categories: ['infant'],
      gate: 'before',
      deadline: 'before caring for infants (assumed)',
      renewalMonths: null,
      volunteersToCount: true,
      cite: "WAC 110-300-0106 (not read); DCYF qualifications page lists 'Safe Sleep (if applicable)'",
      verified: 'partly',
    },
    {
      id: 'child_care_basics',
      label: 'Child Care Basics (includes abusive head trauma prevention)',
      roles: ['director', 'teacher', 'assistant_teacher', 'substitute'],
      categories: ['infant', 'toddler', 'preschooler', 'school_age'],
      // "Within 90 days and before working unsupervised": a counted person in the 90 days would
      // need supervision, which a gate cannot express; taken as required before counting (stricter).
      gate: 'before',
      deadline: 'within 90 days of hire and before working unsupervised (assumed from sister chapters); required here before counting',
      renewalMonths: null,
      volunteersToCount: false,
      cite: 'WAC 110-300-0106 (not read); DCYF qualifications page',
      verified: 'partly',
    },
  ],

  openQuestions: [
    { id: 'Q1', title: 'WAC 110-300-0356 ratio table', engineDefault: 'Predecessor bands and numbers (1:4/8, 1:7/14, 1:10/20, 1:15/30); infants from birth.' },
    { id: 'Q2', title: '9 infants at 1:3', engineDefault: 'Disabled: infants are always 1:4 with a group of 8.' },
    { id: 'Q3', title: 'Lead teacher in each group', engineDefault: 'Every group needs a counted lead teacher (or a director qualified as one).' },
    { id: 'Q4', title: 'Nap relief', engineDefault: 'None: the full ratio applies during rest.' },
    { id: 'Q5', title: 'Youngest-child ratio when the youngest child is absent', engineDefault: 'Applied to the children present only.' },
    { id: 'Q6', title: 'Aide minimum age and counting; pending background check', engineDefault: 'Aides count only from 18 with first aid/CPR and a cleared check; a pending check is not counted and needs same-room supervision.' },
  ],
  notes: [
    'Anyone counted in ratio, volunteers included, must hold current pediatric and adult first aid and CPR, completed before being counted (WAC 110-300-0230(1); WSR 20-11-026).',
    'Capacity counts every child on the premises, signed in, on an off-site trip or being transported, staff\'s own children included (WAC 110-300-0356(3)).',
    'A child with special needs kept past the licensed age (up to 19) counts in capacity and ratio (WAC 110-300-0356(3)(a)); a child with special needs who needs individualized supervision does not count in the ratio (0356(3)(b)). The exclusion is not applied: every child present is counted (stricter).',
    'The former rule allowed 9 infants in one room at 1:3 with enough floor space (former WAC 170-295-2100(6)); not applied until confirmed in 110-300.',
    'In the nature-based chapter, an approved mixed group keeps the youngest child\'s ratio even when that child is absent (WAC 110-302-0357(1)(b)); not applied to centers.',
  ],
};
