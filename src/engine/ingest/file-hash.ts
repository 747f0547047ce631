import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { GlintError, errorMessage } from '../errors.ts';

/** Size and modification time of a file, as the ingest queue compares them to spot changes. */
export interface FileStat {
  size: number;
  mtimeMs: number;
  /** The device the file is on. */
  dev: number;
}

/** Error codes of `fileError`, one per way a file can be out of reach. */
export type FileErrorCode =
  'file-vanished' | 'file-unreadable' | 'file-is-directory' | 'file-symlink-loop' | 'file-error';

/**
 * Turns a Node fs error about `path` into a GlintError whose message says what happened and what
 * to do: ENOENT (vanished), EACCES/EPERM (unreadable), EISDIR, ELOOP; anything else keeps its message.
 */
export function fileError(err: unknown, path: string): GlintError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new GlintError(
        'file-vanished',
        `${path} is gone (moved or deleted while Glint was reading it).`,
        { cause: err },
      );
    case 'EACCES':
    case 'EPERM':
      return new GlintError(
        'file-unreadable',
        `${path} cannot be read: permission denied. Check the file's permissions.`,
        { cause: err },
      );
    case 'EISDIR':
      return new GlintError('file-is-directory', `${path} is a folder, not a file.`, { cause: err });
    case 'ELOOP':
      return new GlintError(
        'file-symlink-loop',
        `${path} is a symbolic link that points back to itself (a link loop); fix or remove the link.`,
        { cause: err },
      );
    default:
      return new GlintError('file-error', `${path} could not be read: ${errorMessage(err)}`, { cause: err });
  }
}

/** Size and mtime of the file at `path` (symlinks followed); throws a `fileError` GlintError when it cannot be stat'ed or is a folder. */
export async function statFile(path: string): Promise<FileStat> {
  let s;
  try {
    s = await stat(path);
  } catch (err) {
    throw fileError(err, path);
  }
  if (s.isDirectory()) throw fileError(Object.assign(new Error('EISDIR'), { code: 'EISDIR' }), path);
  return { size: s.size, mtimeMs: s.mtimeMs, dev: s.dev };
}

/** Size of the regular file at `path`, or undefined when there is none (missing, a folder, unreadable). */
export async function sizeIfFile(path: string): Promise<number | undefined> {
  try {
    const s = await stat(path);
    return s.isFile() ? s.size : undefined;
  } catch {
    return undefined;
  }
}

/** Feeds the bytes of the file at `path` into `hash` as a stream; resolves to the number of bytes read. Raw fs errors propagate. */
export function updateHashFromFile(hash: Hash, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    let bytes = 0;
    const stream = createReadStream(path);
    stream.on('data', (chunk) => {
      const buf = chunk as Buffer;
      bytes += buf.length;
      hash.update(buf);
    });
    stream.on('error', reject);
    stream.on('end', () => resolve(bytes));
  });
}

/** Streaming SHA-256 of the file at `path` as lower-case hex; throws a `fileError` GlintError when it cannot be read. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  try {
    await updateHashFromFile(hash, path);
  } catch (err) {
    throw fileError(err, path);
  }
  return hash.digest('hex');
}

/**
 * Largest file Glint reads. The biggest photos people keep (150 MP raw-derived TIFFs) stay under it;
 * anything larger is refused before a byte is read rather than held in memory.
 */
export const MAX_FILE_BYTES = 512 * 1024 * 1024;

/** A file's bytes as read once, with the stat they belong to and their sha256. */
export interface FileBytes extends FileStat {
  bytes: Buffer;
  /** sha256 of `bytes`, lower-case hex. */
  hash: string;
}

/**
 * Reads a whole file once through one open handle and hashes exactly those bytes. The size and mtime
 * are checked before and after: a file that changed while it was read throws `file-changing` (the
 * caller retries later), so what is hashed, decoded and stored is always one version of the file.
 * Files over `maxBytes` throw `file-too-large` before anything is read.
 */
export async function readFileOnce(path: string, maxBytes = MAX_FILE_BYTES): Promise<FileBytes> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    throw fileError(err, path);
  }
  try {
    const before = await handle.stat();
    if (before.isDirectory()) throw fileError(Object.assign(new Error('EISDIR'), { code: 'EISDIR' }), path);
    if (before.size > maxBytes) {
      throw new GlintError(
        'file-too-large',
        `${path} is ${Math.round(before.size / 1024 / 1024)} MB, larger than the ${Math.round(maxBytes / 1024 / 1024)} MB Glint reads; it was skipped.`,
      );
    }
    const bytes = await handle.readFile();
    const after = await stat(path);
    if (bytes.length !== before.size || after.size !== before.size || after.mtimeMs !== before.mtimeMs) {
      throw new GlintError(
        'file-changing',
        `${path} changed while Glint was reading it (it is still being written); Glint will read it again.`,
      );
    }
    const hash = createHash('sha256').update(bytes).digest('hex');
    return { bytes, hash, size: before.size, mtimeMs: before.mtimeMs, dev: before.dev };
  } catch (err) {
    throw err instanceof GlintError ? err : fileError(err, path);
  } finally {
    await handle.close().catch(() => undefined);
  }
}
