import type { ApiError } from '../contract/api.ts';

/** An expected, user-facing failure: `code` is stable for scripts, `message` says what to do. */
export class GlintError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.name = 'GlintError';
  }
}

/** The message of any thrown value, for recording it where the user can read it. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * A failure the user can act on, as a GlintError: a raw "no space left" from any write (a head, a
 * thumbnail, a checkpoint) becomes `disk-full`; anything else is returned as it is.
 */
export function diskFullError(err: unknown, where = 'the library'): unknown {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code !== 'ENOSPC' && code !== 'EDQUOT') return err;
  return new GlintError(
    'disk-full',
    `The disk holding ${where} is full; free some space and try again. Nothing was lost.`,
    {
      cause: err,
    },
  );
}

/**
 * Any thrown value as the one error shape every boundary carries (worker, process, API): a GlintError keeps
 * its code and words; anything else is 'internal' with its message. Stacks never cross: callers log them.
 */
export function toApiError(err: unknown): ApiError {
  return err instanceof GlintError
    ? { code: err.code, message: err.message }
    : { code: 'internal', message: errorMessage(err) };
}

/** The thrown value for an ApiError that crossed a boundary: a GlintError, or a plain Error for 'internal' (a bug). */
export function fromApiError(error: ApiError): Error {
  return error.code === 'internal' ? new Error(error.message) : new GlintError(error.code, error.message);
}
