import type { Application } from 'express';
import type { Knex } from 'knex';
import { auditVersion } from '../../db/center-state.js';
import type { Center } from '../../db/rows.js';
import { forecastCenter } from '../plan/center-forecast.js';
import { dayOf, ensureDayPlan } from '../plan/day-plan.js';
import { cardOf } from './card.js';
import { renderCard } from './changes.js';
import { loadCenterState, type CenterState } from './center-state.js';

/**
 * The board's cards, judged and rendered once per (audited data version, minute) and
 * reused until either changes. The room's status depends on the rows and on the date
 * in the center's zone only, but its forecast flag depends on now (a breach comes
 * within the horizon as time passes), so the key carries the minute: within a
 * minute a reload costs one primary-key read. Every write of the rows the board and
 * the forecast read (presences, rooms, children, people, trainings, shifts, templates,
 * naps, absences) is audited, so the audit log's head is an exact version.
 */

export type BoardSnapshot = {
  readonly state: CenterState;
  readonly cards: readonly { readonly id: string; readonly tone: string; readonly flagged: boolean; readonly html: string }[];
};

const MAX_CENTERS = 200;

export function createBoardSnapshots() {
  const entries = new Map<string, { key: string; snapshot: Promise<BoardSnapshot> }>();

  const build = async (app: Application, db: Knex, center: Center, at: Date): Promise<BoardSnapshot> => {
    const [judged, forecast] = await Promise.all([loadCenterState(db, center, at), forecastCenter(db, center, at)]);
    const state: CenterState = { ...judged, forecast };
    const cards = await Promise.all(
      state.rooms.map(async (room) => {
        const card = cardOf(state, room);
        return { id: card.id, tone: card.status.tone, flagged: card.forecast?.flag != null, html: await renderCard(app, card) };
      }),
    );
    return { state, cards };
  };

  return {
    async get(app: Application, db: Knex, center: Center, at: Date): Promise<BoardSnapshot> {
      // Made before the version is read: making the day's plan is itself an audited write.
      await ensureDayPlan(db, center, dayOf(center, at), at);
      const version = await auditVersion(db);
      const minute = Math.floor(at.getTime() / 60_000);
      // The center's own settings (pack, zone, horizon, closing) are part of the key: the member's center row is read on every request.
      const key = `${version}|${minute}|${center.packId}|${center.timeZone}|${center.forecastHorizonMinutes}|${center.closesAt}`;
      const hit = entries.get(center.id);
      if (hit && hit.key === key) return hit.snapshot;
      const snapshot = build(app, db, center, at);
      entries.delete(center.id);
      entries.set(center.id, { key, snapshot });
      if (entries.size > MAX_CENTERS) entries.delete(entries.keys().next().value!);
      // A failed build must not be served again.
      snapshot.catch(() => {
        if (entries.get(center.id)?.snapshot === snapshot) entries.delete(center.id);
      });
      return snapshot;
    },
  };
}
