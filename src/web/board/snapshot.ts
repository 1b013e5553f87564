import type { Application } from 'express';
import type { Knex } from 'knex';
import { dateText } from '../../words/format.js';
import { centerSetup } from '../../db/center-setup.js';
import { auditHeads, type AuditHeads } from '../../db/freshness.js';
import type { Center } from '../../db/rows.js';
import { loadOpenCover } from '../../services/cover/on-card.js';
import { forecastCenter } from '../../services/center-forecast.js';
import { cardOf } from './card.js';
import { renderCard } from './publish.js';
import { loadCenterState, type CenterState } from '../../services/center-state.js';

/**
 * The board's cards, judged and rendered once per (audited data version, minute) and
 * reused until either changes. The room's status depends on the rows and on the date
 * in the center's zone only, but its forecast flag depends on now (a breach comes
 * within the horizon as time passes), so the key carries the minute: within a
 * minute a reload reads one primary-key row (the audit log's heads, db/freshness.ts). Every
 * write of the rows the board and the forecast read (presences, rooms, children,
 * people, trainings, shifts, templates, naps, absences) is audited, so the audit log's
 * head is exact.
 */

export type BoardCard = { readonly id: string; readonly tone: string; readonly flagged: boolean; readonly html: string };

export type BoardSnapshot = {
  readonly state: CenterState;
  /** In room order (the stream's resume sends them so). */
  readonly cards: readonly BoardCard[];
  /** Rooms needing attention first: out of compliance, then flagged by the forecast, then at limit, then ok; otherwise in room order. */
  readonly ordered: readonly BoardCard[];
  readonly summary: { readonly breach: number; readonly limit: number; readonly ok: number };
  /** When, to the minute (the key's minute), in the center's zone: "Tue 24 Nov, 06:45". */
  readonly asOf: string;
};

const attention = (c: BoardCard) => (c.tone === 'breach' ? 0 : c.flagged ? 1 : c.tone === 'limit' ? 2 : 3);

const MAX_CENTERS = 200;

export function createBoardSnapshots() {
  const entries = new Map<string, { key: string; snapshot: Promise<BoardSnapshot> }>();

  const build = async (app: Application, db: Knex, center: Center, at: Date, heads: AuditHeads): Promise<BoardSnapshot> => {
    const setup = await centerSetup(db, center.id, heads);
    // The open cover requests once for the whole center, so a card whose need they meet says so.
    const [judged, forecast, openCover] = await Promise.all([
      loadCenterState(db, center, at, { setup }),
      forecastCenter(db, center, at, { heads }),
      loadOpenCover(db, center, at, undefined, { heads }),
    ]);
    const state: CenterState = { ...judged, forecast, openCover };
    const cards = await Promise.all(
      state.rooms.map(async (room) => {
        const card = cardOf(state, room);
        return { id: card.id, tone: card.status.tone, flagged: card.forecast?.flag != null, html: await renderCard(app, card) };
      }),
    );
    const count = (tone: string) => cards.filter((c) => c.tone === tone).length;
    // The sort is stable: within a kind, room order.
    return {
      state,
      cards,
      ordered: [...cards].sort((a, b) => attention(a) - attention(b)),
      summary: { breach: count('breach'), limit: count('limit'), ok: count('ok') },
      asOf: dateText(at, center.timeZone, { time: true }),
    };
  };

  return {
    /** `heads`: the audit log's heads as the request read them (its standing stamp), else read here. */
    async get(app: Application, db: Knex, center: Center, at: Date, given?: AuditHeads): Promise<BoardSnapshot> {
      const heads = given ?? (await auditHeads(db));
      const version = heads.last;
      const minute = Math.floor(at.getTime() / 60_000);
      // The center's own settings (pack, zone, horizon, closing) are part of the key: the member's center row is read on every request.
      const key = `${version}|${minute}|${center.packId}|${center.timeZone}|${center.forecastHorizonMinutes}|${center.closesAt}`;
      const hit = entries.get(center.id);
      if (hit && hit.key === key) return hit.snapshot;
      const snapshot = build(app, db, center, at, heads);
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
