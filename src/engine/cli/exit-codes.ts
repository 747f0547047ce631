/** Exit codes `glint` promises to scripts (documented in the README). */
export const EXIT = {
  ok: 0,
  /** An unexpected failure (a bug): the message and stack go to stderr. */
  failure: 1,
  /** Bad command-line usage. */
  usage: 2,
  /** Models are missing or invalid: run `glint models pull` or `glint models make-standin`. */
  models: 3,
  /** The library cannot be opened: locked by another process, corrupt, or from a newer Glint. */
  library: 4,
  /** A download could not reach the network. */
  offline: 5,
  /** A file or item named on the command line does not exist. */
  notFound: 6,
} as const;

/** One of the documented exit codes. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

const BY_ERROR_CODE: Record<string, ExitCode> = {
  'models-missing': EXIT.models,
  'models-invalid': EXIT.models,
  'db-locked': EXIT.library,
  'db-corrupt': EXIT.library,
  'db-newer': EXIT.library,
  'db-open': EXIT.library,
  'db-readonly': EXIT.library,
  'library-busy': EXIT.library,
  'disk-full': EXIT.library,
  offline: EXIT.offline,
  'not-found': EXIT.notFound,
  usage: EXIT.usage,
};

/** Maps a GlintError code to the exit code scripts rely on. */
export function exitCodeFor(errorCode: string | undefined): ExitCode {
  return (errorCode && BY_ERROR_CODE[errorCode]) || EXIT.failure;
}
