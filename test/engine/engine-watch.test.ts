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
import { Engine, type EngineEvent } from '../../src/engine/engine.ts';
import { HAS_SHARED_DATA, PHOTOS_DIR, photoManifest } from '../helpers/shared-data.ts';
import { tinyModels } from '../helpers/standin-models.ts';

/** Resolves once `predicate` holds for an event, or rejects after `ms`. */
function waitFor(engine: Engine, predicate: (e: EngineEvent) => boolean, ms = 45_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error('timed out waiting for an engine event'));
    }, ms);
    const off = engine.on((e) => {
      if (predicate(e)) {
        clearTimeout(timer);
        off();
        resolve();
      }
    });
  });
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
      await engine.addFolder(folder);
      const watcher = await engine.watch();
      expect(engine.status().photos).toBe(1);

      const broken = join(folder, 'broken.jpg');
      const recorded = waitFor(engine, (e) => e.type === 'file-error' && e.path === broken);
      writeFileSync(broken, readFileSync(join(PHOTOS_DIR, b!.file)).subarray(0, 1500));
      const added = waitFor(
        engine,
        (e) => e.type === 'progress' && e.path === join(folder, b!.file) && e.done === e.total,
      );
      copyFileSync(join(PHOTOS_DIR, b!.file), join(folder, b!.file));
      await Promise.all([recorded, added]);
      await engine.idle();

      const status = engine.status();
      expect(status.photos).toBe(2);
      expect(status.recentErrors.find((e) => e.path === broken)?.stage).toBe('decode');

      // A move inside the watched folder is an unlink then an add: recognised, not re-encoded.
      const before = (await engine.searchText('x', { k: 10 })).find((r) => r.path.endsWith(a!.file));
      const moved = join(folder, `renamed-${a!.file}`);
      const seen = waitFor(engine, (e) => e.type === 'progress' && e.path === moved);
      renameSync(join(folder, a!.file), moved);
      await seen;
      await engine.idle();
      const after = (await engine.searchText('x', { k: 10 })).find((r) => r.path === moved);
      expect(after?.itemId).toBe(before?.itemId);
      await watcher.close();
    } finally {
      await engine.close();
    }
  }, 150_000);
});
