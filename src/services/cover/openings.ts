import type { Knex } from 'knex';
import type { CoverRequest } from '../../db/cover-requests.js';
import type { Center } from '../../db/rows.js';
import type { Span } from '../../domain/matching.js';
import { URGENT_WITHIN_MS, urgentFrom, type Alert } from '../notify.js';
import { dayAndSpan, type CoverScene } from './flow.js';

/**
 * What an opening says and to how many at a time. Cover openings go out in waves: at
 * asking, to the best-ranked `waveSize` eligible people (takers.ts ranks them as the
 * request page does); every `waveMinutes` after, while the request is open, to as many
 * more (waves.ts, the job runner's); and to everyone eligible at once when it is Need
 * help now or its window starts within 2 hours. Which wave is due comes from the
 * clock, who was told from the notices, and a wave sent is stored (`cover_waves`, once
 * per request and wave), so a restart or a second runner sends nothing twice; the
 * openings' dedupe key makes sure of each person.
 */

/** The wave that sends to everyone eligible. */
export const ALL_WAVE = 1_000_000;

export type Wave = { readonly wave: number; /** How many are told in all once it is sent. */ readonly reach: number };

export function waveAt(center: Pick<Center, 'waveSize' | 'waveMinutes'>, request: Pick<CoverRequest, 'urgent' | 'startsAt' | 'createdAt'>, at: Date): Wave {
  if (request.urgent || Date.parse(request.startsAt) - at.getTime() <= URGENT_WITHIN_MS) return { wave: ALL_WAVE, reach: Number.POSITIVE_INFINITY };
  const k = Math.max(0, Math.floor((at.getTime() - Date.parse(request.createdAt)) / (center.waveMinutes * 60_000)));
  return { wave: k, reach: (k + 1) * center.waveSize };
}

/** Records a wave as sent (in the transaction that told its people); a second record of it is ignored. */
export async function recordWave(db: Knex, coverRequestId: string, wave: number, told: number, at: Date): Promise<void> {
  await db('cover_waves').insert({ cover_request_id: coverRequestId, wave, told, at: at.toISOString() }).onConflict(['cover_request_id', 'wave']).ignore();
}

export async function isWaveSent(db: Knex, coverRequestId: string, wave: number): Promise<boolean> {
  return (await db('cover_waves').where({ cover_request_id: coverRequestId, wave }).first('wave')) !== undefined;
}

export const peopleWords = (n: number) => `${n} ${n === 1 ? 'person' : 'people'}`;

/** What a taker reads of an opening: a new request, or one they now may take after a change. Once per person and request. */
export function openingAlert(scene: CoverScene, request: CoverRequest, window: Span): Alert {
  const { center, room } = scene;
  return {
    centerId: center.id,
    kind: request.urgent ? 'help_request' : 'cover_request_new',
    body: `${request.urgent ? 'Help needed now' : 'Cover needed'} in ${room.name}, ${dayAndSpan(window)}, ${peopleWords(request.peopleNeeded)}. You can take it.`,
    link: `/centers/${center.id}/cover`,
    coverRequestId: request.id,
    dedupeKey: `cover_open:${request.id}`,
    urgent: request.urgent,
    urgentFrom: urgentFrom(window.start.toJSDate()),
  };
}

/** What a director reads of "need help now". */
export function helpAlert(scene: CoverScene, request: CoverRequest, window: Span): Alert {
  const { center, room } = scene;
  return {
    centerId: center.id,
    kind: 'help_request',
    body: `Help needed now in ${room.name}, ${dayAndSpan(window)}, ${peopleWords(request.peopleNeeded)}.`,
    link: `/centers/${center.id}/cover-requests/${request.id}`,
    coverRequestId: request.id,
    urgent: true,
  };
}
