import type { Request } from 'express';
import { z } from 'zod';

/**
 * Where a set-up form goes back to after it saves: `?next=setup` on a form's page and its
 * action returns to the center's set-up checklist. Only this fixed value is understood;
 * anything else in `next` is ignored, so the parameter can never send anyone elsewhere.
 */
const Next = z.literal('setup');
export type Next = z.infer<typeof Next>;

export function nextOf(req: Request): Next | undefined {
  const parsed = Next.safeParse(req.query.next);
  return parsed.success ? parsed.data : undefined;
}

/** The path with `?next=setup` when the page was opened from the set-up (else the path as it is). */
export function withNext(path: string, next: Next | undefined): string {
  if (!next) return path;
  const [before, anchor] = path.split('#', 2) as [string, string | undefined];
  return `${before}${before.includes('?') ? '&' : '?'}next=${next}${anchor === undefined ? '' : `#${anchor}`}`;
}

export const setupPath = (centerId: string) => `/centers/${centerId}/setup`;
