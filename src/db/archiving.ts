import type { Knex } from 'knex';

/** Tables whose rows are archived, never deleted (they have history). */
export type ArchivableTable = 'rooms' | 'children' | 'people';

/** Archives the row if it is not archived yet; false when it already was (the row count decides, so a double submit records once). */
export async function archiveInCenter(db: Knex, table: ArchivableTable, centerId: string, id: string, at: Date): Promise<boolean> {
  return (await db(table).where({ id, center_id: centerId }).whereNull('archived_at').update({ archived_at: at.toISOString() })) === 1;
}

/** Brings an archived row back; false when it was not archived. */
export async function unarchiveInCenter(db: Knex, table: ArchivableTable, centerId: string, id: string): Promise<boolean> {
  return (await db(table).where({ id, center_id: centerId }).whereNotNull('archived_at').update({ archived_at: null })) === 1;
}
