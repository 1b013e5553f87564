import { z } from 'zod';
import { strictestGroupSize } from '../../domain/group-size.js';
import { COARSE_CATEGORIES, isCoarseCategory, type CoarseCategory, type RulePack } from '../../domain/rule-pack.js';
import { checkbox, optionalWholeNumber, shortName, wholeNumber } from '../forms.js';
import { CATEGORY_LABELS, CATEGORY_PLURALS, PACK_JURISDICTIONS } from '../labels.js';

export const ROOM_FIELDS = ['name', 'licensedCapacity', 'maxGroupSize', 'nightProgram'] as const;
export const MAX_CAPACITY = 200;

/** "infants" for a band named like its category, else the band's own words ("0-11 months"). */
function bandWords(label: string, coarse: CoarseCategory): string {
  return label.toLowerCase() === CATEGORY_LABELS[coarse]?.toLowerCase() ? CATEGORY_PLURALS[coarse]! : label.toLowerCase();
}

/** The sentence shown when a room's own limit is looser than the pack's. */
export function looserThanPackMessage(pack: RulePack, categories: readonly CoarseCategory[]): string | null {
  const strictest = strictestGroupSize(pack, categories);
  if (!strictest) return null;
  const who = PACK_JURISDICTIONS[pack.id] ?? pack.name;
  return `${who}'s limit for ${bandWords(strictest.band.label, strictest.band.coarse)} is ${strictest.limit} (${strictest.cite}); a room may only be stricter.`;
}

/** The pack's group-size limit for each category, for the form's hint. */
export function packLimitsHint(pack: RulePack): string {
  const parts = COARSE_CATEGORIES.flatMap((c) => {
    const s = strictestGroupSize(pack, [c]);
    return s ? [`${CATEGORY_PLURALS[c]} ${s.limit}`] : [];
  });
  if (parts.length === 0) return 'This pack sets no maximum group size; leave empty unless the room keeps a smaller one.';
  return `Leave empty to use the pack's limit (${parts.join(', ')}). A number here may only be smaller.`;
}

/**
 * The room form for a center judged by `pack`. Categories come in as repeated
 * checkboxes (an array). The group-size override may only be stricter than the
 * pack for every category the room serves, and no larger than the room.
 */
export function roomForm(pack: RulePack) {
  return z
    .object({
      name: shortName(80, "Enter the room's name."),
      ageCategories: z
        .array(z.enum(COARSE_CATEGORIES, { error: 'Choose from the age categories listed.' }), { error: 'Choose at least one age category.' })
        .min(1, 'Choose at least one age category this room serves.'),
      licensedCapacity: wholeNumber(1, MAX_CAPACITY, `Enter the licensed capacity: a whole number from 1 to ${MAX_CAPACITY}.`),
      maxGroupSize: optionalWholeNumber(1, MAX_CAPACITY, 'Leave empty, or enter a whole number of at least 1.'),
      // Offered only where the pack has a night program rule (a hidden field says the box was shown); left out, kept.
      nightProgram: checkbox(),
      nightProgramShown: z.unknown().optional(),
    })
    .superRefine((f, ctx) => {
      // Refinements also run after a field failed; judge only values that are valid on their own.
      const size = f.maxGroupSize;
      if (typeof size !== 'number' || size < 1 || size > MAX_CAPACITY) return;
      const categories = Array.isArray(f.ageCategories) ? f.ageCategories.filter(isCoarseCategory) : [];
      const strictest = strictestGroupSize(pack, categories);
      if (strictest && size > strictest.limit) {
        ctx.addIssue({ code: 'custom', path: ['maxGroupSize'], message: looserThanPackMessage(pack, categories)! });
        return;
      }
      const capacity = f.licensedCapacity;
      if (typeof capacity === 'number' && capacity >= 1 && capacity <= MAX_CAPACITY && size > capacity) {
        ctx.addIssue({ code: 'custom', path: ['maxGroupSize'], message: `A group cannot be larger than the room's licensed capacity of ${capacity}.` });
      }
    });
}
export type RoomForm = z.output<ReturnType<typeof roomForm>>;
