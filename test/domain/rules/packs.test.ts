import { describe, expect, it } from 'vitest';
import {
  ACTIVITIES,
  BACKGROUND_STUDY_STATUSES,
  COARSE_CATEGORIES,
  PACK_IDS,
  ROLES,
  type AgeMark,
  type RulePack,
} from '../../../src/domain/rule-pack.js';
import { PACKS, getPack } from '../../../src/domain/rules/index.js';
import { CA } from '../../../src/domain/rules/ca.js';
import { CFOC } from '../../../src/domain/rules/cfoc.js';
import { MN } from '../../../src/domain/rules/mn.js';
import { NY } from '../../../src/domain/rules/ny.js';
import { TX } from '../../../src/domain/rules/tx.js';
import { WA } from '../../../src/domain/rules/wa.js';
import { WI } from '../../../src/domain/rules/wi.js';

/** A mark as comparable units: weeks stay weeks; months and years become months. */
function unitsOf(mark: AgeMark): { unit: 'weeks' | 'months'; n: number } {
  if ('weeks' in mark) return { unit: 'weeks', n: mark.weeks };
  if ('months' in mark) return { unit: 'months', n: mark.months };
  return { unit: 'months', n: mark.years * 12 };
}

/** Rough days, only for ordering marks of different units (a month is at least 28 days). */
function approxDays(mark: AgeMark): number {
  const u = unitsOf(mark);
  return u.unit === 'weeks' ? u.n * 7 : u.n * 30.4;
}

/** Every value under a key ending in "cite" (cite, groupSizeCite, renewalCite, ...), with its path. */
function citesIn(value: unknown, path: string, out: Array<[string, unknown]> = []): Array<[string, unknown]> {
  if (Array.isArray(value)) {
    value.forEach((v, i) => citesIn(v, `${path}[${i}]`, out));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (/cite$/i.test(k)) out.push([`${path}.${k}`, v]);
      citesIn(v, `${path}.${k}`, out);
    }
  }
  return out;
}

/** Every object carrying a `verified` key, with its path. */
function verifiedIn(value: unknown, path: string, out: Array<[string, unknown, unknown]> = []): Array<[string, unknown, unknown]> {
  if (Array.isArray(value)) {
    value.forEach((v, i) => verifiedIn(v, `${path}[${i}]`, out));
  } else if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if ('verified' in o) out.push([path, o.verified, o.cite]);
    for (const [k, v] of Object.entries(o)) verifiedIn(v, `${path}.${k}`, out);
  }
  return out;
}

const isVerification = (v: unknown) => v === true || v === false || (typeof v === 'string' && v.trim().length > 0);
const nonEmpty = (v: unknown) => typeof v === 'string' && v.trim().length > 0;

describe('pack registry', () => {
  it('registers every pack, Minnesota first', () => {
    expect(PACKS.map((p) => p.id)).toEqual(['MN', 'WI', 'CA', 'TX', 'WA', 'NY', 'CFOC']);
    expect(PACKS.map((p) => p.id)).toEqual([...PACK_IDS]);
    expect(PACKS).toEqual([MN, WI, CA, TX, WA, NY, CFOC]);
    for (const id of PACK_IDS) expect(getPack(id)?.id).toBe(id);
  });

  it('marks only CFOC as a recommendation', () => {
    expect(PACKS.filter((p) => p.isRecommendation).map((p) => p.id)).toEqual(['CFOC']);
  });
});

