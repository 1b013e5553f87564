import type { ChildrenByCategory } from '../../db/status-history.js';
import type { RulePack } from '../../domain/rule-pack.js';
import { categoryWords } from '../../services/center-forecast.js';

/**
 * A status interval's figures in words, as the history page and the reports show
 * them: children by age category, present and counted staff, required staff and the
 * group-size limit in force. A row written before the figures were kept
 * (`childrenByCategory` null) shows what it has and says the rest was not recorded.
 */

export type IntervalFigures = {
  readonly requiredStaff: number;
  readonly countedStaff: number;
  readonly children: number;
  readonly childrenByCategory: ChildrenByCategory | null;
  readonly presentStaff: number | null;
  readonly maxGroupSize: number | null;
};

const NOT_RECORDED = 'not recorded';

const kept = (f: IntervalFigures): f is IntervalFigures & { childrenByCategory: ChildrenByCategory; presentStaff: number } =>
  f.childrenByCategory !== null && f.presentStaff !== null;

const childCount = (n: number) => `${n} ${n === 1 ? 'child' : 'children'}`;

/** The categories with children, in the pack's order (then any band the pack no longer has), with their counts. */
export function categoryCounts(pack: RulePack | undefined, byCategory: ChildrenByCategory): { id: string; label: string; count: number }[] {
  const bands = pack?.bands ?? [];
  const known = new Set(bands.map((b) => b.id));
  const listed = bands.map((b) => ({ id: b.id, label: b.label, count: byCategory[b.id] ?? 0 }));
  // A center whose pack changed keeps its older rows' bands: shown by their ids rather than dropped.
  const others = Object.keys(byCategory)
    .filter((id) => !known.has(id))
    .map((id) => ({ id, label: id, count: byCategory[id]! }));
  return [...listed, ...others].filter((c) => c.count > 0);
}

/** "3 infants, 1 toddler"; "" when there are none. */
export function categoryText(pack: RulePack | undefined, byCategory: ChildrenByCategory): string {
  return categoryCounts(pack, byCategory)
    .map((c) => {
      const words = categoryWords(c.label);
      return `${c.count} ${c.count === 1 ? words.one : words.many}`;
    })
    .join(', ');
}

/** The children cell: "4 (3 infants, 1 toddler)", "0", or the total alone on an older row. */
export function childrenCell(pack: RulePack | undefined, f: IntervalFigures): string {
  if (!kept(f) || f.children === 0) return String(f.children);
  return `${f.children} (${categoryText(pack, f.childrenByCategory)})`;
}

/** The staff cell: "2 present, 1 counted of 1 required"; an older row has no present count. */
export function staffCell(f: IntervalFigures): string {
  const counted = `${f.countedStaff} counted of ${f.requiredStaff} required`;
  return kept(f) ? `${f.presentStaff} present, ${counted}` : counted;
}

/** The group-size limit cell: "8", "none", or "not recorded" on an older row. */
export function groupSizeCell(f: IntervalFigures): string {
  if (!kept(f)) return NOT_RECORDED;
  return f.maxGroupSize === null ? 'none' : String(f.maxGroupSize);
}

/**
 * The figures as one sentence, for "was it in ratio at HH:mm?": "2 children (2
 * infants); 1 staff present, 1 counted of 1 required; group-size limit 8." An older
 * row keeps its sentence: "0 counted staff of 1 required, 1 child."
 */
export function figuresSentence(pack: RulePack | undefined, f: IntervalFigures): string {
  if (!kept(f)) return `${f.countedStaff} counted staff of ${f.requiredStaff} required, ${childCount(f.children)}.`;
  const children = f.children === 0 ? 'no children' : `${childCount(f.children)} (${categoryText(pack, f.childrenByCategory)})`;
  const limit = f.maxGroupSize === null ? 'no group-size limit applied' : `group-size limit ${f.maxGroupSize}`;
  return `${children}; ${f.presentStaff} staff present, ${f.countedStaff} counted of ${f.requiredStaff} required; ${limit}.`;
}

/** The figures as a CSV's cells: present staff, the limit (blank when not recorded, "none" when none applied), then each category's count. */
export function figuresCsvCells(f: IntervalFigures, categoryIds: readonly string[]): (number | string)[] {
  if (!kept(f)) return ['', '', ...categoryIds.map(() => '')];
  return [f.presentStaff, f.maxGroupSize ?? 'none', ...categoryIds.map((id) => f.childrenByCategory[id] ?? 0)];
}
