import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { listDirectorsOfCenter, listUsersOfPeople } from '../db/cover-requests.js';
import { anyHasNoticeKey } from '../db/notices.js';
import { listPeopleInCenter } from '../db/people.js';
import type { Center, Person, TrainingRecord } from '../db/rows.js';
import { listTrainingRecordsOfPeople } from '../db/trainings.js';
import { dayNumber, parseCivilDate, type CivilDate } from '../domain/calendar.js';
import { trainingStatuses } from '../domain/eligibility.js';
import { dateText } from '../words/format.js';
import { centerPack, trainingLabel } from './center-pack.js';
import { notify } from './notify.js';
import { personOnFile } from './person-on-file.js';

/**
 * What a person hears about their trainings, and the directors' weekly digest
 * (docs/alerts.md): a record verified or not accepted (in the transaction of the
 * review), a training that expires in 30 days and again in 7 (the job runner's
 * `training_expiry`), and each Monday the center's trainings expiring in the next
 * 30 days and those already expired (`training_digest`). All go through `notify`
 * (in-app notice and email) with dedupe keys, so a restart or a second runner sends
 * none twice. The words name the training, a date and, in the digest, the staff
 * member; never a child, never a background study.
 */

/** The notice body's column holds 300 characters. */
const BODY_MAX = 300;
const clip = (text: string) => (text.length <= BODY_MAX ? text : `${text.slice(0, BODY_MAX - 1)}…`);

/** Alerts are sent from this hour of the center's day on (not at midnight). */
export const ALERT_HOUR = 7;
/** How far ahead an expiry is told: to the person at 30 and 7 days, to directors within 30. */
export const EXPIRY_DAYS = [30, 7] as const;
export const DIGEST_DAYS = 30;

/** Tells the person whose record it is (their account in the center, if any) that a director verified or rejected it. In the caller's transaction. */
export async function noticeTrainingReviewed(db: Knex, center: Center, record: TrainingRecord, outcome: { readonly verified: true } | { readonly rejectedBecause: string }, at: Date): Promise<number> {
  const userId = (await listUsersOfPeople(db, center.id, [record.personId])).get(record.personId);
  if (!userId) return 0;
  const { pack, extras } = await centerPack(db, center, { includeArchived: true });
  const label = trainingLabel(pack, extras, record.trainingId);
  const verified = 'verified' in outcome;
  const body = verified ? `Your ${label} certificate was verified.` : `Your ${label} certificate was not accepted: ${outcome.rejectedBecause}`;
  return notify(
    db,
    [userId],
    { centerId: center.id, kind: verified ? 'training_verified' : 'training_rejected', body: clip(body), link: `/centers/${center.id}/my/trainings`, dedupeKey: `training-reviewed:${record.id}` },
    at,
  );
}

type Standing = { readonly person: Person; readonly trainingId: string; readonly label: string; readonly recordId: string | null; readonly expiresOn: CivilDate; readonly daysLeft: number };

/** Each current person's trainings (those the pack asks of them) with a verified completion that lapses: how many days are left on the center's `today`. */
async function expiriesOf(db: Knex, center: Center, today: CivilDate): Promise<Standing[]> {
  const people = await listPeopleInCenter(db, center.id);
  if (people.length === 0) return [];
  const [{ pack, extras }, records] = await Promise.all([centerPack(db, center), listTrainingRecordsOfPeople(db, center.id, people.map((p) => p.id))]);
  const verified = records.filter((r) => r.status === 'verified');
  const out: Standing[] = [];
  for (const person of people) {
    const mine = verified.filter((r) => r.personId === person.id);
    if (mine.length === 0) continue;
    for (const s of trainingStatuses(pack, personOnFile(person, mine), today, 0)) {
      const expiresOn = s.expiresOn ? parseCivilDate(s.expiresOn) : null;
      if (!expiresOn || (s.standing !== 'current' && s.standing !== 'expiring_soon' && s.standing !== 'expired')) continue;
      const record = mine.find((r) => r.trainingId === s.training.id && r.completedOn === s.completedOn);
      out.push({ person, trainingId: s.training.id, label: trainingLabel(pack, extras, s.training.id), recordId: record?.id ?? null, expiresOn, daysLeft: dayNumber(expiresOn) - dayNumber(today) });
    }
  }
  return out;
}

const civilOf = (t: DateTime): CivilDate => ({ year: t.year, month: t.month, day: t.day });
const dayWords = (d: CivilDate, zone: string) => dateText(`${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`, zone, { year: true });

/**
 * Tells each person with an account whose verified training lapses within 30 days
 * (and again within 7) of the center's today, from 07:00 in its zone: one notice per
 * record and mark (`training-expiring:<recordId>:30`, `…:7`), so each is sent once; a
 * training renewed meanwhile (a later verified completion) is not told. The 30-day one
 * is not sent once fewer than 8 days are left: the 7-day one says it. Answers how many were told.
 */
