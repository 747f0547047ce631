import { resolve } from 'node:path';
import { Engine, type EngineEvent, type EngineOptions } from '../engine.ts';
import { GlintError } from '../errors.ts';
import { defaultLibraryDir } from '../library-paths.ts';
import { defaultModelFolder } from '../models/paths.ts';
import type { Device } from '../onnx/runtime.ts';
import type { CodeBits } from '../types.ts';
import { createOutput, type Output } from './output.ts';
import { createProgress } from './progress.ts';

/** Options every command accepts. */
export interface GlobalOptions {
  /** The command being run ("index", "heads list"), set by the CLI's runner. */
  command?: string;
  library?: string;
  models?: string;
  json?: boolean;
  device?: Device;
  bits?: string;
}

/**
 * The CLIP model folder: --models, else the one chosen in the library's Settings, else
 * $GLINT_MODELS_DIR/<set>, else the app-data models folder.
 */
export function modelsFolder(opts: GlobalOptions): string {
  return chosenModelsFolder(opts) ?? defaultModelFolder();
}

/** The CLIP model folder the user chose (--models, else the library's Settings), or undefined for the default. */
export function chosenModelsFolder(opts: GlobalOptions): string | undefined {
  if (opts.models) return resolve(opts.models);
  return Engine.savedModels(libraryFolder(opts)).dir;
}

/** The library folder: --library, else $GLINT_LIBRARY or the app-data folder. */
function libraryFolder(opts: GlobalOptions): string {
  return opts.library ? resolve(opts.library) : defaultLibraryDir();
}

/** Commands that only read the library: they take no lock and work beside a running writer. */
const READ_ONLY_COMMANDS = new Set(['search', 'similar', 'status', 'places', 'heads list', 'timeline']);

/** The engine options the global flags and environment ask for. */
export function engineOptions(opts: GlobalOptions): EngineOptions {
  const bits = opts.bits === undefined ? undefined : (Number(opts.bits) as CodeBits);
  const command = opts.command ?? 'glint';
  const libraryDir = libraryFolder(opts);
  return {
    libraryDir,
    modelsDir: modelsFolder(opts),
    // --device, else the device chosen in the library's Settings.
    device: opts.device ?? Engine.savedModels(libraryDir).device ?? 'cpu',
    access: READ_ONLY_COMMANDS.has(command) ? 'read' : 'write',
    owner: `\`glint ${command}\``,
    ...(bits === undefined ? {} : { bits }),
  };
}

/** Opens the engine for a command and wires its events to the terminal (progress bar, errors). */
export async function openEngine(
  opts: GlobalOptions,
  out: Output,
  progressTitle = 'indexing',
): Promise<{ engine: Engine; done: () => void }> {
  const engine = await Engine.open(engineOptions(opts));
  const bar = createProgress(progressTitle, !out.json);
  let barActive = false;
  let off: (() => void) | undefined = engine.on((event: EngineEvent) => {
    if (event.type === 'progress') {
      barActive = true;
      bar.update(event.done, Math.max(event.total, event.done), event.path ?? '');
    } else if (event.type === 'file-error' && event.stage !== 'metadata') {
      if (!process.stderr.isTTY || !barActive) out.warn(`${event.path}: ${event.message}`);
    } else if (event.type === 'notice') {
      out.warn(event.message);
    } else if (event.type === 'watch') {
      out.info(`${event.change}: ${event.path}`);
    }
  });
  if (engine.standin)
    out.warn(`using stand-in models with random weights (${engine.modelId}): results are not meaningful`);
  const { fallback } = engine.models.inUse;
  if (fallback) out.warn(fallback);
  return {
    engine,
    done: () => {
      if (!barActive && !off) return;
      bar.stop();
      off?.();
      off = undefined;
      barActive = false;
    },
  };
}

/**
 * Opens the engine, runs `fn` with it and always closes it; `fn` gets `done` to stop the progress
 * display before printing its result.
 */
export async function withEngine<T = number>(
  opts: GlobalOptions,
  out: Output,
  fn: (engine: Engine, done: () => void) => Promise<T>,
): Promise<T> {
  const { engine, done } = await openEngine(opts, out);
  try {
    return await fn(engine, done);
  } finally {
    done();
    await engine.close();
  }
}

export { createOutput };
export type { Output };

/** A count option (`-k`, `--limit`) as a whole number of 1 or more, or a usage error naming the option. */
export function positiveOption(raw: unknown, name: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw new GlintError('usage', `${name} must be a whole number of 1 or more (got ${String(raw)}).`);
  return n;
}
