/** Running the real `glint` command in tests: as this user, or as another one (root cannot be locked out by chmod). */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The glint launcher of this checkout. */
export const GLINT = resolve('bin/glint');

/** What a finished glint run printed. */
export interface GlintRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Whether tests run as root: permission cases then run glint as `nobody`. */
export const IS_ROOT = process.getuid?.() === 0;

// NOTE: 65534 is `nobody` on Debian and most Linux systems.
const NOBODY = 65_534;

/** Runs glint to the end; `asOther` runs it as `nobody` when the tests run as root. */
export function glint(args: string[], opts: { asOther?: boolean; timeoutMs?: number } = {}): GlintRun {
  const started = Date.now();
  const [cmd, argv] =
    opts.asOther && IS_ROOT
      ? ['setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '--', GLINT, ...args]]
      : [GLINT, args];
  const r = spawnSync(cmd, argv, { encoding: 'utf8', timeout: opts.timeoutMs ?? 120_000 });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - started };
}

/** Starts glint in the background (e.g. `serve`, or an `index` to race). */
export function glintBackground(args: string[]): ChildProcess {
  return spawn(GLINT, args, { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The JSON document a `--json` run printed. */
export function json<T>(run: GlintRun): T {
  try {
    return JSON.parse(run.stdout) as T;
  } catch {
    throw new Error(`glint printed no JSON (exit ${run.code}): ${run.stdout}\n${run.stderr}`);
  }
}

/** Hands a tree to `nobody` (when root), so a glint run as `nobody` can write its library. */
export function giveToOther(dir: string): void {
  if (!IS_ROOT) return;
  chownSync(dir, NOBODY, NOBODY);
  if (!statSync(dir).isDirectory()) return;
  for (const name of readdirSync(dir)) giveToOther(join(dir, name));
}