describe.each(PACKS.map((p) => [p.id, p] as const))('%s pack structure', (_id, pack: RulePack) => {
  const bandIds = pack.bands.map((b) => b.id);
  const levelIds = pack.levels.map((l) => l.level);

  it('has a valid IANA time zone (or none, for a recommendation) and its header fields', () => {
    if (pack.timeZone === null) expect(pack.isRecommendation).toBe(true);
    else expect(() => new Intl.DateTimeFormat('en-US', { timeZone: pack.timeZone! })).not.toThrow();
    if (pack.asOf !== null) expect(pack.asOf).toMatch(/^\d{4}(-\d{2}(-\d{2})?)?$/);
    for (const field of [pack.name, pack.asOfNote, pack.appliesTo, pack.ageNote, pack.napNote]) expect(nonEmpty(field)).toBe(true);
    expect(pack.sources.length).toBeGreaterThan(0);
    expect(new Set(pack.sources.map((s) => s.id)).size).toBe(pack.sources.length);
    for (const s of pack.sources) {
      expect(s.url).toMatch(/^https?:\/\//);
      expect(nonEmpty(s.title) && nonEmpty(s.status)).toBe(true);
    }
  });

  it('has unique band ids, each with exactly one ratio row, and no row for a missing band', () => {
    expect(new Set(bandIds).size).toBe(bandIds.length);
    for (const id of bandIds) expect(pack.ratios.filter((r) => r.category === id), `ratio row for ${id}`).toHaveLength(1);
    for (const row of pack.ratios) expect(bandIds, `band named by ratio row ${row.category}`).toContain(row.category);
  });

  it('orders bands youngest first and keeps them contiguous', () => {
    expect(pack.bands.length).toBeGreaterThan(0);
    const first = pack.bands[0]!;
    if (first.from !== null) expect(pack.minimumAge && unitsOf(first.from)).toEqual(pack.minimumAge && unitsOf(pack.minimumAge.mark));
    pack.bands.forEach((band, i) => {
      expect(COARSE_CATEGORIES).toContain(band.coarse);
      expect(nonEmpty(band.label) && nonEmpty(band.boundsText)).toBe(true);
      if (band.from && band.to) expect(approxDays(band.from), `${band.id} from < to`).toBeLessThan(approxDays(band.to));
      if (i === 0) return;
      const prev = pack.bands[i - 1]!;
      expect(COARSE_CATEGORIES.indexOf(band.coarse), `${band.id} not younger than ${prev.id}`).toBeGreaterThanOrEqual(COARSE_CATEGORIES.indexOf(prev.coarse));
      if (band.from && prev.to) expect(unitsOf(band.from), `${band.id}.from = ${prev.id}.to`).toEqual(unitsOf(prev.to));
      if (band.from && prev.from) expect(approxDays(band.from)).toBeGreaterThan(approxDays(prev.from));
    });
    // Bands split by school attendance come as a not-attending band followed by an attending one.
    const attending = pack.bands.filter((b) => b.school === 'attending');
    for (const b of attending) expect(b.coarse).toBe('school_age');
  });

  it('has positive whole ratios and group sizes no smaller than one staff member\'s children', () => {
    for (const row of pack.ratios) {
      expect(Number.isInteger(row.childrenPerStaff) && row.childrenPerStaff > 0).toBe(true);
      if (row.maxGroupSize !== null) {
        expect(Number.isInteger(row.maxGroupSize)).toBe(true);
        expect(row.maxGroupSize).toBeGreaterThanOrEqual(row.childrenPerStaff);
      }
    }
    expect(pack.requiredStaff.rounding).toBe('ceil');
    expect(pack.requiredStaff.minimumWhenAnyChild).toBeGreaterThanOrEqual(1);
  });

  it('gives every cite as a non-empty string', () => {
    const cites = citesIn(pack, pack.id);
    expect(cites.length).toBeGreaterThan(0);
    for (const [where, cite] of cites) expect(nonEmpty(cite), where).toBe(true);
  });

  it('cites every verified item and marks it true, false or a non-empty string', () => {
    const items = verifiedIn(pack, pack.id);
    for (const [where, verified, cite] of items) {
      expect(isVerification(verified), `${where}.verified`).toBe(true);
      expect(nonEmpty(cite), `${where}.cite`).toBe(true);
    }
    // Each of these sections must be a cited, verified item.
    const sections = [
      ...pack.bands,
      ...pack.ratios,
      pack.requiredStaff,
      pack.mixedAge,
      pack.groupSizeExempt,
      ...(pack.nap ? [pack.nap] : []),
      ...pack.levels,
      ...(pack.distribution ? [pack.distribution, ...pack.distribution.substitutes] : []),
      ...pack.counting,
      pack.supervision,
      pack.backgroundStudy,
      ...pack.trainings,
      ...(pack.minimumAge ? [pack.minimumAge] : []),
      ...(pack.maximumAge ? [pack.maximumAge] : []),
    ];
    for (const s of sections) {
      expect(nonEmpty(s.cite)).toBe(true);
      expect(isVerification(s.verified)).toBe(true);
    }
    if (pack.mixedAge.method === 'pro_rata') {
      expect(nonEmpty(pack.mixedAge.groupSize.cite)).toBe(true);
      expect(isVerification(pack.mixedAge.groupSize.verified)).toBe(true);
    }
  });

  it('has unique trainings with known roles and categories and a consistent gate', () => {
    const ids = pack.trainings.map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const t of pack.trainings) {
      expect(t.id).toMatch(/^[a-z0-9_]+$/);
      expect(nonEmpty(t.label) && nonEmpty(t.deadline)).toBe(true);
      for (const role of t.roles) expect(ROLES).toContain(role);
      for (const c of t.categories) expect(COARSE_CATEGORIES).toContain(c);
      expect(['before', 'grace', 'none']).toContain(t.gate);
      if (t.gate === 'grace') expect(t.graceDays, `${t.id} graceDays`).toBeGreaterThan(0);
      else expect(t.graceDays, `${t.id} graceDays without a grace gate`).toBeUndefined();
      if (t.renewalMonths !== null) expect(Number.isInteger(t.renewalMonths) && t.renewalMonths > 0).toBe(true);
      if (t.renewalVerified !== undefined) {
        expect(t.renewalMonths).not.toBeNull();
        expect(isVerification(t.renewalVerified)).toBe(true);
      }
    }
  });

  it('declares its levels lowest first and uses only declared levels', () => {
    expect(pack.levels.length).toBeGreaterThan(0);
    expect(new Set(levelIds).size).toBe(levelIds.length);
    for (const l of pack.levels) {
      expect(l.minAgeYears).toBeGreaterThan(0);
      if (l.supervisedBelowAgeYears !== undefined) expect(l.supervisedBelowAgeYears).toBeGreaterThan(l.minAgeYears);
    }
    for (const level of pack.supervision.supervisorLevels) expect(levelIds).toContain(level);
    expect(pack.supervision.supervisorLevels.length).toBeGreaterThan(0);
    const d = pack.distribution;
    if (d) {
      expect(d.pattern.length).toBeGreaterThan(0);
      for (const level of d.pattern) expect(levelIds).toContain(level);
      if (d.beyond !== null) expect(levelIds).toContain(d.beyond);
      for (const sub of d.substitutes) {
        expect(levelIds).toContain(sub.level);
        expect(ACTIVITIES).toContain(sub.activity);
        expect(sub.slot).toBeGreaterThanOrEqual(1);
        for (const id of sub.conditions.trainingsComplete ?? []) expect(pack.trainings.map((t) => t.id)).toContain(id);
      }
    }
  });

  it('has one counting rule per role; roles counted at their own level are declared levels', () => {
    for (const role of ROLES) expect(pack.counting.filter((c) => c.role === role), `counting rule for ${role}`).toHaveLength(1);
    for (const c of pack.counting) {
      if (c.counts === 'own_level') expect(levelIds, `${c.role} counts at its own level`).toContain(c.role);
      if (c.counts !== 'own_level') expect(nonEmpty(c.reason), `${c.role} reason`).toBe(true);
      if (c.minAgeYears !== null) expect(c.minAgeYears).toBeGreaterThan(0);
    }
  });

  it('exempts only known activities from group size', () => {
    for (const a of pack.groupSizeExempt.activities) expect(ACTIVITIES).toContain(a);
    expect(new Set(pack.groupSizeExempt.activities).size).toBe(pack.groupSizeExempt.activities.length);
    expect(pack.groupSizeExempt.activities).not.toContain('normal');
  });

  it('keys nap allowances by its own bands', () => {
    if (!pack.nap) return;
    for (const [band, n] of Object.entries(pack.nap.childrenPerStaff)) {
      expect(bandIds).toContain(band);
      expect(Number.isInteger(n) && n > 0).toBe(true);
    }
    expect(nonEmpty(pack.nap.description)).toBe(true);
  });

  it('has a well-formed mixed-age rule whose note uses only the {band} placeholder', () => {
    const m = pack.mixedAge;
    if (m.method === 'pro_rata') {
      expect(m.groupSize.maxLoadInStaff).toBeGreaterThan(0);
      expect(m.groupSize.capWithYounger).toBeGreaterThan(0);
      expect(m.groupSize.loadLimitFromMonths).toBeGreaterThan(0);
    }
    if (m.method === 'majority_band') for (const c of m.youngestIfAnyOf) expect(COARSE_CATEGORIES).toContain(c);
    expect(nonEmpty(m.note)).toBe(true);
    for (const placeholder of m.note!.match(/\{\w+\}/g) ?? []) expect(placeholder).toBe('{band}');
  });

  it('covers every background-study status', () => {
    for (const s of BACKGROUND_STUDY_STATUSES) {
      const row = pack.backgroundStudy.byStatus[s];
      expect(nonEmpty(row.cite)).toBe(true);
      if (!row.present) expect(row.counted).toBe(false);
    }
    expect(pack.backgroundStudy.byStatus.cleared.counted).toBe(true);
    expect(pack.backgroundStudy.byStatus.disqualified).toMatchObject({ present: false, counted: false });
  });

  it('lists open questions and notes', () => {
    const ids = pack.openQuestions.map((q) => q.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const q of pack.openQuestions) expect(nonEmpty(q.title) && nonEmpty(q.engineDefault)).toBe(true);
    expect(pack.notes.length).toBeGreaterThan(0);
    for (const n of pack.notes) expect(nonEmpty(n)).toBe(true);
  });
});

