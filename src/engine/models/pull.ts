import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { GlintError, errorMessage } from '../errors.ts';
import { sha256File, sizeIfFile, updateHashFromFile } from '../ingest/file-hash.ts';
import { loadManifest, type ModelFile, type ModelManifest, type ModelSet } from './manifest.ts';
import { DEFAULT_MODEL_SET, modelSetDir, resolveModelsDir } from './paths.ts';

/** A progress report of `pullModels`: sent while a file downloads (throttled), and once per file when it is done or skipped. */
export interface PullProgress {
  set: string;
  /** The file's path inside its set folder, e.g. `onnx/vision_model.onnx`. */
  file: string;
  phase: 'download' | 'verify' | 'done' | 'skip';
  /** Bytes of the file on disk so far (a resumed download counts what was already there). */
  bytes: number;
  /** Expected size: from the manifest, else from the server; null when neither says. */
  total: number | null;
  /** Download rate of this transfer in bytes per second (0 before any byte arrived). */
  rate: number;
}

/** Options of `pullModels`. */
export interface PullOptions {
  manifest: ModelManifest;
  /** The models root; set `id` downloads into `<dir>/<id>/`. */
  dir: string;
  /**
   * The folder of the (one) set pulled, in place of `<dir>/<id>/`: a models folder chosen in Settings, which
   * the download must fill and every message must name.
   */
  setDir?: string;
  /** Ids of the sets to pull (default: every set in the manifest). */
  sets?: readonly string[];
  /** HTTP client (default: global fetch). */
  fetch?: typeof globalThis.fetch;
  onProgress?: (progress: PullProgress) => void;
  /** How many times an interrupted transfer is resumed at once before giving up (default 3). */
  retries?: number;
  /** Monotonic clock in ms, for rates and throttling (default: performance.now). */
  now?: () => number;
  signal?: AbortSignal;
}

/** What `pullModels` did with one file. */
export interface PulledFile {
  set: string;
  file: string;
  /** Absolute path of the file. */
  target: string;
  status: 'downloaded' | 'present';
  /** What the file was checked against: its SHA-256, its size only, or nothing the manifest pins. */
  verified: 'sha256' | 'size' | 'none';
  /** Bytes already on disk from an earlier, interrupted transfer, when this one resumed. */
  resumedFrom?: number;
}

/** The outcome of `pullModels`: each file, and warnings such as files that could not be checksum-verified. */
export interface PullResult {
  files: PulledFile[];
  warnings: string[];
}

const PROGRESS_INTERVAL_MS = 100;

/**
 * Downloads the files of the manifest's model sets into `<dir>/<set id>/`. Each file goes to
 * `<file>.part` first and is renamed into place only once its size and SHA-256 (where the manifest
 * pins them) check out. A `.part` left by an interrupted transfer is resumed with an HTTP Range
 * request (a server that answers 200 instead of 206 gets a fresh download). Files already present
 * and verified are skipped. Throws GlintError: 'offline' when the server cannot be reached (the
 * message lists the URLs to fetch by hand), 'checksum-mismatch' (the `.part` is deleted),
 * 'download-interrupted' (the `.part` is kept for the next run), 'download-failed' (HTTP error).
 */
export async function pullModels(options: PullOptions): Promise<PullResult> {
  const sets =
    options.sets === undefined
      ? options.manifest.sets
      : options.manifest.sets.filter((s) => options.sets?.includes(s.id));
  const unknown = (options.sets ?? []).filter((id) => !options.manifest.sets.some((s) => s.id === id));
  if (unknown.length > 0) {
    throw new GlintError(
      'unknown-model-set',
      `No model set named ${unknown.join(', ')}; the manifest has ${options.manifest.sets.map((s) => s.id).join(', ')}.`,
    );
  }
  if (options.setDir !== undefined && sets.length !== 1)
    throw new Error(`pullModels: setDir names one set's folder, but ${sets.length} sets were asked for`);
  const result: PullResult = { files: [], warnings: [] };
  for (const set of sets) {
    for (const file of set.files) {
      const pulled = await pullFile(set, file, options);
      result.files.push(pulled);
      if (pulled.verified !== 'sha256') result.warnings.push(unverifiedWarning(set, file));
    }
  }
  return result;
}

function unverifiedWarning(set: ModelSet, file: ModelFile): string {
  const what =
    file.verify === 'size-only'
      ? 'its size was checked'
      : file.path.endsWith('.json')
        ? 'it was checked to parse as JSON'
        : 'nothing about it could be checked';
  return `${set.id}/${file.path} could not be checksum-verified (the manifest pins no SHA-256 for it); ${what}.`;
}

