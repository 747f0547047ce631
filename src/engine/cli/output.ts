import { dirname } from 'node:path';
import { GlintError, diskFullError } from '../errors.ts';
import { translateSqliteError } from '../store/index.ts';
import { EXIT, exitCodeFor, type ExitCode } from './exit-codes.ts';

/** Where and how a command reports: human text on a terminal, or one JSON document for scripts. */
export interface Output {
  readonly json: boolean;
  /** Prints the command's result: `data` as JSON, or `human()` as text. */
  result(data: unknown, human: () => string): void;
  /** A line of human progress/info on stderr (silent in JSON mode, so stdout stays parseable). */
  info(line: string): void;
  /** A warning on stderr (JSON mode too: it never pollutes stdout). */
  warn(line: string): void;
}

/** Creates the output channel for one command run. */
export function createOutput(json: boolean): Output {
  return {
    json,
    result(data, human) {
      process.stdout.write(json ? `${JSON.stringify(data, null, 2)}\n` : `${human()}\n`);
    },
    info(line) {
      if (!json) process.stderr.write(`${line}\n`);
    },
    warn(line) {
      process.stderr.write(`warning: ${line}\n`);
    },
  };
}

/**
 * Reports a failure the way scripts expect and returns the exit code to use; a raw SQLite failure is
 * first translated for the library database `dbFile`.
 */
export function reportFailure(thrown: unknown, json: boolean, dbFile = 'the library database'): ExitCode {
  // NOTE: damage found mid-query (not at open) still reaches the user as `db-corrupt` with advice.
  const err = diskFullError(translateSqliteError(thrown, dbFile), dirname(dbFile));
  const code = err instanceof GlintError ? err.code : undefined;
  const exit = code === undefined ? EXIT.failure : exitCodeFor(code);
  const message = err instanceof Error ? err.message : String(err);
  if (json)
    process.stdout.write(`${JSON.stringify({ ok: false, error: { code: code ?? 'internal', message } })}\n`);
  process.stderr.write(`glint: ${message}\n`);
  if (code === undefined && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  return exit;
}