// ---------------------------------------------------------------- hand-checked tables

type Row = [band: string, from: AgeMark | null, to: AgeMark | null, childrenPerStaff: number, maxGroupSize: number | null];

/** Band bounds, ratio and group size straight from each reference (shared/design/regulations/XX.md). */
const TABLES: Record<string, Row[]> = {
  // README table: 1:4/8, 1:7/14, 1:10/20, 1:15/30.
  MN: [
    ['infant', { weeks: 6 }, { months: 16 }, 4, 8],
    ['toddler', { months: 16 }, { months: 33 }, 7, 14],
    ['preschooler', { months: 33 }, null, 10, 20],
    ['school_age', null, { years: 13 }, 15, 30],
  ],
  // WI.md sections 1-2; 5-year group size 32 per open question 1 (the smaller figure).
  WI: [
    ['birth_to_2', null, { months: 24 }, 4, 8],
    ['2_to_2_5', { months: 24 }, { months: 30 }, 6, 12],
    ['2_5_to_3', { months: 30 }, { months: 36 }, 8, 16],
    ['3_years', { months: 36 }, { months: 48 }, 10, 20],
    ['4_years', { months: 48 }, { months: 60 }, 13, 24],
    ['5_years', { months: 60 }, { months: 72 }, 17, 32],
    ['6_and_over', { months: 72 }, null, 18, 36],
  ],
  // CA.md section 2: teachers only (1:4 infants, 1:12 preschool, 1:14 school-age), no group size.
  CA: [
    ['infant', null, { months: 24 }, 4, null],
    ['preschool', { months: 24 }, null, 12, null],
    ['school_age', null, null, 14, null],
  ],
  // TX.md sections 1-2.
  TX: [
    ['0_11m', null, { months: 12 }, 4, 10],
    ['12_17m', { months: 12 }, { months: 18 }, 5, 13],
    ['18_23m', { months: 18 }, { months: 24 }, 9, 18],
    ['2y', { months: 24 }, { months: 36 }, 11, 22],
    ['3y', { months: 36 }, { months: 48 }, 15, 30],
    ['4y', { months: 48 }, { months: 60 }, 18, 35],
    ['5y', { months: 60 }, { months: 72 }, 22, 35],
    ['6_13y', { months: 72 }, { months: 168 }, 26, 35],
  ],
  // WA.md sections 1-2.
  WA: [
    ['infant', null, { months: 12 }, 4, 8],
    ['toddler', { months: 12 }, { months: 30 }, 7, 14],
    ['preschool', { months: 30 }, null, 10, 20],
    ['school_age', { months: 60 }, { months: 156 }, 15, 30],
  ],
  // NY.md sections 1-2.
  NY: [
    ['under_6w', null, { weeks: 6 }, 3, 6],
    ['6w_18m', { weeks: 6 }, { months: 18 }, 4, 8],
    ['18_36m', { months: 18 }, { months: 36 }, 5, 12],
    ['3y', { months: 36 }, { months: 48 }, 7, 18],
    ['4y', { months: 48 }, { months: 60 }, 8, 21],
    ['5y', { months: 60 }, { months: 72 }, 9, 24],
    ['6_9y', { months: 72 }, { months: 120 }, 10, 20],
    ['10_12y', { months: 120 }, { months: 156 }, 15, 30],
  ],
  // CFOC.md sections 1-2 ("through 12 months" = younger than 13 months).
  CFOC: [
    ['0_12m', null, { months: 13 }, 3, 6],
    ['13_35m', { months: 13 }, { months: 36 }, 4, 8],
    ['3y', { months: 36 }, { months: 48 }, 7, 14],
    ['4y', { months: 48 }, { months: 60 }, 8, 16],
    ['5y', { months: 60 }, { months: 72 }, 8, 16],
    ['6_8y', { months: 72 }, { months: 108 }, 10, 20],
    ['9_12y', { months: 108 }, { months: 156 }, 12, 24],
  ],
};

