import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_SHARED_DATA } from '../../helpers/shared-data.ts';
import { exifSubjects, makeReadOnly, RUN_EXIFTOOL_TESTS } from '../../helpers/exiftool.ts';
import { openHostFixture, type HostFixture } from '../host/host-fixture.ts';

const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

describe.runIf(HAS_SHARED_DATA && RUN_EXIFTOOL_TESTS)(
  'SidecarService (XMP write-back on tag changes)',
  () => {
    let fx: HostFixture;
    let paths: string[];
    let ids: number[];
    beforeAll(async () => {
      fx = await openHostFixture(3);
      paths = fx.manifest.map((p) => join(fx.photos, p.file));
      ids = paths.map((p) => fx.engine.search.photoIdAt(p)!);
    }, 120_000);
    afterAll(async () => {
      await fx?.cleanup();
    });

    it('is off by default: tagging writes no sidecar', async () => {
      const { tags, sidecars } = fx.engine;
      expect(sidecars.mode()).toBe('off');
      tags.add([ids[0]!], 'max');
      await sidecars.idle();
      expect(existsSync(`${paths[0]}.xmp`)).toBe(false);
      await expect(Promise.resolve().then(() => sidecars.writeAll())).rejects.toThrow(
        /choose a sidecar style/,
      );
    });

    it('turned on, writes existing tags with a count and progress, then follows every tag change', async () => {
      const { tags, sidecars } = fx.engine;
      const photoBefore = sha(paths[0]!);
      sidecars.setMode('photo.jpg.xmp');
      expect(sidecars.pending()).toEqual({ photos: 1 });
      const seen: number[] = [];
      const pass = await sidecars.writeAll((done) => seen.push(done));
      expect(pass).toEqual({ total: 1, written: 1, unchanged: 0, failed: 0 });
      expect(seen).toEqual([1]);
      expect(exifSubjects(`${paths[0]}.xmp`).subjects).toEqual(['max']);
      // The hook: a tag added or removed in Glint reaches the sidecars of the photos it changed.
      tags.add([ids[0]!, ids[1]!], 'Trips/Porto');
      await sidecars.idle();
      expect(exifSubjects(`${paths[0]}.xmp`)).toEqual({
        subjects: ['max', 'Porto'],
        hierarchical: ['Trips|Porto'],
      });
      expect(exifSubjects(`${paths[1]}.xmp`)).toEqual({ subjects: ['Porto'], hierarchical: ['Trips|Porto'] });
      tags.remove([ids[0]!], 'max');
      await sidecars.idle();
      expect(exifSubjects(`${paths[0]}.xmp`).subjects).toEqual(['Porto']);
      expect(sha(paths[0]!)).toBe(photoBefore);
    });

    it('a read-only folder becomes an error in the library list, in words, and the rest still works', async (ctx) => {
      const { tags, sidecars } = fx.engine;
      const undo = makeReadOnly(fx.photos);
      if (!undo) ctx.skip();
      try {
        tags.add([ids[2]!], 'boat');
        await sidecars.idle();
      } finally {
        undo?.();
      }
      const name = fx.manifest[2]!.file;
      expect(fx.engine.errors().find((e) => e.stage === 'sidecar')).toMatchObject({
        path: paths[2],
        message: `Could not write the sidecar for ${name}: the folder is read-only.`,
      });
      expect(existsSync(`${paths[2]}.xmp`)).toBe(false);
      // Writable again: the next pass writes it and clears the error.
      const pass = await sidecars.writeAll();
      expect(pass.failed).toBe(0);
      expect(exifSubjects(`${paths[2]}.xmp`).subjects).toEqual(['boat']);
      expect(fx.engine.errors().some((e) => e.stage === 'sidecar')).toBe(false);
    });
  },
);
