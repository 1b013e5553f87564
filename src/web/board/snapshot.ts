import type { Application } from 'express';
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { auditVersion } from '../../db/center-state.js';
import type { Center } from '../../db/rows.js';
import { cardOf } from './card.js';
import { renderCard } from './changes.js';
import { loadCenterState, type CenterState } from './center-state.js';

/**
 * The board's cards, judged and rendered once per (audited data version, local day)
 * and reused until either changes. A judgement depends on the rows and on the date
 * in the center's zone only (ages and training validity move at midnight), and every
 * write of those rows is audited, so the audit log's head is an exact version: one
 * primary-key read replaces eight table reads, the engine and twenty renders.
 */

export type BoardSnapshot = {
  readonly state: CenterState;
  readonly cards: readonly { readonly id: string; readonly tone: string; readonly html: string }[];
};

const MAX_CENTERS = 200;

export function createBoardSnapshots() {
  const entries = new Map<string, { key: string; snapshot: Promise<BoardSnapshot> }>();

  const build = async (app: Application, db: Knex, center: Center, at: Date): Promise<BoardSnapshot> => {
    const state = await loadCenterState(db, center, at);
    const cards = await Promise.all(
      state.rooms.map(async (room) => {
        const card = cardOf(state, room);
        return { id: card.id, tone: card.status.tone, html: await renderCard(app, card) };
      }),
    );
    return { state, cards };
  };

  return {
    async get(app: Application, db: Knex, center: Center, at: Date): Promise<BoardSnapshot> {
      const version = await auditVersion(db);
      const day = DateTime.fromJSDate(at, { zone: center.timeZone }).toISODate();
      // The center's own settings (pack, zone) are part of the key: the member's center row is read on every request.
      const key = `${version}|${day}|${center.packId}|${center.timeZone}`;
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
