import type { RulePack } from '../rule-pack.js';

/**
 * New York child day care centers outside New York City (18 NYCRR Part 418-1).
 * Source: shared/design/regulations/NY.md and rules/NY.json. The supervision rules (a group
 * teacher in every group, nobody under 18 alone with a group, volunteers never counted)
 * were read in rule text; the ratio table and the mixed-age rule were not visible and come
 * from secondary sources (the two school-age rows from no source read), so every band and
 * number is marked `verified: false`. NYC centers (Health Code Article 47) need their own pack.
 */
export const NY: RulePack = {
  id: 'NY',
  name: 'New York child day care centers (outside New York City)',
  timeZone: 'America/New_York',
  asOf: '2024-11-02',
  asOfNote:
    'Copy of 418-1.8 read was current through NY Register Vol. 46, No. 45 (2024-11-02). The ratio table and mixed-age subsections of 418-1.8 were not visible in the copies read; numbers are from secondary sources.',
  isRecommendation: false,
  appliesTo:
    'Child day care centers licensed by OCFS outside New York City (18 NYCRR Part 418-1). Not for small day care centers (418-2), school-age programs (Part 414), family or group family day care, or NYC centers (NYC Health Code Article 47).',
  sources: [
    { id: 'ny-418-1-8', title: '18 NYCRR 418-1.8 Supervision of children', url: 'https://regulations.justia.com/states/new-york/title-18/chapter-ii/subchapter-c/article-2/part-418/subpart-418-1/section-418-1-8', status: 'subdivisions (a)-(i) read; ratio table and mixed-age subdivisions not visible' },
    { id: 'ny-418-1-8-casetext', title: '18 NYCRR 418-1.8 (copy current through Register Vol. 46 No. 45)', url: 'https://d1tvxue8o4w0fl.cloudfront.net/regulation/new-york-codes-rules-and-regulations/title-18-department-of-social-services/chapter-ii-regulations-of-the-department-of-social-services/subchapter-c-social-services/article-2-family-and-childrens-services/part-418-day-care-centers/subpart-418-1-child-day-care-centers/section-418-18-supervision-of-children', status: 'read' },
    { id: 'ny-418-1-13', title: '18 NYCRR 418-1.13 Staff qualifications (Westlaw)', url: 'https://govt.westlaw.com/nycrr/Document/I50c80308cd1711dda432a117e6e0f345?viewType=FullText&originationContext=documenttoc&transitionType=CategoryPageItem&contextData=(sc.Default)', status: 'read ((b), (e)-(f))' },
    { id: 'ny-413-2-amend', title: 'Rule-making text amending 18 NYCRR 413.2(c) (definitions of volunteer, group teacher, assistant teacher)', url: 'https://docest.com/doc/374870/section-413-2-c-6-is-amended-to-read-as-follows', status: 'read (rule-making text; adopted text not confirmed)' },
    { id: 'ny-secondary-ratios', title: 'Secondary: NY OCFS ratio and group size table', url: 'https://www.centrecareos.com/resources/ratios/new-york', status: 'secondary' },
    { id: 'ny-secondary-ratios-2', title: 'Secondary: NY center ratios by age', url: 'https://www.childinjurylawyerblog.com/new_york_day_care_centers_what_1/', status: 'secondary' },
    { id: 'ny-secondary-mixed', title: 'Secondary: NY State vs NYC ratios and mixed-age rule', url: 'https://www.childcareratios.com/child-care-regulations-blog/new-york-child-care-ratios-why-new-york-city-and-new-york-state-play-by-different-rules', status: 'secondary' },
  ],

  minimumAge: null,
  maximumAge: {
    mark: { months: 156 },
    text: 'younger than 13',
    cite: '18 NYCRR 418-1.8 (10 through 12 years row; not confirmed by any source read)',
    verified: false,
  },
  bands: [
    { id: 'under_6w', label: 'Under 6 weeks', coarse: 'infant', from: null, to: { weeks: 6 }, boundsText: 'birth to 6 weeks', cite: '18 NYCRR 418-1.8 (table not read; two secondary sources)', verified: false },
    { id: '6w_18m', label: '6 weeks to 18 months', coarse: 'infant', from: { weeks: 6 }, to: { months: 18 }, boundsText: '6 weeks to 18 months', cite: '18 NYCRR 418-1.8 (secondary)', verified: false },
    { id: '18_36m', label: '18 months to 36 months', coarse: 'toddler', from: { months: 18 }, to: { months: 36 }, boundsText: '18 months to 3 years', cite: '18 NYCRR 418-1.8 (secondary)', verified: false },
    { id: '3y', label: '3 years', coarse: 'preschooler', from: { months: 36 }, to: { months: 48 }, boundsText: '3 years to 4 years', cite: '18 NYCRR 418-1.8 (secondary)', verified: false },
    { id: '4y', label: '4 years', coarse: 'preschooler', from: { months: 48 }, to: { months: 60 }, boundsText: '4 years to 5 years', cite: '18 NYCRR 418-1.8 (secondary)', verified: false },
    { id: '5y', label: '5 years', coarse: 'preschooler', from: { months: 60 }, to: { months: 72 }, boundsText: '5 years to 6 years', cite: '18 NYCRR 418-1.8 (secondary)', verified: false },
    { id: '6_9y', label: '6 through 9 years', coarse: 'school_age', from: { months: 72 }, to: { months: 120 }, boundsText: '6 years through 9 years (until the 10th birthday)', cite: '18 NYCRR 418-1.8 (not confirmed by any source read)', verified: false },
    { id: '10_12y', label: '10 through 12 years', coarse: 'school_age', from: { months: 120 }, to: { months: 156 }, boundsText: '10 years through 12 years (until the 13th birthday)', cite: '18 NYCRR 418-1.8 (not confirmed by any source read)', verified: false },
  ],
  ageNote:
    'Age is counted in calendar months (and in weeks for the 6-week boundary, 42 days after birth) from the birth date in the center\'s time zone, a software convention because the rule text was not read. Bands depend on age only.',
  ratios: [
    { category: 'under_6w', childrenPerStaff: 3, maxGroupSize: 6, cite: '18 NYCRR 418-1.8 (secondary)', verified: false },
    { category: '6w_18m', childrenPerStaff: 4, maxGroupSize: 8, cite: '18 NYCRR 418-1.8 (secondary)', verified: false },
    { category: '18_36m', childrenPerStaff: 5, maxGroupSize: 12, cite: '18 NYCRR 418-1.8 (secondary)', verified: false },
    { category: '3y', childrenPerStaff: 7, maxGroupSize: 18, cite: '18 NYCRR 418-1.8 (secondary)', verified: false },
    { category: '4y', childrenPerStaff: 8, maxGroupSize: 21, cite: '18 NYCRR 418-1.8 (secondary)', verified: false },
    { category: '5y', childrenPerStaff: 9, maxGroupSize: 24, cite: '18 NYCRR 418-1.8 (secondary)', verified: false },
    { category: '6_9y', childrenPerStaff: 10, maxGroupSize: 20, cite: '18 NYCRR 418-1.8 (not confirmed by any source read)', verified: false },
    { category: '10_12y', childrenPerStaff: 15, maxGroupSize: 30, cite: '18 NYCRR 418-1.8 (not confirmed by any source read)', verified: false },
  ],
  requiredStaff: {
    rounding: 'ceil',
    minimumWhenAnyChild: 1,
    cite: '18 NYCRR 418-1.8 (ratio table via secondary; (f) a second person when the ratio requires one)',
    verified: false,
  },
  mixedAge: {
    method: 'youngest_band',
    cite: '18 NYCRR 418-1.8 (mixed-age subdivision not read; secondary)',
    verified: false,
    note: 'Mixed group judged at the ratio and group size of its youngest child\'s band ({band}), as secondary sources report for 18 NYCRR 418-1.8; the subdivision itself was not read.',
  },
  groupSizeExempt: {
    activities: [],
    cite: 'no exemption read in 18 NYCRR 418-1.8 (a)-(i)',
    verified: 'none seen in the subdivisions read; the table subdivisions were not visible',
  },
  nap: null,
  napNote: 'No nap ratio provision was read; conservative: the full ratio and group size apply during naps and rest.',

  levels: [
    {
      level: 'assistant_teacher',
      label: 'assistant teacher',
      minAgeYears: 16,
      supervisedBelowAgeYears: 18,
      supervisedBelowAgeCite: '18 NYCRR 418-1.8(d) (no one under 18 may be left alone to supervise a group, even in an emergency)',
      cite: '18 NYCRR 413.2(c)(17) (rule-making text: assistant teachers may be counted toward ratio); 418-1.8(d),(f). No minimum age read in 418-1.13: 16 is a software floor',
      verified: 'rule-making text for counting; the minimum age of 16 is not from any source read',
    },
    {
      level: 'teacher',
      label: 'group teacher',
      minAgeYears: 18,
      cite: '18 NYCRR 418-1.8(d)-(e) (a group teacher leads each group; no one under 18 may supervise a group alone); 418-1.13 qualifications',
      verified: 'inferred from 418-1.8(d)',
    },
  ],
  distribution: {
    pattern: ['teacher'],
    repeat: false,
    beyond: 'assistant_teacher',
    cite: '18 NYCRR 418-1.8(e)-(f)',
    verified: true,
    scopeNote:
      'Every group needs a counted group teacher meeting 418-1.13; when the ratio needs a second person, that person is another group teacher or an assistant teacher (18 NYCRR 418-1.8(e)-(f)).',
    substitutes: [],
  },
  counting: [
    { role: 'director', counts: 'qualifies_as', minAgeYears: 18, supervisedWhenNotCounted: false, cite: '18 NYCRR 418-1.13(e)-(f)', verified: 'inferred', reason: 'A director counts only while working as a group teacher with the group, at the level their qualifications meet; not in centers licensed for 45 or more, where supervision functions may not be combined (418-1.13(f))' },
    { role: 'teacher', counts: 'own_level', minAgeYears: null, supervisedWhenNotCounted: false, cite: '18 NYCRR 418-1.8(e); 418-1.13', verified: true },
    { role: 'assistant_teacher', counts: 'own_level', minAgeYears: null, supervisedWhenNotCounted: false, cite: '18 NYCRR 418-1.8(d), (f); 413.2(c)(17) rule-making text', verified: true },
    { role: 'aide', counts: 'never', minAgeYears: null, supervisedWhenNotCounted: true, cite: 'no aide role in the 418-1 definitions read', verified: false, reason: 'Part 418-1 has no aide role; an aide is not counted unless recorded as an assistant teacher' },
    { role: 'substitute', counts: 'qualifies_as', minAgeYears: null, supervisedWhenNotCounted: false, cite: '18 NYCRR 418-1.8(h)', verified: true, reason: 'A substitute counts only when qualified to perform the duties of the absent staff member, at that level' },
    { role: 'volunteer', counts: 'never', minAgeYears: null, supervisedWhenNotCounted: true, cite: '18 NYCRR 413.2(c)(15) (rule-making text)', verified: 'rule-making text', reason: 'A volunteer is not counted in the supervision ratio and may not be left unsupervised with children' },
    { role: 'student', counts: 'never', minAgeYears: null, supervisedWhenNotCounted: true, cite: 'no provision seen', verified: false, reason: 'No provision for students was seen; a student is not counted' },
  ],
  supervision: {
    supervisorLevels: ['teacher'],
    supervisorText: 'a counted group teacher in the same room',
    cite: '18 NYCRR 418-1.8(a) (every child within sight of a teacher and close enough to intervene), (d); 413.2(c)(15) rule-making text; same-room reading',
    verified: 'rule text for the duty; "same room" is the software\'s reading',
  },
  backgroundStudy: {
    byStatus: {
      not_started: { present: false, counted: false, cite: '18 NYCRR 418-1.13(b)(1)-(4); 413.4' },
      submitted: { present: 'supervised_only', counted: false, cite: '18 NYCRR 418-1.13(b); 413.4; pending status not read, conservative (open question 4)' },
      cleared: { present: true, counted: true, cite: '18 NYCRR 418-1.13(b)(1)-(4); 413.4' },
      disqualified: { present: false, counted: false, cite: '18 NYCRR 418-1.13(c); 413.4' },
    },
    expiryMonths: null,
    note: 'Staff and volunteer applicants supply employment history, two references, a sworn statement on convictions with fingerprints (413.4), and State Central Register screening.',
    cite: '18 NYCRR 418-1.13(b)(1)-(4); 413.4',
    verified: 'requirements confirmed; pending status not read',
  },
  trainings: [
    {
      id: 'health_safety_15h',
      label: 'Health and safety training (15 hours)',
      roles: ['director', 'teacher', 'assistant_teacher', 'substitute'],
      categories: ['infant', 'toddler', 'preschooler', 'school_age'],
      gate: 'grace',
      // "Within 6 months of hire": 181 days, the shortest 6-calendar-month span (stricter).
      graceDays: 181,
      deadline: 'within 6 months of hire (secondary)',
      renewalMonths: null,
      volunteersToCount: false,
      cite: '18 NYCRR 418-1.14 (not read)',
      verified: false,
    },
    {
      id: 'training_30h',
      label: '30 hours training every 2 years',
      roles: ['director', 'teacher', 'assistant_teacher', 'substitute'],
      categories: [],
      gate: 'none',
      deadline: 'each 2-year period',
      renewalMonths: 24,
      renewalCite: '18 NYCRR 418-1.14 (not read; secondary)',
      renewalVerified: false,
      volunteersToCount: false,
      cite: '18 NYCRR 418-1.14 (not read; secondary)',
      verified: false,
    },
    {
      id: 'cpr_first_aid',
      label: 'CPR and first aid',
      roles: ['director', 'teacher', 'assistant_teacher', 'substitute'],
      categories: [],
      // Required of at least one person present with the children, not of each person: tracked only.
      gate: 'none',
      deadline: 'unknown; at least one person present with children',
      renewalMonths: null,
      volunteersToCount: false,
      cite: '18 NYCRR 418-1 (not read)',
      verified: false,
      note: 'At least one person with current CPR and first aid should be present with each group; the engine does not check per-group presence.',
    },
    {
      id: 'sbs_safe_sleep',
      label: 'Shaken baby syndrome and safe sleep topics',
      roles: ['director', 'teacher', 'assistant_teacher', 'substitute'],
      categories: ['infant', 'toddler'],
      gate: 'grace',
      graceDays: 181,
      deadline: 'part of the required training within 6 months of hire (assumed)',
      renewalMonths: 24,
      renewalCite: 'Social Services Law 390-a; 18 NYCRR 418-1.14 (not read): renewed with the 2-year training (assumed)',
      renewalVerified: false,
      volunteersToCount: false,
      cite: 'Social Services Law 390-a; 18 NYCRR 418-1.14 (not read)',
      verified: false,
    },
  ],

  openQuestions: [
    { id: 'Q1', title: 'Ratio table and school-age rows', engineDefault: 'Secondary figures used (school-age rows from no source read); the pack is shown as a draft.' },
    { id: 'Q2', title: 'Mixed-age details (whether infants may be mixed at all)', engineDefault: 'The youngest band present sets ratio and group size.' },
    { id: 'Q3', title: 'Nap relief', engineDefault: 'None: the full ratio and group size apply.' },
    { id: 'Q4', title: 'Pending background checks', engineDefault: 'Not counted and never alone: present only under same-room supervision.' },
    { id: 'Q5', title: '413.2 definitions from the rule-making copy', engineDefault: 'Volunteers never counted; assistant teachers counted.' },
  ],
  notes: [
    'Every group needs a group teacher (18 NYCRR 418-1.8(e)); nobody under 18 may be left alone to supervise a group, even in an emergency (418-1.8(d)); supervision means every child within a teacher\'s sight and close enough to intervene (418-1.8(a)).',
    'When a staff member is absent, a person qualified for that job must fill in to keep ratios (18 NYCRR 418-1.8(h)).',
    'In centers licensed for 45 or more children, supervision and administrative functions may not be done by a group teacher or assistant teacher (18 NYCRR 418-1.13(f)); the engine does not know licensed capacity, so record a director as counted only when working as a group teacher.',
    'The minimum age of an assistant teacher was not read; the pack counts assistant teachers from 16, and under 18 only with a counted group teacher in the same room.',
    'New York City centers follow NYC Health Code Article 47 (different bands, ratios and a predominant-age mixed rule); do not use this pack there.',
  ],
};
