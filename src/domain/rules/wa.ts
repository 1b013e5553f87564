import type { RulePack } from '../rule-pack.js';

/**
 * Washington licensed child care centers (ch. 110-300 WAC, Foundational Quality Standards).
 * Source: shared/design/regulations/WA.md and rules/WA.json, and the rule text in
 * regulations/sources/wa-wac-110-300.txt (WAC 110-300-0106, -0356, -0357, read 2026-12-07).
 * Bands, ratios, both 0356(5) options for infants and toddlers, the listed mixes of 0357
 * with their staff minimums and the annual safe sleep renewal are rule text. Counting and
 * first aid/CPR: anyone counted must hold current pediatric and adult first aid and CPR,
 * volunteers included. Preschool and school-age depend on school attendance. The
 * lead-teacher-per-group rule for single-age groups (predecessor) is applied as the
 * conservative reading of open question 3.
 */
const STAFF_ROLES = ['director', 'teacher', 'assistant_teacher', 'aide', 'substitute', 'volunteer'] as const;

export const WA: RulePack = {
  id: 'WA',
  name: 'Washington licensed child care centers',
  timeZone: 'America/Los_Angeles',
  asOf: '2026-01-23',
  asOfNote:
    "WAC 110-300-0106, -0356 and -0357 read in full in a scrape of the Legislature's WAC site dated 2026-01-23 (copy in regulations/sources/wa-wac-110-300.txt); 0356 and 0357 unchanged since WSR 18-15-001 (2018), 0106 last amended by WSR 25-10-051 (effective 2025-06-01). WAC 110-300-0230 read 'current through Register Vol. 25-01, January 1, 2025'.",
  isRecommendation: false,
  appliesTo:
    'Center early learning programs licensed under ch. 110-300 WAC. Not for family homes (same chapter, other sections), school-age programs (ch. 110-301) or outdoor nature-based programs (ch. 110-302).',
  sources: [
    { id: 'wa-0356', title: 'WAC 110-300-0356 Center capacity, ratio, and group size', url: 'https://app.leg.wa.gov/wac/default.aspx?cite=110-300-0356', status: 'read in full (scrape 2026-01-23; copy in regulations/sources/wa-wac-110-300.txt)' },
    { id: 'wa-0357', title: 'WAC 110-300-0357 Center mixed age group capacity, ratio, and group size', url: 'https://app.leg.wa.gov/wac/default.aspx?cite=110-300-0357', status: 'read in full (scrape 2026-01-23)' },
    { id: 'wa-0106', title: 'WAC 110-300-0106 Training and professional development', url: 'https://app.leg.wa.gov/wac/default.aspx?cite=110-300-0106', status: 'read in full (scrape 2026-01-23)' },
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
    cite: 'WAC 110-300-0356(5)(d) ("five years through twelve years of age"); over-age children with special needs (up to 19) count in capacity and ratio, WAC 110-300-0356(3)(a)',
    verified: true,
  },
  bands: [
    {
      id: 'infant',
      label: 'Infant',
      coarse: 'infant',
      from: null,
      to: { months: 12 },
      boundsText: 'birth through 11 months',
      cite: 'WAC 110-300-0356(5)(a) ("birth through eleven months of age")',
      verified: true,
    },
    {
      id: 'toddler',
      label: 'Toddler',
      coarse: 'toddler',
      from: { months: 12 },
      to: { months: 30 },
      boundsText: '12 months through 29 months',
      cite: 'WAC 110-300-0356(5)(b) ("twelve through twenty-nine months of age")',
      verified: true,
    },
    {
      id: 'preschool',
      label: 'Preschool',
      coarse: 'preschooler',
      from: { months: 30 },
      to: null,
      school: 'not_attending',
      boundsText: '30 months until attending kindergarten or elementary school (the rule\'s band runs through 6 years)',
      cite: 'WAC 110-300-0356(5)(c) ("thirty months through six years of age who are not attending kindergarten or elementary school")',
      verified: true,
      olderNote: {
        fromMonths: 84,
        text: 'A child older than 6 who does not attend kindergarten or elementary school is judged as preschool (1:10 / 20), the stricter reading; the preschool band of WAC 110-300-0356(5)(c) runs through 6 years. Set attendsKindergarten once the child attends school.',
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
      cite: 'WAC 110-300-0356(5)(d) ("five years through twelve years of age who are enrolled in or attending kindergarten or elementary school")',
      verified: true,
    },
  ],
  ageNote:
    'Age is counted in calendar months from the birth date in the center\'s time zone: a child is N months old from the same day of the month N months after birth (the last day of the month when that day does not exist), a software convention because the rule gives none. Preschool and school-age depend on attending kindergarten or elementary school, not on age alone.',
  ratios: [
    {
      category: 'infant',
      childrenPerStaff: 4,
      maxGroupSize: 8,
      // "Maximum group size of eight with a ratio of one staff to four children (1:4)"
      cite: 'WAC 110-300-0356(5)(a)(i)',
      verified: true,
      // "Maximum group size of nine with a ratio of 1:3"
      alternatives: [{ childrenPerStaff: 3, maxGroupSize: 9, cite: 'WAC 110-300-0356(5)(a)(ii)', verified: true }],
    },
    {
      category: 'toddler',
      childrenPerStaff: 7,
      maxGroupSize: 14,
      // "Maximum group size of fourteen with a ratio of 1:7"
      cite: 'WAC 110-300-0356(5)(b)(i)',
      verified: true,
      // "Maximum group size of fifteen with a ratio of 1:5"
      alternatives: [{ childrenPerStaff: 5, maxGroupSize: 15, cite: 'WAC 110-300-0356(5)(b)(ii)', verified: true }],
    },
    { category: 'preschool', childrenPerStaff: 10, maxGroupSize: 20, cite: 'WAC 110-300-0356(5)(c)', verified: true },
    { category: 'school_age', childrenPerStaff: 15, maxGroupSize: 30, cite: 'WAC 110-300-0356(5)(d)', verified: true },
  ],
  requiredStaff: {
    rounding: 'ceil',
    minimumWhenAnyChild: 1,
    cite: 'WAC 110-300-0356(5) (minimum ratios); 0356(3) (capacity counts every child on the premises, signed in, on an outing or being transported); 0356(4) (during operating hours, off-site activities and transport included)',
    verified: true,
  },
  mixedAge: {
    method: 'youngest_band',
    // "(a) Meet the square footage and staff-to-child ratio requirements for the youngest child present in the group;"
    cite: 'WAC 110-300-0357(1)(a)',
    verified: true,
    note: 'Mixed group: the staff-to-child ratio of the youngest child present ({band}) (WAC 110-300-0357(1)(a)); the mixes listed in 0357(2)-(9) add a group size and at least 2 or 3 staff present with the group, one a lead teacher.',
    // (2)-(9): "Have at least two staff present with the group, consisting of one lead teacher and one other staff
    // member qualified under this chapter" / "at least three staff ... one lead teacher and two other staff members".
    // Range ends are an engine convention (open question Q8): "to thirty-six months" ends before 36 months;
    // "through kindergarten" before 7 years; "to nine years old" includes nine-year-olds (before 120 months).
    listedMixes: [
      { fromMonths: 0, toMonths: 36, maxGroupSize: 8, childrenPerStaff: 4, minStaff: 2, leadLevel: 'teacher', text: 'children from birth to 36 months', cite: 'WAC 110-300-0357(2)', verified: true },
      { fromMonths: 0, toMonths: 36, maxGroupSize: 9, childrenPerStaff: 3, minStaff: 3, leadLevel: 'teacher', text: 'children from birth to 36 months', cite: 'WAC 110-300-0357(3)', verified: true },
      { fromMonths: 12, toMonths: 36, maxGroupSize: 14, childrenPerStaff: 7, minStaff: 2, leadLevel: 'teacher', text: 'children from 12 to 36 months', cite: 'WAC 110-300-0357(4)', verified: true },
      { fromMonths: 12, toMonths: 36, maxGroupSize: 15, childrenPerStaff: 5, minStaff: 3, leadLevel: 'teacher', text: 'children from 12 to 36 months', cite: 'WAC 110-300-0357(5)', verified: true },
      { fromMonths: 36, toMonths: 84, maxGroupSize: 20, childrenPerStaff: 10, minStaff: 2, leadLevel: 'teacher', text: 'children from 36 months through kindergarten', cite: 'WAC 110-300-0357(6)', verified: 'range endpoint "through kindergarten" taken as before 7 years (84 months), an engine convention (open question Q8)' },
      { fromMonths: 36, toMonths: 84, maxGroupSize: 26, childrenPerStaff: 10, minStaff: 3, leadLevel: 'teacher', text: 'children from 36 months through kindergarten', cite: 'WAC 110-300-0357(7)', verified: 'range endpoint "through kindergarten" taken as before 7 years (84 months), an engine convention (open question Q8)' },
      { fromMonths: 54, toMonths: 120, maxGroupSize: 20, childrenPerStaff: 10, minStaff: 2, leadLevel: 'teacher', text: 'children from 4½ to 9 years', cite: 'WAC 110-300-0357(8)', verified: true },
      { fromMonths: 54, toMonths: 120, maxGroupSize: 26, childrenPerStaff: 10, minStaff: 3, leadLevel: 'teacher', text: 'children from 4½ to 9 years', cite: 'WAC 110-300-0357(9)', verified: true },
    ],
    unlistedNote:
      'Mixed ages outside WAC 110-300-0357(2)-(9): judged at the youngest child\'s ratio and group size (0357(1)(a); the 0356(6) wording), with no staff minimum, since the rule sets none for other mixes (open question Q8).',
  },
  groupSizeExempt: {
    activities: [],
    cite: 'no group-size exemption found in WAC 110-300-0356(1)-(3) or the predecessor rules read',
    verified: 'none seen in the sections read; the 0356 ratio table was not visible',
  },
  nap: null,
  napNote:
    'No ratio relief during rest: WAC 110-300-0265 (sleep, rest, and equipment) has no staffing provision, and ratios apply "during operating hours" (0356(4)).',

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
      // "This training must be completed annually and: (a) Prior to being licensed; or (b) Prior to caring for infants."
      deadline: 'before caring for infants, and annually',
      // "Annual" means "an event that occurs each calendar year, not to exceed 365 days between occurrences" (0005).
      renewalMonths: 12,
      renewalMaxDays: 365,
      renewalCite: 'WAC 110-300-0106(8) ("must be completed annually", effective 2025-06-01, WSR 25-10-051); WAC 110-300-0005 "Annual"',
      renewalVerified: true,
      volunteersToCount: true,
      cite: 'WAC 110-300-0106(8)',
      verified: 'rule text; the role list ("early learning providers licensed to care for infants") is applied to anyone counted with infants, the stricter reading',
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
      cite: 'WAC 110-300-0106(3); DCYF qualifications page',
      verified: 'rule text (0106(3)); required before counting rather than before working unsupervised (stricter)',
    },
  ],

  changes: [
    { on: '2026-12-07', text: "Infant groups may be 9 at 1:3 and toddler groups 15 at 1:5, besides 8 at 1:4 and 14 at 1:7. Before, these groups were flagged over group size.", cite: "WAC 110-300-0356(5)(a)(ii), (b)(ii)" },
    { on: '2026-12-07', text: "Mixed-age groups follow 0357 (the pack cited 0358, the family home capacity waiver). A listed mix (birth\u201336 months, 12\u201336 months, 36 months through kindergarten, 4\u00bd\u20139 years) needs at least 2 staff with the group, one a lead teacher, even when the ratio gives 1; groups of 9, 15 and 26 are allowed with 3. Before, one staff member was accepted and the larger groups were flagged.", cite: "WAC 110-300-0357(1)(a), (2)\u2013(9)" },
    { on: '2026-12-07', text: "Safe sleep training must be renewed every year (12 months, no more than 365 days apart). Before, it never expired.", cite: "WAC 110-300-0106(8); 0005 \"Annual\"" },
    { on: '2026-12-07', text: "The age bands and the ratio table are now rule text, no longer taken from the predecessor rules.", cite: "WAC 110-300-0356(5)" },
  ],
  openQuestions: [
    { id: 'Q3', title: 'Lead teacher in single-age groups', engineDefault: 'Every group needs a counted lead teacher (or a director qualified as one); the listed mixes of 0357 need one by rule text.' },
    { id: 'Q6', title: 'Aide minimum age and counting; pending background check', engineDefault: 'Aides count only from 18 with first aid/CPR and a cleared check; a pending check is not counted and needs same-room supervision.' },
    { id: 'Q7', title: 'Do the 0357 staff minimums bind during the 0356(6) first and last two hours?', engineDefault: 'Yes, at all times (the stricter reading); no center-level switch yet.' },
    { id: 'Q8', title: 'Mixes outside 0357(2)-(9) and the ends of the listed ranges', engineDefault: 'Other mixes: the youngest child\'s ratio and group size, no staff minimum, flagged. Ranges end before 36 months, before 7 years ("through kindergarten") and before 10 years ("to nine years old").' },
    { id: 'Q9', title: 'The 0356(6) two-hour combining limit and the 0356(10) single-staff hour', engineDefault: 'Not modelled per room.' },
    { id: 'Q10', title: 'A child with individualized supervision (0356(3)(b))', engineDefault: 'Every child present is counted (stricter); no per-child flag yet.' },
  ],
  notes: [
    'Anyone counted in ratio, volunteers included, must hold current pediatric and adult first aid and CPR, completed before being counted (WAC 110-300-0230(1); WSR 20-11-026).',
    'Capacity counts every child on the premises, signed in, on an off-site trip or being transported, staff\'s own children included (WAC 110-300-0356(3)).',
    'A child with special needs kept past the licensed age (up to 19) counts in capacity and ratio (WAC 110-300-0356(3)(a)); a child with special needs who needs individualized supervision does not count in the ratio (0356(3)(b)). The exclusion is not applied: every child present is counted (stricter).',
    'Infants may be a group of 9 at 1:3 and toddlers a group of 15 at 1:5, beside 8 at 1:4 and 14 at 1:7 (WAC 110-300-0356(5)(a)(ii), (b)(ii)); a group meets its band under either row. Changed 2026-12-07: before, such groups were flagged over group size.',
    'Mixed-age groups follow WAC 110-300-0357 (earlier versions of this pack cited 0358, which is the family home capacity waiver). Changed 2026-12-07: a listed mix needs at least 2 staff, one a lead teacher (3 for the groups of 9, 15 and 26), even when the ratio asks for 1.',
    'Safe sleep training is renewed annually: 12 months, no more than 365 days apart (WAC 110-300-0106(8); 0005 "Annual"). Changed 2026-12-07: before, it never expired.',
    'Groups may be combined in the first or last two hours of the day, at most two hours a day, at the youngest child\'s ratio and group size (0356(6)); one staff member may care for the only group on site for up to an hour at the start or end of the day, free of other duties, with a second cleared person on site (0356(10)). Neither is judged per room.',
    'The center must inform the department of its mixed age group policy (WAC 110-300-0357(1)(c)).',
    'In the nature-based chapter, an approved mixed group keeps the youngest child\'s ratio even when that child is absent (WAC 110-302-0357(1)(b)); not applied to centers.',
  ],
};
