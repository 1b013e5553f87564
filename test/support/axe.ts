import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/**
 * An axe-core sweep of the page as it stands (WCAG 2.0, 2.1 and 2.2, levels A and AA):
 * the violations as `rule: selector` lines, empty when none. axe runs inside the page
 * from the package's own source, so nothing is fetched.
 */
const require = createRequire(import.meta.url);
const AXE_SOURCE: string = (require('axe-core') as { source: string }).source;

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

export async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through the debugging protocol, which the pages' Content-Security-Policy (script-src 'self') does not govern.
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async (tags) => {
    const axe = (globalThis as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: { id: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const result = await axe.run((globalThis as unknown as { document: unknown }).document, { runOnly: { type: 'tag', values: tags } });
    return result.violations.map((v) => ({ id: v.id, targets: v.nodes.map((n) => JSON.stringify(n.target)) }));
  }, TAGS);
  return violations.flatMap((v) => v.targets.map((t) => `${v.id}: ${t}`));
}
