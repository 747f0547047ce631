/** Replacing a file all at once: a reader sees the old bytes or the new ones, never half of either. */
import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes `data` to `path` through a temporary file in the same folder (so the rename cannot cross disks),
 * flushed to disk before it is renamed over `path`; on any failure the temporary file is removed and
 * `path` is left as it was. Throws the file system's error.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(path);
  // NOTE: a dot name, so photo apps and Glint's own scan never take it for a sidecar while it exists.
  const temp = join(dir, `.${basename(path)}.glint-${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', 0o644);
  try {
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
  // The rename itself reaches the disk once the folder is flushed; not every system allows that.
  const folder = await open(dir, 'r').catch(() => undefined);
  if (folder)
    await folder
      .sync()
      .catch(() => undefined)
      .finally(() => folder.close());
}
