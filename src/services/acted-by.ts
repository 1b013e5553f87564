import type { CenterMember } from '../db/memberships.js';

/** Who acted, where and when: the fields every audit entry written by a member's request shares. */
export function actedBy(member: CenterMember, at: Date) {
  return { at, organizationId: member.center.organizationId, centerId: member.center.id, actorUserId: member.userId };
}

/**
 * The fields that differ between two versions of a record, as the audit log's
 * before/after pair; null when nothing changed (then nothing is written or audited).
 * Values are compared as JSON, so arrays and nested schedules compare by content.
 */
export function changedFields<T extends Record<string, unknown>>(
  before: T,
  after: T,
): { before: Record<string, unknown>; after: Record<string, unknown> } | null {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const key of Object.keys(after)) {
    if (JSON.stringify(before[key]) === JSON.stringify(after[key])) continue;
    b[key] = before[key];
    a[key] = after[key];
  }
  return Object.keys(a).length === 0 ? null : { before: b, after: a };
}