async function pullFile(set: ModelSet, file: ModelFile, options: PullOptions): Promise<PulledFile> {
  const setDir = options.setDir ?? modelSetDir(options.dir, set.id);
  const target = join(setDir, file.path);
  const verifiedAs: PulledFile['verified'] =
    file.verify === 'sha256' ? 'sha256' : file.verify === 'size-only' ? 'size' : 'none';
  const report = (phase: PullProgress['phase'], bytes: number, total: number | null, rate = 0): void =>
    options.onProgress?.({ set: set.id, file: file.path, phase, bytes, total, rate });

  const existing = await sizeIfFile(target);
  if (existing !== undefined && (await isValid(target, existing, file))) {
    report('skip', existing, file.size ?? existing);
    return { set: set.id, file: file.path, target, status: 'present', verified: verifiedAs };
  }

  await mkdir(dirname(target), { recursive: true });
  const part = `${target}.part`;
  const retries = options.retries ?? 3;
  let resumedFrom: number | undefined;
  for (let attempt = 0; ; attempt++) {
    try {
      const from = await download(set, file, part, setDir, options, report);
      if (from > 0) resumedFrom ??= from;
      break;
    } catch (err) {
      if (!(err instanceof GlintError) || err.code !== 'download-interrupted' || attempt >= retries)
        throw err;
    }
  }

  const size = (await sizeIfFile(part)) ?? 0;
  report('verify', size, file.size ?? size);
  await verifyPart(set, file, part, size);
  await rename(part, target);
  report('done', size, file.size ?? size);
  return {
    set: set.id,
    file: file.path,
    target,
    status: 'downloaded',
    verified: verifiedAs,
    ...(resumedFrom !== undefined ? { resumedFrom } : {}),
  };
}

/**
 * Transfers `file` into `part`, resuming from the bytes already there. Resolves to the offset the
 * transfer started from once the server has sent everything; the caller verifies the result.
 */
async function download(
  set: ModelSet,
  file: ModelFile,
  part: string,
  setDir: string,
  options: PullOptions,
  report: (phase: PullProgress['phase'], bytes: number, total: number | null, rate?: number) => void,
): Promise<number> {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const now = options.now ?? (() => performance.now());
  let offset = (await sizeIfFile(part)) ?? 0;
  if (file.size !== null && offset > file.size) {
    await unlink(part);
    offset = 0;
  }
  if (file.size !== null && offset === file.size) return offset; // complete from a previous run: just verify

  let response = await request(fetchImpl, set, file, setDir, offset, options.signal);
  if (response.status === 416 && offset > 0) {
    // The server rejects our range: what we have is not a prefix it knows. Start over.
    await response.body?.cancel();
    await unlink(part);
    offset = 0;
    response = await request(fetchImpl, set, file, setDir, 0, options.signal);
  }
  if (response.status === 206) {
    const start = /^bytes (\d+)-/.exec(response.headers.get('content-range') ?? '')?.[1];
    if (start === undefined || Number(start) !== offset) {
      await response.body?.cancel();
      throw new GlintError(
        'download-failed',
        `${file.url} answered a range request with the wrong range (${response.headers.get('content-range') ?? 'none'}); delete ${part} and try again.`,
      );
    }
  } else if (response.status === 200) {
    offset = 0; // NOTE: the server ignored the Range header and sends the whole file.
  } else {
    await response.body?.cancel();
    throw new GlintError(
      'download-failed',
      `${file.url} answered HTTP ${response.status} ${response.statusText}. Try again later, or download it by hand into ${join(setDir, file.path)}.`,
    );
  }

  const length = Number(response.headers.get('content-length') ?? NaN);
  const total = file.size ?? (Number.isFinite(length) ? offset + length : null);
  if (response.body === null) throw interrupted(set, file, offset, total, 'the server sent no body');

  let bytes = offset;
  let received = 0;
  const started = now();
  let lastReport = -Infinity;
  const progress = (force: boolean): void => {
    const t = now();
    if (!force && t - lastReport < PROGRESS_INTERVAL_MS) return;
    lastReport = t;
    const seconds = (t - started) / 1000;
    report('download', bytes, total, seconds > 0 ? received / seconds : 0);
  };
  try {
    await pipeline(
      Readable.fromWeb(response.body as WebReadableStream<Uint8Array>),
      async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          bytes += chunk.length;
          received += chunk.length;
          progress(false);
          yield chunk;
        }
      },
      createWriteStream(part, { flags: offset > 0 ? 'a' : 'w' }),
      { signal: options.signal },
    );
  } catch (err) {
    if (options.signal?.aborted === true) throw cancelled(set, err);
    throw interrupted(set, file, bytes, total, errorMessage(err));
  }
  progress(true);
  if (total !== null && bytes < total)
    throw interrupted(set, file, bytes, total, 'the connection closed early');
  return offset;
}

