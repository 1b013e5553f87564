import { formatCivilDate, parseCivilDate, type CivilDate } from '../../domain/calendar.js';

/**
 * The forms a roster cell may take, each read into what is stored, or a sentence
 * saying what was expected. Pure.
 */

export type Read<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

const ok = <T>(value: T): Read<T> => ({ ok: true, value });
const no = (message: string): Read<never> => ({ ok: false, message });

/** `YYYY-MM-DD` or `M/D/YYYY` (US order, as US spreadsheets write dates), a real date from 1900 on; stored as YYYY-MM-DD. */
export function readDate(text: string): Read<string> {
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  if (!iso && !us) return no(`“${text}” is not a date: write it like 2024-05-31 or 5/31/2024.`);
  const [year, month, day] = iso ? [iso[1], iso[2], iso[3]] : [us![3], us![1], us![2]];
  const date = parseCivilDate(`${year}-${month!.padStart(2, '0')}-${day!.padStart(2, '0')}`);
  if (!date || date.year < 1900) return no(`${text} is not a date.`);
  return ok(formatCivilDate(date));
}

/** A date (as readDate) not after `today`. */
export function readPastDate(text: string, today: CivilDate, future = `${text} is in the future.`): Read<string> {
  const date = readDate(text);
  if (!date.ok) return date;
  return date.value > formatCivilDate(today) ? no(future) : date;
}

/** `HH:mm` or `H:mm`, 24-hour; stored as HH:mm. */
export function readTime(text: string): Read<string> {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text);
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) return no(`“${text}” is not a time: write it in 24-hour time, like 07:30 or 16:45.`);
  return ok(`${m[1]!.padStart(2, '0')}:${m[2]}`);
}

const DAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const FULL_NAMES = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export const DAY_SHORT = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

function weekdayOf(word: string): number | null {
  const w = word.trim().toLowerCase();
  const i = DAY_NAMES.indexOf(w as (typeof DAY_NAMES)[number]);
  if (i >= 0) return i + 1;
  const j = FULL_NAMES.indexOf(w as (typeof FULL_NAMES)[number]);
  return j >= 0 ? j + 1 : null;
}

/**
 * Weekdays as `Mon,Wed,Fri`, a range `Mon-Fri`, or a mix `Mon-Wed,Fri` (case-insensitive;
 * full names also taken): ISO weekday numbers (1 Monday … 7 Sunday), in order, each once.
 */
export function readDays(text: string): Read<number[]> {
  const days = new Set<number>();
  const expected = 'write days like Mon-Fri, or Mon,Wed,Fri';
  for (const part of text.split(',')) {
    if (part.trim() === '') continue;
    const ends = part.split(/[-–]/);
    if (ends.length > 2) return no(`“${part.trim()}” is not a day or a range of days: ${expected}.`);
    const from = weekdayOf(ends[0]!);
    const to = ends.length === 2 ? weekdayOf(ends[1]!) : from;
    if (from === null || to === null) return no(`“${part.trim()}” is not a day: ${expected}.`);
    if (to < from) return no(`“${part.trim()}” runs backwards: write the earlier day first, like Mon-Fri.`);
    for (let d = from; d <= to; d++) days.add(d);
  }
  if (days.size === 0) return no(`No days given: ${expected}.`);
  return ok([...days].sort((a, b) => a - b));
}

/** Weekday numbers in the shortest form readDays reads back: `Mon-Fri`, `Mon-Wed,Fri`, `Tue,Thu`. */
export function daysText(days: readonly number[]): string {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    const from = DAY_SHORT[sorted[i]! - 1]!;
    const to = DAY_SHORT[sorted[j]! - 1]!;
    // Two days in a row read better as a list (Mon,Tue) than as a range.
    if (j - i >= 2) parts.push(`${from}-${to}`);
    else for (let k = i; k <= j; k++) parts.push(DAY_SHORT[sorted[k]! - 1]!);
    i = j + 1;
  }
  return parts.join(',');
}

/** yes/no, y/n, true/false; empty is no. */
export function readYesNo(text: string): Read<boolean> {
  const w = text.trim().toLowerCase();
  if (w === '' || w === 'no' || w === 'n' || w === 'false') return ok(false);
  if (w === 'yes' || w === 'y' || w === 'true') return ok(true);
  return no(`“${text}” is not yes or no.`);
}

/** A name as compared for duplicates: NFC, trimmed, inner spaces as one, lower case. */
export function nameKey(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/** A name as stored: trimmed, inner runs of spaces as one. */
export function cleanName(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ');
}

/** The longest name taken, as the columns say. */
export const MAX_NAME = 100;

export function readName(text: string, missing: string): Read<string> {
  const name = cleanName(text);
  if (name === '') return no(missing);
  if (name.length > MAX_NAME) return no(`The name is ${name.length} characters long; use at most ${MAX_NAME}.`);
  return ok(name);
}
