import type { Role, Training, Verification } from '../../domain/rule-pack.js';
import { CATEGORY_LABELS } from '../labels.js';

/** Words for the domain's person roles (the membership roles have their own, in labels.ts). */
export const PERSON_ROLE_WORDS: Readonly<Record<Role, string>> = {
  director: 'directors',
  teacher: 'teachers',
  assistant_teacher: 'assistant teachers',
  aide: 'aides',
  substitute: 'substitutes',
  volunteer: 'volunteers',
  student: 'students',
};

export function unconfirmed(v: Verification | undefined): string | null {
  if (v === undefined || v === true) return null;
  return typeof v === 'string' ? `Not confirmed: ${v}` : 'Not confirmed';
}

export function validityWords(t: Training): string {
  if (t.renewalMonths === null) return 'Does not expire';
  return t.renewalMonths % 12 === 0 && t.renewalMonths >= 24 ? `${t.renewalMonths / 12} years (${t.renewalMonths} months)` : `${t.renewalMonths} months`;
}

export function gateWords(t: Training): string {
  switch (t.gate) {
    case 'before':
      return 'Needed before counting toward ratio';
    case 'grace':
      return `Counts meanwhile for ${t.graceDays ?? '?'} days after starting, then needed`;
    case 'none':
      return 'Tracked, not a ratio gate';
  }
}

export function categoryWords(t: Training): string {
  if (t.categories.length === 0) return '—';
  if (t.categories.length === 4) return 'All ages';
  return t.categories.map((c) => CATEGORY_LABELS[c] ?? c).join(', ');
}

export function roleWords(roles: readonly Role[]): string {
  return roles.map((r) => PERSON_ROLE_WORDS[r]).join(', ');
}
