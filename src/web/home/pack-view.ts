import {
  packStatus,
  unverifiedItems,
  type Activity,
  type CoarseCategory,
  type MixedAgeRule,
  type RulePack,
  type Verification,
} from '../../domain/rule-pack.js';

const COARSE_LABELS: Record<CoarseCategory, string> = {
  infant: 'Infant',
  toddler: 'Toddler',
  preschooler: 'Preschooler',
  school_age: 'School-age',
};

const ACTIVITY_LABELS: Record<Activity, string> = {
  normal: 'normal activities',
  arrival_departure: 'arrival and departure',
  nap: 'naps and rest',
  meal: 'meals',
  outdoor: 'outdoor activities',
  field_trip: 'field trips',
  special: 'special activities',
};

/** A rule pack as plain strings for the home page template. */
export type PackView = ReturnType<typeof packView>;

export function packView(pack: RulePack) {
  const unverified = unverifiedItems(pack);
  const draft = packStatus(pack) === 'draft';
  const bandLabel = (id: string) => pack.bands.find((b) => b.id === id)?.label ?? id;
  const levelLabel = (level: string) => pack.levels.find((l) => l.level === level)?.label ?? level.replaceAll('_', ' ');

  return {
    id: pack.id,
    anchor: `pack-${pack.id.toLowerCase()}`,
    name: pack.name,
    appliesTo: pack.appliesTo,
    asOf: pack.asOf,
    isRecommendation: pack.isRecommendation,
    draft,
    statusText: draft
      ? `Draft — ${unverified.length} ${unverified.length === 1 ? 'item' : 'items'} not confirmed in rule text; verify before relying`
      : 'Verified against the rule text',
    unverified,
    bands: pack.bands.map((b) => ({
      label: b.label,
      bounds: b.boundsText,
      category: COARSE_LABELS[b.coarse],
      cite: b.cite,
      unconfirmed: unconfirmed(b.verified),
    })),
    ratios: pack.ratios.flatMap((r) => [
      {
        band: bandLabel(r.category),
        ratio: `1:${r.childrenPerStaff}`,
        maxGroupSize: r.maxGroupSize === null ? '—' : String(r.maxGroupSize),
        cite: r.groupSizeCite ? `${r.cite}; group size: ${r.groupSizeCite}` : r.cite,
        unconfirmed: unconfirmed(r.verified),
      },
      // A band's other rows: the group meets its band under any of them.
      ...(r.alternatives ?? []).map((a) => ({
        band: `${bandLabel(r.category)} (or)`,
        ratio: `1:${a.childrenPerStaff}`,
        maxGroupSize: a.maxGroupSize === null ? '—' : String(a.maxGroupSize),
        cite: a.cite,
        unconfirmed: unconfirmed(a.verified),
      })),
    ]),
    // Rules beyond the table, in plain words.
    extraRules: [
      ...pack.ratios.flatMap((r) => [
        ...(r.pairs ?? []).map((p) => ({
          text: `${bandLabel(r.category)}: a ${levelLabel(p.teacherLevel)} with an ${levelLabel(p.aideLevel)} may have ${p.children} children (a teacher alone ${r.childrenPerStaff}).`,
          cite: p.cite,
          unconfirmed: unconfirmed(p.verified),
        })),
        ...(r.aidesUnderLead
          ? [
              {
                text: `${bandLabel(r.category)}: aides may stand in for teachers at 1:${r.childrenPerStaff} each while a ${levelLabel(r.aidesUnderLead.leadLevel)} directly supervises no more than ${r.aidesUnderLead.maxChildrenPerLead} children.`,
                cite: r.aidesUnderLead.cite,
                unconfirmed: unconfirmed(r.aidesUnderLead.verified),
              },
            ]
          : []),
      ]),
      ...(pack.pairing ? [{ text: pack.pairing.text, cite: pack.pairing.cite, unconfirmed: unconfirmed(pack.pairing.verified) }] : []),
      ...(pack.activityMinimums ?? []).map((m) => ({
        text: `${capitalize(m.text)}: at least ${m.minStaff} counted staff${m.leadLevel ? `, one ${article(levelLabel(m.leadLevel))} ${levelLabel(m.leadLevel)}` : ''}.`,
        cite: m.cite,
        unconfirmed: unconfirmed(m.verified),
      })),
      ...(pack.mixedAge.method === 'youngest_band' ? (pack.mixedAge.listedMixes ?? []) : []).map((m) => ({
        text: `Mixed group of ${m.text}: up to ${m.maxGroupSize} at 1:${m.childrenPerStaff}, with at least ${m.minStaff} staff${m.leadLevel ? `, one ${article(levelLabel(m.leadLevel))} ${levelLabel(m.leadLevel)}` : ''}.`,
        cite: m.cite,
        unconfirmed: unconfirmed(m.verified),
      })),
      ...(pack.timeOfDayRatios ?? []).map((t) => ({
        text: `${capitalize(t.text)}, when the center's hours are known.`,
        cite: t.cite,
        unconfirmed: unconfirmed(t.verified),
      })),
    ],
    changes: (pack.changes ?? []).map((c) => ({ on: c.on, text: c.text, cite: c.cite })),
    mixedAge: {
      method: mixedAgeMethod(pack.mixedAge),
      cite: pack.mixedAge.cite,
      note: pack.mixedAge.note && withoutPlaceholders(pack.mixedAge.note),
      unconfirmed: unconfirmed(pack.mixedAge.verified),
    },
    groupSizeExempt: {
      text: exemptionText(pack.groupSizeExempt.activities),
      cite: pack.groupSizeExempt.cite,
      unconfirmed: unconfirmed(pack.groupSizeExempt.verified),
    },
    nap: {
      note: pack.napNote,
      allowance: pack.nap && {
        description: pack.nap.description,
        ratios: Object.entries(pack.nap.childrenPerStaff).map(([band, n]) => `${bandLabel(band)} 1:${n}`).join(', '),
        cite: pack.nap.cite,
        unconfirmed: unconfirmed(pack.nap.verified),
      },
    },
    distribution: pack.distribution && {
      pattern: pack.distribution.pattern.map(levelLabel).join(' → '),
      repeat: pack.distribution.repeat
        ? 'The pattern repeats for every further staff member.'
        : pack.distribution.beyond
          ? `Beyond the pattern: at least ${levelLabel(pack.distribution.beyond)}.`
          : 'Beyond the pattern: any counted level.',
      cite: pack.distribution.cite,
      note: pack.distribution.scopeNote,
      unconfirmed: unconfirmed(pack.distribution.verified),
    },
  };
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}

