import type { Page } from 'playwright-core';

/** The focused element's text and whether it sits inside an element matching `within` (a CSS selector). */
declare const document: { activeElement: { textContent: string | null; closest(selector: string): unknown } | null };

/**
 * Presses Tab from where focus is until the focused element's text starts with `text`
 * (and it sits inside `within`, holding `withinText`, when given); answers how many presses it took. Throws
 * after `max` presses: the control cannot be reached by keyboard in reasonable time.
 */
export async function tabUntil(page: Page, text: string, opts: { within?: string; withinText?: string; max?: number } = {}): Promise<number> {
  const max = opts.max ?? 80;
  for (let presses = 1; presses <= max; presses++) {
    await page.keyboard.press('Tab');
    const hit = await page.evaluate(
      ({ text, within, withinText }) => {
        const el = document.activeElement;
        const words = (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
        if (!words.startsWith(text)) return false;
        if (!within) return true;
        const box = el?.closest(within) as { textContent: string | null } | null;
        return Boolean(box) && (!withinText || (box!.textContent ?? '').includes(withinText));
      },
      { text, within: opts.within ?? null, withinText: opts.withinText ?? null },
    );
    if (hit) return presses;
  }
  throw new Error(`"${text}" not reached in ${max} presses of Tab`);
}
