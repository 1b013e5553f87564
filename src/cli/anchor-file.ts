import { readFile } from 'node:fs/promises';
import type { AuditAnchor } from '../db/audit.js';

/**
 * An anchor file: the audit log's head (last entry's id and hash) kept outside the
 * database, written by `audit:anchor`, read by `audit:verify --anchor`. Plain text, so
 * a head printed from the reports page can be typed back in by hand:
 *
 *   ratiowatch audit anchor
 *   entry: 1234
 *   hash: 9f2c…(64 hex digits)
 *   written: 2026-12-07T19:30:00.000Z
 *
 * Only `entry:` and `hash:` are read; other lines are for people.
 */

export class AnchorFileError extends Error {}

/** A path as shown in a one-line message: quoted, so a line break in it cannot split the line. */
export function shownPath(path: string): string {
  return JSON.stringify(path);
}

export function formatAnchor(anchor: AuditAnchor, at: Date): string {
  return `ratiowatch audit anchor\nentry: ${anchor.entry}\nhash: ${anchor.hash}\nwritten: ${at.toISOString()}\n`;
}

export function parseAnchor(text: string, name: string): AuditAnchor {
  const field = (key: string) => {
    const m = new RegExp(`^\\s*${key}:[ \\t]*(\\S*)[ \\t]*$`, 'mi').exec(text);
    return m ? m[1]! : null;
  };
  const entry = field('entry');
  const hash = field('hash');
  if (entry === null || hash === null) throw new AnchorFileError(`${shownPath(name)} is not an audit anchor: it needs an "entry:" and a "hash:" line`);
  if (!/^\d{1,15}$/.test(entry)) throw new AnchorFileError(`${shownPath(name)}: "entry:" must be a whole number`);
  if (!/^[0-9a-f]{64}$/i.test(hash)) throw new AnchorFileError(`${shownPath(name)}: "hash:" must be 64 hexadecimal digits`);
  return { entry: Number(entry), hash: hash.toLowerCase() };
}

/** The anchor in `path`, or null when there is no such file. */
export async function readAnchorFile(path: string): Promise<AuditAnchor | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    throw new AnchorFileError(`cannot read ${shownPath(path)}: ${code ?? (err as Error).message}`);
  }
  return parseAnchor(text, path);
}