async function request(
  fetchImpl: typeof globalThis.fetch,
  set: ModelSet,
  file: ModelFile,
  setDir: string,
  offset: number,
  signal: AbortSignal | undefined,
): Promise<Response> {
  try {
    return await fetchImpl(file.url, {
      headers: offset > 0 ? { Range: `bytes=${offset}-` } : {},
      redirect: 'follow',
      ...(signal !== undefined ? { signal } : {}),
    });
  } catch (err) {
    if (signal?.aborted === true) throw cancelled(set, err);
    throw offline(set, file, setDir, err);
  }
}

/** Checks the finished `.part` against the manifest; deletes it when it can never become right. */
async function verifyPart(set: ModelSet, file: ModelFile, part: string, size: number): Promise<void> {
  const name = `${set.id}/${file.path}`;
  if (file.size !== null && size !== file.size) {
    await unlink(part).catch(() => undefined);
    throw new GlintError(
      'checksum-mismatch',
      `${name} downloaded as ${size} bytes, not the expected ${file.size}; the partial file was deleted. Run the pull again; if this repeats, the file on the server has changed and Glint needs an update.`,
    );
  }
  if (file.sha256 !== null) {
    const hash = createHash('sha256');
    await updateHashFromFile(hash, part);
    const digest = hash.digest('hex');
    if (digest !== file.sha256) {
      await unlink(part).catch(() => undefined);
      throw new GlintError(
        'checksum-mismatch',
        `${name} failed its checksum (SHA-256 ${digest}, expected ${file.sha256}); the partial file was deleted. Run the pull again; if this repeats, the download is being corrupted or the file on the server has changed.`,
      );
    }
  } else if (file.path.endsWith('.json') && !(await parsesAsJson(part))) {
    await unlink(part).catch(() => undefined);
    throw new GlintError(
      'checksum-mismatch',
      `${name} downloaded but is not valid JSON (an error page instead of the file?); the partial file was deleted. Run the pull again.`,
    );
  }
}

/** Whether an existing file counts as downloaded: size (and SHA-256) as pinned; JSON files must parse. */
async function isValid(path: string, size: number, file: ModelFile): Promise<boolean> {
  if (file.size !== null && size !== file.size) return false;
  if (file.sha256 !== null) return (await sha256File(path)) === file.sha256;
  if (file.path.endsWith('.json')) return parsesAsJson(path);
  return size > 0;
}

async function parsesAsJson(path: string): Promise<boolean> {
  try {
    JSON.parse(await readFile(path, 'utf8'));
    return true;
  } catch {
    return false;
  }
}

function interrupted(
  set: ModelSet,
  file: ModelFile,
  bytes: number,
  total: number | null,
  reason: string,
): GlintError {
  return new GlintError(
    'download-interrupted',
    `The download of ${set.id}/${file.path} stopped at ${bytes}${total !== null ? ` of ${total}` : ''} bytes (${reason}). Run the pull again to resume where it stopped.`,
  );
}

function cancelled(set: ModelSet, cause: unknown): GlintError {
  return new GlintError(
    'cancelled',
    `The download of ${set.id} was cancelled; run the pull again to resume.`,
    { cause },
  );
}

/** The network error behind a failed fetch (undici wraps it in `cause`), as `CODE` or its message. */
function networkReason(err: unknown): string {
  let e: unknown = err;
  for (let depth = 0; depth < 4 && e !== undefined && e !== null; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return errorMessage(err);
}

function offline(set: ModelSet, file: ModelFile, setDir: string, err: unknown): GlintError {
  const host = new URL(file.url).host;
  const list = set.files.map((f) => `  ${f.path}  ←  ${f.url}`).join('\n');
  return new GlintError(
    'offline',
    `Could not reach ${host} (${networkReason(err)}) to download the ${set.id} model files. Check your connection, or copy the model files into ${setDir} by hand:\n${list}`,
    { cause: err },
  );
}

/**
 * The first-run download of the app and `glint serve`: the default CLIP set into `into` (the models folder
 * in use), from the manifest at `manifestPath` (the app's bundle says where it keeps it) or the default one.
 */
export function defaultSetPuller(
  manifestPath?: string,
): (onProgress: (progress: PullProgress) => void, into: string) => Promise<void> {
  return async (onProgress, into) => {
    const manifest = await (manifestPath ? loadManifest(manifestPath) : loadManifest());
    await pullModels({
      manifest,
      dir: resolveModelsDir(),
      sets: [DEFAULT_MODEL_SET],
      setDir: into,
      onProgress,
    });
  };
}
