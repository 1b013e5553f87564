/**
 * Half-open windows of time [start, end) in epoch milliseconds, and the few
 * operations the forecast does on sets of them.
 */

/** A half-open window [start, end) in epoch milliseconds. */
export interface Window {
  readonly start: number;
  readonly end: number;
}

/** The plan alone: shifts minus breaks, sorted and disjoint. */
export function workingWindows(shifts: readonly Window[], breaks: readonly Window[]): Window[] {
  return subtract(normalize(shifts), normalize(breaks));
}

/** Sorted, with overlapping or touching windows joined. */
export function normalize(windows: readonly Window[]): Window[] {
  if (windows.length === 0) return [];
  if (windows.length === 1) return windows[0]!.start < windows[0]!.end ? [windows[0]!] : [];
  const sorted = windows.filter((w) => w.start < w.end).sort((a, b) => a.start - b.start);
  const out: Window[] = [];
  for (const w of sorted) {
    const prev = out[out.length - 1];
    if (prev && w.start <= prev.end) {
      if (w.end > prev.end) out[out.length - 1] = { start: prev.start, end: w.end };
    } else {
      out.push(w);
    }
  }
  return out;
}

/** `from` minus `minus`, both normalized. */
export function subtract(from: readonly Window[], minus: readonly Window[]): Window[] {
  if (minus.length === 0) return [...from];
  const out: Window[] = [];
  for (const w of from) {
    let start = w.start;
    for (const m of minus) {
      if (m.end <= start || m.start >= w.end) continue;
      if (m.start > start) out.push({ start, end: m.start });
      start = Math.max(start, m.end);
      if (start >= w.end) break;
    }
    if (start < w.end) out.push({ start, end: w.end });
  }
  return out;
}

export function clip(windows: readonly Window[], from: number, to: number): Window[] {
  const out: Window[] = [];
  for (const w of windows) {
    const start = Math.max(w.start, from);
    const end = Math.min(w.end, to);
    if (start < end) out.push({ start, end });
  }
  return out;
}

export function covers(windows: readonly Window[], at: number): boolean {
  for (const w of windows) if (w.start <= at && at < w.end) return true;
  return false;
}
