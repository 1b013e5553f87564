/**
 * Constraint violations by engine code, in one place. SQLite reports every
 * constraint as SQLITE_CONSTRAINT, so its kind is read from the message prefix
 * the engine has used for years; PostgreSQL has a code per kind.
 */
export type ConstraintKind = 'unique' | 'foreign_key' | 'other';

export function constraintViolation(err: unknown): ConstraintKind | null {
  if (typeof err !== 'object' || err === null) return null;
  const { code, message } = err as { code?: unknown; message?: unknown };
  if (code === '23505') return 'unique';
  if (code === '23503') return 'foreign_key';
  if (code === 'SQLITE_CONSTRAINT') {
    const text = String(message);
    if (text.includes('UNIQUE constraint failed')) return 'unique';
    if (text.includes('FOREIGN KEY constraint failed')) return 'foreign_key';
    return 'other';
  }
  return null;
}
