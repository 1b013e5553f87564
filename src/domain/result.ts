/**
 * What an operation answers when it may be refused: the value, or why not. A refusal is
 * an answer, not a failure (style.md, "Errors are values in the domain"), so it is in
 * the return type and the compiler reminds the caller. Bugs still throw.
 */
export type Ok<T> = { readonly ok: true; readonly value: T };
export type Err<E> = { readonly ok: false; readonly error: E };
export type Result<T, E> = Ok<T> | Err<E>;

export const ok = <T>(value: T): Ok<T> => ({ ok: true, value });
export const err = <E>(error: E): Err<E> => ({ ok: false, error });
