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
