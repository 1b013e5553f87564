import type { RulePack } from '../rule-pack.js';

/**
 * Wisconsin licensed group child care centers (Wis. Admin. Code ch. DCF 251).
 * Source: shared/design/regulations/WI.md and rules/WI.json. The ratio and group-size
 * table is an image on the official site, so every band and number comes from a
 * secondary summary and is marked `verified: false`; the grouping, nap and group-size
 * exemption rules were read in rule text (some only in the prior DCF 251.05 numbering).
 * Mixed ages are judged pro rata. Center-wide minimums, the center-wide nap rule and
 * the assistant teacher's opening/closing exception cannot be expressed per room: the
 * stricter per-room reading is used and the full rules are in `notes`.
 */
const STAFF_ROLES = ['director', 'teacher', 'assistant_teacher', 'aide', 'substitute', 'volunteer'] as const;

export const WI: RulePack = {
  id: 'WI',
  name: 'Wisconsin licensed group child care centers',
  timeZone: 'America/Chicago',
  asOf: null,
  asOfNote:
    'Current chapter text read from the Legislature preview site (DCF 251.055 numbering); older production text (DCF 251.05(3)-(4), Table 251.05-D) read for provisions whose new subsection number was not visible. The chapter\'s effective date was not confirmed: check it before release.',
  isRecommendation: false,
  appliesTo:
    'Group child care centers licensed under Wis. Admin. Code ch. DCF 251 (9 or more children). Not for family child care (DCF 250) or certified care (DCF 202).',
  sources: [
    { id: 'wi-251-055-preview', title: 'Wis. Admin. Code DCF 251.055(2)(e)-(k), Legislature preview site', url: 'https://docs-preview.legis.wisconsin.gov/scroll/down/472/code/admin_code/dcf/201_252/251', status: 'read ((2)(e)-(k); the list in (2)(k) cut off)' },
    { id: 'wi-251-toc', title: 'Chapter DCF 251 contents (251.05 Staff; 251.055 Supervision and grouping of children)', url: 'https://docslib.org/doc/3826823/chapter-dcf-251', status: 'read (contents only)' },
    { id: 'wi-251-05-4-old', title: 'DCF 251.05(4) Staffing and grouping (prior numbering, Table 251.05-D)', url: 'http://docs.legis.wisconsin.gov/code/admin_code/dcf/201_252/251/05/4?view=section', status: 'read (prior numbering; table is an image)' },
    { id: 'wi-251-05-3-old', title: 'DCF 251.05(3) Supervision (prior numbering)', url: 'https://docs.legis.wisconsin.gov/code/admin_code/dcf/201_252/251/05/4/L', status: 'read (prior numbering)' },
    { id: 'wi-251-05-1-mirror', title: 'DCF 251.05(1)(a)-(c) competency, shaken baby, CPR (unofficial mirror)', url: 'http://wirules.elaws.us/rule/DCF251.05(2)(c)2', status: 'read (unofficial mirror)' },
    { id: 'wi-251-09', title: 'DCF 251.09 infant and toddler care (preview site)', url: 'https://docs-preview.legis.wisconsin.gov/exec_review/admin_code/dcf/201_252/251/09/3/a/2', status: 'read ((3)(e), preview text)' },
    { id: 'wi-251-05-orient', title: 'DCF 251.05 orientation list incl. SIDS review (preview site)', url: 'https://docs-preview.legis.wisconsin.gov/document/administrativecode/DCF%20251.05(4)(c)6.b.', status: 'read (orientation list)' },
    { id: 'wi-dcf-rulemaking', title: 'DCF Child Care Rulemaking Projects (16-year-old assistant teachers, 2025-27 budget)', url: 'https://dcf.wisconsin.gov/childcare/ccadminrule', status: 'read' },
    { id: 'wi-table-secondary', title: 'Secondary summary of the Wisconsin ratio/group-size table', url: 'https://childcaredesign.com/wisconsin-child-care-requirements/', status: 'secondary; the official table was not read (image)' },
  ],

  minimumAge: null,
  maximumAge: null,
  bands: [
    {
      id: 'birth_to_2',
      label: 'Birth to 2 years',
      coarse: 'infant',
      from: null,
      to: { months: 24 },
      boundsText: 'birth to 2 years (24 months)',
      cite: 'DCF 251.055 Table (values via secondary source; table is an image on the official site)',
      verified: false,
      note: 'One band covers what other states split into infant and toddler; "infant" is only the display category.',
    },
    {
      id: '2_to_2_5',
      label: '2 years to 2 1/2 years',
      coarse: 'toddler',
      from: { months: 24 },
      to: { months: 30 },
      boundsText: '2 years (24 months) to 2 1/2 years (30 months)',
      cite: 'DCF 251.055 Table (via secondary source)',
      verified: false,
    },
    {
      id: '2_5_to_3',
      label: '2 1/2 years to 3 years',
      coarse: 'toddler',
      from: { months: 30 },
      to: { months: 36 },
      boundsText: '2 1/2 years (30 months) to 3 years',
      cite: 'DCF 251.055 Table (via secondary source)',
      verified: false,
    },
    {
      id: '3_years',
      label: '3 years',
      coarse: 'preschooler',
      from: { months: 36 },
      to: { months: 48 },
      boundsText: '3 years to 4 years',
      cite: 'DCF 251.055 Table (via secondary source)',
      verified: false,
    },
    {
      id: '4_years',
      label: '4 years',
      coarse: 'preschooler',
      from: { months: 48 },
      to: { months: 60 },
      boundsText: '4 years to 5 years',
      cite: 'DCF 251.055 Table (via secondary source)',
      verified: false,
    },
    {
      id: '5_years',
      label: '5 years',
      coarse: 'preschooler',
      from: { months: 60 },
      to: { months: 72 },
      boundsText: '5 years to 6 years',
      cite: 'DCF 251.055 Table (via secondary source)',
      verified: false,
    },
    {
      id: '6_and_over',
      label: '6 years and over',
      coarse: 'school_age',
      from: { months: 72 },
      to: null,
      boundsText: '6 years and older',
      cite: 'DCF 251.055 Table (via secondary source)',
      verified: false,
    },
  ],
  ageNote:
    'Age is counted in calendar months from the birth date in the center\'s time zone: a child is N months old from the same day of the month N months after birth (the last day of the month when that day does not exist), a software convention because the rule gives none. Bands depend on age only, not on school attendance.',
  ratios: [
    { category: 'birth_to_2', childrenPerStaff: 4, maxGroupSize: 8, cite: 'DCF 251.055 Table (via secondary source)', verified: false },
    { category: '2_to_2_5', childrenPerStaff: 6, maxGroupSize: 12, cite: 'DCF 251.055 Table (via secondary source)', verified: false },
    { category: '2_5_to_3', childrenPerStaff: 8, maxGroupSize: 16, cite: 'DCF 251.055 Table (via secondary source)', verified: false },
    { category: '3_years', childrenPerStaff: 10, maxGroupSize: 20, cite: 'DCF 251.055 Table (via secondary source)', verified: false },
    { category: '4_years', childrenPerStaff: 13, maxGroupSize: 24, cite: 'DCF 251.055 Table (via secondary source)', verified: false },
    {
      category: '5_years',
      childrenPerStaff: 17,
      maxGroupSize: 32,
      cite: 'DCF 251.055 Table (via secondary source)',
      groupSizeCite: 'DCF 251.055 Table: 34 in the secondary summary, 32 in others; the smaller figure until the official table is read (open question 1)',
      verified: false,
      note: 'Group size 32, the smaller of the two figures reported (34 in the secondary summary and rules/WI.json), as WI.md open question 1 directs until the official table PDF is checked.',
    },
    { category: '6_and_over', childrenPerStaff: 18, maxGroupSize: 36, cite: 'DCF 251.055 Table (via secondary source)', verified: false },
  ],
  requiredStaff: {
    rounding: 'ceil',
    minimumWhenAnyChild: 1,
    cite: 'DCF 251.055 Table (minimum ratios); prior DCF 251.05(4)(f) (pro rata, rounded up once at the end)',
    verified: 'partly: single final round-up is the reading of "pro rata"; the DCF worksheet was not read (open question 2)',
  },
  mixedAge: {
    method: 'pro_rata',
    cite: 'prior DCF 251.05(4)(f) and Note (DCF Staff-to-Child Ratio Worksheet); carried into DCF 251.055(2)',
    verified: 'partly: pro-rata wording confirmed in prior text; single final round-up is the reading of "pro rata", worksheet wording not seen',
    groupSize: {
      maxLoadInStaff: 2,
      loadLimitFromMonths: 24,
      capWithYounger: 8,
      cite: 'DCF 251.055(2)(e) (all children 2 and older: only as many as 2 workers could care for pro rata); prior DCF 251.05(4)(g) (any child under 2: at most 8 children)',
      verified: 'load limit of 2 workers confirmed in DCF 251.055(2)(e); the cap of 8 with a child under 2 read only in the prior numbering DCF 251.05(4)(g) (open question 3)',
    },
    note: 'Mixed-age group judged pro rata (prior DCF 251.05(4)(f)): each band\'s children are divided by its ratio, the exact fractions are added and rounded up once; the group may hold only what 2 workers could care for pro rata, and at most 8 children when any child is under 2 (DCF 251.055(2)(e); prior DCF 251.05(4)(g)).',
  },
  groupSizeExempt: {
    activities: ['field_trip', 'outdoor', 'nap'],
    cite: 'DCF 251.055(2)(f) (field trips, outdoor play areas, areas used only for eating); DCF 251.055(2)(g), prior DCF 251.05(4)(e)3 (napping groups)',
    verified: true,
    note: 'Meals are exempt only in an area reserved exclusively for eating (DCF 251.055(2)(f)); the engine cannot tell where a meal is served, so the group-size cap is kept for meals (the stricter reading).',
  },
  activityMinimums: [
    {
      activity: 'field_trip',
      minChildren: 9,
      minStaff: 2,
      leadLevel: 'teacher',
      text: 'a field trip with 9 or more children',
      // "When 9 or more children are on a field trip there shall be at least 2 child care workers
      // accompanying the children ... At least one of the child care workers shall be a child care teacher."
      cite: 'DCF 251.055(2)(j)',
      verified: true,
    },
  ],
  nap: null,
  napNote:
    'Wisconsin moves the nap ratio from the room to the center: one child care worker within sight or sound of each group of sleeping children, with enough workers present in the center to meet the ratio, and the table ratio again for children as they wake (DCF 251.055(2)(g), (g)4; prior DCF 251.05(4)(e)1-2). That center-wide test cannot be judged for one room, so the full table ratio is kept in the room at nap time (the stricter reading); only the group-size cap is lifted for napping groups.',

  levels: [
    {
      level: 'assistant_teacher',
      label: 'assistant child care teacher',
      minAgeYears: 16,
      supervisedBelowAgeYears: 18,
      supervisedBelowAgeCite: 'Wis. Stat. change reported on the DCF rulemaking page (16-year-olds under the supervision of child care teachers); prior DCF 251.05(3)(i) (no child in the sole charge of a person under 18)',
      cite: 'Wis. Stat. change (2025-27 budget) reported on the DCF rulemaking page; DCF 251 not yet amended',
      verified: 'statute change confirmed on the DCF rulemaking page; the under-18 supervision rule read only in prior DCF 251.05(3)(i) (open question 7)',
    },
    {
      level: 'teacher',
      label: 'child care teacher',
      minAgeYears: 18,
      cite: 'DCF 251.05 (child care teacher qualifications); prior DCF 251.05(3)(i) (no child in the sole charge of a person under 18)',
      verified: 'partly',
    },
  ],
  distribution: {
    pattern: ['teacher'],
    repeat: false,
    beyond: 'assistant_teacher',
    cite: 'prior DCF 251.05(3)(a) (now DCF 251.055(1)): at least one child care teacher supervises each group',
    verified: 'prior text only',
    scopeNote:
      'Every group needs a counted child care teacher (prior DCF 251.05(3)(a)). The exception letting an assistant teacher aged 18+ who has finished the position\'s training supervise a group alone in the first and last 2 hours of a full-day center (prior DCF 251.05(3)(b)) is not applied, because the engine cannot check the time window: the stricter reading.',
    substitutes: [],
  },
  counting: [
    { role: 'director', counts: 'qualifies_as', minAgeYears: 18, supervisedWhenNotCounted: false, cite: 'DCF 251.05(1)(a) lists administrator and director among child care workers', verified: 'inferred', reason: 'A director counts only while assigned to the group as a worker, at the level their qualifications meet (open question 8)' },
    { role: 'teacher', counts: 'own_level', minAgeYears: 18, supervisedWhenNotCounted: false, cite: 'DCF 251.05; DCF 251.055(1)', verified: 'partly' },
    { role: 'assistant_teacher', counts: 'own_level', minAgeYears: 16, supervisedWhenNotCounted: false, cite: 'DCF rulemaking page (statutory change, 16-year-olds under the supervision of child care teachers); prior DCF 251.05(3)(b)', verified: true },
    { role: 'aide', counts: 'never', minAgeYears: null, supervisedWhenNotCounted: false, cite: 'DCF 251.055(2)(k) (support staff count only at the times listed; list cut off in the source)', verified: 'partly: list of times truncated in source', reason: 'Support staff (clerical, housekeeping, food service) count only at the times DCF 251.055(2)(k) lists; that list was not read in full, so they are not counted (open question 5)' },
    { role: 'substitute', counts: 'qualifies_as', minAgeYears: null, supervisedWhenNotCounted: false, cite: 'DCF 251.05(1)(b) (substitutes among the workers who need shaken baby training); same qualifications as the position filled', verified: 'partly', reason: 'A substitute counts only at the level their own qualifications meet' },
    { role: 'volunteer', counts: 'qualifies_as', minAgeYears: null, supervisedWhenNotCounted: true, cite: 'DCF 251.05(1)(a)-(c) (volunteers counted in ratio are child care workers: competency, CPR, shaken baby training)', verified: true, reason: 'A volunteer counts only at the staff level whose qualifications they meet' },
    { role: 'student', counts: 'never', minAgeYears: null, supervisedWhenNotCounted: true, cite: 'no provision seen; treated as not counted', verified: false, reason: 'No provision for students was seen; a student is not counted' },
  ],
  supervision: {
    supervisorLevels: ['teacher'],
    supervisorText: 'a counted child care teacher in the same room',
    cite: 'prior DCF 251.05(3)(a), (i); DCF rulemaking page (16- and 17-year-old assistants under the supervision of child care teachers); "supervision" read strictly as same room',
    verified: 'prior text only; same-room reading is the software\'s (open questions 6 and 7)',
  },
  backgroundStudy: {
    byStatus: {
      not_started: { present: false, counted: false, cite: 'Wis. Stat. s. 48.686 (not read); conservative reading' },
      submitted: { present: 'supervised_only', counted: false, cite: 'Wis. Stat. s. 48.686 (not read); conservative reading (open question 6)' },
      cleared: { present: true, counted: true, cite: 'Wis. Stat. s. 48.686 (not read)' },
      disqualified: { present: false, counted: false, cite: 'Wis. Stat. s. 48.686 (not read)' },
    },
    expiryMonths: null,
    note: 'Caregiver background checks under Wis. Stat. s. 48.686; status while pending not confirmed. A person whose check is not cleared is never counted and needs continuous supervision.',
    cite: 'Wis. Stat. s. 48.686 (not read)',
    verified: false,
  },
  trainings: [
    {
      id: 'sbs',
      label: 'Shaken baby syndrome / impacted babies prevention',
      roles: ['director', 'teacher', 'assistant_teacher', 'substitute', 'volunteer'],
      // The rule covers children under 5; the coarse 'preschooler' also holds 5-year-olds (stricter).
      categories: ['infant', 'toddler', 'preschooler'],
      gate: 'before',
      deadline: 'before first working with children under 5 (in-person course), or a video/web course before and the in-person course within 6 months',
      renewalMonths: null,
      volunteersToCount: true,
      cite: 'DCF 251.05(1)(b)',
      verified: 'mirror text',
      note: 'Required for children under 5; applied to every group with an infant, toddler or preschooler, 5-year-olds included (stricter).',
    },
    {
      id: 'cpr',
      label: 'Infant and child CPR + AED (department-approved)',
      roles: STAFF_ROLES,
      categories: ['infant', 'toddler', 'preschooler', 'school_age'],
      gate: 'grace',
      // "Within 6 months": 181 days, the shortest 6-calendar-month span (stricter).
      graceDays: 181,
      deadline: 'within 6 months of starting work with children',
      renewalMonths: null,
      renewalCite: 'DCF 251.05(1)(c): must be kept current; period set by the certificate',
      volunteersToCount: true,
      cite: 'DCF 251.05(1)(c)',
      verified: 'mirror text',
    },
    {
      id: 'sids',
      label: 'Review of SIDS risk-reduction procedures (orientation)',
      roles: STAFF_ROLES,
      categories: ['infant'],
      gate: 'before',
      deadline: 'before the first day of work (centers licensed for children under 1)',
      renewalMonths: null,
      volunteersToCount: true,
      cite: 'DCF 251.05 orientation item 14',
      verified: true,
      note: 'Required in centers licensed for children under 1; applied to every group with a child in the birth-to-2 band (stricter).',
    },
    {
      id: 'infant_toddler_10h',
      label: '10 hours infant/toddler care training',
      roles: ['teacher', 'assistant_teacher'],
      categories: ['infant'],
      gate: 'grace',
      // "Within 6 months of assuming the position": 181 days from first direct contact (stricter).
      graceDays: 181,
      deadline: 'within 6 months of assuming the position (regularly assigned teacher or assistant teacher of an infant/toddler group)',
      renewalMonths: null,
      volunteersToCount: false,
      cite: 'DCF 251.09(3)(e) (preview text)',
      verified: true,
    },
  ],

  changes: [
    { on: '2026-12-07', text: "A field trip with 9 or more children needs at least 2 child care workers, one a child care teacher. Before, 9 children on a trip with one worker were shown as in ratio.", cite: "DCF 251.055(2)(j)" },
  ],
  openQuestions: [
    { id: 'Q1', title: 'Table values (official table is an image)', engineDefault: 'Secondary figures used; group size for 5-year-olds is 32, the smaller figure reported.' },
    { id: 'Q2', title: 'Rounding in pro rata', engineDefault: 'Exact fractions summed over the bands, rounded up once at the end.' },
    { id: 'Q3', title: 'Current location of the under-2 mixed-group cap of 8', engineDefault: 'Cap of 8 children applied to any mixed group with a child under 2.' },
    { id: 'Q4', title: 'Nap relief for infants', engineDefault: 'No nap relief in any group: the full table ratio is kept in the room (the center-wide nap rule cannot be judged per room).' },
    { id: 'Q5', title: 'Support staff times (DCF 251.055(2)(k))', engineDefault: 'Support staff (aides) are never counted.' },
    { id: 'Q6', title: 'Pending background check', engineDefault: 'Not counted; present only under same-room supervision by a child care teacher.' },
    { id: 'Q7', title: '16-year-old assistant teachers', engineDefault: 'A 16- or 17-year-old assistant teacher counts only with a counted child care teacher in the same room; never as the group\'s teacher.' },
    { id: 'Q8', title: 'Directors', engineDefault: 'A director counts only while assigned to the group, at the level their qualifications meet.' },
  ],
  notes: [
    'Every group is judged separately; required staff = the sum over bands of children / ratio, in exact fractions, rounded up once (do not round each band first).',
    'Center-wide minimums, not evaluated per room: with 8 or fewer children in the center a second adult must be on call within 5 minutes with a signed statement on file (DCF 251.055(2)(h)); with 9 or more children present at least 2 adults must be in the building, one a child care worker working directly with children (DCF 251.055(2)(i)). A field trip with 9 or more children needs at least 2 child care workers, one a child care teacher (DCF 251.055(2)(j)): judged per group at activity field_trip (since 2026-12-07; before, 9 children on a trip with one worker were reported compliant).',
    'Nap: one child care worker within sight or sound of each sleeping group and the full ratio met by workers in the center (DCF 251.055(2)(g); prior DCF 251.05(4)(e)1-2). Not applied: the room keeps the full ratio.',
    'An assistant teacher aged 18+ who has finished the position\'s training may supervise a group alone during the first 2 and last 2 hours of a full-day center (prior DCF 251.05(3)(b)). Not applied: every group needs a child care teacher.',
    'Meals are exempt from the group-size cap only in an area reserved exclusively for eating (DCF 251.055(2)(f)); not applied.',
    'Clerical, housekeeping and food-service staff count toward ratio only at the times DCF 251.055(2)(k) lists (list cut off in the source); not counted by this pack.',
    'Numbering: the supervision and grouping rules in DCF 251.05(3) and (4) now sit in DCF 251.055(1) and (2); "prior" citations name the old text where only it was visible.',
  ],
};
