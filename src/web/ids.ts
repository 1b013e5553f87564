import { z } from 'zod';

// Every id the app makes is newId()'s random UUID, stored lowercase; a path, a query or a form may
// carry one in either case. Any 8-4-4-4-12 hex string passes (no version check), and finds nothing
// unless a row has it.
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * An id as it comes in (path, query or form): 8-4-4-4-12 hex digits in either case, with
 * `message` as the field's error. It checks and never changes the value: a lookup takes it
 * lowercased, as stored (idIn, idField).
 */
export const idSchema = (message?: string) => z.string(message === undefined ? undefined : { error: message }).regex(ID, message);

const anyId = idSchema();

/** A form field naming a record by id: trimmed, checked by {@link idSchema}, lowercased. */
export const idField = (message: string) => z.string({ error: message }).trim().pipe(idSchema(message)).transform((s) => s.toLowerCase());

/** The id in a path or query, lowercased, or undefined when it is not one (the caller answers 404). */
export function idIn(raw: unknown): string | undefined {
  return anyId.safeParse(raw).success ? (raw as string).toLowerCase() : undefined;
}

/** Whether a path segment is an id at all (a route that is not one may be answered by another route). */
export const isId = (raw: unknown): raw is string => anyId.safeParse(raw).success;
