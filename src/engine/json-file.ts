import { readFile } from 'node:fs/promises';
import type { GlintError } from './errors.ts';

/** The two ways reading a JSON file can fail, worded by the caller for its own file. */
export interface JsonFileFailures {
  /** The file is missing or cannot be read (gets the fs error). */
  unreadable: (err: unknown) => GlintError;
  /** The text is not JSON (gets the parse error). */
  invalid: (err: unknown) => GlintError;
}

/** Reads and parses a JSON file, turning each failure into the caller's GlintError. */
export async function readJsonFile(path: string, failures: JsonFileFailures): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw failures.unreadable(err);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw failures.invalid(err);
  }
}