describe.each(PACKS.map((p) => [p.id, p] as const))('%s bands and ratios match the reference', (id, pack: RulePack) => {
  const table = TABLES[id]!;
  it('has the reference bands in order', () => {
    expect(pack.bands.map((b) => [b.id, b.from, b.to])).toEqual(table.map(([band, from, to]) => [band, from, to]));
  });
  it.each(table.map(([band, , , ratio, group]) => ({ band, ratio, group })))('$band: 1:$ratio, group $group', ({ band, ratio, group }) => {
    const row = pack.ratios.find((r) => r.category === band)!;
    expect(row.childrenPerStaff).toBe(ratio);
    expect(row.maxGroupSize).toBe(group);
  });
});

describe('examples named in the brief', () => {
  const row = (pack: RulePack, band: string) => pack.ratios.find((r) => r.category === band)!;
  it('WI 4 years 1:13 / 24; TX 18-23 months 1:9 / 18; NY 6 weeks-18 months 1:4 / 8; CFOC 3 years 1:7 / 14', () => {
    expect(row(WI, '4_years')).toMatchObject({ childrenPerStaff: 13, maxGroupSize: 24 });
    expect(row(TX, '18_23m')).toMatchObject({ childrenPerStaff: 9, maxGroupSize: 18 });
    expect(row(NY, '6w_18m')).toMatchObject({ childrenPerStaff: 4, maxGroupSize: 8 });
    expect(row(CFOC, '3y')).toMatchObject({ childrenPerStaff: 7, maxGroupSize: 14 });
  });
});

