/**
 * Words for a center's day: lengths of time ("3 h 15 min"), the arrival and
 * departure windows' share of the day against the pack's cap, and what a window
 * in force allows ("07:00–08:00 arrival: an assistant teacher may stand in for the teacher").
 */
import type { RulePack } from '../domain/rule-pack.js';

/** "45 min", "12 h", "3 h 15 min". */
export function durationText(minutes: number): string {
  const m = Math.round(minutes);
  const h = Math.floor(m / 60);
  const rest = m % 60;
  if (h === 0) return `${rest} min`;
  return rest === 0 ? `${h} h` : `${h} h ${rest} min`;
}

/** The first part of a citation ("Minn. R. 9503.0040 subp. 2 B" of "Minn. R. 9503.0040 subp. 2 B; Minn. Stat. …"). */
const shortCite = (cite: string): string => cite.split(';')[0]!.trim();

/**
 * "Arrival and departure windows total 3 h 15 min, 27% of the 12 h day; Minnesota
 * allows at most 25% (Minn. R. 9503.0040 subp. 2 B)."
 */
export function windowsTooLongText(p: { minutes: number; dayMinutes: number; share: number; cite: string }, jurisdiction: string): string {
  const pct = Math.floor((p.minutes / p.dayMinutes) * 100);
  return `Arrival and departure windows total ${durationText(p.minutes)}, ${pct}% of the ${durationText(p.dayMinutes)} day; ${jurisdiction} allows at most ${Math.round(p.share * 100)}% (${shortCite(p.cite)}).`;
}

const article = (word: string) => (/^[aeiou]/i.test(word) ? 'an' : 'a');

/**
 * Who may stand in for the first counted staff member during arrival and
 * departure under the pack: "an assistant teacher may stand in for the teacher",
 * "an assistant teacher, or an aide who meets the conditions, may stand in for the teacher".
 */
export function standInText(pack: RulePack): string | null {
  const dist = pack.distribution;
  if (!dist) return null;
  const subs = dist.substitutes.filter((s) => s.activity === 'arrival_departure' && s.slot === 1);
  if (subs.length === 0) return null;
  const label = (level: string) => (pack.levels.find((l) => l.level === level)?.label ?? level.replace(/_/g, ' ')).toLowerCase();
  const who = subs.map((s) => {
    const l = label(s.level);
    return Object.keys(s.conditions).length > 0 ? `${article(l)} ${l} who meets the conditions` : `${article(l)} ${l}`;
  });
  const lead = label(dist.pattern[0]!);
  return who.length === 1 ? `${who[0]} may stand in for the ${lead}` : `${who.join(', or ')}, may stand in for the ${lead}`;
}

/** "07:00–08:00 arrival: an assistant teacher may stand in for the teacher". */
export function windowInForceText(pack: RulePack, w: { kind: 'arrival' | 'departure'; from: string; to: string }): string {
  const allows = standInText(pack);
  return `${w.from}–${w.to} ${w.kind}${allows ? `: ${allows}` : ''}`;
}