function exemptionText(activities: readonly Activity[]): string {
  if (activities.length === 0) return 'The group-size limit applies during every activity.';
  return `The group-size limit does not apply during ${activities.map((a) => ACTIVITY_LABELS[a]).join(', ')}; ratios still apply.`;
}

/** null when confirmed; otherwise the words shown beside the item. */
function unconfirmed(v: Verification): string | null {
  if (v === true) return null;
  return typeof v === 'string' ? `Not confirmed: ${v}` : 'Not confirmed';
}

function mixedAgeMethod(rule: MixedAgeRule): string {
  switch (rule.method) {
    case 'youngest_band':
      return 'The whole group is held to the ratio and group size of the youngest band present.';
    case 'pro_rata': {
      const g = rule.groupSize;
      return (
        'Staff needed for each band are added up as fractions and rounded up once. ' +
        `Group size: at most ${g.maxLoadInStaff} staff worth of children while all are ${g.loadLimitFromMonths} months or older, ` +
        `otherwise at most ${g.capWithYounger} children.`
      );
    }
    case 'majority_band': {
      const override = rule.youngestIfAnyOf.map((c) => COARSE_LABELS[c].toLowerCase()).join(' or ');
      return (
        'The band with the most children sets the ratio and group size (a tie goes to the younger band)' +
        (override ? `; with any ${override} present, the youngest band present applies.` : '.')
      );
    }
  }
}

// Pack notes are templates the engine fills in for one group (e.g. "({band})"); on the
// home page there is no group, so the placeholder is dropped.
function withoutPlaceholders(text: string): string {
  return text.replace(/\s*\(?\{\w+\}\)?/g, '');
}
