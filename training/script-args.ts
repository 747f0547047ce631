/**
 * What the Wiki scripts (train-wiki.ts, eval-wiki.ts) share: parsing their options, and ending the way a
 * script's caller expects — exit 2 for bad usage, 6 for a missing file (the codes `glint` uses), 1 otherwise.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { GlintError, errorMessage } from '../src/engine/errors.ts';
import type { Device } from '../src/engine/onnx/runtime.ts';
import { CODE_BITS, type CodeBits } from '../src/engine/types.ts';

/** Parses "16,32" into code lengths (duplicates dropped); GlintError('usage') names the bad value. */
export function parseBitsList(value: string): CodeBits[] {
  const out: CodeBits[] = [];
  for (const part of value.split(',').map((s) => s.trim())) {
    const b = CODE_BITS.find((c) => c === Number(part));
    if (b === undefined) {
      throw new GlintError(
        'usage',
        `--bits: "${part}" is not a code length; use ${CODE_BITS.join(', ')} (comma separated)`,
      );
    }
    if (!out.includes(b)) out.push(b);
  }
  return out;
}

/** An integer option ≥ `min`, or `fallback` when absent; GlintError('usage') for anything else. */
export function intArg(name: string, raw: string | undefined, fallback: number, min = 1): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min)
    throw new GlintError('usage', `--${name} must be an integer ≥ ${min}, got "${raw}"`);
  return n;
}

/** The `--device` option: cpu (default) or cuda. */
export function deviceArg(raw: string | undefined): Device {
  if (raw === undefined || raw === 'cpu' || raw === 'cuda') return raw ?? 'cpu';
  throw new GlintError('usage', `--device must be cpu or cuda, got "${raw}"`);
}

/**
 * The absolute path of a required file or folder option (`what` names it, e.g. "FILE.mat (the benchmark
 * file)"); GlintError 'usage' when the option is absent, 'not-found' when the path does not exist.
 */
export function existingPath(name: string, raw: string | undefined, what: string): string {
  if (raw === undefined) throw new GlintError('usage', `--${name} ${what} is required`);
  const path = resolve(raw);
  if (!existsSync(path)) throw new GlintError('not-found', `${path} does not exist (--${name} ${what}).`);
  return path;
}

/** Prints a script's result: `data` as JSON with --json, `human()` as text otherwise (stdout). */
export function printResult(json: boolean, data: unknown, human: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(data, null, 2)}\n` : `${human()}\n`);
}

/** Runs a script's `main` and sets the exit code: 2 usage, 6 not found, 1 for anything else (with the stack). */
export async function runScript(name: string, main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (err) {
    const code = err instanceof GlintError ? err.code : undefined;
    process.stderr.write(`${name}: ${errorMessage(err)}\n`);
    if (code === undefined && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    // NOTE: an option node:util's parseArgs refuses is a usage error too (ERR_PARSE_ARGS_*).
    const parseError = err instanceof Error && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS');
    process.exitCode = code === 'usage' || parseError ? 2 : code === 'not-found' ? 6 : 1;
  }
}
