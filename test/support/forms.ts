import type { Knex } from 'knex';
import { expect } from 'vitest';

/** The field's error paragraph holds `message`, and the field points at it. */
export function expectFieldError(html: string, field: string, message: string | RegExp) {
  const p = new RegExp(`<p class="error" id="${field}-error">([^<]*)</p>`).exec(html);
  expect(p, `no error next to ${field}`).not.toBeNull();
  expect(decodeEntities(p![1]!)).toMatch(message);
  expect(html).toMatch(new RegExp(`id="${field}"[^>]*aria-describedby="${field}-error"`));
}

/** Handlebars escapes quotes and equals signs; tests compare with the plain words. */
export function decodeEntities(s: string): string {
  return s.replaceAll('&#x27;', "'").replaceAll('&quot;', '"').replaceAll('&#x3D;', '=').replaceAll('&amp;', '&').replaceAll('&lt;', '<').replaceAll('&gt;', '>');
}

/** Row counts of `tables`, to show that a refused form stored nothing. */
export async function rowCounts(db: Knex, tables: readonly string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of tables) out[t] = Number(((await db(t).count({ n: '*' }).first()) as { n: number | string }).n);
  return out;
}
