import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../../src/engine/engine.ts';
import { PHOTOS_DIR, photoManifest, type ManifestPhoto } from '../../helpers/shared-data.ts';
import { tinyModels } from '../../helpers/standin-models.ts';

/** A temp library with a few shared photos and one note per photo, indexed with tiny stand-in models. */
export interface HostFixture {
  root: string;
  photos: string;
  notes: string;
  /** An empty folder with more photos, not yet in the library (for progress events). */
  more: string;
  manifest: ManifestPhoto[];
  engine: Engine;
  cleanup(): Promise<void>;
}

/** Builds the fixture (call from beforeAll; needs ../shared/data). */
export async function openHostFixture(photoCount = 6): Promise<HostFixture> {
  const root = mkdtempSync(join(tmpdir(), 'glint-host-'));
  const photos = join(root, 'photos');
  const notes = join(root, 'notes');
  const more = join(root, 'more');
  const all = photoManifest();
  const manifest = all.slice(0, photoCount);
  for (const dir of [photos, notes, more]) mkdirSync(dir);
  for (const p of manifest) {
    copyFileSync(join(PHOTOS_DIR, p.file), join(photos, p.file));
    writeFileSync(join(notes, p.file.replace('.jpg', '.txt')), p.captions.join('\n\n'));
  }
  for (const p of all.slice(photoCount, photoCount + 4))
    copyFileSync(join(PHOTOS_DIR, p.file), join(more, p.file));
  const modelsDir = await tinyModels(join(root, 'models'));
  const engine = await Engine.open({ libraryDir: join(root, 'library'), modelsDir, bits: 64 });
  await engine.ingest.index([photos, notes]);
  return {
    root,
    photos,
    notes,
    more,
    manifest,
    engine,
    async cleanup() {
      await engine.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