export async function noticeExpiringTrainings(db: Knex, center: Center, at: Date): Promise<number> {
  const here = DateTime.fromJSDate(at, { zone: center.timeZone });
  if (here.hour < ALERT_HOUR) return 0;
  const soon = (await expiriesOf(db, center, civilOf(here))).filter((e) => e.recordId !== null && e.daysLeft > 0 && e.daysLeft <= EXPIRY_DAYS[0]);
  if (soon.length === 0) return 0;
  const users = await listUsersOfPeople(db, center.id, [...new Set(soon.map((e) => e.person.id))]);
  let told = 0;
  for (const e of soon) {
    const userId = users.get(e.person.id);
    if (!userId) continue;
    const mark = e.daysLeft <= EXPIRY_DAYS[1] ? EXPIRY_DAYS[1] : EXPIRY_DAYS[0];
    const days = e.daysLeft === 1 ? 'tomorrow' : `in ${e.daysLeft} days`;
    const body = `Your ${e.label} training runs out on ${dayWords(e.expiresOn, center.timeZone)} (${days}). Renew it and add the new certificate in Ratiowatch.`;
    told += await notify(
      db,
      [userId],
      { centerId: center.id, kind: 'training_expiring', body: clip(body), link: `/centers/${center.id}/my/trainings`, dedupeKey: `training-expiring:${e.recordId}:${mark}` },
      at,
    );
  }
  return told;
}

/** The ISO week of the center's day at `at`: `2026-W50`. */
export const isoWeekOf = (center: Center, at: Date): string => DateTime.fromJSDate(at, { zone: center.timeZone }).toFormat("kkkk-'W'WW");

/**
 * The directors' weekly digest: from Monday 07:00 in the center's zone (or the first
 * tick after, that week), once per ISO week (`digest:<center>:<week>`), one notice to
 * each director listing the current people's trainings that run out in the next 30
 * days (person, training, date) and those already run out; a week with none sends
 * nothing. As many as the notice holds, then "and N more" (the people page lists all).
 * Answers how many directors were told.
 */
export async function sendTrainingDigest(db: Knex, center: Center, at: Date): Promise<number> {
  const here = DateTime.fromJSDate(at, { zone: center.timeZone });
  if (here.weekday === 1 && here.hour < ALERT_HOUR) return 0;
  const dedupeKey = `digest:${center.id}:${isoWeekOf(center, at)}`;
  const directors = await listDirectorsOfCenter(db, center.id);
  if (directors.length === 0 || (await anyHasNoticeKey(db, directors, dedupeKey))) return 0;
  const all = await expiriesOf(db, center, civilOf(here));
  const byDate = (a: Standing, b: Standing) => a.daysLeft - b.daysLeft || a.person.displayName.localeCompare(b.person.displayName);
  const expiring = all.filter((e) => e.daysLeft > 0 && e.daysLeft <= DIGEST_DAYS).sort(byDate);
  const expired = all.filter((e) => e.daysLeft <= 0).sort(byDate);
  // A week with nothing to say sends nothing: an email that says nothing every Monday teaches people to skip the ones that matter.
  if (expiring.length === 0 && expired.length === 0) return 0;
  return notify(db, directors, { centerId: center.id, kind: 'training_digest', body: digestText(expiring, expired, center.timeZone), link: `/centers/${center.id}/people`, dedupeKey }, at);
}

function digestText(expiring: readonly Standing[], expired: readonly Standing[], zone: string): string {
  const head = `Trainings this week: ${expiring.length} ${expiring.length === 1 ? 'expires' : 'expire'} in the next 30 days, ${expired.length} ${expired.length === 1 ? 'has' : 'have'} run out.`;
  const items = [
    ...expiring.map((e) => `${e.person.displayName}, ${e.label}, ${dayWords(e.expiresOn, zone)}`),
    ...expired.map((e) => `${e.person.displayName}, ${e.label}, ran out ${dayWords(e.expiresOn, zone)}`),
  ];
  let text = head;
  for (const [i, item] of items.entries()) {
    const sep = i === 0 ? ' ' : '; ';
    const next = `${text}${sep}${item}`;
    const left = items.length - i - 1;
    // Each step leaves room to say how many are left, so stopping here always fits.
    if (`${next}${left > 0 ? `; and ${left} more.` : '.'}`.length > BODY_MAX) return `${text}${sep}and ${items.length - i} more.`;
    text = next;
  }
  return `${text}.`;
}

/**
 * The job runner's two jobs, each done at most once per center and day (expiry) or
 * week (digest) in this process, so the minute's tick costs nothing the rest of the
 * time; the dedupe keys make a restart or a second process send nothing twice.
 */
const doneOnce = new WeakMap<object, Map<string, string>>();
async function oncePer(db: Knex, job: string, center: Center, period: string, run: () => Promise<unknown>): Promise<void> {
  let done = doneOnce.get(db.client.config);
  if (!done) doneOnce.set(db.client.config, (done = new Map()));
  const key = `${job}|${center.id}`;
  if (done.get(key) === period) return;
  await run();
  done.set(key, period);
}

export function trainingExpiryJob(db: Knex, center: Center, at: Date): Promise<void> {
  const here = DateTime.fromJSDate(at, { zone: center.timeZone });
  if (here.hour < ALERT_HOUR) return Promise.resolve();
  return oncePer(db, 'expiry', center, here.toISODate()!, () => noticeExpiringTrainings(db, center, at));
}

export function trainingDigestJob(db: Knex, center: Center, at: Date): Promise<void> {
  const here = DateTime.fromJSDate(at, { zone: center.timeZone });
  if (here.weekday === 1 && here.hour < ALERT_HOUR) return Promise.resolve();
  return oncePer(db, 'digest', center, isoWeekOf(center, at), () => sendTrainingDigest(db, center, at));
}
