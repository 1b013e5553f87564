import type { RulePack } from '../rule-pack.js';

/**
 * California licensed child care centers (Cal. Code Regs. tit. 22, div. 12, ch. 1).
 * Source: shared/design/regulations/CA.md and rules/CA.json. California counts teachers:
 * an aide adds capacity only in a pair with a teacher (12 -> 15 -> 18 preschoolers), which
 * one children-per-staff number cannot express. This pack takes the stricter per-person
 * reading: only teachers count (1 teacher : 12 preschoolers, 1 : 4 infants), aides are
 * never counted and must be supervised by a teacher. The pair model, the infant aide rule
 * and the off-site ratios are in `notes`. School-age figures and the age boundaries were
 * not read in rule text; the optional toddler component is not offered (open question Q3).
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
      cite: '22 CCR 101516.5 (not read)',
      verified: false,
    },
  ],
  ageNote:
    'Age is counted in calendar months from the birth date in the center\'s time zone (a software convention; 22 CCR 101152 was not read). A child who attends kindergarten or school is school-age whatever the age; set attendsKindergarten once the child attends.',
  ratios: [
    {
      category: 'infant',
      childrenPerStaff: 4,
      maxGroupSize: null,
      cite: '22 CCR 101416.5(b)',
      verified:
        'rule text for 1 teacher : 4 infants (22 CCR 101416.5(b)); aides standing in for teachers at 1:4 with a fully qualified teacher directly supervising at most 12 infants (101416.5(b)(1)(A)-(B)) are not expressed: aides are not counted (stricter)',
    },
    {
      category: 'preschool',
      childrenPerStaff: 12,
      maxGroupSize: null,
      cite: '22 CCR 101216.3(a)',
      groupSizeCite: '22 CCR 101216.3(a)(1) (no maximum group size beyond licensed capacity)',
      verified:
        'rule text for 1 teacher : 12 (22 CCR 101216.3(a)); the teacher+aide capacities of 15 and, with a fully qualified teacher and a qualifying aide, 18 (101216.3(b), (b)(1); H&SC 1597.059) are not expressed: aides are not counted (stricter)',
    },
    {
      category: 'school_age',
      childrenPerStaff: 14,
      maxGroupSize: null,
      cite: '22 CCR 101516.5 (not read; secondary)',
      verified: 'not read (secondary); the teacher+aide capacity of 28 is not expressed: aides are not counted (stricter)',
    },
  ],
  requiredStaff: {
    rounding: 'ceil',
    minimumWhenAnyChild: 1,
    cite: '22 CCR 101216.3(a); 101416.5(b); 101229(a)(1) (no child without the supervision of a teacher)',
    verified: true,
  },
  mixedAge: {
    method: 'youngest_band',
    cite: '22 CCR 101216.3; 22 CCR 101416.5 (no commingling rule in the Title 22 center sections read)',
    verified: 'absence of a rule in sections read',
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
      'Napping preschoolers: 1 teacher may supervise up to 24 in the room; sleeping infants: 1 teacher per 12. Both only if the rest of the staff needed for the normal ratio (1:12, infants 1:4) are immediately available in the center; an aide aged 18+ meeting 101216 and 101216.2 may take the teacher\'s place, but aides are not counted by this pack. The center-wide availability is not checked by the engine: confirm it.',
    cite: '22 CCR 101230(c), (c)(1); 101216.3(f); 101416.5(d), (d)(1)',
    verified: true,
  },
  napNote:
    'At nap time the room needs 1 teacher per 24 napping preschoolers or 12 sleeping infants, provided the rest of the teachers needed for the normal ratio are immediately available in the center (22 CCR 101230(c); 101416.5(d)); the engine checks the room only.',

  levels: [
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
  distribution: null,
  counting: [
    { role: 'director', counts: 'qualifies_as', minAgeYears: 18, supervisedWhenNotCounted: false, cite: '22 CCR 101216.3(d), (d)(1); 101416.5(c)', verified: true, reason: 'A director (or substitute director) counts only while actually teaching a group (infant centers: working with infants), at the level their qualifications meet' },
    { role: 'teacher', counts: 'own_level', minAgeYears: 18, supervisedWhenNotCounted: false, cite: '22 CCR 101216.3(a); 101216.1 (age via secondary summary)', verified: 'partly' },
    { role: 'assistant_teacher', counts: 'qualifies_as', minAgeYears: null, supervisedWhenNotCounted: true, cite: '22 CCR 101216.3(b) (Title 22 names only teachers and aides; open question Q2)', verified: 'inferred', reason: 'Title 22 has no assistant teacher: counted as a teacher only with teacher qualifications, otherwise treated as an aide (not counted)' },
    { role: 'aide', counts: 'never', minAgeYears: null, supervisedWhenNotCounted: true, cite: '22 CCR 101216.3(b); 101229(a)(1); 101230(c)(1)', verified: 'partly: an aide adds capacity only paired with a teacher; not counting aides is the pack\'s stricter stand-in for the pair model', reason: 'An aide adds capacity only in a pair with a teacher (12 -> 15 -> 18), which this pack does not express: not counted, and must be supervised by a teacher' },
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

  openQuestions: [
    { id: 'Q1', title: 'Mixed ages', engineDefault: 'A mixed group takes the ratio of its youngest band; any infant means 1:4 for everyone.' },
    { id: 'Q2', title: 'Assistant teachers', engineDefault: 'Anyone without teacher qualifications is treated as an aide (not counted).' },
    { id: 'Q3', title: 'Toddler component and school-age ratios', engineDefault: 'Toddler option not offered (children 2 and older are preschool-age); school-age 1:14 from secondary sources.' },
    { id: 'Q4', title: 'Infant age boundary', engineDefault: 'Infant = under 24 months.' },
    { id: 'Q5', title: 'Training and clearance timing', engineDefault: 'No clearance: not counted and not present. Trainings count only while current (first aid/CPR 24 months).' },
    { id: 'Q6', title: 'Which teacher is "fully qualified"', engineDefault: 'A level the center records per person; not used for ratio while aides are not counted.' },
  ],
  notes: [
    'Full preschool rule: capacity = 12 x (teachers without an aide) + 15 x (teacher + aide pairs) + 18 x (fully qualified teacher + aide meeting 101216.2(d) pairs), each pair with a distinct teacher and no aide alone (22 CCR 101216.3(a), (b), (b)(1); H&SC 1597.059). The 18-child pairing is not allowed in infant or school-age centers (101216.3(b)(1)(A)). This pack counts teachers only (1:12): stricter.',
    'Full infant rule: 1 teacher per 4 infants, or aides at 4 infants each with a fully qualified teacher directly supervising at most 12 infants (22 CCR 101416.5(b), (b)(1)(A)-(B)). This pack counts teachers only (1:4): stricter.',
    'School-age: 1 teacher per 14, teacher + aide per 28 (22 CCR 101516.5, not read, secondary). This pack counts teachers only (1:14).',
    'Off-site: no teacher may be in charge of more than 12 preschoolers away from the center (22 CCR 101216.3(a)(2)); infants away from the center need 1 adult per 2 infants, and parents or authorized representatives and adult volunteers may make up that number (101416.5(b)(2), (b)(2)(A)). Not evaluated: check infant outings by hand.',
    'Aides may be under 18 if high-school graduates or enrolled in an occupational (ROP) program, must be supervised by a teacher and may not supervise a group alone; an aide 18+ may supervise napping children (22 CCR 101216.2 secondary; 101230(c)(1)).',
    'Optional toddler component (18 to 36 months, 1:6, group of 12; 22 CCR 101216.4, not read): not offered by this pack.',
    'Title 5 (CDE-funded) programs use 5 CCR ratios instead of 101216.3 (101216.3(c)), including the commingling rule of 5 CCR 18291 (younger category over 50%: its ratio for all); not modelled here.',
  ],
};
