/**
 * Training checkpoints: config + model state (parameters, Adam moments, step counts, RNG) + trainer state,
 * written atomically (temporary file, fsync, rename) so a run killed at any moment leaves either the previous
 * checkpoint or the new one, never a torn file.
 * NOTE: the payload is V8's structured-clone serialisation, which keeps typed arrays (and bigints) exact and
 * fast; the format is for resuming on this installation, not an interchange format (heads are the export).
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { GlintError } from '../errors.ts';

/** Identifies a Glint checkpoint file and its layout version. */
export const CHECKPOINT_FORMAT = 'glint-train-checkpoint';
/** Layout version; bump when the shape of `Checkpoint` changes. */
export const CHECKPOINT_VERSION = 1;

/** What a checkpoint holds. `T` is the trainer's own state; `S` the model's state; `C` its config. */
export interface Checkpoint<C = unknown, S = unknown, T = unknown> {
  format: typeof CHECKPOINT_FORMAT;
  version: typeof CHECKPOINT_VERSION;
  /** When it was written (ms since the epoch). */
  savedAt: number;
  config: C;
  model: S;
  trainer: T;
}

/** Atomically writes a checkpoint to `path` (creating its folder). */
export async function writeCheckpoint<C, S, T>(
  path: string,
  data: { config: C; model: S; trainer: T },
  now: () => number = Date.now,
): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const body: Checkpoint<C, S, T> = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    savedAt: now(),
    ...data,
  };
  const bytes = serialize(body);
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  // NOTE: fsync the folder too, so the rename itself survives a power cut (best effort: not every
  // platform lets a directory be opened for this).
  try {
    const dfd = openSync(dirname(path), 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    // ignored: the data file itself is synced
  }
}

/** Reads a checkpoint; GlintError('checkpoint-invalid') when it is missing, torn or not a Glint checkpoint. */
export function readCheckpoint<C = unknown, S = unknown, T = unknown>(path: string): Checkpoint<C, S, T> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new GlintError(
      'checkpoint-invalid',
      `No checkpoint at ${path}: start a new run without --resume.`,
      { cause: err },
    );
  }
  let value: unknown;
  try {
    value = deserialize(bytes);
  } catch (err) {
    throw new GlintError(
      'checkpoint-invalid',
      `${path} is not a readable checkpoint (${err instanceof Error ? err.message : String(err)}); delete it and start again.`,
      { cause: err },
    );
  }
  const c = value as Partial<Checkpoint<C, S, T>> | null;
  if (!c || typeof c !== 'object' || c.format !== CHECKPOINT_FORMAT) {
    throw new GlintError('checkpoint-invalid', `${path} is not a Glint training checkpoint.`);
  }
  if (c.version !== CHECKPOINT_VERSION) {
    throw new GlintError(
      'checkpoint-invalid',
      `${path} is a version ${String(c.version)} checkpoint; this Glint reads version ${CHECKPOINT_VERSION}. Start a new run.`,
    );
  }
  return c as Checkpoint<C, S, T>;
}
