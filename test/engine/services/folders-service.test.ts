import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_SHARED_DATA } from '../../helpers/shared-data.ts';
import { openHostFixture, type HostFixture } from '../host/host-fixture.ts';

describe.runIf(HAS_SHARED_DATA)('FoldersService (add, remove with undo, restore)', () => {
  let fx: HostFixture;
  beforeAll(async () => {
    fx = await openHostFixture(4);
  }, 120_000);
  afterAll(async () => {
    await fx?.cleanup();
  });

  it('refuses a path that is missing or a file, naming what to do', async () => {
    await expect(fx.engine.folders.add(join(fx.root, 'nowhere'))).rejects.toMatchObject({
      code: 'not-found',
    });
    const file = join(fx.root, 'a.txt');
    writeFileSync(file, 'x');
    await expect(fx.engine.folders.add(file)).rejects.toMatchObject({
      code: 'not-a-folder',
      message: expect.stringMatching(/add the folder that holds it/),
    });
  });

  it('says what a removal takes, removes the folder from search, and restores it with its photos', async () => {
    const { folders, search } = fx.engine;
    const preview = folders.removalPreview(fx.photos);
    expect(preview).toMatchObject({ photos: fx.manifest.length, files: fx.manifest.length });
    const before = await search.query({ terms: [{ text: 'a dog' }], photos: 50 });
    expect(before.photos).toHaveLength(fx.manifest.length);
    const removed = await folders.remove(fx.photos);
    expect(removed.photos).toBe(fx.manifest.length);
    expect(removed.undoUntil).toBeGreaterThan(Date.now());
    expect(folders.list().some((f) => f.path === fx.photos)).toBe(false);
    expect((await search.query({ terms: [{ text: 'a dog' }], photos: 50 })).photos).toEqual([]);
    expect(() => folders.removalPreview(fx.photos)).toThrow(/not a library folder/);
    const back = await folders.restoreAt(fx.photos);
    expect(back.path).toBe(fx.photos);
    const after = await search.query({ terms: [{ text: 'a dog' }], photos: 50 });
    expect(after.photos.map((p) => p.id).sort()).toEqual(before.photos.map((p) => p.id).sort());
    await expect(folders.restoreAt(fx.photos)).rejects.toMatchObject({ code: 'not-found' });
    expect(folders.fileCounts().get(back.id)).toBe(fx.manifest.length);
  });
});
