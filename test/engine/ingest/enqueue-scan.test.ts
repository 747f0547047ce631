import { mkdirSync, mkdtempSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { enqueueFolderScan } from '../../../src/engine/ingest/enqueue-scan.ts';
import * as S from '../../../src/engine/store/index.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A library store and a folder of files on disk, the files already indexed as they are now. */
function indexed(files: string[]) {
  const root = mkdtempSync(join(tmpdir(), 'glint-enqueue-'));
  dirs.push(root);
  const photos = join(root, 'photos');
  for (const f of files) {
    mkdirSync(join(photos, f, '..'), { recursive: true });
    writeFileSync(join(photos, f), f);
  }
  const store = S.openStore(join(root, 'glint.db'));
  const folder = S.addFolder(store, photos);
  for (const f of files) {
    const path = join(photos, f);
    const st = statSync(path);
    const fileId = S.upsertFile(store, {
      path,
      kind: 'photo',
      size: st.size,
      mtimeMs: st.mtimeMs,
      hash: f,
      folderId: folder.id,
      dev: st.dev,
      indexedAt: Date.now() + 1_000,
    });
    const [itemId] = S.replaceFileItems(store, fileId, [{ kind: 'photo', modality: 'image' }]);
    S.putEmbeddings(store, 'm', [{ itemId: itemId as number, vector: new Float32Array([1]) }]);
  }
  const scan = () => enqueueFolderScan(store, S.getFolder(store, photos) as S.Folder, 'm', () => {});
  const queued = (kind: 'ingest' | 'remove') =>
    S.listJobs(store, 'queued')
      .filter((j) => j.kind === kind)
      .map((j) => j.path.slice(photos.length + 1))
      .sort();
  return { store, photos, scan, queued };
}

describe('enqueueFolderScan', () => {
  it('queues nothing for an unchanged folder, a changed file, and a removal only for a file confirmed gone', async () => {
    const lib = indexed(['a.jpg', 'b.jpg', 'sub/c.jpg', 'gone/d.jpg']);
    expect(await lib.scan()).toMatchObject({ seen: 4, queued: 0, removed: 0, kept: 0, state: 'ok' });
    writeFileSync(join(lib.photos, 'a.jpg'), 'changed content');
    rmSync(join(lib.photos, 'b.jpg'));
    rmSync(join(lib.photos, 'gone'), { recursive: true });
    expect(await lib.scan()).toMatchObject({ seen: 2, queued: 1, removed: 2, kept: 0, state: 'ok' });
    expect(lib.queued('ingest')).toEqual(['a.jpg']);
    expect(lib.queued('remove')).toEqual(['b.jpg', 'gone/d.jpg']);
    lib.store.close();
  });

  it('re-reads a photo whose sidecar is newer than its indexing, found through the folder listing', async () => {
    const lib = indexed(['a.jpg', 'b.jpg']);
    const sidecar = join(lib.photos, 'a.jpg.xmp');
    writeFileSync(sidecar, '<x:xmpmeta/>');
    const later = new Date(Date.now() + 60_000);
    utimesSync(sidecar, later, later);
    expect(await lib.scan()).toMatchObject({ queued: 1 });
    expect(lib.queued('ingest')).toEqual(['a.jpg']);
    lib.store.close();
  });

  it('marks a missing root offline and keeps every file; it comes back ok with nothing queued', async () => {
    const lib = indexed(['a.jpg', 'sub/b.jpg']);
    const away = `${lib.photos}-away`;
    renameSync(lib.photos, away);
    const offline = await lib.scan();
    expect(offline).toMatchObject({ seen: 0, removed: 0, kept: 2, state: 'offline' });
    expect(offline.reason).toMatch(/plugged in/);
    expect(S.getFolder(lib.store, lib.photos)?.state).toBe('offline');
    expect(S.countErrors(lib.store)).toBe(0);
    renameSync(away, lib.photos);
    expect(await lib.scan()).toMatchObject({ queued: 0, removed: 0, kept: 0, state: 'ok', reason: null });
    lib.store.close();
  });

  it('keeps the files of a folder on another device than the one they were indexed on', async () => {
    const lib = indexed(['a.jpg', 'usb/b.jpg']);
    // As if b.jpg had been indexed from a drive mounted at usb/ that is not mounted now.
    lib.store.db.prepare('UPDATE files SET dev = dev + 1 WHERE path LIKE ?').run('%/usb/b.jpg');
    rmSync(join(lib.photos, 'usb', 'b.jpg'));
    const scan = await lib.scan();
    expect(scan).toMatchObject({ removed: 0, kept: 1, state: 'offline' });
    expect(scan.reason).toMatch(/not mounted/);
    lib.store.close();
  });
});
