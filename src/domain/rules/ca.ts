import type { RulePack } from '../rule-pack.js';

/**
 * California licensed child care centers (Cal. Code Regs. tit. 22, div. 12, ch. 1).
 * Source: shared/design/regulations/CA.md and rules/CA.json. California counts teachers,
 * and an aide counts only paired with a teacher (`pairing`, `RatioRow.pairs`): preschool
 * 12 per teacher, 15 per teacher and aide, 18 per fully qualified teacher and an aide
 * meeting 101216.2(d); school-age 14 per teacher, 28 per teacher and aide; infants 4 per
 * teacher, or 4 per aide while a fully qualified teacher directly supervises at most 12
 * (`aidesUnderLead`). An aide never counts alone and every group needs a teacher. The
 * off-site ratios are in `notes`; the optional toddler component is not offered (Q3).
 */
export const CA: RulePack = {
  id: 'CA',
  name: 'California licensed child care centers (Title 22)',
  timeZone: 'America/Los_Angeles',
  asOf: null,
  asOfNote:
    "Section texts read from Westlaw (govt.westlaw.com) and the CA Quality Early Learning Title 22 mirror; no 'current through' date shown. Confirm against the current CCR before release.",
  isRecommendation: false,
  appliesTo:
    'Child care centers licensed under 22 CCR div. 12 ch. 1: preschool centers, infant care centers or infant components, and school-age centers. Not for family child care homes (ch. 3) or CDE-funded Title 5 programs, which use 5 CCR ratios (22 CCR 101216.3(c)).',
  sources: [
    { id: 'ca-101216-3', title: '22 CCR 101216.3 Teacher-Child Ratio (Westlaw)', url: 'https://govt.westlaw.com/calregs/Document/IA3E61DB0D4C011DE8879F88E8B0DAAAE?viewType=FullText&originationContext=documenttoc&transitionType=CategoryPageItem&contextData=(sc.Default)', status: 'read' },
    { id: 'ca-101230', title: '22 CCR 101230 Activities/Napping', url: 'https://t22.caqualityearlylearning.org/continuing-requirements/activities-napping', status: 'read (mirror)' },
    { id: 'ca-101416-5', title: '22 CCR 101416.5 Staff-Infant Ratio', url: 'https://t22.caqualityearlylearning.org/continuing-requirements-1/staff-infant-ratio', status: 'read (mirror)' },
    { id: 'ca-101229', title: '22 CCR 101229 Responsibility for providing care and supervision', url: 'https://t22.caqualityearlylearning.org/continuing-requirements/responsibility-for-providing-care-and-supervision', status: 'read (mirror)' },
    { id: 'ca-hsc-1597-059', title: 'Health & Safety Code 1597.059 (aide with fully qualified teacher, 18 preschoolers)', url: 'https://law.onecle.com/california/health/1597.059.html', status: 'read' },
    { id: 'ca-5-18291', title: '5 CCR 18291 Commingling of age categories (Title 5 / CDE-funded programs only)', url: 'http://carules.elaws.us/code/t.5_d.1_ch.19_subch.13_sec.18291', status: 'read (not applied: Title 5 programs only)' },
    { id: 'ca-staffing-secondary', title: 'Title 22 staffing summary (aide age, ROP, supervision) - secondary', url: 'http://www.msjc.edu/ChildDevelopmentandEducation/Pages/Licensing-Requirements.aspx', status: 'secondary' },
    { id: 'ca-quals-secondary', title: 'Title 22 qualifications summary (15 h health and safety training) - secondary', url: 'http://www.childaction.org/providers/typesofcare/title22.asp', status: 'secondary' },
  ],

  minimumAge: null,
  maximumAge: null,
  bands: [
    {
      id: 'infant',
      label: 'Infant',
      coarse: 'infant',
      from: null,
      to: { months: 24 },
      boundsText: 'birth to 2 years (24 months), infant care center rules',
      cite: '22 CCR 101416.5 (infant definition in 22 CCR 101152, not read)',
      verified: 'boundary not read',
    },
    // The optional toddler component (18 to 36 months, 22 CCR 101216.4, not read) overlaps
    // both bands around it and is off unless a center runs it: not a band here (Q3).
    {
      id: 'preschool',
      label: 'Preschool-age',
      coarse: 'preschooler',
      from: { months: 24 },
      to: null,
      school: 'not_attending',
      boundsText: '2 years until enrolled in kindergarten or a school-age program',
      cite: '22 CCR 101216.3; H&SC 1597.059(b)',
      verified: 'boundary not read',
    },
    {
      id: 'school_age',
      label: 'School-age',
      coarse: 'school_age',
      from: null,
      to: null,
      school: 'attending',
      boundsText: 'enrolled in kindergarten or above',
      cite: 'school-age Teacher-Child Ratio (Title 22 mirror; cited as 22 CCR 101516.5); boundary definition not read',
      verified: 'boundary not read',
    },
  ],
  ageNote:
    'Age is counted in calendar months from the birth date in the center\'s time zone (a software convention; 22 CCR 101152 was not read). A child who attends kindergarten or school is school-age whatever the age; set attendsKindergarten once the child attends.',
  ratios: [
    {
      category: 'infant',
      childrenPerStaff: 4,
      maxGroupSize: null,
      // "one teacher for every four infants"
      cite: '22 CCR 101416.5(b)',
      verified: true,
      // Aides in place of teachers: "a fully qualified teacher directly supervising no more than 12 infants",
      // and "each aide is responsible ... no more than four infants".
      aidesUnderLead: { leadLevel: 'fully_qualified_teacher', maxChildrenPerLead: 12, cite: '22 CCR 101416.5(b)(1)(A)-(B)', verified: true },
    },
    {
      category: 'preschool',
      childrenPerStaff: 12,
      maxGroupSize: null,
      // "one teacher visually observing and supervising no more than 12 children"
      cite: '22 CCR 101216.3(a)',
      groupSizeCite: '22 CCR 101216.3(a)(1) (no maximum group size beyond licensed capacity)',
      verified: true,
      pairs: [
        // "one teacher and one aide for every 15 children"
        { teacherLevel: 'teacher', aideLevel: 'aide', children: 15, cite: '22 CCR 101216.3(b)', verified: true },
        // a fully qualified teacher with an aide meeting 101216.2(d): 18; not in infant or school-age centers
        { teacherLevel: 'fully_qualified_teacher', aideLevel: 'qualified_aide', children: 18, cite: '22 CCR 101216.3(b)(1), (b)(1)(A); H&SC 1597.059', verified: true },
      ],
    },
    {
      category: 'school_age',
      childrenPerStaff: 14,
      maxGroupSize: null,
      // "A teacher shall supervise no more than 14 children or with an aide a maximum of 28"
      cite: 'school-age Teacher-Child Ratio (b)(1) (cited as 22 CCR 101516.5; the mirror does not show the section number)',
      verified: 'rule text; section number not shown on the mirror read',
      // "one teacher and one aide present to every 28 children"
      pairs: [{ teacherLevel: 'teacher', aideLevel: 'aide', children: 28, cite: 'school-age Teacher-Child Ratio (b) (cited as 22 CCR 101516.5)', verified: 'rule text; section number not shown on the mirror read' }],
    },
  ],
  pairing: {
    aideLevels: ['aide', 'qualified_aide'],
    text: 'An aide counts only paired with a teacher (each teacher with one aide at most) and never alone: "An aide shall work only under the direct supervision of a teacher".',
    cite: '22 CCR 101216.2; 101216.3(b); 101416.5(b)(1); 101229(a)(1)',
    verified: true,
  },
  requiredStaff: {
    rounding: 'ceil',
    minimumWhenAnyChild: 1,
    cite: '22 CCR 101216.3(a); 101416.5(b); 101229(a)(1) (no child without the supervision of a teacher)',
    verified: true,
  },
  mixedAge: {
    method: 'youngest_band',
    cite: 'school-age Teacher-Child Ratio (c) ("based on the age of the youngest child in the group"); 22 CCR 101216.3, 101416.5 (no commingling rule for preschool and infant centers in the sections read)',
    verified: 'rule text for school-age centers; preschool and infant centers: absence of a rule in the sections read (Q1)',
    note: 'Mixed group judged at the ratio of its youngest band ({band}): the Title 22 center sections read give no commingling rule, so the stricter reading is used (the 50% rule of 5 CCR 18291 is for Title 5 programs only).',
  },
  groupSizeExempt: {
    activities: [],
    cite: '22 CCR 101216.3(a)(1) (no general maximum group size for centers beyond licensed capacity)',
    verified: true,
    note: 'Title 22 sets no group size for these bands, so there is nothing to exempt; the room\'s own limit, if set, applies at all times.',
  },
  nap: {
    childrenPerStaff: { infant: 12, preschool: 24 },
    description:
      'Napping preschoolers: 1 teacher may supervise up to 24 in the room; sleeping infants: 1 teacher per 12. Both only if the rest of the staff needed for the normal ratio (1:12, infants 1:4) are immediately available in the center; an aide aged 18+ meeting 101216 and 101216.2 may take the teacher\'s place (not applied: aides count only paired with a teacher). The center-wide availability is not checked by the engine: confirm it.',
    cite: '22 CCR 101230(c), (c)(1); 101216.3(f); 101416.5(d), (d)(1)',
    verified: true,
  },
  napNote:
    'At nap time the room needs 1 teacher per 24 napping preschoolers or 12 sleeping infants, provided the rest of the teachers needed for the normal ratio are immediately available in the center (22 CCR 101230(c); 101416.5(d)); the engine checks the room only.',

  levels: [
    {
      level: 'aide',
      label: 'aide',
      minAgeYears: 16,
      cite: '22 CCR 101216.2 (an aide may be under 18 if a high-school graduate or in an occupational program); 16 is the software\'s floor',
      verified: 'rule text for "under 18"; the floor of 16 is not in the text read',
    },
    {
      level: 'qualified_aide',
      label: 'aide meeting 101216.2(d)',
      minAgeYears: 16,
      cite: '22 CCR 101216.2(d); 101216.3(b)(1)(A) (the aide with a fully qualified teacher for 18 preschoolers)',
      verified: true,
    },
    {
      level: 'teacher',
      label: 'teacher',
      minAgeYears: 18,
      cite: '22 CCR 101216.1 (secondary summary)',
      verified: false,
    },
    {
      level: 'fully_qualified_teacher',
      label: 'fully qualified teacher',
      minAgeYears: 18,
      cite: 'H&SC 1597.059; 22 CCR 101216.3(b)(1); 101416.5(b)(1)(A) (12 units and 6 months, or permit/CDA: open question Q6)',
      verified: 'partly: H&SC 1597.059 read; the qualification is a person attribute the center records (Q6)',
    },
  ],
  distribution: {
    pattern: ['teacher'],
    repeat: false,
    beyond: 'aide',
    cite: '22 CCR 101229(a)(1) (no child without a teacher\'s supervision); 101216.2 ("An aide shall work only under the direct supervision of a teacher")',
    verified: true,
    scopeNote: 'Every group needs a counted teacher; aides count only paired with one.',
    substitutes: [],
  },
  counting: [
    { role: 'director', counts: 'qualifies_as', minAgeYears: 18, supervisedWhenNotCounted: false, cite: '22 CCR 101216.3(d), (d)(1); 101416.5(c)', verified: true, reason: 'A director (or substitute director) counts only while actually teaching a group (infant centers: working with infants), at the level their qualifications meet' },
    { role: 'teacher', counts: 'own_level', minAgeYears: 18, supervisedWhenNotCounted: false, cite: '22 CCR 101216.3(a); 101216.1 (age via secondary summary)', verified: 'partly' },
    { role: 'assistant_teacher', counts: 'qualifies_as', minAgeYears: null, supervisedWhenNotCounted: true, cite: '22 CCR 101216.3(b) (Title 22 names only teachers and aides; open question Q2)', verified: 'inferred', reason: 'Title 22 has no assistant teacher: counted at the level on record, a teacher with teacher qualifications, otherwise an aide (counted only paired with a teacher)' },
    { role: 'aide', counts: 'own_level', minAgeYears: null, supervisedWhenNotCounted: true, cite: '22 CCR 101216.2; 101216.3(b), (b)(1); 101416.5(b)(1); school-age Teacher-Child Ratio (b)', verified: true, reason: 'An aide counts only paired with a teacher (preschool 15, or 18 with a fully qualified teacher and an aide meeting 101216.2(d); school-age 28; infants 4 per aide under a fully qualified teacher), never alone' },
    { role: 'substitute', counts: 'qualifies_as', minAgeYears: null, supervisedWhenNotCounted: false, cite: '22 CCR 101216.3(e)', verified: true, reason: 'A qualified teacher substitute from the center\'s list counts at the level their qualifications meet' },
    { role: 'volunteer', counts: 'never', minAgeYears: null, supervisedWhenNotCounted: true, cite: '22 CCR 101416.5(b)(2)(A)', verified: true, reason: 'Adult volunteers count only toward the 1:2 off-site infant ratio, which this pack does not evaluate; never counted on site' },
    { role: 'student', counts: 'never', minAgeYears: null, supervisedWhenNotCounted: true, cite: 'no provision seen', verified: false, reason: 'No provision for students was seen; a student is not counted' },
  ],
  supervision: {
    supervisorLevels: ['teacher', 'fully_qualified_teacher'],
    supervisorText: 'a counted teacher in the same room',
    cite: '22 CCR 101229(a)(1) (no child without a teacher\'s supervision); 101216.3(a) (the teacher must visually observe and supervise); same-room reading',
    verified: 'rule text for teacher supervision; "same room" is the software\'s reading',
  },
  backgroundStudy: {
    byStatus: {
      not_started: { present: false, counted: false, cite: 'H&SC 1596.871; 22 CCR 101170 (not read): clearance before employment or presence' },
      submitted: { present: false, counted: false, cite: 'H&SC 1596.871; 22 CCR 101170 (not read): clearance or exemption before employment or initial presence in the center' },
      cleared: { present: true, counted: true, cite: 'H&SC 1596.871 (criminal record clearance or exemption)' },
      disqualified: { present: false, counted: false, cite: 'H&SC 1596.871; 22 CCR 101170 (not read)' },
    },
    expiryMonths: null,
    note: 'Criminal record clearance or an exemption is needed before employment or initial presence in the center; record an exemption as cleared.',
    cite: 'H&SC 1596.871; 22 CCR 101170 (not read)',
    verified: false,
  },
  trainings: [
    {
      id: 'health_safety_15h',
      label: '15 hours health and safety training incl. pediatric first aid and CPR',
      // JSON: directors and teachers; anyone counted as a teacher needs it.
      roles: ['director', 'teacher', 'assistant_teacher', 'substitute'],
      categories: ['infant', 'toddler', 'preschooler', 'school_age'],
      gate: 'before',
      deadline: 'before counting (a teacher qualification)',
      renewalMonths: 24,
      renewalCite: 'first aid/CPR renewed per certificate; 24 months assumed (open question Q5)',
      renewalVerified: false,
      volunteersToCount: false,
      cite: 'H&SC 1596.866 (not read; secondary summary)',
      verified: false,
    },
    {
      id: 'infant_units',
      label: '3 semester units in infant care (infant teachers)',
      roles: ['director', 'teacher', 'assistant_teacher', 'substitute'],
      categories: ['infant'],
      gate: 'before',
      deadline: 'before teaching infants (a teacher qualification)',
      renewalMonths: null,
      volunteersToCount: false,
      cite: '22 CCR 101415 (secondary)',
      verified: false,
    },
  ],

  changes: [
    { on: '2026-12-07', text: "Aides count when paired with a teacher: 15 preschoolers per teacher and aide (18 with a fully qualified teacher and an aide meeting 101216.2(d)), 28 school-age children per teacher and aide, and aides at 4 infants each under a fully qualified teacher supervising no more than 12. Before, aides were never counted.", cite: "22 CCR 101216.3(b), (b)(1); 101416.5(b)(1); school-age Teacher-Child Ratio (b)" },
  ],
  openQuestions: [
    { id: 'Q1', title: 'Mixed ages', engineDefault: 'A mixed group takes the ratio of its youngest band; any infant means 1:4 for everyone.' },
    { id: 'Q2', title: 'Assistant teachers', engineDefault: 'An assistant teacher counts at the level recorded: as a teacher with teacher qualifications, otherwise as an aide (only paired with a teacher).' },
    { id: 'Q3', title: 'Toddler component and school-age ratios', engineDefault: 'Toddler option not offered (children 2 and older are preschool-age); school-age 1:14 from secondary sources.' },
    { id: 'Q4', title: 'Infant age boundary', engineDefault: 'Infant = under 24 months.' },
    { id: 'Q5', title: 'Training and clearance timing', engineDefault: 'No clearance: not counted and not present. Trainings count only while current (first aid/CPR 24 months).' },
    { id: 'Q6', title: 'Which teacher is "fully qualified"', engineDefault: 'A level the center records per person: it allows the 18-preschooler pair with an aide meeting 101216.2(d), and aides standing in for infant teachers.' },
  ],
  notes: [
    'Full preschool rule: capacity = 12 x (teachers without an aide) + 15 x (teacher + aide pairs) + 18 x (fully qualified teacher + aide meeting 101216.2(d) pairs), each pair with a distinct teacher and no aide alone (22 CCR 101216.3(a), (b), (b)(1); H&SC 1597.059). The 18-child pairing is not allowed in infant or school-age centers (101216.3(b)(1)(A)). Changed 2026-12-07: applied; before, aides were never counted (1:12 only).',
    'Full infant rule: 1 teacher per 4 infants, or aides at 4 infants each with a fully qualified teacher directly supervising at most 12 infants (22 CCR 101416.5(b), (b)(1)(A)-(B)). Changed 2026-12-07: applied; with more than 12 infants per fully qualified teacher, aides add nothing.',
    'School-age: 1 teacher per 14, teacher + aide per 28, and mixed ages by the youngest child (school-age Teacher-Child Ratio (b), (b)(1), (c), rule text read 2026-12-07 on a mirror that does not show the section number; cited as 22 CCR 101516.5). Changed 2026-12-07: the pair of 28 is applied.',
    'Off-site: no teacher may be in charge of more than 12 preschoolers away from the center (22 CCR 101216.3(a)(2)); infants away from the center need 1 adult per 2 infants, and parents or authorized representatives and adult volunteers may make up that number (101416.5(b)(2), (b)(2)(A)). Not evaluated: check infant outings by hand.',
    'Aides may be under 18 if high-school graduates or enrolled in an occupational (ROP) program, must be supervised by a teacher and may not supervise a group alone; an aide 18+ may supervise napping children (22 CCR 101216.2 secondary; 101230(c)(1)).',
    'Optional toddler component (18 to 36 months, 1:6, group of 12; 22 CCR 101216.4, not read): not offered by this pack.',
    'Title 5 (CDE-funded) programs use 5 CCR ratios instead of 101216.3 (101216.3(c)), including the commingling rule of 5 CCR 18291 (younger category over 50%: its ratio for all); not modelled here.',
  ],
};
