/**
 * `glint xmp status` and `glint xmp write` through the real glint command on a small library of real
 * photos tagged with `glint tag add`: off until a style is chosen, then every tagged photo's `photo.jpg.xmp`
 * is written (exiftool reads the tags back), the photos' bytes stay as they were, and a later `glint tag`
 * follows the saved setting.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../../src/engine/engine.ts';
import { exifSubjects, RUN_EXIFTOOL_TESTS } from '../../../helpers/exiftool.ts';
import { glint, json } from '../../../helpers/glint-cli.ts';
import { HAS_SHARED_DATA, PHOTOS_DIR, photoManifest } from '../../../helpers/shared-data.ts';
import { tinyModels } from '../../../helpers/standin-models.ts';

const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

describe.runIf(HAS_SHARED_DATA && RUN_EXIFTOOL_TESTS)(
  'glint xmp (real photos, tiny stand-in CLIP, exiftool reading)',
  () => {
    const root = mkdtempSync(join(tmpdir(), 'glint-xmp-cli-'));
    const photos = join(root, 'photos');
    const library = join(root, 'library');
    const files = photoManifest()
      .slice(0, 3)
      .map((p) => p.file);
    const path = (i: number): string => join(photos, files[i]!);
    let base: string[];
    let hashes: string[];

    beforeAll(async () => {
      mkdirSync(photos);
      for (const f of files) copyFileSync(join(PHOTOS_DIR, f), join(photos, f));
      hashes = files.map((_, i) => sha(path(i)));
      const models = await tinyModels(join(root, 'models'));
      const engine = await Engine.open({ libraryDir: library, modelsDir: models, bits: 64 });
      await engine.ingest.index([photos]);
      await engine.close();
      base = ['--library', library, '--models', models];
      for (const [i, tag] of [
        [0, 'Family/Max'],
        [0, 'dog'],
        [1, 'beach'],
      ] as const)
        expect(glint([...base, 'tag', 'add', path(i), tag]).code).toBe(0);
    }, 180_000);

    afterAll(() => rmSync(root, { recursive: true, force: true }));

    it('status: off by default, counting the photos with tags; writing without a style is refused', () => {
      expect(json(glint([...base, '--json', 'xmp', 'status']))).toEqual({ ok: true, mode: 'off', photos: 2 });
      const text = glint([...base, 'xmp', 'status']);
      expect(text.code).toBe(0);
      expect(text.stdout).toContain('writing tags to sidecars is off (2 photos have tags)');
      expect(text.stdout).toContain('glint xmp write --style darktable');
      const refused = glint([...base, 'xmp', 'write']);
      expect(refused.code).toBe(2);
      expect(refused.stdout + refused.stderr).toContain(
        'choose one with --style darktable or --style lightroom',
      );
      expect(readdirSync(photos).sort()).toEqual([...files].sort());
      expect(glint([...base, 'xmp', 'write', '--style', 'capture-one']).code).toBe(2);
    });

    it('write --style darktable: photo.jpg.xmp beside each tagged photo, read back by exiftool', () => {
      const r = glint([...base, '--json', 'xmp', 'write', '--style', 'darktable']);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({
        ok: true,
        mode: 'photo.jpg.xmp',
        total: 2,
        written: 2,
        unchanged: 0,
        failed: 0,
      });
      expect(exifSubjects(`${path(0)}.xmp`)).toEqual({
        subjects: ['dog', 'Max'],
        hierarchical: ['Family|Max'],
      });
      expect(exifSubjects(`${path(1)}.xmp`)).toEqual({ subjects: ['beach'], hierarchical: [] });
      expect(existsSync(`${path(2)}.xmp`)).toBe(false);
      // The photos themselves are never written; no temporary file is left beside them.
      expect(files.map((_, i) => sha(path(i)))).toEqual(hashes);
      expect(readdirSync(photos).sort()).toEqual([...files, `${files[0]}.xmp`, `${files[1]}.xmp`].sort());
      const status = glint([...base, 'xmp', 'status']);
      expect(status.stdout).toContain('tags are written to photo.jpg.xmp sidecars; 2 photos have tags');
    });

    it('the style is saved: a later `glint tag` writes the sidecar, and a rerun finds all up to date', () => {
      expect(glint([...base, 'tag', 'add', path(2), 'Trips/Porto']).code).toBe(0);
      expect(exifSubjects(`${path(2)}.xmp`)).toEqual({ subjects: ['Porto'], hierarchical: ['Trips|Porto'] });
      expect(glint([...base, 'tag', 'remove', path(0), 'dog']).code).toBe(0);
      expect(exifSubjects(`${path(0)}.xmp`).subjects).toEqual(['Max']);
      const again = glint([...base, 'xmp', 'write']);
      expect(again.code).toBe(0);
      expect(again.stdout).toContain('wrote 0 sidecars, 3 already up to date, 0 failed (photo.jpg.xmp)');
      expect(files.map((_, i) => sha(path(i)))).toEqual(hashes);
    });

    it('write --style off turns it off and leaves the written sidecars as they are', () => {
      const before = readFileSync(`${path(1)}.xmp`, 'utf8');
      const r = glint([...base, 'xmp', 'write', '--style', 'off']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('sidecars already written stay as they are');
      expect(glint([...base, 'tag', 'add', path(1), 'sunset']).code).toBe(0);
      expect(readFileSync(`${path(1)}.xmp`, 'utf8')).toBe(before);
      expect(json(glint([...base, '--json', 'xmp', 'status']))).toMatchObject({ mode: 'off', photos: 3 });
    });
  },
);
