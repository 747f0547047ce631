import { photosFor } from '../helpers/search.ts';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.ts';
import { HAS_SHARED_DATA, PHOTOS_DIR, photoManifest } from '../helpers/shared-data.ts';
import { tinyModels } from '../helpers/standin-models.ts';

describe.skipIf(!HAS_SHARED_DATA)(
  'Engine end to end (tiny stand-in CLIP, real photos; needs ../shared/data)',
  () => {
    const root = mkdtempSync(join(tmpdir(), 'glint-engine-'));
    const photos = join(root, 'photos');
    const notes = join(root, 'notes');
    const manifest = photoManifest().slice(0, 8);
    let engine: Engine;
    let modelsDir: string;

    beforeAll(async () => {
      mkdirSync(photos);
      mkdirSync(notes);
      for (const p of manifest) {
        copyFileSync(join(PHOTOS_DIR, p.file), join(photos, p.file));
        writeFileSync(join(notes, p.file.replace('.jpg', '.txt')), p.captions.join('\n\n'));
      }
      // Bad input that must be recorded without stopping the rest.
      const good = readFileSync(join(PHOTOS_DIR, manifest[0]!.file));
      writeFileSync(join(photos, 'truncated.jpg'), good.subarray(0, Math.floor(good.length * 0.3)));
      writeFileSync(join(photos, 'empty.jpg'), Buffer.alloc(0));
      writeFileSync(join(photos, 'not-an-image.png'), Buffer.from('this is plain text, not a PNG'));
      writeFileSync(
        join(notes, 'latin1.txt'),
        Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0x6e, 0x6f, 0x69, 0x72]),
      );
      modelsDir = await tinyModels(join(root, 'models'));
      engine = await Engine.open({ libraryDir: join(root, 'library'), modelsDir, bits: 64 });
    });

    afterAll(async () => {
      await engine?.close();
      rmSync(root, { recursive: true, force: true });
    });

    it('indexes photos and notes, and records each bad file with a readable reason', async () => {
      const progress: number[] = [];
      const off = engine.on((e) => e.type === 'progress' && progress.push(e.done));
      const summary = await engine.ingest.index([photos, notes]);
      off();
      const status = engine.status();
      expect(status.photos).toBe(manifest.length);
      expect(status.noteChunks).toBeGreaterThanOrEqual(manifest.length);
      expect(summary.failed).toBe(4);
      const failed = new Map(status.recentErrors.map((e) => [e.path.split('/').pop(), e]));
      expect([...failed.keys()].sort()).toEqual([
        'empty.jpg',
        'latin1.txt',
        'not-an-image.png',
        'truncated.jpg',
      ]);
      expect(failed.get('latin1.txt')?.message).toMatch(/UTF-8/);
      expect(failed.get('truncated.jpg')?.stage).toBe('decode');
      expect(progress.at(-1)).toBe(summary.processed);
    });

    it('searches photos by text with ranked distances, and notes by image', async () => {
      const results = await photosFor(engine, 'a dog', 5);
      expect(results).toHaveLength(5);
      expect(results.every((r) => r.kind === 'photo' && r.path.startsWith(photos))).toBe(true);
      const distances = results.map((r) => r.distance);
      expect(distances).toEqual([...distances].sort((a, b) => a - b));
      expect(results[0]?.thumbnail).toMatch(/\.webp$/);

      const found = await engine.search.query({
        terms: [{ image: join(photos, manifest[1]!.file) }],
        photos: 3,
        notes: 3,
      });
      const similar = {
        notes: engine.search.describe(found.notes),
        photos: engine.search.describe(found.photos),
      };
      expect(similar.notes.length).toBe(3);
      expect(similar.notes.every((n) => n.kind === 'note_chunk' && typeof n.text === 'string')).toBe(true);
      // The query photo itself is left out of its own similar photos.
      expect(similar.photos.some((p) => p.path.endsWith(manifest[1]!.file))).toBe(false);
    });

    it('re-indexing an unchanged library queues nothing and duplicates nothing', async () => {
      const before = engine.status();
      const summary = await engine.ingest.index();
      const after = engine.status();
      expect(summary.queued).toBe(4); // only the four failed files are retried
      expect(after.photos).toBe(before.photos);
      expect(after.noteChunks).toBe(before.noteChunks);
    });

    it('a touched but unchanged photo keeps its item and is not re-encoded', async () => {
      const path = join(photos, manifest[4]!.file);
      const before = (await photosFor(engine, 'anything', 50)).find((r) => r.path === path)?.itemId;
      const later = new Date(Date.now() + 60_000);
      utimesSync(path, later, later);
      expect((await engine.ingest.index()).queued).toBe(5); // the touched photo + the four failed files
      const after = (await photosFor(engine, 'anything', 50)).find((r) => r.path === path)?.itemId;
      expect(after).toBe(before);
      expect((await engine.ingest.index()).queued).toBe(4); // its new mtime was recorded
    });

    it('recognises a moved photo by its content and keeps its item and tags', async () => {
      const from = join(photos, manifest[2]!.file);
      const to = join(photos, `moved-${manifest[2]!.file}`);
      engine.tags.add([engine.search.photoIdAt(from)], 'Max');
      const idBefore = (await photosFor(engine, 'anything', 50)).find((r) => r.path === from)?.itemId;
      renameSync(from, to);
      await engine.ingest.index();
      const after = (await photosFor(engine, 'anything', 50)).find((r) => r.path === to);
      expect(after?.itemId).toBe(idBefore);
      expect(after?.tags?.map((t) => t.name)).toContain('Max');
      expect(engine.status().photos).toBe(manifest.length);
    });

    it('drops deleted files from the index and from search', async () => {
      const gone = join(photos, manifest[3]!.file);
      unlinkSync(gone);
      await engine.ingest.index();
      expect(engine.status().photos).toBe(manifest.length - 1);
      const results = await photosFor(engine, 'a dog', 50);
      expect(results.some((r) => r.path === gone)).toBe(false);
    });
  },
);