// ---------------------------------------------------------------- per-pack rules from the references

describe('mixed-age methods', () => {
  it('WI is pro rata: load up to 2 workers from 24 months, 8 children with any child under 2', () => {
    expect(WI.mixedAge.method).toBe('pro_rata');
    if (WI.mixedAge.method !== 'pro_rata') return;
    expect(WI.mixedAge.groupSize).toMatchObject({ maxLoadInStaff: 2, loadLimitFromMonths: 24, capWithYounger: 8 });
  });
  it('CFOC follows the majority band, the youngest with any infant or toddler', () => {
    expect(CFOC.mixedAge).toMatchObject({ method: 'majority_band', youngestIfAnyOf: ['infant', 'toddler'] });
  });
  it.each([CA, TX, WA, NY])('$id uses the youngest band', (pack) => {
    expect(pack.mixedAge.method).toBe('youngest_band');
    expect(pack.mixedAge.note).toContain('({band})');
  });
});

describe('who counts', () => {
  const rule = (pack: RulePack, role: string) => pack.counting.find((c) => c.role === role)!;
  it('NY never counts volunteers, and keeps them supervised', () => {
    expect(rule(NY, 'volunteer')).toMatchObject({ counts: 'never', supervisedWhenNotCounted: true });
  });
  it('CA counts aides only paired with a teacher (22 CCR 101216.3(b)); volunteers never on site', () => {
    expect(rule(CA, 'volunteer').counts).toBe('never');
    expect(rule(CA, 'aide')).toMatchObject({ counts: 'own_level', supervisedWhenNotCounted: true });
    expect(CA.pairing?.aideLevels).toEqual(['aide', 'qualified_aide']);
    expect(CA.levels.map((l) => l.level)).toEqual(['aide', 'qualified_aide', 'teacher', 'fully_qualified_teacher']);
  });
  it('WI and WA count volunteers only at a level they qualify for', () => {
    expect(rule(WI, 'volunteer').counts).toBe('qualifies_as');
    expect(rule(WA, 'volunteer').counts).toBe('qualifies_as');
  });
  it('WI assistant teachers count from 16, supervised below 18', () => {
    expect(WI.levels.find((l) => l.level === 'assistant_teacher')).toMatchObject({ minAgeYears: 16, supervisedBelowAgeYears: 18 });
  });
  it('NY assistant teachers under 18 must be supervised (418-1.8(d))', () => {
    expect(NY.levels.find((l) => l.level === 'assistant_teacher')?.supervisedBelowAgeYears).toBe(18);
  });
  it('WA requires first aid/CPR before anyone counts, volunteers included', () => {
    const t = WA.trainings.find((x) => x.id === 'first_aid_cpr')!;
    expect(t).toMatchObject({ gate: 'before', volunteersToCount: true });
    for (const role of ['director', 'teacher', 'assistant_teacher', 'aide', 'substitute', 'volunteer'] as const) expect(t.roles).toContain(role);
  });
});

