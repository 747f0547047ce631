import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { photosOfSidecar, sidecarPathFor, writeSidecar } from '../../../src/engine/sidecar/xmp-write.ts';
import {
  getFileByPath,
  getSidecarState,
  listItemTags,
  replaceFileItems,
  upsertFile,
  type Store,
} from '../../../src/engine/store/index.ts';
import { tagPhotos, untagPhotos } from '../../../src/engine/store/bulk-tags.ts';
import { exifSubjects, exiftool, makeReadOnly, RUN_EXIFTOOL_TESTS } from '../../helpers/exiftool.ts';
import { library, tempDir } from '../store/helpers.ts';

const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

/** A real JPEG in a temp folder, indexed in `store` as one photo item; returns its path and id. */
async function photo(store: Store, dir: string, name: string): Promise<{ path: string; id: number }> {
  const path = join(dir, name);
  await sharp({ create: { width: 8, height: 8, channels: 3, background: '#3a6' } })
    .jpeg()
    .toFile(path);
  const fileId = upsertFile(store, { path, kind: 'photo', size: 1, mtimeMs: 1, hash: sha(path) });
  const [id] = replaceFileItems(store, fileId, [{ kind: 'photo', modality: 'image' }]);
  return { path, id: id! };
}

describe.runIf(RUN_EXIFTOOL_TESTS)('writing user tags to a sidecar', () => {
  it("writes photo.jpg.xmp beside the photo, exiftool reads it, the photo's bytes and folder stay clean", async () => {
    const store = library();
    const dir = tempDir();
    const p = await photo(store, dir, 'IMG_1.jpg');
    const before = sha(p.path);
    tagPhotos(store, [p.id], 'max');
    tagPhotos(store, [p.id], 'Places/France/Paris');
    const sidecar = await sidecarPathFor(p.path, 'photo.jpg.xmp');
    expect(sidecar).toBe(join(dir, 'IMG_1.jpg.xmp'));
    const r = await writeSidecar(store, sidecar, [p.path]);
    expect(r).toMatchObject({ outcome: 'written', changedOutside: false });
    expect(exifSubjects(sidecar)).toEqual({
      subjects: ['max', 'Paris'],
      hierarchical: ['Places|France|Paris'],
    });
    expect(sha(p.path)).toBe(before);
    // Atomic: nothing but the photo and its sidecar, no temporary file left behind.
    expect(readdirSync(dir).sort()).toEqual(['IMG_1.jpg', 'IMG_1.jpg.xmp']);
    // Read back through indexing's reader: the sidecar's keywords are the photo's XMP tags now.
    expect(
      listItemTags(store, p.id)
        .filter((t) => t.source === 'xmp')
        .map((t) => t.name),
    ).toEqual(['max', 'Places/France/Paris']);
    // A second write with nothing new changes nothing.
    const mtime = getSidecarState(store, sidecar)?.mtimeMs;
    expect((await writeSidecar(store, sidecar, [p.path])).outcome).toBe('unchanged');
    expect(getSidecarState(store, sidecar)?.mtimeMs).toBe(mtime);
  });

  it('merges into a sidecar edited outside Glint since it last read it, and untags only what Glint wrote', async () => {
    const store = library();
    const dir = tempDir();
    const p = await photo(store, dir, 'IMG_2.jpg');
    const sidecar = join(dir, 'IMG_2.jpg.xmp');
    // Someone else's sidecar first: a keyword, a rating.
    exiftool(['-q', '-o', sidecar, '-XMP-dc:Subject=beach', '-XMP-xmp:Rating=2']);
    tagPhotos(store, [p.id], 'beach');
    tagPhotos(store, [p.id], 'max');
    expect((await writeSidecar(store, sidecar, [p.path])).changedOutside).toBe(true);
    expect(exifSubjects(sidecar).subjects).toEqual(['beach', 'max']);
    // Edited in another app after Glint's write: a keyword added and the title set.
    exiftool(['-q', '-overwrite_original', '-XMP-dc:Subject+=sunset', '-XMP-dc:Title=Evening', sidecar]);
    untagPhotos(store, [p.id], 'max');
    untagPhotos(store, [p.id], 'beach');
    const r = await writeSidecar(store, sidecar, [p.path]);
    expect(r).toMatchObject({ outcome: 'written', changedOutside: true });
    // 'max' was Glint's and goes; 'beach' was there before Glint and stays; the outside edit survives.
    expect(exifSubjects(sidecar).subjects).toEqual(['beach', 'sunset']);
    const j = JSON.parse(exiftool(['-j', '-XMP-dc:Title', '-XMP-xmp:Rating', sidecar])) as Array<
      Record<string, unknown>
    >;
    expect(j[0]).toMatchObject({ Title: 'Evening', Rating: 2 });
    // The outside keyword came into the library as the photo's XMP tag.
    expect(listItemTags(store, p.id)).toContainEqual({ name: 'sunset', source: 'xmp' });
  });

  it("Lightroom style: one photo.xmp shared by a RAW and its JPEG holds both photos' tags", async () => {
    const store = library();
    const dir = tempDir();
    const jpg = await photo(store, dir, 'DSC_7.jpg');
    const raw = await photo(store, dir, 'DSC_7.tif');
    await photo(store, dir, 'DSC_70.jpg');
    tagPhotos(store, [jpg.id], 'jpeg-tag');
    tagPhotos(store, [raw.id], 'raw-tag');
    const sidecar = await sidecarPathFor(jpg.path, 'photo.xmp');
    expect(sidecar).toBe(join(dir, 'DSC_7.xmp'));
    const photos = photosOfSidecar(store, sidecar, 'photo.xmp', jpg.path);
    expect(photos.sort()).toEqual([jpg.path, raw.path].sort());
    await writeSidecar(store, sidecar, photos);
    expect(exifSubjects(sidecar).subjects.sort()).toEqual(['jpeg-tag', 'raw-tag']);
  });

  it('a read-only folder is an error in words; the photo and any sidecar stay as they were', async (ctx) => {
    const store = library();
    const dir = tempDir();
    const p = await photo(store, dir, 'IMG_4.jpg');
    const sidecar = join(dir, 'IMG_4.jpg.xmp');
    exiftool(['-q', '-o', sidecar, '-XMP-dc:Subject=old']);
    const sidecarBefore = sha(sidecar);
    tagPhotos(store, [p.id], 'new');
    const undo = makeReadOnly(dir);
    if (!undo) ctx.skip();
    try {
      await expect(writeSidecar(store, sidecar, [p.path])).rejects.toThrow(
        'Could not write the sidecar for IMG_4.jpg: the folder is read-only.',
      );
    } finally {
      undo?.();
    }
    expect(sha(sidecar)).toBe(sidecarBefore);
    expect(readdirSync(dir).sort()).toEqual(['IMG_4.jpg', 'IMG_4.jpg.xmp']);
    expect(getFileByPath(store, p.path)).toBeDefined();
    expect(existsSync(p.path)).toBe(true);
  });
});
