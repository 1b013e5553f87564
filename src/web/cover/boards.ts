import type { Application } from 'express';
import type { Knex } from 'knex';
import type { Center } from '../../db/rows.js';
import type { Logger } from '../../log.js';
import { publishRooms } from '../board/publish.js';
import type { EventHub } from '../events/hub.js';

/** Open boards after a cover write: the room's card again, and the "help now" banner. */

/** Sends the room's card, with its forecast lines, to the center's open boards after a cover write. */
export async function refreshBoards(app: Application, hub: EventHub, log: Logger, db: Knex, center: Center, roomId: string, at: Date): Promise<void> {
  await publishRooms(app, db, hub, log, center, at, [roomId]);
}

/**
 * The "help now" message for open boards. The hub carries named events; this one is
 * `help-request` (id: the request's id, data: the banner's HTML), which board.js
 * listens for. The hub's type names only the card event, hence the widening here.
 */
export function publishHelp(hub: EventHub, centerId: string, id: string, html: string): void {
  hub.publish(centerId, { event: 'help-request', id, data: html });
}
