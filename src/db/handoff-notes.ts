import type { Knex } from 'knex';
import { z } from 'zod';
import { newId, parseRows } from './rows.js';

/** Short notes staff keep per room for the day. Bodies are personal data: never logged. */

const NoteRow = z
  .object({ id: z.string(), room_id: z.string(), day: z.string(), body: z.string(), author_name: z.string(), created_at: z.string() })
  .transform((r) => ({ id: r.id, roomId: r.room_id, day: r.day, body: r.body, authorName: r.author_name, createdAt: r.created_at }));
export type HandoffNote = z.output<typeof NoteRow>;

export type NewHandoffNote = { centerId: string; roomId: string; day: string; body: string; authorUserId: string; at: Date };

export async function addHandoffNote(db: Knex, input: NewHandoffNote): Promise<string> {
  const id = newId();
  await db('handoff_notes').insert({
    id,
    center_id: input.centerId,
    room_id: input.roomId,
    day: input.day,
    body: input.body,
    author_user_id: input.authorUserId,
    created_at: input.at.toISOString(),
  });
  return id;
}

/** A room's notes of one day (YYYY-MM-DD in the center's zone), newest first, with their authors' names. */
export async function listHandoffNotes(db: Knex, centerId: string, roomId: string, day: string): Promise<HandoffNote[]> {
  const rows = await db('handoff_notes as n')
    .join('users as u', 'u.id', 'n.author_user_id')
    .where({ 'n.center_id': centerId, 'n.room_id': roomId, 'n.day': day })
    .orderBy('n.created_at', 'desc')
    .select('n.id', 'n.room_id', 'n.day', 'n.body', 'u.display_name as author_name', 'n.created_at');
  return parseRows(NoteRow, rows);
}
