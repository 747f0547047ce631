import { photosFor } from '../helpers/search.ts';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.ts';
import { HAS_SHARED_DATA, PHOTOS_DIR, photoManifest } from '../helpers/shared-data.ts';
import { tinyModels } from '../helpers/standin-models.ts';

/**
 * Resolves once `check` holds, polling; on time-out says what the engine was doing, so a slow or stuck
 * pipeline is told apart from a missed event.
 */
async function until(engine: Engine, what: string, check: () => boolean | Promise<boolean>, ms = 60_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  const s = engine.status(20);
  throw new Error(
    `timed out waiting until ${what}: ${JSON.stringify({ photos: s.photos, ingest: s.ingest, queued: s.queuedJobs, running: s.runningJobs, errors: s.recentErrors.map((e) => e.path) })}`,
  );
}

describe.skipIf(!HAS_SHARED_DATA)('Engine.watch (tiny stand-in CLIP, real photos)', () => {
  const root = mkdtempSync(join(tmpdir(), 'glint-watch-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('indexes photos dropped into a watched folder, records a corrupt one, and follows a move', async () => {
    const folder = join(root, 'photos');
    mkdirSync(folder);
    const [a, b] = photoManifest();
    copyFileSync(join(PHOTOS_DIR, a!.file), join(folder, a!.file));
    const engine = await Engine.open({
      libraryDir: join(root, 'library'),
      modelsDir: await tinyModels(join(root, 'models')),
    });
    try {
      await engine.folders.add(folder);
      const watcher = await engine.ingest.watch();
      expect(engine.status().photos).toBe(1);

      const broken = join(folder, 'broken.jpg');
      writeFileSync(broken, readFileSync(join(PHOTOS_DIR, b!.file)).subarray(0, 1500));
      copyFileSync(join(PHOTOS_DIR, b!.file), join(folder, b!.file));
      await until(engine, 'the new photo is in and the broken one recorded', () => {
        const s = engine.status(20);
        return s.photos === 2 && s.recentErrors.some((e) => e.path === broken);
      });
      await engine.ingest.idle();

      const status = engine.status();
      expect(status.photos).toBe(2);
      expect(status.recentErrors.find((e) => e.path === broken)?.stage).toBe('decode');

      // A move inside the watched folder is an unlink then an add: recognised, not re-encoded.
      const before = (await photosFor(engine, 'x', 10)).find((r) => r.path.endsWith(a!.file));
      const moved = join(folder, `renamed-${a!.file}`);
      renameSync(join(folder, a!.file), moved);
      await until(engine, 'the moved photo is found at its new path', async () =>
        (await photosFor(engine, 'x', 10)).some((r) => r.path === moved),
      );
      await engine.ingest.idle();
      const after = (await photosFor(engine, 'x', 10)).find((r) => r.path === moved);
      expect(after?.itemId).toBe(before?.itemId);
      await watcher.close();
    } finally {
      await engine.close();
    }
  }, 150_000);
});
