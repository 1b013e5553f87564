import type { Application } from 'express';
import type { Knex } from 'knex';
import type { Center } from '../../db/rows.js';
import { centerSetup } from '../../db/center-setup.js';
import { recordStatuses } from '../../db/status-history.js';
import type { Logger } from '../../log.js';
import type { EventHub } from '../events/hub.js';
import { forecastCenter } from '../plan/center-forecast.js';
import { cardOf } from './card.js';
import { loadCenterState, statusesOf, type CenterState } from './center-state.js';

/**
 * The tail of every presence write (domain.md, "Flow of one check-in"): in the
 * write's own transaction, judge the rooms it touched and close/open their status
 * history rows; after commit, send their new cards to the center's boards.
 */

export type Written<T> = { readonly ok: true; readonly value: T; readonly roomIds: readonly string[]; readonly cause: string };
export type Refused<E> = { readonly ok: false; readonly error: E };

/** A judged state whose rooms' forecast is loaded only if a board is listening (see publishCards). */
export type ChangedState = CenterState & { readonly forecastLater?: () => ReturnType<typeof forecastCenter> };

/** Thrown inside the transaction to undo what the write already did and answer the refusal. */
class Refusal<E> extends Error {
  constructor(readonly refused: Refused<E>) {
    super('refused');
  }
}

/**
 * Runs `write` and the recompute in ONE transaction. `write` answers the rooms it
 * touched and the cause in words (never a child's name), or a refusal; a refusal
 * rolls back anything the write had done (a move that ended the old presence but
 * could not start the new one keeps neither).
 */
export async function commitChange<T, E>(
  db: Knex,
  center: Center,
  at: Date,
  write: (trx: Knex.Transaction) => Promise<Written<T> | Refused<E>>,
): Promise<(Written<T> & { readonly state: ChangedState }) | Refused<E>> {
  try {
    // Read (or found kept) before the transaction: inside it, it is used only if still current after the write.
    const setup = await centerSetup(db, center.id);
    const done = await db.transaction(async (trx) => {
      const outcome = await write(trx);
      if (!outcome.ok) throw new Refusal(outcome);
      const state = await loadCenterState(trx, center, at, { roomIds: outcome.roomIds, setup });
      await recordStatuses(trx, center.id, statusesOf(state), at, outcome.cause);
      return { ...outcome, state };
    });
    // After commit: the cards' forecast lines (the flag and the next change) read the committed rows.
    const forecastLater = () => forecastCenter(db, center, at, { roomIds: done.roomIds });
    return { ...done, state: { ...done.state, forecastLater } };
  } catch (err) {
    if (err instanceof Refusal) return err.refused as Refused<E>;
    throw err;
  }
}

/**
 * Renders each judged room's card once and publishes it to every board of the center,
 * with the rooms' forecast lines (loaded now if the state carries them for later): a
 * live card is the very card the board page renders.
 */
export async function publishCards(app: Application, hub: EventHub, log: Logger, changed: ChangedState): Promise<void> {
  if (!hub.hasAudience(changed.center.id)) return;
  let state: CenterState = changed;
  if (!changed.forecast && changed.forecastLater) {
    try {
      state = { ...changed, forecast: await changed.forecastLater() };
    } catch (err) {
      // The write is committed; the card goes without its forecast lines, and the next board load has them.
      log.error({ err, centerId: changed.center.id }, 'board.forecast_failed');
    }
  }
  for (const room of state.rooms) {
    try {
      const data = await renderCard(app, cardOf(state, room));
      hub.publish(state.center.id, { event: 'room-card', id: room.room.id, data });
    } catch (err) {
      // The write is committed; a board that misses a card is correct again on its next load.
      log.error({ err, roomId: room.room.id }, 'board.publish_failed');
    }
  }
}

export function renderCard(app: Application, card: ReturnType<typeof cardOf>): Promise<string> {
  return new Promise((resolve, reject) => {
    app.render('partials/room-card', { layout: false, card }, (err, html) => (err ? reject(err) : resolve(html)));
  });
}

/** Judges every room of the center now and records each status that changed (e.g. after the demo day is checked in). */
export async function recordCenterStatuses(db: Knex, center: Center, at: Date, cause: string): Promise<void> {
  await db.transaction(async (trx) => {
    const state = await loadCenterState(trx, center, at);
    await recordStatuses(trx, center.id, statusesOf(state), at, cause);
  });
}

/**
 * After a write that changes rooms' plans (shifts, breaks, absences, naps): judges
 * those rooms now, with their forecast, and sends their cards to the center's boards.
 */
export async function publishRooms(app: Application, db: Knex, hub: EventHub, log: Logger, center: Center, at: Date, roomIds: readonly string[]): Promise<void> {
  if (!hub.hasAudience(center.id) || roomIds.length === 0) return;
  try {
    // A plan change is about the forecast itself: its cards are sent once, with the fresh lines.
    const state = await loadCenterState(db, center, at, { roomIds });
    await publishCards(app, hub, log, { ...state, forecast: await forecastCenter(db, center, at, { roomIds }) });
  } catch (err) {
    log.error({ err, centerId: center.id }, 'board.publish_failed');
  }
}
