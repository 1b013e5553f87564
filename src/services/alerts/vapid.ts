import webpush from 'web-push';
import type { Config } from '../../config.js';
import { createSecretFile, secretFilePath } from '../../secret-files.js';

/**
 * The app's VAPID keys (Web Push): from VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY and
 * VAPID_SUBJECT when set; otherwise a pair made at first start and kept in
 * `vapid.json` beside DB_FILE (0600, like the session secret and the audit key), never
 * in the database. An in-memory database's keys live as long as the process. A
 * browser's subscriptions are bound to the public key: a new pair (the file removed)
 * makes every phone's subscription useless, and people turn alerts on again.
 *
 * The subject is whom a push service may contact about our pushes: VAPID_SUBJECT, or
 * PUBLIC_URL when it is https, or `mailto:` MAIL_FROM's address.
 */

export type VapidKeys = { readonly publicKey: string; readonly privateKey: string; readonly subject: string };

const made = new Map<string, { publicKey: string; privateKey: string }>();

export function vapidKeys(config: Pick<Config, 'vapid' | 'dbFile' | 'publicUrl' | 'mailFrom'>): VapidKeys {
  if (config.vapid) return config.vapid;
  const path = secretFilePath(config.dbFile, 'vapid.json');
  const key = path ?? `memory:${config.dbFile}`;
  let pair = made.get(key);
  if (!pair) {
    const fresh = webpush.generateVAPIDKeys();
    const text = JSON.stringify({ publicKey: fresh.publicKey, privateKey: fresh.privateKey });
    pair = parsePair(path ? createSecretFile(path, text) : text, path ?? 'vapid keys');
    // Files only: each in-memory test database is its own, but keys per process are enough there.
    made.set(key, pair);
  }
  return { ...pair, subject: defaultSubject(config) };
}

function parsePair(text: string, where: string): { publicKey: string; privateKey: string } {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new Error(`${where} is not JSON: put the keys back, or remove the file to make new ones (phones then turn alerts on again)`);
  }
  const o = v as { publicKey?: unknown; privateKey?: unknown } | null;
  if (typeof o?.publicKey !== 'string' || typeof o.privateKey !== 'string') throw new Error(`${where} holds no publicKey and privateKey`);
  return { publicKey: o.publicKey, privateKey: o.privateKey };
}

function defaultSubject(config: Pick<Config, 'publicUrl' | 'mailFrom'>): string {
  const url = new URL(config.publicUrl);
  if (url.protocol === 'https:' && url.hostname !== 'localhost') return url.origin;
  const address = /<([^<>]+)>/.exec(config.mailFrom)?.[1] ?? config.mailFrom.trim();
  return `mailto:${address}`;
}