describe('lead requirements', () => {
  it.each([
    [WI, 'assistant_teacher'],
    [NY, 'assistant_teacher'],
    [WA, 'aide'],
    [CA, 'aide'],
  ] as const)('%# (WI, NY, WA, CA): a teacher in every group', (pack, lowest) => {
    expect(pack.distribution).toMatchObject({ pattern: ['teacher'], repeat: false, beyond: lowest });
    expect(pack.levels[0]!.level).toBe(lowest);
  });
  it.each(PACKS.filter((p) => (p.activityMinimums ?? []).some((m) => m.leadLevel !== null) || (p.mixedAge.method === 'youngest_band' && p.mixedAge.listedMixes?.some((m) => m.leadLevel !== null))))(
    '$id: a lead a staff minimum asks for rides on a distribution',
    (pack) => {
      expect(pack.distribution).not.toBeNull();
    },
  );
  it.each([TX, CFOC])('$id has no distribution', (pack) => {
    expect(pack.distribution).toBeNull();
  });
});

describe('nap', () => {
  it('CA: preschool 1:24 napping, infants 1:12 sleeping', () => {
    expect(CA.nap?.childrenPerStaff).toEqual({ infant: 12, preschool: 24 });
  });
  it.each([WI, TX, WA, NY, CFOC])('$id keeps the full ratio at nap time', (pack) => {
    expect(pack.nap).toBeNull();
    expect(pack.napNote.length).toBeGreaterThan(0);
  });
  it('WI explains that its center-wide nap rule is not judged per room', () => {
    expect(WI.napNote).toMatch(/center/);
    expect(WI.napNote).toMatch(/stricter/);
    expect(WI.groupSizeExempt.activities).toContain('nap');
  });
});

describe('school attendance', () => {
  it.each([CA, WA])('$id splits preschool and school-age by attendance', (pack) => {
    const school = pack.bands.find((b) => b.coarse === 'school_age')!;
    const pre = pack.bands.find((b) => b.coarse === 'preschooler')!;
    expect(school.school).toBe('attending');
    expect(pre.school).toBe('not_attending');
  });
  it.each([WI, TX, NY, CFOC])('$id bands depend on age only', (pack) => {
    for (const b of pack.bands) expect(b.school).toBeUndefined();
  });
});
