import type { Application } from 'express';
import type { Knex } from 'knex';
import type { Center } from '../../db/rows.js';
import type { Logger } from '../../log.js';
import type { EventHub } from '../events/hub.js';
import { forecastCenter } from '../../services/center-forecast.js';
import { loadOpenCover } from '../../services/cover/on-card.js';
import { loadCenterState, type CenterState } from '../../services/center-state.js';
import type { ChangedState } from '../../services/presence-writes.js';
import { cardOf } from './card.js';

/**
 * Sending judged rooms to the center's open boards: each room's card rendered once
 * and published on the event hub, after a presence write (services/presence-writes.ts
 * hands over the changed state) or a plan change.
 */

/** Cards being sent for a state: the writes of one group share their state, and its cards go once. */
const publishing = new WeakMap<ChangedState, Promise<void>>();

/**
 * Renders each judged room's card once and publishes it to every board of the center,
 * with the rooms' forecast lines (loaded now if the state carries them for later): a
 * live card is the very card the board page renders. Never rejects: the write is
 * committed, and a board that misses a card is correct again on its next load.
 */
export function publishCards(app: Application, hub: EventHub, log: Logger, changed: ChangedState): Promise<void> {
  let sent = publishing.get(changed);
  if (!sent) {
    sent = sendCards(app, hub, log, changed).catch((err: unknown) => log.error({ err, centerId: changed.center.id }, 'board.publish_failed'));
    publishing.set(changed, sent);
  }
  return sent;
}

async function sendCards(app: Application, hub: EventHub, log: Logger, changed: ChangedState): Promise<void> {
  if (!hub.hasAudience(changed.center.id)) return;
  let state: CenterState = changed;
  // The open cover requests are read beside the forecast; a failed read costs the card its "Cover requested" line until the next board load.
  const coverRead =
    !changed.openCover && changed.coverLater
      ? changed.coverLater().catch((err: unknown) => void log.error({ err, centerId: changed.center.id }, 'board.cover_failed'))
      : undefined;
  if (!changed.forecast && changed.forecastLater) {
    try {
      state = { ...changed, forecast: await changed.forecastLater() };
    } catch (err) {
      // The write is committed; the card goes without its forecast lines, and the next board load has them.
      log.error({ err, centerId: changed.center.id }, 'board.forecast_failed');
    }
  }
  if (coverRead) {
    const openCover = await coverRead;
    if (openCover) state = { ...state, openCover };
  }
  const cards = await Promise.all(
    state.rooms.map(async (room) => {
      try {
        return { id: room.room.id, data: await renderCard(app, cardOf(state, room)) };
      } catch (err) {
        // The write is committed; a board that misses a card is correct again on its next load.
        log.error({ err, roomId: room.room.id }, 'board.publish_failed');
        return undefined;
      }
    }),
  );
  // All at once: the hub sends what is published in one turn as one chunk to each board.
  for (const card of cards) if (card) hub.publish(state.center.id, { event: 'room-card', ...card });
}

/**
 * A room's card as HTML, on one line: each run of white space holding a line break
 * becomes one space, which renders the same (a card has no <pre> or <textarea>), and
 * the card then goes to every board as one `data:` line, a fifth fewer bytes.
 */
export function renderCard(app: Application, card: ReturnType<typeof cardOf>): Promise<string> {
  return new Promise((resolve, reject) => {
    app.render('partials/room-card', { layout: false, card }, (err, html) => (err ? reject(err) : resolve(html.replace(LINE_BREAKS, ' ').trim())));
  });
}

const LINE_BREAKS = /\s*\n\s*/g;

/**
 * After a write that changes rooms' plans (shifts, breaks, absences, naps): judges
 * those rooms now, with their forecast, and sends their cards to the center's boards.
 */
export async function publishRooms(app: Application, db: Knex, hub: EventHub, log: Logger, center: Center, at: Date, roomIds: readonly string[]): Promise<void> {
  if (!hub.hasAudience(center.id) || roomIds.length === 0) return;
  try {
    // A plan change is about the forecast itself: its cards are sent once, with the fresh lines.
    const state = await loadCenterState(db, center, at, { roomIds });
    const [forecast, openCover] = await Promise.all([forecastCenter(db, center, at, { roomIds }), loadOpenCover(db, center, at, roomIds)]);
    await publishCards(app, hub, log, { ...state, forecast, openCover });
  } catch (err) {
    log.error({ err, centerId: center.id }, 'board.publish_failed');
  }
}
